package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EPerformanceWatchWords: the withdrawal watch says what it found in
// plain words for leadership (on the demo's real withdrawals the mean
// difference-in-differences's interval holds zero: no measurable change),
// its difference-in-differences for analysts in a details element, on the
// page and in the printable brief, in English and French, axe clean.
func TestE2EPerformanceWatchWords(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-watch-words-")
	ctx, wait, done := b.ctx, b.wait, b.done
	axe := axeCheck(t, ctx)
	saveDemoDeployments(t, srv.DB)
	for _, c := range []struct{ lang, words, analysts, did, brief string }{
		{"en", "No measurable change in civilian deaths after the mission's withdrawals", "Figures for analysts", "Difference-in-differences", "withdrawals compared with similar places where the mission stayed"},
		{"fr", "Aucun changement mesurable des décès de civils après les retraits de la mission", "Chiffres pour les analystes", "Double différence", "comparés à des lieux semblables où la mission est restée"},
	} {
		if err := openIn(ctx, srv.URL+"/#/performance?tab=watch", c.lang); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" watch", `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-watch-words') && document.querySelector('#perf-watch-did summary')`)
		got, err := js[string](ctx, `[document.querySelector('#perf-watch-words').textContent, document.querySelector('#perf-watch-did summary').textContent, document.querySelector('#perf-watch-did').open, document.querySelector('#perf-watch-did p').textContent, document.querySelector('#perf-watch-words').compareDocumentPosition(document.querySelector('#perf-watch-did')) & Node.DOCUMENT_POSITION_FOLLOWING].join('|')`)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(got, "|")
		if len(parts) != 5 || !strings.HasPrefix(parts[0], c.words) || parts[1] != c.analysts || parts[2] != "false" || !strings.HasPrefix(parts[3], c.did) || parts[4] == "0" {
			t.Errorf("%s: the watch says %q; want it to lead with %q, then %q closed with %q", c.lang, got, c.words, c.analysts, c.did)
		}
		axe(c.lang + " watch words")
		brief, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/brief?month=2018-12&lang=`+c.lang+`').then((r) => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{c.words, c.brief, "<details class=\"analysts\"><summary>" + c.analysts + "</summary>"} {
			if !strings.Contains(strings.ReplaceAll(brief, "&#39;", "'"), want) {
				t.Errorf("%s: the brief has no %q", c.lang, want)
			}
		}
		if strings.Contains(brief, "DiD") {
			t.Errorf("%s: the brief says DiD", c.lang)
		}
	}
	done("watch words")
}
