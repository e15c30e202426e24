package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/testutil"
)

// TestServeEscalationURLChecked: vigil serve refuses to start with an
// escalation webhook that is not http(s) or points at a link-local or cloud
// metadata address (unless --alerts-escalation-allow-link-local), naming
// the flag and not quoting the URL's secret. An accepted URL is one serve
// starts with (it prints its URL), however long it takes.
func TestServeEscalationURLChecked(t *testing.T) {
	cases := []struct {
		url   string
		allow bool
		want  string // "" when serve should start
	}{
		{"file:///etc/passwd", false, `scheme "file"`},
		{"gopher://hooks.example.org/_SECRET", false, `scheme "gopher"`},
		{"http://169.254.169.254/latest/meta-data/SECRET", false, "metadata"},
		{"http://[fe80::1]/SECRET", false, "link-local"},
		{"http://metadata.google.internal/SECRET", false, "metadata"},
		{"http://169.254.169.254/latest/meta-data/", true, ""},
		{"https://hooks.example.org/SECRET", false, ""},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			args := []string{"--data", t.TempDir(), "--addr", "127.0.0.1:0", "--alerts-retention-days", "0", "--alerts-escalation-url", c.url}
			if c.allow {
				args = append(args, "--alerts-escalation-allow-link-local")
			}
			if c.want == "" {
				if _, stop := startServe(t, args...); stop() != nil {
					t.Fatalf("serve with %s: %v", c.url, stop())
				}
				return
			}
			// Refused: serve returns its error without listening (no
			// deadline: a slow start is no failure, a start is).
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out testutil.SyncBuffer
			errc := make(chan error, 1)
			go func() { errc <- runServe(ctx, args, strings.NewReader(""), &out, io.Discard) }()
			var err error
			for waiting := true; waiting; {
				select {
				case err = <-errc:
					waiting = false
				case <-time.After(20 * time.Millisecond):
					if urlLine.MatchString(out.String()) {
						cancel()
						<-errc
						t.Fatal("serve started instead of refusing the flag")
					}
				}
			}
			if err == nil || !strings.Contains(err.Error(), "--alerts-escalation-url") || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("serve: %v, want a refusal of --alerts-escalation-url with %q", err, c.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Fatalf("the error quotes the URL: %v", err)
			}
			if strings.Contains(out.String(), "running at") {
				t.Fatal("serve started before refusing the flag")
			}
		})
	}
}
