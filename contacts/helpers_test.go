package contacts_test

import (
	"context"
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
	ch, err := as.NewChannel(context.Background(), "admin", kind, name, "s", "")
	if err != nil {
		tb.Fatal(err)
	}
	cs := contacts.NewService(db, k)
	cs.Channels = db
	return cs, as, ch
}
