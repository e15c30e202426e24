// Package web is Vigil's thin HTTP layer: the JSON API under /api/v1, the
// OpenAPI document, the login pages and the embedded offline web UI. Handlers
// decode a request, call a capability package and encode the answer; they hold
// no domain logic. Every route — pattern, minimum role, handler — is a row
// of the one table in routes.go; Handler builds the mux from it.
package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/feed"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/query"
	"github.com/vigil-project/vigil/internal/textcheck"
	"github.com/vigil-project/vigil/openrosa"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/radio"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/web/ui"
)

// Backend is everything the services of a Server need of one database,
// as the capability packages define it (implemented by *storage.DB).
type Backend interface {
	auth.Store
	audit.Log
	coverage.ServiceStore
	forecast.Store
	demo.StateStore
	geotext.ImportStore
	HealthChecker
}

// Server is the HTTP server's state.
type Server struct {
	// DB is the database the server runs on (vigil serve and the tests
	// pass *storage.DB): each service or interface below left nil is built
	// over it.
	DB     Backend
	Log    *slog.Logger
	Secure bool // set the Secure flag on cookies (behind TLS)

	// Auth handles logins, sessions and tokens; NewService(DB) when nil.
	Auth *auth.Service
	// Audit appends to and reads the audit log; DB when nil.
	Audit audit.Log
	// Events is the events store; DB when nil.
	Events events.Store
	// Surveys handles survey forms and OpenRosa submissions; the OpenRosa
	// routes answer 503 when it is nil (it needs the data dir's key).
	Surveys *surveys.Service
	// Alerts is the community alert network; its routes answer 503 when it
	// is nil (it needs the data dir's key).
	Alerts *alerts.Service
	// Coverage prepares and caches the coverage inputs (deployments,
	// incidents, population, seasons, the analysis grid); a service over DB
	// with a grid derived from the data when nil.
	Coverage *coverage.Service
	// Risk serves the stored forecasts (risk layer, explanations, backtest
	// plot); a service over DB when nil.
	Risk *risk.Service
	// Demo says what in the store is demo material (GET /api/v1/demo); a
	// status over DB when nil.
	Demo *demo.Status
	// Health says whether the store can serve (GET /healthz); DB when nil.
	Health HealthChecker
	// Feed serves the map's events (pages, clusters, cells); a feed over
	// Events when nil.
	Feed *feed.Service
	// Performance computes indicators and keeps results frameworks and
	// compacts; its routes answer 503 when it is nil.
	Performance *performance.Service
	// Contacts keeps community contacts and sends broadcasts; its routes
	// answer 503 when it is nil (it needs the data dir's key).
	Contacts *contacts.Service
	// Integrity is information integrity (items, narratives, lexicon); its
	// routes answer 503 when it is nil (it needs the data dir's key).
	Integrity *integrity.Service
	// Radio writes radio scripts of fact-checks and broadcasts (nil: 503).
	Radio *radio.Service
	// PlaceArea ranks ambiguous place names by nearness to the mission
	// (nil: none); see LoadPlaces.
	PlaceArea *geotext.Area
	// Forecasts refreshes the stored forecasts (nil: no refresh from the
	// UI); web/risk_refresh_api.go.
	Forecasts ForecastRefresher

	// BehindTLSProxy says the server sits behind a proxy that terminates
	// TLS: a request with X-Forwarded-Proto: https then counts as having
	// arrived over TLS (OpenRosa accepts HTTP Basic only over TLS). The
	// header is ignored otherwise. vigil serve --behind-tls-proxy.
	BehindTLSProxy bool

	// PageEvery, when its fields are set, is how often the app page asks
	// the server again (ui.Intervals, milliseconds): GET /healthz while the
	// server cannot be reached, and the Alerts pages' polls while the live
	// stream is refused. Zero keeps the page's own, 10 s and 5 s, as vigil
	// serve does; the browser tests shorten them, which nothing else waits on.
	PageEvery ui.Intervals

	// Places is the gazetteer index (search, point labels, imports); built
	// over DB with the shipped gazetteer when nil (web/places_api.go).
	Places   *geotext.Index
	placesMu sync.Mutex
	mux      *http.ServeMux
	patterns []string // every registered pattern, in order

	orLogin *openrosa.Login // OpenRosa Digest and Basic logins (openrosa_routes.go)
}

// Handler builds the server's per-server state and its routes (the table in
// routes.go) and returns its root handler.
func (s *Server) Handler() http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Auth == nil && s.DB != nil {
		s.Auth = auth.NewService(s.DB)
	}
	if s.Audit == nil && s.DB != nil {
		s.Audit = s.DB
	}
	if s.Events == nil && s.DB != nil {
		s.Events = s.DB
	}
	if k := s.keyring(); k != nil && s.Auth != nil {
		// Failed-login counts and the audit's hashes of unknown names
		// are keyed alike on every server sharing the keyring.
		s.Auth.UseSecret(k.MACKey("auth"))
	}
	if s.Auth != nil && s.Auth.SealDigest == nil {
		s.Auth.SealDigest = s.sealDigest() // auth_api.go
	}
	if s.Auth != nil && s.Integrity != nil && s.Integrity.Assignable == nil {
		s.Integrity.Assignable = s.Auth.Verifiers // a check is given to one of « Confié à » (auth_api.go integrityAssignees)
	}
	s.initOpenRosaAuth()
	if openAPIErr != nil {
		s.Log.Error("OpenAPI document: fragments not merged", "err", openAPIErr)
	}
	if _, err := embeddedUI(); err != nil {
		// The embedded files are part of the build; a broken dictionary
		// is a programming error caught by TestUIAssets.
		s.Log.Error("web ui disabled", "err", err)
	}
	s.initServices() // web/services.go
	s.mux = http.NewServeMux()
	s.patterns = nil
	for _, rt := range routes {
		h := rt.handler(s)
		switch {
		case h == nil:
		case rt.min == public:
			s.public(rt.pattern, h)
		default:
			s.route(rt.pattern, rt.min, h)
		}
	}
	return s.middleware(gzipAPI(s.jsonMisses(s.mux)))
}

// Patterns returns every route pattern registered by Handler, in order.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

// securityHeaders are set on every answer; handlers may override them.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
		"connect-src 'self'; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "same-origin",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// statusWriter records the status and size of an answer for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware sets the security headers, refuses a path or query that no
// stored text can match (requestText), turns panics into logged 500s and
// logs each request by its route pattern — never its path or query string,
// which may hold names or other personal data.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		if s.Secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Log.Error("panic serving request", "method", r.Method, "route", r.Pattern, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeJSON(sw, http.StatusInternalServerError, map[string]string{"error": "internal error"})
				}
			}
			route := r.Pattern
			if route == "" {
				route = "(no route)"
			}
			s.Log.Info("request", "method", r.Method, "route", route, "status", sw.status, "bytes", sw.bytes,
				"ms", float64(time.Since(start).Microseconds())/1000)
		}()
		if !openRosaPath(r.URL.Path) { // OpenRosa's routes check in their own shape (orCall)
			if err := requestText(r); err != nil {
				s.serveError(sw, r, err)
				return
			}
		}
		next.ServeHTTP(sw, r)
	})
}

// handlerFunc is an HTTP action that may fail; a returned *Error becomes a
// JSON error with its status, anything else a logged 500.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Error is an error answered to the client as {"error": msg, "field": f}.
type Error struct {
	Status int
	Msg    string
	Field  string
	// Key and Args: the message as a catalog key with its arguments
	// (apperr.Error's), answered beside it for the UI to translate.
	Key  string
	Args map[string]string
	// cause is what decodeJSON's decoder said (a handler may name it in
	// its capability's catalog: perfJSON).
	cause error
}

func (e *Error) Error() string { return e.Msg }

// badRequest returns a 400 naming a field.
func badRequest(field, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// sayError returns an error of status whose message is the catalog's key
// with a: its English, and the key and arguments answered beside it.
func sayError(status int, key string, a ...any) *Error {
	m := apperr.MustMsg(key, a...)
	return &Error{Status: status, Msg: m.Text("en"), Key: m.Key, Args: m.Args}
}

// sayFieldError is sayError naming field.
func sayFieldError(status int, field, key string, a ...any) *Error {
	e := sayError(status, key, a...)
	e.Field = field
	return e
}

// tooLarge is the answer to a request body over max bytes.
func tooLarge(max int64) *Error {
	return sayError(http.StatusRequestEntityTooLarge, "refusal.http.too-large", max)
}

// errorf returns an error with a status.
func errorf(status int, format string, args ...any) *Error {
	return &Error{Status: status, Msg: fmt.Sprintf(format, args...)}
}

// kindStatus is the one place an apperr kind becomes an HTTP status.
var kindStatus = [...]int{
	apperr.KindInvalid:         http.StatusBadRequest,
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindConflict:        http.StatusConflict,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindUnavailable:     http.StatusServiceUnavailable,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.KindUnsupported:     http.StatusUnsupportedMediaType,
	apperr.KindUnprocessable:   http.StatusUnprocessableEntity,
	apperr.KindTooMany:         http.StatusTooManyRequests,
}

// httpError is the error answered to the client for err: an *Error as it
// is; an apperr error with its kind's status, its text and field (a 503
// also sets Retry-After); a body over its limit 413; nil for anything else
// (an unexpected failure).
func httpError(w http.ResponseWriter, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if ae := apperr.As(err); ae != nil && int(ae.Kind) < len(kindStatus) {
		if ae.Kind == apperr.KindUnavailable && w.Header().Get("Retry-After") == "" { // a handler may know better
			w.Header().Set("Retry-After", retryAfter)
		}
		e := &Error{Status: kindStatus[ae.Kind], Field: ae.Field, Msg: ae.Error(), Key: ae.Key, Args: ae.Args}
		if _, ok := ae.Said(); !ok && apperr.Known(ae.Key) {
			e.Key, e.Args = "", nil // a registered message that no longer says the text (a place added since)
		}
		return e
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	return nil
}

// serveError writes err as JSON (see httpError). Messages of 5xx errors are
// not shown to the client; they are logged without request bodies (which may
// hold personal data).
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	e := httpError(w, err)
	if e == nil {
		s.Log.Error("request failed", "method", r.Method, "route", r.Pattern, "err", err)
		e = errorf(http.StatusInternalServerError, "internal error")
	}
	body := map[string]any{"error": e.Msg}
	if e.Field != "" {
		body["field"] = e.Field
	}
	if e.Key != "" {
		body["key"], body["args"] = e.Key, e.Args
	}
	writeJSON(w, e.Status, body)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	writeJSONKeepType(w, status, v)
}

// writeJSONKeepType writes v as JSON with status and the Content-Type the
// caller already set (e.g. application/geo+json).
func writeJSONKeepType(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decodeJSON reads a JSON body of at most max bytes into v, rejecting unknown
// fields, trailing data and a text holding a NUL character (jsonNUL). What
// it reads is kept only for a type with a date-time field, whose refusal
// names the field found again in it (apperr.JSONReadKept); any other body
// is only watched for a NUL as it goes by (nulWatch), and a NUL found is
// then located in v (nulIn).
func decodeJSON(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return sayError(http.StatusUnsupportedMediaType, "refusal.http.want-json")
	}
	body := http.MaxBytesReader(w, r.Body, max)
	var read *bytes.Buffer
	var nul *nulWatch
	var dec *json.Decoder
	if apperr.JSONReadKept(v) {
		read = new(bytes.Buffer)
		dec = json.NewDecoder(io.TeeReader(body, read))
	} else {
		nul = &nulWatch{r: body}
		dec = json.NewDecoder(nul)
	}
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(max)
		}
		var data []byte
		if read != nil {
			data = read.Bytes()
		}
		e := sayError(http.StatusBadRequest, "refusal.http.invalid-json", apperr.JSONDecodeReason(data, v, err))
		e.cause = err
		// A value of the wrong type names its field by its JSON path
		// (disclosure.k), as a page marks the input it came from.
		if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
			e.Field = te.Field
		}
		return e
	}
	if _, err := dec.Token(); err != io.EOF {
		return sayError(http.StatusBadRequest, "refusal.http.trailing-json")
	}
	if read != nil {
		if path, text, ok := jsonNUL(read.Bytes()); ok {
			return apperr.FieldErr(apperr.KindInvalid, path, textcheck.Text(text))
		}
	} else if nul.found {
		return nulIn(v)
	}
	return nil
}

// public registers a route that needs no login (health, login page, SMS
// gateway intake that checks its own secret or signature).
func (s *Server) public(pattern string, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// route registers a route that needs a logged-in user with at least role min.
// The user is in the request context (auth.UserFrom). Unsafe methods from a
// browser session must carry the CSRF token. A browser asking for a page
// (not /api/) without a session is redirected to the login page.
func (s *Server) route(pattern string, min auth.Role, h handlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		u, csrf, err := s.resolve(r)
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Status == http.StatusUnauthorized && wantsPage(r) {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.serveError(w, r, err)
			return
		}
		if !u.Role.AtLeast(min) {
			s.serveError(w, r, sayError(http.StatusForbidden, "refusal.http.role", auth.RoleWord(min)))
			return
		}
		ctx := auth.WithUser(r.Context(), u)
		if csrf != "" {
			ctx = withCSRF(ctx, csrf)
		}
		if err := h(w, r.WithContext(ctx)); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// jsonMisses answers requests that match no route in the API's JSON error
// shape — 404 {"error": …} for an unknown path, 405 with the Allow header
// for a known path and another method — instead of net/http's plain text.
// A browser asking for a page (GET with Accept: text/html, outside /api/)
// still gets net/http's short text answer.
func (s *Server) jsonMisses(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" || wantsPage(r) {
			mux.ServeHTTP(w, r)
			return
		}
		// Let the mux decide (404, 405 or a redirect to the clean path)
		// into a recorder, then answer its decision.
		rec := &missRecorder{h: http.Header{}}
		mux.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusNotFound:
			s.serveError(w, r, sayError(http.StatusNotFound, "refusal.http.no-route", r.Method, r.URL.Path))
		case http.StatusMethodNotAllowed:
			allow := rec.h.Get("Allow")
			w.Header().Set("Allow", allow)
			s.serveError(w, r, sayError(http.StatusMethodNotAllowed, "refusal.http.method", r.Method, r.URL.Path, allow))
		default:
			for k, v := range rec.h {
				w.Header()[k] = v
			}
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body)
		}
	})
}

// missRecorder records what the mux answers to a request no route matched.
type missRecorder struct {
	h      http.Header
	status int
	body   []byte
}

func (m *missRecorder) Header() http.Header { return m.h }
func (m *missRecorder) WriteHeader(code int) {
	if m.status == 0 {
		m.status = code
	}
}
func (m *missRecorder) Write(b []byte) (int, error) {
	if m.status == 0 {
		m.status = http.StatusOK
	}
	m.body = append(m.body, b...)
	return len(b), nil
}

// pathInt reads the path value name as a positive integer (an id), or
// answers 400 naming it.
func pathInt(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, query.NotPositive(name, r.PathValue(name))
	}
	return v, nil
}
