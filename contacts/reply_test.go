package contacts_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// twilioPost is one request a fake Twilio Messages API took.
type twilioPost struct {
	path, user, pass string
	form             url.Values
}

// fakeTwilio is a Twilio Messages API that answers each POST with the
// next status of codes (201 once they are used up) and records it.
func fakeTwilio(t *testing.T, codes ...int) (*httptest.Server, func() []twilioPost) {
	t.Helper()
	var mu sync.Mutex
	var posts []twilioPost
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		user, pass, _ := r.BasicAuth()
		mu.Lock()
		posts = append(posts, twilioPost{r.URL.Path, user, pass, form})
		code := http.StatusCreated
		if len(codes) > 0 {
			code, codes = codes[0], codes[1:]
		}
		mu.Unlock()
		w.WriteHeader(code)
		if code == http.StatusCreated {
			io.WriteString(w, `{"sid":"SM`+base64.RawURLEncoding.EncodeToString([]byte(form.Get("To")))+`"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []twilioPost { mu.Lock(); defer mu.Unlock(); return append([]twilioPost(nil), posts...) }
}

// TestRepliesThroughTwilio: a reply to the reporter of an alert that came
// in through a Twilio channel with sending settings goes out through that
// channel, by Twilio's Messages API (its account SID's Messages.json, the
// channel's auth token in basic auth, From its sender number, To the
// reporter's address; a WhatsApp sender gets a WhatsApp message from the
// channel's WhatsApp sender), with the broadcasts' push loop: a 5xx answer
// is tried again later, a message Twilio took is not sent again, Twilio's
// StatusCallback finds it. The timeline and the channel's counts name the
// Twilio channel. An SMSSync alert's reply still waits for its phone
// (task=send); a reply to a Twilio channel without sending settings is
// refused, naming the gateway, even when an SMSSync phone could carry it
// (TestReplyGoesBackTheWayItCame). A WhatsApp number that opted out
// (STOP) is not sent its queued reply.
// Before, every reply was queued on the SMSSync channel: a Twilio
// reporter was answered from the mission's phone, or not at all.
func TestRepliesThroughTwilio(t *testing.T) {
	ctx := context.Background()
	cs, as, tw := contactsWithChannel(t, alerts.Twilio, "Bunia Twilio")
	clock := time.Now().UTC()
	var mu sync.Mutex
	cs.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	cs.BaseURL = "https://vigil.example"
	cs.Backoff = time.Minute
	as.Inbound, as.RecipientMAC, as.PushSenders = cs, cs.RecipientMAC, cs.TwilioSenders
	api, posts := fakeTwilio(t, http.StatusServiceUnavailable)
	const sid = "AC0123456789abcdef0123456789abcdef"
	set := contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 50, SendURL: api.URL, AccountSID: sid, From: "+15005550006"}
	if _, err := cs.SetGateway(ctx, "admin", set); err != nil {
		t.Fatal(err)
	}
	bare, err := as.NewChannel(ctx, "admin", alerts.Twilio, "Goma Twilio", "gw-secret-2", "")
	if err != nil {
		t.Fatal(err)
	}
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	receive := func(c alerts.Channel, from, msg string) alerts.Alert {
		t.Helper()
		a, err := as.Receive(ctx, c, alerts.Inbound{From: from, Message: msg, GatewayID: "SM-" + from})
		if err != nil {
			t.Fatal(err)
		}
		return *a
	}
	// No SMSSync channel yet: a reply to the Twilio channel without
	// settings has nowhere to go.
	lost := receive(bare, "+243811000009", "Coups de feu à Goma")
	if _, err := as.Reply(ctx, rex, lost.ID, "Patrouille en route"); apperr.FieldOf(err) != "gateway" {
		t.Fatalf("reply with no gateway: %v, want a refusal naming gateway", err)
	}
	sms, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "Bunia phone", "sms-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		ch       alerts.Channel
		from     string
		via      alerts.Channel // the channel the reply is queued on
		to       string         // what the gateway is given
		twilFrom string         // Twilio's From ("" : not through Twilio)
		by       string         // how the timeline says it goes
	}{
		{"whatsapp sender", tw, "whatsapp:+243811000001", tw, "whatsapp:+243811000001", "whatsapp:+15005550006", "WhatsApp"},
		{"sms sender", tw, "+243811000002", tw, "+243811000002", "+15005550006", "SMS"},
		{"smssync alert", sms, "+243811000003", sms, "+243811000003", "", "SMS"},
	} {
		a := receive(c.ch, c.from, "Hommes armés près du marché "+c.name)
		m, err := as.Reply(ctx, rex, a.ID, "Patrouille en route ("+c.name+")")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if m.ChannelID != c.via.ID {
			t.Errorf("%s: queued on channel %d, want %d (%s)", c.name, m.ChannelID, c.via.ID, c.via.Name)
		}
		tl, err := as.Store.Timeline(ctx, a.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		if l, want := tl[len(tl)-1], fmt.Sprintf("reply to the reporter of alert %d sent by %s through %s", a.ID, c.by, c.via.Name); l.Text != want {
			t.Errorf("%s: timeline line %q, want %q", c.name, l.Text, want)
		}
		// A tipline answer to the same sender (integrity's SendAnswers)
		// is said the same way, by nothing but its message.
		ans, _, err := as.PrepareReply(ctx, a.ID, "Faux : le pont est ouvert.", nil)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := as.AnswerLines(ctx, "ana", 7, []alerts.Outgoing{ans})
		if want := "fact-check answer for narrative 7 sent by " + c.by + " to 1 tipline sender through " + c.via.Name; err != nil || len(lines) != 1 || lines[0].Text != want {
			t.Errorf("%s: answer lines %+v (%v), want one %q", c.name, lines, err, want)
		}
	}
	// A Twilio channel without sending settings: not rerouted to the phone.
	if _, err := as.Reply(ctx, rex, receive(bare, "whatsapp:+243811000004", "Hommes armés").ID, "Patrouille en route"); apperr.FieldOf(err) != "gateway" {
		t.Errorf("reply through a Twilio channel without settings: %v, want a refusal naming gateway", err)
	}
	// A WhatsApp sender who says STOP after the reply was queued.
	stopped := receive(tw, "whatsapp:+243811000005", "Pillage au marché")
	if _, err := as.Reply(ctx, rex, stopped.ID, "Patrouille en route (stop)"); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.InboundSMS(ctx, "whatsapp:+243811000005", "STOP"); err != nil {
		t.Fatal(err)
	}
	chs, err := cs.Channels.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var c alerts.Channel
	for _, x := range chs {
		if x.ID == tw.ID {
			c = x
		}
	}
	drain := func(want int) {
		t.Helper()
		if n, err := cs.Drain(ctx, c, set); err != nil || n != want {
			t.Fatalf("drain: %d sent (%v), want %d", n, err, want)
		}
	}
	drain(1) // the first post is answered 503: tried again after the backoff
	if n := len(posts()); n != 2 {
		t.Fatalf("%d posts, want 2 (a 503, a 201)", n)
	}
	drain(0) // not yet due
	mu.Lock()
	clock = clock.Add(2 * time.Minute)
	mu.Unlock()
	drain(1)
	drain(0) // each sent once; the number that opted out never
	ps := posts()
	if len(ps) != 3 {
		t.Fatalf("%d posts, want 3: %+v", len(ps), ps)
	}
	if ps[0].form.Get("To") != ps[2].form.Get("To") {
		t.Errorf("the message answered 503 was not the one tried again: %+v", ps)
	}
	want := map[string]string{"whatsapp:+243811000001": "whatsapp:+15005550006", "+243811000002": "+15005550006"}
	for _, p := range ps[1:] {
		to := p.form.Get("To")
		if p.path != "/2010-04-01/Accounts/"+sid+"/Messages.json" || p.user != sid || p.pass != "gw-secret-1" {
			t.Errorf("post to %s as %s:%s", p.path, p.user, p.pass)
		}
		if from, ok := want[to]; !ok || p.form.Get("From") != from || !strings.HasPrefix(p.form.Get("Body"), "Patrouille en route (") ||
			!strings.HasPrefix(p.form.Get("StatusCallback"), "https://vigil.example/intake/twilio/"+tw.Key+"/status?m=") {
			t.Errorf("post %v, want To one of %v with its From", p.form, want)
		}
		delete(want, to)
		// Twilio's delivery receipt finds the message.
		r, err := contacts.ParseTwilioReceipt(strings.TrimPrefix(p.form.Get("StatusCallback"), "https://vigil.example/intake/twilio/"+tw.Key+"/status?m="),
			url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cs.RecordReceipt(ctx, c, r); err != nil {
			t.Errorf("receipt for %s: %v", to, err)
		}
	}
	// The SMSSync phone takes its own alert's reply, nothing else.
	out, err := as.SMSSyncPoll(ctx, alerts.GatewayRequest{Key: sms.Key, Query: url.Values{"task": {"send"}, "secret": {"sms-secret-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	var tos []string
	for _, m := range out.(map[string]any)["payload"].(map[string]any)["messages"].([]map[string]string) {
		tos = append(tos, m["to"])
	}
	if strings.Join(tos, ",") != "+243811000003" {
		t.Errorf("the SMSSync phone takes %q, want +243811000003", tos)
	}
	// The Administration channels table counts the replies on the channel
	// they went through.
	counts, err := as.Store.SentCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[tw.ID].Replies != 3 || counts[sms.ID].Replies != 1 || counts[bare.ID].Replies != 0 {
		t.Errorf("replies per channel %+v; want 3 on %d, 1 on %d, none on %d", counts, tw.ID, sms.ID, bare.ID)
	}
}

// TestReplyGoesBackTheWayItCame: a reply goes back through the channel the
// report came in on when that channel can send: a webhook channel with its
// outbound URL posts it to that URL (as broadcasts go: the channel's
// secret as its token, the reporter's address as given, WhatsApp
// included). When the channel cannot send (a webhook without an outbound
// URL, a Twilio channel without its sending settings, a disabled SMSSync
// phone) the reply is refused, naming the channel, in English and French,
// and nothing is queued: it is never rerouted through another channel,
// which would show the reporter another of the mission's numbers (a
// WhatsApp reporter answered by an SMS phone) and may not reach them.
// ReplyRoute says the same before anything is written (the reply form's
// notice). Before, each of these fell back to the mission's SMSSync phone.
func TestReplyGoesBackTheWayItCame(t *testing.T) {
	ctx := context.Background()
	cs, as, hook := contactsWithChannel(t, alerts.Webhook, "Kiwanja webhook")
	as.Inbound, as.RecipientMAC, as.PushSenders = cs, cs.RecipientMAC, cs.PushSenders
	var mu sync.Mutex
	var bodies []map[string]any
	var auths []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		mu.Lock()
		bodies, auths = append(bodies, b), append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		io.WriteString(w, `{"id":"gw-1"}`)
	}))
	t.Cleanup(gw.Close)
	set := contacts.GatewaySettings{ChannelID: hook.ID, RatePerS: 50, SendURL: gw.URL}
	if _, err := cs.SetGateway(ctx, "admin", set); err != nil {
		t.Fatal(err)
	}
	newCh := func(k alerts.Kind, name, secret string) alerts.Channel {
		t.Helper()
		c, err := as.NewChannel(ctx, "admin", k, name, secret, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	bareHook := newCh(alerts.Webhook, "Kalehe webhook", "gw-secret-3")
	bareTw := newCh(alerts.Twilio, "Goma Twilio", "gw-secret-4")
	offPhone := newCh(alerts.SMSSync, "Uvira phone", "sms-secret-2")
	sms := newCh(alerts.SMSSync, "Bunia phone", "sms-secret-1") // the phone a reply used to fall back to
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	type sent struct {
		ch   alerts.Channel
		from string
	}
	var alertsOf []alerts.Alert
	for i, s := range []sent{{hook, "whatsapp:+243811000011"}, {bareHook, "+243811000012"}, {bareTw, "whatsapp:+243811000013"}, {offPhone, "+243811000014"}} {
		a, err := as.Receive(ctx, s.ch, alerts.Inbound{From: s.from, Message: fmt.Sprintf("Hommes armés près du marché %d", i), GatewayID: "gw-" + s.from})
		if err != nil {
			t.Fatal(err)
		}
		alertsOf = append(alertsOf, *a)
	}
	if _, err := as.PatchChannel(ctx, "admin", offPhone.ID, alerts.ChannelPatch{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	var replied alerts.Outgoing // the one reply queued
	for i, c := range []struct {
		name   string
		via    alerts.Channel // the channel it is queued on (ID 0: refused)
		key    string         // the refusal's catalog key
		en, fr string         // words the refusal holds
		by     string         // how the timeline says it goes
	}{
		{"webhook with outbound URL", hook, "", "", "", "WhatsApp"},
		{"webhook without outbound URL", alerts.Channel{}, "alerts.refusal.reply-webhook", "Kalehe webhook has no outbound URL", "«\u202fKalehe webhook\u202f» n’a pas d’URL d’envoi", ""},
		{"twilio without sending settings", alerts.Channel{}, "alerts.refusal.reply-twilio", "Goma Twilio has no sending settings", "«\u202fGoma Twilio\u202f» n’a pas de réglages d’envoi", ""},
		{"disabled smssync phone", alerts.Channel{}, "alerts.refusal.reply-disabled", "Uvira phone is disabled", "«\u202fUvira phone\u202f» est désactivé", ""},
	} {
		a := alertsOf[i]
		r, err := as.ReplyRoute(ctx, a.ID, "fr")
		if err != nil {
			t.Fatalf("%s: route: %v", c.name, err)
		}
		m, err := as.Reply(ctx, rex, a.ID, "Patrouille en route")
		if c.via.ID == 0 {
			e := apperr.As(err)
			if e == nil || apperr.FieldOf(err) != "gateway" || e.Args["1.key"] != c.key || !strings.Contains(err.Error(), c.en) {
				t.Errorf("%s: reply %v (%+v), want a refusal %s naming gateway, saying %q", c.name, err, e, c.key, c.en)
			}
			if k, _ := apperr.KindOf(err); k != apperr.KindConflict {
				t.Errorf("%s: refused as %v, want a conflict (409)", c.name, k)
			}
			if r.Via != "" || !strings.Contains(r.Refusal, c.fr) {
				t.Errorf("%s: route %+v, want none, its refusal saying %q", c.name, r, c.fr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if m.ChannelID != c.via.ID || r.Via != c.via.Name || r.Refusal != "" || r.Channel != c.via.Name {
			t.Errorf("%s: queued on %d, route %+v; want %d (%s)", c.name, m.ChannelID, r, c.via.ID, c.via.Name)
		}
		replied = m
	}
	// The webhook channel's gateway takes its reply as broadcasts go.
	var c alerts.Channel
	chs, err := cs.Channels.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range chs {
		if x.ID == hook.ID {
			c = x
		}
	}
	if n, err := cs.Drain(ctx, c, set); err != nil || n != 1 {
		t.Fatalf("drain: %d sent (%v), want 1", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 || bodies[0]["to"] != "whatsapp:+243811000011" || bodies[0]["message"] != "Patrouille en route" || auths[0] != "Token gw-secret-1" {
		t.Errorf("webhook took %v (%q), want the reply to whatsapp:+243811000011 with the channel's token", bodies, auths)
	}
	// A reply is not a broadcast: its body names the reply (the outgoing
	// message's id, its alert and incident), no broadcast_id (it was 0).
	if len(bodies) == 1 {
		b := bodies[0]
		if _, ok := b["broadcast_id"]; ok {
			t.Errorf("reply body carries broadcast_id: %v", b)
		}
		if b["reply_id"] != float64(replied.ID) || b["alert_id"] != float64(alertsOf[0].ID) || b["incident_id"] != float64(alertsOf[0].IncidentID) || b["uuid"] != replied.UUID {
			t.Errorf("reply body %v, want reply_id %d, alert_id %d, incident_id %d, uuid %s", b, replied.ID, alertsOf[0].ID, alertsOf[0].IncidentID, replied.UUID)
		}
	}
	// Nothing was rerouted to the SMSSync phone.
	out, err := as.SMSSyncPoll(ctx, alerts.GatewayRequest{Key: sms.Key, Query: url.Values{"task": {"send"}, "secret": {"sms-secret-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ms := out.(map[string]any)["payload"].(map[string]any)["messages"].([]map[string]string); len(ms) != 0 {
		t.Errorf("the SMSSync phone takes %v, want nothing", ms)
	}
}

func ptr[T any](v T) *T { return &v }
