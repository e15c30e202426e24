package storetest

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

// testContactsInvalidUTF8: what a gateway answers is stored even when it
// is not valid UTF-8 (a body in Latin-1, an id cut inside a character):
// PostgreSQL refuses such text, and a push's result that cannot be stored
// leaves the message claimed, to be failed « in doubt » later though the
// gateway took it. The bytes that are not UTF-8 are stored as U+FFFD.
func testContactsInvalidUTF8(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	ch, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "Relay phone", "relay-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	var rows []contacts.Row
	for _, p := range []string{"+243810000001", "+243810000002"} {
		rows = append(rows, contacts.Row{Where: "c.csv", Input: contacts.Input{Phone: p, Language: "fr", Groups: []string{"g"}, ConsentHow: "verbal"}})
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "Réunion"}})
	if err != nil || b.Reach.Queued != 2 {
		t.Fatalf("queue: %+v %v", b.Reach, err)
	}
	var first, second int64
	if err := db.SQL.QueryRowContext(ctx, db.Rebind(`SELECT MIN(id), MAX(id) FROM alert_outbox WHERE broadcast_id = ?`), b.ID).Scan(&first, &second); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	latin1 := "refus\xe9 : num\xe9ro invalide" // « refusé : numéro invalide » in Latin-1
	if err := db.RecordPush(ctx, first, contacts.PushResult{Final: true, Error: "gateway refused the message: " + latin1, Code: "refused:400", Said: latin1}, now); err != nil {
		t.Fatalf("a failure in Latin-1: %v", err)
	}
	cut := strings.Repeat("é", 40)[:63] // an id cut inside its last character
	if err := db.RecordPush(ctx, second, contacts.PushResult{Sent: true, Ref: cut}, now); err != nil {
		t.Fatalf("an id cut inside a character: %v", err)
	}
	f, err := cs.Failures(ctx, b.ID)
	if err != nil || f.Failed != 1 || len(f.Reasons) != 1 {
		t.Fatalf("failures: %+v %v", f, err)
	}
	if said := f.Reasons[0].GatewaySaid; !utf8.ValidString(said) || said != "refus\uFFFD : num\uFFFDro invalide" {
		t.Errorf("the gateway's words: %q", said)
	}
	var ref string
	if err := db.SQL.QueryRowContext(ctx, db.Rebind(`SELECT gateway_ref FROM alert_outbox WHERE id = ?`), second).Scan(&ref); err != nil || !utf8.ValidString(ref) || !strings.HasPrefix(ref, "éé") {
		t.Errorf("the stored id: %q %v", ref, err)
	}
}
