package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/testutil"
)

// writeCert writes a self-signed certificate for 127.0.0.1 and its key as
// PEM files and returns their paths and the certificate.
func writeCert(t *testing.T, dir, name string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "vigil test " + name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// TestServeTLS: with --tls-cert/--tls-key the server speaks HTTPS only,
// prints an https:// URL, sends HSTS, and serves the offline worker there.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, cert := writeCert(t, dir, "server")
	ctx, cancel := context.WithCancel(context.Background())
	out := &testutil.SyncBuffer{}
	errc := make(chan error, 1)
	go func() {
		errc <- runServe(ctx, []string{"--data", filepath.Join(dir, "data"), "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile},
			strings.NewReader(""), out, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	httpsLine := regexp.MustCompile(`running at (https://127\.0\.0\.1:\d+/)`)
	for !httpsLine.MatchString(out.String()) {
		select {
		case err := <-errc:
			errc <- err
			t.Fatalf("serve exited: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	base := httpsLine.FindStringSubmatch(out.String())[1]

	pool := x509.NewCertPool()
	pool.AddCert(cert)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 30 * time.Second}
	defer c.CloseIdleConnections()
	resp, err := c.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Fatalf("GET healthz over TLS: %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
	if got := resp.TLS.PeerCertificates[0].Subject.CommonName; got != "vigil test server" {
		t.Errorf("served certificate %q", got)
	}
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no Strict-Transport-Security header over TLS")
	}
	resp, err = c.Get(base + "sw.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET sw.js over TLS: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}

	// Plain HTTP on the TLS port is not served.
	plain := &http.Client{Timeout: 30 * time.Second}
	if resp, err := plain.Get(strings.Replace(base, "https://", "http://", 1) + "healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP answered 200 on the TLS port")
		}
	}
}

// TestServeTLSBadFlags: a missing half, an unreadable file, a file that is not
// PEM and a key that does not match each stop serve before it listens, with
// an error naming the flag or file.
func TestServeTLSBadFlags(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeCert(t, dir, "a")
	_, otherKey, _ := writeCert(t, dir, "b")
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.crt")
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  []string
	}{
		{"cert without key", []string{"--tls-cert", certFile}, true, []string{"--tls-cert needs --tls-key"}},
		{"key without cert", []string{"--tls-key", keyFile}, true, []string{"--tls-key needs --tls-cert"}},
		{"missing cert file", []string{"--tls-cert", missing, "--tls-key", keyFile}, false, []string{"--tls-cert", missing}},
		{"missing key file", []string{"--tls-cert", certFile, "--tls-key", missing}, false, []string{"--tls-key", missing}},
		{"cert not PEM", []string{"--tls-cert", junk, "--tls-key", keyFile}, false, []string{"--tls-cert " + junk, "PEM"}},
		{"key not PEM", []string{"--tls-cert", certFile, "--tls-key", junk}, false, []string{"--tls-key " + junk, "PEM"}},
		{"key of another certificate", []string{"--tls-cert", certFile, "--tls-key", otherKey}, false, []string{otherKey, "does not match"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			args := append([]string{"--data", data, "--addr", "127.0.0.1:0"}, tc.args...)
			out := &testutil.SyncBuffer{}
			err := runServe(context.Background(), args, strings.NewReader(""), out, io.Discard)
			if err == nil {
				t.Fatalf("serve started:\n%s", out.String())
			}
			var ue usageError
			if errors.As(err, &ue) != tc.usage {
				t.Errorf("usage error = %v, want %v (%v)", !tc.usage, tc.usage, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if strings.Contains(out.String(), "running at") {
				t.Errorf("serve printed a URL: %s", out.String())
			}
			if _, err := os.Stat(data); err == nil {
				t.Errorf("the data directory %s was created", data)
			}
		})
	}
}
