package web_test

import (
	"testing"
)

// The defects found by walking the demo in French as a mission's
// information analyst (notes s25-walk-integrity.md), each checked where it
// was seen.

// TestE2EWalk25LexiconNoFile: « Téléverser » under « Importer un lexique »
// with no file chosen says so by the form and takes the focus to the file
// field (it did nothing at all).
func TestE2EWalk25LexiconNoFile(t *testing.T) {
	_, _, srv := integrityE2EServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	if err := openIn(ctx, srv.URL+"/#/integrity?tab=lexicon", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#integrity-lexicon-file')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(document.querySelector('#integrity-lexicon-file').form.requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#integrity-lexicon-file').form.textContent || '').includes('Choisissez d’abord un fichier.') && document.activeElement?.id === 'integrity-lexicon-file'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#integrity-lexicon-file').form.textContent + ' | focus: ' + document.activeElement?.id`)
		t.Errorf("no file: the form says %q, want « Choisissez d’abord un fichier. » and the focus on the file field: %v", got, err)
	}
}
