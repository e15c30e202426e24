package web_test

import "testing"

// TestE2EPerformanceUnreadableFiles: a framework file the reader cannot
// read at all (an empty CSV, a CSV with a stray quote, an empty JSON file),
// imported on the French performance page, is refused in French, naming
// the file, line and what is wrong; the English page says it in English.
// Before, both pages showed the reader's English ("cannot read the header:
// EOF", "parse error on line 2, column 8: bare \" in non-quoted-field").
func TestE2EPerformanceUnreadableFiles(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-unreadable-files-")
	files := writeFiles(t, map[string]string{
		"empty.csv":  "",
		"quote.csv":  "objective_id,result_id,indicator_id,indicator\npoc,poc\"1,cd,events\n",
		"empty.json": "",
	})
	b.openEditor(srv)
	for _, c := range []struct{ lang, file, want string }{
		{"fr", "empty.csv", "empty.csv, ligne 1\u00a0: colonne (en-tête)\u00a0: impossible de lire l’en-tête\u00a0: le fichier est vide"},
		{"fr", "quote.csv", "quote.csv, ligne 2\u00a0: colonne (ligne)\u00a0: erreur de lecture à la ligne 2, colonne 8\u00a0: guillemet \" dans un champ sans guillemets"},
		{"fr", "empty.json", "empty.json\u00a0: (json)\u00a0: le fichier est vide"},
		{"en", "quote.csv", `quote.csv:2: column (row): parse error on line 2, column 8: bare " in non-quoted-field`},
	} {
		b.inLang(c.lang)
		b.importFile(c.lang+" "+c.file, files[c.file])
		b.refused(c.lang+" "+c.file+" refused", c.want)
	}
	b.rec.take() // the refusals' 400s, expected
}
