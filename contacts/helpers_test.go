package contacts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// contactsWithChannel opens a fresh store sealing with one fresh key and
// returns the contacts service over it (its channels the store's), the
// alert network over it and an intake channel of kind named name to send
// through.
func contactsWithChannel(tb testing.TB, kind alerts.Kind, name string) (*contacts.Service, *alerts.Service, alerts.Channel) {
	tb.Helper()
	db := testutil.Store(tb)
	k := testutil.Keys(tb, "k1")
	as := alerts.NewService(db, k)
	ch, err := as.NewChannel(context.Background(), "admin", kind, name, "gw-secret-1", "")
	if err != nil {
		tb.Fatal(err)
	}
	cs := contacts.NewService(db, k)
	cs.Channels = db
	return cs, as, ch
}

// importGroup imports n contacts into group, numbered +2438 then first,
// first+1, … in eight digits, each with verbal consent.
func importGroup(tb testing.TB, cs *contacts.Service, n, first int, group string) {
	tb.Helper()
	rows := make([]contacts.Row, n)
	for i := range rows {
		rows[i] = contacts.Row{Where: "group.csv", Input: contacts.Input{Phone: fmt.Sprintf("+2438%08d", first+i), Groups: []string{group}, ConsentHow: "verbal"}}
	}
	if _, err := cs.Import(context.Background(), "analyst", rows); err != nil {
		tb.Fatal(err)
	}
}

// TestMaskedPhonesTellContactsApart: two contacts whose numbers end in
// the same digits are told apart in the list (their last three digits,
// and a tag of each number's keyed hash), and no more of a number shows.
func TestMaskedPhonesTellContactsApart(t *testing.T) {
	cs, _, _ := contactsWithChannel(t, alerts.SMSSync, "gw")
	ctx := context.Background()
	for _, p := range []string{"+243810000101", "+243820000201", "+243810000301"} {
		if _, err := cs.Create(ctx, "ana", contacts.Input{Phone: p, ConsentHow: "verbal"}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := cs.List(ctx, contacts.Filter{})
	if err != nil || len(list) != 3 {
		t.Fatalf("%d contacts, %v", len(list), err)
	}
	seen := map[string]bool{}
	for _, c := range list {
		if seen[c.PhoneMasked] {
			t.Errorf("two contacts look alike: %q", c.PhoneMasked)
		}
		seen[c.PhoneMasked] = true
		if n := strings.Count(strings.SplitN(c.PhoneMasked, " #", 2)[0], "•"); n != 9 {
			t.Errorf("%q masks %d digits, want 9 of 12", c.PhoneMasked, n)
		}
	}
	// The tag is stable: the same number is masked the same way again.
	again, _ := cs.List(ctx, contacts.Filter{})
	for i := range again {
		if again[i].PhoneMasked != list[i].PhoneMasked {
			t.Errorf("mask changed: %q then %q", list[i].PhoneMasked, again[i].PhoneMasked)
		}
	}
}
