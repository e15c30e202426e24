package apperr_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// textCase is an error and the text it must read as.
type textCase struct {
	err  error
	want string
}

func TestErrorText(t *testing.T) {
	for _, tc := range []textCase{
		{apperr.Invalid("lat", "95 out of range"), "lat: 95 out of range"},
		{apperr.Invalid("", "no rows"), "no rows"},
		{apperr.Invalidf("best", "%d outside %d..%d", 9, 1, 5), "best: 9 outside 1..5"},
		{apperr.At("plan.csv", 7, "id", "is empty"), "plan.csv:7: id: is empty"},
		{apperr.At("plan.csv", 1, "", "missing header"), "plan.csv:1: missing header"},
		{apperr.At("plan.csv", 0, "", "not UTF-8"), "plan.csv: not UTF-8"},
		{&apperr.Error{Line: 4, Field: "/data/age", Msg: "not a number"}, "line 4: /data/age: not a number"},
		{&apperr.Error{Line: 4, Msg: "XML syntax error"}, "line 4: XML syntax error"},
		{apperr.New(apperr.KindTooMany, "too many failed logins"), "too many failed logins"},
		{&apperr.Error{Scope: "cap", Field: "alert/sent", Msg: "required element missing"}, "cap: alert/sent: required element missing"},
		{apperr.AtLine("a.csv", 3, apperr.Invalid("lat", "bad")), "a.csv:3: lat: bad"},
		{apperr.AtLine("a.csv", 3, fmt.Errorf("wrapped: %w", apperr.Invalid("lat", "bad"))), "a.csv:3: lat: bad"},
		{apperr.AtLine("a.csv", 3, io.ErrUnexpectedEOF), "a.csv:3: unexpected EOF"},
		{apperr.AtLine("a.csv", 3, apperr.ErrNotFound), "a.csv:3: not found"},
		{apperr.ErrNotFound, "not found"},
		{apperr.Forbidden("forbidden"), "forbidden"},
		{apperr.Unavailable("database busy", io.EOF), "database busy"},
		{apperr.Refuse(apperr.KindInvalid, "to", "to %s is before from %s", "2020-01", "2020-02"), "to 2020-01 is before from 2020-02"},
		{apperr.Wrap(apperr.KindInvalid, "column", errors.New("f.csv:3: column x: bad")), "f.csv:3: column x: bad"},
		{apperr.AtLine("a.csv", 3, apperr.Refuse(apperr.KindInvalid, "lat", "lat 95 is out of range")), "a.csv:3: lat 95 is out of range"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%#v: Error() = %q, want %q", tc.err, got, tc.want)
		}
	}
	if apperr.AtLine("a.csv", 1, nil) != nil || apperr.Wrap(apperr.KindInvalid, "f", nil) != nil {
		t.Error("AtLine(nil) is not nil")
	}
}

func TestKinds(t *testing.T) {
	cause := errors.New("SQLITE_BUSY")
	for _, tc := range []struct {
		name     string
		err      error
		kind     apperr.Kind
		sentinel error
		field    string
	}{
		{"invalid", apperr.Invalid("lat", "x"), apperr.KindInvalid, apperr.ErrInvalid, "lat"},
		{"literal is invalid", &apperr.Error{Field: "f", Msg: "m"}, apperr.KindInvalid, apperr.ErrInvalid, "f"},
		{"wrapped invalid", fmt.Errorf("import: %w", apperr.At("f.csv", 2, "gid", "x")), apperr.KindInvalid, apperr.ErrInvalid, "gid"},
		{"line of plain error", apperr.AtLine("f.csv", 2, cause), apperr.KindInvalid, apperr.ErrInvalid, ""},
		{"not found sentinel", apperr.ErrNotFound, apperr.KindNotFound, apperr.ErrNotFound, ""},
		{"not found wrapped", fmt.Errorf("incident 4: %w", apperr.NotFound("no incident 4")), apperr.KindNotFound, apperr.ErrNotFound, ""},
		{"conflict", apperr.Conflict("status", "cannot move"), apperr.KindConflict, apperr.ErrConflict, "status"},
		{"forbidden", apperr.ErrForbidden, apperr.KindForbidden, apperr.ErrForbidden, ""},
		{"unavailable", apperr.Unavailable("busy", cause), apperr.KindUnavailable, apperr.ErrUnavailable, ""},
		{"wrapped domain error", apperr.Wrap(apperr.KindConflict, "revision", cause), apperr.KindConflict, apperr.ErrConflict, "revision"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, ok := apperr.KindOf(tc.err)
			if !ok || k != tc.kind {
				t.Errorf("KindOf = %v, %v; want %v", k, ok, tc.kind)
			}
			if !errors.Is(tc.err, tc.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tc.sentinel)
			}
			for _, other := range []error{apperr.ErrInvalid, apperr.ErrNotFound, apperr.ErrConflict, apperr.ErrForbidden, apperr.ErrUnavailable} {
				if other != tc.sentinel && errors.Is(tc.err, other) {
					t.Errorf("errors.Is(err, %v) = true", other)
				}
			}
			if got := apperr.FieldOf(tc.err); got != tc.field {
				t.Errorf("FieldOf = %q, want %q", got, tc.field)
			}
			if got := apperr.IsInvalid(tc.err); got != (tc.kind == apperr.KindInvalid) {
				t.Errorf("IsInvalid = %v", got)
			}
		})
	}
	if !errors.Is(apperr.Unavailable("busy", cause), cause) {
		t.Error("Unavailable does not wrap its cause")
	}
	if !errors.Is(apperr.AtLine("f.csv", 2, cause), cause) {
		t.Error("AtLine does not wrap a plain error")
	}
	if _, ok := apperr.KindOf(cause); ok {
		t.Error("KindOf(plain error) reports a kind")
	}
	// Two errors of one kind are not each other's sentinel.
	if errors.Is(apperr.Invalid("a", "x"), apperr.Invalid("a", "x")) {
		t.Error("errors.Is matches a non-sentinel target")
	}
	var e *apperr.Error
	if !errors.As(fmt.Errorf("x: %w", apperr.Invalid("lat", "bad")), &e) || e.Msg != "bad" {
		t.Errorf("errors.As = %v", e)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[apperr.Kind]string{apperr.KindInvalid: "invalid", apperr.KindUnavailable: "unavailable", apperr.KindTooMany: "too many", 10: "kind(10)"} {
		if got := k.String(); got != want {
			t.Errorf("%d: %q, want %q", k, got, want)
		}
	}
}
