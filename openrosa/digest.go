package openrosa

// HTTP Digest access authentication (RFC 7616 with RFC 2617's MD5 and
// qop=auth), the scheme ODK Collect uses against a server on plain HTTP.
//
// Nonces are stateless: base64url(8-byte unix time | 8 random bytes |
// first 16 bytes of HMAC-SHA256(secret, time|random)). A nonce older than
// its lifetime is stale (the client retries with a fresh one without asking
// the user again). Replays are refused by remembering, per nonce, the
// highest nonce count seen and a 64-wide window below it; the memory is
// bounded by MaxNonces live nonces.

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
)

// DigestRealm is the realm Vigil announces in Digest and Basic challenges.
// HA1 values are computed over it: changing it invalidates every stored HA1.
const DigestRealm = "Vigil"

// DefaultNonceTTL is how long a Digest nonce stays fresh.
const DefaultNonceTTL = 5 * time.Minute

// MaxNonces bounds the replay memory (nonces in use at once).
const MaxNonces = 100000

// maxDigestHeader bounds the Authorization header the parser reads.
const maxDigestHeader = 4096

// HA1 returns hex(MD5(user:realm:password)). It is password-equivalent for
// Digest: keep it sealed and never log it.
func HA1(user, realm, password string) string {
	return md5hex(user + ":" + realm + ":" + password)
}

// DigestResponse returns the expected response for qop=auth:
// MD5(HA1:nonce:nc:cnonce:qop:MD5(method:uri)).
func DigestResponse(ha1, nonce, nc, cnonce, qop, method, uri string) string {
	ha2 := md5hex(method + ":" + uri)
	return md5hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2)
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// DigestCredentials are the parameters of an "Authorization: Digest …"
// header.
type DigestCredentials struct {
	Username, Realm, Nonce, URI, Response, Algorithm, CNonce, Opaque, QOP, NC string
}

// ParseDigest parses an "Authorization: Digest …" header value. It accepts
// quoted and unquoted values (with backslash escapes in quoted ones) and
// checks that the parameters qop=auth needs are present and well formed.
// Errors name the parameter that is wrong.
func ParseDigest(h string) (DigestCredentials, error) {
	var c DigestCredentials
	if len(h) > maxDigestHeader {
		return c, apperr.Textf("Authorization: header longer than %d bytes", maxDigestHeader)
	}
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "Digest") {
		return c, apperr.Text("Authorization: scheme is not Digest")
	}
	params, err := parseParams(rest)
	if err != nil {
		return c, err
	}
	for k, p := range map[string]*string{"username": &c.Username, "realm": &c.Realm, "nonce": &c.Nonce,
		"uri": &c.URI, "response": &c.Response, "algorithm": &c.Algorithm, "cnonce": &c.CNonce,
		"opaque": &c.Opaque, "qop": &c.QOP, "nc": &c.NC} {
		*p = params[k]
	}
	for _, k := range []string{"username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"} {
		if _, ok := params[k]; !ok {
			return c, apperr.Textf("Authorization: Digest parameter %s is missing", k)
		}
	}
	if c.Algorithm != "" && !strings.EqualFold(c.Algorithm, "MD5") {
		return c, apperr.Textf("Authorization: algorithm %q is not supported (want MD5)", c.Algorithm)
	}
	if c.QOP != "auth" {
		return c, apperr.Textf("Authorization: qop %q is not supported (want auth)", c.QOP)
	}
	if _, err := ParseNC(c.NC); err != nil {
		return c, err
	}
	if len(c.Response) != 32 {
		return c, apperr.Text("Authorization: response is not 32 hex digits")
	}
	if _, err := hex.DecodeString(c.Response); err != nil {
		return c, apperr.Text("Authorization: response is not 32 hex digits")
	}
	if c.Username == "" || c.CNonce == "" || c.URI == "" {
		return c, apperr.Text("Authorization: username, cnonce and uri must not be empty")
	}
	return c, nil
}

// ParseNC parses a nonce count: exactly 8 hex digits, not zero.
func ParseNC(nc string) (uint64, error) {
	if len(nc) != 8 {
		return 0, apperr.Textf("Authorization: nc %q is not 8 hex digits", nc)
	}
	n, err := strconv.ParseUint(nc, 16, 32)
	if err != nil || n == 0 {
		return 0, apperr.Textf("Authorization: nc %q is not 8 hex digits above zero", nc)
	}
	return n, nil
}

// parseParams parses a comma-separated list of name=value or
// name="quoted value" pairs. Names are lower-cased; a repeated name is an
// error.
func parseParams(s string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		name := strings.ToLower(s[start:i])
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if name == "" || i >= len(s) || s[i] != '=' {
			return nil, apperr.Textf("Authorization: Digest parameter %q has no value", name)
		}
		i++
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		var val string
		if i < len(s) && s[i] == '"' {
			i++
			var b strings.Builder
			closed := false
			for i < len(s) {
				ch := s[i]
				if ch == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if ch == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(ch)
				i++
			}
			if !closed {
				return nil, apperr.Textf("Authorization: Digest parameter %s: unterminated quoted value", name)
			}
			val = b.String()
		} else {
			start := i
			for i < len(s) && s[i] != ',' && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			val = s[start:i]
		}
		if _, dup := out[name]; dup {
			return nil, apperr.Textf("Authorization: Digest parameter %s given twice", name)
		}
		out[name] = val
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) && s[i] != ',' {
			return nil, apperr.Textf("Authorization: Digest parameter %s: expected ',' after its value", name)
		}
	}
}

// quote returns s as an RFC 7230 quoted-string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// Digest issues and checks nonces and remembers nonce counts. The zero
// value is not usable; make one with NewDigest. It is safe for concurrent
// use.
type Digest struct {
	secret []byte
	TTL    time.Duration // nonce lifetime (DefaultNonceTTL)
	Max    int           // replay memory bound (MaxNonces)

	mu   sync.Mutex
	seen map[string]*ncWindow
}

type ncWindow struct {
	expires time.Time
	high    uint64 // highest nc seen
	bits    uint64 // bit i: nc high-i seen
}

// NewDigest returns a Digest signing nonces with secret (random when nil).
func NewDigest(secret []byte) *Digest {
	if secret == nil {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			panic("crypto/rand failed: " + err.Error()) // never on supported systems
		}
	}
	return &Digest{secret: secret, TTL: DefaultNonceTTL, Max: MaxNonces, seen: map[string]*ncWindow{}}
}

func (d *Digest) mac(b []byte) []byte {
	m := hmac.New(sha256.New, d.secret)
	m.Write(b)
	return m.Sum(nil)[:16]
}

// Nonce returns a fresh nonce issued at now.
func (d *Digest) Nonce(now time.Time) string {
	b := make([]byte, 16, 32)
	binary.BigEndian.PutUint64(b, uint64(now.Unix()))
	_, _ = rand.Read(b[8:16])
	b = append(b, d.mac(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Opaque is the opaque value of this server's challenges.
func (d *Digest) Opaque() string {
	return hex.EncodeToString(d.mac([]byte("opaque")))
}

// Nonce states returned by CheckNonce.
const (
	NonceValid = iota
	NonceStale // signed by this server but expired
	NonceBad   // not a nonce of this server (or issued in the future)
)

// CheckNonce says whether nonce was issued by d and is still fresh at now.
func (d *Digest) CheckNonce(nonce string, now time.Time) int {
	b, err := base64.RawURLEncoding.DecodeString(nonce)
	if err != nil || len(b) != 32 {
		return NonceBad
	}
	if !hmac.Equal(b[16:], d.mac(b[:16])) {
		return NonceBad
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	if issued.After(now.Add(time.Minute)) {
		return NonceBad
	}
	if now.Sub(issued) > d.TTL {
		return NonceStale
	}
	return NonceValid
}

func (d *Digest) issued(nonce string) time.Time {
	b, _ := base64.RawURLEncoding.DecodeString(nonce)
	if len(b) < 8 {
		return time.Time{}
	}
	return time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
}

// ErrReplay is returned by Use for a nonce count already used with a nonce.
var ErrReplay = said("openrosa.refusal.replay")

// ErrNonceMemoryFull is returned by Use when MaxNonces nonces are live; the
// client should retry with a fresh nonce later.
var ErrNonceMemoryFull = said("openrosa.refusal.digest-nonce-full")

// Use records nonce count nc for a valid nonce at now. A count is accepted
// once: above the highest seen, or within the 64 counts below it and not
// seen before (requests sent in parallel may arrive out of order).
func (d *Digest) Use(nonce string, nc uint64, now time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	w, ok := d.seen[nonce]
	if !ok {
		if len(d.seen) >= d.max() {
			for k, v := range d.seen {
				if now.After(v.expires) {
					delete(d.seen, k)
				}
			}
			if len(d.seen) >= d.max() {
				return ErrNonceMemoryFull
			}
		}
		w = &ncWindow{expires: d.issued(nonce).Add(d.TTL)}
		d.seen[nonce] = w
	}
	switch {
	case nc > w.high:
		shift := nc - w.high
		if shift >= 64 {
			w.bits = 0
		} else {
			w.bits <<= shift
		}
		w.bits |= 1
		w.high = nc
	case w.high-nc >= 64:
		return ErrReplay
	default:
		bit := uint64(1) << (w.high - nc)
		if w.bits&bit != 0 {
			return ErrReplay
		}
		w.bits |= bit
	}
	return nil
}

func (d *Digest) max() int {
	if d.Max <= 0 {
		return MaxNonces
	}
	return d.Max
}

// Challenge returns a WWW-Authenticate value offering Digest with a fresh
// nonce.
func (d *Digest) Challenge(realm string, stale bool, now time.Time) string {
	c := "Digest realm=" + quote(realm) + `, qop="auth", nonce=` + quote(d.Nonce(now)) +
		", opaque=" + quote(d.Opaque()) + ", algorithm=MD5"
	if stale {
		c += ", stale=true"
	}
	return c
}

// Digest verification outcomes returned by Verify.
var (
	ErrDigestRealm    = said("openrosa.refusal.digest-realm")
	ErrDigestURI      = said("openrosa.refusal.digest-uri")
	ErrDigestOpaque   = said("openrosa.refusal.digest-opaque")
	ErrDigestResponse = said("openrosa.refusal.bad-login")
	ErrDigestStale    = said("openrosa.refusal.stale")
)

// Verify checks credentials c for a request (method and request URI as
// received) against the user's HA1 (hex) at now: realm, opaque, uri,
// response (in constant time), then the nonce's freshness and its count.
// ErrDigestStale means the password was right but the nonce is old or
// unknown: challenge again with stale=true.
func (d *Digest) Verify(c DigestCredentials, ha1, method, requestURI string, now time.Time) error {
	if c.Realm != DigestRealm {
		return ErrDigestRealm
	}
	if c.Opaque != "" && subtle.ConstantTimeCompare([]byte(c.Opaque), []byte(d.Opaque())) != 1 {
		return ErrDigestOpaque
	}
	if c.URI != requestURI {
		return ErrDigestURI
	}
	want := DigestResponse(ha1, c.Nonce, c.NC, c.CNonce, c.QOP, method, c.URI)
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(c.Response)), []byte(want)) != 1 {
		return ErrDigestResponse
	}
	if d.CheckNonce(c.Nonce, now) != NonceValid {
		return ErrDigestStale
	}
	nc, err := ParseNC(c.NC)
	if err != nil {
		return err
	}
	if err := d.Use(c.Nonce, nc, now); err != nil {
		if errors.Is(err, ErrNonceMemoryFull) {
			return ErrDigestStale
		}
		return err
	}
	return nil
}

// ha1AAD binds a sealed HA1 to its user.
func ha1AAD(user string) string { return "users.digest_ha1:" + user }

// SealHA1 computes the HA1 of user's password for DigestRealm and seals it
// with k for storage in users.digest_ha1.
func SealHA1(k *crypt.Keyring, user, password string) ([]byte, error) {
	return k.SealString(HA1(user, DigestRealm, password), ha1AAD(user))
}

// OpenHA1 opens a sealed HA1 of user.
func OpenHA1(k *crypt.Keyring, user string, sealed []byte) (string, error) {
	return k.OpenString(sealed, ha1AAD(user))
}
