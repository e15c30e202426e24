// Package alertstest holds what the tests of several packages need around
// the alerts service (the store suite storage/storetest, package web's
// tests): no production code imports it.
package alertstest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
)

// EscalationHook points svc's escalation webhook (Service.EscalationURL)
// at a test server that records every body posted to it, closed when the
// test ends, and answers the bodies received so far, oldest first (a copy:
// safe to call while the service still posts).
func EscalationHook(t testing.TB, svc *alerts.Service) (bodies func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, string(b))
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	svc.EscalationURL = hook.URL
	return func() []string {
		if err := svc.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// Hook is an escalation webhook for tests that answers Status (0: 200)
// and counts the posts it gets.
type Hook struct {
	Status atomic.Int32
	Posts  atomic.Int32
}

// RefusingHook points svc's escalation webhook at a test Hook answering
// status until the test changes it, closed when the test ends.
func RefusingHook(t testing.TB, svc *alerts.Service, status int) *Hook {
	t.Helper()
	h := &Hook{}
	h.Status.Store(int32(status))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.Posts.Add(1)
		if st := h.Status.Load(); st != 0 {
			w.WriteHeader(int(st))
		}
	}))
	t.Cleanup(srv.Close)
	svc.EscalationURL = srv.URL
	return h
}

// GiveUpNotice queues body as an escalation notice on svc, whose webhook
// refuses, and posts it until it is given up (alerts.NoticeTries passes,
// *now stepped two hours after each: past any delay; svc.Now must read it).
func GiveUpNotice(t testing.TB, svc *alerts.Service, body map[string]any, now *time.Time) {
	t.Helper()
	ctx := context.Background()
	svc.Escalate(ctx, body)
	for range alerts.NoticeTries {
		if err := svc.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(2 * time.Hour)
	}
}
