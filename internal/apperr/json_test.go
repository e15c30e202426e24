package apperr_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestJSONReason: the JSON decoder's errors the catalog has words for are
// said by their message (English the decoder's text, French the page's),
// but a value of the wrong type, said in JSON words: the field by its
// JSON path, no Go struct or type name; the others stay as the decoder
// wrote them, without a message. The error still wraps the decoder's.
func TestJSONReason(t *testing.T) {
	type role string
	type item struct {
		Shares int `json:"shares"`
	}
	type body struct {
		A  []int           `json:"a"`
		N  uint8           `json:"n"`
		R  role            `json:"r"`
		S  string          `json:"s"`
		T  struct{ X int } `json:"t"`
		Is []item          `json:"items"`
		In item            `json:"in"`
		E  error           `json:"e"`
		D  time.Weekday    `json:"d"`
		Ti time.Time       `json:"ti"`
		Ip netip.Addr      `json:"ip"`
	}
	decode := func(s string) error {
		dec := json.NewDecoder(bytes.NewReader([]byte(s)))
		dec.DisallowUnknownFields()
		var b body
		return dec.Decode(&b)
	}
	unmarshal := func(s string) error { var b body; return json.Unmarshal([]byte(s), &b) }
	for _, c := range []struct {
		name   string
		err    error
		key    string // "" no message
		en, fr string // en "": the decoder's text
	}{
		{"cut body", decode(`{"a": [1`), apperr.KeyJSONEOF, "", "fin inattendue\u00a0: le JSON est incomplet"},
		{"cut input", unmarshal(`{"a": [1`), apperr.KeyJSONEnd, "", "fin inattendue des données JSON"},
		{"value", decode(`x`), apperr.KeyJSONChar, "", "caractère 'x' invalide là où une valeur devait commencer"},
		{"key", decode(`{1}`), apperr.KeyJSONChar, "", "caractère '1' invalide là où une clé d’objet devait commencer"},
		{"after key", decode(`{"a" 1}`), apperr.KeyJSONChar, "", "caractère '1' invalide après une clé d’objet"},
		{"after pair", decode(`{"a": [] "b": 1}`), apperr.KeyJSONChar, "", `caractère '"' invalide après une paire clé:valeur d’objet`},
		{"after element", decode(`{"a": [1 2]}`), apperr.KeyJSONChar, "", "caractère '2' invalide après un élément de tableau"},
		{"after top", unmarshal(`{} x`), apperr.KeyJSONChar, "", "caractère 'x' invalide après la valeur de premier niveau"},
		{"in string", decode("\"a\x01\""), apperr.KeyJSONChar, "", `caractère '\x01' invalide dans une chaîne`},
		{"in number", decode(`-x`), apperr.KeyJSONChar, "", "caractère 'x' invalide dans un nombre"},
		{"type", decode(`{"s": 7}`), apperr.KeyJSONType,
			"json: field s: cannot use a number here, want a string", "json\u00a0: champ s\u00a0: un nombre ne convient pas, il faut une chaîne"},
		{"type in a list", decode(`{"a": ["x"]}`), apperr.KeyJSONType,
			"json: field a: cannot use a string here, want an integer", "json\u00a0: champ a\u00a0: une chaîne ne convient pas, il faut un entier"},
		{"type of a list", decode(`{"a": 1}`), apperr.KeyJSONType,
			"json: field a: cannot use a number here, want an array of integers", "json\u00a0: champ a\u00a0: un nombre ne convient pas, il faut un tableau d’entiers"},
		{"number too large", decode(`{"n": 300}`), apperr.KeyJSONType,
			"json: field n: cannot use the number 300 here, want an integer from 0 to 255", "json\u00a0: champ n\u00a0: le nombre 300 ne convient pas, il faut un entier de 0 à 255"},
		{"number not whole", decode(`{"a": [1.5]}`), apperr.KeyJSONType,
			"json: field a: cannot use the number 1.5 here, want an integer", "json\u00a0: champ a\u00a0: le nombre 1.5 ne convient pas, il faut un entier"},
		{"named type", decode(`{"r": true}`), apperr.KeyJSONType,
			"json: field r: cannot use a boolean here, want a string", "json\u00a0: champ r\u00a0: un booléen ne convient pas, il faut une chaîne"},
		{"named number", decode(`{"d": "monday"}`), apperr.KeyJSONType,
			"json: field d: cannot use a string here, want an integer", "json\u00a0: champ d\u00a0: une chaîne ne convient pas, il faut un entier"},
		{"object", decode(`{"s": {}}`), apperr.KeyJSONType,
			"json: field s: cannot use an object here, want a string", "json\u00a0: champ s\u00a0: un objet ne convient pas, il faut une chaîne"},
		{"struct", decode(`{"t": "x"}`), apperr.KeyJSONType,
			"json: field t: cannot use a string here, want an object", "json\u00a0: champ t\u00a0: une chaîne ne convient pas, il faut un objet"},
		{"nested", decode(`{"in": {"shares": "many"}}`), apperr.KeyJSONType,
			"json: field in.shares: cannot use a string here, want an integer", "json\u00a0: champ in.shares\u00a0: une chaîne ne convient pas, il faut un entier"},
		{"in a list of objects", decode(`{"items": [{}, {"shares": true}]}`), apperr.KeyJSONType,
			"json: field items.shares: cannot use a boolean here, want an integer", "json\u00a0: champ items.shares\u00a0: un booléen ne convient pas, il faut un entier"},
		{"list of objects", decode(`{"items": "x"}`), apperr.KeyJSONType,
			"json: field items: cannot use a string here, want an array of objects", "json\u00a0: champ items\u00a0: une chaîne ne convient pas, il faut un tableau d’objets"},
		{"interface", decode(`{"e": 1}`), apperr.KeyJSONType,
			"json: field e: cannot use a number here, want a value of another type", "json\u00a0: champ e\u00a0: un nombre ne convient pas, il faut une valeur d’un autre type"},
		{"text value", decode(`{"ip": 1}`), apperr.KeyJSONType,
			"json: field ip: cannot use a number here, want a string", "json\u00a0: champ ip\u00a0: un nombre ne convient pas, il faut une chaîne"},
		{"text value null", decode(`{"ip": null}`), "", "", ""}, // null leaves a value as it is
		{"own unmarshaler", decode(`{"ti": 1}`), "", "", ""},    // time.Time's own error
		{"unknown field", decode(`{"b": 1}`), apperr.KeyJSONField, "", "json\u00a0: champ inconnu «\u202fb\u202f»"},
		{"escape", decode(`{"a\x": 1}`), apperr.KeyJSONChar, "", "caractère 'x' invalide dans un échappement de chaîne"},
		{"unicode escape", decode(`{"a\u12x4": 1}`), apperr.KeyJSONChar, "", `caractère 'x' invalide dans un échappement \u hexadécimal`},
		{"literal", decode(`{"a": tru}`), apperr.KeyJSONLit, "", "caractère '}' invalide dans le littéral true (attendu 'e')"},
		{"top-level type", decode(`[1]`), apperr.KeyJSONTop,
			"json: top-level value: cannot use an array here, want an object", "json\u00a0: valeur de premier niveau\u00a0: un tableau ne convient pas, il faut un objet"},
		{"too deep", unmarshal(strings.Repeat("[", 10001)), "", "", ""},
	} {
		if c.err == nil {
			if c.key != "" {
				t.Errorf("%s: no error", c.name)
			}
			continue
		}
		en := c.en
		if en == "" {
			en = c.err.Error()
		}
		got := apperr.JSONReason(c.err)
		m, ok := apperr.MessageOf(got)
		switch {
		case got.Error() != en:
			t.Errorf("%s: %q, want %q", c.name, got, en)
		case !errors.Is(got, c.err) && !errors.Is(c.err, errors.Unwrap(got)):
			t.Errorf("%s: %q does not wrap the decoder's %q", c.name, got, c.err)
		case c.key == "" && ok:
			t.Errorf("%s: %q said by %s", c.name, c.err, m.Key)
		case c.key != "" && (!ok || m.Key != c.key || m.Text("en") != en || m.Text("fr") != c.fr):
			t.Errorf("%s: %q said by %q as %q, want %s %q", c.name, c.err, m.Key, m.Text("fr"), c.key, c.fr)
		case c.en != "" && (goName.MatchString(got.Error()) || goName.MatchString(m.Text("fr"))):
			t.Errorf("%s: %q / %q names a Go type", c.name, got, m.Text("fr"))
		}
	}
	var te *json.UnmarshalTypeError
	if err := apperr.JSONReason(decode(`{"s": 7}`)); !errors.As(err, &te) || te.Field != "s" {
		t.Errorf("%v: errors.As finds no decoder's error", err)
	}
	if w := apperr.Words(apperr.KeyJSONChar, "char", "where"); w != [2]string{"invalid character {char} {where}", "caractère {char} invalide {where}"} {
		t.Errorf("Words: %q", w)
	}
}

// goName matches what the decoder says of Go (its struct's and types'
// names) and the types' names the tests use.
var goName = regexp.MustCompile(`Go |struct|body\.|item\.|role|u?int(8|16|32|64)|float64|\[\]|apperr|time\.|netip|name|count|size|ratio|flag|pair|error`)

var unfilled = regexp.MustCompile(`\{\d+\}`)

// TestJSONWords: every word the catalog says a JSON value or what a
// field wants with (apperr.KeyJSONWord…) is said by a decoder's error of
// a value of the wrong type, in English and French without the decoder's
// Go names.
func TestJSONWords(t *testing.T) {
	reached := map[string]bool{}
	for _, err := range apperrtest.JSONWordErrors() {
		said := apperr.JSONReason(err)
		m, ok := apperr.MessageOf(said)
		en, fr := m.Text("en"), m.Text("fr")
		if !ok || en != said.Error() || fr == en || unfilled.MatchString(fr) || goName.MatchString(en) || goName.MatchString(fr) {
			t.Errorf("%v said %q / %q (%v)", err, en, fr, ok)
			continue
		}
		for k, v := range m.Args {
			if strings.HasSuffix(k, ".key") {
				reached[v] = true
			}
		}
	}
	for _, k := range apperr.Keys(apperr.KeyJSONWord) {
		if !reached[k] && k != apperr.KeyJSONWord+"time" { // a date-time: JSONDecodeReason (TestJSONDecodeReason)
			t.Errorf("%s: no decoder error says it", k)
		}
	}
}
