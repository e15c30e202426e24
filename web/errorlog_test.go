package web

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/testutil"
)

// TestErrorLogWithholdsClientAddresses: what net/http writes to its error
// log about a client never carries the client's address.
func TestErrorLogWithholdsClientAddresses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http: TLS handshake error from 203.0.113.5:51234: EOF", "http: TLS handshake error from (client address withheld): EOF"},
		{"http2: server: error reading preface from client [2001:db8::1]:443: timeout", "http2: server: error reading preface from client (client address withheld): timeout"},
		{"http: panic serving [fe80::1%eth0]:8080: boom", "http: panic serving (client address withheld): boom"},
		{"http: Accept error: too many open files; retrying in 5ms", "http: Accept error: too many open files; retrying in 5ms"},
		{"http: TLS handshake error from 10.0.0.1:1: tls: first record does not look like a TLS handshake", "http: TLS handshake error from (client address withheld): tls: first record does not look like a TLS handshake"},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		ErrorLog(slog.New(slog.NewTextHandler(&buf, nil))).Print(tc.in)
		got := buf.String()
		if !strings.Contains(got, "level=WARN") || !strings.Contains(got, strings.ReplaceAll(tc.want, `"`, `\"`)) {
			t.Errorf("%q logged as %s, want msg %q", tc.in, got, tc.want)
		}
	}
	var buf bytes.Buffer
	ErrorLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelError}))).Print("http: TLS handshake error from 203.0.113.5:1: EOF")
	if buf.Len() != 0 {
		t.Errorf("below the handler's level, still logged: %s", buf.String())
	}
}

// TestErrorLogOnAServer: a real TLS handshake failure logged through
// ErrorLog names no client address.
func TestErrorLogOnAServer(t *testing.T) {
	logs := &testutil.SyncBuffer{}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = ErrorLog(slog.New(slog.NewTextHandler(logs, nil)))
	srv.StartTLS()
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	local := c.LocalAddr().(*net.TCPAddr)
	// A TLS record header with a malformed ClientHello: the handshake fails.
	if _, err := c.Write([]byte("\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00")); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, c) // the server closes the connection after logging
	c.Close()
	got := logs.String()
	if !strings.Contains(got, "TLS handshake error") {
		t.Fatalf("no handshake error logged: %q", got)
	}
	if strings.Contains(got, local.String()) || strings.Contains(got, fmt.Sprintf(":%d", local.Port)) {
		t.Fatalf("client address %s in the log: %s", local, got)
	}
}
