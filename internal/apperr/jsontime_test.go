package apperr

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestJSONDecodeReason: a date-time field the decoder refused is said by
// its JSON path (nested, promoted from an embedded struct, in an array,
// behind a pointer) and RFC 3339, in English and French; other errors as
// JSONReason says them.
func TestJSONDecodeReason(t *testing.T) {
	type Inner struct {
		At time.Time `json:"at"`
	}
	type In struct {
		Inner
		When  *time.Time  `json:"when"`
		Next  Inner       `json:"next"`
		Times []time.Time `json:"times"`
		N     int         `json:"n"`
	}
	for _, c := range []struct{ body, en, fr string }{
		{`{"at":"soon"}`, `json: field at: "soon" is not a date-time, want RFC 3339 (e.g. 2024-03-01T14:05:00Z)`,
			"json\u00a0: champ at\u00a0: «\u202fsoon\u202f» n’est pas une date-heure, il faut le format RFC 3339 (par ex. 2024-03-01T14:05:00Z)"},
		{`{"when":"2024-01-01"}`, `json: field when: "2024-01-01" is not a date-time, want RFC 3339 (e.g. 2024-03-01T14:05:00Z)`, ""},
		{`{"next":{"at":true}}`, `json: field next.at: cannot use a boolean here, want an RFC 3339 date-time string (e.g. 2024-03-01T14:05:00Z)`,
			"json\u00a0: champ next.at\u00a0: un booléen ne convient pas, il faut une date-heure RFC 3339 (par ex. 2024-03-01T14:05:00Z)"},
		{`{"times":["2024-01-01T00:00:00Z","x"]}`, `json: field times: "x" is not a date-time, want RFC 3339 (e.g. 2024-03-01T14:05:00Z)`, ""},
		{`{"n":"x"}`, `json: field n: cannot use a string here, want an integer`, ""},
	} {
		var v In
		dec := json.NewDecoder(strings.NewReader(c.body))
		err := dec.Decode(&v)
		if err == nil {
			t.Fatalf("%s: decoded", c.body)
		}
		got := JSONDecodeReason([]byte(c.body), &v, err)
		m, ok := MessageOf(got)
		if got.Error() != c.en || !ok || m.Text("en") != c.en || (c.fr != "" && m.Text("fr") != c.fr) {
			t.Errorf("%s: %q (%v) %q, want %q / %q", c.body, got, ok, m.Text("fr"), c.en, c.fr)
		}
	}
}

// TestJSONReadKept: decodeJSON keeps the JSON it reads only for a type
// with a date-time field somewhere under it (the one refusal that looks
// at it again); a type that holds itself ends the walk.
func TestJSONReadKept(t *testing.T) {
	type node struct {
		Name string
		Kids []*node
	}
	type leaf struct{ At *time.Time }
	type embeds struct {
		leaf
		N int
	}
	cases := []struct {
		name string
		v    any
		want bool
	}{
		{"no time", &struct {
			Message string
			Lat     *float64
		}{}, false},
		{"time field", &struct{ At time.Time }{}, true},
		{"pointer to time", &leaf{}, true},
		{"embedded", &embeds{}, true},
		{"slice of structs", &[]struct{ When []time.Time }{}, true},
		{"map value", &map[string]leaf{}, true},
		{"array", &[2]leaf{}, true},
		{"interface", new(any), false},
		{"raw", &json.RawMessage{}, false},
		{"type holding itself", &node{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for range 2 { // the second answer comes from the cache
				if got := JSONReadKept(c.v); got != c.want {
					t.Fatalf("JSONReadKept(%T) = %v, want %v", c.v, got, c.want)
				}
			}
		})
	}
}
