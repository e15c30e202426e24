package web

import (
	"bytes"
	"errors"
	"fmt"
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
// 4xx status and a message that names the field.

// maxSubmissionBytes is the largest submission request body accepted (and
// announced in X-OpenRosa-Accept-Content-Length).
const maxSubmissionBytes = openrosa.DefaultMaxBytes

// openrosa wraps an OpenRosa handler: the version header on every answer,
// errors as <OpenRosaResponse> documents (never a 500 for bad input).
func (s *Server) openrosa(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set(openrosa.VersionHeader, openrosa.Version)
		if s.Surveys == nil {
			return s.orError(w, r, errorf(http.StatusServiceUnavailable, "surveys are not configured on this server"))
		}
		if err := h(w, r); err != nil {
			return s.orError(w, r, err)
		}
		return nil
	}
}

func (s *Server) orError(w http.ResponseWriter, r *http.Request, err error) error {
	status, msg := http.StatusInternalServerError, "internal error"
	var we *Error
	var oe *openrosa.Error
	var mbe *http.MaxBytesError
	var stale *openrosa.ErrStale
	ae := apperr.As(err)
	switch {
	case errors.As(err, &stale):
		status, msg = http.StatusUnauthorized, stale.Error()
	case errors.As(err, &we):
		status, msg = we.Status, we.Msg
	case errors.As(err, &oe):
		status, msg = oe.Status, oe.Msg
	case ae != nil && int(ae.Kind) < len(kindStatus):
		status, msg = kindStatus[ae.Kind], ae.Error()
	case errors.As(err, &mbe):
		status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
	default:
		s.Log.Error("openrosa request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	if status == http.StatusUnauthorized {
		if s.orLogin.DigestOffered() {
			w.Header().Add("WWW-Authenticate", s.orLogin.Challenge(stale != nil))
		}
		if s.viaTLS(r) { // Basic sends the password in clear: offered over TLS only
			w.Header().Add("WWW-Authenticate", `Basic realm="`+openrosa.DigestRealm+`", charset="UTF-8"`)
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
	var accounts openrosa.Accounts
	var limits auth.LimitStore
	var keys *crypt.Keyring
	if s.Auth != nil {
		accounts, _ = s.Auth.Store.(openrosa.Accounts)
		limits, _ = s.Auth.Store.(auth.LimitStore)
	}
	if s.Surveys != nil {
		keys = s.Surveys.Keys
	}
	s.orLogin = openrosa.NewLogin(accounts, keys, limits, s.Log)
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
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, errorf(http.StatusUnauthorized, "authentication required")
	}
	scheme, _, _ := strings.Cut(h, " ")
	if strings.EqualFold(scheme, "Bearer") {
		return s.authenticate(nil, r)
	}
	if strings.EqualFold(scheme, "Digest") {
		return s.orLogin.DigestLogin(r.Context(), h, r.Method, r.RequestURI, clientIP(r))
	}
	name, pw, ok := r.BasicAuth()
	if !ok || name == "" {
		return nil, errorf(http.StatusUnauthorized, "Authorization must be Digest, Basic or Bearer")
	}
	if !s.viaTLS(r) {
		// The password would cross the network in clear: refuse it before
		// looking at it (the 401 offers Digest).
		return nil, errorf(http.StatusUnauthorized, "HTTP Basic is accepted only over HTTPS: use Digest authentication, or HTTPS")
	}
	return s.orLogin.Basic(r.Context(), name, pw, clientIP(r))
}

// baseURL is the server's address as the client sees it.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) orFormList(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	entries, err := s.Surveys.FormList(r.Context(), u, s.baseURL(r), r.URL.Query().Get("formID"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := openrosa.WriteFormList(&b, entries, r.URL.Query().Get("verbose") == "true"); err != nil {
		return err
	}
	return writeXMLDoc(w, b.Bytes())
}

func writeXMLDoc(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err := w.Write(b)
	return err
}

func (s *Server) orFormXML(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	f, err := s.Surveys.FormFor(r.Context(), u, r.PathValue("formID"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"md5:`+f.Hash+`"`)
	return writeXMLDoc(w, f.XML)
}

func (s *Server) orManifest(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	files, err := s.Surveys.Manifest(r.Context(), u, s.baseURL(r), r.PathValue("formID"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := openrosa.WriteManifest(&b, files); err != nil {
		return err
	}
	return writeXMLDoc(w, b.Bytes())
}

func (s *Server) orMedia(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
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

func (s *Server) orSubmissionHead(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.orUser(r); err != nil {
		return err
	}
	w.Header().Set(openrosa.AcceptContentLengthHeader, strconv.Itoa(maxSubmissionBytes))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) orSubmission(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	if r.ContentLength > maxSubmissionBytes {
		return errorf(http.StatusRequestEntityTooLarge, "submission larger than %d bytes", maxSubmissionBytes)
	}
	msg, err := s.Surveys.SubmitOpenRosa(r.Context(), u, r.Header.Get("Content-Type"), r.Body, openrosa.Limits{MaxBytes: maxSubmissionBytes})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := openrosa.WriteResponse(&b, "submit_success", msg); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Location", s.baseURL(r)+"/submission")
	w.WriteHeader(http.StatusCreated)
	_, err = w.Write(b.Bytes())
	return err
}
