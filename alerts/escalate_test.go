package alerts_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
)

type hangingHook struct {
	entered chan string   // the body, when the webhook is called
	release chan struct{} // closed to let it answer
}

func (h hangingHook) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	h.entered <- string(b)
	<-h.release
	return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

// TestEscalateDoesNotWaitForWebhook: an officer's escalation by hand
// answers while the escalation webhook has not answered yet (it used to
// hold the request up to the client's 10 s timeout); the notice is still
// delivered, and Drain (vigil serve's stop) waits for it.
func TestEscalateDoesNotWaitForWebhook(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	hook := hangingHook{entered: make(chan string, 1), release: make(chan struct{})}
	svc.EscalationURL, svc.HTTP = "https://hooks.example.org/escalate", &http.Client{Transport: hook}
	web, err := svc.NewChannel(ctx, "a", alerts.Web, "Form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx, web, alerts.Inbound{Message: "Armed men near the market"})
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		in  alerts.Incident
		err error
	}
	done := make(chan answer, 1)
	go func() {
		in, err := svc.EscalateIncident(ctx, &auth.User{Name: "rex", Role: auth.Responder}, a.IncidentID, alerts.EscalateRequest{Reason: "families on the road"})
		done <- answer{in, err}
	}()
	body := <-hook.entered // the webhook is called and hangs
	select {
	case got := <-done:
		if got.err != nil || got.in.EscalatedAt == nil {
			t.Fatalf("escalation: %+v %v", got.in, got.err)
		}
	case <-time.After(30 * time.Second): // a safety net, not a measure: the answer must not need the release
		close(hook.release)
		t.Fatal("the escalation waited for the webhook's answer")
	}
	var notice map[string]any
	if err := json.Unmarshal([]byte(body), &notice); err != nil || notice["by_hand"] != true || notice["reason"] != "families on the road" {
		t.Errorf("notice %s", body)
	}
	drained := make(chan error, 1)
	go func() { drained <- svc.Drain(ctx) }()
	close(hook.release)
	if err := <-drained; err != nil {
		t.Fatal(err)
	}
}
