package alerts_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
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

// hangingEscalation points svc's escalation webhook at a hook that hangs
// until released and answers an alert it took, whose incident the test
// escalates.
func hangingEscalation(t *testing.T, svc *alerts.Service) (hangingHook, *alerts.Alert) {
	t.Helper()
	ctx := context.Background()
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
	return hook, a
}

// TestEscalateDoesNotWaitForWebhook: an officer's escalation by hand
// answers while the escalation webhook has not answered yet (it used to
// hold the request up to the client's 10 s timeout); the notice is still
// delivered, and Drain (vigil serve's stop) waits for it.
func TestEscalateDoesNotWaitForWebhook(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	hook, a := hangingEscalation(t, svc)
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

// TestEscalationNoticeSurvivesCrash: the server that escalated dies before
// its webhook answered (its post hangs; it is never drained); a server
// started on the same database afterwards posts the notice, once, with
// its notice id in the Idempotency-Key header and the body. Before, the
// notice was queued in the dead process's memory only: the new server
// posted nothing.
func TestEscalationNoticeSurvivesCrash(t *testing.T) {
	ctx := context.Background()
	st, keys := testutil.Store(t), testutil.Keys(t, "k")
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	dead := alerts.NewService(st, keys)
	dead.Now = func() time.Time { return now }
	dead.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	hang, a := hangingEscalation(t, dead)
	t.Cleanup(func() { close(hang.release) })
	if _, err := dead.EscalateIncident(ctx, &auth.User{Name: "rex", Role: auth.Responder}, a.IncidentID, alerts.EscalateRequest{Reason: "families on the road"}); err != nil {
		t.Fatal(err)
	}
	<-hang.entered // the post is under way when the process dies

	type post struct{ key, body string }
	var posts []post
	next := alerts.NewService(st, keys)
	next.Now = func() time.Time { return now.Add(2 * time.Minute) }
	next.EscalationURL = "https://hooks.example.org/escalate"
	next.HTTP = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		posts = append(posts, post{r.Header.Get("Idempotency-Key"), string(b)})
		return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})}
	for range 2 {
		if err := next.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(posts) != 1 {
		t.Fatalf("the next server posted %d notices, want 1: %+v", len(posts), posts)
	}
	var notice map[string]any
	if err := json.Unmarshal([]byte(posts[0].body), &notice); err != nil || notice["reason"] != "families on the road" ||
		posts[0].key == "" || notice["notice_id"] != posts[0].key {
		t.Errorf("notice %+v", posts[0])
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
