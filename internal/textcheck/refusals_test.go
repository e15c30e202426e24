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
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "utf-8", Err: textcheck.Text("bad \xff"), FR: "n’est pas de l’UTF-8 valide"},
		apperrtest.Case{Name: "NUL in a text", Err: textcheck.Text("a\x00b"), FR: "contient un caractère NUL à la position 2"},
		apperrtest.Case{Name: "NUL in a name", Err: textcheck.Name("a\x00b"), FR: "contient un caractère NUL à la position 2"},
		apperrtest.Case{Name: "control", Err: textcheck.Name("two\nlines"), FR: "contient un caractère de contrôle (U+000A) à la position 4"},
		apperrtest.Case{Name: "bidi", Err: textcheck.Name("fdp\u202Etxt.exe"), FR: "contient un caractère qui inverse le sens d’écriture (U+202E) à la position 4"},
		apperrtest.Case{Name: "format", Err: textcheck.Name("ad\u200Bmin"), FR: "contient un caractère de mise en forme invisible (U+200B) à la position 3"},
	)
	apperrtest.Catalog(t, textcheck.Refusals, reached)
}
