package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/radio"
)

// checkEnv is the alert network with an SMSSync tipline and a webhook
// tipline, the contacts (opt-outs) and integrity wired as vigil serve
// wires them.
type checkEnv struct {
	*alertsEnv
	integ        *integrity.Service
	tip, hookTip alerts.Channel
}

func newCheckEnv(t testing.TB) *checkEnv {
	e := newAlertsEnv(t, "ana", "vic")
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(e.log, nil))
	integ := integrity.NewService(e.db, e.svc.Keys)
	integ.Log, integ.Mission = log, "MONUSCO"
	cs := contacts.NewService(e.db, e.svc.Keys)
	cs.Channels = e.db
	e.svc.Log = log
	e.svc.Inbound = cs
	e.svc.RecipientMAC = cs.RecipientMAC
	e.svc.PushSenders = cs.PushSenders
	e.svc.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTiplineSender(ctx, c.Name, a.ID, a.SenderMAC, a.Message, a.ReceivedAt)
		return err
	}
	integ.Replier = contacts.TiplineReplier{Alerts: e.svc, Contacts: cs}
	e.server.Integrity, e.server.Contacts = integ, cs
	tip, err := e.svc.NewChannel(ctx, "test", alerts.SMSSync, "Bunia tipline", "tips-secret", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	hookTip, err := e.svc.NewChannel(ctx, "test", alerts.Webhook, "WhatsApp tipline", "hooktip-secret", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	return &checkEnv{alertsEnv: e, integ: integ, tip: tip, hookTip: hookTip}
}

func (e *checkEnv) sms(t testing.TB, from, id, msg string) {
	t.Helper()
	body := url.Values{"from": {from}, "message": {msg}, "message_id": {id}, "sent_to": {"+243990000000"}, "secret": {"tips-secret"}, "device_id": {"1"}}.Encode()
	if resp, b := e.do(nil, "POST", alerts.IntakePath(e.tip), reqOpt{body: body, ctype: formCT}); resp.StatusCode != 200 {
		t.Fatalf("tipline sms: %d %s", resp.StatusCode, b)
	}
}

const checkRumour = "On dit que le pont de Rutshuru sera détruit ce soir par les rebelles, ne passez plus par là"

// TestIntegrityCheckAPI: a rumour sent to the tiplines by four people (one
// of whom had replied STOP, one on the WhatsApp webhook) is verified step by
// step over the API (a move the workflow does not allow is a 400 naming the
// field), rated, published as a public page and feed entry without login,
// and the answer goes back in French to the three who did not opt out,
// each through the tipline it came in on (the SMS tipline's SMSSync
// outbox; the WhatsApp webhook tipline's own gateway, in English, never
// the mission's SMS phone); no number is in any answer, audit entry or
// log line.
func TestIntegrityCheckAPI(t *testing.T) {
	e := newCheckEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	e.sms(t, "+243811000003", "s-0", "STOP")
	e.sms(t, "+243811000001", "s-1", checkRumour)
	e.sms(t, "+243811000002", "s-2", "RT "+checkRumour+" !!")
	e.sms(t, "+243811000003", "s-3", checkRumour+" ?")
	e.sms(t, "+243811000001", "s-5", "Fwd: "+checkRumour) // the same person again: one sender, answered once
	if resp, b := e.do(nil, "POST", alerts.IntakePath(e.hookTip), reqOpt{hdr: map[string]string{"Authorization": "Token hooktip-secret"},
		body: `{"id":"w-1","from":"+243811000004","text":"` + checkRumour + `"}`}); resp.StatusCode != 200 {
		t.Fatalf("webhook tipline: %d %s", resp.StatusCode, b)
	}
	its, err := e.integ.Items(context.Background(), integrity.ItemFilter{Query: "pont de rutshuru"})
	if err != nil || len(its) != 5 {
		t.Fatalf("%d tipline items (%v), want 5", len(its), err)
	}
	n := i64s(its[0].Narrative)
	for _, it := range its {
		if i64s(it.Narrative) != n {
			t.Fatalf("the rumour's variants are in several narratives: %+v", its)
		}
	}
	base := "/api/v1/integrity/narratives/" + n + "/check"
	call := func(tok, method, path, body string, want int) []byte {
		t.Helper()
		resp, b := e.do(nil, method, path, reqOpt{token: tok, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s %s %s: %d, want %d: %s", method, path, body, resp.StatusCode, want, b)
		}
		return b
	}
	var c integrity.Check
	json.Unmarshal(call(vic, "GET", base, "", 200), &c)
	if c.State != "new" || c.Senders != 4 || c.ToAnswer != 4 || strings.Join(c.Next, ",") != "monitoring,verifying,closed" {
		t.Fatalf("new check %+v", c)
	}
	call(vic, "POST", base, `{"state":"verifying"}`, 403)
	call("", "GET", base, "", 401)
	call(ana, "GET", "/api/v1/integrity/narratives/9999/check", "", 404)
	for _, tc := range []struct{ body, field string }{
		{`{"state":"rated","rating":"false","summary_en":"x"}`, "state"},
		{`{"state":"done"}`, "state"},
		{`{"rating":"false"}`, "rating"},
		{`{"evidence":"ftp://x"}`, "evidence"},
		{`{"deadline":"soon"}`, "deadline"},
		{`{"assignee":"ana","note":"x"}`, "state"},
	} {
		_, field := jsonErr(t, call(ana, "POST", base, tc.body, 400))
		if field != tc.field {
			t.Errorf("%s: field %q, want %q", tc.body, field, tc.field)
		}
	}
	for _, step := range []string{`{"state":"verifying"}`, `{"assignee":"ana"}`, `{"deadline":"2030-01-01 12:00"}`,
		`{"evidence":"https://radiookapi.net/pont","note":"Radio Okapi: bridge open"}`, `{"note":"Administrator called"}`,
		`{"claim":"The Rutshuru bridge will be destroyed tonight <b>by rebels</b>"}`} {
		json.Unmarshal(call(ana, "POST", base, step, 200), &c)
	}
	if c.State != "verifying" || c.Assignee != "ana" || c.Deadline == nil || len(c.Log) != 6 || c.Log[3].Kind != "evidence" {
		t.Fatalf("after the steps %+v", c)
	}
	call(ana, "POST", base+"/publish", "", 400) // not rated
	json.Unmarshal(call(ana, "POST", base, `{"state":"rated","rating":"false","summary_en":"The bridge is open and guarded.","summary_fr":"Le pont est ouvert et gardé."}`, 200), &c)
	var pub struct {
		Check integrity.Check
		URL   string
	}
	json.Unmarshal(call(ana, "POST", base+"/publish", "", 200), &pub)
	if pub.URL != e.srv.URL+"/factcheck/"+pub.Check.Slug || pub.Check.PublishedAt == nil {
		t.Fatalf("publish %+v", pub)
	}

	// The public page and feed: no login, escaped, in the asked language.
	page := string(call("", "GET", "/factcheck/"+pub.Check.Slug+"?lang=fr", "", 200))
	if !strings.Contains(page, `<html lang="fr">`) || !strings.Contains(page, "Le pont est ouvert et gardé.") || !strings.Contains(page, "&lt;b&gt;by rebels&lt;/b&gt;") ||
		strings.Contains(page, "<b>by rebels") || !strings.Contains(page, `"alternateName": "Faux"`) || !strings.Contains(page, `"name": "MONUSCO"`) {
		t.Errorf("page %s", page)
	}
	resp, b := e.do(nil, "GET", "/factcheck/"+pub.Check.Slug, reqOpt{hdr: map[string]string{"Accept-Language": "en-GB,en;q=0.8"}})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "What is true") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("english page %d %s", resp.StatusCode, b)
	}
	call("", "GET", "/factcheck/"+strings.Repeat("0", 24), "", 404)
	call("", "GET", "/factcheck/..%2fetc", "", 404)
	feed := string(call("", "GET", "/factcheck/feed.atom", "", 200))
	if !strings.Contains(feed, "<title>False: The Rutshuru bridge") || !strings.Contains(feed, pub.URL) {
		t.Errorf("feed %s", feed)
	}

	// Answers: once the response is planned; three sent, one opted out,
	// the second message of a person already answered; the second call
	// sends nothing new.
	call(ana, "POST", base+"/answers", "", 400)
	call(ana, "POST", base, `{"state":"response_planned"}`, 200)
	// The WhatsApp tipline answers its senders in English (its channel's
	// language), although the rumour came in French.
	en := "en"
	if _, err := e.svc.PatchChannel(context.Background(), "test", e.hookTip.ID, alerts.ChannelPatch{Lang: &en}); err != nil {
		t.Fatal(err)
	}
	// The WhatsApp tipline sends through its own gateway (its outbound
	// URL): its sender is answered there.
	gw := httptest.NewServer(http.NotFoundHandler())
	defer gw.Close()
	if _, err := e.server.Contacts.SetGateway(context.Background(), "test", contacts.GatewaySettings{ChannelID: e.hookTip.ID, RatePerS: 1, SendURL: gw.URL}); err != nil {
		t.Fatal(err)
	}
	b = call(ana, "POST", base+"/answers", "", 200)
	if strings.TrimSpace(string(b)) != `{"sent":3,"opted_out":1,"no_number":0,"no_gateway":0,"already":1}` {
		t.Fatalf("answers %s", b)
	}
	b = call(ana, "POST", base+"/answers", "", 200)
	if !strings.Contains(string(b), `"sent":0`) || !strings.Contains(string(b), `"already":5`) {
		t.Errorf("second answers %s", b)
	}
	json.Unmarshal(call(vic, "GET", base, "", 200), &c)
	if c.State != "responded" || c.RepliesSent != 3 || c.ToAnswer != 0 {
		t.Errorf("after answers %+v", c)
	}
	// The answers are on the timelines of the senders' incidents: who
	// answered, how many recipients, through which channel; no number.
	// Before, only the counts and audit entries said them.
	as, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	var answered []string
	for _, a := range as {
		if seen[a.IncidentID] {
			continue
		}
		seen[a.IncidentID] = true
		tl, err := e.svc.Store.Timeline(context.Background(), a.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range tl {
			if strings.Contains(l.Text, "811000") {
				t.Errorf("a number in the timeline: %+v", l)
			}
			if l.Kind == "answer" {
				answered = append(answered, l.Actor+": "+l.Text)
				if l.Delivery == nil || l.Delivery.State != alerts.DeliveryQueued {
					t.Errorf("answer line %q: delivery %+v, want queued (its message)", l.Text, l.Delivery)
				}
			}
		}
	}
	sort.Strings(answered)
	// (each message without a place is its own incident: one line each)
	if want := []string{"ana: fact-check answer for narrative " + n + " sent by SMS to 1 tipline sender through Bunia tipline",
		"ana: fact-check answer for narrative " + n + " sent by SMS to 1 tipline sender through Bunia tipline",
		"ana: fact-check answer for narrative " + n + " sent by SMS to 1 tipline sender through WhatsApp tipline"}; fmt.Sprint(answered) != fmt.Sprint(want) {
		t.Errorf("timeline answers %q, want %q", answered, want)
	}
	outbox := func(ch alerts.Channel, secret string) []string {
		_, b := e.do(nil, "GET", alerts.IntakePath(ch)+"?task=send&secret="+secret, reqOpt{})
		var task struct {
			Payload struct {
				Messages []struct{ To, Message string }
			} `json:"payload"`
		}
		json.Unmarshal(b, &task)
		var to []string
		for _, m := range task.Payload.Messages {
			to = append(to, m.To)
			want := "Faux\u00a0: Le pont est ouvert et gardé. " + pub.URL + "?lang=fr"
			if m.To == "+243811000004" { // through the English WhatsApp tipline
				want = "False: The bridge is open and guarded. " + pub.URL
			}
			if m.Message != want {
				t.Errorf("answer to %s %q, want %q", m.To, m.Message, want)
			}
		}
		sort.Strings(to)
		return to
	}
	if to := outbox(e.tip, "tips-secret"); strings.Join(to, ",") != "+243811000001,+243811000002" {
		t.Errorf("the SMS tipline's outbox holds answers to %v, want the two who did not opt out", to)
	}
	if to := outbox(e.alertsEnv.sms, "s3cret-gw"); len(to) != 0 {
		t.Errorf("the mission's SMS phone holds answers to %v, want none (the webhook sender is answered through the webhook)", to)
	}
	if box, err := e.svc.Outbox(context.Background(), e.hookTip.ID); err != nil || len(box) != 1 || box[0].To != "+243811000004" ||
		box[0].Message != "False: The bridge is open and guarded. "+pub.URL {
		t.Errorf("the WhatsApp tipline's outbox %+v (%v), want the English answer to its sender", box, err)
	}
	// A sender who opts out before the gateway takes the answer never gets it.
	e.sms(t, "+243811000002", "s-4", "Arrêt")
	if to := outbox(e.tip, "tips-secret"); strings.Join(to, ",") != "+243811000001" {
		t.Errorf("after an opt-out the outbox holds answers to %v, want +243811000001 only", to)
	}
	recs, _ := e.db.AuditLog(context.Background(), audit.Filter{Limit: 1000})
	for _, r := range recs {
		if strings.Contains(r.Detail+r.Object, "811000") {
			t.Errorf("a number in the audit log: %+v", r)
		}
	}
	if strings.Contains(e.log.String(), "811000") {
		t.Errorf("a number in the log: %s", e.log.String())
	}
}

// FuzzIntegrityCheck sends arbitrary steps and ids to the check endpoints
// that take input: every answer is 2xx or 4xx with a JSON error, never 5xx.
func FuzzIntegrityCheck(f *testing.F) {
	e := newCheckEnv(f)
	e.sms(f, "+243811000001", "s-1", checkRumour)
	tok := e.tokens["ana"]
	f.Add(0, `{"state":"verifying"}`, "1")
	f.Add(0, `{"state":"rated","rating":"false","summary_en":"x","summary_fr":"y"}`, "1")
	f.Add(0, `{"evidence":"https://a/b","note":"n"}`, "1")
	f.Add(0, `{"deadline":"2030-01-01T00:00:00Z"}`, "1")
	f.Add(0, `{"claim":"\u0000"}`, "-1")
	f.Add(1, ``, "1")
	f.Add(2, ``, "99999999999999999999")
	f.Add(3, ``, "zz")
	f.Fuzz(func(t *testing.T, which int, body, id string) {
		path := "/api/v1/integrity/narratives/" + url.PathEscape(id) + "/check"
		method := "POST"
		switch ((which % 4) + 4) % 4 {
		case 1:
			path += "/publish"
		case 2:
			path += "/answers"
		case 3:
			method, path = "GET", "/factcheck/"+url.PathEscape(id)
		}
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if method == "GET" && w.Code == http.StatusNotFound && strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			return // the public page's own 404, for a reader (TestFactCheckMissingInLanguage)
		}
		checkAPIAnswer(t, req, w)
	})
}

// TestRadioFactCheckScriptAPI: a rumour from the tipline is verified,
// rated false and published over the API; its radio script then downloads
// from /api/v1/radio/factchecks/{slug} as plain text, in French and in
// English, with the claim (its HTML stripped), the verdict and what is
// true in that language; the script needs a login, an unknown or
// malformed slug is 404, and a slug of a check not yet published is 404.
func TestRadioFactCheckScriptAPI(t *testing.T) {
	e := newCheckEnv(t)
	e.server.Radio = &radio.Service{Checks: e.integ, Mission: "MONUSCO"}
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	e.sms(t, "+243811000001", "s-1", checkRumour)
	its, err := e.integ.Items(context.Background(), integrity.ItemFilter{Query: "pont de rutshuru"})
	if err != nil || len(its) != 1 {
		t.Fatalf("%d tipline items (%v), want 1", len(its), err)
	}
	base := "/api/v1/integrity/narratives/" + i64s(its[0].Narrative) + "/check"
	call := func(tok, method, path, body string, want int) *http.Response {
		t.Helper()
		resp, b := e.do(nil, method, path, reqOpt{token: tok, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		return resp
	}
	for _, step := range []string{`{"state":"verifying"}`, `{"claim":"The Rutshuru bridge will be destroyed tonight <b>by rebels</b>"}`,
		`{"state":"rated","rating":"false","summary_en":"The bridge is open and guarded.","summary_fr":"Le pont est ouvert et gardé."}`} {
		call(ana, "POST", base, step, 200)
	}
	var c integrity.Check
	if _, b := e.do(nil, "GET", base, reqOpt{token: vic}); json.Unmarshal(b, &c) != nil || c.Slug != "" && c.PublishedAt != nil {
		t.Fatalf("check before publishing: %s", b)
	}
	var pub struct{ Check integrity.Check }
	if _, b := e.do(nil, "POST", base+"/publish", reqOpt{token: ana}); json.Unmarshal(b, &pub) != nil || len(pub.Check.Slug) != 24 {
		t.Fatalf("publish: %s", b)
	}
	path := "/api/v1/radio/factchecks/" + pub.Check.Slug
	for _, tc := range []struct{ lang, heard, verdict, truth string }{
		{"fr", "Vous avez peut-être entendu ceci\u00a0: «\u202fThe Rutshuru bridge will be destroyed tonight by rebels\u202f»", "C’est faux.", "Ce qui est vrai\u00a0: Le pont est ouvert et gardé."},
		{"en", `You may have heard this: "The Rutshuru bridge will be destroyed tonight by rebels"`, "This is false.", "What is true: The bridge is open and guarded."},
	} {
		resp, body := e.do(nil, "GET", path+"?lang="+tc.lang, reqOpt{token: vic})
		text := string(body)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "radio-factcheck-"+pub.Check.Slug+"-"+tc.lang+".txt") {
			t.Fatalf("%s: %d %v\n%s", tc.lang, resp.StatusCode, resp.Header, text)
		}
		for _, want := range []string{tc.heard, tc.verdict, tc.truth, "MONUSCO"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s script lacks %q:\n%s", tc.lang, want, text)
			}
		}
		if strings.Contains(text, "<b>") {
			t.Errorf("%s script carries HTML:\n%s", tc.lang, text)
		}
	}
	call("", "GET", path, "", 401)
	call(vic, "GET", "/api/v1/radio/factchecks/"+strings.Repeat("0", 24), "", 404)
	call(vic, "GET", "/api/v1/radio/factchecks/..%2fetc", "", 404)
}
