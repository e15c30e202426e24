package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/openrosa"
	"github.com/vigil-project/vigil/surveys"
)

// OpenRosa 1.0 routes for ODK Collect, Enketo, ODK Web Forms and other
// OpenRosa clients. Enumerators authenticate with HTTP Digest (MD5,
// qop=auth; for plain HTTP on a trusted network, users whose password was
// set through the CLI), HTTP Basic (users of package auth; use TLS) or a
// bearer token. Every answer carries
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
	var se *surveys.SubmitError
	var mbe *http.MaxBytesError
	var stale *digestStale
	switch {
	case errors.As(err, &stale):
		status, msg = http.StatusUnauthorized, stale.Error()
	case errors.As(err, &we):
		status, msg = we.Status, we.Msg
	case errors.As(err, &oe):
		status, msg = oe.Status, oe.Msg
	case errors.As(err, &se):
		status, msg = se.Status, se.Error()
	case errors.As(err, &mbe):
		status, msg = http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
	default:
		s.Log.Error("openrosa request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	if status == http.StatusUnauthorized {
		if s.Surveys != nil && s.Surveys.Keys != nil && s.DB != nil {
			w.Header().Add("WWW-Authenticate", s.or.digest.Challenge(openrosa.DigestRealm, stale != nil, time.Now()))
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

// orState is a server's OpenRosa login state.
type orState struct {
	// digest signs this server's Digest nonces with a random secret: after
	// a restart old nonces are answered with stale=true and clients retry
	// with a new one without asking the enumerator again.
	digest *openrosa.Digest
	// limiter counts failed Basic and Digest logins per user name and
	// client address, in the database when there is one (shared by every
	// server on it).
	limiter *auth.Limiter
	// verify checks a password against its argon2id hash
	// (auth.VerifyPassword; tests count its calls).
	verify func(hash, pw string) bool
	// verifyMu: one argon2id verification at a time, so a burst of
	// requests from one enumerator (a phone sending its queue) waits for
	// the first and then hits the cache, instead of each spending 19 MiB
	// and tens of ms.
	verifyMu sync.Mutex

	// The Basic cache remembers recent successful Basic logins so that an
	// enumerator's burst of submissions does not pay argon2id each time.
	// An entry holds only a salted SHA-256 of the password and the stored
	// password hash it was checked against: a changed password or a
	// disabled account takes effect at once.
	cacheMu sync.Mutex
	salt    []byte
	entries map[string]basicEntry
}

type basicEntry struct {
	stored  string
	digest  [32]byte
	expires time.Time
}

const basicCacheTTL = 10 * time.Minute

// initOpenRosaAuth sets up the server's OpenRosa login state (from Handler).
func (s *Server) initOpenRosaAuth() {
	salt := make([]byte, 32)
	_, _ = rand.Read(salt)
	l := auth.NewLimiter(10, 5*time.Minute)
	if s.DB != nil {
		l.Store = s.DB
	}
	if k := s.keyring(); k != nil {
		l.Secret = k.MACKey("openrosa login limit")
	}
	s.or = orState{digest: openrosa.NewDigest(nil), limiter: l, verify: auth.VerifyPassword,
		salt: salt, entries: map[string]basicEntry{}}
}

func (o *orState) passwordDigest(pw string) [32]byte {
	return sha256.Sum256(append(append([]byte{}, o.salt...), pw...))
}

// cached reports whether name's password pw was checked against stored
// within basicCacheTTL.
func (o *orState) cached(name, stored string, d [32]byte, now time.Time) bool {
	o.cacheMu.Lock()
	e, hit := o.entries[name]
	o.cacheMu.Unlock()
	return hit && e.stored == stored && now.Before(e.expires) && subtle.ConstantTimeCompare(e.digest[:], d[:]) == 1
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
		return s.orDigestUser(r, h)
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
	if s.DB == nil {
		return nil, errorf(http.StatusUnauthorized, "invalid user name or password")
	}
	ctx := r.Context()
	now := time.Now()
	key := "or\x00" + name + "\x00" + clientIP(r)
	if ok, err := s.or.limiter.Allow(ctx, key, now); err != nil {
		return nil, err
	} else if !ok {
		return nil, errorf(http.StatusTooManyRequests, "too many failed logins: wait a few minutes")
	}
	acct, err := s.DB.UserByName(ctx, name)
	known := err == nil
	if err != nil && !errors.Is(err, auth.ErrNoUser) {
		return nil, err
	}
	d := s.or.passwordDigest(pw)
	if known && !acct.Disabled && s.or.cached(name, acct.PasswordHash, d, now) {
		return acct.User(), nil
	}
	s.or.verifyMu.Lock()
	defer s.or.verifyMu.Unlock()
	if known && !acct.Disabled && s.or.cached(name, acct.PasswordHash, d, now) {
		return acct.User(), nil
	}
	// An unknown or disabled user costs the same argon2id verification as
	// a wrong password, so the answer's timing does not tell which names
	// exist.
	hash := auth.DummyHash()
	if known && !acct.Disabled {
		hash = acct.PasswordHash
	}
	if !s.or.verify(hash, pw) || !known || acct.Disabled {
		if err := s.or.limiter.Fail(ctx, key, now); err != nil {
			return nil, err
		}
		return nil, errorf(http.StatusUnauthorized, "invalid user name or password")
	}
	if err := s.or.limiter.Reset(ctx, key); err != nil {
		return nil, err
	}
	s.or.cacheMu.Lock()
	if len(s.or.entries) > 10000 {
		clear(s.or.entries)
	}
	s.or.entries[name] = basicEntry{stored: acct.PasswordHash, digest: d, expires: now.Add(basicCacheTTL)}
	s.or.cacheMu.Unlock()
	return acct.User(), nil
}

// baseURL is the server's address as the client sees it.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func formURL(base, formID, rest string) string {
	return base + "/forms/" + url.PathEscape(formID) + "/" + rest
}

func (s *Server) orFormList(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	forms, err := s.Surveys.FormsFor(ctx, u)
	if err != nil {
		return err
	}
	only := r.URL.Query().Get("formID")
	verbose := r.URL.Query().Get("verbose") == "true"
	base := s.baseURL(r)
	var entries []openrosa.FormEntry
	for _, f := range forms {
		if only != "" && f.FormID != only {
			continue
		}
		e := openrosa.FormEntry{FormID: f.FormID, Name: f.Title, Version: f.Version, Hash: f.Hash,
			Description: f.Title, DownloadURL: formURL(base, f.FormID, "form.xml")}
		media, err := s.Surveys.Store.FormMedia(ctx, f.ID)
		if err != nil {
			return err
		}
		if len(media) > 0 {
			e.ManifestURL = formURL(base, f.FormID, "manifest")
		}
		entries = append(entries, e)
	}
	var b bytes.Buffer
	if err := openrosa.WriteFormList(&b, entries, verbose); err != nil {
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

// orForm resolves {formID} to a form the user may fill in.
func (s *Server) orForm(ctx context.Context, u *auth.User, formID string) (surveys.Form, error) {
	f, err := s.Surveys.Store.FormByFormID(ctx, formID)
	if errors.Is(err, surveys.ErrNoForm) {
		return f, errorf(http.StatusNotFound, "form %q does not exist", formID)
	}
	if err != nil {
		return f, err
	}
	ok, err := s.Surveys.MaySubmit(ctx, u, f)
	if err != nil {
		return f, err
	}
	if !ok {
		// same answer as for a missing form: do not reveal form ids
		return f, errorf(http.StatusNotFound, "form %q does not exist", formID)
	}
	return f, nil
}

func (s *Server) orFormXML(w http.ResponseWriter, r *http.Request) error {
	u, err := s.orUser(r)
	if err != nil {
		return err
	}
	f, err := s.orForm(r.Context(), u, r.PathValue("formID"))
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
	f, err := s.orForm(r.Context(), u, r.PathValue("formID"))
	if err != nil {
		return err
	}
	media, err := s.Surveys.Store.FormMedia(r.Context(), f.ID)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	files := make([]openrosa.MediaFile, 0, len(media))
	for _, m := range media {
		files = append(files, openrosa.MediaFile{Filename: m.Name, Hash: m.Hash, DownloadURL: formURL(base, f.FormID, "media/"+url.PathEscape(m.Name))})
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
	f, err := s.orForm(r.Context(), u, r.PathValue("formID"))
	if err != nil {
		return err
	}
	m, err := s.Surveys.Store.FormMediaFile(r.Context(), f.ID, r.PathValue("name"))
	if errors.Is(err, surveys.ErrNoMedia) {
		return errorf(http.StatusNotFound, "form %q has no media file %q", f.FormID, r.PathValue("name"))
	}
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
	xml, parts, err := openrosa.ReadSubmission(r.Header.Get("Content-Type"), r.Body, openrosa.Limits{MaxBytes: maxSubmissionBytes})
	if err != nil {
		return err
	}
	atts := make([]surveys.Attachment, len(parts))
	for i, p := range parts {
		atts[i] = surveys.Attachment{Name: p.Name, ContentType: p.ContentType, Content: p.Content}
	}
	res, err := s.Surveys.Submit(r.Context(), u, xml, atts)
	if err != nil {
		return err
	}
	msg := "Submission received: " + res.InstanceID
	if !res.Created {
		msg = fmt.Sprintf("Submission %s was already received; %d new attachments stored", res.InstanceID, res.Added)
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
