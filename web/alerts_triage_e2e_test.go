package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2ETriageFlow walks a responder's triage without the mouse where it
// matters: the queue row shows the message preview, category, place and
// SLA clock; Enter on the row opens the incident at its own address
// (#/alerts/incident/1), which survives a reload and back/forward; the
// category and reporter sex are saved with a spoken confirmation; the
// location is set by place name (the gazetteer search, with confidence)
// and then shows as set by the responder's role; a reply to the reporter
// is queued for the SMS gateway and its outcome shown.
func TestE2ETriageFlow(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	srv, db, ch := startAlertsServer(t, "rex.e2e", auth.Responder, nil)
	ts := srv
	postSMS(t, ts, ch, "+243812345678", "Help, men with guns took two girls from the school", "t-1")
	ctx, _ := loggedInBrowser(t, srv, 1440, 900)
	shot := func(name string) {
		dir := os.Getenv("VIGIL_SCREENSHOTS")
		if dir == "" {
			return
		}
		if b, err := run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644)
		}
	}
	// The queue row.
	if err := do(ctx, navigate(ts.URL+"/#/alerts"), chromedp.WaitVisible(css("#alerts-list li.alerts-inc"))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sel, want string }{
		{"#alerts-list .alerts-preview", "Help, men with guns took two girls from the school"},
		{"#alerts-list .alerts-cat", "not categorised"},
		{"#alerts-list .alerts-place", "place unknown"},
	} {
		// Polled: the queue may redraw (the live stream says hello) between two reads.
		if err := poll(ctx, `document.querySelector('`+c.sel+`')?.textContent === '`+c.want+`'`, stepWait); err != nil {
			got, _ := text(ctx, c.sel)
			t.Errorf("%s: %q, want %q", c.sel, got, c.want)
		}
	}
	if err := poll(ctx, `/^triage (due in|overdue by) /.test(document.querySelector('#alerts-list .alerts-clock').textContent)`, stepWait); err != nil {
		t.Errorf("no SLA clock: %v", err)
	}
	if ok, _ := js[bool](ctx, `document.body.innerText.includes('untitled')`); ok {
		t.Error("an untitled incident in the queue")
	}
	shot("triage-queue-en")
	// Enter on the focused row opens the incident at its own address.
	if err := focusEnter(ctx, "#alerts-list li.alerts-inc a"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `location.hash === '#/alerts/incident/1' && !!document.querySelector('#alerts-cat') && document.activeElement.id === 'alerts-inc-title'`, stepWait); err != nil {
		t.Fatalf("Enter did not open the incident with focus on its title: %v", err)
	}
	// Category and reporter sex, saved with a confirmation.
	if err := do(ctx, chromedp.SetValue(css("#alerts-cat"), "abduction"), chromedp.SetValue(css("#alerts-sex"), "female"), chromedp.SetValue(css("#alerts-prio"), "high"), click(css("#alerts-save"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-say')?.textContent === 'Saved.' && document.querySelector('#alerts-cat-shown').textContent === 'abduction'`, stepWait); err != nil {
		t.Fatalf("no save confirmation: %v", err)
	}
	if in, _ := db.Incident(ctx0, 1); in.Category != "abduction" || in.ReporterSex != "female" {
		t.Fatalf("stored: %+v", in)
	}
	// Search with the field empty: said next to the field, which describes
	// it (the button did nothing and said nothing).
	if err := do(ctx, click(css("#alerts-loc-go"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const s = document.querySelector('#alerts-loc-q-say'); const q = document.querySelector('#alerts-loc-q');
		return s?.textContent === 'Type a place name first.' && s.getAttribute('role') === 'status' && (q.getAttribute('aria-describedby') || '').split(' ').includes(s.id) && document.activeElement === q; })()`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-loc-q-say')?.textContent ?? '(none)'`)
		t.Fatalf("an empty place search said %q: %v", got, err)
	}
	// Location by place name.
	if err := do(ctx, chromedp.SendKeys(css("#alerts-loc-q"), "Djugu"), chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#alerts-loc-results li button') && document.querySelector('#alerts-loc-q-say').textContent === ''`, stepWait); err != nil {
		t.Fatalf("no place found, or the empty search's message stayed: %v", err)
	}
	if err := do(ctx, click(css("#alerts-loc-results li button")), click(css("#alerts-loc-set"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-say')?.textContent === 'Location saved.' && document.querySelector('#alerts-loc-status').textContent.includes('set by responder') && document.querySelector('#alerts-place').textContent.includes('Djugu')`, stepWait); err != nil {
		t.Fatalf("location not shown as set: %v", err)
	}
	if in, _ := db.Incident(ctx0, 1); in.Location.Status != "manual" || in.Location.SetBy != "responder" || in.Location.Lat == nil {
		t.Fatalf("stored location: %+v", in.Location)
	}
	// Reply to the reporter.
	if err := do(ctx, chromedp.SendKeys(css("#alerts-reply-1"), "Thank you, a patrol is informed.")); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css("#alerts-reply-1-send"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-reply-1-out').textContent.startsWith('Reply queued')`, stepWait); err != nil {
		t.Fatalf("reply outcome not shown: %v", err)
	}
	if out, err := db.PendingOutgoing(ctx0, ch.ID, 10); err != nil || len(out) != 1 || out[0].Message != "Thank you, a patrol is informed." {
		t.Fatalf("outbox: %+v %v", out, err)
	}
	shot("triage-incident-en")
	// Reload keeps the incident; back goes to the queue, forward returns.
	if err := do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#alerts-inc-title') && document.querySelector('#alerts-inc-title').textContent.startsWith('#1 ')`, stepWait); err != nil {
		t.Fatalf("reload lost the incident: %v", err)
	}
	if err := do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#alerts-list li.alerts-inc') && document.querySelector('#alerts-list .alerts-cat').textContent === 'abduction' && document.querySelector('#alerts-list .alerts-prio')?.textContent === 'high priority'`, stepWait); err != nil {
		page, _ := js[string](ctx, `location.hash + ' | ' + document.querySelector('main').innerText.slice(0, 400)`)
		t.Fatalf("back did not show the queue: %v\n%s", err, page)
	}
	if err := do(ctx, chromedp.NavigateForward()); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#alerts-inc-title')`, stepWait); err != nil {
		t.Fatalf("forward did not reopen the incident: %v", err)
	}
	// No serious or critical axe-core violation on either page, in English
	// and in French (every new string translated).
	axe := axeCheck(t, ctx)
	axe("incident en")
	if _, err := js[bool](ctx, `(() => { const s = document.getElementById('lang'); s.value = 'fr'; s.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-cat-shown')?.textContent === 'enlèvement' && document.querySelector('#alerts-loc-status').textContent.includes('fixé par\u00a0: intervenant') && document.querySelector('label[for=alerts-sex]').textContent.startsWith('Sexe')`, stepWait); err != nil {
		t.Fatalf("incident page not in French: %v", err)
	}
	shot("triage-incident-fr")
	axe("incident fr")
	if err := do(ctx, click(css(".alerts-back"))); err != nil {
		t.Fatal(err)
	}
	// The priority says it is one: « priorité haute », not « haute » alone.
	if err := poll(ctx, `document.querySelector('#alerts-list .alerts-prio')?.textContent === 'priorité haute' && document.querySelector('#alerts-list .alerts-cat')?.textContent === 'enlèvement' && /^à trier dans |^tri en retard de /.test(document.querySelector('#alerts-list .alerts-clock').textContent)`, stepWait); err != nil {
		t.Fatalf("queue not in French: %v", err)
	}
	shot("triage-queue-fr")
	axe("queue fr")
}

// TestE2ETriageOverdueHours: an incident left untriaged for 81 minutes
// (triage target 15 min) shows its clock in hours and minutes, in English
// and French: « tri en retard de 1 h 6 min », not « 1,1 h ».
func TestE2ETriageOverdueHours(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	var ahead atomic.Int64 // how far the service's clock runs ahead of the wall clock
	svc.Now = func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	s := &web.Server{DB: db, Alerts: svc}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	const pw = "correct horse battery"
	if _, err := s.Auth.CreateUser(ctx0, "test", "rex.late", auth.Responder, pw); err != nil {
		t.Fatal(err)
	}
	ch, err := svc.NewChannel(ctx0, "test", alerts.SMSSync, "gw", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	srv := &e2eServer{down: new(atomic.Bool), URL: ts.URL, User: "rex.late", Password: pw}
	postSMS(t, srv, ch, "+243812345678", "Men with guns near the market", "t-late")
	ahead.Store(int64(81 * time.Minute))
	ctx, _ := loggedInBrowserAt(t, srv, 1440, 900, "/#/alerts", "")
	if err := do(ctx, navigate(ts.URL+"/#/alerts"), chromedp.WaitVisible(css("#alerts-list li.alerts-inc"))); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, want string }{
		{"en", `^triage overdue by 1 h (6|7) min$`},
		{"fr", `^tri en retard de 1 h (6|7) min$`},
	} {
		if _, err := js[bool](ctx, `(() => { const s = document.getElementById('lang'); s.value = '`+c.lang+`'; s.dispatchEvent(new Event('change')); return true; })()`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `/`+c.want+`/.test(document.querySelector('#alerts-list .alerts-clock')?.textContent || '')`, stepWait); err != nil {
			got, _ := text(ctx, "#alerts-list .alerts-clock")
			t.Errorf("%s: clock %q, want /%s/", c.lang, got, c.want)
		}
	}
}
