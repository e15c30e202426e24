package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EPerformancePeriodURL: the period (and mission) chosen on the
// Performance page is in the address: a reload and a link show it, and Back
// returns to the period shown before, in English and French, axe clean.
func TestE2EPerformancePeriodURL(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-period-url-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, dec, nov string }{
		{"en", "December 2018", "November 2018"},
		{"fr", "décembre 2018", "novembre 2018"},
	} {
		if err := openIn(ctx, srv.URL+"/#/performance", c.lang); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" open", `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-status caption') && Vigil.params().get('period') === '2018' && Vigil.params().get('mission') === 'MINUSCA'`)
		step(c.lang+" 2018-12", chromedp.SetValue(css(`#perf-period`), "2018-12"), click(css(`#perf-controls button[type=submit]`)))
		wait(c.lang+" december", `Vigil.params().get('period') === '2018-12' && document.querySelector('#perf-status caption')?.textContent.includes('`+c.dec+`')`)
		step(c.lang+" 2018-11", chromedp.SetValue(css(`#perf-period`), "2018-11"), click(css(`#perf-controls button[type=submit]`)))
		wait(c.lang+" november", `Vigil.params().get('period') === '2018-11' && document.querySelector('#perf-status caption')?.textContent.includes('`+c.nov+`')`)
		// Back: the period before, in the address, the field and the table.
		if _, err := js[bool](ctx, `(history.back(), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" back", `Vigil.params().get('period') === '2018-12' && document.querySelector('#perf-period')?.value === '2018-12' && document.querySelector('#perf-status caption')?.textContent.includes('`+c.dec+`')`)
		// Another tab keeps the period in the address; a reload shows it.
		step(c.lang+" watch tab", click(css(`#perf-tab-watch`)))
		wait(c.lang+" watch", `Vigil.params().get('tab') === 'watch' && Vigil.params().get('period') === '2018-12'`)
		step(c.lang+" reload", chromedp.Reload())
		wait(c.lang+" reloaded", `document.querySelector('#perf-tab-watch')?.getAttribute('aria-selected') === 'true' && document.querySelector('#perf-period')?.value === '2018-12' && document.querySelector('#perf-status caption')?.textContent.includes('`+c.dec+`')`)
		// A link to a period opens it.
		step(c.lang+" link", navigate(srv.URL+"/#/map"), navigate(srv.URL+"/#/performance?tab=indicators&mission=MINUSCA&period=2018-11"))
		wait(c.lang+" link shown", `document.querySelector('#perf-period')?.value === '2018-11' && document.querySelector('#perf-status caption')?.textContent.includes('`+c.nov+`')`)
		axe(c.lang + " period in the address")
	}
	done("period")
}
