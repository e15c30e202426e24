package auth

import (
	"context"
	"errors"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Unauthenticated is a request without a valid credential (HTTP 401):
// Msg is its English, Key its message in Refusals ("" for none).
type Unauthenticated struct{ Msg, Key string }

func (e *Unauthenticated) Error() string { return e.Msg }

// Credentials are what a request presents to say who it comes from.
type Credentials struct {
	Authorization string // the Authorization header ("" for none)
	Session       string // the session cookie's value ("" for none)
	// Unsafe says the request changes state: with a session it must carry
	// the session's CSRF token, which CSRF reads (only then).
	Unsafe bool
	CSRF   func() string
}

// Authenticate resolves the caller from an "Authorization: Bearer TOKEN"
// header or else the session cookie, and returns the session's CSRF token
// ("" for a token). No valid credential: *Unauthenticated. A session
// request that changes state without the session's CSRF token: forbidden.
// Bearer requests need no CSRF token: browsers never add the header on
// their own.
func (s *Service) Authenticate(ctx context.Context, c Credentials) (*User, string, error) {
	if c.Authorization != "" {
		u, err := s.Bearer(ctx, c.Authorization)
		return u, "", err
	}
	if c.Session == "" {
		return nil, "", unauthenticated("auth.refusal.login-required")
	}
	u, sess, err := s.Session(ctx, c.Session)
	if errors.Is(err, ErrNoSession) {
		return nil, "", unauthenticated("auth.refusal.session-expired")
	}
	if err != nil {
		return nil, "", err
	}
	if c.Unsafe {
		got := c.CSRF()
		if got == "" {
			return nil, "", apperr.Say(apperr.KindForbidden, "", "auth.refusal.csrf-missing")
		}
		if !CheckCSRF(sess.CSRF, got) {
			return nil, "", apperr.Say(apperr.KindForbidden, "", "auth.refusal.csrf-wrong")
		}
	}
	return u, sess.CSRF, nil
}

// Bearer resolves an "Authorization: Bearer TOKEN" header to the token's
// user; anything else is *Unauthenticated.
func (s *Service) Bearer(ctx context.Context, header string) (*User, error) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return nil, unauthenticated("auth.refusal.bearer-form")
	}
	u, err := s.Token(ctx, strings.TrimSpace(tok))
	if errors.Is(err, ErrNoToken) {
		return nil, unauthenticated("auth.refusal.bad-token")
	}
	return u, err
}

// LoginForm is a post of the login page.
type LoginForm struct {
	Name, Password string
	CSRFCookie     string // the login cookie's token ("" for none)
	CSRF           string // the token the form carries
	IP             string // the client's address (failure counts)
}

// The refusals of a login form besides ErrBadLogin and ErrRateLimited.
var (
	ErrLoginExpired = errors.New("the login form expired")
	ErrLoginMissing = errors.New("user name and password are required")
)

// LoginWithForm logs in from the login page: the form's token must match
// the login cookie's (double-submit, before a session exists) and both
// fields be filled, then Login.
func (s *Service) LoginWithForm(ctx context.Context, f LoginForm) (*NewSession, error) {
	if !CheckCSRF(f.CSRFCookie, f.CSRF) {
		return nil, ErrLoginExpired
	}
	if f.Name == "" || f.Password == "" {
		return nil, ErrLoginMissing
	}
	return s.Login(ctx, f.Name, f.Password, f.IP)
}
