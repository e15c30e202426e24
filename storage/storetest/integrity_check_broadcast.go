package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testIntegrityCheckBroadcast: a broadcast linked to a check is in its
// history with its reach (recipients, pending: counts), is logged and
// moves the planned response to responded in one transaction; linked
// again nothing changes; an unknown broadcast is not found, and one that
// answers another check is refused naming "broadcast".
func testIntegrityCheckBroadcast(t *testing.T, ctx context.Context, db *storage.DB) {
	f := answersFixture(t, ctx, db, func(r contacts.TiplineReplier) integrity.Replier { return r })
	cs := contacts.NewService(db, f.as.Keys)
	for _, p := range []string{"+243811000301", "+243811000302"} {
		if _, err := cs.Create(ctx, "ana", contacts.Input{Phone: p, Name: "c", Language: "fr", Groups: []string{"bunia"}, ConsentHow: "verbal"}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := cs.Send(ctx, "ana", contacts.BroadcastRequest{ChannelID: f.tip.ID, Audience: contacts.Audience{Group: "bunia"}, Messages: map[string]string{"fr": "Faux : le pont est ouvert."}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		c, err := f.integ.LinkBroadcast(ctx, "ana", f.n, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range c.Log {
			if e.Kind == integrity.LogBroadcast {
				n++
			}
		}
		if c.State != integrity.CheckResponded || n != 1 || len(c.Broadcasts) != 1 || c.Broadcasts[0].Recipients != 2 || c.Broadcasts[0].Pending != 2 || c.Broadcasts[0].Channel != "Bunia tipline" || c.Broadcasts[0].Group != "bunia" {
			t.Errorf("link %d: %s, %d log entries, broadcasts %+v", i+1, c.State, n, c.Broadcasts)
		}
	}
	if got, err := db.Broadcast(ctx, b.ID); err != nil || got.Check != f.n {
		t.Errorf("broadcast answers check %d (%v), want %d", got.Check, err, f.n)
	}
	if err := db.LinkBroadcast(ctx, "ana", f.n, integrity.BroadcastLink{Broadcast: b.ID + 100, Entry: integrity.CheckEntry{Kind: integrity.LogBroadcast}}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown broadcast: %v, want not found", err)
	}
	if err := db.LinkBroadcast(ctx, "ana", f.n+1000, integrity.BroadcastLink{Broadcast: b.ID, Entry: integrity.CheckEntry{Kind: integrity.LogBroadcast}}); apperr.FieldOf(err) != "broadcast" {
		t.Errorf("another check's broadcast: %v, want a refusal naming broadcast", err)
	}
}
