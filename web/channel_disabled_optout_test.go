package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
)

// TestDisabledChannelOptOut: an opt-out reply (STOP, ARRET) that reaches
// an intake channel an administrator disabled is honoured at once
// (recorded and audited), and nothing else is kept (no alert): before,
// the disabled channel refused it like any message, so the number could
// still get broadcasts through another channel. SMSSync is answered
// success (the phone need not keep the message); Twilio's reporter is
// told the opt-out is taken, in its word's language; the webhook gets 200
// {"opted_out":true}. Any other message, a
// wrong secret or a forged signature still gets the disabled channel's
// answer and records nothing.
func TestDisabledChannelOptOut(t *testing.T) {
	e := newAlertsEnv(t, "ada")
	cs := contacts.NewService(e.db, e.svc.Keys)
	e.svc.Inbound = cs
	for _, c := range []alerts.Channel{e.sms, e.tw, e.hook} {
		if resp, b := e.do(nil, "PATCH", "/api/v1/alerts/channels/"+strconv.FormatInt(c.ID, 10), reqOpt{token: e.tokens["ada"], body: `{"disabled":true}`}); resp.StatusCode != 200 {
			t.Fatalf("disable %s: %d %s", c.Name, resp.StatusCode, b)
		}
	}
	n := 0
	sms := func(from, msg, secret string) (int, string) {
		n++
		body := url.Values{"from": {from}, "message": {msg}, "message_id": {"m-" + strconv.Itoa(n)}, "sent_to": {"+243990000000"},
			"secret": {secret}, "device_id": {"1"}, "sent_timestamp": {"1764100000000"}}.Encode()
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: body, ctype: formCT})
		return resp.StatusCode, string(b)
	}
	twilio := func(from, msg, token string) (int, string) {
		n++
		form := url.Values{"MessageSid": {"SM" + strconv.Itoa(n)}, "From": {from}, "To": {"+243990000000"}, "Body": {msg}}
		sig := alerts.TwilioSignature(token, e.srv.URL+alerts.IntakePath(e.tw), form)
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.tw), reqOpt{body: form.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": sig}})
		return resp.StatusCode, string(b)
	}
	hook := func(from, msg, secret string) (int, string) {
		n++
		resp, b := e.do(nil, "POST", alerts.IntakePath(e.hook), reqOpt{body: `{"id":"h` + strconv.Itoa(n) + `","from":"` + from + `","text":"` + msg + `"}`,
			ctype: "application/json", hdr: map[string]string{"X-Vigil-Secret": secret}})
		return resp.StatusCode, string(b)
	}
	ok := `"success":true`
	en, fr := alerts.ReporterTexts["en"], alerts.ReporterTexts["fr"]
	for _, tc := range []struct {
		name, from string
		send       func(from string) (int, string)
		code       int
		says       string
		optedOut   bool
	}{
		{"SMSSync, STOP", "+243811000001", func(f string) (int, string) { return sms(f, "STOP", "s3cret-gw") }, 200, ok, true},
		{"SMSSync, ARRET", "+243811000002", func(f string) (int, string) { return sms(f, "Arrêter", "s3cret-gw") }, 200, ok, true},
		{"SMSSync, an alert", "+243811000003", func(f string) (int, string) { return sms(f, "Attack near Djugu", "s3cret-gw") }, 404, `"success":false`, false},
		{"SMSSync, STOP with a wrong secret", "+243811000004", func(f string) (int, string) { return sms(f, "STOP", "nope") }, 404, `"success":false`, false},
		{"Twilio, ARRET", "+243811000005", func(f string) (int, string) { return twilio(f, "ARRET", "12345678") }, 200, twimlSays(fr.OptedOut), true},
		{"Twilio, UNSUBSCRIBE", "+243811000006", func(f string) (int, string) { return twilio(f, "Unsubscribe", "12345678") }, 200, twimlSays(en.OptedOut), true},
		{"Twilio, an alert", "+243811000007", func(f string) (int, string) { return twilio(f, "Gunfire near the school", "12345678") }, 200, twimlSays(en.Closed), false},
		{"Twilio, STOP with a forged signature", "+243811000008", func(f string) (int, string) { return twilio(f, "STOP", "forged") }, 404, "", false},
		{"webhook, STOP", "+243811000009", func(f string) (int, string) { return hook(f, "STOP", "hooktok-1") }, 200, `{"opted_out":true}`, true},
		{"webhook, an alert", "+243811000010", func(f string) (int, string) { return hook(f, "Attack near Djugu", "hooktok-1") }, 404, `"error"`, false},
		{"webhook, STOP with a wrong secret", "+243811000011", func(f string) (int, string) { return hook(f, "STOP", "nope") }, 404, `"error"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.svc.Lang = "en"
			code, b := tc.send(tc.from)
			if code != tc.code || !strings.Contains(b, tc.says) {
				t.Fatalf("got %d %s, want %d with %s", code, b, tc.code, tc.says)
			}
			out, err := cs.OptedOut(context.Background(), tc.from)
			if err != nil || out != tc.optedOut {
				t.Fatalf("opted out: %v %v, want %v", out, err, tc.optedOut)
			}
		})
	}
	if got := e.count(t); got != 0 {
		t.Errorf("%d alerts stored from disabled channels, want none", got)
	}
	var audited int
	if err := e.db.SQL.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'contacts.opt-out'`).Scan(&audited); err != nil || audited != 5 {
		t.Errorf("opt-outs audited: %d %v, want 5", audited, err)
	}
}
