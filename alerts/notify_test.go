package alerts

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestNotifyLogsNoSecret: an escalation webhook URL carries its secret in
// the path or query (Slack, Teams, ntfy…); a failed or refused call is
// logged by host, never by the full URL.
func TestNotifyLogsNoSecret(t *testing.T) {
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	defer refuse.Close()
	down := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("connection refused")
	})}
	cases := []struct {
		name, url string
		client    *http.Client
		want      string
	}{
		{"transport error", "http://hooks.example.org/services/T0/B0/SECRETPATH?token=SECRETQUERY", down, "connection refused"},
		{"refused", refuse.URL + "/hook/SECRETPATH?token=SECRETQUERY", nil, "status=403"},
		{"unparseable", "http://[::1/SECRETPATH?token=SECRETQUERY", nil, "does not parse"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			s := &Service{EscalationURL: c.url, HTTP: c.client, Log: slog.New(slog.NewTextHandler(&buf, nil))}
			s.notify(context.Background(), map[string]any{"incident_id": 1})
			got := buf.String()
			if !strings.Contains(got, c.want) {
				t.Fatalf("log %q lacks %q", got, c.want)
			}
			if strings.Contains(got, "SECRET") {
				t.Fatalf("log holds the webhook secret: %s", got)
			}
		})
	}
}
