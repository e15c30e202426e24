// Package query reads an API request's URL query parameters into typed
// values; every error is bad input (apperr) naming the parameter.
package query

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Check refuses a parameter given twice or not in allowed, naming the first
// such parameter in sorted order.
func Check(q url.Values, allowed ...string) error {
	if err := Once(q); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(allowed, k) {
			return Unknown(k, allowed...)
		}
	}
	return nil
}

// Once refuses a parameter given twice (for requests whose other parameters
// are open-ended).
func Once(q url.Values) error {
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if len(q[k]) > 1 {
			return apperr.Say(apperr.KindInvalid, k, "refusal.query.twice", k, len(q[k]))
		}
	}
	return nil
}

// Choice reads name, one of values (the first when absent), or refuses it
// naming the values it may take.
func Choice(q url.Values, name string, values ...string) (string, error) {
	v := q.Get(name)
	if v == "" {
		return values[0], nil
	}
	if slices.Contains(values, v) {
		return v, nil
	}
	if len(values) == 1 {
		return "", apperr.Fieldf(apperr.KindInvalid, name, "%q: want %s", v, values[0])
	}
	return "", apperr.Fieldf(apperr.KindInvalid, name, "%q: want %s or %s", v, strings.Join(values[:len(values)-1], ", "), values[len(values)-1])
}

// Int reads name as an integer in [min, max] (def when absent); otherwise
// the error is "name: "v" what", what a message of a catalog (NotID,
// NotCount, Between, apperr.Text or Textf of a registered message) for the
// refusal to be said in a page's language.
func Int(q url.Values, name string, def, min, max int64, what error) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < min || n > max {
		return 0, apperr.Fieldf(apperr.KindInvalid, name, "%q %v", v, what)
	}
	return n, nil
}

// Day reads name as a day (YYYY-MM-DD); the zero time when absent.
func Day(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, apperr.Fieldf(apperr.KindInvalid, name, "%q is not a day (YYYY-MM-DD)", v)
	}
	return t, nil
}

// Time reads name as an RFC 3339 time or a day (YYYY-MM-DD, its start in
// UTC); the zero time when absent.
func Time(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t, err = time.Parse(time.DateOnly, v)
	}
	if err != nil {
		return time.Time{}, apperr.Fieldf(apperr.KindInvalid, name, "%q is not an RFC 3339 time or a YYYY-MM-DD date", v)
	}
	return t, nil
}

// Bool reads name as a flag: absent, 0 or false is false; 1 or true is true.
func Bool(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, apperr.FieldErr(apperr.KindInvalid, name, apperr.Text("want 1 or 0"))
}

// Text reads name trimmed, of at most max bytes.
func Text(q url.Values, name string, max int) (string, error) {
	v := strings.TrimSpace(q.Get(name))
	if len(v) > max {
		return "", apperr.Fieldf(apperr.KindInvalid, name, "at most %d bytes", max)
	}
	return v, nil
}

// FileName reads ?name=FILE, the name an upload's errors give it (def when
// absent).
func FileName(q url.Values, def string) (string, error) {
	name := q.Get("name")
	if name == "" {
		name = def
	}
	if len(name) > 200 || strings.ContainsAny(name, "\r\n\x00") {
		return "", apperr.FieldErr(apperr.KindInvalid, "name", apperr.Text("a file name of at most 200 bytes on one line"))
	}
	return name, nil
}
