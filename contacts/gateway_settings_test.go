package contacts_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
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
