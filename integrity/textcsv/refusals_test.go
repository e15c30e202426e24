package textcsv

import (
	"io"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusals: every refusal of a text CSV (the classifier's training
// files, the mdmh commands' input) is invalid input at the file's line,
// its whole text a catalog message, English as it always read, French as
// the Integrity page says it; every message of Refusals is said.
func TestRefusals(t *testing.T) {
	read := func(in string, cols ...string) error {
		rd, err := NewReader(strings.NewReader(in), "f.csv", cols...)
		for err == nil {
			_, err = rd.Next()
		}
		if err == io.EOF {
			return nil
		}
		return err
	}
	reached := map[string]bool{}
	for _, c := range []struct {
		name   string
		err    error
		line   int
		en, fr string
	}{
		{"empty", read("", "text"), 1, "f.csv:1: empty file: want a header row", "fichier f.csv, ligne 1\u00a0: fichier vide\u00a0: une ligne d’en-tête est attendue"},
		{"column", read("id,body\n1,x\n", "text"), 1, `f.csv:1: missing column "text" (header has id,body)`,
			"fichier f.csv, ligne 1\u00a0: colonne «\u202ftext\u202f» manquante (l’en-tête contient id,body)"},
		{"quote", read("id,text\n1,a\"b\n", "text"), 2, `f.csv:2: bare " in non-quoted-field`,
			"fichier f.csv, ligne 2\u00a0: guillemet \" dans un champ sans guillemets"},
	} {
		e := apperr.As(c.err)
		if c.err == nil || c.err.Error() != c.en || e == nil || e.Kind != apperr.KindInvalid || e.File != "f.csv" || e.Line != c.line {
			t.Errorf("%s: %v (%+v), want invalid %q at line %d", c.name, c.err, e, c.en, c.line)
			continue
		}
		for _, k := range apperrtest.Said(t, c.name, c.err, c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, Refusals, reached)
}
