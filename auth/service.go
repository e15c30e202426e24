package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
)

// Defaults for a Service.
const (
	DefaultSessionTTL = 12 * time.Hour
	DefaultTokenTTL   = 0 // tokens do not expire unless asked
)

// Service implements logins, sessions, tokens and user management on a Store.
type Service struct {
	Store      Store
	SessionTTL time.Duration
	Limiter    *Limiter
	Now        func() time.Time
}

// NewService returns a Service with default settings.
func NewService(st Store) *Service {
	return &Service{Store: st, SessionTTL: DefaultSessionTTL, Limiter: NewLimiter(5, 15*time.Minute), Now: time.Now}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// NewSession is a successful login: the session id goes in the cookie (it is
// not stored), the CSRF token in the page or the JS app.
type NewSession struct {
	ID      string
	CSRF    string
	Expires time.Time
	User    *User
}

// Login checks a user's password and opens a session. Failed attempts are
// counted per user name and client address (ip) and audited; after too many,
// Login returns ErrRateLimited until the window passes, even for the right
// password. It returns ErrBadLogin for an unknown user, a wrong password or a
// disabled user alike.
func (s *Service) Login(ctx context.Context, name, password, ip string) (*NewSession, error) {
	now := s.now()
	key := strings.ToLower(name) + "\x00" + ip
	if s.Limiter != nil && !s.Limiter.Allow(key, now) {
		_ = s.Store.Record(ctx, audit.Entry{Actor: "anonymous", Action: "login.fail", Object: objectIfValid(name), Detail: "rate limited"})
		return nil, ErrRateLimited
	}
	fail := func(detail string) (*NewSession, error) {
		if s.Limiter != nil {
			s.Limiter.Fail(key, now)
		}
		if err := s.Store.Record(ctx, audit.Entry{Actor: "anonymous", Action: "login.fail", Object: objectIfValid(name), Detail: detail}); err != nil {
			return nil, err
		}
		return nil, ErrBadLogin
	}
	acc, err := s.Store.UserByName(ctx, name)
	if errors.Is(err, ErrNoUser) || ValidateName(name) != nil {
		VerifyPassword(dummyHash, password) // same time as a wrong password
		return fail("unknown user")
	}
	if err != nil {
		return nil, err
	}
	if !VerifyPassword(acc.PasswordHash, password) {
		return fail("wrong password")
	}
	if acc.Disabled {
		return fail("user disabled")
	}
	if s.Limiter != nil {
		s.Limiter.Reset(key)
	}
	id := newSecret()
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	sess := Session{IDHash: HashSecret(id), UserID: acc.ID, CSRF: NewCSRFToken(), Created: now, Expires: now.Add(ttl)}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return &NewSession{ID: id, CSRF: sess.CSRF, Expires: sess.Expires, User: acc.User()}, nil
}

// objectIfValid names the user as an audit object only if the name is a
// valid user name (a password typed into the name field is not logged).
func objectIfValid(name string) string {
	if ValidateName(name) != nil {
		return ""
	}
	return "user:" + name
}

// Session resolves a session id (from the cookie) to its user and CSRF token.
func (s *Service) Session(ctx context.Context, id string) (*User, Session, error) {
	if id == "" || len(id) > 128 {
		return nil, Session{}, ErrNoSession
	}
	sess, acc, err := s.Store.SessionByHash(ctx, HashSecret(id), s.now())
	if err != nil {
		return nil, Session{}, err
	}
	return acc.User(), sess, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, id string) error {
	if id == "" || len(id) > 128 {
		return nil
	}
	return s.Store.DeleteSession(ctx, HashSecret(id))
}

// Token resolves an API token to its user.
func (s *Service) Token(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 128 {
		return nil, ErrNoToken
	}
	_, acc, err := s.Store.TokenByHash(ctx, HashSecret(token), s.now())
	if err != nil {
		return nil, err
	}
	return acc.User(), nil
}

// CreateUser validates and stores a new user with a hashed password.
func (s *Service) CreateUser(ctx context.Context, actor, name string, role Role, password string) (Account, error) {
	if err := ValidateName(name); err != nil {
		return Account{}, &FieldError{"name", err.Error()}
	}
	if _, err := ParseRole(string(role)); err != nil {
		return Account{}, &FieldError{"role", err.Error()}
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return Account{}, &FieldError{"password", err.Error()}
	}
	h, err := HashPassword(password)
	if err != nil {
		return Account{}, err
	}
	return s.Store.CreateUser(ctx, actor, Account{Name: name, Role: role, PasswordHash: h})
}

// Change is a change to a user; nil fields are unchanged.
type Change struct {
	Role     *Role
	Disabled *bool
	Password *string
}

// UpdateUser validates and applies a change.
func (s *Service) UpdateUser(ctx context.Context, actor, name string, c Change) (Account, error) {
	var ch AccountChange
	if c.Role != nil {
		if _, err := ParseRole(string(*c.Role)); err != nil {
			return Account{}, &FieldError{"role", err.Error()}
		}
		ch.Role = c.Role
	}
	ch.Disabled = c.Disabled
	if c.Password != nil {
		if err := CheckPasswordPolicy(*c.Password); err != nil {
			return Account{}, &FieldError{"password", err.Error()}
		}
		h, err := HashPassword(*c.Password)
		if err != nil {
			return Account{}, err
		}
		ch.PasswordHash = &h
	}
	return s.Store.UpdateUser(ctx, actor, name, ch)
}

// MaxTokenName is the longest token name.
const MaxTokenName = 100

// CreateToken makes a new API token for user name, named tokenName, valid for
// ttl (0: no expiry). The token itself is returned once and never stored.
func (s *Service) CreateToken(ctx context.Context, actor, name, tokenName string, ttl time.Duration) (string, Token, error) {
	if len(tokenName) > MaxTokenName {
		return "", Token{}, &FieldError{"name", fmt.Sprintf("token name is longer than %d bytes", MaxTokenName)}
	}
	if ttl < 0 {
		return "", Token{}, &FieldError{"ttl", "cannot be negative"}
	}
	acc, err := s.Store.UserByName(ctx, name)
	if err != nil {
		return "", Token{}, err
	}
	if acc.Disabled {
		return "", Token{}, &FieldError{"user", "user " + name + " is disabled"}
	}
	now := s.now()
	tok := TokenPrefix + newSecret()
	t := Token{UserID: acc.ID, Name: tokenName, Hash: HashSecret(tok), Created: now}
	if ttl > 0 {
		t.Expires = now.Add(ttl)
	}
	id, err := s.Store.CreateToken(ctx, actor, t)
	if err != nil {
		return "", Token{}, err
	}
	t.ID = id
	return tok, t, nil
}

// FieldError is a validation error naming the offending field.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// RevokeToken revokes token id. Its owner may revoke it, and so may an admin;
// anyone else gets ErrNoToken (as if it did not exist).
func (s *Service) RevokeToken(ctx context.Context, by *User, id int64) error {
	t, err := s.Store.TokenByID(ctx, id)
	if err != nil {
		return err
	}
	if t.UserID != by.ID && !by.Role.AtLeast(Admin) {
		return ErrNoToken
	}
	return s.Store.RevokeToken(ctx, by.Name, id)
}
