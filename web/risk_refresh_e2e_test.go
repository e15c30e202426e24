package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/web"
)

// TestE2ERiskRefresh: on a store with events and no forecast, the risk
// legend says how to make one; an analyst presses "Refresh forecasts now",
// follows its progress, and the layer draws the new forecast with the date
// it was computed; the backtest plot opens full size in a dialog; in
// French, the refresh's status is in French. axe-core finds nothing serious.
func TestE2ERiskRefresh(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	ctx0 := context.Background()
	db, _ := web.OpenTestStore(t)
	web.SeedRefreshEvents(t, db)
	s := &web.Server{DB: db, Forecasts: web.SmallRefresh(db)}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	ts := srv.URL
	const user, pw = "analyst.e2e", "correct horse battery"
	if _, err := s.Auth.CreateUser(ctx0, "test", user, auth.Analyst, pw); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: ts, User: user, Password: pw}, 1366, 768)
	if err := do(ctx, chromedp.WaitVisible(css(`#layer-risk`)), click(css(`#layer-risk`))); err != nil {
		t.Fatal(err)
	}
	// no forecast yet: the empty state names the button, not the CLI
	if err := poll(ctx, `(document.querySelector('.risk-month') || {}).textContent?.includes('Refresh forecasts now')`, stepWait); err != nil {
		m, _ := text(ctx, `.risk-legend`)
		t.Fatalf("empty state: %q: %v", m, err)
	}
	if err := poll(ctx, `!!document.querySelector('#risk-refresh:not([hidden])')`, stepWait); err != nil {
		t.Fatalf("no refresh button for an analyst: %v", err)
	}
	if err := focusEnter(ctx, `#risk-refresh`); err != nil {
		t.Fatal(err)
	}
	// progress while it runs (the small refresh may already have ended)
	if err := poll(ctx, `(() => { const s = document.querySelector('#risk-refresh-status').textContent; return s.includes('Refreshing the forecasts: step') || s.includes('Last refresh'); })()`, stepWait); err != nil {
		t.Fatalf("no progress shown: %v", err)
	}
	if err := poll(ctx, `document.querySelector('#risk-refresh-status').textContent.includes('Last refresh') && document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length > 10`, stepWait); err != nil {
		st, _ := text(ctx, `#risk-refresh-status`)
		t.Fatalf("refresh did not end with cells drawn: %q: %v", st, err)
	}
	for sel, want := range map[string]string{".risk-month": "Month shown: January 2019", ".risk-computed": "Computed "} {
		if got, _ := text(ctx, sel); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	// the backtest plot, full size
	if _, err := js[bool](ctx, `(() => { document.querySelectorAll('.risk-legend details').forEach((d) => { d.open = true; }); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#risk-plot-open:not([hidden])') && document.querySelector('.risk-plot').naturalWidth > 0`, stepWait); err != nil {
		t.Fatalf("no backtest plot: %v", err)
	}
	if err := focusEnter(ctx, `#risk-plot-open`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const i = document.querySelector('dialog[open] .risk-plot-full'); return !!i && i.complete && i.getBoundingClientRect().width >= 700; })()`, stepWait); err != nil {
		w, _ := js[float64](ctx, `(document.querySelector('dialog .risk-plot-full') || {getBoundingClientRect: () => ({width: -1})}).getBoundingClientRect().width`)
		t.Fatalf("full-size plot %v px wide: %v", w, err)
	}
	axe := axeCheck(t, ctx)
	axe("risk plot dialog")
	if err := do(ctx, chromedp.KeyEvent("\x1b")); err != nil { // Escape closes it
		t.Fatal(err)
	}
	if err := poll(ctx, `!document.querySelector('dialog')`, stepWait); err != nil {
		t.Errorf("Escape leaves the dialog open: %v", err)
	}
	axe("risk legend en")
	// French
	if err := poll(ctx, `Vigil.setLang('fr').then(() => true)`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#risk-refresh-status') || {}).textContent?.includes('Dernière actualisation') && document.querySelector('#risk-refresh').textContent === 'Actualiser les prévisions'`, stepWait); err != nil {
		st, _ := text(ctx, `.risk-legend`)
		t.Errorf("French legend: %q: %v", st, err)
	}
	axe("risk legend fr")
}

// failedRefresh is a forecast refresher whose last refresh failed: at
// loading the country forecast's cell list (a cause no catalog says), or
// when saidCause is set at saving it, the database locked (said).
type failedRefresh struct {
	at        time.Time
	saidCause atomic.Bool
}

func (f *failedRefresh) Grids() []string { return []string{forecast.GridCountry, forecast.GridPrio} }

func (f *failedRefresh) Status() forecast.RefreshStatus {
	if f.saidCause.Load() {
		return forecast.RefreshStatus{Finished: f.at, Error: "priogrid forecast: the database is locked by another process (cannot be written)",
			FailedJob: "priogrid", FailedStep: forecast.StepSave, CauseKey: "refusal.store.locked"}
	}
	return forecast.RefreshStatus{Finished: f.at, Error: "country forecast: cell list: no such file", FailedJob: "country", FailedStep: forecast.StepLoad}
}

func (f *failedRefresh) Start(context.Context, string, string) (forecast.RefreshStatus, error) {
	return f.Status(), forecast.ErrRefreshRunning
}

// TestE2ERiskRefreshFailedFrench: a failed refresh is reported in the
// user's language (which forecast failed, and when); the server's own
// English words are only in a "technical detail" marked as English. The
// browser is on Kinshasa's time (UTC+1): its time is said in UTC, labelled,
// in English and in French (it was the browser's time, without a zone:
// "30 nov. 2026, 10:00").
func TestE2ERiskRefreshFailedFrench(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	db, _ := web.OpenTestStore(t)
	failed := &failedRefresh{at: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	s := &web.Server{DB: db, Forecasts: failed}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	const user, pw = "analyst.e2e", "correct horse battery"
	if _, err := s.Auth.CreateUser(context.Background(), "test", user, auth.Analyst, pw); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768)
	inTimeZone(t, ctx, "Africa/Kinshasa")
	if err := do(ctx, chromedp.WaitVisible(css(`#layer-risk`)), click(css(`#layer-risk`))); err != nil {
		t.Fatal(err)
	}
	const en = "The refresh of 30 Nov 2026, 09:00 UTC failed (per country)."
	if err := poll(ctx, `(document.querySelector('#risk-refresh-status') || {}).textContent?.includes('`+en+`')`, stepWait); err != nil {
		st, _ := text(ctx, `#risk-refresh-status`)
		t.Errorf("status %q: want %q: %v", st, en, err)
	}
	if err := poll(ctx, `Vigil.setLang('fr').then(() => true)`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#risk-refresh-status') || {}).textContent?.includes('a échoué')`, stepWait); err != nil {
		st, _ := text(ctx, `.risk-legend`)
		t.Fatalf("no failure shown: %q: %v", st, err)
	}
	status, _ := text(ctx, `#risk-refresh-status`)
	if want := "L’actualisation du 30 nov. 2026, 09:00 UTC a échoué"; !strings.Contains(status, want) || !strings.Contains(status, "(par pays)") || strings.Contains(status, "country forecast") || strings.Contains(status, "cell list") {
		t.Errorf("status %q: want %q, the country forecast named in French and no English", status, want)
	}
	// the step that failed and what to do, in French
	for _, want := range []string{"Les événements n’ont pas pu être lus dans la grille.", "Vérifiez que des événements sont importés"} {
		if !strings.Contains(status, want) {
			t.Errorf("status %q: want %q", status, want)
		}
	}
	detail, err := js[string](ctx, `(() => { const d = document.querySelector('#risk-refresh-error:not([hidden]) code[lang=en]'); return d ? d.textContent : ''; })()`)
	if err != nil || detail != "country forecast: cell list: no such file" {
		t.Errorf("technical detail %q (%v), want the server's English words marked lang=en", detail, err)
	}
	for _, p := range languageProblems(ctx, "fr") {
		t.Error(p)
	}
	axeCheck(t, ctx)("risk refresh failed fr")

	// A cause the catalog says is said in French; no English detail then.
	failed.saidCause.Store(true)
	if err := poll(ctx, `Vigil.setLang('en').then(() => Vigil.setLang('fr')).then(() => true)`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	const said = "Les prévisions n’ont pas pu être enregistrées dans la base de données. Cause\u00a0: la base de données est verrouillée par un autre processus (écriture impossible). Les prévisions déjà enregistrées restent affichées."
	if err := poll(ctx, `(document.querySelector('#risk-refresh-status') || {}).textContent?.includes('`+said+`')`, stepWait); err != nil {
		st, _ := text(ctx, `#risk-refresh-status`)
		t.Errorf("status %q: want %q: %v", st, said, err)
	}
	if hidden, err := js[bool](ctx, `document.querySelector('#risk-refresh-error').hidden`); err != nil || !hidden {
		t.Errorf("English detail shown beside a cause said in French (%v)", err)
	}
}
