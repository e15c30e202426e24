package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/openrosa"
)

// OpenRosa 1.0 routes for ODK Collect, Enketo, ODK Web Forms and other
// OpenRosa clients. Enumerators authenticate with HTTP Digest (MD5,
// qop=auth; for plain HTTP on a trusted network, users whose password was
// set through the CLI), HTTP Basic (users of package auth; use TLS) or a
// bearer token (openrosa.Login checks the first two). Every answer carries
// X-OpenRosa-Version: 1.0; errors are <OpenRosaResponse> documents with a
// 4xx status and a message that names the field. A message (a refusal, a
// submission received) is in French when the client's Accept-Language
// asks for it (ODK Collect sends the phone's language), else English.

// maxSubmissionBytes is the largest submission request body accepted (and
// announced in X-OpenRosa-Accept-Content-Length).
const maxSubmissionBytes = openrosa.DefaultMaxBytes

// orMethod is an OpenRosa handler for the authenticated user u.
type orMethod = func(s *Server, w http.ResponseWriter, r *http.Request, u *auth.User) error

// openRosa makes a route's handler from an OpenRosa method: the version
// header on every answer, errors as <OpenRosaResponse> documents (never a
// 500 for bad input).
func openRosa(m orMethod) func(*Server) handlerFunc {
	return func(s *Server) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set(openrosa.VersionHeader, openrosa.Version)
			if err := s.orCall(w, r, m); err != nil {
				return s.orError(w, r, err)
			}
			return nil
		}
	}
}

// openRosaPath: path is one of the OpenRosa routes' (their refusals are
// <OpenRosaResponse> documents with the version header).
func openRosaPath(path string) bool {
	return path == "/formList" || path == "/submission" || strings.HasPrefix(path, "/forms/")
}

// orCall runs m for the request's user (orUser), once the path and query
// hold only storable text (requestText).
func (s *Server) orCall(w http.ResponseWriter, r *http.Request, m orMethod) error {
	if err := requestText(r); err != nil {
		return err
	}
	if err := s.formsReady(); err != nil {
		return err
	}
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	return m(s, w, r, u)
}

// orError answers err as an <OpenRosaResponse> document: a stale Digest
// nonce as 401, the rest (openrosa's refusals are apperr errors) as every
// route maps them (httpError); a 401 carries the login challenges.
func (s *Server) orError(w http.ResponseWriter, r *http.Request, err error) error {
	var stale *openrosa.ErrStale
	var e *Error
	switch {
	case errors.As(err, &stale):
		e = sayError(http.StatusUnauthorized, "openrosa.refusal.stale")
	default:
		if e = httpError(w, err); e == nil {
			s.Log.Error("openrosa request failed", "method", r.Method, "route", r.Pattern, "err", err)
			e = sayError(http.StatusInternalServerError, "refusal.http.internal")
		}
	}
	status, msg := e.Status, e.Msg
	if l := pickLang(r, ""); l != "en" && e.Key != "" {
		msg = apperr.Message{Key: e.Key, Args: e.Args}.Text(l)
	}
	if status == http.StatusUnauthorized {
		for _, c := range s.orLogin.Challenges(stale != nil, s.viaTLS(r)) {
			w.Header().Add("WWW-Authenticate", c)
		}
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_ = openrosa.WriteResponse(w, "error", msg)
	}
	return nil
}

// initOpenRosaAuth sets up the server's OpenRosa logins (from Handler):
// Digest needs the users' sealed HA1 and the surveys' keys to open them.
func (s *Server) initOpenRosaAuth() {
	var users auth.Store
	var keys *crypt.Keyring
	if s.Auth != nil {
		users = s.Auth.Store
	}
	if s.Surveys != nil {
		keys = s.Surveys.Keys
	}
	s.orLogin = openrosa.LoginOver(users, keys, s.Log)
}

// viaTLS reports whether r arrived over TLS: on this server's own TLS
// listener, or through a TLS proxy the operator declared (BehindTLSProxy)
// that says so in X-Forwarded-Proto.
func (s *Server) viaTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.BehindTLSProxy {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// orUser authenticates an OpenRosa request: a bearer token, HTTP Digest,
// or HTTP Basic (over TLS only) against the users table. No credentials:
// 401 with the challenges.
func (s *Server) orUser(r *http.Request) (*auth.User, error) {
	return s.orLogin.Authenticate(r.Context(), r, clientIP(r), s.viaTLS(r), func() (*auth.User, error) { return s.authenticate(nil, r) })
}

// baseURL is the server's address as the client sees it.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) orFormList(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	q := r.URL.Query()
	return writeXMLDoc(w)(s.Surveys.FormListDoc(r.Context(), u, s.baseURL(r), q.Get("formID"), q.Get("verbose") == "true"))
}

// writeXMLDoc returns what answers a service call with an XML document.
func writeXMLDoc(w http.ResponseWriter) func(b []byte, err error) error {
	return func(b []byte, err error) error {
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, err = w.Write(b)
		return err
	}
}

func (s *Server) orFormXML(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	f, err := s.Surveys.FormFor(r.Context(), u, r.PathValue("formID"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"md5:`+f.Hash+`"`)
	return writeXMLDoc(w)(f.XML, nil)
}

func (s *Server) orManifest(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	return writeXMLDoc(w)(s.Surveys.ManifestDoc(r.Context(), u, s.baseURL(r), r.PathValue("formID")))
}

func (s *Server) orMedia(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	m, err := s.Surveys.MediaFile(r.Context(), u, r.PathValue("formID"), r.PathValue("name"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", m.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.Content)))
	w.Header().Set("ETag", `"md5:`+m.Hash+`"`)
	_, err = w.Write(m.Content)
	return err
}

func (s *Server) orSubmissionHead(w http.ResponseWriter, r *http.Request, _ *auth.User) error {
	w.Header().Set(openrosa.AcceptContentLengthHeader, strconv.Itoa(maxSubmissionBytes))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) orSubmission(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	if r.ContentLength > maxSubmissionBytes {
		return openrosa.TooLarge(maxSubmissionBytes)
	}
	b, err := s.Surveys.SubmitDoc(r.Context(), u, r.Header.Get("Content-Type"), r.Body, openrosa.Limits{MaxBytes: maxSubmissionBytes}, pickLang(r, ""))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Location", s.baseURL(r)+"/submission")
	w.WriteHeader(http.StatusCreated)
	_, err = w.Write(b)
	return err
}
