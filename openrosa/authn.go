package openrosa

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Authenticate resolves an OpenRosa request's user: bearer (the caller's
// API tokens, checked by bearer), HTTP Digest, or HTTP Basic only when the
// request arrived over TLS (viaTLS), from client address ip. Without
// credentials, or Basic in clear, it answers 401 (whose challenges are
// Challenges).
func (o *Login) Authenticate(ctx context.Context, r *http.Request, ip string, viaTLS bool, bearer func() (*auth.User, error)) (*auth.User, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, refusal(apperr.KindUnauthenticated, "openrosa.refusal.auth-required")
	}
	scheme, _, _ := strings.Cut(h, " ")
	if strings.EqualFold(scheme, "Bearer") {
		return bearer()
	}
	if strings.EqualFold(scheme, "Digest") {
		return o.DigestLogin(ctx, h, r.Method, r.RequestURI, ip)
	}
	name, pw, ok := r.BasicAuth()
	if !ok || name == "" {
		return nil, refusal(apperr.KindUnauthenticated, "openrosa.refusal.auth-scheme")
	}
	if !viaTLS {
		// The password would cross the network in clear: refuse it before
		// looking at it (the 401 offers Digest).
		return nil, refusal(apperr.KindUnauthenticated, "openrosa.refusal.basic-tls")
	}
	return o.Basic(ctx, name, pw, ip)
}

// Challenges are the WWW-Authenticate headers of a 401: Digest when it is
// offered (stale after a right password on an expired nonce), Basic only
// over TLS, since Basic sends the password in clear.
func (o *Login) Challenges(stale, viaTLS bool) []string {
	var out []string
	if o.DigestOffered() {
		out = append(out, o.Challenge(stale))
	}
	if viaTLS {
		out = append(out, `Basic realm="`+DigestRealm+`", charset="UTF-8"`)
	}
	return out
}

// LoginOver is NewLogin over a user store that may also keep users' Digest
// credentials (Accounts: Digest is offered only then, and with keys) and
// failed-login counts (auth.LimitStore: else they are kept in memory).
func LoginOver(users auth.Store, keys *crypt.Keyring, log *slog.Logger) *Login {
	accounts, _ := users.(Accounts)
	limits, _ := users.(auth.LimitStore)
	return NewLogin(accounts, keys, limits, log)
}
