package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testChannelCacheOtherWriters: ChannelByKey keeps the channels it read,
// and a channel changed behind this DB's back — by plain SQL on another
// connection, as another server or a `vigil channels` command on the
// database would — is read fresh at the next lookup once the change is
// committed (SQLite: the channel_version counter; PostgreSQL: the
// trigger's NOTIFY, which SyncChannels waits for as this server's
// listener takes it). This DB's own changes are seen at once, without
// waiting for anything. Bumping the intake throttle's count changes
// nothing a lookup says.
func testChannelCacheOtherWriters(t *testing.T, ctx context.Context, db *storage.DB) {
	exec := func(q string, args ...any) error {
		_, err := db.Exec(ctx, db.SQL, q, args...)
		return err
	}
	yes := true
	cases := []struct {
		name   string
		change func(c alerts.Channel) error
		own    bool // through this DB: no SyncChannels
		check  func(c alerts.Channel, err error) bool
	}{
		{"secret by another writer", func(c alerts.Channel) error {
			return exec(`UPDATE alert_channels SET secret = ? WHERE id = ?`, []byte("sealed-2"), c.ID)
		}, false, func(c alerts.Channel, err error) bool {
			return err == nil && bytes.Equal(c.SecretSealed, []byte("sealed-2"))
		}},
		{"disabled by another writer", func(c alerts.Channel) error {
			return exec(`UPDATE alert_channels SET disabled = 1 WHERE id = ?`, c.ID)
		}, false, func(c alerts.Channel, err error) bool { return err == nil && c.Disabled }},
		{"removed by another writer", func(c alerts.Channel) error {
			return exec(`DELETE FROM alert_channels WHERE id = ?`, c.ID)
		}, false, func(c alerts.Channel, err error) bool { return errors.Is(err, apperr.ErrNotFound) }},
		{"throttle count by another writer", func(c alerts.Channel) error {
			return exec(`UPDATE alert_channels SET throttled = throttled + 1 WHERE id = ?`, c.ID)
		}, false, func(c alerts.Channel, err error) bool {
			return err == nil && !c.Disabled && bytes.Equal(c.SecretSealed, []byte("sealed-1"))
		}},
		{"disabled here", func(c alerts.Channel) error {
			return db.PatchChannel(ctx, "test", c.ID, alerts.ChannelPatch{Disabled: &yes})
		}, true, func(c alerts.Channel, err error) bool { return err == nil && c.Disabled }},
		{"secret here", func(c alerts.Channel) error {
			return db.SetChannelSecret(ctx, "test", c.ID, []byte("sealed-2"))
		}, true, func(c alerts.Channel, err error) bool {
			return err == nil && bytes.Equal(c.SecretSealed, []byte("sealed-2"))
		}},
		{"resealed here", func(c alerts.Channel) error {
			_, err := db.ResealChannels(ctx, "test", func(old []byte) ([]byte, error) { return append(bytes.Clone(old), '+'), nil })
			return err
		}, true, func(c alerts.Channel, err error) bool {
			return err == nil && bytes.Equal(c.SecretSealed, []byte("sealed-1+"))
		}},
		{"removed here", func(c alerts.Channel) error {
			_, err := db.RemoveChannel(ctx, "test", c.ID)
			return err
		}, true, func(c alerts.Channel, err error) bool { return errors.Is(err, apperr.ErrNotFound) }},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := alerts.Channel{Key: fmt.Sprintf("cache-%d", i), Kind: alerts.SMSSync, Name: tc.name, LegalBasis: "consent",
				Created: time.Now(), SecretSealed: []byte("sealed-1")}
			if err := db.CreateChannel(ctx, "test", &c); err != nil {
				t.Fatal(err)
			}
			if err := db.SyncChannels(ctx); err != nil { // PostgreSQL: listening, the creations heard
				t.Fatal(err)
			}
			for range 2 { // read, then kept
				if got, err := db.ChannelByKey(ctx, c.Key); err != nil || got.ID != c.ID || !bytes.Equal(got.SecretSealed, []byte("sealed-1")) {
					t.Fatalf("before the change: %+v %v", got, err)
				}
			}
			if err := tc.change(c); err != nil {
				t.Fatal(err)
			}
			if !tc.own {
				if err := db.SyncChannels(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if got, err := db.ChannelByKey(ctx, c.Key); !tc.check(got, err) {
				t.Errorf("after the change: disabled %v, sealed secret %q, %v", got.Disabled, got.SecretSealed, err)
			}
		})
	}
}
