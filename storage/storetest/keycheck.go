package storetest

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
)

func keyring(t *testing.T, active string, ids ...string) (*crypt.Keyring, map[string][]byte) {
	raw := map[string][]byte{}
	for _, id := range ids {
		raw[id] = make([]byte, 32)
		rand.Read(raw[id])
	}
	k, err := crypt.New(raw, active)
	if err != nil {
		t.Fatal(err)
	}
	return k, raw
}

// testKeyCheck: a server whose keyring cannot open the database's personal
// data is refused at start, with a message that says every server needs
// the same keys; the right keyring (and one with a key added) passes.
func testKeyCheck(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("Canary", func(t *testing.T) {
		db := open(t)
		first, raw := keyring(t, "k1", "k1")
		if err := db.CheckKeyring(ctx, first); err != nil {
			t.Fatalf("first start: %v", err)
		}
		if err := db.CheckKeyring(ctx, first); err != nil {
			t.Fatalf("second start with the same keys: %v", err)
		}
		sameID, _ := keyring(t, "k1", "k1") // same id, another key
		otherID, _ := keyring(t, "k9", "k9")
		for name, k := range map[string]*crypt.Keyring{"same id, other key": sameID, "other id": otherID} {
			err := db.CheckKeyring(ctx, k)
			if err == nil || !strings.Contains(err.Error(), "Every server on one database needs the same keys") || !strings.Contains(err.Error(), "k1") {
				t.Fatalf("%s: %v", name, err)
			}
		}
		// A rotated keyring (new active key, the old one kept) passes and
		// leaves a canary for the new key too.
		raw["k2"] = make([]byte, 32)
		rand.Read(raw["k2"])
		rotated, err := crypt.New(raw, "k2")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CheckKeyring(ctx, rotated); err != nil {
			t.Fatalf("rotated keyring: %v", err)
		}
		if err := db.CheckKeyring(ctx, first); err == nil || !strings.Contains(err.Error(), "k2") {
			t.Fatalf("a server without the new key k2: %v", err)
		}
	})
	t.Run("DataBeforeCanaries", func(t *testing.T) {
		// A database whose data was sealed before key_canary existed: the
		// channel secrets show which key is the database's.
		db := open(t)
		first, _ := keyring(t, "k1", "k1")
		svc := alerts.NewService(db, first)
		if _, err := svc.NewChannel(ctx, "admin", alerts.SMSSync, "gw", "s3cret-gw", ""); err != nil {
			t.Fatal(err)
		}
		stranger, _ := keyring(t, "k1", "k1")
		if err := db.CheckKeyring(ctx, stranger); err == nil || !strings.Contains(err.Error(), "same keys") {
			t.Fatalf("a keyring that cannot open the channel secret: %v", err)
		}
		if err := db.CheckKeyring(ctx, first); err != nil {
			t.Fatalf("the database's own keyring: %v", err)
		}
	})
}
