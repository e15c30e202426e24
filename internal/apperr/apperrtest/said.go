package apperrtest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/vigil-project/vigil/internal/apperr"
)

// placeholder is a catalog template's placeholder left unfilled ({0},
// {1.0}…; not an argument's own braces, as in an XLSForm's "${name}").
var placeholder = regexp.MustCompile(`\{[0-9][\w.]*\}`)

// Said reports a test error unless err says its whole text by a catalog
// message (an *apperr.Error's Key and Args, as the API answers them): its
// English is err's text, its French another text with every placeholder
// filled and, when fr is not "", fr. It answers the keys the message uses
// (its own and its nested messages'), for a test to see every key said.
func Said(t testing.TB, name string, err error, fr string) []string {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", name)
		return nil
	}
	m, ok := apperr.MessageOf(err) // a file reader's error, placed
	if !ok {
		m, ok = apperr.MessageOf(apperr.As(err))
	}
	if !ok {
		t.Errorf("%s: %q has no message (key %q)", name, err, keyOf(apperr.As(err)))
		return nil
	}
	en, f := m.Text("en"), m.Text("fr")
	if en != err.Error() {
		t.Errorf("%s: English %q, error %q", name, en, err)
	}
	if f == en || placeholder.MatchString(f) || (fr != "" && f != fr) {
		t.Errorf("%s: French %q (want %q; English %q)", name, f, fr, en)
	}
	keys := []string{m.Key}
	for k, v := range m.Args {
		if strings.HasSuffix(k, ".key") {
			keys = append(keys, v)
		}
	}
	return keys
}

// Case is a refusal a test expects said by a catalog message: its name,
// the error and its whole French ("": not checked).
type Case struct {
	Name string
	Err  error
	FR   string
}

// SaidAll is Said for each case; the keys they say are added to reached.
func SaidAll(t testing.TB, reached map[string]bool, cases ...Case) {
	t.Helper()
	for _, c := range cases {
		for _, k := range Said(t, c.Name, c.Err, c.FR) {
			reached[k] = true
		}
	}
}

// Words reports each of words (of kind: "status", "role") that say does
// not answer as a catalog message whose English is the word as the API
// writes it and whose French is another text, as the pages name it; the
// keys said are added to reached.
func Words[W ~string](t testing.TB, reached map[string]bool, kind string, say func(W) any, words ...W) {
	t.Helper()
	for _, w := range words {
		m, ok := say(w).(apperr.Message)
		if !ok || m.Text("en") != string(w) || m.Text("fr") == "" || m.Text("fr") == string(w) {
			t.Errorf("%s %s: %#v", kind, w, say(w))
			continue
		}
		reached[m.Key] = true
	}
}

func keyOf(ae *apperr.Error) string {
	if ae == nil {
		return ""
	}
	return ae.Key
}

// Catalog checks every message of c with sample arguments (7 for a
// number, an error x for %w, "x" for the rest): its English is the format's text, its French
// another text (unless the English has no words, e.g. "%v, %v") with
// every placeholder filled. reached, when not nil, are the keys the
// package's refusal tests said; a key not among them is reported.
func Catalog(t testing.TB, c apperr.Catalog, reached map[string]bool) {
	t.Helper()
	verb := regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)
	for key, tr := range c {
		var args []any
		for _, v := range verb.FindAllString(tr[0], -1) {
			switch {
			case strings.ContainsAny(v[len(v)-1:], "dxX"):
				args = append(args, 7)
			case strings.HasSuffix(v, "w"):
				args = append(args, errors.New("x"))
			default:
				args = append(args, "x")
			}
		}
		m, ok := apperr.Msg(key, args...)
		if !ok {
			t.Errorf("%s: not registered", key)
			continue
		}
		en, fr := m.Text("en"), m.Text("fr")
		if want := fmt.Errorf(tr[0], args...).Error(); en != want {
			t.Errorf("%s: English %q, want %q", key, en, want)
		}
		words := strings.ContainsFunc(verb.ReplaceAllString(tr[0], ""), unicode.IsLetter)
		if (words && fr == en) || placeholder.MatchString(fr) || tr[1] == "" {
			t.Errorf("%s: French %q (English %q)", key, fr, en)
		}
		if reached != nil && !reached[key] {
			t.Errorf("%s: no refusal of the tests says it", key)
		}
	}
}
