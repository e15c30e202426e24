package web

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// TestNewChannelSecretAPI: POST /api/v1/alerts/channels without a secret
// (or spaces alone) is refused with a keyed 400 naming the secret, the
// Twilio one by the form's field, never by the CLI's --secret or
// --auth-token, and writes nothing; a secret with spaces around it is kept
// trimmed, as POST …/secret keeps a new one: the gateway proves itself
// with the secret without the spaces.
func TestNewChannelSecretAPI(t *testing.T) {
	e := newAlertsEnv(t, "ada")
	ada := e.tokens["ada"]
	before, err := e.svc.Store.Channels(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ body, key string }{
		{`{"kind":"smssync","name":"No secret"}`, "alerts.refusal.secret-missing"},
		{`{"kind":"webhook","name":"Blank hook","secret":"          "}`, "alerts.refusal.secret-missing"},
		{`{"kind":"twilio","name":"Blank SMS","secret":"   \t    "}`, "alerts.refusal.token-missing"},
	} {
		resp, b := e.do(nil, "POST", "/api/v1/alerts/channels", reqOpt{token: ada, body: c.body, hdr: map[string]string{"Accept-Language": "fr"}})
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"field":"secret"`) || !strings.Contains(string(b), `"key":"`+c.key+`"`) || strings.Contains(string(b), "--") {
			t.Errorf("POST %s: %d %s; want 400 %s naming the secret", c.body, resp.StatusCode, b, c.key)
		}
	}
	if after, err := e.svc.Store.Channels(t.Context()); err != nil || len(after) != len(before) {
		t.Errorf("refused channels written: %d channels, %d before (%v)", len(after), len(before), err)
	}

	n := 0
	sms := func(ch alerts.Channel, secret string) int {
		n++
		resp, _ := e.do(nil, "POST", alerts.IntakePath(ch), reqOpt{body: smsForm("pad-"+strconv.Itoa(n), "Attack near Djugu", secret), ctype: formCT})
		return resp.StatusCode
	}
	resp, b := e.do(nil, "POST", "/api/v1/alerts/channels", reqOpt{token: ada, body: `{"kind":"smssync","name":"Padded phone","secret":"  padded-secret-1 "}`})
	var ch alerts.Channel
	if resp.StatusCode != 201 && resp.StatusCode != 200 || json.Unmarshal(b, &ch) != nil || ch.Key == "" {
		t.Fatalf("a padded secret: %d %s", resp.StatusCode, b)
	}
	if code := sms(ch, "padded-secret-1"); code != 200 {
		t.Errorf("the trimmed secret of a new channel: %d", code)
	}
	resp, b = e.do(nil, "POST", "/api/v1/alerts/channels/"+strconv.FormatInt(ch.ID, 10)+"/secret", reqOpt{token: ada, body: `{"secret":"  padded-secret-2 "}`})
	if resp.StatusCode != 200 {
		t.Fatalf("a padded new secret: %d %s", resp.StatusCode, b)
	}
	if code := sms(ch, "padded-secret-2"); code != 200 {
		t.Errorf("the trimmed new secret: %d", code)
	}
}
