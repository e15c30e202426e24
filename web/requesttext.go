package web

import (
	"bytes"
	"encoding/json"
	"fmt"
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
