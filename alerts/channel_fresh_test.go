package alerts_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestChannelChangeOnAnotherServer: two servers on one database (two
// services over one store, or over two handles on one SQLite file or
// PostgreSQL schema: another process, another server). Server B has just
// taken a message on a channel (the channel is now in its cache); an
// administrator on server A disables it, gives it a new secret, or removes
// it. B's next message sees the change: the disabled or removed channel
// takes nothing, the old secret is refused. On SQLite B's lookup checks
// the channels' change counter; on PostgreSQL B's listener takes the
// change's NOTIFY, which SyncChannels waits for (the time a notice takes
// to arrive, not a guessed sleep). Before session 25, B kept the channel
// it had read for up to 10 s (channelTTL): a disabled channel, or a leaked
// secret just rotated, went on taking messages there.
func TestChannelChangeOnAnotherServer(t *testing.T) {
	for _, servers := range twoServers(t) {
		for _, tc := range channelChanges() {
			t.Run(servers.name+"/"+tc.name, func(t *testing.T) {
				ctx := context.Background()
				stA, stB := servers.open(t)
				keys := testutil.Keys(t, "k")
				a, b := alerts.NewService(stA, keys), alerts.NewService(stB, keys)
				c, err := a.NewChannel(ctx, "ada", alerts.SMSSync, "Phone", "old-secret-1", "")
				if err != nil {
					t.Fatal(err)
				}
				syncChannels(t, stB)
				for range 2 { // read, then from B's cache
					if got, err := b.IntakeChannel(ctx, alerts.SMSSync, c.Key); err != nil || got.Secret != "old-secret-1" {
						t.Fatalf("B's lookup: %+v %v", got, err)
					}
				}
				if err := tc.change(a, c); err != nil {
					t.Fatal(err)
				}
				syncChannels(t, stB)
				if got, err := b.IntakeChannel(ctx, alerts.SMSSync, c.Key); !tc.check(got, err) {
					t.Errorf("B's next lookup after the change on A: secret %q, disabled %v, %v", got.Secret, got.Disabled, err)
				}
			})
		}
	}
}

// twoServers are the ways two servers share a database: one SQLite store
// in one process, two handles on one SQLite file (another process, such
// as a `vigil channels` command), and, with VIGIL_TEST_POSTGRES, two
// handles on one PostgreSQL schema.
func twoServers(t *testing.T) []struct {
	name string
	open func(t *testing.T) (a, b *storage.DB)
} {
	out := []struct {
		name string
		open func(t *testing.T) (a, b *storage.DB)
	}{
		{"sqlite-one-process", func(t *testing.T) (a, b *storage.DB) {
			st := testutil.Store(t)
			return st, st
		}},
		{"sqlite-two-processes", func(t *testing.T) (a, b *storage.DB) {
			dir := t.TempDir()
			return testutil.StoreAt(t, dir, sqlite.Options{}), testutil.StoreAt(t, dir, sqlite.Options{})
		}},
	}
	if base := testutil.PostgresURL(t); base != "" {
		out = append(out, struct {
			name string
			open func(t *testing.T) (a, b *storage.DB)
		}{"postgres", func(t *testing.T) (a, b *storage.DB) {
			u := testutil.PostgresSchema(t, base, "chan_fresh")
			var dbs [2]*storage.DB
			for i := range dbs {
				db, err := postgres.Open(context.Background(), u)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			return dbs[0], dbs[1]
		}})
	}
	return out
}

// syncChannels waits until st has taken every channel change committed
// before (storage.DB.SyncChannels: PostgreSQL's notices; nothing to wait
// for on SQLite).
func syncChannels(t *testing.T, st *storage.DB) {
	t.Helper()
	if err := st.SyncChannels(context.Background()); err != nil {
		t.Fatal(err)
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
		if err := st.(*storage.DB).SyncChannels(ctx); err != nil { // PostgreSQL: listening
			b.Fatal(err)
		}
		// "repeat": the same channel again and again (a gateway's
		// messages); "forgotten": the service's opened secrets emptied
		// before each lookup (ForgetChannels: the secret opened every
		// time; the store keeps its channels, session 29).
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
