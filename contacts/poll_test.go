package contacts_test

import (
	"context"
	"errors"
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
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// TestSMSSyncRate: an SMSSync phone polling for messages takes at most its
// gateway's rate times the seconds since its last poll (a minute's worth
// the first time; at least one; at most 50); a channel without a rate
// takes up to 50 as before.
func TestSMSSyncRate(t *testing.T) {
	ctx := context.Background()
	cs, as, ch := contactsWithChannel(t, alerts.SMSSync, "phone")
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	as.PollLimit = cs.PollLimit
	importGroup(t, cs, 60, 40000000, "g")
	if _, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "x"}}); err != nil {
		t.Fatal(err)
	}
	poll := func() int {
		t.Helper()
		out, err := as.SMSSyncPoll(ctx, alerts.GatewayRequest{Key: ch.Key, Query: url.Values{"task": {"send"}, "secret": {"gw-secret-1"}}})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.(map[string]any)["payload"].(map[string]any)["messages"].([]map[string]string))
	}
	if n := poll(); n != 50 {
		t.Fatalf("no rate set: %d messages, want 50", n)
	}
	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 0.1}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		want  int
	}{{0, 6}, {30 * time.Second, 3}, {time.Second, 1}, {time.Hour, 50}} {
		clock = clock.Add(c.after)
		if n := poll(); n != c.want {
			t.Errorf("poll after %v: %d messages, want %d", c.after, n, c.want)
		}
	}
}

// TestPushInDoubtAfterStop: the server stops in the middle of a push (the
// gateway has the message, no answer is recorded: the state a kill -9
// leaves, a claimed message with no result). After the claim's lease, a
// webhook message is sent again with the same uuid as its Idempotency-Key
// (exactly once at a receiver that honours it); a Twilio message is not
// sent again (Twilio's Messages API takes no idempotency key) but failed
// as in doubt, and Twilio's StatusCallback for it, when it did reach
// Twilio, then records it delivered.
func TestPushInDoubtAfterStop(t *testing.T) {
	for _, tc := range []struct {
		kind      alerts.Kind
		posts     int // posts the gateway sees in all
		delivered int
		failed    int
	}{
		{alerts.Webhook, 2, 0, 0},
		{alerts.Twilio, 1, 1, 0},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			ctx := context.Background()
			cs, _, ch := contactsWithChannel(t, tc.kind, "gw")
			clock := time.Now().UTC()
			var mu sync.Mutex
			cs.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			var posts []string
			got := make(chan struct{}, 4)
			hold := make(chan struct{})
			gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				posts = append(posts, r.Header.Get("Idempotency-Key")+" "+string(b))
				first := len(posts) == 1
				mu.Unlock()
				got <- struct{}{}
				if first {
					<-hold // the first push never gets its answer back
				}
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, `{"sid":"SM0001","id":"m1"}`)
			}))
			defer gw.Close()
			defer close(hold)
			set := contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 50, SendURL: gw.URL}
			if tc.kind == alerts.Twilio {
				set.AccountSID, set.From = "AC"+strings.Repeat("a", 32), "+15005550006"
			}
			if _, err := cs.SetGateway(ctx, "admin", set); err != nil {
				t.Fatal(err)
			}
			if _, err := cs.Create(ctx, "analyst", contacts.Input{Phone: "+243810000001", Groups: []string{"g"}, ConsentHow: "verbal"}); err != nil {
				t.Fatal(err)
			}
			b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "Réunion demain"}})
			if err != nil {
				t.Fatal(err)
			}
			chs, err := cs.Channels.Channels(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c := chs[0]
			dctx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { _, err := cs.Drain(dctx, c, set); done <- err }()
			<-got  // the gateway has the message…
			stop() // …and the server stops before its answer
			<-done
			mu.Lock()
			clock = clock.Add(contacts.DefaultLease + time.Minute)
			mu.Unlock()
			if _, err := cs.Drain(ctx, c, set); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			n := len(posts)
			mu.Unlock()
			if n != tc.posts {
				t.Fatalf("%d posts to the gateway, want %d: %q", n, tc.posts, posts)
			}
			if n == 2 && strings.Fields(posts[0])[0] != strings.Fields(posts[1])[0] {
				t.Fatalf("sent again under another idempotency key: %q", posts)
			}
			res, _ := cs.Get(ctx, b.ID)
			if tc.kind == alerts.Twilio {
				if res.Reach.Failed != 1 || res.Reach.Sent != 0 {
					t.Fatalf("in doubt: reach %+v, want 1 failed", res.Reach)
				}
				// Twilio did take it: its StatusCallback says so.
				uuid := strings.Fields(posts[0])[0]
				r, err := contacts.ParseTwilioReceipt(uuid, url.Values{"MessageSid": {"SM0001"}, "MessageStatus": {"delivered"}})
				if err != nil {
					t.Fatal(err)
				}
				if err := cs.RecordReceipt(ctx, c, r); err != nil {
					t.Fatal(err)
				}
				res, _ = cs.Get(ctx, b.ID)
			}
			if res.Reach.Delivered != tc.delivered || res.Reach.Failed != tc.failed {
				t.Fatalf("reach %+v, want %d delivered, %d failed", res.Reach, tc.delivered, tc.failed)
			}
		})
	}
}

// TestGatewaySettingsAdmin: the settings an admin sets from the browser. A
// new secret replaces the channel's (the webhook is then called with it),
// is never returned and is audited as "secret replaced" without its value;
// a gateway's own number of tries bounds the retries; a paused gateway is
// not ready and a broadcast through it is refused; bad values name their
// field.
func TestGatewaySettingsAdmin(t *testing.T) {
	ctx := context.Background()
	cs, _, ch := contactsWithChannel(t, alerts.Webhook, "hook")
	db := cs.Store.(*storage.DB)
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	var mu sync.Mutex
	var auths []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer hook.Close()

	for _, c := range []struct {
		name  string
		g     contacts.GatewaySettings
		field string
	}{
		{"too many tries", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1, SendURL: hook.URL, MaxAttempts: 21}, "max_attempts"},
		{"negative tries", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1, SendURL: hook.URL, MaxAttempts: -1}, "max_attempts"},
		{"short secret", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1, SendURL: hook.URL, Secret: "abc"}, "secret"},
		{"no URL", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1}, "send_url"},
	} {
		_, err := cs.SetGateway(ctx, "admin", c.g)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Field != c.field {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
	g, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 100, SendURL: hook.URL, MaxAttempts: 2, Secret: "  new-secret-123  "})
	if err != nil || g.Secret != "" || g.SecretSealed != nil {
		t.Fatalf("set: %+v %v (the secret must not come back)", g, err)
	}
	gws, err := cs.Gateways(ctx)
	if err != nil || len(gws) != 1 || !gws[0].Ready || gws[0].MaxAttempts != 2 || !gws[0].HasSecret || gws[0].Paused {
		t.Fatalf("gateways: %+v %v", gws, err)
	}
	rec, err := db.AuditLog(ctx, audit.Filter{Action: "broadcasts.gateway"})
	if err != nil || len(rec) != 1 || !strings.Contains(rec[0].Detail, "secret replaced") || strings.Contains(rec[0].Detail, "new-secret") {
		t.Fatalf("audit: %+v %v", rec, err)
	}
	if _, err := cs.Create(ctx, "analyst", contacts.Input{Phone: "+243810000001", Groups: []string{"g"}, ConsentHow: "verbal"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "x"}}); err != nil {
		t.Fatal(err)
	}
	chs, err := db.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set := contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 100, SendURL: hook.URL, MaxAttempts: 2}
	for i := 0; i < 4; i++ { // the server answers 503: tried twice, then failed
		if _, err := cs.Drain(ctx, chs[0], set); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
	}
	mu.Lock()
	if len(auths) != 2 || auths[0] != "Token new-secret-123" {
		t.Fatalf("pushes: %q, want two with the new secret", auths)
	}
	mu.Unlock()

	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 1, SendURL: hook.URL, Paused: true}); err != nil {
		t.Fatal(err)
	}
	if gws, _ := cs.Gateways(ctx); gws[0].Ready || !gws[0].Paused || !gws[0].HasSecret {
		t.Fatalf("paused gateway: %+v", gws[0])
	}
	_, err = cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "x"}})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Field != "channel_id" {
		t.Fatalf("broadcast through a paused gateway: %v", err)
	}
}
