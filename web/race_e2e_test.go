package web_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
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
// is sent ms milliseconds late; window.__heldDone turns true 0.8 s after
// its answer (or failure) was handed to the page, time for it to draw.
func holdFirst(part, not string, ms int) chromedp.Action[chromedp.Void] {
	p, _ := json.Marshal(part)
	n, _ := json.Marshal(not)
	return evalJS(`(() => { const f = window.fetch; let held = false; window.__heldDone = false;
		const done = () => setTimeout(() => { window.__heldDone = true; }, 800);
		window.fetch = (u, o) => {
			const s = String(u);
			if (held || !s.includes(` + string(p) + `) || (` + string(n) + ` && s.includes(` + string(n) + `))) return f(u, o);
			held = true;
			return new Promise((r) => setTimeout(r, ` + strconv.Itoa(ms) + `)).then(() => f(u, o)).then((res) => { done(); return res; }, (e) => { done(); throw e; });
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
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, []e2eStep{
		{"the Responsiveness page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/responsiveness")}, `document.querySelector('#resp-summary')`},
		{"a period with no onset asked for, its answer held back", []chromedp.Action[chromedp.Void]{holdFirst("/api/v1/coverage/responsiveness", "", holdMS),
			chromedp.SetValue(css(`#resp-from`), "1990-01"), chromedp.SetValue(css(`#resp-to`), "1990-02"), chromedp.Click(css(`#resp-go`))},
			`!document.querySelector('#resp-summary')`},
		{"another period asked for before it arrives", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(css(`#resp-from`), "2010-01"), chromedp.SetValue(css(`#resp-to`), "2012-12"), chromedp.Click(css(`#resp-go`))},
			`document.querySelector('#resp-summary')?.textContent.includes('January 2010')`},
		{"that period's report still shown after the held answer arrived", nil,
			`window.__heldDone && document.querySelector('#resp-summary')?.textContent.includes('January 2010') && !document.querySelector('#resp-out .empty')`},
	})
}
