package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
)

// BenchmarkLimiterAllow: the cost of the failed-login check every login and
// every OpenRosa Basic request pays, in memory and with the counts in
// SQLite (one primary-key read). Run with:
//
//	go test -run '^$' -bench BenchmarkLimiterAllow ./auth/
func BenchmarkLimiterAllow(b *testing.B) {
	ctx := context.Background()
	db := testutil.Store(b)
	now := time.Now()
	for _, c := range []struct {
		name  string
		store auth.LimitStore
	}{{"memory", nil}, {"sqlite", db}} {
		b.Run(c.name, func(b *testing.B) {
			l := auth.NewLimiter(10, 5*time.Minute)
			l.Store = c.store
			for i := 0; i < 3; i++ {
				if err := l.Fail(ctx, "or\x00enum\x0010.0.0.1", now); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if ok, err := l.Allow(ctx, "or\x00enum\x0010.0.0.1", now); err != nil || !ok {
					b.Fatal(ok, err)
				}
			}
		})
	}
}
