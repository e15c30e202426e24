package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testSMSSyncResults: an SMSSync phone's message results (task=result)
// are recorded per message, as Twilio's receipts are: a broadcast's
// message the phone could not send (Android error 2, radio off) is
// failed with that reason and the phone's words in the broadcast's
// failures; one reported delivered counts as delivered in its reach; a
// reply the phone could not send is failed (its status and reason in the
// outbox); one sent with no delivery report yet stays sent and is still
// asked for (GET task=result), the others no more. A result for a message
// the channel never sent is skipped; a malformed one is refused naming
// its field. Before, the results were acknowledged and dropped: SMSSync
// phones reported no failure.
func testSMSSyncResults(t *testing.T, ctx context.Context, db *storage.DB) {
	as, ch := alertChannel(t, db, alerts.SMSSync, "Bunia phone", "sms-secret-1")
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	as.Results = cs
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }

	var rows []contacts.Row
	for i := range 3 {
		rows = append(rows, contacts.Row{Where: "r.csv", Input: contacts.Input{Phone: fmt.Sprintf("+24381000010%d", i), Language: "fr", Groups: []string{"r"}, ConsentHow: "verbal"}})
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "r"}, Messages: map[string]string{"fr": "Réunion"}})
	if err != nil || b.Reach.Queued != 3 {
		t.Fatalf("broadcast: %+v %v", b.Reach, err)
	}
	a, err := as.Receive(ctx, ch, alerts.Inbound{From: "+243811000109", Message: "Hommes armés près du marché de Bunia", GatewayID: "r-1"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := as.Reply(ctx, &auth.User{Name: "rex", Role: auth.Responder}, a.ID, "Patrouille en route")
	if err != nil || reply.ChannelID != ch.ID {
		t.Fatalf("reply: %+v %v", reply, err)
	}

	get := func(task string) any {
		t.Helper()
		out, err := as.SMSSyncPoll(ctx, alerts.GatewayRequest{Key: ch.Key, Query: url.Values{"task": {task}, "secret": {"sms-secret-1"}}})
		if err != nil {
			t.Fatalf("GET task=%s: %v", task, err)
		}
		return out
	}
	post := func(task string, body any) (any, error) {
		raw, _ := json.Marshal(body)
		return as.SMSSyncPost(ctx, alerts.GatewayRequest{Key: ch.Key, Query: url.Values{"task": {task}, "secret": {"sms-secret-1"}},
			Header: http.Header{"Content-Type": {"application/json"}}, Read: func() (url.Values, []byte, error) { return url.Values{}, raw, nil }})
	}
	awaiting := func() []string {
		t.Helper()
		us := get("result").(map[string]any)["message_uuids"].([]string)
		slices.Sort(us)
		return us
	}

	// The phone takes the four messages and sends them.
	to := map[string]string{} // uuid -> recipient
	for _, m := range get("send").(map[string]any)["payload"].(map[string]any)["messages"].([]map[string]string) {
		to[m["uuid"]] = m["to"]
	}
	if len(to) != 4 {
		t.Fatalf("the phone took %v, want 4 messages", to)
	}
	if us := awaiting(); len(us) != 0 {
		t.Fatalf("results asked for %v before the phone said it sent anything", us)
	}
	uuids := make([]string, 0, len(to))
	for u := range to {
		uuids = append(uuids, u)
	}
	if _, err := post("sent", map[string]any{"queued_messages": uuids}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(uuids)
	if us := awaiting(); !slices.Equal(us, uuids) {
		t.Fatalf("results asked for %v, want the four sent %v", us, uuids)
	}
	uuidOf := func(phone string) string {
		for u, p := range to {
			if p == phone {
				return u
			}
		}
		t.Fatalf("no message to %s", phone)
		return ""
	}
	res := []map[string]any{
		{"uuid": uuidOf("+243810000100"), "sent_result_code": -1, "sent_result_message": "SMS sent", "delivered_result_code": -1, "delivered_result_message": "SMS delivered"},
		{"uuid": uuidOf("+243810000101"), "sent_result_code": 2, "sent_result_message": "Radio off"},
		{"uuid": uuidOf("+243810000102"), "sent_result_code": -1, "sent_result_message": "SMS sent", "delivered_result_code": 0, "delivered_result_message": ""},
		{"uuid": uuidOf("+243811000109"), "sent_result_code": "4", "sent_result_message": "No service"},
		{"uuid": "not-ours", "sent_result_code": 1},
	}
	if out, err := post("result", map[string]any{"message_result": res}); err != nil || !strings.Contains(fmt.Sprint(out), "success:true") {
		t.Fatalf("POST task=result: %v %v", out, err)
	}

	got, err := cs.Get(ctx, b.ID)
	if err != nil || got.Reach.Sent != 3 || got.Reach.Delivered != 1 || got.Reach.Failed != 1 {
		t.Fatalf("reach after the results: %+v %v, want 3 sent, 1 delivered, 1 failed", got.Reach, err)
	}
	f, err := cs.Failures(ctx, b.ID)
	if err != nil || f.Failed != 1 || len(f.Reasons) != 1 {
		t.Fatalf("failures: %+v %v", f, err)
	}
	if r := f.Reasons[0]; r.Code != "phone:2" || r.Key != "contacts.fail.phone.2" || r.GatewaySaid != "Radio off" || r.Count != 1 || r.Retry ||
		!strings.Contains(r.Reason, "radio is off") {
		t.Errorf("failure reason %+v, want phone:2 (radio off) said %q", r, "Radio off")
	}
	var status, code, said string
	if err := db.QueryRow(ctx, db.SQL, `SELECT status, error_code, gateway_said FROM alert_outbox WHERE uuid = ?`, reply.UUID).Scan(&status, &code, &said); err != nil {
		t.Fatal(err)
	}
	if status != contacts.StatusFailed || code != "phone:4" || said != "No service" {
		t.Errorf("the reply the phone could not send: status %q, reason %q, said %q; want failed, phone:4, No service", status, code, said)
	}
	// Only the message with no delivery report yet is still asked for.
	if us := awaiting(); !slices.Equal(us, []string{uuidOf("+243810000102")}) {
		t.Errorf("results asked for %v after the report, want only %s", us, uuidOf("+243810000102"))
	}
	// A message reported failed before the phone confirmed taking it is
	// not offered again by task=send (it was: its sent_at was still empty).
	again, err := as.Reply(ctx, &auth.User{Name: "rex", Role: auth.Responder}, a.ID, "Patrouille arrivée")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := post("result", map[string]any{"message_result": []map[string]any{{"uuid": again.UUID, "sent_result_code": 4}}}); err != nil {
		t.Fatal(err)
	}
	if ms := get("send").(map[string]any)["payload"].(map[string]any)["messages"].([]map[string]string); len(ms) != 0 {
		t.Errorf("task=send offers %v, want nothing (the one left failed)", ms)
	}
	// Nor after the window.
	clock = clock.Add(contacts.ResultWindow + time.Hour)
	if us := awaiting(); len(us) != 0 {
		t.Errorf("results asked for %v past the window", us)
	}

	// A malformed report is refused naming its field; nothing changes.
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]any{}, "message_result"},
		{map[string]any{"message_result": "nope"}, "message_result"},
		{map[string]any{"message_result": []map[string]any{{"sent_result_code": 1}}}, "message_result[0].uuid"},
		{map[string]any{"message_result": []map[string]any{{"uuid": uuidOf("+243810000102"), "sent_result_code": "x"}}}, "message_result[0].sent_result_code"},
		{map[string]any{"message_result": []map[string]any{{"uuid": "a\x00b", "sent_result_code": 1}}}, "message_result[0].uuid"},
	} {
		_, err := post("result", c.body)
		if k, _ := apperr.KindOf(err); k != apperr.KindInvalid || apperr.FieldOf(err) != c.field {
			t.Errorf("POST task=result %v: %v, want a refusal naming %s", c.body, err, c.field)
		}
	}
	if got, _ := cs.Get(ctx, b.ID); got.Reach.Failed != 1 || got.Reach.Delivered != 1 {
		t.Errorf("reach after refused reports: %+v", got.Reach)
	}
}
