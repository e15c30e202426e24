package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/web"
)

// demoServer is the server over a fresh directory set up as `serve --demo`
// sets it up (real events and deployments, the DEMO alert channel with its
// alerts, incidents and reply gateway, the starter survey with responses
// and margins, the shipped gazetteer), without the forecasts: those take
// minutes on two cores (demo.Forecasts(ctx, DB, Options) computes them).
type demoServer struct {
	URL     string
	DB      *storage.DB
	Server  *web.Server
	Options demo.Options
}

// startDemoServer starts a demoServer with one user of role.
func startDemoServer(t *testing.T, user string, role auth.Role, password string) *demoServer {
	t.Helper()
	ctx := context.Background()
	db, keys := web.OpenTestStore(t)
	s := &web.Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Surveys: &surveys.Service{Store: db, Keys: keys, Auditor: db}, Alerts: alerts.NewService(db, keys), PlaceArea: demo.DemoArea}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	if _, err := s.Auth.CreateUser(ctx, "test", user, role, password); err != nil {
		t.Fatal(err)
	}
	opt := demo.Options{Keys: keys, User: user}
	deps := func(ctx context.Context, db *storage.DB) error { saveDemoDeployments(t, db); return nil }
	if err := demo.Setup(ctx, db, opt, deps); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadPlaces(ctx); err != nil {
		t.Fatal(err)
	}
	return &demoServer{URL: ts.URL, DB: db, Server: s, Options: opt}
}

// responderDay is one pass of the responder's day, in one language.
type responderDay struct {
	lang      string
	place     string // typed in the place search
	category  string
	sex       string
	reply     string
	saved     string // the page's words: the save confirmation,
	locSaved  string // the location's,
	triaged   string // the move to triaged,
	verified  string // the move to verified,
	capDone   string // the CAP publication's (prefix),
	queued    string // the reply's (prefix),
	conf      string // a search result's confidence (prefix),
	catShown  string // the category as shown
	clockExpr string // a regular expression the SLA clock matches
	logLine   string // the timeline's line for the move to verified
	retitle   string // when set, the title is first blanked (CAP refused, the page says why) then this
	needTitle string // what the page says when CAP has no title
}

// TestE2EResponderJourney is a responder's day in the browser on a fresh
// demo (serve --demo's alerts and incidents), without the mouse: the queue
// (message preview, place, category, SLA clock) → Enter opens an incident
// at its own address → set its location by place name (gazetteer search,
// confidence shown) → categorise with the reporter's sex (a confirmation)
// → triage and verify → publish a CAP 1.2 alert (listed on the page, the
// document served is the one capxml produces for the incident, and valid)
// → reply to the reporter (queued on the demo's SMS gateway). Each step is
// checked in the store; each page: no console error, no failed request, no
// serious or critical axe-core violation, screenshots to $VIGIL_SCREENSHOTS.
// The day is walked in English, then on another incident in French, where
// every page must show no dictionary key and no English string.
func TestE2EResponderJourney(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	ctx0 := context.Background()
	const user, pw = "responder.journey", "correct horse battery"
	srv := startDemoServer(t, user, auth.Responder, pw)
	db := srv.DB
	// Two incidents still at "received", from the demo's DEMO channel.
	ins, err := db.Incidents(ctx0, alerts.IncidentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var todo []alerts.Incident
	for _, in := range ins {
		if in.Status == alerts.Received && strings.HasPrefix(in.Title, "DEMO") {
			todo = append(todo, in)
		}
	}
	if len(todo) < 2 {
		t.Fatalf("the demo has %d received incidents, want 2", len(todo))
	}
	chs, err := db.Channels(ctx0)
	if err != nil {
		t.Fatal(err)
	}
	var gateway alerts.Channel
	for _, c := range chs {
		if c.Name == demo.ReplyGatewayName {
			gateway = c
		}
	}
	if gateway.Kind != alerts.SMSSync {
		t.Fatalf("no demo SMS gateway among %+v", chs)
	}

	shots := screenshotDir(t)
	rec := &pageRecorder{reqs: map[network.RequestID]string{}}
	ctx := newRecordingBrowser(t, 1440, 900, rec.listen)
	axe := axeCheck(t, ctx)
	if err := login(ctx, &e2eServer{URL: srv.URL, User: user, Password: pw}); err != nil {
		t.Fatalf("login: %v", err)
	}
	days := []responderDay{
		{lang: "en", place: "Djugu", category: "attack_on_civilians", sex: "female", reply: "Thank you. A patrol has been informed.",
			saved: "Saved.", locSaved: "Location saved.", triaged: "Saved: status triaged.", verified: "Saved: status verified.", capDone: "Published: ", queued: "Reply queued for the SMS gateway at ",
			conf: "confidence ", catShown: "attack on civilians", clockExpr: `^(triage|response) (due in|overdue by) `, logLine: "status: triaged → verified",
			retitle: "DEMO: armed men near Djugu", needTitle: "Write a title (saved) before publishing"},
		{lang: "fr", place: "beni", category: "displacement", sex: "male", reply: "Merci. Une patrouille est informée.",
			saved: "Enregistré.", locSaved: "Lieu enregistré.", triaged: "Enregistré\u00a0: statut trié.", verified: "Enregistré\u00a0: statut vérifié.", capDone: "Publié\u00a0: ", queued: "Réponse mise en file d’attente pour la passerelle SMS le ", // a date: « le 6 déc. 2026, 03:01 UTC », not « à 6 déc. »
			conf: "confiance ", catShown: "déplacement de population", clockExpr: `^(à trier|tri en retard|à traiter|réponse en retard)`, logLine: "statut\u00a0: trié → vérifié"},
	}
	for i, day := range days {
		in := todo[i]
		t.Run(day.lang, func(t *testing.T) {
			walkResponderDay(t, ctx, srv, rec, axe, shots, day, in, gateway)
		})
	}
}

// walkResponderDay walks the day on incident in, in day's language.
func walkResponderDay(t *testing.T, ctx context.Context, srv *demoServer, rec *pageRecorder, axe func(string), shots string, day responderDay, in alerts.Incident, gateway alerts.Channel) {
	ctx0 := context.Background()
	db := srv.DB
	id := in.ID
	wait := func(step, expr string) {
		t.Helper()
		if err := pollAcrossReloads(ctx, "!!("+expr+")", stepWait); err != nil {
			say, _ := js[string](ctx, `(document.getElementById('alerts-say') || {}).textContent || ''`)
			t.Fatalf("%s: waiting for %s: %v (status line %q)", step, expr, err, say)
		}
	}
	// page: the checks of every page, then its screenshot.
	page := func(name string) {
		t.Helper()
		axe(day.lang + " " + name)
		for _, p := range languageProblems(ctx, day.lang) {
			t.Errorf("%s: %s", name, p)
		}
		saveShot(t, ctx, shots, "responder-journey-"+day.lang+"-"+name)
		for _, p := range rec.take() {
			t.Errorf("%s: %s", name, p)
		}
	}
	stored := func() alerts.Incident {
		t.Helper()
		got, err := db.Incident(ctx0, id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	row := fmt.Sprintf(`document.querySelector('#alerts-list a[data-inc="%d"]')?.closest('li')`, id)

	// The queue in the day's language: the incident's row shows its first
	// message (a responder may read it), its place, category and SLA clock.
	if _, err := js[bool](ctx, `localStorage.setItem('vigil.lang', '`+day.lang+`'), true`); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, navigate(srv.URL+"/#/alerts"), chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	wait("queue", `document.documentElement.lang === '`+day.lang+`' && `+row)
	wait("queue", `/^(DEMO ALERT \(synthetic|ALERTE DEMO \(synthétique)/.test(`+row+`.querySelector('.alerts-preview')?.textContent || '')`)
	wait("queue", `new RegExp(`+q(day.clockExpr)+`).test(`+row+`.querySelector('.alerts-clock')?.textContent || '')`)
	place, _ := js[string](ctx, row+`.querySelector('.alerts-place').textContent`)
	if in.Location.Place != "" && !strings.Contains(place, strings.Split(in.Location.Place, ",")[0]) {
		t.Errorf("queue place %q, stored %q", place, in.Location.Place)
	}
	cat, _ := js[string](ctx, row+`.querySelector('.alerts-cat').textContent`)
	if cat == "" || strings.Contains(cat, ".") {
		t.Errorf("queue category %q", cat)
	}
	page("queue")

	// Enter on the row opens the incident at its own address.
	if err := focusEnter(ctx, fmt.Sprintf(`#alerts-list a[data-inc="%d"]`, id)); err != nil {
		t.Fatal(err)
	}
	wait("open", fmt.Sprintf(`location.hash === '#/alerts/incident/%d' && document.activeElement.id === 'alerts-inc-title' && !!document.getElementById('alerts-loc-q')`, id))

	// The small map, by keyboard: focus it, move it east with the arrow
	// keys, choose its centre (a point east of where the incident is).
	if err := poll(ctx, `!!document.querySelector('#alerts-loc-map.leaflet-container')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(document.getElementById('alerts-loc-map').focus(), document.activeElement.id === 'alerts-loc-map')`); err != nil {
		t.Fatal(err)
	}
	// Leaflet takes arrow keys once its keyboard handler is on and its view
	// set; under load the first presses can come before that, so press until
	// the map's pane has moved (what a person does), a few times at most.
	pane := `getComputedStyle(document.querySelector('#alerts-loc-map .leaflet-map-pane')).transform`
	before, _ := js[string](ctx, pane)
	moved := false
	for try := 0; try < 5 && !moved; try++ {
		// A redraw of the incident page under load can take the focus
		// away from the small map between tries: give it back first.
		if _, err := js[bool](ctx, `(document.getElementById('alerts-loc-map')?.focus(), true)`); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if err := do(ctx, chromedp.KeyEvent(keys.ArrowRight)); err != nil {
				t.Fatal(err)
			}
		}
		moved = poll(ctx, pane+` !== `+strconv.Quote(before), 2*time.Second) == nil
	}
	if !moved {
		t.Fatalf("the small map did not move with the arrow keys (pane transform %q)", before)
	}
	if err := focusEnter(ctx, `#alerts-loc-centre`); err != nil {
		t.Fatal(err)
	}
	wait("map centre", `/-?\d+\.\d{4}, -?\d+\.\d{4}/.test(document.getElementById('alerts-loc-chosen').textContent) && !document.getElementById('alerts-loc-set').disabled`)
	if in.Location.Lon != nil {
		lon, _ := js[float64](ctx, `Number(/-?\d+\.\d{4}, (-?\d+\.\d{4})/.exec(document.getElementById('alerts-loc-chosen').textContent)[1])`)
		if lon <= *in.Location.Lon {
			t.Errorf("the map moved east by keyboard, yet its centre is at longitude %.4f (incident at %.4f)", lon, *in.Location.Lon)
		}
	}

	// Location by place name: search, a result with its confidence, set.
	if err := typeInto(ctx, `#alerts-loc-q`, day.place); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.KeyEvent(keys.Enter)); err != nil {
		t.Fatal(err)
	}
	wait("location", `document.querySelector('#alerts-loc-results li button')?.textContent.includes(`+q(day.conf)+`)`)
	label, _ := js[string](ctx, `document.querySelector('#alerts-loc-results li button').firstChild.textContent`)
	if !strings.EqualFold(strings.Split(label, ",")[0], day.place) {
		t.Errorf("first place found for %q: %q", day.place, label)
	}
	// Where the gazetteer puts the first place found (the search API).
	var hit struct{ Lat, Lon float64 }
	if err := json.Unmarshal([]byte(mustJS(t, ctx, `fetch('/api/v1/places/search?limit=1&q=' + encodeURIComponent(`+q(day.place)+`)).then((r) => r.json()).then((d) => JSON.stringify(d.places[0]))`)), &hit); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, `#alerts-loc-results li button`); err != nil {
		t.Fatal(err)
	}
	wait("location", `document.getElementById('alerts-loc-chosen').textContent.includes(`+q(day.conf)+`) && !document.getElementById('alerts-loc-set').disabled`)
	if err := focusEnter(ctx, `#alerts-loc-set`); err != nil {
		t.Fatal(err)
	}
	wait("location", `document.getElementById('alerts-say')?.textContent === `+q(day.locSaved)+` && document.getElementById('alerts-place').textContent.includes(`+q(label)+`)`)
	if l := stored().Location; l.Status != "manual" || l.SetBy != "responder" || l.Place != label || l.Lat == nil ||
		math.Abs(*l.Lat-hit.Lat) > 1e-4 || math.Abs(*l.Lon-hit.Lon) > 1e-4 {
		t.Errorf("stored location %s %s set by %s at %s, want %s at %.4f, %.4f set by a responder", l.Status, l.Place, l.SetBy, latLon(l.Lat, l.Lon), label, hit.Lat, hit.Lon)
	}

	// Category and reporter sex, chosen with the keyboard, saved with a
	// confirmation.
	if err := keyboardChoose(ctx, `#alerts-cat`, day.category); err != nil {
		t.Fatal(err)
	}
	if err := keyboardChoose(ctx, `#alerts-sex`, day.sex); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, `#alerts-save`); err != nil {
		t.Fatal(err)
	}
	wait("categorise", `document.getElementById('alerts-say')?.textContent === `+q(day.saved)+` && document.getElementById('alerts-cat-shown').textContent === `+q(day.catShown))
	// The keyboard user is still on the button they pressed.
	if f, _ := js[string](ctx, `document.activeElement.id`); f != "alerts-save" {
		t.Errorf("after saving, the focus is on %q, want the save button", f)
	}
	if got := stored(); got.Category != day.category || got.ReporterSex != day.sex {
		t.Errorf("stored category %q, reporter sex %q; want %q, %q", got.Category, got.ReporterSex, day.category, day.sex)
	}

	// The buttons that move the alert on are a button row: the design system's space (--s3) under them
	// (it was the button's .3em, 4.5 px: the fields under them close).
	if gap, err := js[float64](ctx, `((b) => b.closest('[role=group]').nextElementSibling.querySelector('label').getBoundingClientRect().top - b.getBoundingClientRect().bottom
	  - parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.75)(document.querySelector('#alerts-to-triaged'))`); err != nil || gap < -0.5 {
		t.Errorf("space under « Mark triaged »: %.1f px less than --s3 (%v)", -gap, err)
	}
	// Triage, then verify.
	if err := focusEnter(ctx, `#alerts-to-triaged`); err != nil {
		t.Fatal(err)
	}
	// The triage's own redraw ends with its confirmation; a key pressed
	// before it can land on a button that redraw replaces (seen under load).
	wait("triage", `document.getElementById('alerts-say')?.textContent === `+q(day.triaged)+` && !!document.getElementById('alerts-to-verified')`)
	if err := focusEnter(ctx, `#alerts-to-verified`); err != nil {
		t.Fatal(err)
	}
	wait("verify", `document.getElementById('alerts-say')?.textContent === `+q(day.verified)+` && !!document.getElementById('alerts-cap')`)
	verified := stored()
	if verified.Status != alerts.Verified || verified.VerifiedAt == nil || verified.TriagedAt == nil {
		t.Fatalf("stored status %s (triaged %v, verified %v), want verified", verified.Status, verified.TriagedAt, verified.VerifiedAt)
	}
	// The timeline says it in the page's language.
	wait("verify", `[...document.querySelectorAll('.alerts-timeline li')].some((li) => li.textContent.endsWith(`+q(day.logLine)+`))`)
	page("incident-verified")

	// Without a title there is nothing partners may read: the page says so
	// and takes the keyboard to the title; with one written and saved, on.
	if day.retitle != "" {
		if _, err := js[bool](ctx, `(document.getElementById('alerts-title').select(), true)`); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.KeyEvent(keys.Backspace)); err != nil {
			t.Fatal(err)
		}
		if err := focusEnter(ctx, `#alerts-save`); err != nil {
			t.Fatal(err)
		}
		wait("untitled", `document.getElementById('alerts-say')?.textContent === `+q(day.saved)+` && document.getElementById('alerts-title').value === ''`)
		if err := focusEnter(ctx, `#alerts-cap`); err != nil {
			t.Fatal(err)
		}
		wait("untitled", `document.getElementById('alerts-say')?.textContent.startsWith(`+q(day.needTitle)+`) && document.activeElement.id === 'alerts-title'`)
		if pubs, err := db.CAPPublications(ctx0, id, 10); err != nil || len(pubs) != 0 {
			t.Fatalf("published without a title: %d (%v)", len(pubs), err)
		}
		if err := typeInto(ctx, `#alerts-title`, day.retitle); err != nil {
			t.Fatal(err)
		}
		if err := focusEnter(ctx, `#alerts-save`); err != nil {
			t.Fatal(err)
		}
		wait("retitled", `document.getElementById('alerts-say')?.textContent === `+q(day.saved)+` && document.getElementById('alerts-inc-title').textContent.includes(`+q(day.retitle)+`)`)
		if verified = stored(); verified.Title != day.retitle {
			t.Fatalf("stored title %q, want %q", verified.Title, day.retitle)
		}
	}

	// Publish as CAP: the page lists the publication with a link to the
	// document, and the document served is the one capxml produces for the
	// incident, a valid CAP 1.2 alert located where the responder set it.
	if err := focusEnter(ctx, `#alerts-cap`); err != nil {
		t.Fatal(err)
	}
	wait("cap", `document.getElementById('alerts-say')?.textContent.startsWith(`+q(day.capDone)+`) && !!document.querySelector('#alerts-caps a.alerts-cap-link')`)
	pubs, err := db.CAPPublications(ctx0, id, 10)
	if err != nil || len(pubs) != 1 {
		t.Fatalf("stored CAP publications %d (%v), want 1", len(pubs), err)
	}
	shown, _ := js[string](ctx, `document.querySelector('#alerts-caps a.alerts-cap-link').textContent`)
	if shown != pubs[0].Identifier {
		t.Errorf("page lists %q, stored %q", shown, pubs[0].Identifier)
	}
	served, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#alerts-caps a.alerts-cap-link').href).then((r) => r.ok && r.headers.get('Content-Type').startsWith('application/cap+xml') ? r.text() : 'HTTP ' + r.status + ' ' + r.headers.get('Content-Type'))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	want, err := srv.Server.Alerts.CAPAlert(verified, nil, pubs[0].Sent, day.lang)
	if err != nil {
		t.Fatal(err)
	}
	wantXML, err := capxml.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if served != string(wantXML) || !bytes.Equal(pubs[0].XML, wantXML) {
		t.Errorf("CAP served:\n%s\nwant what capxml produces for the incident:\n%s", served, wantXML)
	}
	a, version, err := capxml.DecodeVersion(strings.NewReader(served))
	if err != nil || version != "1.2" {
		t.Fatalf("served CAP: version %q, %v", version, err)
	}
	if err := a.Validate(); err != nil {
		t.Errorf("served CAP invalid: %v", err)
	}
	if a.Identifier != pubs[0].Identifier || a.Incidents != fmt.Sprintf("vigil-incident-%d", id) || len(a.Infos) != 1 || a.Infos[0].Headline != verified.Title || a.Infos[0].Language != day.lang || len(a.Infos[0].Areas) != 1 {
		t.Fatalf("served CAP: %+v", a)
	}
	if c, err := capxml.ParseCircle(a.Infos[0].Areas[0].Circles[0]); err != nil || math.Abs(c.Center.Lat-hit.Lat) > 0.1 || math.Abs(c.Center.Lon-hit.Lon) > 0.1 {
		t.Errorf("CAP area %q (%v), want around the place set (%.4f, %.4f)", a.Infos[0].Areas[0].Circles, err, hit.Lat, hit.Lon)
	}

	// Reply to the reporter of the first alert: queued on the demo's SMS
	// gateway (the DEMO channel is a web form, with no outbox of its own).
	first, err := db.Alerts(ctx0, alerts.AlertFilter{IncidentID: id, Limit: 100})
	if err != nil || len(first) == 0 {
		t.Fatalf("alerts of the incident: %v", err)
	}
	aid := first[len(first)-1].ID
	for _, x := range first {
		aid = min(aid, x.ID)
	}
	box := fmt.Sprintf(`#alerts-reply-%d`, aid)
	if err := typeInto(ctx, box, day.reply); err != nil {
		t.Fatal(err)
	}
	if err := focusEnter(ctx, box+`-send`); err != nil {
		t.Fatal(err)
	}
	wait("reply", `document.querySelector('`+box+`-out')?.textContent.startsWith(`+q(day.queued)+`)`)
	out, err := db.PendingOutgoing(ctx0, gateway.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range out {
		found = found || (m.AlertID == aid && m.Message == day.reply)
	}
	if !found {
		t.Errorf("reply not in the gateway's outbox: %+v", out)
	}
	page("incident-published")
}

// keyboardChoose picks value in the select sel with the keyboard: focus,
// Home, then the down arrow until it is chosen.
func keyboardChoose(ctx context.Context, sel, value string) error {
	q, _ := json.Marshal(sel)
	if err := poll(ctx, `(() => { const e = document.querySelector(`+string(q)+`); if (!e) return false; e.focus(); return document.activeElement === e; })()`, stepWait); err != nil {
		return fmt.Errorf("focus %s: %w", sel, err)
	}
	if err := do(ctx, chromedp.KeyEvent(keys.Home)); err != nil {
		return err
	}
	for i := 0; i < 20; i++ {
		v, err := js[string](ctx, `document.querySelector(`+string(q)+`).value`)
		if err != nil {
			return err
		}
		if v == value {
			return nil
		}
		if err := do(ctx, chromedp.KeyEvent(keys.ArrowDown)); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s: the keyboard never chose %q", sel, value)
}

// latLon prints an optional point.
func latLon(lat, lon *float64) string {
	if lat == nil || lon == nil {
		return "no point"
	}
	return fmt.Sprintf("%.4f, %.4f", *lat, *lon)
}

// mustJS evaluates expr (a promise of a string) in the page.
func mustJS(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// typeInto types text into the field sel with the keyboard. The focus is
// given in the page (the live incident page may redraw between a query and
// a keystroke); the field's value is checked and typed again if a redraw
// took what was typed.
func typeInto(ctx context.Context, sel, text string) error {
	q, _ := json.Marshal(sel)
	want, _ := json.Marshal(text)
	for try := 0; ; try++ {
		if err := poll(ctx, `(() => { const e = document.querySelector(`+string(q)+`); if (!e) return false; e.value = ''; e.focus(); return document.activeElement === e; })()`, stepWait); err != nil {
			return fmt.Errorf("focus %s: %w", sel, err)
		}
		if err := do(ctx, chromedp.KeyEvent(text)); err != nil {
			return err
		}
		ok, err := js[bool](ctx, `document.querySelector(`+string(q)+`)?.value === `+string(want))
		if err != nil || ok || try == 2 {
			if err == nil && !ok {
				err = fmt.Errorf("%s: typed %s, the field does not hold it", sel, want)
			}
			return err
		}
	}
}
