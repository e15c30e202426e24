package web_test

import (
	"strings"
	"testing"
)

// TestE2EPerformanceWomenNoData: the women's share has no value on the demo
// data (Geo-PKO has no personnel by sex); its row says what to import and
// where, and links there, in English and French: the link opens the
// deployments import of the Administration page. Axe clean.
func TestE2EPerformanceWomenNoData(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-women-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe := axeCheck(t, ctx)
	saveDemoDeployments(t, srv.DB) // the demo's real Geo-PKO sites, without personnel by sex
	for _, c := range []struct{ lang, why, link string }{
		{"en", "women and men columns on the Administration page, tab “Import data”", "Import deployments with personnel by sex"},
		{"fr", "colonnes women et men dans la page Administration, onglet « Importer des données »", "Importer des déploiements avec le personnel par sexe"},
	} {
		if err := openIn(ctx, srv.URL+"/#/performance?tab=indicators&period=2018", c.lang); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" women row", `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-status tr[data-id="women"] .perf-reason')`)
		got, err := js[string](ctx, `(() => { const r = document.querySelector('#perf-status tr[data-id="women"]'); const a = r.querySelector('a.perf-fix'); return r.querySelector('.perf-reason').textContent + '|' + (a ? a.textContent + '|' + a.getAttribute('href') : ''); })()`)
		if err != nil {
			t.Fatal(err)
		}
		if want := "|" + c.link + "|#/admin?tab=data"; !strings.Contains(got, c.why) || !strings.HasSuffix(got, want) {
			t.Errorf("%s: the women's share's row says %q, want %q and a link %q", c.lang, got, c.why, want)
		}
		axe(c.lang + " women's share")
	}
	step("follow the link", click(css(`#perf-status tr[data-id="women"] a.perf-fix`)))
	wait("deployments import", `document.querySelector('#admin-deploy-form') && document.querySelector('#admin-deploy-columns')?.textContent.includes('women,men')`)
	done("women")
}
