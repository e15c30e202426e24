package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// TokenPrefix starts every API token so that leaked tokens are easy to
// recognise (and to grep for in code and logs).
const TokenPrefix = "vgl_"

// newSecret returns 256 random bits, base64url-encoded.
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the SHA-256 of a session id or token: only this is
// stored, so a copy of the database lets no one log in.
func HashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// NewCSRFToken returns a fresh random CSRF token.
func NewCSRFToken() string { return newSecret() }

// CheckCSRF reports whether got equals the expected CSRF token, in constant
// time. An empty expected token never matches.
func CheckCSRF(expected, got string) bool {
	if expected == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(expected), []byte(got)) == 1
}
