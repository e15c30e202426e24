package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage/sqlite"
)

var (
	urlLine   = regexp.MustCompile(`running at (http://\S+/)`)
	loginLine = regexp.MustCompile(`Demo login: user (\S+), password (\S+)`)
)

// startServe runs `vigil serve` until the returned stop function is called,
// and waits for it to print its URL.
func startServe(t *testing.T, args ...string) (out *testutil.SyncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &testutil.SyncBuffer{}
	errc := make(chan error, 1)
	go func() { errc <- runServe(ctx, args, strings.NewReader(""), out, io.Discard) }()
	for !urlLine.MatchString(out.String()) {
		select {
		case err := <-errc:
			cancel()
			t.Fatalf("serve exited: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-errc
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return out, stop
}

var adminLine = regexp.MustCompile(`Demo admin login: user (\S+), password (\S+)`)

// loginAs logs c (which does not follow redirects) in through the login
// form as name.
func loginAs(t *testing.T, c *http.Client, base, name, password string) {
	t.Helper()
	resp, err := c.Get(base + "login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if tok == nil {
		t.Fatalf("login page without csrf field: %s", page)
	}
	resp, err = c.PostForm(base+"login", url.Values{"name": {name}, "password": {password}, "csrf": {string(tok[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %d", name, resp.StatusCode)
	}
}

// csrfOf is the CSRF token of c's session.
func csrfOf(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, err := c.Get(base + "api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct{ CSRF string }
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil || me.CSRF == "" {
		t.Fatalf("me: %v", err)
	}
	return me.CSRF
}

func TestServeDemo(t *testing.T) {
	data := t.TempDir()
	out, stop := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--demo")
	base := urlLine.FindStringSubmatch(out.String())[1]
	m := loginLine.FindStringSubmatch(out.String())
	if m == nil || m[1] != "demo" {
		t.Fatalf("no demo login printed:\n%s", out.String())
	}
	password := m[2]

	resp, err := http.Get(base + "healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// Log in through the form with the printed demo login.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	loginAs(t, c, base, "demo", password)
	resp, err = c.Get(base + "api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Name, Role string }
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if me.Name != "demo" || me.Role != "analyst" {
		t.Fatalf("me = %+v", me)
	}
	// The demo events are there.
	resp, err = c.Get(base + "api/v1/events?limit=5&type=one-sided")
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []json.RawMessage
		Next     string
	}
	json.NewDecoder(resp.Body).Decode(&fc)
	resp.Body.Close()
	if len(fc.Features) != 5 || fc.Next == "" {
		t.Fatalf("demo events: %d features, next %q", len(fc.Features), fc.Next)
	}

	// The administrator rotates the keys (Administration → Keys): the
	// contacts, re-encrypted with the new key, still open (one keyring for
	// every service; the contacts service had its own, which did not know
	// the new key: 500 "key … not in the keyring" until a restart).
	admin := adminLine.FindStringSubmatch(out.String())
	if admin == nil {
		t.Fatalf("no demo admin login printed:\n%s", out.String())
	}
	loginAs(t, c, base, admin[1], admin[2])
	for _, step := range []struct{ method, path string }{{"POST", "api/v1/admin/keys/rotate"}, {"GET", "api/v1/contacts"}, {"GET", "api/v1/integrity/items?limit=1"}} {
		req, _ := http.NewRequest(step.method, base+step.path, nil)
		req.Header.Set("X-CSRF-Token", csrfOf(t, c, base))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s after a key rotation: %d %s", step.method, step.path, resp.StatusCode, b)
		}
	}

	// Graceful shutdown: the command returns nil and the port closes.
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v on shutdown", err)
	}
	if _, err := http.Get(base + "healthz"); err == nil {
		t.Fatal("server still answers after shutdown")
	}

	// A second --demo start keeps the events and resets the demo password.
	db, err := sqlite.Open(context.Background(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n1, _ := db.Count(context.Background())
	// As a data directory made before the demo gateway's present name: the
	// second start finds it under its former name.
	if _, err := db.SQL.ExecContext(context.Background(), `UPDATE alert_channels SET name = ? WHERE name = ?`, demoGatewayBefore[0], demoGateway); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out2, stop2 := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--demo")
	m2 := loginLine.FindStringSubmatch(out2.String())
	if m2 == nil || m2[2] == password {
		t.Fatalf("second start did not reset the demo password:\n%s", out2.String())
	}
	if strings.Contains(out2.String(), "Loading the demo data") {
		t.Error("second start reloaded the demo data into a non-empty store")
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(context.Background(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n2, _ := db.Count(context.Background()); n2 != n1 || n1 < 1000 {
		t.Fatalf("events: %d after first start, %d after second", n1, n2)
	}
	chs, err := db.Channels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	gateways := 0
	for _, c := range chs {
		if c.Name == demoGateway || slices.Contains(demoGatewayBefore, c.Name) {
			gateways++
		}
	}
	if gateways != 1 {
		t.Errorf("%d demo broadcast gateways after a second start, want the one", gateways)
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--data", t.TempDir(), "--addr", "not-an-address"},
		{"--data", t.TempDir(), "extra-arg"},
		{"--db", "mysql://x"},
	} {
		err := runServe(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil {
			t.Errorf("serve %v: no error", args)
		}
	}
}
