package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
)

// testLoginLimit: the failed-login counts behind auth.Limiter live in the
// database, so every server on it (and a restarted one) sees a lockout.
func testLoginLimit(t *testing.T, ctx context.Context, db *storage.DB) {
	t0 := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	const window = 15 * time.Minute
	key := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	a, b := key("a"), key("b")

	steps := []struct {
		at      time.Duration
		op      string // "add", "get", "reset"
		k       []byte
		want    int
		comment string
	}{
		{0, "get", a, 0, "no failures yet"},
		{0, "add", a, 1, "first failure opens a window"},
		{time.Minute, "add", a, 2, ""},
		{2 * time.Minute, "add", a, 3, ""},
		{2 * time.Minute, "get", a, 3, ""},
		{2 * time.Minute, "get", b, 0, "another key is apart"},
		{window - time.Millisecond, "get", a, 3, "still in the window"},
		{window, "get", a, 0, "the window ended"},
		{window, "add", a, 1, "a failure after the window starts a new one"},
		{window + time.Minute, "add", a, 2, ""},
		{window + time.Minute, "reset", a, 0, "a success forgets"},
		{window + time.Minute, "get", a, 0, ""},
	}
	for i, s := range steps {
		now := t0.Add(s.at)
		var got int
		var err error
		switch s.op {
		case "add":
			got, err = db.AddLoginFailure(ctx, s.k, now, now.Add(-window))
		case "get":
			got, err = db.LoginFailures(ctx, s.k, now.Add(-window))
		case "reset":
			err = db.ResetLoginFailures(ctx, s.k)
		}
		if err != nil || got != s.want {
			t.Fatalf("step %d (%s %s): %d, %v; want %d", i, s.op, s.comment, got, err, s.want)
		}
	}

	// Concurrent failures (as from several servers) are all counted.
	c := key("c")
	inParallel(t, 20, func(int) error {
		_, err := db.AddLoginFailure(ctx, c, t0, t0.Add(-window))
		return err
	})
	if n, err := db.LoginFailures(ctx, c, t0.Add(-window)); err != nil || n != 20 {
		t.Fatalf("20 concurrent failures counted as %d (%v)", n, err)
	}

	// Prune drops ended windows only.
	for i := 0; i < 5; i++ {
		if _, err := db.AddLoginFailure(ctx, key(fmt.Sprint("old", i)), t0.Add(-time.Hour), t0.Add(-time.Hour-window)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.PruneLoginFailures(ctx, t0.Add(-window))
	if err != nil || n != 5 {
		t.Fatalf("pruned %d (%v), want the 5 ended windows", n, err)
	}
	if n, _ := db.LoginFailures(ctx, c, t0.Add(-window)); n != 20 {
		t.Fatalf("prune removed a live window: %d", n)
	}

	// Limiters with different windows share the table (OpenRosa: 5 min,
	// web login: 15 min): the short one's pruning must not release the
	// long one's lockout.
	short, long := auth.NewLimiter(10, 5*time.Minute), auth.NewLimiter(5, 15*time.Minute)
	short.Store, long.Store = db, db
	for i := 0; i < 5; i++ {
		if err := long.Fail(ctx, "web\x00ana\x0010.9.9.9", t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := short.Fail(ctx, "or\x00enum\x0010.9.9.9", t0.Add(6*time.Minute)); err != nil { // may prune
		t.Fatal(err)
	}
	if ok, err := long.Allow(ctx, "web\x00ana\x0010.9.9.9", t0.Add(10*time.Minute)); err != nil || ok {
		t.Fatalf("the 15-minute lockout was released after 10 minutes by a 5-minute limiter's pruning (allow %v, %v)", ok, err)
	}

	// Through auth.Service: five wrong passwords lock the account on a
	// second service on the same database (another server), and the store
	// holds no name as typed.
	svcA, svcB := auth.NewService(db), auth.NewService(db)
	secret := []byte("shared keyring secret")
	svcA.UseSecret(secret)
	svcB.UseSecret(secret)
	svcA.Now = func() time.Time { return t0 }
	svcB.Now = svcA.Now
	const pw = "correct horse battery"
	if _, err := svcA.CreateUser(ctx, "cli", "lena", auth.Viewer, pw); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := svcA.Login(ctx, "lena", "wrong password!", "10.1.1.1"); err == nil {
			t.Fatal("wrong password accepted")
		}
	}
	if _, err := svcB.Login(ctx, "lena", pw, "10.1.1.1"); err != auth.ErrRateLimited {
		t.Fatalf("right password on the second server after 5 failures on the first: %v, want ErrRateLimited", err)
	}
	var typed int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM login_failures WHERE key_hash = ? OR key_hash = ?`,
		[]byte("lena"), []byte("web\x00lena\x0010.1.1.1")).Scan(&typed); err != nil || typed != 0 {
		t.Fatalf("login_failures holds a name as typed (%d rows, %v)", typed, err)
	}
}
