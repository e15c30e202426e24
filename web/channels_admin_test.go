package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestChannelAdminAPI: an intake channel could not be disabled, given a
// new secret or removed. Through the API an admin now disables one (each
// gateway is refused as its protocol expects and nothing is stored; a
// Twilio reporter is told by SMS, in the channel's language, that the
// message was not received; a responder cannot type an alert in under a
// disabled web channel) and enables it again; gives an SMSSync channel a
// new secret (answered once, not cached; the old one refused at once, the
// new one taken); removes a channel never used, and is told in French why
// a channel with alerts cannot be removed. A responder may do none of it.
func TestChannelAdminAPI(t *testing.T) {
	e := newAlertsEnv(t, "ada", "rex")
	ada := e.tokens["ada"]
	chanPath := func(c alerts.Channel) string { return "/api/v1/alerts/channels/" + strconv.FormatInt(c.ID, 10) }
	patch := func(c alerts.Channel, body string) {
		t.Helper()
		if resp, b := e.do(nil, "PATCH", chanPath(c), reqOpt{token: ada, body: body}); resp.StatusCode != 200 {
			t.Fatalf("PATCH %s %s: %d %s", c.Name, body, resp.StatusCode, b)
		}
	}
	n := 0
	twilio := func() (int, string) {
		n++
		form := url.Values{"MessageSid": {"SM" + strconv.Itoa(n)}, "From": {"+243812345678"}, "To": {"+243990000000"}, "Body": {"Gunfire near the school"}}
		sig := alerts.TwilioSignature("12345678", e.srv.URL+alerts.IntakePath(e.tw), form)
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.tw), reqOpt{body: form.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": sig}})
		return resp.StatusCode, string(b)
	}
	sms := func(secret string) (int, string) {
		n++
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-"+strconv.Itoa(n), "Attack near Djugu", secret), ctype: formCT})
		return resp.StatusCode, string(b)
	}
	hook := func() (int, string) {
		n++
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.hook), reqOpt{body: `{"id":"h` + strconv.Itoa(n) + `","from":"+243812345678","text":"Attack near Djugu"}`,
			ctype: "application/json", hdr: map[string]string{"X-Vigil-Secret": "hooktok-1"}})
		return resp.StatusCode, string(b)
	}
	typedIn := func() (int, string) {
		resp, b := e.do(nil, "POST", "/api/v1/alerts", reqOpt{token: e.tokens["rex"], body: `{"channel":"` + e.webform.Key + `","message":"A caller reports gunfire","id":"phone-` + strconv.Itoa(n) + `"}`})
		return resp.StatusCode, string(b)
	}
	webForm := func() (int, string) {
		resp, b := e.do(nil, "GET", alerts.IntakePath(e.webform)+"?lang=fr", reqOpt{})
		return resp.StatusCode, string(b)
	}
	if resp, b := e.do(nil, "PATCH", chanPath(e.sms), reqOpt{token: e.tokens["rex"], body: `{"disabled":true}`}); resp.StatusCode != 403 {
		t.Fatalf("a responder disables a channel: %d %s", resp.StatusCode, b)
	}
	patch(e.tw, `{"lang":"fr"}`)
	for _, c := range []alerts.Channel{e.sms, e.tw, e.hook, e.webform} {
		patch(c, `{"disabled":true}`)
	}
	before := e.count(t)
	for _, c := range []struct {
		name string
		send func() (int, string)
		code int
		says string
	}{
		{"SMSSync", func() (int, string) { return sms("s3cret-gw") }, 404, `"success":false`},
		{"Twilio, told in the channel's French", twilio, 200, twimlSays(alerts.ReporterTexts["fr"].Closed)},
		{"webhook", hook, 404, `"error"`},
		{"web form", webForm, 404, "<html"},
		{"typed in under a web channel", typedIn, 400, `"key":"alerts.refusal.channel-disabled"`},
	} {
		if code, b := c.send(); code != c.code || !strings.Contains(b, c.says) {
			t.Errorf("disabled, %s: %d %.300s; want %d with %s", c.name, code, b, c.code, c.says)
		}
	}
	// Without Twilio's signature nothing is said to the sender: the
	// channel is unknown, as any key is.
	form := url.Values{"MessageSid": {"SM-forged"}, "From": {"+243812345678"}, "Body": {"x"}}
	if resp, b := e.do(nil, "POST", alerts.IntakePath(e.tw), reqOpt{body: form.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": "forged"}}); resp.StatusCode != 404 || strings.Contains(string(b), "<Response>") {
		t.Errorf("disabled Twilio, a forged signature: %d %s", resp.StatusCode, b)
	}
	if got := e.count(t); got != before {
		t.Fatalf("disabled channels stored %d alerts", got-before)
	}
	for _, c := range []alerts.Channel{e.sms, e.tw, e.hook, e.webform} {
		patch(c, `{"disabled":false}`)
	}
	if code, b := sms("s3cret-gw"); code != 200 {
		t.Fatalf("enabled again: %d %s", code, b)
	}
	if code, b := twilio(); code != 200 || b != twimlSays(alerts.ReporterTexts["fr"].Received) {
		t.Fatalf("Twilio enabled again: %d %s", code, b)
	}

	// A new secret, answered once.
	resp, b := e.do(nil, "POST", chanPath(e.sms)+"/secret", reqOpt{token: ada, body: `{}`})
	var got alerts.ChannelSecret
	if resp.StatusCode != 200 || json.Unmarshal(b, &got) != nil || len(got.Secret) < 20 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("new secret: %d %v %s", resp.StatusCode, resp.Header, b)
	}
	if code, b := sms("s3cret-gw"); code != 403 {
		t.Errorf("the old secret after a new one: %d %s", code, b)
	}
	if code, b := sms(got.Secret); code != 200 {
		t.Errorf("the new secret: %d %s", code, b)
	}
	for _, c := range []struct {
		path, body string
		code       int
		says       string
	}{
		{chanPath(e.webform) + "/secret", `{}`, 400, `"key":"alerts.refusal.secret-web"`},
		{chanPath(e.tw) + "/secret", `{}`, 400, `"field":"secret"`},
		{chanPath(e.sms) + "/secret", `{"secret":"short"}`, 400, `"key":"alerts.refusal.secret-length"`},
		{"/api/v1/alerts/channels/999/secret", `{}`, 404, `"key":"alerts.refusal.no-channel"`},
	} {
		if resp, b := e.do(nil, "POST", c.path, reqOpt{token: ada, body: c.body}); resp.StatusCode != c.code || !strings.Contains(string(b), c.says) {
			t.Errorf("POST %s %s: %d %s; want %d with %s", c.path, c.body, resp.StatusCode, b, c.code, c.says)
		}
	}
	if code, b := sms(got.Secret); code != 200 {
		t.Errorf("refused new secrets changed it: %d %s", code, b)
	}
	// A new channel's secret follows the same rule, nothing written.
	chans, err := e.svc.Store.Channels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"kind":"webhook","name":"Short hook","secret":"s"}`,
		`{"kind":"twilio","name":"Short SMS","secret":"1234567"}`,
		`{"kind":"smssync","name":"Long phone","secret":"` + strings.Repeat("s", 201) + `"}`,
	} {
		resp, b := e.do(nil, "POST", "/api/v1/alerts/channels", reqOpt{token: ada, body: body, hdr: map[string]string{"Accept-Language": "fr"}})
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"field":"secret"`) || !strings.Contains(string(b), `"key":"alerts.refusal.new-secret-length"`) {
			t.Errorf("POST a channel %s: %d %s; want 400 naming the secret", body, resp.StatusCode, b)
		}
	}
	if after, err := e.svc.Store.Channels(context.Background()); err != nil || len(after) != len(chans) {
		t.Errorf("refused channels written: %d channels, %d before (%v)", len(after), len(chans), err)
	}

	// Removal: refused for a channel with alerts, said in French; done for
	// one never used.
	resp, b = e.do(nil, "DELETE", chanPath(e.sms), reqOpt{token: ada, hdr: map[string]string{"Accept-Language": "fr"}})
	if resp.StatusCode != 409 || !strings.Contains(string(b), `"key":"alerts.refusal.channel-used"`) {
		t.Fatalf("removing a channel with alerts: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "DELETE", chanPath(e.hook), reqOpt{token: e.tokens["rex"]}); resp.StatusCode != 403 {
		t.Fatalf("a responder removes a channel: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "DELETE", chanPath(e.hook), reqOpt{token: ada}); resp.StatusCode != 204 {
		t.Fatalf("removing a channel never used: %d %s", resp.StatusCode, b)
	}
	if code, _ := hook(); code != 404 {
		t.Errorf("a removed channel's intake: %d", code)
	}
	resp, b = e.do(nil, "GET", "/api/v1/alerts/channels", reqOpt{token: ada})
	if resp.StatusCode != 200 || strings.Contains(string(b), e.hook.Name) || !strings.Contains(string(b), e.sms.Name) {
		t.Errorf("channels after the removal: %d %s", resp.StatusCode, b)
	}
}

// TestGatewaySecretStopsOldAtOnce: Administration → Broadcast gateways also
// replaces a channel's secret (its "new secret" box); the alert intake kept
// the channel it had cached, old secret included, for up to 10 s, so the
// old secret still delivered alerts after the change. The contacts service
// now tells the intake (web.Server wires Contacts.GatewayChanged to
// Alerts.ForgetChannels): the old secret is refused at once.
func TestGatewaySecretStopsOldAtOnce(t *testing.T) {
	ctx := context.Background()
	db, keys := OpenTestStore(t)
	as := alerts.NewService(db, keys)
	cs := contacts.NewService(db, keys)
	cs.Channels = db
	e := serveEnv(t, db, &Server{DB: db, Log: QuietLog(), Alerts: as, Contacts: cs}, &testutil.SyncBuffer{})
	e.addUser(ctx, "ada", auth.Admin)
	ch, err := as.NewChannel(ctx, "test", alerts.SMSSync, "Goma relay", "old-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	sms := func(id, secret string) int {
		resp, _ := e.do(nil, "POST", alerts.IntakePath(ch), reqOpt{body: smsForm(id, "Attack near Djugu", secret), ctype: formCT})
		return resp.StatusCode
	}
	if code := sms("m1", "old-secret-1"); code != 200 { // the channel is now cached
		t.Fatalf("first message: %d", code)
	}
	body := fmt.Sprintf(`{"channel_id":%d,"rate_per_s":1,"paused":true,"secret":"new-secret-22"}`, ch.ID)
	if resp, b := e.do(nil, "POST", "/api/v1/broadcasts/gateways", reqOpt{token: e.tokens["ada"], body: body}); resp.StatusCode != 200 {
		t.Fatalf("gateway settings with a new secret: %d %s", resp.StatusCode, b)
	}
	if code := sms("m2", "old-secret-1"); code != 403 {
		t.Errorf("the old secret right after the change: %d, want 403", code)
	}
	if code := sms("m3", "new-secret-22"); code != 200 {
		t.Errorf("the new secret: %d", code)
	}
}
