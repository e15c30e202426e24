package alerts_test

import (
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/shareddata"
)

func TestWorkflow(t *testing.T) {
	ok := [][2]alerts.Status{{"received", "triaged"}, {"received", "false"}, {"triaged", "verified"}, {"triaged", "unverified"},
		{"verified", "dispatched"}, {"dispatched", "resolved"}, {"resolved", "closed"}, {"unverified", "verified"}, {"false", "closed"}}
	bad := [][2]alerts.Status{{"received", "dispatched"}, {"received", "closed"}, {"closed", "received"}, {"triaged", "resolved"}, {"resolved", "received"}}
	for _, p := range ok {
		if !alerts.CanMove(p[0], p[1]) {
			t.Errorf("%s → %s refused", p[0], p[1])
		}
	}
	for _, p := range bad {
		if alerts.CanMove(p[0], p[1]) {
			t.Errorf("%s → %s allowed", p[0], p[1])
		}
	}
}

func TestMasking(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+243812345678", "+••••••••••78"}, {"0812 345 678", "•••• ••• •78"}, {"7", "••"}, {"", "••"},
		// A number field is free text (the public web form, an alert typed
		// in): a name or note in it is masked too, not shown in clear
		// beside the masked digits (the full text is for Reveal, audited).
		{"Mama Jeanne 0812 345 678", "•••• •••••• •••• ••• •78"}, {"(+243) 81-234-5678 Kahindo", "(+•••) ••-•••-••78 •••••••"},
		{"appelez Amani", "••••••• •••••"}, {"Zawadi", "••••••"}, {"ab", "••"},
	}
	for _, tc := range tests {
		if got := alerts.MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := alerts.MaskName("Amani Kahindo"); got != "A•••" {
		t.Errorf("MaskName = %q", got)
	}
	la, lo := 1.5625, 30.2484
	l := alerts.Location{Status: "resolved", Lat: &la, Lon: &lo, PrecisionM: 12, Text: "near the school of Mama Zawadi", Note: "x"}
	v := l.ForRole(auth.Viewer)
	if *v.Lat != 1.6 || *v.Lon != 30.2 || v.Text != "" || v.Note != "" || v.PrecisionM < 8000 {
		t.Errorf("viewer location %+v (%v, %v)", v, *v.Lat, *v.Lon)
	}
	if r := l.ForRole(auth.Responder); *r.Lat != la || r.Text == "" {
		t.Errorf("responder location %+v", r)
	}
}

func TestStats(t *testing.T) {
	base := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) // Monday of ISO week 48
	mk := func(day int, triage, resp time.Duration) alerts.Incident {
		first := base.AddDate(0, 0, day)
		in := alerts.Incident{FirstAt: first}
		if triage > 0 {
			tt := first.Add(triage)
			in.TriagedAt = &tt
		}
		if resp > 0 {
			rt := first.Add(resp)
			in.RespondedAt = &rt
		}
		return in
	}
	ins := []alerts.Incident{
		mk(0, 5*time.Minute, time.Hour), mk(1, 10*time.Minute, 0), mk(2, 20*time.Minute, 3*time.Hour), mk(3, 0, 0),
		mk(-7, time.Minute, 0), // week 47
	}
	st := alerts.Stats(ins)
	if len(st) != 2 || st[0].Week != "2026-W47" || st[1].Week != "2026-W48" {
		t.Fatalf("%+v", st)
	}
	w := st[1]
	if w.Incidents != 4 || w.Triaged != 3 || w.Responded != 2 {
		t.Fatalf("%+v", w)
	}
	// Type-7 quantiles: triage {300, 600, 1200} s → median 600, p90 1080;
	// response {3600, 10800} → median 7200, p90 10080.
	for _, c := range []struct {
		got  *float64
		want float64
	}{{w.TriageMedianS, 600}, {w.TriageP90S, 1080}, {w.ResponseMedianS, 7200}, {w.ResponseP90S, 10080}} {
		if c.got == nil || math.Abs(*c.got-c.want) > 1e-9 {
			t.Errorf("got %v want %v", c.got, c.want)
		}
	}
	if st[0].ResponseMedianS != nil {
		t.Error("no responses but a median")
	}
}

func TestParseSMSSync(t *testing.T) {
	f := url.Values{"from": {"+243"}, "message": {"hi"}, "message_id": {"1"}, "secret": {"s"}, "sent_timestamp": {"1764100000000"}}
	in, secret, err := alerts.ParseSMSSync(f)
	if err != nil || secret != "s" || in.SentAt.Year() != 2025 || in.GatewayID != "1" {
		t.Fatalf("%+v %q %v", in, secret, err)
	}
	f.Set("sent_timestamp", "1764100000") // seconds (SMSSync 1.x)
	if in, _, _ := alerts.ParseSMSSync(f); in.SentAt.Year() != 2025 {
		t.Fatalf("seconds timestamp: %v", in.SentAt)
	}
	for field, v := range map[string]string{"from": "", "message": "", "sent_timestamp": "-5", "device_id": strings.Repeat("x", 300)} {
		g := url.Values{}
		for k, vs := range f {
			g[k] = vs
		}
		g.Set(field, v)
		_, _, err := alerts.ParseSMSSync(g)
		fe, ok := err.(*apperr.Error)
		if !ok || fe.Field != field {
			t.Errorf("%s=%q: %v", field, v, err)
		}
	}
}

func TestQueuedMessages(t *testing.T) {
	u, err := alerts.ParseQueuedMessages("application/json", []byte(`{"queued_messages":["a","b"]}`), nil)
	if err != nil || len(u) != 2 {
		t.Fatal(u, err)
	}
	u, err = alerts.ParseQueuedMessages("application/x-www-form-urlencoded", nil, url.Values{"queued_messages": {`["a"]`}})
	if err != nil || len(u) != 1 || u[0] != "a" {
		t.Fatal(u, err)
	}
	if _, err := alerts.ParseQueuedMessages("application/json", []byte(`{`), nil); err == nil {
		t.Fatal("bad JSON accepted")
	}
}

func TestTwiMLEscapes(t *testing.T) {
	got := string(alerts.TwiML(`a<b & "c"`))
	if !strings.Contains(got, "<Message>a&lt;b &amp; &quot;c&quot;</Message>") {
		t.Fatal(got)
	}
}

func FuzzParseIntake(f *testing.F) {
	f.Add("from=%2B243&message=hi&message_id=1&sent_timestamp=1764100000000", `{"id":"1","text":"x","lat":1,"lon":2}`)
	f.Add("MessageSid=SM1&From=%2B1&Body=x", `{"text":"\u0000"}`)
	f.Fuzz(func(t *testing.T, form, body string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		for _, parse := range []func() (alerts.Inbound, error){
			func() (alerts.Inbound, error) { in, _, err := alerts.ParseSMSSync(v); return in, err },
			func() (alerts.Inbound, error) { return alerts.ParseTwilio(v) },
			func() (alerts.Inbound, error) { return alerts.ParseWebhookForm(v) },
			func() (alerts.Inbound, error) { return alerts.ParseWebhookJSON([]byte(body)) },
			func() (alerts.Inbound, error) { return alerts.ParseWebhook("application/json", []byte(body), v) },
			func() (alerts.Inbound, error) { return alerts.ParseWebhook("", []byte(body), v) },
		} {
			in, err := parse()
			if err == nil {
				if err := in.Validate(); err != nil {
					t.Fatalf("accepted an invalid message: %v", err)
				}
				if len(in.Message) > alerts.MaxMessageBytes || strings.TrimSpace(in.Message) == "" {
					t.Fatalf("accepted message %q", in.Message)
				}
			}
		}
		alerts.ParseQueuedMessages("application/json", []byte(body), v)
	})
}

func TestFromCAP(t *testing.T) {
	f := shareddata.Open(t, "cap/valid/v1dot2_appendix_adot3.xml")
	a, err := capxml.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	ins := alerts.FromCAP(a)
	if len(ins) != 1 || ins[0].Lat == nil || *ins[0].Lat != 32.9525 || *ins[0].Lon != -115.5527 || ins[0].GatewayID != a.Identifier+"#0" {
		t.Fatalf("%+v", ins)
	}
	if err := ins[0].Validate(); err != nil {
		t.Fatal(err)
	}
	g := shareddata.Open(t, "cap/valid/canada.cap")
	b, err := capxml.Decode(g)
	if err != nil {
		t.Fatal(err)
	}
	ins = alerts.FromCAP(b)
	if len(ins) != 2 || ins[0].Lat == nil || *ins[0].Lat < 41 || *ins[0].Lat > 43 || *ins[0].Lon > -81 {
		t.Fatalf("%+v", ins)
	}
}

// TestCheckTextBlank: a required text of Unicode white space or invisible
// format characters only is empty (as the pages' dialogs judge it); one
// with a visible character is not.
func TestCheckTextBlank(t *testing.T) {
	cases := []struct {
		name, s string
		blank   bool
	}{
		{"ASCII spaces", " \t\r\n", true},
		{"no-break space", "\u00a0", true},
		{"narrow no-break space", "\u202f\u202f", true},
		{"ideographic space", "\u3000", true},
		{"em space and line separator", "\u2003\u2028", true},
		{"next line", "\u0085", true},
		{"zero-width space", "\u200b", true},
		{"zero-width joiner and BOM", "\u200d\ufeff", true},
		{"direction mark", " \u200e ", true},
		{"a letter among spaces", "\u3000a\u200b", false},
		{"a dot", ".", false},
	}
	for _, c := range cases {
		err := alerts.CheckText("reason", c.s, 100, true)
		if got := err != nil; got != c.blank {
			t.Errorf("%s %q: blank %v, want %v (%v)", c.name, c.s, got, c.blank, err)
		}
	}
}
