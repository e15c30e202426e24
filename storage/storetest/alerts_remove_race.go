package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testChannelRemoveRace: an alert arrives on a never-used channel while an
// admin removes it. On PostgreSQL the removal counted no alert (the
// alert's transaction had not committed), then its DELETE waited for the
// alert's lock on the channel row and failed on the foreign key once the
// alert committed: a 500. It is now the keyed conflict
// alerts.refusal.channel-just-used (409), nothing removed, nothing audited,
// the alert kept. The interleaving is made deterministic: the alert's
// transaction is held open until the removal waits on its lock
// (pg_locks). SQLite begins every write transaction IMMEDIATE: the two
// cannot interleave there.
func testChannelRemoveRace(t *testing.T, ctx context.Context, db *storage.DB) {
	if db.Dialect != storage.Postgres {
		t.Skip("SQLite serialises write transactions (BEGIN IMMEDIATE): a removal and an alert cannot interleave")
	}
	s, used := alertChannel(t, db, alerts.SMSSync, "Djugu phone", "s3cret-gw")
	first, err := s.Receive(ctx, used, alerts.Inbound{GatewayID: "m1", Message: "armed men at the market"})
	if err != nil {
		t.Fatal(err)
	}
	spare, err := s.NewChannel(ctx, "admin", alerts.Webhook, "Spare relay", "s3cret-gw-spare", "")
	if err != nil {
		t.Fatal(err)
	}
	// The alert arriving on the spare channel, not committed yet.
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := db.Exec(ctx, tx, `INSERT INTO alerts (channel_id, incident_id, message, received_at, loc_status) VALUES (?, ?, '', ?, 'unresolved')`,
		spare.ID, first.IncidentID, time.Now().UTC().Format(time.RFC3339)); err != nil {
		t.Fatal(err)
	}
	var xid string
	if err := tx.QueryRowContext(ctx, `SELECT pg_current_xact_id()::text`).Scan(&xid); err != nil {
		t.Fatal(err)
	}
	removed := make(chan error, 1)
	go func() { removed <- s.RemoveChannel(ctx, "admin", spare.ID) }()
	// Wait until the removal waits for the alert's transaction.
	for waiting := 0; waiting == 0; {
		if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted AND transactionid::text = $1`, xid).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-removed:
			t.Fatalf("the removal did not wait for the alert: %v", err)
		default:
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	err = <-removed
	if e := apperr.As(err); e == nil || e.Kind != apperr.KindConflict || e.Key != "alerts.refusal.channel-just-used" ||
		err.Error() != "Spare relay has just been used (a message came in or was queued while it was being removed): it was not removed. Disable it instead: it takes no more messages and keeps its history" {
		t.Fatalf("removal while an alert arrives: %v, want the keyed conflict", err)
	}
	if _, err := db.ChannelByKey(ctx, spare.Key); err != nil {
		t.Errorf("the channel: %v, want kept", err)
	}
	if rs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.channel.remove"}); err != nil || len(rs) != 0 {
		t.Errorf("audit %+v %v, want no removal", rs, err)
	}
	if n, err := db.Alerts(ctx, alerts.AlertFilter{}); err != nil || len(n) != 2 {
		t.Errorf("%d alerts %v, want 2", len(n), err)
	}
}
