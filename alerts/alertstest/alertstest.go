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
	"testing"

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
