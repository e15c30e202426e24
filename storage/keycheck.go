package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
)

const (
	canaryText = "vigil key check"
	canaryAAD  = "key_canary.sealed"
)

// CheckKeyring makes sure keys is the keyring that sealed the personal data
// in this database, so a server started with other keys (say, on a second
// machine without the shared VIGIL_KEYS) refuses to start instead of
// answering 500 on intake and "(cannot decrypt)" on screen. It checks one
// value per key id the database holds: the canary that an earlier start
// sealed with that id (table key_canary), and the channel secrets, which
// predate the canaries. Then it seals a canary with each key of keys that has
// none yet (the first server to do so wins; the others check against it).
func (db *DB) CheckKeyring(ctx context.Context, keys *crypt.Keyring) error {
	if keys == nil {
		return nil
	}
	have := keys.IDs()
	var missing, wrong []string
	check := func(sealed []byte, aad string) {
		id, err := crypt.KeyID(sealed)
		if err != nil {
			return // not ciphertext: nothing to learn about keys
		}
		if !slices.Contains(have, id) {
			if !slices.Contains(missing, id) {
				missing = append(missing, id)
			}
			return
		}
		if _, err := keys.Open(sealed, []byte(aad)); err != nil && !slices.Contains(wrong, id) {
			wrong = append(wrong, id)
		}
	}
	canaries := map[string]bool{}
	if err := db.eachSealed(ctx, `SELECT key_id, sealed FROM key_canary`, func(id string, b []byte) {
		canaries[id] = true
		check(b, canaryAAD)
	}); err != nil {
		return fmt.Errorf("key check: %w", err)
	}
	if err := db.eachSealed(ctx, `SELECT chan_key, secret FROM alert_channels WHERE secret IS NOT NULL`, func(_ string, b []byte) {
		check(b, alerts.AADChannelSecret)
	}); err != nil {
		return fmt.Errorf("key check: %w", err)
	}
	if err := keyMismatch(missing, wrong); err != nil {
		return err
	}
	for _, id := range have {
		if canaries[id] {
			continue
		}
		sealed, err := keys.SealWith(id, []byte(canaryText), []byte(canaryAAD))
		if err != nil {
			return err
		}
		if _, err := db.Exec(ctx, db.SQL, `INSERT INTO key_canary (key_id, sealed, created) VALUES (?, ?, ?)
			ON CONFLICT (key_id) DO NOTHING`, id, sealed, formatTime(time.Now())); err != nil {
			return fmt.Errorf("key check: %w", err)
		}
		// Another server may have sealed this id first, with another key.
		var got []byte
		if err := db.QueryRow(ctx, db.SQL, `SELECT sealed FROM key_canary WHERE key_id = ?`, id).Scan(&got); err != nil {
			return fmt.Errorf("key check: %w", err)
		}
		check(got, canaryAAD)
	}
	return keyMismatch(missing, wrong)
}

func (db *DB) eachSealed(ctx context.Context, q string, fn func(id string, b []byte)) error {
	return eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var id string
		var b []byte
		err := sc.Scan(&id, &b)
		if err == nil {
			fn(id, b)
		}
		return err
	}, q)
}

func keyMismatch(missing, wrong []string) error {
	if len(missing) == 0 && len(wrong) == 0 {
		return nil
	}
	var why []string
	if len(missing) > 0 {
		why = append(why, fmt.Sprintf("the database holds data sealed with key %s, which this keyring does not have", strings.Join(missing, ", ")))
	}
	if len(wrong) > 0 {
		why = append(why, fmt.Sprintf("key %s of this keyring is not the key of that id that sealed the database's data", strings.Join(wrong, ", ")))
	}
	return fmt.Errorf("the encryption keys do not open this database's personal data: %s. Every server on one database needs the same keys: "+
		"set %s to the same value on each (or copy the first server's %s), then start again", strings.Join(why, "; "), crypt.EnvVar, crypt.FileName)
}
