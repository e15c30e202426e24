package alerts_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage/postgres"
)

// TestChannelChangeOnAnotherServer: two servers on one database (two
// services over one store). Server B has just taken a message on a
// channel (its lookup is fresh); an administrator on server A disables it,
// gives it a new secret, or removes it. B's next message sees the change
// at once: the disabled or removed channel takes nothing, the old secret
// is refused. Before, B kept the channel it had read for up to 10 s
// (channelTTL): a disabled channel, or a leaked secret just rotated, went
// on taking messages there.
func TestChannelChangeOnAnotherServer(t *testing.T) {
	for _, tc := range channelChanges() {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st, keys := testutil.Store(t), testutil.Keys(t, "k")
			a, b := alerts.NewService(st, keys), alerts.NewService(st, keys)
			c, err := a.NewChannel(ctx, "ada", alerts.SMSSync, "Phone", "old-secret-1", "")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := b.IntakeChannel(ctx, alerts.SMSSync, c.Key); err != nil || got.Secret != "old-secret-1" {
				t.Fatalf("B's first lookup: %+v %v", got, err)
			}
			if err := tc.change(a, c); err != nil {
				t.Fatal(err)
			}
			if got, err := b.IntakeChannel(ctx, alerts.SMSSync, c.Key); !tc.check(got, err) {
				t.Errorf("B's next lookup after the change on A: secret %q, disabled %v, %v", got.Secret, got.Disabled, err)
			}
		})
	}
}

// BenchmarkIntakeChannel is the channel lookup each gateway message makes
// (IntakeChannel), on SQLite and, with VIGIL_TEST_POSTGRES, PostgreSQL.
func BenchmarkIntakeChannel(b *testing.B) {
	ctx := context.Background()
	stores := map[string]alerts.Store{"sqlite": testutil.Store(b)}
	if base := testutil.PostgresURL(b); base != "" {
		db, err := postgres.Open(ctx, testutil.PostgresSchema(b, base, "bench_chan"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		stores["postgres"] = db
	}
	for _, name := range []string{"sqlite", "postgres"} {
		st, ok := stores[name]
		if !ok {
			continue
		}
		svc := alerts.NewService(st, testutil.Keys(b, "k"))
		c, err := svc.NewChannel(ctx, "ada", alerts.SMSSync, "Phone "+name, "old-secret-1", "")
		if err != nil {
			b.Fatal(err)
		}
		// "repeat": the same channel again and again (a gateway's
		// messages); "forgotten": the cache emptied before each lookup
		// (the whole row read and its secret opened every time).
		for _, forget := range []bool{false, true} {
			b.Run(name+map[bool]string{false: "/repeat", true: "/forgotten"}[forget], func(b *testing.B) {
				for b.Loop() {
					if forget {
						svc.ForgetChannels()
					}
					if _, err := svc.IntakeChannel(ctx, alerts.SMSSync, c.Key); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
