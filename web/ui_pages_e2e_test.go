package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
	"github.com/vigil-project/vigil/web"
)

// fullServer is the real server with every capability configured (events
// from the demo file, the alert network with a web-form channel, surveys
// with the starter form) and an administrator.
type fullServer struct {
	URL, User, Password string
	WebForm             string // path of the public web alert form
}

func startFullServer(t *testing.T) *fullServer {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := demo.Open(demo.UCDPEvents)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := ingest.Import(ctx, db, demo.UCDPEvents, r, ingest.Options{Source: "ucdp-ged", RepairEstimates: true}); err != nil {
		t.Fatalf("importing the demo events: %v", err)
	}
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := &web.Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Surveys: &surveys.Service{Store: db, Keys: keys, Auditor: db}, Alerts: alerts.NewService(db, keys)}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	const user, pw = "admin.e2e", "correct horse battery"
	if _, err := s.Auth.CreateUser(ctx, "test", user, auth.Admin, pw); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Surveys.AddForm(ctx, "test", starter.FormXML, nil); err != nil {
		t.Fatal(err)
	}
	// Responses so that the survey views have something to show, and margins.
	loader := &auth.User{Name: "loader", Role: auth.Admin}
	for i := 0; i < 60; i++ {
		x := fmt.Sprintf(`<perception id="vigil_perception" version="2026112501"><round>R1</round><consent>yes</consent><region>%s</region><sex>%s</sex><age_group>%s</age_group><displacement>resident</displacement><q_safety>%s</q_safety><q_trust>%s</q_trust><q_report>yes</q_report><q_violence>no</q_violence><q_sources>radio_un</q_sources><location>%.2f 15.25 0 5</location><meta><instanceID>uuid:ui-%d</instanceID></meta></perception>`,
			[]string{"north", "centre", "south"}[i%3], []string{"female", "male"}[i%2], []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}[i%5],
			[]string{"safe", "unsafe"}[i%7%2], []string{"a_lot", "not_at_all"}[i%5%2], 4.25+float64(i%2)*0.5, i)
		if _, err := s.Surveys.Submit(ctx, loader, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	pop, err := surveys.ReadPopulation(strings.NewReader("region,population\nnorth,50000\ncentre,20000\nsouth,30000\n"), "census.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveMargins(ctx, "test", "census", pop); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Auth.CreateToken(ctx, "test", user, "nightly import", 90*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	ch, err := s.Alerts.NewChannel(ctx, "test", alerts.Web, "Community web form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return &fullServer{URL: ts.URL, User: user, Password: pw, WebForm: alerts.IntakePath(ch)}
}

// pageRecorder collects what goes wrong while a page is shown: console
// errors, uncaught exceptions, answers with an error status and requests
// that failed (aborted requests, which pages make on purpose, are not).
type pageRecorder struct {
	mu       sync.Mutex
	problems []string
	reqs     map[network.RequestID]string
}

func (p *pageRecorder) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.reqs[e.RequestID] = e.Request.URL
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 && !allowedFailure(e.Response.URL, e.Response.Status) {
			p.problems = append(p.problems, fmt.Sprintf("HTTP %d %s", int(e.Response.Status), e.Response.URL))
		}
	case *network.EventLoadingFailed:
		if !e.Canceled {
			p.problems = append(p.problems, fmt.Sprintf("request failed (%s): %s", e.ErrorText, p.reqs[e.RequestID]))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		p.problems = append(p.problems, "exception: "+msg)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, a.Description+string(a.Value))
			}
			p.problems = append(p.problems, "console.error: "+strings.Join(parts, " "))
		}
	}
}

// allowedFailure: GET /api/v1/demo answers 404 on a server without the
// demo route; the UI then shows no demo banner.
func allowedFailure(u string, status int64) bool {
	return status == 404 && strings.HasSuffix(u, "/api/v1/demo")
}

func (p *pageRecorder) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.problems
	p.problems = nil
	return out
}

// screenshotDir is $VIGIL_SCREENSHOTS (kept) or a temporary directory.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("VIGIL_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// axeViolations runs axe-core (web/testdata/axe, injected here; the app
// never serves it) on the page for WCAG 2.1 A and AA rules and answers the
// serious and critical violations, one line each.
func axeViolations(ctx context.Context, axeSrc string) ([]string, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSrc+"\n;true")); err != nil {
		return nil, fmt.Errorf("injecting axe: %w", err)
	}
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
	  .then((r) => JSON.stringify(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
	    .map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '))))`
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	var out []string
	err = json.Unmarshal([]byte(s), &out)
	return out, err
}

// TestE2EUIPages walks every page of the UI (the admin pages included), the
// login page and the public web alert form at 1440×900 in English and
// French: each page must open with no console error, no failed request and
// no serious or critical axe-core violation (WCAG 2.1 A/AA), and with no
// dictionary key left untranslated on screen. Screenshots go to
// $VIGIL_SCREENSHOTS (or a temporary directory).
func TestE2EUIPages(t *testing.T) {
	chromiumPath(t) // skips under -short or without Chromium
	axeSrc, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	srv := startFullServer(t)
	shots := screenshotDir(t)
	// ready: the page has drawn what it loads (no "Loading…" left).
	const settled = `!document.querySelector('main .loading') && !document.querySelector('.map[data-loading]')`
	pages := []struct{ name, hash, ready string }{
		{"map", "#/map", `document.querySelector('#map .leaflet-pane') && document.querySelectorAll('.cluster').length > 0`},
		{"alerts", "#/alerts", `document.querySelector('main[data-page=alerts] h1')`},
		{"coverage", "#/coverage", `document.querySelector('main[data-page=coverage] h1') && document.querySelector('.coverage-map .leaflet-pane')`},
		{"surveys", "#/surveys", `document.querySelector('main[data-page=surveys] h1')`},
		{"admin-users", "#/admin?tab=users", `document.querySelector('#admin-users')`},
		{"admin-tokens", "#/admin?tab=tokens", `document.querySelector('#admin-tokens')`},
		{"admin-channels", "#/admin?tab=channels", `document.querySelector('#admin-channels')`},
		{"admin-forms", "#/admin?tab=forms", `document.querySelector('#admin-forms')`},
		{"admin-margins", "#/admin?tab=margins", `document.querySelector('#admin-body[data-tab=margins] ul.plain')`},
		{"admin-interlocutors", "#/admin?tab=interlocutors", `document.querySelector('#admin-inter, #admin-body[data-tab=interlocutors] .empty')`},
		{"admin-audit", "#/admin?tab=audit", `document.querySelector('#admin-audit')`},
		{"admin-keys", "#/admin?tab=keys", `document.querySelector('#admin-key-active')`},
	}
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			rec := &pageRecorder{reqs: map[network.RequestID]string{}}
			ctx := newRecordingBrowser(t, 1440, 900, rec.listen)
			check := func(name string) {
				t.Helper()
				if err := pollAcrossReloads(ctx, settled, stepWait); err != nil {
					t.Errorf("%s: still loading: %v", name, err)
				}
				// Untranslated: a dictionary key ("admin.tab.users") shown as text
				// or in a label attribute (code samples, e.g. audit actions, aside).
				if raw, err := js[string](ctx, shownTextJS+`(shownText().match(/\b(app|nav|admin|alerts|coverage|surveys|risk|demo|filter|layer|detail)\.[a-z][A-Za-z]*(\.[A-Za-z_]+)*\b/g) || []).join(' ')`); err != nil || raw != "" {
					t.Errorf("%s: untranslated keys on screen: %q (%v)", name, raw, err)
				}
				// French: no text shown that is the English of a string whose
				// French differs (hard-coded English, or a string drawn in English).
				if lang == "fr" && name != "login" && name != "webform" {
					if en, err := chromedp.Run(ctx, chromedp.Evaluate[string](shownTextJS+englishLeftJS, chromedp.EvalAwaitPromise)); err != nil || en != "" {
						t.Errorf("%s: English left on the French page: %s (%v)", name, en, err)
					}
				}
				vs, err := axeViolations(ctx, string(axeSrc))
				if err != nil {
					t.Errorf("%s: axe: %v", name, err)
				}
				for _, v := range vs {
					t.Errorf("%s: axe: %s", name, v)
				}
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					os.WriteFile(filepath.Join(shots, fmt.Sprintf("ui-%s-%s.png", lang, name)), png, 0o644)
				}
				for _, p := range rec.take() {
					t.Errorf("%s: %s", name, p)
				}
			}

			// The login page, in the language asked for.
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/login?lang="+lang), chromedp.WaitVisible(css(`#login-form`))); err != nil {
				t.Fatal(err)
			}
			check("login")
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(css(`#name`), srv.User),
				chromedp.SendKeys(css(`#password`), srv.Password),
				chromedp.Click(css(`#login-submit`)),
				chromedp.WaitVisible(css(`#main`)),
			); err != nil {
				t.Fatal(err)
			}
			if _, err := js[bool](ctx, `localStorage.setItem('vigil.lang', '`+lang+`'), true`); err != nil {
				t.Fatal(err)
			}
			for _, p := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+p.hash), chromedp.Reload()); err != nil {
					t.Fatalf("%s: %v", p.name, err)
				}
				if err := pollAcrossReloads(ctx, `document.documentElement.lang === '`+lang+`' && !!(`+p.ready+`)`, stepWait); err != nil {
					t.Errorf("%s: never ready (%s): %v", p.name, p.ready, err)
					rec.take()
					continue
				}
				check(p.name)
			}

			// The public web alert form (no login), in the language asked for.
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+srv.WebForm+"?lang="+lang), chromedp.WaitVisible(css(`#message`))); err != nil {
				t.Fatal(err)
			}
			check("webform")
		})
	}
}

// pollAcrossReloads is poll that starts again when the page navigates
// under it (the map reloads once when the service worker takes over).
func pollAcrossReloads(ctx context.Context, expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := poll(ctx, expr, time.Until(deadline))
		if err == nil || time.Now().After(deadline) || !strings.Contains(err.Error(), "context") || ctx.Err() != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// shownTextJS defines shownText(): the page's visible text nodes and label
// attributes, space-separated, outside code samples.
const shownTextJS = `function shownText() {
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) {
    if (!n.parentElement.closest('code, pre, script, style, noscript, [hidden]')) out.push(n.data);
  }
  for (const e of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (e.closest('[hidden]')) continue;
    out.push(e.getAttribute('aria-label') || '', e.getAttribute('placeholder') || '', e.getAttribute('title') || '');
  }
  return out.join(' ');
}
`

// englishLeftJS answers the text nodes (and label attributes) of the page
// that equal an English dictionary string whose French is different.
const englishLeftJS = `Promise.all(['en', 'fr'].map((l) => fetch('/ui/i18n/' + l + '.json').then((r) => r.json()))).then(([en, fr]) => {
  const english = new Set(Object.keys(en).filter((k) => en[k] !== fr[k] && en[k].length > 3 && !en[k].includes('{')).map((k) => en[k]));
  const seen = new Set();
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) {
    const s = n.data.trim();
    if (english.has(s) && !n.parentElement.closest('code, pre, script, style, noscript, [hidden], [lang=en]')) seen.add(s);
  }
  for (const e of document.querySelectorAll('[aria-label], [placeholder]')) {
    for (const a of ['aria-label', 'placeholder']) if (english.has(e.getAttribute(a)) && !e.closest('[hidden]')) seen.add(e.getAttribute(a));
  }
  return [...seen].map((s) => JSON.stringify(s)).join(', ');
})`

// newRecordingBrowser is newBrowser with a caller's event listener.
func newRecordingBrowser(t *testing.T, width, height int, listen func(any)) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
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
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithListener(listen))
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute) // a guard against a hung browser, not a speed check
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}
