package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// chromiumPath finds a Chromium to drive: $VIGIL_CHROMIUM, then the Debian
// package's binaries. In CI (CI=true) a missing browser fails the test;
// under -short every browser test skips so the inner loop stays fast.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the headless-Chromium browser test (CI runs it)")
	}
	cands := []string{os.Getenv("VIGIL_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found, and CI=true: .ci/run installs the Debian package chromium; the browser test must run in CI")
	}
	t.Skip("no Chromium installed (apt-get install chromium, or set VIGIL_CHROMIUM): skipping the end-to-end browser test")
	return ""
}

// e2eServer is the real server over a temporary SQLite store holding the
// embedded demo data (real UCDP GED events), with one user.
type e2eServer struct {
	down     *atomic.Bool // when set, the server drops every connection (unreachable)
	URL      string
	Store    events.Store
	User     string
	Password string
}

// openDemoStore is web.OpenTestStore holding the demo's real UCDP GED
// events (the file serve --demo loads), imported with the same importer as
// `vigil import`. The import is done once per test binary (demoStore) and
// each test gets a copy of that store's file in its own directory, with its
// own key ring: the same store as an import of its own, for about 0.1 s
// instead of one import each (0.9–1.1 s on a quiet 2-core machine, 2–4.6 s
// at load 20–25, measured 2026-12-07; some 50 browser tests open one).
func openDemoStore(t *testing.T) (*storage.DB, *crypt.Keyring) {
	t.Helper()
	demoStore.once.Do(func() { demoStore.dir, demoStore.err = importDemoStore() })
	if demoStore.err != nil {
		t.Fatalf("importing the demo events: %v", demoStore.err)
	}
	dir := t.TempDir()
	for _, f := range []string{"vigil.db", "vigil.db-wal"} {
		b, err := os.ReadFile(filepath.Join(demoStore.dir, f))
		if errors.Is(err, os.ErrNotExist) && f != "vigil.db" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return web.OpenTestStoreAt(t, dir)
}

// demoStore is the store openDemoStore copies: the demo events imported
// into a fresh SQLite store, closed, in a directory TestMain removes.
var demoStore struct {
	once sync.Once
	dir  string
	err  error
}

// importDemoStore imports the demo events into a new store in a new
// temporary directory and closes it (its file then holds them all).
func importDemoStore() (string, error) {
	dir, err := os.MkdirTemp("", "vigil-e2e-demo-store-")
	if err != nil {
		return "", err
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		return dir, err
	}
	r, err := demo.Open(demo.UCDPEvents)
	if err != nil {
		db.Close()
		return dir, err
	}
	defer r.Close()
	if _, err := ingest.Import(ctx, db, demo.UCDPEvents, r, ingest.Options{Source: "ucdp-ged", RepairEstimates: true}); err != nil {
		db.Close()
		return dir, err
	}
	return dir, db.Close()
}

func startServer(t *testing.T) *e2eServer {
	t.Helper()
	db, _ := openDemoStore(t)
	return serveDroppable(t, &web.Server{DB: db}, "analyst.e2e", auth.Analyst)
}

// serveDroppable is serveE2E (s's handler on a test server, a user of role
// named user) with srv.down, which makes the server unreachable as
// startServer's does: each connection is dropped.
func serveDroppable(t *testing.T, s *web.Server, user string, role auth.Role) *e2eServer {
	t.Helper()
	h := s.Handler()
	down := new(atomic.Bool)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				c.Close()
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv := &e2eServer{down: down, URL: ts.URL, Store: s.Events, User: user, Password: "correct horse battery"}
	if _, err := s.Auth.CreateUser(context.Background(), "test", srv.User, role, srv.Password); err != nil {
		t.Fatal(err)
	}
	return srv
}

// browserOptions starts headless Chromium (skipping the test without one)
// with nothing fetched in the background, in English, at width×height.
func browserOptions(t *testing.T, width, height int) []chromedp.ExecAllocatorOption {
	t.Helper()
	return append(chromiumFlags(chromiumPath(t), width, height), chromedp.UserDataDir(t.TempDir()))
}

// chromiumFlags are browserOptions' flags but the profile directory.
func chromiumFlags(path string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.WindowSize(width, height),
	}
}

// shared is the one headless Chromium the browser tests share: each test
// gets its own browser context in it (newBrowser), as separate as a fresh
// profile — its own cookies, storage, cache and service workers — without
// starting a browser. Starting one per test cost about 1.3 s on an idle
// 2-core machine and 2.3–2.5 s while other tests ran beside it, against
// 0.4–0.5 s for a new context (measured 2026-12-06), for 137 browser tests.
var shared struct {
	mu     sync.Mutex
	ctx    context.Context // the browser's first tab; a new context's parent
	cancel func()
}

// sharedBrowser returns the shared Chromium's root context, starting the
// browser at first use and again if it has gone (a crash fails the tests
// that were using it, not the ones after).
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.ctx != nil && shared.ctx.Err() == nil && chromedp.FromContext(shared.ctx).Browser != nil {
		return shared.ctx
	}
	if shared.cancel != nil {
		shared.cancel()
	}
	dir, err := os.MkdirTemp("", "vigil-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), append(chromiumFlags(path, 1280, 900), chromedp.UserDataDir(dir))...)
	ctx, cancelC := chromedp.NewContext(actx)
	shared.cancel = func() { cancelC(); cancelA(); os.RemoveAll(dir) }
	// The first action starts the browser and ties it to ctx: it must not
	// run under a step's own bound (that would close the browser after it).
	if err := chromedp.Do(ctx); err != nil {
		shared.cancel()
		shared.ctx, shared.cancel = nil, nil
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	shared.ctx = ctx
	return ctx
}

// TestMain stops the shared Chromium after the tests and removes the
// demo store openDemoStore copies.
func TestMain(m *testing.M) {
	code := m.Run()
	shared.mu.Lock()
	if shared.cancel != nil {
		shared.cancel()
	}
	shared.mu.Unlock()
	if demoStore.dir != "" {
		os.RemoveAll(demoStore.dir)
	}
	os.Exit(code)
}

// newBrowser opens a page in a fresh browser context of the shared
// Chromium (no cookies, storage or cache of any other test), its viewport
// width×height, and records every URL the page requests, so the test can
// prove nothing leaves the server.
func newBrowser(t *testing.T, width, height int) (context.Context, func() []string) {
	t.Helper()
	root := sharedBrowser(t)
	var mu sync.Mutex
	var urls, logs []string
	listener := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls = append(urls, e.Request.URL)
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			logs = append(logs, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, a.Description+string(a.Value))
				}
				logs = append(logs, "console.error: "+strings.Join(parts, " "))
			}
		}
	}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext(), chromedp.WithListener(listener))
	t.Cleanup(cancel)
	// The first action opens the tab and ties it to ctx: it must not run
	// under a step's own bound (that would close the tab after it).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("opening a page in Chromium: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			defer mu.Unlock()
			for _, l := range logs {
				t.Log(l)
			}
		}
	})
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), urls...)
	}
}

// stepWait bounds each wait for the page (one condition, one step). It is
// generous (90 s) because the test
// shares two cores with the rest of the suite: it guards against a page that
// never gets there, it does not measure speed.
const stepWait = 90 * time.Second

// pollEvery is how often a wait looks at the page again. A condition that
// turns true between two looks is seen pollEvery/2 late on average: six
// browser tests sampled on 2026-12-07 waited 44 times, 27 of them for a
// condition not yet true, so at 100 ms the suite's 210 tests lost some
// 210 × 27/6 × 40 ms ≈ 40 s to looking too seldom. A look is one small
// expression in the page.
const pollEvery = 20 * time.Millisecond

// css, js, poll and text are short forms of the chromedp actions used here.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

func js[T any](ctx context.Context, expr string) (T, error) {
	deadline := time.Now().Add(stepWait)
	for {
		v, err := run(ctx, chromedp.Evaluate[T](expr))
		if err == nil || !contextGone(err, false) || time.Now().After(deadline) {
			return v, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// contextGone reports whether err says the page's JavaScript context the
// browser was asked to use is gone: a reload or navigation replaced it
// (chromedp may still hold the old context's id for a moment after
// chromedp.Reload returns: the CI run of stop 19 failed
// TestE2EMapPlaceSearch with "Cannot find context with specified id" on the
// first poll after openIn). Such a call did not run, so it is tried again.
// With running, a poll whose context was destroyed while it waited counts
// too: it is a wait, and waiting again in the new page is what it means.
func contextGone(err error, running bool) bool {
	m := err.Error()
	if strings.Contains(m, "Cannot find context with specified id") || strings.Contains(m, "Cannot find default execution context") {
		return true
	}
	return running && strings.Contains(m, "Execution context was destroyed")
}

// do runs browser actions as one step with its own bound (stepWait). Every
// browser test waits step by step on conditions in the page; there is no
// deadline for a whole journey, so a slow but progressing run under CPU load
// is not failed, and a page that never gets there fails at that step.
func do(ctx context.Context, steps ...chromedp.Action[chromedp.Void]) error {
	sctx, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	return chromedp.Do(sctx, steps...)
}

// click is chromedp.Click tried again (five times at most) when the page
// redrew the element between finding it and clicking it: chromedp finds
// the node, then scrolls to it and measures it by its DOM node id, and a
// redraw in between answers "Could not find node with given id" before
// any mouse event is sent (TestE2EAlertsQueue failed so on 2026-12-08, the
// live queue redrawn by the alert it was about to open). The selector is
// looked up afresh each time; an error of any other kind is returned.
func click(sel chromedp.CSS, opts ...chromedp.QueryOption) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for i := 0; ; i++ {
			_, err := chromedp.Click(sel, opts...)(ctx, t)
			if err == nil || i == 4 || !nodeGone(err) {
				return err
			}
		}
	})
}

// nodeGone: err says a DOM node id no longer names a node of the page.
func nodeGone(err error) bool {
	m := err.Error()
	return strings.Contains(m, "Could not find node with given id") || strings.Contains(m, "No node with given id found")
}

// navigate is chromedp.Navigate for the one-page UI. When the page already
// shows target's document and only the fragment (the UI's route) differs, it
// assigns location.href and returns: chromedp.Navigate then waits for
// Page.navigatedWithinDocument, and under CI load that wait once never ended
// (TestE2EAnalystJourney, 90 s on "/#/coverage"). Callers wait on the page
// for what the route shows, as they did after chromedp.Navigate.
func navigate(target string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		q, _ := json.Marshal(target)
		same, err := chromedp.Evaluate[bool](`location.href.split('#')[0] === `+string(q)+`.split('#')[0] && `+string(q)+`.includes('#')`)(ctx, t)
		if err != nil {
			return err
		}
		if !same {
			_, err = chromedp.Navigate(target)(ctx, t)
			return err
		}
		_, err = chromedp.Evaluate[bool](`(location.href = `+string(q)+`, true)`)(ctx, t)
		return err
	})
}

// openIn opens the UI route target in language lang: it sets the
// language the UI keeps, then loads target as a new document. (It used to
// set the route on the page already open and reload: when that page was
// the map, the map could write its own view into the address between the
// two, and the reload opened the old view. TestE2EMapCellNames failed so
// in a CI run, no coverage request in its 90 s.) Callers wait on the page
// (its html lang, what the route shows).
func openIn(ctx context.Context, target, lang string) error {
	if _, err := js[bool](ctx, `localStorage.setItem('vigil.lang', '`+lang+`'), true`); err != nil {
		return err
	}
	return do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(target))
}

// inTimeZone makes the browser's time zone zone (Emulation.setTimezoneOverride),
// as for a user whose computer is not on UTC; the test fails unless the page
// then runs in it at an offset other than UTC's.
func inTimeZone(t *testing.T, ctx context.Context, zone string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone}); err != nil {
		t.Fatalf("time zone %s: %v", zone, err)
	}
	q, _ := json.Marshal(zone)
	if ok, err := js[bool](ctx, `Intl.DateTimeFormat().resolvedOptions().timeZone === `+string(q)+` && new Date().getTimezoneOffset() !== 0`); err != nil || !ok {
		t.Fatalf("the page is not in time zone %s (%v)", zone, err)
	}
}

// run is do for an action with a result.
func run[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	sctx, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	return chromedp.Run(sctx, a)
}

func poll(ctx context.Context, expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left < 100*time.Millisecond {
			left = 100 * time.Millisecond
		}
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(pollEvery), chromedp.WithPollingTimeout(left)))
		if err == nil || !contextGone(err, true) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// focusEnter focuses the first element matching sel and presses Enter on it,
// as a keyboard user does (focusType).
func focusEnter(ctx context.Context, sel string) error {
	return focusType(ctx, sel, "\r")
}

// focusType focuses the first element matching sel and types keys into it,
// as a keyboard user does. The focus is given in the page (not through a DOM
// node id that a redraw between query and focus would invalidate) and tried
// again until the element holds it: chromedp.SendKeys focuses through
// DOM.focus once and fails with "Element is not focusable" when the element
// cannot take the focus yet (TestE2ESurveysRefusalsFrench, typing into a
// <details> box just opened, failed so once on a loaded machine).
func focusType(ctx context.Context, sel, keys string) error {
	q, _ := json.Marshal(sel)
	expr := `(() => { const e = document.querySelector(` + string(q) + `); if (!e) return false; e.focus(); return document.activeElement === e; })()`
	if err := poll(ctx, expr, stepWait); err != nil {
		return fmt.Errorf("focus %s: %w", sel, err)
	}
	return do(ctx, chromedp.KeyEvent(keys))
}

// text is chromedp.Text (the first match's innerText, empty when it is not
// shown) read in the page: it waits until an element matches, then reads
// it in one evaluation. chromedp.Text reads through a DOM node id, which a
// redraw between the query and the read invalidates — the local run of
// 2026-12-06 15:05 UTC failed TestE2EBrowser's French labels with "No node
// with given id found" on #nav-map.
func text(ctx context.Context, sel string) (string, error) {
	q, _ := json.Marshal(sel)
	if err := poll(ctx, `!!document.querySelector(`+string(q)+`)`, stepWait); err != nil {
		return "", fmt.Errorf("%s: %w", sel, err)
	}
	return js[string](ctx, `(() => { const e = document.querySelector(`+string(q)+`); if (!e) return ''; return (e.offsetWidth || e.offsetHeight || e.getClientRects().length) ? e.innerText : ''; })()`)
}

// serveE2E serves s's handler on a test server (closed when the test
// ends) with a user of role named user to log in as.
func serveE2E(t *testing.T, s *web.Server, user string, role auth.Role) *e2eServer {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	srv := &e2eServer{URL: ts.URL, User: user, Password: "correct horse battery"}
	if _, err := s.Auth.CreateUser(context.Background(), "test", srv.User, role, srv.Password); err != nil {
		t.Fatal(err)
	}
	return srv
}

// loggedInBrowser is newBrowser with the user srv names logged in, the
// app open on its first page (the map); the test fails if the login does.
// The login form is posted by the test's own HTTP client, as the browser
// posts it, and the session cookie it answers is given to the browser:
// the form's page and the typing are skipped (login and its own tests
// drive the form itself).
func loggedInBrowser(t *testing.T, srv *e2eServer, width, height int) (context.Context, func() []string) {
	t.Helper()
	return loggedInBrowserAt(t, srv, width, height, "/", "")
}

// loggedInBrowserAt is loggedInBrowser opening the UI first at route (a
// path and fragment such as "/#/contacts?x=1") in language lang ("" for
// the browser's own, English): the app starts once, where the test begins,
// not on the map (the heaviest page) and then again for the test's page
// and language. On a loaded 2-core machine the map's first load cost 4–5 s
// of the page's main thread against 1 s for Contacts (CDP TaskDuration,
// load 45, 2026-12-07).
func loggedInBrowserAt(t *testing.T, srv *e2eServer, width, height int, route, lang string) (context.Context, func() []string) {
	t.Helper()
	ctx, requested := newBrowser(t, width, height)
	cookies, err := formLogin(srv)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	for _, c := range cookies {
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: srv.URL + "/", Path: c.Path, HTTPOnly: &c.HttpOnly}); err != nil {
			t.Fatalf("login: giving the browser its session cookie: %v", err)
		}
	}
	if lang != "" {
		// The UI keeps its language in the origin's storage (openIn): set it
		// from the login page, a small document of the same origin, before the app starts.
		if err := do(ctx, chromedp.Navigate(srv.URL+"/login")); err != nil {
			t.Fatalf("login: opening the origin to set the language: %v", err)
		}
		if _, err := js[bool](ctx, `localStorage.setItem('vigil.lang', '`+lang+`'), true`); err != nil {
			t.Fatalf("login: setting the language %s: %v", lang, err)
		}
	}
	page := strings.SplitN(strings.SplitN(strings.TrimPrefix(strings.TrimPrefix(route, "/"), "#/"), "?", 2)[0], "/", 2)[0]
	if page == "" || page == "map" {
		if err := do(ctx, chromedp.Navigate(srv.URL+route), chromedp.WaitVisible(css(`#map .leaflet-pane`))); err != nil {
			t.Fatalf("login: the app at %s after the session cookie: %v", route, err)
		}
	} else {
		q, _ := json.Marshal(page)
		if err := do(ctx, chromedp.Navigate(srv.URL+route)); err != nil {
			t.Fatalf("login: opening %s: %v", route, err)
		}
		if err := poll(ctx, `document.getElementById('main')?.dataset.page === `+string(q), stepWait); err != nil {
			t.Fatalf("login: the app at %s after the session cookie: %v", route, err)
		}
	}
	if lang != "" {
		if err := poll(ctx, `document.documentElement.lang === '`+lang+`'`, stepWait); err != nil {
			t.Fatalf("login: the app in %s: %v", lang, err)
		}
	}
	return ctx, requested
}

// formLogin logs srv's user in through the login form with an HTTP client
// (its CSRF token and cookie as a browser sends them) and returns the
// cookies the login set.
func formLogin(srv *e2eServer) ([]*http.Cookie, error) {
	jar, _ := cookiejar.New(nil)
	// The jar carries the login page's CSRF cookie to the post.
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(srv.URL + "/login")
	if err != nil {
		return nil, err
	}
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("GET /login: no CSRF token in the form (status %d)", res.StatusCode)
	}
	res, err = c.PostForm(srv.URL+"/login", url.Values{"name": {srv.User}, "password": {srv.Password}, "csrf": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	var set []*http.Cookie
	session := false
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			continue // a cookie the login clears (its CSRF cookie)
		}
		session = session || ck.Name == "vigil_session"
		set = append(set, ck)
	}
	if session && res.StatusCode == http.StatusSeeOther {
		return set, nil
	}
	return nil, fmt.Errorf("POST /login: %s, no session cookie", res.Status)
}

// e2eStep is one step of a browser journey: what it is, the actions, and a
// JavaScript condition the page reaches after them.
type e2eStep struct {
	what string
	act  []chromedp.Action[chromedp.Void]
	want string
}

// runSteps runs each step's actions and waits until its condition holds; at
// a step that fails it stops the test naming the step and showing the page
// (the text of the JavaScript expression page).
func runSteps(t *testing.T, ctx context.Context, page string, steps []e2eStep) {
	t.Helper()
	for _, st := range steps {
		if err := do(ctx, st.act...); err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		if err := poll(ctx, "!!("+st.want+")", stepWait); err != nil {
			body, _ := js[string](ctx, page)
			t.Fatalf("%s: %v\npage: %.2500s", st.what, err, body)
		}
	}
}

// login goes to the app, is sent to the login form, and logs in through it.
func login(ctx context.Context, srv *e2eServer) error {
	return do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(css(`#login-form`)),
		chromedp.SendKeys(css(`#name`), srv.User),
		chromedp.SendKeys(css(`#password`), srv.Password),
		click(css(`#login-submit`)),
		chromedp.WaitVisible(css(`#map .leaflet-pane`)),
	)
}

// summaryEvents waits until the map's summary shows a count (after the
// clusters answer) different from not, and returns it.
func summaryEvents(ctx context.Context, not int) (int, error) {
	return run(ctx, chromedp.Poll[int](fmt.Sprintf(`(() => {
		const s = document.getElementById('summary');
		const m = document.getElementById('map');
		if (!s || s.dataset.events === undefined || (m && m.dataset.loading)) return false;
		const n = Number(s.dataset.events);
		return n !== %d ? n : false;
	})()`, not), chromedp.WithPollingInterval(pollEvery), chromedp.WithPollingTimeout(stepWait)))
}

func TestE2EBrowser(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, requested := newBrowser(t, 1280, 800)

	// 1. Log in through the form; the app page opens on the map.
	if err := login(ctx, srv); err != nil {
		t.Fatalf("login: %v", err)
	}

	// 2. The map draws the demo events as clusters and counts them.
	all, err := summaryEvents(ctx, -1)
	if err != nil {
		t.Fatalf("waiting for the map to draw the events: %v", err)
	}
	markers, err := js[int](ctx, `document.querySelectorAll('#map .cluster').length`)
	if err != nil {
		t.Fatal(err)
	}
	if all <= 0 || markers == 0 {
		t.Fatalf("map shows %d events in %d cluster markers, want some", all, markers)
	}
	// The first load may fit the view to the events: wait until the filters
	// hold the view the map settled on and its load is done (the filters are
	// read when the refresh after a move runs, not at the move).
	if err := poll(ctx, `Vigil.filters.zoom === Vigil.map.getZoom() && document.getElementById('map').dataset.loading !== '1'`, stepWait); err != nil {
		t.Fatalf("the map did not settle after its first load: %v", err)
	}
	if all, err = js[int](ctx, `Number(document.getElementById('summary').dataset.events)`); err != nil {
		t.Fatal(err)
	}
	// The count on screen is what the store holds for the same view.
	bbox, err := js[[]float64](ctx, `Vigil.filters.bbox`)
	if err != nil {
		t.Fatal(err)
	}
	want := storeCount(t, srv.Store, bbox, nil)
	if all != want {
		t.Errorf("map says %d events in view, store has %d for bbox %v", all, want, bbox)
	}

	// 3. Filter by type: unticking state-based conflict lowers the count to
	// exactly the store's count of the two other types.
	if err := do(ctx, click(css(`#type-state-based`))); err != nil {
		t.Fatal(err)
	}
	fewer, err := summaryEvents(ctx, all)
	if err != nil {
		t.Fatalf("waiting for the count to change after unticking state-based: %v", err)
	}
	wantFewer := storeCount(t, srv.Store, bbox, []events.ViolenceType{events.NonState, events.OneSided})
	if fewer >= all || fewer != wantFewer {
		t.Errorf("after unticking state-based: %d events (before %d), store has %d", fewer, all, wantFewer)
	}
	if err := do(ctx, click(css(`#type-state-based`))); err != nil {
		t.Fatal(err)
	}
	if n, err := summaryEvents(ctx, fewer); err != nil || n != all {
		t.Fatalf("re-ticking state-based: %d events, err %v; want %d", n, err, all)
	}

	// Country and dates: the counts are the store's for the same filter.
	view0, err := js[[]float64](ctx, `(() => { const c = Vigil.map.getCenter(); return [c.lat, c.lng, Vigil.map.getZoom()]; })()`)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, from, to, country string
		f                       events.Filter
	}{
		{"country", "", "", "Mali", events.Filter{Countries: []string{"Mali"}}},
		{"dates", "2010-01-01", "2012-06-30", "", events.Filter{From: day("2010-01-01"), To: day("2012-06-30")}},
		{"all", "", "", "", events.Filter{}},
	} {
		prev, _ := js[int](ctx, `Number(document.getElementById('summary').dataset.events)`)
		set := fmt.Sprintf(`(() => {
			for (const [id, v] of [['filter-from', %q], ['filter-to', %q], ['filter-country', %q]]) {
				const e = document.getElementById(id);
				e.value = v;
				e.dispatchEvent(new Event('change'));
			}
			return true;
		})()`, c.from, c.to, c.country)
		if _, err := js[bool](ctx, set); err != nil {
			t.Fatal(err)
		}
		wantN := storeCountFilter(t, srv.Store, bbox, c.f)
		if wantN == prev {
			t.Fatalf("%s: the store count %d does not differ from the previous view's: pick another filter", c.name, wantN)
		}
		if _, err := summaryEvents(ctx, prev); err != nil {
			t.Fatalf("%s filter: %v", c.name, err)
		}
		// Choosing a country zooms to it: the count is then the store's in
		// the view the map settled on.
		var got, inView int
		for end := time.Now().Add(stepWait); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			got, _ = js[int](ctx, `Number(document.getElementById('summary').dataset.events)`)
			view, err := js[[]float64](ctx, `Vigil.filters.bbox`)
			if err != nil {
				t.Fatal(err)
			}
			if inView = storeCountFilter(t, srv.Store, view, c.f); got == inView && !mapLoading(ctx) {
				break
			}
		}
		if got != inView {
			t.Errorf("%s filter: map says %d events, store has %d in its view", c.name, got, inView)
		}
	}

	// back to the view of the start (the country filter zoomed to Mali)
	if _, err := js[bool](ctx, fmt.Sprintf(`(Vigil.map.setView([%v, %v], %v, {animate: false}), true)`, view0[0], view0[1], view0[2])); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, fmt.Sprintf(`JSON.stringify(Vigil.filters.bbox) === %q`, mustJSON(bbox)), stepWait); err != nil {
		got, _ := js[[]float64](ctx, `Vigil.filters.bbox`)
		t.Fatalf("view not restored: %v, want %v", got, bbox)
	}

	// Grid heat layer with the time slider: it opens on the latest month with
	// data, draws one square per cell-month the store has, and ◀ steps back.
	if err := do(ctx, click(css(`#layer-grid`))); err != nil {
		t.Fatal(err)
	}
	for _, month := range []string{"2018-12", "2018-11"} {
		label := map[string]string{"2018-12": "December 2018", "2018-11": "November 2018"}[month]
		if month == "2018-11" {
			if err := do(ctx, click(css(`#month-prev`))); err != nil {
				t.Fatal(err)
			}
		}
		m, _ := time.Parse("2006-01", month)
		cms, err := srv.Store.CellMonths(context.Background(), events.Filter{
			BBox: &events.BBox{West: bbox[0], South: bbox[1], East: bbox[2], North: bbox[3]}, From: m, To: m.AddDate(0, 1, -1),
			Types: []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}}, grid.PrioSize)
		if err != nil || len(cms) == 0 {
			t.Fatalf("store cell-months for %s: %d, %v", month, len(cms), err)
		}
		cond := fmt.Sprintf(`document.getElementById('month-label').textContent === %q && document.querySelectorAll('#map .leaflet-grid-pane path').length === %d && Vigil.filters.month === %q
			&& document.getElementById('attribution').textContent.includes('PRIO-GRID — Tollefsen, Strand & Buhaug (2012)')`, label, len(cms), month)
		if err := poll(ctx, cond, stepWait); err != nil {
			got, _ := js[string](ctx, `document.getElementById('month-label').textContent + ': ' + document.querySelectorAll('#map .leaflet-grid-pane path').length + ' cells'`)
			t.Errorf("grid layer: %s, want %s: %d cells (%v)", got, label, len(cms), err)
		}
	}
	if err := do(ctx, click(css(`#layer-grid`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelectorAll('#map .leaflet-grid-pane path').length === 0 && !document.getElementById('attribution').textContent.includes('PRIO-GRID')`, stepWait); err != nil {
		t.Errorf("switching the grid layer off: %v", err)
	}

	// Keyboard: a cluster marker takes the focus and Enter zooms in on it.
	z0, err := js[int](ctx, `Vigil.map.getZoom()`)
	if err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, `#map .cluster:not(.single)`); err != nil {
		t.Fatalf("focusing a cluster and pressing Enter: %v", err)
	}
	if err := poll(ctx, fmt.Sprintf(`Vigil.map.getZoom() === %d && Vigil.filters.zoom === %[1]d && !document.getElementById('map').dataset.loading`, z0+2), stepWait); err != nil {
		z, _ := js[int](ctx, `Vigil.map.getZoom()`)
		t.Errorf("Enter on a focused cluster: zoom %d, want %d (%v)", z, z0+2, err)
	}

	// 4. Open an event's detail: zoom the map onto a stored event, click its
	// marker (or, where several events share the spot, its entry in the list).
	evs, err := srv.Store.Events(context.Background(), events.Filter{Types: []events.ViolenceType{events.OneSided}, Limit: 1})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no one-sided event in the store: %v", err)
	}
	ev := evs[0]
	if _, err := js[bool](ctx, fmt.Sprintf(`Vigil.map.setView([%f, %f], 13, {animate: false}); true`, ev.Lat, ev.Lon)); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const m = document.getElementById('map'); return !m.dataset.loading && Vigil.map.getZoom() === 13 && Math.abs(Vigil.filters.zoom - 13) < 0.5 && document.querySelectorAll('#map .cluster').length > 0; })()`, stepWait); err != nil {
		t.Fatalf("zooming onto event %d: %v", ev.ID, err)
	}
	sel := fmt.Sprintf(`#map .cluster[data-event-id="%d"]`, ev.ID)
	single, err := js[bool](ctx, fmt.Sprintf(`!!document.querySelector('%s')`, sel))
	if err != nil {
		t.Fatal(err)
	}
	if !single {
		// Several events at the same coordinates: the nearest cluster lists them.
		clicked, err := js[bool](ctx, fmt.Sprintf(`(() => {
			const p = Vigil.map.latLngToContainerPoint([%f, %f]);
			const m = document.getElementById('map').getBoundingClientRect();
			let best = null, bd = 1e9;
			for (const e of document.querySelectorAll('#map .cluster')) {
				const r = e.getBoundingClientRect();
				const d = Math.hypot(r.left + r.width/2 - m.left - p.x, r.top + r.height/2 - m.top - p.y);
				if (d < bd) { bd = d; best = e; }
			}
			if (!best) return false;
			best.click();
			return true;
		})()`, ev.Lat, ev.Lon))
		if err != nil || !clicked {
			t.Fatalf("clicking the cluster at %v,%v: %v", ev.Lat, ev.Lon, err)
		}
		sel = fmt.Sprintf(`#detail .event-link[data-event-id="%d"]`, ev.ID)
		if err := do(ctx, chromedp.WaitVisible(css(sel))); err != nil {
			t.Fatalf("waiting for event %d in the cluster's list: %v", ev.ID, err)
		}
	}
	if err := do(ctx, click(css(sel)), chromedp.WaitVisible(css(`#detail dl`))); err != nil {
		t.Fatalf("opening event %d's detail: %v", ev.ID, err)
	}
	detailText, err := text(ctx, `#detail`)
	if err != nil {
		t.Fatal(err)
	}
	for _, wantText := range []string{
		"One-sided violence", ev.DateStart.Format("2 January 2006"), ev.SideA,
		fmt.Sprintf("%d (low %d, high %d)", ev.Best, ev.Low, ev.High), "Location precision", "ucdp-ged #" + ev.SourceID,
	} {
		if !strings.Contains(detailText, wantText) {
			t.Errorf("event %d's detail lacks %q:\n%s", ev.ID, wantText, detailText)
		}
	}

	// 5. Switch to French: labels and the open detail are in French, and the
	// choice survives a reload.
	if err := do(ctx, chromedp.SetValue(css(`#lang`), "fr")); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `document.getElementById('lang').dispatchEvent(new Event('change')); true`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.getElementById('filters-title').textContent === 'Filtres'`, stepWait); err != nil {
		t.Fatalf("switching to French: %v", err)
	}
	for _, c := range []struct{ sel, want string }{
		{`#filters-title`, "Filtres"},
		{`label.type-one-sided span`, "Violence unilatérale (contre les civils)"},
		{`#nav-map`, "Carte"},
		{`#logout`, "Se déconnecter"},
	} {
		got, err := text(ctx, c.sel)
		if err != nil || got != c.want {
			t.Errorf("French %s: %q (%v), want %q", c.sel, got, err, c.want)
		}
	}
	frDetail, err := text(ctx, `#detail`)
	if err != nil || !strings.Contains(frDetail, "Violence unilatérale") || !strings.Contains(frDetail, "Précision du lieu") {
		t.Errorf("open detail not translated (%v):\n%s", err, frDetail)
	}
	// its date in French, its country by its French name, no English left
	frMonths := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	frDate := fmt.Sprintf("%d %s %d", ev.DateStart.Day(), frMonths[ev.DateStart.Month()-1], ev.DateStart.Year())
	if !strings.Contains(frDetail, frDate) {
		t.Errorf("open detail: no French date %q:\n%s", frDate, frDetail)
	}
	if fr := geotext.FrenchName(ev.Country); fr != "" && !strings.Contains(frDetail, "Lieu\n"+fr) && !strings.Contains(frDetail, ", "+fr) {
		t.Errorf("open detail: country %q not named in French (%q):\n%s", ev.Country, fr, frDetail)
	}
	for _, p := range languageProblems(ctx, "fr") {
		t.Errorf("map with an event's detail, French: %s", p)
	}
	if err := do(ctx, chromedp.Reload(), chromedp.WaitVisible(css(`#filters-title`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('filters-title').textContent === 'Filtres' && document.getElementById('logout').textContent === 'Se déconnecter'`, stepWait); err != nil {
		t.Errorf("French not kept after a reload: %v", err)
	}
	// The address keeps the view: after the reload the map is where it was.
	if err := poll(ctx, `Vigil.map.getZoom() === 13 && location.hash.startsWith('#/map?c=')`, stepWait); err != nil {
		h, _ := js[string](ctx, `location.hash`)
		t.Errorf("view not restored from the address %q: %v", h, err)
	}

	// 6. Server unreachable: a clear message, which goes once it answers again.
	srv.down.Store(true)
	if _, err := js[bool](ctx, `Vigil.map.panBy([40, 0], {animate: false}); true`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!document.getElementById('banner').hidden`, stepWait); err != nil {
		t.Fatalf("no message while the server is unreachable: %v", err)
	}
	if msg, _ := text(ctx, `#banner`); !strings.Contains(msg, "serveur Vigil est injoignable") {
		t.Errorf("offline banner %q", msg)
	}
	srv.down.Store(false)
	if _, err := js[bool](ctx, `Vigil.map.panBy([-40, 0], {animate: false}); true`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('banner').hidden && !document.getElementById('map').dataset.loading`, stepWait); err != nil {
		t.Errorf("offline message still shown after the server came back: %v", err)
	}

	// 7. Nothing was fetched from anywhere but this server.
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, u := range requested() {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "data" && p.Host != host) {
			t.Errorf("the page requested %q: the UI must not reach outside its server", u)
		}
	}

	// 8. Log out: back to the login page, and the app needs a login again.
	if err := do(ctx,
		click(css(`#logout`)),
		chromedp.WaitVisible(css(`#login-form`)),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(css(`#login-form`)),
	); err != nil {
		t.Fatalf("logging out: %v", err)
	}

	if p := os.Getenv("VIGIL_SCREENSHOT"); p != "" {
		screenshot(t, srv, p)
	}
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// storeCountFilter is storeCount for a filter (all three UCDP types unless f names some).
func storeCountFilter(t *testing.T, st events.Store, bbox []float64, f events.Filter) int {
	t.Helper()
	if len(bbox) != 4 {
		t.Fatalf("bbox %v", bbox)
	}
	f.BBox = &events.BBox{West: bbox[0], South: bbox[1], East: bbox[2], North: bbox[3]}
	if f.Types == nil {
		f.Types = []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}
	}
	cs, err := st.Clusters(context.Background(), f, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}

// storeCount is the number of events the store holds in a map view for the
// given types (all three UCDP types when nil): the figure the UI must show.
func storeCount(t *testing.T, st events.Store, bbox []float64, types []events.ViolenceType) int {
	t.Helper()
	return storeCountFilter(t, st, bbox, events.Filter{Types: types})
}

// screenshot logs in afresh and saves a picture of the map with the grid
// layer on (VIGIL_SCREENSHOT=$PWD/docs/screenshot.png go test ./web -run TestE2EBrowser).
func screenshot(t *testing.T, srv *e2eServer, path string) {
	ctx, _ := loggedInBrowser(t, srv, 1400, 860)
	if _, err := summaryEvents(ctx, -1); err != nil {
		t.Fatal(err)
	}
	// The grid layer over the Kasaï crisis (DR Congo) in April 2017, and one
	// event's detail.
	if err := do(ctx, click(css(`#layer-grid`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `Vigil.map.getZoom() !== 3 && !document.getElementById('map').dataset.loading`, stepWait); err != nil {
		t.Fatal(err) // the first view fits the data
	}
	if _, err := js[bool](ctx, `Vigil.map.setView([-5.6, 22.8], 6, {animate: false}); true`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('month-label').textContent === 'December 2018'`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => {
		const s = document.getElementById('month-slider');
		s.value = String(Number(s.max) - 20);
		s.dispatchEvent(new Event('input'));
		return true;
	})()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('month-label').textContent === 'April 2017' && document.querySelectorAll('#map .leaflet-grid-pane path').length > 0 && !document.getElementById('map').dataset.loading`, stepWait); err != nil {
		dbg, _ := js[string](ctx, `JSON.stringify({f: Vigil.filters, status: [...document.querySelectorAll('.layer-status')].map(e => e.textContent), slider: document.getElementById('month-label').textContent})`)
		t.Fatalf("waiting for the grid layer: %v; %s", err, dbg)
	}
	if _, err := js[bool](ctx, `(() => { const e = document.querySelector('#map .cluster.single'); if (e) e.click(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	_ = poll(ctx, `!!document.querySelector('#detail dl')`, 5*time.Second)
	time.Sleep(300 * time.Millisecond) // let the SVG layers paint
	png, err := run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot written to %s (%s bytes)", path, strconv.Itoa(len(png)))
}

// mapLoading reports whether the map is fetching its clusters.
func mapLoading(ctx context.Context) bool {
	v, _ := js[bool](ctx, `document.getElementById('map').dataset.loading === '1'`)
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
