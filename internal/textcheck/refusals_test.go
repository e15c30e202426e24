package textcheck_test

import (
	"testing"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// TestRefusalMessages: every refusal of Name and Text carries its whole
// text as a catalog message (Refusals): English as the error always read,
// French another text with nothing left unfilled; every message is said.
func TestRefusalMessages(t *testing.T) {
	reached := map[string]bool{}
	for _, c := range []struct {
		name string
		err  error
		fr   string
	}{
		{"utf-8", textcheck.Text("bad \xff"), "n'est pas de l'UTF-8 valide"},
		{"NUL in a text", textcheck.Text("a\x00b"), "contient un caractère NUL à la position 2"},
		{"NUL in a name", textcheck.Name("a\x00b"), "contient un caractère NUL à la position 2"},
		{"control", textcheck.Name("two\nlines"), "contient un caractère de contrôle (U+000A) à la position 4"},
		{"bidi", textcheck.Name("fdp\u202Etxt.exe"), "contient un caractère qui inverse le sens d'écriture (U+202E) à la position 4"},
		{"format", textcheck.Name("ad\u200Bmin"), "contient un caractère de mise en forme invisible (U+200B) à la position 3"},
	} {
		for _, k := range apperrtest.Said(t, c.name, c.err, c.fr) {
			reached[k] = true
		}
	}
	apperrtest.Catalog(t, textcheck.Refusals, reached)
}
