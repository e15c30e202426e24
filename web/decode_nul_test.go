package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TestDecodeJSONNUL: decodeJSON refuses a body whose text holds a NUL
// (written \u0000), a member's name or a value, naming its JSON path,
// whether it keeps the body (a type with a date-time field) or only
// watches it go by (any other type); an escaped backslash followed by
// "u0000" is text, no NUL.
func TestDecodeJSONNUL(t *testing.T) {
	type item struct {
		Title string   `json:"title"`
		Tags  []string `json:"tags"`
	}
	type doc struct {
		Name  string            `json:"name"`
		Items []item            `json:"items"`
		Meta  map[string]string `json:"meta"`
		Any   any               `json:"any"`
		Raw   json.RawMessage   `json:"raw"`
	}
	type dated struct {
		Note string    `json:"note"`
		At   time.Time `json:"at"`
	}
	cases := []struct {
		name, body string
		into       func() any
		field, err string // err "": accepted
	}{
		{"none", `{"name":"a","items":[{"title":"t"}]}`, func() any { return new(doc) }, "", ""},
		{"escaped backslash", `{"name":"a\\u0000"}`, func() any { return new(doc) }, "", ""},
		{"three backslashes", `{"name":"a\\\u0000"}`, func() any { return new(doc) }, "name", "name: contains a NUL character at position 3"},
		{"unicode backslash", `{"name":"a\u005cu0000"}`, func() any { return new(doc) }, "", ""},
		{"top-level field", `{"name":"ab\u0000"}`, func() any { return new(doc) }, "name", "name: contains a NUL character at position 3"},
		{"nested", `{"items":[{"title":"x"},{"title":"y","tags":["p","q\u0000"]}]}`, func() any { return new(doc) }, "items[1].tags[1]", "items[1].tags[1]: contains a NUL character at position 2"},
		{"map key", `{"meta":{"k\u0000":"v"}}`, func() any { return new(doc) }, "meta.k\x00", "meta.k\x00: contains a NUL character at position 2"},
		{"map value", `{"meta":{"k":"\u0000"}}`, func() any { return new(doc) }, "meta.k", "meta.k: contains a NUL character at position 1"},
		{"any", `{"any":{"a":[1,"\u0000"]}}`, func() any { return new(doc) }, "any.a[1]", "any.a[1]: contains a NUL character at position 1"},
		{"raw", `{"raw":{"a":"\u0000"}}`, func() any { return new(doc) }, "raw.a", "raw.a: contains a NUL character at position 1"},
		{"member given twice", `{"name":"\u0000","name":"b"}`, func() any { return new(doc) }, "", "contains a NUL character at position 1"},
		{"date-time type", `{"note":"n\u0000","at":"2026-12-07T08:00:00Z"}`, func() any { return new(dated) }, "note", "note: contains a NUL character at position 2"},
		{"date-time refused", `{"note":"n","at":"tomorrow"}`, func() any { return new(dated) }, "", `invalid JSON: json: field at: "tomorrow" is not a date-time, want RFC 3339 (e.g. 2024-03-01T14:05:00Z)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(c.body))
			r.Header.Set("Content-Type", "application/json")
			err := decodeJSON(httptest.NewRecorder(), r, 1<<16, c.into())
			if c.err == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || err.Error() != c.err || !strings.Contains(c.err, "date-time") && (!apperr.IsInvalid(err) || apperr.FieldOf(err) != c.field) {
				t.Fatalf("err %v (field %q), want %q naming %q", err, apperr.FieldOf(err), c.err, c.field)
			}
		})
	}
}

// refNUL is nulWatch's answer on the whole body at once, byte by byte.
func refNUL(b []byte) bool {
	esc := false
	for i, c := range b {
		switch {
		case esc:
			esc = false
			if bytes.HasPrefix(b[i:], []byte(nulEscape)) {
				return true
			}
		case c == '\\':
			esc = true
		}
	}
	return false
}

// pieces reads b in pieces of the sizes seed draws (1 to 8 bytes, or
// more), as a network may give a body.
type pieces struct {
	b   []byte
	rng *rand.Rand
}

func (p *pieces) Read(buf []byte) (int, error) {
	if len(p.b) == 0 {
		return 0, io.EOF
	}
	n := 1 + p.rng.IntN(8)
	if p.rng.IntN(4) == 0 {
		n = 1 + p.rng.IntN(64)
	}
	n = min(n, len(buf), len(p.b))
	copy(buf, p.b[:n])
	p.b = p.b[n:]
	return n, nil
}

// FuzzNULWatch: nulWatch, whatever the pieces it reads a body in, finds a
// NUL escape exactly when the body holds one, and on a JSON document
// exactly when jsonNUL finds a string holding a NUL.
func FuzzNULWatch(f *testing.F) {
	for _, s := range []string{`"\u0000"`, `"\\u0000"`, `"\\\u0000"`, `{"a\u0000":1}`, `"\u005cu0000"`, `\\\\\u000`, `"\u00000"`, `["\\","u0000"]`, `u0000`} {
		f.Add([]byte(s), uint64(1))
	}
	f.Fuzz(func(t *testing.T, b []byte, seed uint64) {
		want := refNUL(b)
		w := &nulWatch{r: &pieces{b: b, rng: rand.New(rand.NewPCG(seed, 1))}}
		if _, err := io.Copy(io.Discard, w); err != nil {
			t.Fatal(err)
		}
		if w.found != want {
			t.Fatalf("%q (seed %d): found %v, want %v", b, seed, w.found, want)
		}
		if json.Valid(b) {
			if _, _, ok := jsonNUL(b); ok != want {
				t.Fatalf("%q: jsonNUL %v, watch %v", b, ok, want)
			}
		}
	})
}

// BenchmarkNULWatch is nulWatch alone on the large body of
// BenchmarkDecodeJSON (a 5.9 MB population upload: 300,000 escaped
// newlines, no NUL), read in the decoder's pieces (up to 32 KiB).
func BenchmarkNULWatch(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("gid,year,population\n")
	for c := 0; c < 10000; c++ {
		for y := 1990; y < 2020; y++ {
			fmt.Fprintf(&csv, "%d,%d,%d\n", 110000+c*7, y, 1000+(c*7919+y*104729)%250000)
		}
	}
	body := fmt.Appendf(nil, `{"name": "population-prio-grid-1990-2019.csv", "data": %q}`, csv.String())
	b.SetBytes(int64(len(body)))
	buf := make([]byte, 32<<10)
	for b.Loop() {
		w := &nulWatch{r: bytes.NewReader(body)}
		for {
			if _, err := w.Read(buf); err != nil {
				break
			}
		}
		if w.found {
			b.Fatal("found a NUL")
		}
	}
}
