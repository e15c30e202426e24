package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/radio"
)

// TestBroadcastGatewaysAPI: an admin sets a Twilio channel's sending
// settings; a broadcast through it is pushed to (a fake of) Twilio's
// Messages API; Twilio's signed StatusCallback marks it delivered and the
// broadcast's reach says so. Unsigned or wrongly signed receipts, unknown
// channels and bad input are refused without a 500.
func TestBroadcastGatewaysAPI(t *testing.T) {
	var sent url.Values
	e := newTwilioEnv(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		sent = r.PostForm
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"sid":"SM0001","status":"queued"}`)
	})
	ctx, cs, as, tw, sid := context.Background(), e.cs, e.as, e.tw, e.sid
	ada, ana := e.tokens["ada"], e.tokens["ana"]
	call := func(tok, method, path, body string, want int, hdr map[string]string, ctype string) []byte {
		t.Helper()
		_, b := e.call(method, path, reqOpt{token: tok, body: body, hdr: hdr, ctype: ctype}, want)
		return b
	}
	settings := fmt.Sprintf(`{"channel_id":%d,"rate_per_s":5,"account_sid":%q,"from":"+15005550006","send_url":%q}`, tw.ID, sid, e.api.URL)
	call(ana, "POST", "/api/v1/broadcasts/gateways", settings, 403, nil, "")
	if _, field := jsonErr(t, call(ada, "POST", "/api/v1/broadcasts/gateways", strings.Replace(settings, `"rate_per_s":5`, `"rate_per_s":500`, 1), 400, nil, "")); field != "rate_per_s" {
		t.Fatalf("bad rate: field %q", field)
	}
	call(ada, "POST", "/api/v1/broadcasts/gateways", settings, 200, nil, "")

	call(ana, "POST", "/api/v1/contacts", `{"phone":"+243810000001","language":"fr","groups":["can"],"consent_how":"verbal"}`, 201, nil, "")
	var b contacts.Broadcast
	json.Unmarshal(call(ana, "POST", "/api/v1/broadcasts", fmt.Sprintf(`{"channel_id":%d,"group":"can","messages":{"fr":"Bonjour"}}`, tw.ID), 201, nil, ""), &b)
	chs, _ := e.db.Channels(ctx)
	for _, c := range chs {
		if c.ID == tw.ID {
			tw = c
		}
	}
	if n, err := cs.Drain(ctx, tw, contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 5, AccountSID: sid, From: "+15005550006", SendURL: e.api.URL}); n != 1 || err != nil {
		t.Fatalf("drain: %d %v", n, err)
	}
	cb, err := url.Parse(sent.Get("StatusCallback"))
	if err != nil || sent.Get("To") != "+243810000001" {
		t.Fatalf("pushed: %v", sent)
	}
	path := cb.RequestURI()
	form := url.Values{"MessageSid": {"SM0001"}, "MessageStatus": {"delivered"}, "AccountSid": {sid}}
	sign := func(token string, f url.Values) map[string]string {
		return map[string]string{"X-Twilio-Signature": alerts.TwilioSignature(token, e.srv.URL+path, f)}
	}
	formCT := "application/x-www-form-urlencoded"
	call("", "POST", path, form.Encode(), 403, sign("wrong", form), formCT)
	call("", "POST", path, form.Encode(), 403, nil, formCT)
	call("", "POST", "/intake/twilio/nosuchkey/status?m=x", form.Encode(), 404, sign("tw-token", form), formCT)
	noStatus := url.Values{"MessageSid": {"SM0001"}}
	call("", "POST", path, noStatus.Encode(), 400, sign("tw-token", noStatus), formCT)
	call("", "POST", path, form.Encode(), 204, sign("tw-token", form), formCT)

	var got contacts.Broadcast
	json.Unmarshal(call(ana, "GET", fmt.Sprintf("/api/v1/broadcasts/%d", b.ID), "", 200, nil, ""), &got)
	if got.Reach.Queued != 1 || got.Reach.Sent != 1 || got.Reach.Delivered != 1 {
		t.Fatalf("reach: %+v", got.Reach)
	}
	var gws []contacts.Gateway
	json.Unmarshal(call(ana, "GET", "/api/v1/broadcasts/gateways", "", 200, nil, ""), &gws)
	if len(gws) != 2 || !gws[1].Ready || gws[1].RatePerS != 5 {
		t.Fatalf("gateways: %+v", gws)
	}

	// A webhook gateway's receipt needs the channel's secret.
	wh, err := as.NewChannel(ctx, "admin", alerts.Webhook, "Hook", "wh-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	wpath := "/intake/webhook/" + wh.Key + "/status"
	call("", "POST", wpath, `{"uuid":"x","status":"delivered"}`, 403, nil, "")
	call("", "POST", wpath, `{"uuid":"x","status":"delivered"}`, 404, map[string]string{"X-Vigil-Secret": "wh-secret"}, "")
	call("", "POST", wpath, `{"uuid":"x","status":"bogus"}`, 400, map[string]string{"X-Vigil-Secret": "wh-secret"}, "")
}

// TestRadioScriptAPI: a broadcast's radio script downloads as plain text
// in English and French (analyst); unknown ids are 404, bad ids 400.
func TestRadioScriptAPI(t *testing.T) {
	e, ch := contactsEnv(t)
	e.s.Radio = &radio.Service{Broadcasts: e.s.Contacts, Mission: "MONUSCO"}
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	resp, body := e.do(nil, "POST", "/api/v1/contacts", reqOpt{token: ana, body: `{"phone":"+243810000001","groups":["can"],"consent_how":"verbal"}`})
	if resp.StatusCode != 201 {
		t.Fatalf("contact: %d %s", resp.StatusCode, body)
	}
	resp, body = e.do(nil, "POST", "/api/v1/broadcasts", reqOpt{token: ana, body: fmt.Sprintf(`{"channel_id":%d,"group":"can","messages":{"fr":"Réunion demain","en":"Meeting tomorrow"}}`, ch.ID)})
	var b contacts.Broadcast
	if resp.StatusCode != 201 || json.Unmarshal(body, &b) != nil {
		t.Fatalf("broadcast: %d %s", resp.StatusCode, body)
	}
	for _, c := range []struct{ lang, want string }{{"en", "The message: Meeting tomorrow"}, {"fr", "Le message\u00a0: Réunion demain"}} {
		resp, body = e.do(nil, "GET", fmt.Sprintf("/api/v1/broadcasts/%d/script?lang=%s", b.ID, c.lang), reqOpt{token: ana})
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), fmt.Sprintf("radio-broadcast-%d-%s.txt", b.ID, c.lang)) || !strings.Contains(string(body), c.want) {
			t.Fatalf("%s: %d %v\n%s", c.lang, resp.StatusCode, resp.Header, body)
		}
	}
	for _, c := range []struct {
		tok, path string
		want      int
	}{{vic, "/api/v1/broadcasts/1/script", 403}, {ana, "/api/v1/broadcasts/999/script", 404}, {ana, "/api/v1/broadcasts/x/script", 400}} {
		if resp, body := e.do(nil, "GET", c.path, reqOpt{token: c.tok}); resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d: %s", c.path, resp.StatusCode, c.want, body)
		}
	}
}
