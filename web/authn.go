package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/vigil-project/vigil/auth"
)

// Cookie names. The session cookie holds the session id (only its hash is
// stored); the login cookie holds the login form's CSRF token before a
// session exists (double-submit).
const (
	sessionCookie    = "vigil_session"
	loginCSRFCookie  = "vigil_login_csrf"
	langCookie       = "vigil_lang"      // the login page's chosen language, read once by the app
	langPrefCookie   = "vigil_lang_pref" // the app's chosen language, for the login page (web/ui/core/vigil.js keepLang)
	csrfHeader       = "X-CSRF-Token"
	csrfFormField    = "csrf"
	maxFormBodyBytes = 64 << 10
)

// authenticate resolves the caller from the "Authorization: Bearer TOKEN"
// header or the session cookie. It answers a 401 *Error when there is no
// valid credential and a 403 when a cookie-authenticated request with an
// unsafe method lacks the session's CSRF token (header X-CSRF-Token, or form
// field "csrf"). Bearer requests need no CSRF token: browsers never add the
// header on their own. It writes nothing to w.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*auth.User, error) {
	u, _, err := s.resolve(r)
	return u, err
}

// resolve is authenticate that also returns the session's CSRF token (""
// for bearer tokens).
func (s *Server) resolve(r *http.Request) (*auth.User, string, error) {
	if s.Auth == nil {
		return nil, "", sayError(http.StatusUnauthorized, "auth.refusal.login-required")
	}
	c := auth.Credentials{Authorization: r.Header.Get("Authorization"), Unsafe: !safeMethod(r.Method), CSRF: func() string {
		if got := r.Header.Get(csrfHeader); got != "" {
			return got
		}
		return formCSRF(r)
	}}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		c.Session = ck.Value
	}
	u, csrf, err := s.Auth.Authenticate(r.Context(), c)
	return u, csrf, unauthenticated(err)
}

// unauthenticated turns auth's refusal of a credential into a 401.
func unauthenticated(err error) error {
	var ua *auth.Unauthenticated
	if errors.As(err, &ua) && ua.Key != "" {
		return sayError(http.StatusUnauthorized, ua.Key)
	}
	if errors.As(err, &ua) {
		return errorf(http.StatusUnauthorized, "%s", ua.Msg)
	}
	return err
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// formCSRF reads the "csrf" field of an HTML form post. A URL-encoded body
// is limited to 64 KiB; a multipart body is parsed as the handler would
// (files beyond 8 MiB go to temporary files) and stays available to it in
// r.MultipartForm.
func formCSRF(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		r.Body = http.MaxBytesReader(nil, r.Body, maxFormBodyBytes)
		if r.ParseForm() != nil {
			return ""
		}
		return r.PostForm.Get(csrfFormField)
	case strings.HasPrefix(ct, "multipart/form-data"):
		if r.ParseMultipartForm(8<<20) != nil || r.MultipartForm == nil {
			return ""
		}
		if v := r.MultipartForm.Value[csrfFormField]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// wantsPage reports whether r is a browser asking for a page (which gets a
// redirect to /login rather than a JSON 401).
func wantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

type csrfKey struct{}

func withCSRF(ctx context.Context, tok string) context.Context {
	return context.WithValue(ctx, csrfKey{}, tok)
}

// csrfFrom returns the session's CSRF token for forms rendered by a handler
// behind s.route (empty for bearer-token requests).
func csrfFrom(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

// setSessionCookie sets the session cookie: HttpOnly, SameSite=Lax, Secure
// when the server runs behind TLS (or the request came over TLS).
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, id string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true,
		Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true,
		Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// clientIP is the connection's address (for login rate limiting only; it is
// neither stored nor logged). Forwarding headers are not trusted.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
