package contacts_test

import (
	"context"
	"fmt"
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
