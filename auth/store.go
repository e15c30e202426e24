package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Account is a stored user.
type Account struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	Disabled     bool      `json:"disabled"`
	PasswordHash string    `json:"-"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`

	// DigestHA1 is the sealed HTTP Digest HA1 stored with a new user (nil:
	// none); CreateUser takes it, reads leave it empty.
	DigestHA1 []byte `json:"-"`
}

// User returns the principal for the account.
func (a Account) User() *User { return &User{ID: a.ID, Name: a.Name, Role: a.Role} }

// AccountChange is a change to a stored user; nil fields are unchanged.
type AccountChange struct {
	Role         *Role
	Disabled     *bool
	PasswordHash *string
	// DigestHA1 is the new password's sealed HTTP Digest HA1, stored with
	// PasswordHash in the same transaction (nil: the user keeps none).
	DigestHA1 []byte
}

// Session is a stored login session. Only the hash of its id is stored.
type Session struct {
	IDHash  []byte
	UserID  int64
	CSRF    string
	Created time.Time
	Expires time.Time
}

// Token is a stored API token. Only the hash of the token is stored.
type Token struct {
	ID      int64     `json:"id"`
	UserID  int64     `json:"-"`
	Name    string    `json:"name"`
	Hash    []byte    `json:"-"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"` // zero: never
}

// Store is the persistence auth needs (implemented by *storage.DB). Every
// change writes its audit entry, with actor as the one who made it, in the
// same transaction.
type Store interface {
	// CreateUser stores a new user (audit "user.create") with its sealed
	// Digest HA1 when it has one (audit "user.digest"), in one transaction;
	// ErrUserExists if the name is taken.
	CreateUser(ctx context.Context, actor string, a Account) (Account, error)
	// UserByName returns a user; ErrNoUser if there is none.
	UserByName(ctx context.Context, name string) (Account, error)
	// Users lists all users by name.
	Users(ctx context.Context) ([]Account, error)
	// UpdateUser applies ch (audit "user.update"; disabling a user or
	// changing the password also ends the user's sessions; a new password
	// replaces the Digest HA1 with ch.DigestHA1, audited "user.digest" when
	// there is one), in one transaction.
	UpdateUser(ctx context.Context, actor, name string, ch AccountChange) (Account, error)
	// CreateSession stores a session (audit "login.ok" by the user).
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns an unexpired session of an enabled user at now;
	// ErrNoSession otherwise.
	SessionByHash(ctx context.Context, hash []byte, now time.Time) (Session, Account, error)
	// DeleteSession removes a session (audit "logout" when it existed).
	DeleteSession(ctx context.Context, hash []byte) error
	// CreateToken stores an API token (audit "token.create") and returns its id.
	CreateToken(ctx context.Context, actor string, t Token) (int64, error)
	// TokenByHash returns an unexpired token of an enabled user at now;
	// ErrNoToken otherwise.
	TokenByHash(ctx context.Context, hash []byte, now time.Time) (Token, Account, error)
	// Tokens lists a user's tokens (without hashes).
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	// TokenByID returns a token (without its hash); ErrNoToken if none.
	TokenByID(ctx context.Context, id int64) (Token, error)
	// RevokeToken deletes a token (audit "token.revoke"); ErrNoToken if none.
	RevokeToken(ctx context.Context, actor string, id int64) error
	// Record appends an audit entry that goes with no other change (a failed
	// login).
	Record(ctx context.Context, e audit.Entry) error
}

// Errors returned by stores and the Service.
var (
	ErrUserExists  = errors.New("a user with that name already exists")
	ErrNoUser      = errors.New("no such user")
	ErrNoSession   = errors.New("no valid session")
	ErrNoToken     = errors.New("invalid or expired token")
	ErrBadLogin    = errors.New("wrong user name or password")
	ErrRateLimited = errors.New("too many failed logins: try again later")
)

// nameCharRefused refuses character c at position pos of name: a visible
// one quoted, a space in words, another character one cannot see (a tab,
// a no-break space) by its code point, so that the refusal never shows it
// as empty quotes.
func nameCharRefused(name string, c rune, pos int) error {
	switch {
	case c == ' ':
		return apperr.Textf("%q: the character at position %d, %v, is not allowed (letters, digits, . _ @ -)", name, pos, apperr.Word("auth.refusal.char.space", "a space"))
	case !strconv.IsPrint(c) || unicode.IsSpace(c):
		return apperr.Textf("%q: the character at position %d, %v, is not allowed (letters, digits, . _ @ -)", name, pos, fmt.Sprintf("U+%04X", c))
	}
	return apperr.Textf("%q: the character at position %d, %q, is not allowed (letters, digits, . _ @ -)", name, pos, c)
}

// ValidateName checks a user name: 1–64 characters from letters, digits and
// . _ @ -, starting with a letter or digit.
func ValidateName(name string) error {
	if name == "" {
		return apperr.Text("name is empty")
	}
	if len(name) > 64 {
		return apperr.Text("name is longer than 64 characters")
	}
	for i, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if i > 0 {
			ok = ok || c == '.' || c == '_' || c == '@' || c == '-'
		}
		if !ok {
			return nameCharRefused(name, c, i+1)
		}
	}
	return nil
}
