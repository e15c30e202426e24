package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Argon2id parameters (OWASP's recommendation: 19 MiB, 2 passes, 1 lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits, in characters (min) and bytes (max).
const (
	MinPasswordLen = 10
	MaxPasswordLen = 1024
)

// CheckPasswordPolicy says what is wrong with a new password, if anything.
func CheckPasswordPolicy(pw string) error {
	if !utf8.ValidString(pw) {
		return apperr.Text("password is not valid UTF-8")
	}
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return apperr.Textf("password must be at least %d characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return apperr.Textf("password must be at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// HashPassword returns an argon2id hash of pw in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash) with a fresh random salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// argonParams are a stored hash's parameters.
type argonParams struct {
	m, t uint32
	p    uint8
	salt []byte
	key  []byte
}

// parseHash reads a PHC argon2id string. It refuses parameters outside sane
// bounds (at most 256 MiB, 16 passes) so a tampered row cannot make a login
// exhaust the server's memory.
func parseHash(hash string) (argonParams, error) {
	var a argonParams
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return a, errors.New("not an argon2id PHC string")
	}
	var v int
	if n, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || n != 1 || v != argon2.Version || parts[2] != fmt.Sprintf("v=%d", v) {
		return a, errors.New("unsupported argon2 version")
	}
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &a.m, &a.t, &a.p); err != nil || n != 3 ||
		parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", a.m, a.t, a.p) {
		return a, errors.New("bad argon2 parameters")
	}
	if a.m < 8 || a.m > 256*1024 || a.t < 1 || a.t > 16 || a.p < 1 || uint32(a.p)*8 > a.m {
		return a, errors.New("argon2 parameters out of bounds")
	}
	enc := base64.RawStdEncoding
	var err error
	if a.salt, err = enc.DecodeString(parts[4]); err != nil || len(a.salt) < 8 || len(a.salt) > 64 {
		return a, errors.New("bad salt")
	}
	if a.key, err = enc.DecodeString(parts[5]); err != nil || len(a.key) < 16 || len(a.key) > 64 {
		return a, errors.New("bad hash")
	}
	return a, nil
}

// VerifyPassword reports whether pw matches hash (made by HashPassword, with
// any parameters within bounds), comparing in constant time. A malformed
// hash never matches.
func VerifyPassword(hash, pw string) bool {
	a, err := parseHash(hash)
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), a.salt, a.t, a.m, a.p, uint32(len(a.key)))
	return subtle.ConstantTimeCompare(got, a.key) == 1
}

// dummyHash is verified against when a login names no known user, so that
// the answer takes as long as for a wrong password. It is made on first use,
// not when the program starts (every vigil command would pay for it).
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("no such user: dummy password")
	if err != nil {
		panic(err)
	}
	return h
})

// DummyHash is a valid password hash that no password given to a login
// matches. Verify against it when a login names no known (or a disabled)
// user, so that the answer costs as much as a wrong password and its timing
// does not tell which names exist.
func DummyHash() string { return dummyHash() }
