package alerts

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
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
			_ = s.post(context.Background(), hookTarget{URL: s.EscalationURL}, "k", []byte(`{"incident_id":1}`))
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

// TestCheckEscalationURL: only http(s), and no link-local or cloud metadata
// target unless allowed; errors do not quote the URL (its secret).
func TestCheckEscalationURL(t *testing.T) {
	cases := []struct {
		url     string
		allow   bool
		wantErr string // "" for accepted
	}{
		{"https://hooks.example.org/services/SECRET", false, ""},
		{"http://10.0.0.5:8080/hook", false, ""},
		{"http://127.0.0.1:9000/hook", false, ""},
		{"", false, ""},
		{"file:///etc/passwd", false, `scheme "file"`},
		{"gopher://hooks.example.org:70/_SECRET", false, `scheme "gopher"`},
		{"ftp://hooks.example.org/SECRET", false, `scheme "ftp"`},
		{"hooks.example.org/SECRET", false, `scheme ""`},
		{"http:///SECRET", false, "no host"},
		{"http://169.254.169.254/latest/meta-data/iam/SECRET", false, "metadata"},
		{"http://169.254.10.20/SECRET", false, "link-local"},
		{"http://[fe80::1%25eth0]/SECRET", false, "link-local"},
		{"http://[fe80::1]/SECRET", false, "link-local"},
		{"http://[fd00:ec2::254]/SECRET", false, "metadata"},
		{"http://[::ffff:169.254.169.254]/SECRET", false, "metadata"},
		{"http://metadata.google.internal/computeMetadata/v1/SECRET", false, "metadata"},
		{"http://METADATA.GOOGLE.INTERNAL./SECRET", false, "metadata"},
		{"http://100.100.100.200/SECRET", false, "metadata"},
		{"http://169.254.169.254/latest/meta-data/", true, ""},
		{"http://metadata.google.internal/", true, ""},
		{"file:///etc/passwd", true, `scheme "file"`},
	}
	for _, c := range cases {
		err := CheckEscalationURL(c.url, c.allow)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%q (allow %v): %v, want accepted", c.url, c.allow, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%q (allow %v): %v, want an error with %q", c.url, c.allow, err, c.wantErr)
		case err != nil && strings.Contains(err.Error(), "SECRET"):
			t.Errorf("%q: the error quotes the URL: %v", c.url, err)
		}
	}
}

// TestEscalationRefusedAtConnect: the check is repeated when connecting,
// after DNS resolution, so a name that resolves (or later rebinds) to a
// link-local or metadata address is refused too; and post refuses a URL
// that was never checked. Nothing is sent in either case.
func TestEscalationRefusedAtConnect(t *testing.T) {
	for _, addr := range []string{"169.254.169.254:80", "[fe80::1]:80", "[fd00:ec2::254]:80", "[::ffff:169.254.169.254]:80"} {
		if err := dialControl("tcp", addr, nil); !errors.Is(err, ErrForbiddenTarget) {
			t.Errorf("dial %s: %v, want ErrForbiddenTarget", addr, err)
		}
	}
	for _, addr := range []string{"10.0.0.5:443", "127.0.0.1:8080", "[2001:db8::1]:443"} {
		if err := dialControl("tcp", addr, nil); err != nil {
			t.Errorf("dial %s: %v, want allowed", addr, err)
		}
	}
	// The client refuses before connecting, whatever URL check came first.
	_, err := escalationClient(false).Post("http://169.254.169.254/latest/meta-data/", "application/json", strings.NewReader("{}"))
	if !errors.Is(err, ErrForbiddenTarget) {
		t.Fatalf("client to the metadata address: %v, want ErrForbiddenTarget", err)
	}
	// post with an unchecked URL: refused and logged without the secret.
	for _, u := range []string{"http://169.254.169.254/latest/meta-data/SECRET", "gopher://hooks.example.org/_SECRET"} {
		var buf bytes.Buffer
		s := &Service{EscalationURL: u, Log: slog.New(slog.NewTextHandler(&buf, nil))}
		_ = s.post(context.Background(), hookTarget{URL: s.EscalationURL}, "k", []byte(`{"incident_id":1}`))
		if got := buf.String(); !strings.Contains(got, "refused") || strings.Contains(got, "SECRET") {
			t.Errorf("post %s: log %q, want a refusal without the secret", u, got)
		}
	}
	// A local relay on the loopback is a legitimate target.
	got := make(chan bool, 1)
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- true }))
	defer relay.Close()
	var buf bytes.Buffer
	s := &Service{EscalationURL: relay.URL + "/hook", Log: slog.New(slog.NewTextHandler(&buf, nil))}
	_ = s.post(context.Background(), hookTarget{URL: s.EscalationURL}, "k", []byte(`{"incident_id":1}`))
	select {
	case <-got:
	default:
		t.Fatalf("the loopback relay got nothing; log %s", buf.String())
	}
}

// FuzzCheckEscalationURL: no input panics; an accepted URL is http(s) with
// a host that is neither link-local nor a metadata address; an error never
// quotes the URL's path or query.
func FuzzCheckEscalationURL(f *testing.F) {
	for _, s := range []string{"https://hooks.example.org/services/T/B/X", "file:///etc/passwd", "gopher://h:70/_x",
		"http://169.254.169.254/", "http://[fe80::1%25eth0]/", "http://[::ffff:a9fe:a9fe]/", "http://metadata.google.internal./",
		"http://[fd00:ec2::254]:80/x", "http://%zz/", "", "http://0251.0376.0251.0376/"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, allow bool) {
		err := CheckEscalationURL(raw, allow)
		if err != nil {
			if u, perr := url.Parse(raw); perr == nil && len(u.RawQuery) > 8 && strings.Contains(err.Error(), u.RawQuery) {
				t.Fatalf("%q: the error quotes the query: %v", raw, err)
			}
			return
		}
		if raw == "" {
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil {
			t.Fatalf("%q accepted but does not parse: %v", raw, perr)
		}
		if s := strings.ToLower(u.Scheme); s != "http" && s != "https" || u.Hostname() == "" {
			t.Fatalf("%q accepted: scheme %q host %q", raw, u.Scheme, u.Hostname())
		}
		if !allow {
			if ip, err := netip.ParseAddr(u.Hostname()); err == nil && forbiddenAddr(ip) != "" {
				t.Fatalf("%q accepted: %s is forbidden", raw, ip)
			}
		}
	})
}
