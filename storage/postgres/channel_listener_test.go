package postgres_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/storage"
)

// TestChannelListenerLost: server B keeps a channel it read; its
// listening connection is killed (pg_terminate_backend, waiting until the
// backend is gone), and while it is down server A disables the channel
// and gives it a new secret — notices B never gets. Once B has noticed
// the loss (not listening, or listening again), its next lookup reads the
// channel as it now is: the cache was emptied when the connection was
// lost and again when it listens, and nothing kept is served in between.
// Before the cache emptied itself on loss, B served the channel it kept.
func TestChannelListenerLost(t *testing.T) {
	ctx := context.Background()
	dbs := openN(t, freshSchema(t), 2)
	a, b := dbs[0], dbs[1]
	c := alerts.Channel{Key: "lost-1", Kind: alerts.SMSSync, Name: "Phone", LegalBasis: "consent", Created: time.Now(), SecretSealed: []byte("sealed-1")}
	if err := a.CreateChannel(ctx, "test", &c); err != nil {
		t.Fatal(err)
	}
	if err := b.SyncChannels(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 { // read, then kept
		if got, err := b.ChannelByKey(ctx, c.Key); err != nil || got.Disabled {
			t.Fatalf("B before: %+v %v", got, err)
		}
	}
	before := b.ChannelListener()
	if !before.Live || before.PID == 0 {
		t.Fatalf("B's listener after SyncChannels: %+v", before)
	}
	var gone bool
	if err := a.SQL.QueryRowContext(ctx, `SELECT pg_terminate_backend($1, 20000)`, before.PID).Scan(&gone); err != nil || !gone {
		t.Fatalf("terminate B's listener: %v %v", gone, err)
	}
	yes := true
	if err := a.PatchChannel(ctx, "test", c.ID, alerts.ChannelPatch{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetChannelSecret(ctx, "test", c.ID, []byte("sealed-2")); err != nil {
		t.Fatal(err)
	}
	waitListener(t, b, func(l storage.ChannelListener) bool { return !l.Live || l.Listens > before.Listens })
	if got, err := b.ChannelByKey(ctx, c.Key); err != nil || !got.Disabled || !bytes.Equal(got.SecretSealed, []byte("sealed-2")) {
		t.Errorf("B after its listener was lost: disabled %v, sealed secret %q, %v", got.Disabled, got.SecretSealed, err)
	}
	// Listening again, B keeps channels and hears changes again.
	waitListener(t, b, func(l storage.ChannelListener) bool { return l.Live })
	if err := b.SyncChannels(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ChannelByKey(ctx, c.Key); err != nil {
		t.Fatal(err)
	}
	if err := a.SetChannelSecret(ctx, "test", c.ID, []byte("sealed-3")); err != nil {
		t.Fatal(err)
	}
	if err := b.SyncChannels(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := b.ChannelByKey(ctx, c.Key); err != nil || !bytes.Equal(got.SecretSealed, []byte("sealed-3")) {
		t.Errorf("B after it listens again: sealed secret %q, %v", got.SecretSealed, err)
	}
}

// waitListener waits, without a timer, until db's channel listener is in a
// state ok accepts (the test's own timeout bounds it).
func waitListener(t *testing.T, db *storage.DB, ok func(storage.ChannelListener) bool) {
	t.Helper()
	for {
		l := db.ChannelListener()
		if ok(l) {
			return
		}
		<-l.Changed
	}
}
