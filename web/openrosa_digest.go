package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/openrosa"
)

// digestStale is a 401 whose challenge carries stale=true: the password was
// right but the nonce expired (or came from before a restart).
type digestStale struct{ msg string }

func (e *digestStale) Error() string { return e.msg }

// orDigestUser authenticates an "Authorization: Digest" request against the
// user's sealed HA1 (set when the password is set through vigil user or
// vigil enumerator). Failed responses count towards the same login limit
// as Basic.
func (s *Server) orDigestUser(r *http.Request, h string) (*auth.User, error) {
	c, err := openrosa.ParseDigest(h)
	if err != nil {
		return nil, errorf(http.StatusUnauthorized, "%s", err.Error())
	}
	if s.DB == nil || s.Surveys == nil || s.Surveys.Keys == nil {
		return nil, errorf(http.StatusUnauthorized, "Digest authentication is not available: use Basic over TLS")
	}
	now := time.Now()
	ctx := r.Context()
	key := "or\x00" + c.Username + "\x00" + clientIP(r) // as for Basic: one limit for both
	if ok, err := s.or.limiter.Allow(ctx, key, now); err != nil {
		return nil, err
	} else if !ok {
		return nil, errorf(http.StatusTooManyRequests, "too many failed logins: wait a few minutes")
	}
	bad := func() (*auth.User, error) {
		if err := s.or.limiter.Fail(ctx, key, now); err != nil {
			return nil, err
		}
		return nil, errorf(http.StatusUnauthorized, "invalid user name or password")
	}
	acct, err := s.DB.UserByName(ctx, c.Username)
	if errors.Is(err, auth.ErrNoUser) {
		return bad()
	}
	if err != nil {
		return nil, err
	}
	if acct.Disabled {
		return bad()
	}
	sealed, err := s.DB.DigestHA1(ctx, acct.Name)
	if errors.Is(err, auth.ErrNoUser) {
		return bad()
	}
	if err != nil {
		return nil, err
	}
	if sealed == nil {
		// No HA1: this user can log in with Basic only. No password was
		// checked, so this does not count as a failed login.
		return nil, errorf(http.StatusUnauthorized, "invalid user name or password")
	}
	ha1, err := openrosa.OpenHA1(s.Surveys.Keys, acct.Name, sealed)
	if err != nil {
		s.Log.Error("openrosa: cannot open a stored digest credential", "err", err)
		return nil, errorf(http.StatusUnauthorized, "invalid user name or password")
	}
	switch err := s.or.digest.Verify(c, ha1, r.Method, r.RequestURI, now); {
	case err == nil:
		if err := s.or.limiter.Reset(ctx, key); err != nil {
			return nil, err
		}
		return acct.User(), nil
	case errors.Is(err, openrosa.ErrDigestStale):
		return nil, &digestStale{err.Error()}
	case errors.Is(err, openrosa.ErrDigestResponse):
		return bad()
	default:
		return nil, errorf(http.StatusUnauthorized, "%s", err.Error())
	}
}
