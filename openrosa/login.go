package openrosa

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Accounts is what a Login needs of the user store (implemented by
// *storage.DB).
type Accounts interface {
	// UserByName returns a user; auth.ErrNoUser if there is none.
	UserByName(ctx context.Context, name string) (auth.Account, error)
	// DigestHA1 returns the user's sealed HTTP Digest HA1, nil when the
	// user has none; auth.ErrNoUser if there is no such user.
	DigestHA1(ctx context.Context, name string) ([]byte, error)
}

// ErrStale is a Digest response with the right password on an expired
// nonce (or one from before a restart): the challenge says stale=true and
// the client retries without asking the enumerator again.
type ErrStale struct{ Msg string }

func (e *ErrStale) Error() string { return e.Msg }

// Login checks OpenRosa logins (HTTP Digest and Basic) against the users,
// counting failures per user name and client address.
type Login struct {
	accounts Accounts
	keys     *crypt.Keyring
	log      *slog.Logger

	// digest signs this server's Digest nonces with a random secret: after
	// a restart old nonces are answered with stale=true and clients retry
	// with a new one without asking the enumerator again.
	digest *Digest
	// limiter counts failed Basic and Digest logins per user name and
	// client address, in the database when there is one (shared by every
	// server on it).
	limiter *auth.Limiter
	// Verify checks a password against its argon2id hash
	// (auth.VerifyPassword; tests count its calls).
	Verify func(hash, pw string) bool
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

// NewLogin returns a Login over accounts (nil: every login fails), opening
// Digest credentials with keys (nil: Digest is not offered) and keeping
// failure counts in limits (nil: in memory).
func NewLogin(accounts Accounts, keys *crypt.Keyring, limits auth.LimitStore, log *slog.Logger) *Login {
	salt := make([]byte, 32)
	_, _ = rand.Read(salt)
	l := auth.NewLimiter(10, 5*time.Minute)
	l.Store = limits
	if keys != nil {
		l.Secret = keys.MACKey("openrosa login limit")
	}
	if log == nil {
		log = slog.Default()
	}
	return &Login{accounts: accounts, keys: keys, log: log, digest: NewDigest(nil), limiter: l, Verify: auth.VerifyPassword,
		salt: salt, entries: map[string]basicEntry{}}
}

// Digest is the server's nonce signer (tests make nonces with it).
func (o *Login) Digest() *Digest { return o.digest }

// DigestOffered reports whether Digest logins can be checked (the users
// and the keys that open their HA1 are there).
func (o *Login) DigestOffered() bool { return o.accounts != nil && o.keys != nil }

// Challenge is the WWW-Authenticate Digest challenge.
func (o *Login) Challenge(stale bool) string {
	return o.digest.Challenge(DigestRealm, stale, time.Now())
}

func (o *Login) passwordDigest(pw string) [32]byte {
	return sha256.Sum256(append(append([]byte{}, o.salt...), pw...))
}

// cached reports whether name's password pw was checked against stored
// within basicCacheTTL.
func (o *Login) cached(name, stored string, d [32]byte, now time.Time) bool {
	o.cacheMu.Lock()
	e, hit := o.entries[name]
	o.cacheMu.Unlock()
	return hit && e.stored == stored && now.Before(e.expires) && subtle.ConstantTimeCompare(e.digest[:], d[:]) == 1
}

// unauthorized is a refused Digest header (err says its text by a
// catalog message: ParseDigest's, Verify's) as a 401.
func unauthorized(err error) error { return apperr.FieldErr(apperr.KindUnauthenticated, "", err) }

func badLogin() error { return refusal(apperr.KindUnauthenticated, "openrosa.refusal.bad-login") }

func rateLimited() error { return refusal(apperr.KindTooMany, "openrosa.refusal.rate") }

// allow checks the login limit of name from ip.
func (o *Login) allow(ctx context.Context, name, ip string, now time.Time) (string, error) {
	key := "or\x00" + name + "\x00" + ip // one limit for Basic and Digest
	if ok, err := o.limiter.Allow(ctx, key, now); err != nil {
		return key, err
	} else if !ok {
		return key, rateLimited()
	}
	return key, nil
}

// Basic checks a Basic login (the caller has made sure it came over TLS).
func (o *Login) Basic(ctx context.Context, name, pw, ip string) (*auth.User, error) {
	if o.accounts == nil {
		return nil, badLogin()
	}
	now := time.Now()
	key, err := o.allow(ctx, name, ip, now)
	if err != nil {
		return nil, err
	}
	acct, err := o.accounts.UserByName(ctx, name)
	known := err == nil
	if err != nil && !errors.Is(err, auth.ErrNoUser) {
		return nil, err
	}
	d := o.passwordDigest(pw)
	if known && !acct.Disabled && o.cached(name, acct.PasswordHash, d, now) {
		return acct.User(), nil
	}
	o.verifyMu.Lock()
	defer o.verifyMu.Unlock()
	if known && !acct.Disabled && o.cached(name, acct.PasswordHash, d, now) {
		return acct.User(), nil
	}
	// An unknown or disabled user costs the same argon2id verification as
	// a wrong password, so the answer's timing does not tell which names
	// exist.
	hash := auth.DummyHash()
	if known && !acct.Disabled {
		hash = acct.PasswordHash
	}
	if !o.Verify(hash, pw) || !known || acct.Disabled {
		if err := o.limiter.Fail(ctx, key, now); err != nil {
			return nil, err
		}
		return nil, badLogin()
	}
	if err := o.limiter.Reset(ctx, key); err != nil {
		return nil, err
	}
	o.cacheMu.Lock()
	if len(o.entries) > 10000 {
		clear(o.entries)
	}
	o.entries[name] = basicEntry{stored: acct.PasswordHash, digest: d, expires: now.Add(basicCacheTTL)}
	o.cacheMu.Unlock()
	return acct.User(), nil
}

// DigestLogin checks an "Authorization: Digest" header of a request with
// method and uri against the user's sealed HA1 (set when the password is
// set through vigil user or vigil enumerator). Failed responses count
// towards the same login limit as Basic.
func (o *Login) DigestLogin(ctx context.Context, header, method, uri, ip string) (*auth.User, error) {
	c, err := ParseDigest(header)
	if err != nil {
		return nil, unauthorized(err)
	}
	if !o.DigestOffered() {
		return nil, refusal(apperr.KindUnauthenticated, "openrosa.refusal.no-digest")
	}
	now := time.Now()
	key, err := o.allow(ctx, c.Username, ip, now)
	if err != nil {
		return nil, err
	}
	bad := func() (*auth.User, error) {
		if err := o.limiter.Fail(ctx, key, now); err != nil {
			return nil, err
		}
		return nil, badLogin()
	}
	acct, err := o.accounts.UserByName(ctx, c.Username)
	if errors.Is(err, auth.ErrNoUser) {
		return bad()
	}
	if err != nil {
		return nil, err
	}
	if acct.Disabled {
		return bad()
	}
	sealed, err := o.accounts.DigestHA1(ctx, acct.Name)
	if errors.Is(err, auth.ErrNoUser) {
		return bad()
	}
	if err != nil {
		return nil, err
	}
	if sealed == nil {
		// No HA1: this user can log in with Basic only. No password was
		// checked, so this does not count as a failed login.
		return nil, badLogin()
	}
	ha1, err := OpenHA1(o.keys, acct.Name, sealed)
	if err != nil {
		o.log.Error("openrosa: cannot open a stored digest credential", "err", err)
		return nil, badLogin()
	}
	switch err := o.digest.Verify(c, ha1, method, uri, now); {
	case err == nil:
		if err := o.limiter.Reset(ctx, key); err != nil {
			return nil, err
		}
		return acct.User(), nil
	case errors.Is(err, ErrDigestStale):
		return nil, &ErrStale{err.Error()}
	case errors.Is(err, ErrDigestResponse):
		return bad()
	default:
		return nil, unauthorized(err)
	}
}
