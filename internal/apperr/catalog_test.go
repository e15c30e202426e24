package apperr

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
)

func init() {
	Register(Catalog{
		"test.not-number": {"%q is not a number", "{0} n’est pas un nombre"},
		"test.empty":      {"is empty", "est vide"},
		"test.in":         {"in %s: %v", "dans {0}\u00a0: {1}"},
	})
}

// TestCatalogMessages: an error made from a registered message keeps the
// English text it would have had (fmt's), and says it by its key and
// arguments in French too; a place added by AtLine, a field by Fieldf or
// FieldErr, a kind by Wrap and a nested message keep it; an unregistered
// format or a text changed since has no message.
func TestCatalogMessages(t *testing.T) {
	cases := []struct {
		name, en, fr string // fr "": no message
		err          error
	}{
		{"textf", `"x" is not a number`, "«\u202fx\u202f» n’est pas un nombre", Textf("%q is not a number", "x")},
		{"text", "is empty", "est vide", Text("is empty")},
		{"unregistered", "is odd", "", Textf("is %s", "odd")},
		{"field", `lat: "x" is not a number`, "lat\u00a0: «\u202fx\u202f» n’est pas un nombre", Fieldf(KindInvalid, "lat", "%q is not a number", "x")},
		{"field of a plain error", "lat: no", "", FieldErr(KindInvalid, "lat", errors.New("no"))},
		{"nested", `in f: "x" is not a number`, "dans f\u00a0: «\u202fx\u202f» n’est pas un nombre", Textf("in %s: %v", "f", Textf("%q is not a number", "x"))},
		{"at line, field", `f.csv:3: lat: "x" is not a number`, "fichier f.csv, ligne 3, colonne lat\u00a0: «\u202fx\u202f» n’est pas un nombre",
			AtLine("f.csv", 3, Fieldf(KindInvalid, "lat", "%q is not a number", "x"))},
		{"at line", "f.csv:3: is empty", "fichier f.csv, ligne 3\u00a0: est vide", AtLine("f.csv", 3, FieldErr(KindInvalid, "", Text("is empty")))},
		{"the file, field", "f.csv: lat: is empty", "fichier f.csv, colonne lat\u00a0: est vide", AtLine("f.csv", 0, FieldErr(KindInvalid, "lat", Text("is empty")))},
		{"the file", "f.csv: is empty", "fichier f.csv\u00a0: est vide", AtLine("f.csv", 0, FieldErr(KindInvalid, "", Text("is empty")))},
		{"a field's format is still said", "lat: is empty", "lat\u00a0: est vide", Textf("%s: %v", "lat", Text("is empty"))},
		{"at line, scoped", "cap: f.csv:3: is empty", "", func() error {
			e := FieldErr(KindInvalid, "", Text("is empty"))
			e.Scope = "cap"
			return AtLine("f.csv", 3, e)
		}()},
		{"at text", "f.csv:2: term: is empty", "fichier f.csv, ligne 2, colonne term\u00a0: est vide", AtText("f.csv", 2, "term", Text("is empty"))},
		{"at text, the error's field", `f.csv:2: lat: "x" is not a number`, "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202fx\u202f» n’est pas un nombre",
			AtText("f.csv", 2, "", Fieldf(KindInvalid, "lat", "%q is not a number", "x"))},
		{"wrap", "is empty", "est vide", Wrap(KindConflict, "x", Text("is empty"))},
		{"list", "a: is empty; b: is empty", "a\u00a0: est vide\u202f; b\u00a0: est vide", func() error {
			a, _ := MessageOf(FieldErr(KindInvalid, "a", Text("is empty")))
			b, _ := MessageOf(FieldErr(KindInvalid, "b", Text("is empty")))
			m, _ := Msg(KeyList, a, b)
			return m.Err()
		}()},
		{"changed since", "is empty!", "", func() error {
			e := FieldErr(KindInvalid, "", Text("is empty"))
			e.Msg += "!"
			return e
		}()},
		{"message as an argument", "lat: in f: is empty", "lat\u00a0: dans f\u00a0: est vide", func() error {
			m, _ := Msg("test.empty")
			return Fieldf(KindInvalid, "lat", "in %s: %v", "f", m) // a Message prints as its English
		}()},
		{"bare not found", "not found", "introuvable", ErrNotFound},
		{"csv", `bare " in non-quoted-field`, `guillemet " dans un champ sans guillemets`, CSVReason(csv.ErrBareQuote)},
	}
	for _, c := range cases {
		if c.err.Error() != c.en {
			t.Errorf("%s: %q, want %q", c.name, c.err, c.en)
		}
		m, ok := MessageOf(c.err)
		if !ok {
			m, ok = MessageOf(As(c.err))
		}
		switch {
		case c.fr == "" && ok:
			t.Errorf("%s: message %s %q, want none", c.name, m.Key, m.Text("fr"))
		case c.fr != "" && (!ok || m.Text("en") != c.en || m.Text("fr") != c.fr):
			t.Errorf("%s: message %v %q %q, want %q", c.name, ok, m.Text("en"), m.Text("fr"), c.fr)
		}
	}
}

// TestMustMsgAndWord: MustMsg is Msg's message for a registered key and
// the arguments its format takes, and panics otherwise (naming the key);
// Word is a registered word's message, its fallback for an unknown key.
// TestUnquoted: a %q argument, said in French without Go's quotes, is
// apperr.Unquoted of the English's; the page's text.js unquoted is tested
// on the same cases (web/ui/testdata/text_test.mjs).
func TestUnquoted(t *testing.T) {
	for _, c := range textCases(t, "testdata/unquoted.json") {
		if got := Unquoted(c.In); got != c.Want {
			t.Errorf("Unquoted(%s) = %s, want %s", c.In, got, c.Want)
		}
	}
	// Each of Go's quotings of a text says it back (but for escapes of
	// what is not printable, kept visible).
	for _, s := range []string{"pw", `say "hi"`, `a\b`, "Gombe «x»", ""} {
		for _, q := range []string{fmt.Sprintf("%q", s), fmt.Sprintf("%#q", s)} {
			if got := Unquoted(q); got != s {
				t.Errorf("Unquoted(%s) = %q, want %q", q, got, s)
			}
		}
	}
	// French says a %q argument in guillemets with narrow no-break spaces; English keeps Go's quotes.
	m := MustMsg("test.not-number", `a "b"`)
	if en, fr := m.Text("en"), m.Text("fr"); en != `"a \"b\"" is not a number` || fr != "«\u202fa \"b\"\u202f» n’est pas un nombre" {
		t.Errorf("%%q argument: %q / %q", en, fr)
	}
}

// TestGuillemets: a text holding Go-quoted values ("idp" (3), "x" (1))
// says each in guillemets with narrow no-break spaces, « idp » (3); the
// page's text.js guillemets says the same cases (testdata/guillemets.json).
// A {n:qs} placeholder says its argument so in French.
func TestGuillemets(t *testing.T) {
	for _, c := range textCases(t, "testdata/guillemets.json") {
		if got := Guillemets(c.In); got != c.Want {
			t.Errorf("Guillemets(%s) = %q, want %q", c.In, got, c.Want)
		}
	}
	Register(Catalog{"test.values": {"values: %s", "valeurs\u00a0: {0:qs}"}})
	m := MustMsg("test.values", fmt.Sprintf("%q (1), %q (2)", "a", `b"c`))
	if en, fr := m.Text("en"), m.Text("fr"); en != `values: "a" (1), "b\"c" (2)` || fr != "valeurs\u00a0: «\u202fa\u202f» (1), «\u202fb\"c\u202f» (2)" {
		t.Errorf("%%s argument of quoted values: %q / %q", en, fr)
	}
}

// textCases are the cases of a JSON file shared with the page's tests:
// a text in, the text wanted out.
func textCases(t *testing.T, path string) []struct{ In, Want string } {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ In, Want string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestMustMsgAndWord(t *testing.T) {
	if m := MustMsg("test.not-number", "x"); m.Text("en") != `"x" is not a number` || m.Text("fr") != "«\u202fx\u202f» n’est pas un nombre" {
		t.Errorf("MustMsg: %q / %q", m.Text("en"), m.Text("fr"))
	}
	for _, c := range []struct {
		name, key string
		args      []any
	}{
		{"unknown key", "test.nope", nil},
		{"no argument", "test.not-number", nil},
		{"an argument too many", "test.empty", []any{"x"}},
	} {
		func() {
			defer func() {
				if r, _ := recover().(string); r != "apperr: message "+c.key+" unknown or given the wrong arguments" {
					t.Errorf("%s: panic %q", c.name, r)
				}
			}()
			MustMsg(c.key, c.args...)
		}()
	}
	if m, ok := Word("test.empty", "empty").(Message); !ok || m.Text("en") != "is empty" || m.Text("fr") != "est vide" {
		t.Errorf("Word(test.empty): %#v, want its message", Word("test.empty", "empty"))
	}
	if w := Word("test.nope", "nope"); w != "nope" {
		t.Errorf("Word(test.nope): %#v, want the fallback", w)
	}
}

// TestListSaid: problems said one by one are said as one list message,
// first to last, in English and French; none, or one without a message,
// is not a list.
func TestListSaid(t *testing.T) {
	items := []Message{MustMsg("test.empty"), MustMsg("test.not-number", "x"), MustMsg("test.in", "b", "c")}
	item := func(i int) (Message, bool) { return items[i], items[i].Key != "" }
	m, ok := ListSaid(KeyList, len(items), item)
	if en, fr := m.Text("en"), m.Text("fr"); !ok || en != `is empty; "x" is not a number; in b: c` || fr != "est vide\u202f; «\u202fx\u202f» n’est pas un nombre\u202f; dans b\u00a0: c" {
		t.Errorf("list: %v %q / %q", ok, en, fr)
	}
	if m, ok := ListSaid(KeyList, 1, item); !ok || m.Text("en") != "is empty" {
		t.Errorf("one: %v %q", ok, m.Text("en"))
	}
	if _, ok := ListSaid(KeyList, 0, item); ok {
		t.Error("none said as a list")
	}
	items[1] = Message{}
	if _, ok := ListSaid(KeyList, len(items), item); ok {
		t.Error("a problem without a message said in a list")
	}
}

// TestReread: a text stored as English only is read back as the message
// that says it, nested messages too; a text no format with words of its
// own says, or a field's place that is not a field's name, is none.
func TestReread(t *testing.T) {
	for _, c := range []struct{ text, fr string }{
		{`"x" is not a number`, "«\u202fx\u202f» n’est pas un nombre"},
		{`lat: "x" is not a number`, "lat\u00a0: «\u202fx\u202f» n’est pas un nombre"},
		{`in f: "x" is not a number`, "dans f\u00a0: «\u202fx\u202f» n’est pas un nombre"},
		{"kind: is empty", "kind\u00a0: est vide"},
		{"is odd", ""},
		{"a, b", ""},                  // "%v; %v"-like formats without words read nothing
		{"not a field: is empty", ""}, // a field's name has no spaces
	} {
		m, ok := Reread(c.text)
		if c.fr == "" {
			if ok {
				t.Errorf("Reread(%q) = %s %v, want none", c.text, m.Key, m.Args)
			}
			continue
		}
		if !ok || m.Text("en") != c.text || m.Text("fr") != c.fr {
			t.Errorf("Reread(%q) = %v %s: %q / %q, want French %q", c.text, ok, m.Key, m.Text("en"), m.Text("fr"), c.fr)
		}
	}
}
