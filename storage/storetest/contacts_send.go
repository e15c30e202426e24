package storetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

// fakeGateway records what a push gateway was sent and answers per
// recipient: status codes to give in turn (then 201/200).
type fakeGateway struct {
	mu       sync.Mutex
	reqs     []*http.Request
	forms    []url.Values
	bodies   []map[string]any
	answers  map[string][]int // to -> codes to answer in turn
	received map[string]int   // to -> messages taken (2xx)
}

func (f *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	var to string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		f.bodies = append(f.bodies, m)
		to, _ = m["to"].(string)
	} else {
		form, _ := url.ParseQuery(string(raw))
		f.forms = append(f.forms, form)
		to = form.Get("To")
	}
	f.reqs = append(f.reqs, r)
	code := http.StatusCreated
	if a := f.answers[to]; len(a) > 0 {
		code, f.answers[to] = a[0], a[1:]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if code < 300 {
		f.received[to]++
		_, _ = io.WriteString(w, `{"sid": "SM`+strings.Repeat("0", 20)+to[len(to)-2:]+`", "status": "queued"}`)
		return
	}
	_, _ = io.WriteString(w, `{"code": 21211, "message": "invalid 'To' phone number"}`)
}

// testContactsPush: broadcasts pushed to Twilio's Messages API and to a
// webhook at their rate, 5xx retried with backoff up to the bound, 4xx
// failed at once, an opt-out after queuing honoured at push time, a Twilio
// push in doubt (claimed, no answer) failed as in doubt once its claim
// lapsed, never sent again (Twilio takes no idempotency key),
// delivery receipts counted in the broadcast's reach (a late "sent" never
// undoes "delivered"), and an audit of counts only.
func testContactsPush(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	cs.BaseURL = "https://vigil.example.org"
	cs.Backoff = time.Minute
	cs.MaxAttempts = 3
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }

	fake := &fakeGateway{answers: map[string][]int{"+243810000002": {503, 500}, "+243810000003": {400}}, received: map[string]int{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	tw, err := as.NewChannel(ctx, "admin", alerts.Twilio, "Twilio", "tw-auth-token", "")
	if err != nil {
		t.Fatal(err)
	}
	// Not ready before its settings: a broadcast through it is refused.
	if _, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: tw.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "x"}}); err == nil {
		t.Fatal("broadcast through an unconfigured Twilio channel accepted")
	}
	for _, bad := range []contacts.GatewaySettings{
		{ChannelID: tw.ID, RatePerS: 10, AccountSID: "AC123", From: "+15005550006"},
		{ChannelID: tw.ID, RatePerS: 0, AccountSID: "AC" + strings.Repeat("a", 32), From: "+15005550006"},
		{ChannelID: tw.ID, RatePerS: 10, AccountSID: "AC" + strings.Repeat("a", 32), From: "nope"},
		{ChannelID: tw.ID, RatePerS: 10, AccountSID: "AC" + strings.Repeat("a", 32), From: "+15005550006", SendURL: "ftp://x"},
	} {
		if _, err := cs.SetGateway(ctx, "admin", bad); err == nil {
			t.Fatalf("bad settings accepted: %+v", bad)
		}
	}
	sid := "AC" + strings.Repeat("a", 32)
	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 50, AccountSID: sid, From: "+15005550006", SendURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	gws, err := cs.Gateways(ctx)
	if err != nil || len(gws) != 1 || !gws[0].Ready || gws[0].RatePerS != 50 {
		t.Fatalf("gateways: %+v %v", gws, err)
	}

	rows := []contacts.Row{}
	for i, lang := range []string{"fr", "fr", "en", "sw"} {
		rows = append(rows, contacts.Row{Where: "p.csv", Input: contacts.Input{Phone: "+24381000000" + string(rune('1'+i)), Language: lang, Groups: []string{"g"}, ConsentHow: "verbal"}})
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: tw.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "Réunion", "en": "Meeting"}})
	if err != nil || b.Reach.Queued != 4 {
		t.Fatalf("queue: %+v %v", b.Reach, err)
	}
	// The fourth opts out after the broadcast was queued.
	if _, err := cs.InboundSMS(ctx, "+243810000004", "STOP"); err != nil {
		t.Fatal(err)
	}

	// A push in doubt: claimed by a server that died before the answer.
	// It waits for its claim to lapse (the lease), then, Twilio taking no
	// idempotency key, is failed as in doubt rather than sent twice.
	pend, err := db.PushPending(ctx, tw.ID, clock, clock.Add(-time.Minute), 10)
	if err != nil || len(pend) != 3 {
		t.Fatalf("pending: %d %v", len(pend), err)
	}
	if ok, err := db.ClaimPush(ctx, pend[0].ID, clock, clock.Add(-time.Minute)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if ok, _ := db.ClaimPush(ctx, pend[0].ID, clock, clock.Add(-time.Minute)); ok {
		t.Fatal("a claimed message was claimed twice")
	}

	tw.Secret = "tw-auth-token"
	g := contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 50, AccountSID: sid, From: "+15005550006", SendURL: srv.URL}
	n, err := cs.Drain(ctx, tw, g)
	if err != nil || n != 0 {
		// 2 gets 503 (retry later), 3 gets 400 (failed), 1 is held by its claim.
		t.Fatalf("first drain: %d %v", n, err)
	}
	clock = clock.Add(cs.Lease + contacts.DefaultLease + time.Second) // claim lapsed and backoff passed
	if n, err = cs.Drain(ctx, tw, g); err != nil || n != 0 {
		t.Fatalf("second drain: %d %v", n, err) // 1 (in doubt) failed, not sent; 2 gets 500
	}
	clock = clock.Add(time.Hour)
	if n, err = cs.Drain(ctx, tw, g); err != nil || n != 1 {
		t.Fatalf("third drain: %d %v", n, err) // 2 taken on its third try
	}
	if n, err = cs.Drain(ctx, tw, g); err != nil || n != 0 {
		t.Fatalf("nothing left: %d %v", n, err)
	}
	if fake.received["+243810000001"] != 0 || fake.received["+243810000002"] != 1 || fake.received["+243810000003"] != 0 || fake.received["+243810000004"] != 0 {
		t.Fatalf("received: %v", fake.received)
	}
	f0, r0 := fake.forms[0], fake.reqs[0]
	if u, p, ok := r0.BasicAuth(); !ok || u != sid || p != "tw-auth-token" {
		t.Fatalf("basic auth: %q %q %v", u, p, ok)
	}
	if r0.URL.Path != "/2010-04-01/Accounts/"+sid+"/Messages.json" || f0.Get("From") != "+15005550006" || f0.Get("Body") != "Réunion" {
		t.Fatalf("twilio request: %s %v", r0.URL.Path, f0)
	}
	cb, _ := url.Parse(f0.Get("StatusCallback"))
	if cb == nil || cb.Path != "/intake/twilio/"+tw.Key+"/status" || cb.Query().Get("m") == "" || cb.Query().Get("m") != r0.Header.Get("Idempotency-Key") {
		t.Fatalf("status callback %q, idempotency key %q", f0.Get("StatusCallback"), r0.Header.Get("Idempotency-Key"))
	}

	got, _ := cs.Get(ctx, b.ID)
	if got.Reach.Sent != 1 || got.Reach.Failed != 2 || got.Reach.Withheld != 1 || got.Reach.Delivered != 0 {
		t.Fatalf("reach: %+v", got.Reach)
	}

	// Receipts: delivered by MessageSid; a late "sent" keeps "delivered".
	var sid1 string
	for i, f := range fake.forms {
		if f.Get("To") == "+243810000002" && i < len(fake.forms) {
			sid1 = "SM" + strings.Repeat("0", 20) + "02"
		}
	}
	for _, st := range []string{"delivered", "sent"} {
		r, err := contacts.ParseTwilioReceipt("", url.Values{"MessageSid": {sid1}, "MessageStatus": {st}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cs.RecordReceipt(ctx, tw, r); err != nil {
			t.Fatalf("receipt %s: %v", st, err)
		}
	}
	r, _ := contacts.ParseTwilioReceipt("", url.Values{"MessageSid": {"SMunknown"}, "MessageStatus": {"delivered"}})
	if err := cs.RecordReceipt(ctx, tw, r); err == nil {
		t.Fatal("receipt for an unknown message accepted")
	}
	if _, err := contacts.ParseTwilioReceipt("", url.Values{"MessageSid": {"SM1"}}); err == nil {
		t.Fatal("receipt without status accepted")
	}
	got, _ = cs.Get(ctx, b.ID)
	if got.Reach.Delivered != 1 || got.Reach.Sent != 1 {
		t.Fatalf("reach after receipts: %+v", got.Reach)
	}

	// A webhook gateway: JSON, the channel's token, the uuid as key; a
	// receipt by uuid marks it undelivered (counted failed).
	wh, err := as.NewChannel(ctx, "admin", alerts.Webhook, "Hook", "wh-token", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: wh.ID, RatePerS: 100}); err == nil {
		t.Fatal("webhook without a URL accepted")
	}
	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: wh.ID, RatePerS: 100, SendURL: srv.URL + "/send"}); err != nil {
		t.Fatal(err)
	}
	b2, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: wh.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"en": "Hello"}})
	if err != nil || b2.Reach.Queued != 3 || b2.Reach.SkippedOptedOut != 1 {
		t.Fatalf("webhook broadcast: %+v %v", b2.Reach, err)
	}
	chs, _ := db.Channels(ctx)
	for _, c := range chs {
		if c.ID == wh.ID {
			wh = c // sealed secret, opened by Drain
		}
	}
	fake.answers["+243810000003"] = nil
	if n, err := cs.Drain(ctx, wh, contacts.GatewaySettings{ChannelID: wh.ID, RatePerS: 100, SendURL: srv.URL + "/send"}); err != nil || n != 3 {
		t.Fatalf("webhook drain: %d %v", n, err)
	}
	last := fake.reqs[len(fake.reqs)-1]
	body := fake.bodies[len(fake.bodies)-1]
	if last.Header.Get("Authorization") != "Token wh-token" || body["uuid"] != last.Header.Get("Idempotency-Key") || body["message"] != "Hello" ||
		!strings.HasSuffix(body["status_url"].(string), "/intake/webhook/"+wh.Key+"/status") {
		t.Fatalf("webhook request: %v %v", last.Header, body)
	}
	// A broadcast's body names its broadcast, and nothing of a reply.
	if body["broadcast_id"] != float64(b2.ID) || body["reply_id"] != nil || body["incident_id"] != nil || body["alert_id"] != nil {
		t.Fatalf("webhook broadcast body: %v, want broadcast_id %d and no reply fields", body, b2.ID)
	}
	rc, err := contacts.ParseWebhookReceipt([]byte(`{"uuid": "` + body["uuid"].(string) + `", "status": "undelivered", "error": "handset off"}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.RecordReceipt(ctx, wh, rc); err != nil {
		t.Fatal(err)
	}
	if err := cs.RecordReceipt(ctx, tw, rc); err == nil {
		t.Fatal("a receipt on another channel found the message")
	}
	for _, bad := range []string{`{`, `{"uuid":"x","status":"read"}`, `{"status":"delivered"}`} {
		if _, err := contacts.ParseWebhookReceipt([]byte(bad)); err == nil {
			t.Fatalf("bad receipt %s accepted", bad)
		}
	}
	got2, _ := cs.Get(ctx, b2.ID)
	if got2.Reach.Sent != 3 || got2.Reach.Failed != 1 {
		t.Fatalf("webhook reach: %+v", got2.Reach)
	}

	// Audit: counts, never numbers.
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "broadcasts.push"})
	if err != nil || len(recs) == 0 || !strings.Contains(recs[0].Detail, "messages taken by the gateway") {
		t.Fatalf("push audit: %v %v", recs, err)
	}
	every, _ := db.AuditLog(ctx, audit.Filter{Limit: 1000})
	for _, r := range every {
		if strings.Contains(r.Detail, "81000000") || strings.Contains(r.Detail, "tw-auth") {
			t.Fatalf("audit holds personal data or a secret: %+v", r)
		}
	}
}
