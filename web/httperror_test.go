package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// httpCase is an error and the answer it must become.
type httpCase struct {
	name       string
	err        error
	status     int
	msg, field string
	retryAfter bool
}

// Every apperr kind becomes its status in one place, with the error's text
// and field; a 503 carries Retry-After; anything else is a 500 (nil here).
func TestHTTPErrorMapsKinds(t *testing.T) {
	for _, tc := range []httpCase{
		{"invalid", apperr.Invalid("lat", "95 out of range"), 400, "lat: 95 out of range", "lat", false},
		{"invalid wrapped", fmt.Errorf("import: %w", apperr.At("a.csv", 3, "gid", "not a number")), 400, "a.csv:3: gid: not a number", "gid", false},
		{"cap rule", &apperr.Error{Scope: "cap", Field: "alert/sent", Msg: "required element missing"}, 400, "cap: alert/sent: required element missing", "alert/sent", false},
		{"not found", fmt.Errorf("event 9: %w", apperr.ErrNotFound), 404, "not found", "", false},
		{"conflict", apperr.Conflict("status", "cannot move from closed to new"), 409, "status: cannot move from closed to new", "status", false},
		{"forbidden", apperr.ErrForbidden, 403, "forbidden", "", false},
		{"unavailable", apperr.Unavailable("the database is read-only", errors.New("SQLITE_READONLY")), 503, "the database is read-only", "", true},
		{"handler error", badRequest("x", "bad x"), 400, "bad x", "x", false},
		{"body too large", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), 413, "request body larger than 10 bytes", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			e := httpError(w, tc.err)
			if e == nil {
				t.Fatal("nil")
			}
			if e.Status != tc.status || e.Msg != tc.msg || e.Field != tc.field {
				t.Errorf("= %d %q field %q; want %d %q field %q", e.Status, e.Msg, e.Field, tc.status, tc.msg, tc.field)
			}
			if got := w.Header().Get("Retry-After") != ""; got != tc.retryAfter {
				t.Errorf("Retry-After set = %v", got)
			}
		})
	}
	if e := httpError(httptest.NewRecorder(), errors.New("disk on fire")); e != nil {
		t.Errorf("unexpected failure mapped to %d", e.Status)
	}
}
