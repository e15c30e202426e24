package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
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
	c := &http.Client{Jar: jar}
	resp, err = c.Get(base + "login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if tok == nil {
		t.Fatalf("login page without csrf field: %s", page)
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err = c.PostForm(base+"login", url.Values{"name": {"demo"}, "password": {password}, "csrf": {string(tok[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo login: %d", resp.StatusCode)
	}
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
	// As a data directory made before the demo gateway's name was given in
	// French too: the second start finds it under its former name.
	if _, err := db.SQL.ExecContext(context.Background(), `UPDATE alert_channels SET name = ? WHERE name = ?`, demoGatewayBefore, demoGateway); err != nil {
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
		if c.Name == demoGateway || c.Name == demoGatewayBefore {
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
