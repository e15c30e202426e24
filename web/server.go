// Package web is Vigil's thin HTTP layer: the JSON API under /api/v1, the
// OpenAPI document, the login pages and the embedded offline web UI. Handlers
// decode a request, call a capability package and encode the answer; they hold
// no domain logic. Each capability's routes live in their own files
// (events_*.go, alerts_*.go, …) and add themselves with addRoutes from init.
package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
)

// Server is the HTTP server's state.
type Server struct {
	DB     *storage.DB
	Log    *slog.Logger
	Secure bool // set the Secure flag on cookies (behind TLS)

	mux *http.ServeMux
}

var routeSets []func(s *Server)

// addRoutes registers a function that adds a capability's routes. Call it
// from init in the capability's route file.
func addRoutes(fn func(s *Server)) { routeSets = append(routeSets, fn) }

// Handler builds the server's routes and returns its root handler.
func (s *Server) Handler() http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	s.mux = http.NewServeMux()
	for _, fn := range routeSets {
		fn(s)
	}
	return s.mux
}

// handlerFunc is an HTTP action that may fail; a returned *Error becomes a
// JSON error with its status, anything else a logged 500.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Error is an error answered to the client as {"error": msg, "field": f}.
type Error struct {
	Status int
	Msg    string
	Field  string
}

func (e *Error) Error() string { return e.Msg }

// badRequest returns a 400 naming a field.
func badRequest(field, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// errorf returns an error with a status.
func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// serveError writes err as JSON. Messages of 5xx errors are not shown to the
// client; they are logged without request bodies (which may hold personal data).
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			e = errorf(http.StatusRequestEntityTooLarge, "request body larger than %d bytes", mbe.Limit)
		} else {
			s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			e = errorf(http.StatusInternalServerError, "internal error")
		}
	}
	body := map[string]string{"error": e.Msg}
	if e.Field != "" {
		body["field"] = e.Field
	}
	writeJSON(w, e.Status, body)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decodeJSON reads a JSON body of at most max bytes into v, rejecting unknown
// fields and trailing data.
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorf(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(http.StatusRequestEntityTooLarge, "request body larger than %d bytes", max)
		}
		return badRequest("", "invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("", "invalid JSON: trailing data after the object")
	}
	return nil
}

// public registers a route that needs no login (health, login page, SMS
// gateway intake that checks its own secret or signature).
func (s *Server) public(pattern string, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// route registers a route that needs a logged-in user with at least role min.
// The user is in the request context (auth.UserFrom). Unsafe methods from a
// browser session must carry the CSRF token.
func (s *Server) route(pattern string, min auth.Role, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(w, r)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		if !u.Role.AtLeast(min) {
			s.serveError(w, r, errorf(http.StatusForbidden, "this needs the %s role", min))
			return
		}
		if err := h(w, r.WithContext(auth.WithUser(r.Context(), u))); err != nil {
			s.serveError(w, r, err)
		}
	})
}
