package query_test

import (
	"math"
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/query"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct{ q, text, field string }{
		{"", "", ""},
		{"a=1&b=2", "", ""},
		{"a=1&a=2", `parameter "a" given 2 times`, "a"},
		{"z=1&c=1", `unknown parameter "c" (allowed: a, b)`, "c"},
		{"b=1&b=1&c=1", `parameter "b" given 2 times`, "b"},
	} {
		q, _ := url.ParseQuery(c.q)
		apperrtest.Invalid(t, c.q, query.Check(q, "a", "b"), c.text, c.field)
	}
	q, _ := url.ParseQuery("x=1&y=2")
	apperrtest.Invalid(t, "Once", query.Once(q), "", "")
}

func TestValues(t *testing.T) {
	type valueCase struct {
		q, text, field string
		want           any
		parse          func(url.Values) (any, error)
	}
	apperrtest.Queries(t, []valueCase{
		{"", "", "", "en", func(q url.Values) (any, error) { return query.Choice(q, "lang", "en", "fr") }},
		{"lang=fr", "", "", "fr", func(q url.Values) (any, error) { return query.Choice(q, "lang", "en", "fr") }},
		{"lang=de", `lang: "de": want en or fr`, "lang", "", func(q url.Values) (any, error) { return query.Choice(q, "lang", "en", "fr") }},
		{"f=x", `f: "x": want html, pdf or json`, "f", "", func(q url.Values) (any, error) { return query.Choice(q, "f", "html", "pdf", "json") }},
		{"", "", "", int64(-1), func(q url.Values) (any, error) { return query.Int(q, "n", -1, 0, math.MaxInt64, query.NotCount) }},
		{"n=7", "", "", int64(7), func(q url.Values) (any, error) { return query.Int(q, "n", -1, 0, 10, query.NotCount) }},
		{"n=11", `n: "11" must be 0–10`, "n", int64(0), func(q url.Values) (any, error) { return query.Int(q, "n", -1, 0, 10, query.Span(0, 10)) }},
		{"n=x", `n: "x" is not a count`, "n", int64(0), func(q url.Values) (any, error) { return query.Int(q, "n", 0, 0, 10, query.NotCount) }},
		{"n=-1", `n: "-1" is not an id`, "n", int64(0), func(q url.Values) (any, error) { return query.Int(q, "n", 0, 0, 10, query.NotID) }},
		{"d=2024-02-29", "", "", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), func(q url.Values) (any, error) { return query.Day(q, "d") }},
		{"", "", "", time.Time{}, func(q url.Values) (any, error) { return query.Day(q, "d") }},
		{"d=2023-02-29", `d: "2023-02-29" is not a day (YYYY-MM-DD)`, "d", time.Time{}, func(q url.Values) (any, error) { return query.Day(q, "d") }},
		{"h=true", "", "", true, func(q url.Values) (any, error) { return query.Bool(q, "h") }},
		{"h=0", "", "", false, func(q url.Values) (any, error) { return query.Bool(q, "h") }},
		{"h=yes", "h: want 1 or 0", "h", false, func(q url.Values) (any, error) { return query.Bool(q, "h") }},
		{"s=+ab+", "", "", "ab", func(q url.Values) (any, error) { return query.Text(q, "s", 2) }},
		{"s=abc", "s: at most 2 bytes", "s", "", func(q url.Values) (any, error) { return query.Text(q, "s", 2) }},
		{"", "", "", "upload.csv", func(q url.Values) (any, error) { return query.FileName(q, "upload.csv") }},
		{"name=a.csv", "", "", "a.csv", func(q url.Values) (any, error) { return query.FileName(q, "upload.csv") }},
		{"name=a%0Ab", "name: a file name of at most 200 bytes on one line", "name", "", func(q url.Values) (any, error) { return query.FileName(q, "x") }},
	}, func(c valueCase) (string, string, string, any, func(url.Values) (any, error)) {
		return c.q, c.text, c.field, c.want, c.parse
	})
}
