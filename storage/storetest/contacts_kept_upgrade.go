package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
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
	sender, other, own := keptOptOutsAt69(t, ctx, db, "sms STOP", "sms ARRET", nil)
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

// keptOptOutsAt69 wipes db and migrates it to 0069, then writes what a
// server of 0069 could leave: contacts on mac-sender (active, though its
// number's STOP, words how, was stored at 05:00 while it was no
// contact's), mac-other (active, never opted out) and mac-own (opted out
// on its own at 06:00 with words ownHow, its number's STOP stored too);
// and the stored opt-outs of the numbers of more (at the time given).
// It answers the three contacts' ids.
func keptOptOutsAt69(t *testing.T, ctx context.Context, db *storage.DB, how, ownHow string, more map[string]string) (sender, other, own int64) {
	t.Helper()
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
		id, err := db.InsertID(ctx, db.SQL, `INSERT INTO contacts (phone_sealed, phone_mac, language, consent_at, consent_how, consent_by, opted_out_at, opt_out_how, created)
			VALUES (?, ?, 'fr', ?, 'verbal', 'ana', ?, ?, ?)`, []byte("sealed-"+mac), mac, t0, optedOut, how, t0)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	sender, other, own = add("mac-sender", nil, ""), add("mac-other", nil, ""), add("mac-own", t2, ownHow)
	stored := map[string]string{"mac-sender": t1, "mac-own": t1}
	maps.Copy(stored, more)
	for mac, at := range stored {
		if _, err := db.Exec(ctx, db.SQL, `INSERT INTO contact_optouts (phone_mac, at, how) VALUES (?, ?, ?)`, mac, at, how); err != nil {
			t.Fatal(err)
		}
	}
	return sender, other, own
}

// testContactsKeptOptOutAudit: the contacts migration 0070 opted out get
// the audit entry a migration cannot write, once, when the store next
// migrates (each start): "contacts.opt-out" of the contact, by "system",
// with the stored opt-out's words and time and no number. A contact
// opted out on its own, one whose number never opted out, and one that
// adopted a stored opt-out after 0070 (audited then) get none; a second
// start writes nothing.
func testContactsKeptOptOutAudit(t *testing.T, ctx context.Context, db *storage.DB) {
	const t1 = "2026-12-05T05:00:00.000000Z" // the tipline sender's STOP (keptOptOutsAt69)
	sender, _, _ := keptOptOutsAt69(t, ctx, db, "reply: stop", "reply: arret", map[string]string{"mac-later": "2026-12-05T07:00:00.000000Z"})
	// A server of 0070 opts the sender out, writes no audit entry, then
	// adds a contact whose number has a stored opt-out (audited).
	if err := db.MigrateTo(ctx, 70); err != nil {
		t.Fatal(err)
	}
	later := &contacts.Contact{PhoneSealed: []byte("sealed-later"), PhoneMAC: "mac-later", Language: "fr",
		Consent: contacts.Consent{At: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC), How: "verbal", By: "ana"}, Created: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)}
	if err := db.CreateContacts(ctx, "ana", []*contacts.Contact{later}); err != nil || later.OptedOutAt == nil {
		t.Fatalf("a contact given a number that opted out: %+v %v", later, err)
	}
	entries := func() []string {
		t.Helper()
		rs, err := db.AuditLog(ctx, audit.Filter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for i := len(rs) - 1; i >= 0; i-- {
			out = append(out, rs[i].Actor+" "+rs[i].Action+" "+rs[i].Object+": "+rs[i].Detail)
		}
		return out
	}
	before := entries()
	for run := 1; run <= 2; run++ {
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		got := entries()[len(before):]
		want := []string{fmt.Sprintf("system contacts.opt-out contact:%d: reply: stop; stored %s before the number was a contact's", sender, t1)}
		if !slices.Equal(got, want) {
			t.Errorf("start %d: audit entries written %q, want %q", run, got, want)
		}
	}
	if got, want := before, []string{"ana contacts.create contacts: 1 contacts added", fmt.Sprintf("ana contacts.opt-out contact:%d: reply: stop", later.ID)}; !slices.Equal(got, want) {
		t.Errorf("audit entries before the start %q, want %q", got, want)
	}
}
