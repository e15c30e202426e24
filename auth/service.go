package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
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
	// SealDigest, when set, seals the HTTP Digest credential (HA1) of a
	// password this service sets (openrosa.SealHA1 with the server's
	// keys), so that ODK Collect can log in with Digest on plain HTTP. It
	// runs before anything is written: when it fails, the user and the
	// password stay as they were; the sealed HA1 is stored with the user
	// in the same transaction (Account.DigestHA1, AccountChange.DigestHA1).
	// nil: no HA1 is kept (a password change drops the old one).
	SealDigest func(name, password string) ([]byte, error)

	names *nameKey // keys NameHash; see UseSecret
}

type nameKey struct {
	mu  sync.Mutex
	key []byte
}

// processNameKey keys NameHash for a Service that was given no secret.
var processNameKey = func() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return deriveKey(b, "audit name")
}()

// NewService returns a Service with default settings. When st also keeps
// failed-login counts (a LimitStore, as *storage.DB does), the login limit
// is kept there, shared by every server on the database.
func NewService(st Store) *Service {
	l := NewLimiter(5, 15*time.Minute)
	if ls, ok := st.(LimitStore); ok {
		l.Store = ls
	}
	return &Service{Store: st, SessionTTL: DefaultSessionTTL, Limiter: l, Now: time.Now}
}

// UseSecret sets the server key under which names typed at a failed login
// are hashed, for the audit log (NameHash) and the login limit. Servers
// sharing a database need the same secret (vigil serve derives it from the
// keyring); without one a random per-process secret is used.
func (s *Service) UseSecret(secret []byte) {
	if s.names == nil {
		s.names = &nameKey{}
	}
	s.names.mu.Lock()
	s.names.key = deriveKey(secret, "audit name")
	s.names.mu.Unlock()
	if s.Limiter != nil {
		s.Limiter.mu.Lock()
		s.Limiter.Secret = deriveKey(secret, "login limit")
		s.Limiter.mu.Unlock()
	}
}

func deriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("vigil auth\x00" + purpose))
	return m.Sum(nil)
}

// NameHash is the keyed hash by which the audit log names a user name that
// matches no user: 16 hex digits, the same for the same name (in any case)
// under the same secret, and useless without it. People type their password
// into the name field; it must never be logged as typed.
func (s *Service) NameHash(name string) string {
	key := processNameKey
	if s.names != nil {
		s.names.mu.Lock()
		if s.names.key != nil {
			key = s.names.key
		}
		s.names.mu.Unlock()
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToLower(name)))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// loginObject is how the audit log names the user a failed login named: by
// name when such a user exists, else by NameHash.
func (s *Service) loginObject(ctx context.Context, name string) (object, detail string) {
	if ValidateName(name) == nil {
		if _, err := s.Store.UserByName(ctx, name); err == nil {
			return "user:" + name, ""
		}
	}
	return "", "unknown user (name hash " + s.NameHash(name) + ")"
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
	key := "web\x00" + strings.ToLower(name) + "\x00" + ip
	if s.Limiter != nil {
		ok, err := s.Limiter.Allow(ctx, key, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			obj, detail := s.loginObject(ctx, name)
			if detail != "" {
				detail += ", "
			}
			_ = s.Store.Record(ctx, audit.Entry{Actor: "anonymous", Action: "login.fail", Object: obj, Detail: detail + "rate limited"})
			return nil, ErrRateLimited
		}
	}
	fail := func(object, detail string) (*NewSession, error) {
		if s.Limiter != nil {
			if err := s.Limiter.Fail(ctx, key, now); err != nil {
				return nil, err
			}
		}
		if err := s.Store.Record(ctx, audit.Entry{Actor: "anonymous", Action: "login.fail", Object: object, Detail: detail}); err != nil {
			return nil, err
		}
		return nil, ErrBadLogin
	}
	acc, err := s.Store.UserByName(ctx, name)
	if errors.Is(err, ErrNoUser) || ValidateName(name) != nil {
		VerifyPassword(dummyHash(), password) // same time as a wrong password
		return fail("", "unknown user (name hash "+s.NameHash(name)+")")
	}
	if err != nil {
		return nil, err
	}
	if !VerifyPassword(acc.PasswordHash, password) {
		return fail("user:"+acc.Name, "wrong password")
	}
	if acc.Disabled {
		return fail("user:"+acc.Name, "user disabled")
	}
	if s.Limiter != nil {
		if err := s.Limiter.Reset(ctx, key); err != nil {
			return nil, err
		}
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
		return Account{}, apperr.FieldErr(apperr.KindInvalid, "name", err)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return Account{}, apperr.FieldErr(apperr.KindInvalid, "role", err)
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return Account{}, apperr.FieldErr(apperr.KindInvalid, "password", err)
	}
	ha1, err := s.sealDigest(name, password)
	if err != nil {
		return Account{}, err
	}
	h, err := HashPassword(password)
	if err != nil {
		return Account{}, err
	}
	return s.Store.CreateUser(ctx, actor, Account{Name: name, Role: role, PasswordHash: h, DigestHA1: ha1})
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
			return Account{}, apperr.FieldErr(apperr.KindInvalid, "role", err)
		}
		ch.Role = c.Role
	}
	ch.Disabled = c.Disabled
	if c.Password != nil {
		if err := CheckPasswordPolicy(*c.Password); err != nil {
			return Account{}, apperr.FieldErr(apperr.KindInvalid, "password", err)
		}
		ha1, err := s.sealDigest(name, *c.Password)
		if err != nil {
			return Account{}, err
		}
		h, err := HashPassword(*c.Password)
		if err != nil {
			return Account{}, err
		}
		ch.PasswordHash, ch.DigestHA1 = &h, ha1
	}
	return s.Store.UpdateUser(ctx, actor, name, ch)
}

// sealDigest is the sealed Digest HA1 of user name's new password (nil
// when the service keeps none: SealDigest unset).
func (s *Service) sealDigest(name, password string) ([]byte, error) {
	if s.SealDigest == nil {
		return nil, nil
	}
	b, err := s.SealDigest(name, password)
	if err != nil {
		return nil, fmt.Errorf("digest credential of %s: %w", name, err)
	}
	return b, nil
}

// MaxTokenName is the longest token name.
const MaxTokenName = 100

// CreateToken makes a new API token for user name, named tokenName, valid for
// ttl (0: no expiry). The token itself is returned once and never stored.
func (s *Service) CreateToken(ctx context.Context, actor, name, tokenName string, ttl time.Duration) (string, Token, error) {
	if len(tokenName) > MaxTokenName {
		return "", Token{}, apperr.Fieldf(apperr.KindInvalid, "name", "token name is longer than %d bytes", MaxTokenName)
	}
	if err := textcheck.Name(tokenName); err != nil {
		return "", Token{}, apperr.Fieldf(apperr.KindInvalid, "name", "token name %v", err)
	}
	if ttl < 0 {
		return "", Token{}, apperr.Invalid("ttl", "cannot be negative")
	}
	acc, err := s.Store.UserByName(ctx, name)
	if err != nil {
		return "", Token{}, err
	}
	if acc.Disabled {
		return "", Token{}, apperr.Fieldf(apperr.KindInvalid, "user", "user %s is disabled", name)
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
