// Package apperrtest checks in tests that an error is the bad input
// wanted: its whole text and the field it names.
package apperrtest

import (
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Invalid reports a test error unless err is bad input with text and field
// (text "": unless err is nil). name says which case it is.
func Invalid(t testing.TB, name string, err error, text, field string) {
	t.Helper()
	switch {
	case err == nil && text != "":
		t.Errorf("%s: no error, want %q", name, text)
	case err != nil && text == "":
		t.Errorf("%s: %v", name, err)
	case err != nil && (err.Error() != text || apperr.FieldOf(err) != field || !apperr.IsInvalid(err)):
		t.Errorf("%s: %q field %q, want bad input %q field %q", name, err, apperr.FieldOf(err), text, field)
	}
}
