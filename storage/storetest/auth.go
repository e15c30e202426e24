package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

func testAuth(t *testing.T, ctx context.Context, db *storage.DB) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	svc := auth.NewService(db)
	svc.Now = func() time.Time { return now }

	const pw = "correct horse battery"
	alice, err := svc.CreateUser(ctx, "cli", "alice", auth.Admin, pw)
	if err != nil {
		t.Fatal(err)
	}
	if alice.ID == 0 || alice.Role != auth.Admin || alice.Disabled {
		t.Fatalf("created %+v", alice)
	}
	if _, err := svc.CreateUser(ctx, "cli", "alice", auth.Viewer, pw); !errors.Is(err, auth.ErrUserExists) {
		t.Fatalf("duplicate user: %v, want ErrUserExists", err)
	}
	if _, err := svc.CreateUser(ctx, "alice", "bob", auth.Viewer, pw); err != nil {
		t.Fatal(err)
	}
	// Invalid input names the field and writes nothing.
	for _, c := range []struct{ name, role, pw, field string }{
		{"", "viewer", pw, "name"},
		{"bad name", "viewer", pw, "name"},
		{"carol", "root", pw, "role"},
		{"carol", "viewer", "short", "password"},
	} {
		_, err := svc.CreateUser(ctx, "cli", c.name, auth.Role(c.role), c.pw)
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("CreateUser(%q, %q): %v, want an invalid-input error on %s", c.name, c.role, err, c.field)
		}
	}
	users, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Name != "alice" || users[1].Name != "bob" || users[1].Role != auth.Viewer {
		t.Fatalf("Users = %+v", users)
	}
	if _, err := db.UserByName(ctx, "nobody"); !errors.Is(err, auth.ErrNoUser) {
		t.Fatalf("UserByName(nobody): %v", err)
	}
	got, err := db.UserByName(ctx, "alice")
	if err != nil || got.PasswordHash == pw || !auth.VerifyPassword(got.PasswordHash, pw) {
		t.Fatalf("stored password hash does not verify (err %v)", err)
	}

	// Login: wrong password, unknown user; then success.
	if _, err := svc.Login(ctx, "alice", "wrong password!", "10.0.0.1"); !errors.Is(err, auth.ErrBadLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := svc.Login(ctx, "nobody", pw, "10.0.0.1"); !errors.Is(err, auth.ErrBadLogin) {
		t.Fatalf("unknown user: %v", err)
	}
	ns, err := svc.Login(ctx, "alice", pw, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if ns.User.Name != "alice" || ns.CSRF == "" || len(ns.ID) < 40 || !ns.Expires.Equal(now.Add(auth.DefaultSessionTTL)) {
		t.Fatalf("session %+v", ns)
	}
	u, sess, err := svc.Session(ctx, ns.ID)
	if err != nil || u.Name != "alice" || u.Role != auth.Admin || sess.CSRF != ns.CSRF {
		t.Fatalf("Session: %+v %+v %v", u, sess, err)
	}
	// Only the hash is stored.
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM sessions WHERE id_hash = ?`, []byte(ns.ID)).Scan(&n); err != nil || n != 0 {
		t.Fatalf("session id stored in clear (n=%d, err %v)", n, err)
	}
	if _, _, err := svc.Session(ctx, ns.ID+"x"); !errors.Is(err, auth.ErrNoSession) {
		t.Fatalf("wrong session id: %v", err)
	}
	// Expiry.
	later := *svc
	later.Now = func() time.Time { return now.Add(auth.DefaultSessionTTL + time.Second) }
	if _, _, err := later.Session(ctx, ns.ID); !errors.Is(err, auth.ErrNoSession) {
		t.Fatalf("expired session: %v", err)
	}

	// Rate limiting per user + address: 5 failures lock out even the right password.
	for i := 0; i < 5; i++ {
		if _, err := svc.Login(ctx, "bob", "wrong password!", "10.0.0.2"); !errors.Is(err, auth.ErrBadLogin) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := svc.Login(ctx, "bob", pw, "10.0.0.2"); !errors.Is(err, auth.ErrRateLimited) {
		t.Fatalf("after 5 failures: %v, want ErrRateLimited", err)
	}
	if _, err := svc.Login(ctx, "bob", pw, "10.0.0.3"); err != nil {
		t.Fatalf("bob from another address: %v", err)
	}

	// Tokens.
	tok, tinfo, err := svc.CreateToken(ctx, "alice", "bob", "sync script", 0)
	if err != nil {
		t.Fatal(err)
	}
	if tinfo.ID == 0 || len(tok) < 40 || tok[:len(auth.TokenPrefix)] != auth.TokenPrefix {
		t.Fatalf("token %q %+v", tok, tinfo)
	}
	if u, err := svc.Token(ctx, tok); err != nil || u.Name != "bob" || u.Role != auth.Viewer {
		t.Fatalf("Token: %+v %v", u, err)
	}
	if _, err := svc.Token(ctx, tok+"x"); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("wrong token: %v", err)
	}
	short, _, err := svc.CreateToken(ctx, "alice", "alice", "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := later.Token(ctx, short); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("expired token: %v", err)
	}
	if _, err := later.Token(ctx, tok); err != nil {
		t.Fatalf("non-expiring token later: %v", err)
	}
	toks, err := db.Tokens(ctx, tinfo.UserID)
	if err != nil || len(toks) != 1 || toks[0].Name != "sync script" || toks[0].Hash != nil {
		t.Fatalf("Tokens = %+v, %v", toks, err)
	}
	if _, _, err := svc.CreateToken(ctx, "alice", "nobody", "", 0); !errors.Is(err, auth.ErrNoUser) {
		t.Fatalf("token for unknown user: %v", err)
	}

	// Revocation: only the owner or an admin; the token stops working.
	bobUser, err := svc.Token(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	aliceTok, aliceInfo, err := svc.CreateToken(ctx, "alice", "alice", "to revoke", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.RevokeToken(ctx, bobUser, aliceInfo.ID); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("bob revoking alice's token: %v, want ErrNoToken", err)
	}
	if got, err := db.TokenByID(ctx, aliceInfo.ID); err != nil || got.Name != "to revoke" || got.Hash != nil {
		t.Fatalf("TokenByID: %+v %v", got, err)
	}
	if err := svc.RevokeToken(ctx, &auth.User{ID: alice.ID, Name: "alice", Role: auth.Admin}, aliceInfo.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Token(ctx, aliceTok); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("revoked token: %v", err)
	}
	if err := svc.RevokeToken(ctx, bobUser, aliceInfo.ID); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("revoking twice: %v", err)
	}

	// Role change, disabling: sessions end and tokens stop working.
	bs, err := svc.Login(ctx, "bob", pw, "10.0.0.4")
	if err != nil {
		t.Fatal(err)
	}
	analyst := auth.Analyst
	if a, err := svc.UpdateUser(ctx, "alice", "bob", auth.Change{Role: &analyst}); err != nil || a.Role != auth.Analyst {
		t.Fatalf("set role: %+v %v", a, err)
	}
	if u, _, err := svc.Session(ctx, bs.ID); err != nil || u.Role != auth.Analyst {
		t.Fatalf("session after role change: %+v %v", u, err)
	}
	yes, no := true, false
	if _, err := svc.UpdateUser(ctx, "alice", "bob", auth.Change{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Session(ctx, bs.ID); !errors.Is(err, auth.ErrNoSession) {
		t.Fatalf("session of disabled user: %v", err)
	}
	if _, err := svc.Token(ctx, tok); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("token of disabled user: %v", err)
	}
	if _, err := svc.Login(ctx, "bob", pw, "10.0.0.5"); !errors.Is(err, auth.ErrBadLogin) {
		t.Fatalf("login of disabled user: %v", err)
	}
	if _, err := svc.UpdateUser(ctx, "alice", "bob", auth.Change{Disabled: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Token(ctx, tok); err != nil {
		t.Fatalf("token after re-enabling: %v", err)
	}
	newpw := "another long password"
	if _, err := svc.UpdateUser(ctx, "alice", "bob", auth.Change{Password: &newpw}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Login(ctx, "bob", pw, "10.0.0.6"); !errors.Is(err, auth.ErrBadLogin) {
		t.Fatalf("old password after change: %v", err)
	}
	bs2, err := svc.Login(ctx, "bob", newpw, "10.0.0.6")
	if err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, err := svc.UpdateUser(ctx, "alice", "nobody", auth.Change{Disabled: &yes}); !errors.Is(err, auth.ErrNoUser) {
		t.Fatalf("update unknown user: %v", err)
	}
	bad := auth.Role("root")
	var fe *apperr.Error
	if _, err := svc.UpdateUser(ctx, "alice", "bob", auth.Change{Role: &bad}); !errors.As(err, &fe) || fe.Field != "role" {
		t.Fatalf("bad role: %v", err)
	}

	// Logout.
	if err := svc.Logout(ctx, bs2.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Session(ctx, bs2.ID); !errors.Is(err, auth.ErrNoSession) {
		t.Fatalf("session after logout: %v", err)
	}

	// The audit log has every change and login, without passwords or tokens.
	recs := testutil.AuditLog(t, db, audit.Filter{Limit: 1000})
	count := map[string]int{}
	for _, r := range recs {
		count[r.Action]++
		for _, s := range []string{pw, newpw, tok, short, ns.ID, "wrong password!"} {
			for _, f := range []string{r.Actor, r.Object, r.Detail} {
				if f == s || (len(s) > 8 && strings.Contains(f, s)) {
					t.Errorf("audit record %+v holds a secret", r)
				}
			}
		}
	}
	want := map[string]int{"user.create": 2, "login.ok": 4, "login.fail": 10, "token.create": 3, "token.revoke": 1, "user.update": 4, "logout": 1}
	for a, n := range want {
		if count[a] != n {
			t.Errorf("audit %s: %d entries, want %d (all: %v)", a, count[a], n, count)
		}
	}
}
