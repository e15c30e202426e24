// Package wanterr checks a table test case's error against the part of the
// message the case wants ("" for none).
//
// It imports only the standard library, so any package's tests can use it.
package wanterr

import (
	"strings"
	"testing"
)

// Check fails tb unless err's message contains want, or, when want is "",
// unless err is nil. It reports whether the case wanted an error: the case
// stops there, as there is no result to check.
func Check(tb testing.TB, err error, want string) bool {
	tb.Helper()
	if want != "" {
		if err == nil || !strings.Contains(err.Error(), want) {
			tb.Fatalf("error %v, want one containing %q", err, want)
		}
		return true
	}
	if err != nil {
		tb.Fatal(err)
	}
	return false
}
