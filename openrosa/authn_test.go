package openrosa_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/openrosa"
)

// noAccounts is a user store without users.
type noAccounts struct{}

func (noAccounts) UserByName(context.Context, string) (auth.Account, error) {
	return auth.Account{}, auth.ErrNoUser
}
func (noAccounts) DigestHA1(context.Context, string) ([]byte, error) { return nil, auth.ErrNoUser }

// authnCase is an OpenRosa request's Authorization header and what
// Authenticate must make of it.
type authnCase struct {
	name      string
	header    string
	viaTLS    bool
	wantUser  string // from the bearer check
	wantMsg   string // a 401 with this message
	wantCheck bool   // a password was checked
}

func TestAuthenticate(t *testing.T) {
	for _, tc := range []authnCase{
		{name: "none", wantMsg: "authentication required"},
		{name: "bearer", header: "Bearer vgl_x", wantUser: "tok"},
		{name: "bearer any case", header: "bearer vgl_x", wantUser: "tok"},
		{name: "basic in clear", header: "Basic ZW51bTpwYXNzd29yZA==", wantMsg: "HTTP Basic is accepted only over HTTPS: use Digest authentication, or HTTPS"},
		{name: "basic over TLS", header: "Basic ZW51bTpwYXNzd29yZA==", viaTLS: true, wantMsg: "invalid user name or password", wantCheck: true},
		{name: "basic without a name", header: "Basic OnBhc3N3b3Jk", viaTLS: true, wantMsg: "Authorization must be Digest, Basic or Bearer"},
		{name: "other scheme", header: "Token abc", wantMsg: "Authorization must be Digest, Basic or Bearer"},
		{name: "digest garbage", header: "Digest x", wantMsg: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := openrosa.NewLogin(noAccounts{}, nil, nil, nil)
			checked := false
			o.Verify = func(hash, pw string) bool { checked = true; return false }
			r := httptest.NewRequest("POST", "/submission", nil)
			if tc.header != "" {
				r.Header.Set("Authorization", tc.header)
			}
			u, err := o.Authenticate(context.Background(), r, "192.0.2.1", tc.viaTLS, func() (*auth.User, error) {
				return &auth.User{Name: "tok"}, nil
			})
			if tc.wantUser != "" {
				if err != nil || u.Name != tc.wantUser {
					t.Fatalf("user %v, error %v; want %s", u, err, tc.wantUser)
				}
				return
			}
			if k, ok := apperr.KindOf(err); !ok || k != apperr.KindUnauthenticated || (tc.wantMsg != "" && err.Error() != tc.wantMsg) {
				t.Fatalf("error %v, want 401 %q", err, tc.wantMsg)
			}
			if checked != tc.wantCheck {
				t.Errorf("password checked: %v, want %v", checked, tc.wantCheck)
			}
		})
	}
}

func TestChallenges(t *testing.T) {
	keys, err := crypt.New(map[string][]byte{"k": make([]byte, 32)}, "k")
	if err != nil {
		t.Fatal(err)
	}
	basic := `Basic realm="Vigil", charset="UTF-8"`
	for _, tc := range []struct {
		name          string
		keys          *crypt.Keyring
		stale, viaTLS bool
		want          []string // prefixes
	}{
		{"no digest, clear", nil, false, false, nil},
		{"no digest, TLS", nil, false, true, []string{basic}},
		{"digest, clear", keys, false, false, []string{`Digest realm="Vigil"`}},
		{"digest stale, TLS", keys, true, true, []string{`Digest realm="Vigil"`, basic}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := openrosa.NewLogin(noAccounts{}, tc.keys, nil, nil).Challenges(tc.stale, tc.viaTLS)
			if len(got) != len(tc.want) {
				t.Fatalf("challenges %q, want %q", got, tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("challenge %d %q, want %q…", i, got[i], w)
				}
			}
			if tc.stale != strings.Contains(strings.Join(got, " "), "stale=true") {
				t.Errorf("challenges %q: stale should be %v", got, tc.stale)
			}
		})
	}
}

// digestUsers is a user store that also keeps Digest credentials.
type digestUsers struct {
	auth.Store
	noAccounts
}

func (digestUsers) UserByName(context.Context, string) (auth.Account, error) {
	return auth.Account{}, auth.ErrNoUser
}

func TestLoginOver(t *testing.T) {
	keys, err := crypt.New(map[string][]byte{"k": make([]byte, 32)}, "k")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		users  auth.Store
		keys   *crypt.Keyring
		digest bool
	}{
		{"digest store and keys", digestUsers{}, keys, true},
		{"digest store, no keys", digestUsers{}, nil, false},
		{"no store", nil, keys, false},
	} {
		if got := openrosa.LoginOver(tc.users, tc.keys, nil).DigestOffered(); got != tc.digest {
			t.Errorf("%s: Digest offered %v, want %v", tc.name, got, tc.digest)
		}
	}
}
