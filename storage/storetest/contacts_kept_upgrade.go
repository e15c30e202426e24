package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

// testContactsKeptOptOutUpgrade: a contact given a number before that
// number's stored opt-out was adopted (migration 0070) was listed active
// though its number had replied STOP; after the upgrade it is opted out
// with the stored opt-out's time and words. A contact whose number never
// opted out stays active, and one already opted out keeps its own time and
// words. (Listed opted out, it can be opted in again with a new consent,
// which clears the stored opt-out too: contacts/kept-opt-out.)
func testContactsKeptOptOutUpgrade(t *testing.T, ctx context.Context, db *storage.DB) {
	wipe(t, db)
	if err := db.MigrateTo(ctx, 69); err != nil {
		t.Fatal(err)
	}
	const (
		t0 = "2026-12-05T04:00:00.000000Z"
		t1 = "2026-12-05T05:00:00.000000Z" // the tipline sender's STOP
		t2 = "2026-12-05T06:00:00.000000Z" // the opted-out contact's own STOP
	)
	add := func(mac string, optedOut any, how string) int64 {
		t.Helper()
		id, err := db.InsertID(ctx, db.SQL, `INSERT INTO contacts (phone_sealed, phone_mac, language, consent_at, consent_how, consent_by, opted_out_at, opt_out_how, created)
			VALUES (?, ?, 'fr', ?, 'verbal', 'ana', ?, ?, ?)`, []byte("sealed-"+mac), mac, t0, optedOut, how, t0)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	sender := add("mac-sender", nil, "")
	other := add("mac-other", nil, "")
	own := add("mac-own", t2, "sms ARRET")
	for _, o := range []struct{ mac, at, how string }{{"mac-sender", t1, "sms STOP"}, {"mac-own", t1, "sms STOP"}} {
		if _, err := db.Exec(ctx, db.SQL, `INSERT INTO contact_optouts (phone_mac, at, how) VALUES (?, ?, ?)`, o.mac, o.at, o.how); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cs, err := db.Contacts(ctx, contacts.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, c := range cs {
		s := "active"
		if c.OptedOutAt != nil {
			s = c.OptedOutAt.UTC().Format(time.RFC3339) + " " + c.OptOutHow
		}
		got[c.ID] = s
	}
	for _, w := range []struct {
		name string
		id   int64
		want string
	}{
		{"the tipline sender made a contact", sender, "2026-12-05T05:00:00Z sms STOP"},
		{"a contact whose number never opted out", other, "active"},
		{"a contact opted out on its own", own, "2026-12-05T06:00:00Z sms ARRET"},
	} {
		if got[w.id] != w.want {
			t.Errorf("%s after the upgrade: %q, want %q", w.name, got[w.id], w.want)
		}
	}
	if n, err := db.OptedOut(ctx, "mac-other"); err != nil || n {
		t.Errorf("mac-other opted out: %v (%v), want false", n, err)
	}
	if n, err := db.OptedOut(ctx, "mac-sender"); err != nil || !n {
		t.Errorf("mac-sender opted out: %v (%v), want true", n, err)
	}
}
