package apperr_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestJSONReason: the JSON decoder's errors the catalog has words for are
// said by their message (English the decoder's text, French the page's);
// the others stay as the decoder wrote them, without a message.
func TestJSONReason(t *testing.T) {
	type role string
	type body struct {
		A []int           `json:"a"`
		N uint8           `json:"n"`
		R role            `json:"r"`
		S string          `json:"s"`
		T struct{ X int } `json:"t"`
	}
	decode := func(s string) error {
		dec := json.NewDecoder(bytes.NewReader([]byte(s)))
		dec.DisallowUnknownFields()
		var b body
		return dec.Decode(&b)
	}
	unmarshal := func(s string) error { var b body; return json.Unmarshal([]byte(s), &b) }
	for _, c := range []struct {
		name string
		err  error
		key  string // "" no message
		fr   string
	}{
		{"cut body", decode(`{"a": [1`), apperr.KeyJSONEOF, "fin inattendue : le JSON est incomplet"},
		{"cut input", unmarshal(`{"a": [1`), apperr.KeyJSONEnd, "fin inattendue des données JSON"},
		{"value", decode(`x`), apperr.KeyJSONChar, "caractère 'x' invalide là où une valeur devait commencer"},
		{"key", decode(`{1}`), apperr.KeyJSONChar, "caractère '1' invalide là où une clé d'objet devait commencer"},
		{"after key", decode(`{"a" 1}`), apperr.KeyJSONChar, "caractère '1' invalide après une clé d'objet"},
		{"after pair", decode(`{"a": [] "b": 1}`), apperr.KeyJSONChar, `caractère '"' invalide après une paire clé:valeur d'objet`},
		{"after element", decode(`{"a": [1 2]}`), apperr.KeyJSONChar, "caractère '2' invalide après un élément de tableau"},
		{"after top", unmarshal(`{} x`), apperr.KeyJSONChar, "caractère 'x' invalide après la valeur de premier niveau"},
		{"in string", decode("\"a\x01\""), apperr.KeyJSONChar, `caractère '\x01' invalide dans une chaîne`},
		{"in number", decode(`-x`), apperr.KeyJSONChar, "caractère 'x' invalide dans un nombre"},
		{"type", decode(`{"a": ["x"]}`), apperr.KeyJSONType, "json : impossible de lire une chaîne dans le champ body.a, qui attend un entier"},
		{"type of a list", decode(`{"a": 1}`), apperr.KeyJSONType, "json : impossible de lire un nombre dans le champ body.a, qui attend une liste d'entiers"},
		{"number too large", decode(`{"n": 300}`), apperr.KeyJSONType, "json : impossible de lire le nombre 300 dans le champ body.n, qui attend un entier positif ou nul (uint8)"},
		{"number not whole", decode(`{"a": [1.5]}`), apperr.KeyJSONType, "json : impossible de lire le nombre 1.5 dans le champ body.a, qui attend un entier"},
		{"named type", decode(`{"r": true}`), apperr.KeyJSONType, "json : impossible de lire un booléen dans le champ body.r, qui attend une chaîne (apperr_test.role)"},
		{"object", decode(`{"s": {}}`), apperr.KeyJSONType, "json : impossible de lire un objet dans le champ body.s, qui attend une chaîne"},
		{"struct", decode(`{"t": "x"}`), apperr.KeyJSONType, "json : impossible de lire une chaîne dans le champ body.t, qui attend un objet (struct { X int })"},
		{"unknown field", decode(`{"b": 1}`), apperr.KeyJSONField, `json : champ inconnu "b"`},
		{"escape", decode(`{"a\x": 1}`), apperr.KeyJSONChar, "caractère 'x' invalide dans un échappement de chaîne"},
		{"unicode escape", decode(`{"a\u12x4": 1}`), apperr.KeyJSONChar, `caractère 'x' invalide dans un échappement \u hexadécimal`},
		{"literal", decode(`{"a": tru}`), apperr.KeyJSONLit, "caractère '}' invalide dans le littéral true (attendu 'e')"},
		{"top-level type", decode(`[1]`), apperr.KeyJSONTop, "json : impossible de lire un tableau comme un objet (apperr_test.body)"},
		{"too deep", unmarshal(strings.Repeat("[", 10001)), "", ""},
	} {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		got := apperr.JSONReason(c.err)
		m, ok := apperr.MessageOf(got)
		switch {
		case got.Error() != c.err.Error():
			t.Errorf("%s: %q, want the decoder's %q", c.name, got, c.err)
		case c.key == "" && ok:
			t.Errorf("%s: %q said by %s", c.name, c.err, m.Key)
		case c.key != "" && (!ok || m.Key != c.key || m.Text("en") != c.err.Error() || m.Text("fr") != c.fr):
			t.Errorf("%s: %q said by %q as %q, want %s %q", c.name, c.err, m.Key, m.Text("fr"), c.key, c.fr)
		}
	}
	if w := apperr.Words(apperr.KeyJSONChar, "char", "where"); w != [2]string{"invalid character {char} {where}", "caractère {char} invalide {where}"} {
		t.Errorf("Words: %q", w)
	}
}

var unfilled = regexp.MustCompile(`\{\d+\}`)

// TestJSONWords: every word the catalog says a JSON value's kind or a Go
// type with (apperr.KeyJSONWord…) is said by a decoder's error of a value
// of the wrong type, in French another text than the decoder's English.
func TestJSONWords(t *testing.T) {
	reached := map[string]bool{}
	for _, err := range apperrtest.JSONWordErrors() {
		m, ok := apperr.MessageOf(apperr.JSONReason(err))
		if !ok || m.Text("en") != err.Error() || m.Text("fr") == err.Error() || unfilled.MatchString(m.Text("fr")) {
			t.Errorf("%v said %q (%v)", err, m.Text("fr"), ok)
			continue
		}
		for k, v := range m.Args {
			if strings.HasSuffix(k, ".key") {
				reached[v] = true
			}
		}
	}
	for _, k := range apperr.Keys(apperr.KeyJSONWord) {
		if !reached[k] {
			t.Errorf("%s: no decoder error says it", k)
		}
	}
}
