package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
)

// Last request wins: on every page, an answer that arrives after a newer
// request for the same part of the page (a period, a filter, a choice, the
// language, another page) draws nothing. Each test holds the first answer
// back in the page (holdFirst), makes the newer request, and checks that
// the newer view is still shown once the held answer has arrived; before
// each page's fix the held answer replaced it (as the Integrity tabs did:
// TestE2EIntegrityTabRace).

// holdFirst wraps window.fetch in the page: the first request whose
// address contains part (and, when not is given, does not contain not)
// is sent ms milliseconds late; window.__heldAsked turns true when the
// page asks for it, window.__heldDone once its answer (or failure) was
// handed to the page and the page has settled: no request or answer body
// of the page's still on its way for 0.3 s of the page's own clock (so a
// slow, loaded machine waits longer instead of checking too early).
func holdFirst(part, not string, ms int) chromedp.Action[chromedp.Void] {
	return hold(part, not, "", ms, false)
}

// holdAnswer is holdFirst for the first request with method (whose
// address contains part, and not not), sent at once (the server answers
// with the state of that moment) and its answer handed over ms late.
func holdAnswer(part, not, method string, ms int) chromedp.Action[chromedp.Void] {
	return hold(part, not, method, ms, true)
}

func hold(part, not, method string, ms int, answerLate bool) chromedp.Action[chromedp.Void] {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return evalJS(`(() => { const f = window.fetch; let held = false; window.__heldDone = false; window.__heldAsked = false;
		// Requests and answer bodies on their way, and when one last settled.
		window.__busy = window.__busy || 0; window.__lastBusy = performance.now();
		const track = (p) => { window.__busy++; return p.finally(() => { window.__busy--; window.__lastBusy = performance.now(); }); };
		if (!window.__bodiesTracked) {
			window.__bodiesTracked = true;
			for (const k of ['json', 'text', 'blob', 'arrayBuffer']) { const read = Response.prototype[k]; Response.prototype[k] = function () { return track(read.call(this)); }; }
		}
		const done = () => { const tick = setInterval(() => {
			if (window.__busy === 0 && performance.now() - window.__lastBusy >= 300) { clearInterval(tick); window.__heldDone = true; }
		}, 50); };
		const wait = () => new Promise((r) => setTimeout(r, ` + strconv.Itoa(ms) + `));
		window.fetch = (u, o) => {
			const s = String(u), m = ((o && o.method) || 'GET').toUpperCase();
			if (held || !s.includes(` + q(part) + `) || (` + q(not) + ` && s.includes(` + q(not) + `)) || (` + q(method) + ` && m !== ` + q(method) + `)) return track(f(u, o));
			held = true;
			window.__heldAsked = true;
			const got = ` + strconv.FormatBool(answerLate) + ` ? f(u, o).then((res) => wait().then(() => res)) : wait().then(() => f(u, o));
			return track(got.then((res) => { done(); return res; }, (e) => { done(); throw e; }));
		};
		return true; })()`)
}

// holdMS is how long the first answer is held back: the newer request is
// made and answered meanwhile.
const holdMS = 2500

// TestE2EResponsivenessRace: a period asked for while an earlier period's
// report is on its way stays shown (before: the earlier answer, an empty
// period, replaced the newer report).
func TestE2EResponsivenessRace(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/responsiveness", "")
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the Responsiveness page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/responsiveness")}, `document.querySelector('#resp-summary')`},
		{"a period with no onset asked for, its answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/coverage/responsiveness", "", holdMS),
			chromedp.SetValue(css(`#resp-from`), "1990-01"), chromedp.SetValue(css(`#resp-to`), "1990-02"), click(css(`#resp-go`))},
			`!document.querySelector('#resp-summary')`},
		{"another period asked for before it arrives", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(css(`#resp-from`), "2010-01"), chromedp.SetValue(css(`#resp-to`), "2012-12"), click(css(`#resp-go`))},
			`document.querySelector('#resp-summary')?.textContent.includes('January 2010')`},
		{"that period's report still shown after the held answer arrived", nil,
			`window.__heldDone && document.querySelector('#resp-summary')?.textContent.includes('January 2010') && !document.querySelector('#resp-out .empty')`},
	})
}

// TestE2ESurveysRace: on the Surveys page, a comparison chosen while an
// earlier choice's analysis is on its way, and margins asked for while
// other margins' unheard groups are, stay shown (before: the earlier
// answer replaced them: a trend under "no comparison", an error under
// the census's list).
func TestE2ESurveysRace(t *testing.T) {
	t.Parallel()
	srv := startSurveyServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	pick := func(sel, value string) chromedp.Action[chromedp.Void] {
		q, _ := json.Marshal(value)
		return evalJS(`(() => { const s = document.querySelector('` + sel + `'); if (![...s.options].some((o) => o.value === ` + string(q) + `)) s.append(new Option(` + string(q) + `, ` + string(q) + `));
			s.value = ` + string(q) + `; s.dispatchEvent(new Event('change')); return true; })()`)
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the Surveys page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/surveys")},
			`document.querySelector('#surveys-estimates') && document.querySelector('#surveys-compare option[value="R1"]') && document.querySelector('#surveys-margins option[value="census"]')`},
		{"a comparison with R1 chosen, its analysis held back", []chromedp.Action[chromedp.Void]{holdFirst("/analysis", "", holdMS), pick(`#surveys-compare`, "R1")},
			`document.querySelector('#surveys-out[aria-busy="true"]')`}, // the analysis shown stays, marked busy
		{"no comparison chosen before it arrives", []chromedp.Action[chromedp.Void]{pick(`#surveys-compare`, "")},
			`document.querySelector('#surveys-estimates') && !document.querySelector('#surveys-out[aria-busy]')`},
		{"the analysis without comparison still shown after the held answer arrived", nil,
			`window.__heldDone && document.querySelector('#surveys-estimates') && !document.querySelector('#surveys-trend') && !document.querySelector('#surveys-out .error') && document.querySelector('#surveys-compare').value === '' && !!document.querySelector('#surveys-export-how')`},
	})
	// The unheard groups' button is under the export section, which the
	// analysis above draws again after it (its report and links replaced,
	// the button in place unless they change size): the step above waits for the report, and
	// the button stays where it is until it is clicked.
	if err := watchPlace(ctx, `#surveys-unheard-load`); err != nil {
		t.Fatal(err)
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"margins not loaded asked for, the answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/unheard", "", holdMS), pick(`#surveys-margins`, "missing"), click(css(`#surveys-unheard-load`))},
			`document.querySelector('#surveys-unheard')?.textContent.length > 0 && !document.querySelector('#surveys-unheard-list')`},
		{"the census asked for before it arrives", []chromedp.Action[chromedp.Void]{pick(`#surveys-margins`, "census"), click(css(`#surveys-unheard-load`))},
			`document.querySelector('#surveys-unheard-list')`},
		{"the census's unheard groups still shown after the held answer arrived", nil,
			`window.__heldDone && document.querySelector('#surveys-unheard-list') && !document.querySelector('#surveys-unheard .error')`},
	})
	if places, err := placesOf(ctx, `#surveys-unheard-load`); err != nil || len(places) != 1 {
		t.Errorf("the unheard groups' button was drawn at %v (top,left; %v) while it was clicked, want one place", places, err)
	}
}

// TestE2EContactsRace: the Contacts page, redrawn for a language switch,
// draws nothing once the user has gone to another page (before: its late
// answer replaced the Alerts page chosen meanwhile).
func TestE2EContactsRace(t *testing.T) {
	t.Parallel()
	s, _ := alertsContactsServer(t)
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/contacts", "")
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the Contacts page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/contacts")}, `document.querySelector('#contacts-import')`},
		{"the language switched, the contacts held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/contacts", "", holdMS), setLangJS("fr")},
			`document.documentElement.lang === 'fr'`},
		{"the Alerts page chosen before they arrive", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts")}, `document.querySelector('#alerts-list')`},
		{"the Alerts page still shown after they arrived", nil,
			`window.__heldDone && document.querySelector('main').dataset.page === 'alerts' && document.querySelector('#alerts-list') && !document.querySelector('#contacts-import')`},
	})
}

// TestE2EAlertsRace: the queue ticked back to open incidents while the
// whole queue (unticked) is on its way stays the open incidents (before:
// the late answer listed the closed incident under the ticked box), and on
// an incident a place searched while an earlier search is on its way
// keeps its places (before: the earlier places replaced them).
func TestE2EAlertsRace(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	srv, db, ch := startAlertsServer(t, "rex.e2e", auth.Responder, nil)
	postSMS(t, srv, ch, "+243812345678", "Men with guns near the school", "r-1")
	postSMS(t, srv, ch, "+243812345679", "Houses burning at the market", "r-2")
	for _, st := range []alerts.Status{alerts.False, alerts.Closed} {
		if _, err := db.UpdateIncident(ctx0, "test", 1, alerts.Update{Status: &st}, time.Now()); err != nil {
			t.Fatalf("incident 1 to %s: %v", st, err)
		}
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	search := func(q string) chromedp.Action[chromedp.Void] {
		return evalJS(`(document.querySelector('#alerts-loc-q').value = '` + q + `', document.querySelector('#alerts-loc-go').click(), true)`)
	}
	hits := `document.querySelector('#alerts-loc-results').textContent`
	openOnly := `document.querySelector('#alerts-open').checked && document.querySelector('#alerts-list a[data-inc="2"]') && !document.querySelector('#alerts-list a[data-inc="1"]')`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		// Once the stream has said hello its reload is asked: the next queue asked for is the test's.
		{"the queue of open incidents, live", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts")},
			openOnly + ` && document.querySelector('#alerts-mode')?.dataset.mode === 'stream'`},
		{"the box unticked, the whole queue held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/alerts/incidents", "", holdMS), click(css(`#alerts-open`))},
			`!document.querySelector('#alerts-open').checked`},
		{"the box ticked again before it arrives", []chromedp.Action[chromedp.Void]{click(css(`#alerts-open`))}, openOnly},
		{"the open incidents still listed after it arrived", nil, `window.__heldDone && ` + openOnly},
		{"an incident", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts/incident/2")}, `document.querySelector('#alerts-loc-q')`},
		{"a place searched, the answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/places/search", "", holdMS), search("Kinshasa")}, `true`},
		{"another place searched before it arrives", []chromedp.Action[chromedp.Void]{search("Goma")}, hits + `.includes('Goma')`},
		{"its places still listed after the held answer arrived", nil, `window.__heldDone && ` + hits + `.includes('Goma') && !` + hits + `.includes('Kinshasa')`},
	})
}

// TestE2EAdminRace: on the audit log, a filter asked for while an earlier
// filter's records are on their way stays shown (before: the earlier
// answer, no record, replaced the newer filter's records); on the
// gazetteer tab, a place searched while an earlier search is on its way
// keeps its places (before: the earlier places replaced them).
func TestE2EAdminRace(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, 1280, 900)
	filter := func(action string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{evalJS(`(document.querySelector('#admin-audit-action').value = '` + action + `', true)`), click(css(`#admin-audit-form button[type=submit]`))}
	}
	search := func(q string) chromedp.Action[chromedp.Void] {
		return evalJS(`(document.querySelector('#admin-places-q').value = '` + q + `', document.querySelector('#admin-places-find').requestSubmit(), true)`)
	}
	hits := `document.querySelector('#admin-places-find').nextElementSibling.textContent`
	records := `document.querySelectorAll('#admin-audit tbody tr').length > 0 && !document.querySelector('#admin-body .empty')`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the audit log", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin?tab=audit")}, records},
		{"a filter no record matches, its answer held back", append([]chromedp.Action[chromedp.Void]{holdFirst("/api/v1/audit", "", holdMS)}, filter("nothing.such")...),
			`!document.querySelector('#admin-audit')`},
		{"every record asked for before it arrives", filter(""), records},
		{"the records still shown after it arrived", nil, `window.__heldDone && ` + records},
		{"the gazetteer tab", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin?tab=places")}, `document.querySelector('#admin-places-info')`},
		{"a place searched, the answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/places/search", "", holdMS), search("Kinshasa")}, `true`},
		{"another place searched before it arrives", []chromedp.Action[chromedp.Void]{search("Goma")}, hits + `.includes('Goma')`},
		{"its places still listed after the held answer arrived", nil, `window.__heldDone && ` + hits + `.includes('Goma') && !` + hits + `.includes('Kinshasa')`},
	})
}

// TestE2ECoverageTryRace: on the Coverage planner, the TOB moved again
// while its earlier place's gain is on its way shows the newer place's
// gain (before: the earlier answer replaced it, naming a place the TOB
// had left).
func TestE2ECoverageTryRace(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/coverage", "")
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the planner with its gap list", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/coverage")}, `document.querySelectorAll('.coverage-gaps tbody tr').length > 0`},
		{"the TOB put on the map's left, its gain held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/coverage/try", "", holdMS), coverageMapAt(0.35)}, `true`},
		{"the TOB moved right before it arrives", []chromedp.Action[chromedp.Void]{coverageMapAt(0.65)},
			`(window.__tryB = document.querySelector('.coverage-try p')?.textContent || '').includes('would newly cover')`},
		{"the gain of the TOB's place still shown after it arrived", nil,
			`window.__heldDone && document.querySelector('.coverage-try p')?.textContent === window.__tryB`},
	})
}

// TestE2EPerformanceRace: the Performance page left while it loads draws
// nothing over the page chosen (before: it replaced the Administration
// page), and on the page a value asked for while an earlier one is on its
// way stays shown (before: the earlier answer replaced it).
func TestE2EPerformanceRace(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, 1280, 900)
	indicator := func(id string) chromedp.Action[chromedp.Void] {
		return evalJS(`(() => { const s = document.querySelector('#perf-v-ind'); s.value = '` + id + `'; s.dispatchEvent(new Event('change')); return s.value === '` + id + `'; })()`)
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the Administration page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin")}, `document.querySelector('#admin-body table')`},
		{"the Performance page asked for, its frameworks held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/performance/frameworks", "", holdMS), navigate(srv.URL + "/#/performance")},
			`document.querySelector('main').dataset.page === 'performance'`},
		{"the Administration page chosen again before they arrive", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin")}, `document.querySelector('#admin-body table')`},
		{"the Administration page still shown after they arrived", nil,
			`window.__heldDone && document.querySelector('main').dataset.page === 'admin' && document.querySelector('#admin-body table') && !document.querySelector('#perf-controls')`},
		{"the Performance page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/performance")}, `document.querySelector('#perf-status') && document.querySelector('#perf-v-ind option[value="events"]') && document.querySelector('#perf-v-ind option[value="civilian-deaths"]')`},
		{"a value asked for, held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/performance/value", "", holdMS), indicator("events"), click(css(`#perf-panel-indicators form.form-row button[type=submit]`))},
			`document.querySelector('#perf-v-out')?.textContent !== ''`},
		{"another indicator's value asked for before it arrives", []chromedp.Action[chromedp.Void]{indicator("civilian-deaths"), click(css(`#perf-panel-indicators form.form-row button[type=submit]`))},
			`(window.__valueB = document.querySelector('#perf-v-out .perf-value')?.textContent || '') !== ''`},
		{"that value still shown after the held one arrived", nil,
			`window.__heldDone && document.querySelector('#perf-v-out .perf-value')?.textContent === window.__valueB`},
	})
}

// TestE2EMapRace: on the map, a risk cell clicked while an earlier cell's
// explanation is on its way keeps its popup, and a place searched while
// an earlier search is keeps its places (before: the earlier answer
// replaced them).
func TestE2EMapRace(t *testing.T) {
	t.Parallel()
	chromiumPath(t) // skips without a browser (fails in CI)
	ctx := openRiskLayer(t, riskForecastStore(t))
	cell := func(i string) chromedp.Action[chromedp.Void] {
		return evalJS(`(() => { const ps = document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive'); const p = ps[` + i + `]; const r = p.getBoundingClientRect();
			p.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 })); return true; })()`)
	}
	search := func(q string) chromedp.Action[chromedp.Void] {
		return evalJS(`(document.querySelector('#place-q').value = '` + q + `', document.querySelector('#place-search').requestSubmit(), true)`)
	}
	title := `document.querySelector('.leaflet-popup .risk-cell h3')?.textContent`
	hits := `document.querySelector('#place-hits')?.textContent`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the risk cells drawn", nil, `document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length > 50`},
		{"a cell clicked, its explanation held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/risk/cell/", "", holdMS), cell("0")}, `true`},
		{"another cell clicked before it arrives", []chromedp.Action[chromedp.Void]{cell("ps.length - 1")}, `(window.__cellB = ` + title + ` || '') !== ''`},
		{"that cell's explanation still shown after the held one arrived", nil, `window.__heldDone && ` + title + ` === window.__cellB`},
		{"a place searched, the answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/places/search", "", holdMS), search("Kinshasa")}, `true`},
		{"another place searched before it arrives", []chromedp.Action[chromedp.Void]{search("Goma")}, hits + `?.includes('Goma')`},
		{"its places still listed after the held answer arrived", nil, `window.__heldDone && ` + hits + `.includes('Goma') && !` + hits + `.includes('Kinshasa')`},
	})
}

// TestE2EVerifyRace: on the Verify page, two changes saved in quick
// succession show both once their reloads have come (before: the first
// change's reload, answered before the second change and handed over
// last, drew the narrative without the second change).
func TestE2EVerifyRace(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, 1280, 900)
	submit := func(form, input, value string) chromedp.Action[chromedp.Void] {
		return evalJS(`(document.querySelector('#` + input + `').value = '` + value + `', document.querySelector('#` + form + `').requestSubmit(), true)`)
	}
	noted := `document.querySelector('#verify-log')?.textContent.includes('Second step noted') && document.querySelector('#verify-assignee')?.textContent === '` + srv.User + `'`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the Verify page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/verify")}, `document.querySelector('#verify-narrative')?.options.length > 1`},
		{"a narrative opened", []chromedp.Action[chromedp.Void]{evalJS(`(() => { const s = document.querySelector('#verify-narrative'); s.value = s.options[1].value; s.form.requestSubmit(); return true; })()`)},
			`document.querySelector('#verify-note')`},
		{"an assignee saved, its reload's answer held back", []chromedp.Action[chromedp.Void]{holdAnswer("/check", "", "GET", holdMS), submit("verify-assign", "verify-assignee-in", srv.User)},
			`window.__heldAsked && !window.__heldDone`},
		{"a note saved before it arrives", []chromedp.Action[chromedp.Void]{submit("verify-note", "verify-note-in", "Second step noted")}, noted},
		{"both still shown after the held reload arrived", nil, `window.__heldDone && ` + noted},
	})
}

// TestE2EAlertsIncidentLangRace: an incident page switched to French while
// its live update's answer is on its way stays live (before: the late
// answer drew the incident over the page's newer drawing, which then drew
// nothing and did not start its live updates: a new alert was no longer
// shown).
func TestE2EAlertsIncidentLangRace(t *testing.T) {
	t.Parallel()
	srv, _, ch := startAlertsServer(t, "rex.e2e", auth.Responder, nil)
	sms := func(id string) { postSMS(t, srv, ch, "+243812345678", "Armed men at 1.5625, 30.2484", id) }
	sms("r-1")
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	// track counts the incident's requests on their way (until their answer
	// is read), holds the next ones window.__holds[i] ms each, and counts
	// the event streams' hellos: once __hello has grown and __inflight is
	// 0, the page's live updates run and have read the incident.
	track := evalJS(`(() => { const f = window.fetch; Object.assign(window, { __inflight: 0, __holds: [], __heldStarted: 0, __heldDone: 0, __hello: 0 });
		window.fetch = (u, o) => {
			if (!String(u).includes('/api/v1/alerts/incidents/1?')) return f(u, o);
			const ms = window.__holds.shift();
			const held = ms !== undefined;
			window.__inflight++;
			if (held) window.__heldStarted++;
			(window.__log = window.__log || []).push('fetch ' + (held ? ms : ''));
			const settle = () => { window.__inflight--; window.__log.push('read'); if (held) window.__heldDone++; };
			return (held ? new Promise((r) => setTimeout(r, ms)).then(() => f(u, o)) : f(u, o)).then((res) => {
				const text = res.text.bind(res);
				res.text = () => text().finally(settle);
				return res;
			}, (e) => { settle(); throw e; });
		};
		const ES = window.EventSource;
		window.EventSource = class extends ES { constructor(...a) { super(...a); this.addEventListener('hello', () => { window.__hello++; (window.__log = window.__log || []).push('hello'); }); } };
		return true; })()`)
	alerts := func(n int) string {
		return `document.querySelectorAll('.alerts-alerts > li').length === ` + strconv.Itoa(n)
	}
	page := `JSON.stringify({ hello: window.__hello, inflight: window.__inflight, heldStarted: window.__heldStarted, heldDone: window.__heldDone, log: window.__log }) + ' ' + (document.querySelector('main')?.innerText || '')`
	runSteps(t, ctx, page, []e2eStep{
		{"the queue with the incident", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts")}, `document.querySelector('#alerts-list a[data-inc="1"]')`},
		{"the incident, live", []chromedp.Action[chromedp.Void]{track, navigate(srv.URL + "/#/alerts/incident/1")},
			alerts(1) + ` && window.__hello === 1 && window.__inflight === 0`},
		{"the next two answers to be held back", []chromedp.Action[chromedp.Void]{evalJS(`(window.__holds = [1500, 4000], true)`)}, `true`},
	})
	sms("r-2")
	runSteps(t, ctx, page, []e2eStep{
		{"a second alert: the live update's answer held back", nil, `window.__heldStarted === 1`},
		{"French chosen before it arrives (its incident held back longer)", []chromedp.Action[chromedp.Void]{setLangJS("fr")},
			`window.__heldStarted === 2`},
		{"the French incident, live again, after both arrived", nil,
			`window.__heldDone === 2 && document.documentElement.lang === 'fr' && ` + alerts(2) + ` && window.__hello === 2 && window.__inflight === 0`},
	})
	sms("r-3")
	runSteps(t, ctx, page, []e2eStep{{"a third alert shown live", nil, alerts(3)}})
}

// TestE2EMapDetailRace: on the map, an event clicked while an earlier
// event's detail is on its way keeps the panel (before: the earlier
// event's detail replaced it). The two events are ones alone at their
// coordinates, each clicked on its own marker at zoom 14.
func TestE2EMapDetailRace(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	// Two events alone at their coordinates (none other within 0.01°), as window.__evs.
	pick := evalJS(`(async () => {
		const fc = await (await fetch('/api/v1/events?limit=200')).json();
		const evs = [];
		for (const f of fc.features || []) {
			const [lon, lat] = f.geometry.coordinates;
			const near = await (await fetch('/api/v1/events?limit=2&bbox=' + [lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01].join(','))).json();
			if ((near.features || []).length === 1) evs.push({ id: String(f.id), lat, lon });
			if (evs.length === 2) break;
		}
		window.__evs = evs;
	})(), true`)
	marker := func(i string) string {
		return `document.querySelector('#map .cluster[data-event-id="' + window.__evs[` + i + `].id + '"]')`
	}
	zoom := func(i string) chromedp.Action[chromedp.Void] {
		return evalJS(`(Vigil.map.setView([window.__evs[` + i + `].lat, window.__evs[` + i + `].lon], 14, { animate: false }), true)`)
	}
	click := func(i string) chromedp.Action[chromedp.Void] { return evalJS(`(` + marker(i) + `.click(), true)`) }
	shown := `document.querySelector('#detail dl') && document.querySelector('#detail').textContent`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"two events alone at their place", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/map"), pick}, `window.__evs?.length === 2`},
		{"the map on the first", []chromedp.Action[chromedp.Void]{zoom("0")}, marker("0")},
		{"it clicked, its detail held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/events/", "", holdMS), click("0")}, `window.__heldAsked`},
		{"the map on the second", []chromedp.Action[chromedp.Void]{zoom("1")}, marker("1")},
		{"it clicked before the first's detail arrives", []chromedp.Action[chromedp.Void]{click("1")}, `(window.__detailB = ` + shown + ` || '') !== ''`},
		{"its detail still shown after the first's arrived", nil, `window.__heldDone && ` + shown + ` === window.__detailB`},
	})
}

// TestE2EAuditMoreRace: on the audit log, a new filter hides the earlier
// filter's More at once, until its own records come (before: More stayed
// while they were on their way, and its next page, asked meanwhile, was
// listed under the new filter, its answer, the newest, dropping the new
// filter's).
func TestE2EAuditMoreRace(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	for i := 0; i < 120; i++ { // more than a page of 100
		if err := srv.DB.Audit(context.Background(), srv.DB.SQL, audit.Entry{Actor: "test", Action: "test.page", Object: "row:" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, 1280, 900)
	more := `document.querySelector('#admin-audit-more')`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the audit log's first page, with More", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin?tab=audit")},
			`document.querySelectorAll('#admin-audit tbody tr').length === 100 && !` + more + `.hidden`},
		// What More shows just after the new filter is sent, before any answer can have come.
		{"a filter no record matches sent: More hidden at once", []chromedp.Action[chromedp.Void]{evalJS(`(document.querySelector('#admin-audit-action').value = 'nothing.such',
			document.querySelector('#admin-audit-form').requestSubmit(), window.__moreHidden = ` + more + `.hidden, true)`)},
			`window.__moreHidden === true`},
		{"no record, and no More, once its answer came", nil, `document.querySelector('#admin-body .empty') && ` + more + `.hidden`},
	})
}

// TestE2EAdminPlaceSearchFailureRace: on the gazetteer tab, a place
// searched while an earlier search that fails is on its way keeps its
// places (before: the earlier search's refusal, answered last, replaced
// them).
func TestE2EAdminPlaceSearchFailureRace(t *testing.T) {
	t.Parallel()
	srv := startFullServer(t)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, 1280, 900)
	search := func(q string) chromedp.Action[chromedp.Void] {
		b, _ := json.Marshal(q)
		return evalJS(`(document.querySelector('#admin-places-q').value = ` + string(b) + `, document.querySelector('#admin-places-find').requestSubmit(), true)`)
	}
	hits := `document.querySelector('#admin-places-find').nextElementSibling`
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the gazetteer tab", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin?tab=places")}, `document.querySelector('#admin-places-info')`},
		{"a search the server refuses (over 200 bytes), its answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/places/search", "", holdMS), search(strings.Repeat("Goma ", 41))},
			`window.__heldAsked`},
		{"Goma searched before it arrives", []chromedp.Action[chromedp.Void]{search("Goma")}, hits + `.textContent.includes('Goma')`},
		{"Goma's places still listed after the refusal arrived", nil,
			`window.__heldDone && document.querySelector('#admin-places-hits')?.textContent.includes('Goma') && !` + hits + `.querySelector('.error, .notice')`},
	})
}

// TestE2ECoverageCellsRace: on the Coverage planner, the cells the
// optimiser's plan gains, drawn while the TOB's gain is on its way, stay on
// the map once that gain has come (before: the TOB's gained cells,
// answered last, replaced them beside the plan's figures).
func TestE2ECoverageCellsRace(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	cells := func(colour string) string {
		return `document.querySelectorAll('#coverage-map path[stroke="` + colour + `"]').length`
	}
	planned, tried := cells("#6a51a3"), cells("#238b45")
	runSteps(t, ctx, `JSON.stringify({ planned: `+planned+`, tried: `+tried+` }) + ' ' + (document.querySelector('main')?.innerText || '')`, []e2eStep{
		{"the planner with its gap list", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/coverage")}, `document.querySelectorAll('.coverage-gaps tbody tr').length > 0`},
		{"the TOB put on the map, its gain held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/coverage/try", "", holdMS), coverageMapAt(0.5)}, `window.__heldAsked`},
		// The plan draws its sites and gained cells in its colour.
		{"a plan computed before it arrives: drawn on the map", []chromedp.Action[chromedp.Void]{evalJS(`(document.querySelector('#coverage-plan-btn').click(), true)`)},
			planned + ` > 0`},
		{"the plan's cells still drawn after the TOB's gain arrived", nil,
			`window.__heldDone && document.querySelector('.coverage-try p') && ` + planned + ` > 0 && ` + tried + ` === 0`},
	})
}

// coverageMapAt clicks the Coverage planner's map at a share x of its
// width, mid-height.
func coverageMapAt(x float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		r, err := chromedp.Evaluate[[]float64](`(() => { const m = document.querySelector('#coverage-map'); m.scrollIntoView({ block: 'center' }); const r = m.getBoundingClientRect(); return [r.left + r.width * `+strconv.FormatFloat(x, 'f', 2, 64)+`, r.top + r.height / 2]; })()`)(ctx, tg)
		if err != nil {
			return err
		}
		_, err = chromedp.MouseClickXY(r[0], r[1])(ctx, tg)
		return err
	})
}
