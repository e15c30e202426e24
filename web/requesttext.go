package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// requestText refuses a request whose path or query holds a NUL character
// or bytes that are not UTF-8, naming the query parameter (or "path", or
// "query" for a parameter's name): no text Vigil stores can hold them, and
// PostgreSQL refuses any statement sent them, so no handler is given one
// (FuzzRouteValues).
func requestText(r *http.Request) error {
	if err := textcheck.Text(r.URL.Path); err != nil {
		return apperr.FieldErr(apperr.KindInvalid, "path", err)
	}
	q := r.URL.Query()
	names := slices.Sorted(maps.Keys(q))
	for _, name := range names {
		if err := textcheck.Text(name); err != nil {
			return apperr.FieldErr(apperr.KindInvalid, "query", err)
		}
		for _, v := range q[name] {
			if err := textcheck.Text(v); err != nil {
				return apperr.FieldErr(apperr.KindInvalid, name, err)
			}
		}
	}
	return nil
}

// jsonNUL is the JSON path ("objectives[0].title"; "" for the top level)
// and the text of the first string of the JSON document b — a member's
// name or a value — that holds a NUL character (written \u0000), or ok
// false when none does. decodeJSON refuses such a body naming that path:
// a NUL is in no text a person types, and PostgreSQL refuses any statement
// sent one (a 500 before, e.g. PUT /api/v1/performance/frameworks/{mission}).
func jsonNUL(b []byte) (path, text string, ok bool) {
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return "", "", false
	}
	type frame struct {
		array   bool
		key     string
		n       int  // an array's elements so far
		wantKey bool // an object's next token is a member's name
	}
	var st []frame
	where := func() string {
		var sb strings.Builder
		for _, f := range st {
			switch {
			case f.array:
				fmt.Fprintf(&sb, "[%d]", f.n-1)
			case sb.Len() > 0:
				sb.WriteString("." + f.key)
			default:
				sb.WriteString(f.key)
			}
		}
		return sb.String()
	}
	done := func() { // a value ended: its object wants the next name
		if len(st) > 0 && !st[len(st)-1].array {
			st[len(st)-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			st = st[:len(st)-1]
			done()
			continue
		}
		if n := len(st); n > 0 && !st[n-1].array && st[n-1].wantKey {
			st[n-1].key, st[n-1].wantKey = tok.(string), false
			if strings.ContainsRune(st[n-1].key, 0) {
				return where(), st[n-1].key, true
			}
			continue
		}
		if n := len(st); n > 0 && st[n-1].array {
			st[n-1].n++
		}
		switch t := tok.(type) {
		case json.Delim:
			st = append(st, frame{array: t == '[', wantKey: t == '{'})
		case string:
			if strings.ContainsRune(t, 0) {
				return where(), t, true
			}
			done()
		default:
			done()
		}
	}
}

// nulWatch is the reader of a JSON body that keeps nothing of it but
// whether it holds a NUL escape, \u0000 whose backslash escapes (it ends
// an odd run of backslashes: after an even run, "u0000" is text following
// escaped backslashes). In a body the decoder accepts, backslashes are in
// strings only, so found is exactly "some string of the body, a member's
// name or a value, holds a NUL", as jsonNUL reads it, whatever the pieces
// the body is read in. decodeJSON reads a body through one instead of
// keeping a copy of it, but for a type with a date-time field (the copy
// cost 37–39 % more CPU and 16 MiB on a 5.9 MB body: docs/benchmarks.md,
// "decodeJSON without the copy").
type nulWatch struct {
	r     io.Reader
	found bool
	run   int // backslashes ending what was read so far
	m     int // 1–4: what was read ends with "u0000"[:m] after an escaping backslash
}

func (w *nulWatch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if !w.found {
		w.see(p[:n])
	}
	return n, err
}

const nulEscape = "u0000" // after an escaping backslash

// see reads the next piece p of the body.
func (w *nulWatch) see(p []byte) {
	if len(p) == 0 {
		return
	}
	if w.m > 0 { // an escape begun in the last piece: does p finish it?
		rest := nulEscape[w.m:]
		k := min(len(rest), len(p))
		if string(p[:k]) == rest[:k] {
			if k == len(rest) {
				w.found = true
				return
			}
			w.m += k // p is all zeros, the escape still unfinished
			w.run = 0
			return
		}
		w.m = 0
	}
	// escapes reports whether the backslashes just before p[i] end an
	// odd run (counting those ending the pieces before when they reach
	// p's start).
	escapes := func(i int) bool {
		k := 0
		for i-k > 0 && p[i-k-1] == '\\' {
			k++
		}
		if k == i {
			k += w.run
		}
		return k%2 == 1
	}
	for i := 0; i < len(p); {
		j := bytes.Index(p[i:], []byte(nulEscape))
		if j < 0 {
			break
		}
		if escapes(i + j) {
			w.found = true
			return
		}
		i += j + 1
	}
	// The start of an escape ending p: at most one of "u", "u0", "u00",
	// "u000" can end it.
	for s := 1; s < len(nulEscape) && s <= len(p); s++ {
		if q := len(p) - s; p[q] == 'u' {
			if string(p[q:]) == nulEscape[:s] && escapes(q) {
				w.m = s
			}
			break
		}
	}
	k := 0
	for k < len(p) && p[len(p)-k-1] == '\\' {
		k++
	}
	if k == len(p) {
		w.run += k
	} else {
		w.run = k
	}
}

// nulIn is the JSON path and the text of a string of v, just decoded from
// a body holding a NUL escape (nulWatch), that holds a NUL: found in v
// written as JSON again, so named by the fields' JSON names (as the
// struct tags spell them; the body may have spelt a name in other
// letter cases) and, of several, the first in v's order. A NUL v does not
// hold (a member given twice, the first with the NUL) is refused naming
// no field, as the body did hold it.
func nulIn(v any) error {
	if b, err := json.Marshal(v); err == nil {
		if path, text, ok := jsonNUL(b); ok {
			return apperr.FieldErr(apperr.KindInvalid, path, textcheck.Text(text))
		}
	}
	return apperr.FieldErr(apperr.KindInvalid, "", textcheck.Text("\x00"))
}
