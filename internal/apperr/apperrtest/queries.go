package apperrtest

import (
	"fmt"
	"net/url"
	"testing"
)

// Queries checks a table of queries: for each case, row gives the query
// string, the parser that reads it, and either the bad input (text naming
// field) it must be refused as or, text "", the value want it must give
// (a want string for a value of another type is that value's fmt.Sprint
// text). Each case is named by its query string.
func Queries[C any](t testing.TB, cases []C, row func(C) (q, text, field string, want any, parse func(url.Values) (any, error))) {
	t.Helper()
	for _, c := range cases {
		qs, text, field, want, parse := row(c)
		q, err := url.ParseQuery(qs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parse(q)
		Invalid(t, qs, err, text, field)
		if err == nil && !sameValue(got, want) {
			t.Errorf("%s: %+v, want %+v", qs, got, want)
		}
	}
}

// sameValue: got is want, or its fmt.Sprint text when want is a string
// and got is not.
func sameValue(got, want any) bool {
	if w, ok := want.(string); ok {
		if _, isString := got.(string); !isString {
			return fmt.Sprint(got) == w
		}
	}
	return got == want
}

// FuzzQuery fuzzes a query parser: seeds are the corpus's first query
// strings; check gets each fuzzed string that parses as a query, with its
// values.
func FuzzQuery(f *testing.F, seeds []string, check func(t *testing.T, s string, q url.Values)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := url.ParseQuery(s)
		if err != nil {
			return
		}
		check(t, s, q)
	})
}
