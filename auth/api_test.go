package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// memStore is an in-memory Store: users by name, sessions and tokens by
// hash.
type memStore struct {
	users    map[string]Account
	sessions map[string]Session
	tokens   map[string]Token
}

func newMemStore() *memStore {
	return &memStore{users: map[string]Account{}, sessions: map[string]Session{}, tokens: map[string]Token{}}
}

func (m *memStore) CreateUser(_ context.Context, _ string, a Account) (Account, error) {
	if _, ok := m.users[a.Name]; ok {
		return Account{}, ErrUserExists
	}
	a.ID = int64(len(m.users) + 1)
	m.users[a.Name] = a
	return a, nil
}

func (m *memStore) UserByName(_ context.Context, name string) (Account, error) {
	if a, ok := m.users[name]; ok {
		return a, nil
	}
	return Account{}, ErrNoUser
}

func (m *memStore) Users(context.Context) ([]Account, error) { return nil, nil }

func (m *memStore) UpdateUser(_ context.Context, _, name string, ch AccountChange) (Account, error) {
	a, ok := m.users[name]
	if !ok {
		return Account{}, ErrNoUser
	}
	if ch.Role != nil {
		a.Role = *ch.Role
	}
	if ch.Disabled != nil {
		a.Disabled = *ch.Disabled
	}
	m.users[name] = a
	return a, nil
}

func (m *memStore) CreateSession(_ context.Context, s Session) error {
	m.sessions[string(s.IDHash)] = s
	return nil
}

func (m *memStore) account(id int64) Account {
	for _, a := range m.users {
		if a.ID == id {
			return a
		}
	}
	return Account{}
}

func (m *memStore) SessionByHash(_ context.Context, hash []byte, _ time.Time) (Session, Account, error) {
	s, ok := m.sessions[string(hash)]
	if !ok {
		return Session{}, Account{}, ErrNoSession
	}
	return s, m.account(s.UserID), nil
}

func (m *memStore) DeleteSession(_ context.Context, hash []byte) error {
	delete(m.sessions, string(hash))
	return nil
}

func (m *memStore) CreateToken(_ context.Context, _ string, t Token) (int64, error) {
	t.ID = int64(len(m.tokens) + 1)
	m.tokens[string(t.Hash)] = t
	return t.ID, nil
}

func (m *memStore) TokenByHash(_ context.Context, hash []byte, _ time.Time) (Token, Account, error) {
	t, ok := m.tokens[string(hash)]
	if !ok {
		return Token{}, Account{}, ErrNoToken
	}
	return t, m.account(t.UserID), nil
}

func (m *memStore) Tokens(context.Context, int64) ([]Token, error) { return nil, nil }

func (m *memStore) TokenByID(_ context.Context, id int64) (Token, error) {
	for _, t := range m.tokens {
		if t.ID == id {
			return t, nil
		}
	}
	return Token{}, ErrNoToken
}

func (m *memStore) RevokeToken(_ context.Context, _ string, id int64) error {
	for h, t := range m.tokens {
		if t.ID == id {
			delete(m.tokens, h)
		}
	}
	return nil
}

func (m *memStore) Record(context.Context, audit.Entry) error { return nil }

// newAPIService is a Service over a memStore with an admin "ada" and a
// viewer "vic", a session of vic's and a token of vic's.
func newAPIService(t *testing.T) (svc *Service, session, token string, csrf string) {
	t.Helper()
	svc = NewService(newMemStore())
	ctx := context.Background()
	for _, u := range []UserRequest{{"ada", "admin", "correct horse battery"}, {"vic", "viewer", "correct horse battery"}} {
		if _, err := svc.AddUser(ctx, &User{Name: "root"}, u); err != nil {
			t.Fatal(err)
		}
	}
	ns, err := svc.Login(ctx, "vic", "correct horse battery", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.IssueToken(ctx, &User{ID: 2, Name: "vic", Role: Viewer}, TokenRequest{Name: "cron"})
	if err != nil {
		t.Fatal(err)
	}
	return svc, ns.ID, out["token"].(string), ns.CSRF
}

// authCase is a credential and who it must resolve to, or the refusal.
type authCase struct {
	name       string
	c          Credentials
	wantUser   string
	wantCSRF   bool
	wantUnauth string // *Unauthenticated with this message
	wantForbid string // forbidden with this message
}

func TestAuthenticate(t *testing.T) {
	svc, session, token, csrf := newAPIService(t)
	csrfOf := func(v string) func() string { return func() string { return v } }
	for _, tc := range []authCase{
		{name: "session read", c: Credentials{Session: session}, wantUser: "vic", wantCSRF: true},
		{name: "session write with token", c: Credentials{Session: session, Unsafe: true, CSRF: csrfOf(csrf)}, wantUser: "vic", wantCSRF: true},
		{name: "session write without token", c: Credentials{Session: session, Unsafe: true, CSRF: csrfOf("")},
			wantForbid: "missing CSRF token (send the X-CSRF-Token header from GET /api/v1/me)"},
		{name: "session write wrong token", c: Credentials{Session: session, Unsafe: true, CSRF: csrfOf("x" + csrf)}, wantForbid: "wrong CSRF token"},
		{name: "no credential", c: Credentials{}, wantUnauth: "login required"},
		{name: "unknown session", c: Credentials{Session: "nope"}, wantUnauth: "session expired or ended: log in again"},
		{name: "bearer", c: Credentials{Authorization: "Bearer " + token, Unsafe: true}, wantUser: "vic"},
		{name: "bearer beats a session", c: Credentials{Authorization: "bearer  " + token + " ", Session: "nope"}, wantUser: "vic"},
		{name: "bearer unknown", c: Credentials{Authorization: "Bearer " + TokenPrefix + "x"}, wantUnauth: "invalid, expired or revoked token"},
		{name: "basic", c: Credentials{Authorization: "Basic dmljOnB3"}, wantUnauth: "Authorization header must be 'Bearer TOKEN'"},
		{name: "bearer empty", c: Credentials{Authorization: "Bearer  "}, wantUnauth: "Authorization header must be 'Bearer TOKEN'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, gotCSRF, err := svc.Authenticate(context.Background(), tc.c)
			var ua *Unauthenticated
			switch {
			case tc.wantUnauth != "":
				if !errors.As(err, &ua) || ua.Msg != tc.wantUnauth {
					t.Fatalf("error %v, want unauthenticated %q", err, tc.wantUnauth)
				}
			case tc.wantForbid != "":
				if k, _ := apperr.KindOf(err); k != apperr.KindForbidden || err.Error() != tc.wantForbid {
					t.Fatalf("error %v, want forbidden %q", err, tc.wantForbid)
				}
			case err != nil:
				t.Fatal(err)
			case u.Name != tc.wantUser || (gotCSRF == csrf) != tc.wantCSRF:
				t.Fatalf("user %q csrf %q, want %q (session's csrf: %v)", u.Name, gotCSRF, tc.wantUser, tc.wantCSRF)
			}
		})
	}
}

// userCase is a request on users or tokens by a caller and its answer.
type userCase struct {
	name      string
	by        *User
	do        func(svc *Service, by *User) error
	wantKind  apperr.Kind
	wantField string
	wantErr   string // "" : success
}

func TestUserRequests(t *testing.T) {
	ada := &User{ID: 1, Name: "ada", Role: Admin}
	vic := &User{ID: 2, Name: "vic", Role: Viewer}
	yes, viewer, admin := true, "viewer", "admin"
	issue := func(r TokenRequest) func(*Service, *User) error {
		return func(svc *Service, by *User) error { _, err := svc.IssueToken(context.Background(), by, r); return err }
	}
	change := func(name string, r UserChangeRequest) func(*Service, *User) error {
		return func(svc *Service, by *User) error {
			_, err := svc.ChangeUser(context.Background(), by, name, r)
			return err
		}
	}
	for _, tc := range []userCase{
		{name: "own token", by: vic, do: issue(TokenRequest{Name: "laptop", TTLDays: 30})},
		{name: "admin for another", by: ada, do: issue(TokenRequest{User: "vic", Name: "sync"})},
		{name: "viewer for another", by: vic, do: issue(TokenRequest{User: "ada"}), wantKind: apperr.KindForbidden,
			wantErr: "only an admin can create tokens for another user"},
		{name: "ttl too long", by: vic, do: issue(TokenRequest{TTLDays: 3651}), wantKind: apperr.KindInvalid, wantField: "ttl_days",
			wantErr: "ttl_days must be between 0 (no expiry) and 3650"},
		{name: "negative ttl", by: vic, do: issue(TokenRequest{TTLDays: -1}), wantKind: apperr.KindInvalid, wantField: "ttl_days"},
		{name: "token for nobody", by: ada, do: issue(TokenRequest{User: "zed"}), wantKind: apperr.KindInvalid, wantField: "user",
			wantErr: `no user named "zed"`},
		{name: "taken name", by: ada, do: func(svc *Service, by *User) error {
			_, err := svc.AddUser(context.Background(), by, UserRequest{"vic", "viewer", "another long password"})
			return err
		}, wantKind: apperr.KindConflict, wantField: "name", wantErr: `a user named "vic" already exists`},
		{name: "disable another", by: ada, do: change("vic", UserChangeRequest{Disabled: &yes})},
		{name: "disable oneself", by: ada, do: change("ada", UserChangeRequest{Disabled: &yes}), wantKind: apperr.KindInvalid,
			wantField: "disabled", wantErr: "you cannot disable your own account"},
		{name: "demote oneself", by: ada, do: change("ada", UserChangeRequest{Role: &viewer}), wantKind: apperr.KindInvalid,
			wantField: "role", wantErr: "you cannot remove your own admin role"},
		{name: "keep own admin role", by: ada, do: change("ada", UserChangeRequest{Role: &admin})},
		{name: "unknown role", by: ada, do: change("vic", UserChangeRequest{Role: new(string)}), wantKind: apperr.KindInvalid, wantField: "role"},
		{name: "change nobody", by: ada, do: change("zed", UserChangeRequest{Disabled: &yes}), wantKind: apperr.KindNotFound,
			wantErr: `no user named "zed"`},
		{name: "withdraw another's token", by: &User{ID: 1, Name: "ada", Role: Analyst}, do: func(svc *Service, by *User) error {
			return svc.WithdrawToken(context.Background(), by, 1)
		}, wantKind: apperr.KindNotFound, wantErr: "no token 1 of yours"},
		{name: "withdraw own token", by: vic, do: func(svc *Service, by *User) error { return svc.WithdrawToken(context.Background(), by, 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, _, _ := newAPIService(t)
			err := tc.do(svc, tc.by)
			if tc.wantErr == "" && tc.wantKind == 0 && tc.wantField == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			k, ok := apperr.KindOf(err)
			if !ok || k != tc.wantKind || apperr.FieldOf(err) != tc.wantField || (tc.wantErr != "" && err.Error() != tc.wantErr) {
				t.Fatalf("error %v (%v, field %q), want %v on %q: %q", err, k, apperr.FieldOf(err), tc.wantKind, tc.wantField, tc.wantErr)
			}
		})
	}
}

func TestLoginWithForm(t *testing.T) {
	const pw = "correct horse battery"
	for _, tc := range []struct {
		name string
		f    LoginForm
		want error // nil: a session
	}{
		{"right", LoginForm{Name: "vic", Password: pw, CSRFCookie: "c", CSRF: "c"}, nil},
		{"no cookie", LoginForm{Name: "vic", Password: pw, CSRF: "c"}, ErrLoginExpired},
		{"token mismatch", LoginForm{Name: "vic", Password: pw, CSRFCookie: "c", CSRF: "d"}, ErrLoginExpired},
		{"no token, no password", LoginForm{Name: "vic"}, ErrLoginExpired},
		{"no password", LoginForm{Name: "vic", CSRFCookie: "c", CSRF: "c"}, ErrLoginMissing},
		{"no name", LoginForm{Password: pw, CSRFCookie: "c", CSRF: "c"}, ErrLoginMissing},
		{"wrong password", LoginForm{Name: "vic", Password: pw + "!", CSRFCookie: "c", CSRF: "c"}, ErrBadLogin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, _, _ := newAPIService(t)
			ns, err := svc.LoginWithForm(context.Background(), tc.f)
			if !errors.Is(err, tc.want) || (tc.want == nil && (ns == nil || ns.User.Name != "vic")) {
				t.Fatalf("session %+v, error %v; want %v", ns, err, tc.want)
			}
		})
	}
}
