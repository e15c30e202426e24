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
// the flag and not quoting the URL's secret.
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
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			var out testutil.SyncBuffer
			err := runServe(ctx, args, strings.NewReader(""), &out, io.Discard)
			if c.want == "" {
				if err != nil || !strings.Contains(out.String(), "running at") {
					t.Fatalf("serve: %v\n%s", err, out.String())
				}
				return
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
