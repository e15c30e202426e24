package web_test

import (
	"testing"
)

// TestE2EPerformanceCompactIndicatorNames: on the Compacts tab a
// commitment was « measured by » cd-caf, risk-caf — the framework's ids —
// and its indicator chooser listed the same ids, with nothing saying what
// they measure. Both now give the id and the indicator's name in the
// page's language.
func TestE2EPerformanceCompactIndicatorNames(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-compact-names-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	step("compacts tab", navigate(srv.URL+"/#/performance?tab=compacts"))
	wait("compacts", `document.querySelector('tr[data-commitment="gov-1"]')`)
	axe := axeCheck(t, ctx)
	cases := []struct{ lang, gov, mis string }{
		{"en", "cd-caf — Civilian deaths from one-sided violence", "risk-caf — Share of risk within reach of a deployment"},
		{"fr", "cd-caf — Civils tués dans des violences unilatérales", "risk-caf — Part du risque à portée d’un déploiement"},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		measured := func(k string) string {
			return `document.querySelector('tr[data-commitment="` + k + `"] td.perf-k-inds')?.textContent`
		}
		wait("measured by, "+c.lang, measured("gov-1")+` === `+jsString(c.gov)+` && `+measured("mis-1")+` === `+jsString(c.mis)+
			` && document.querySelector('#perf-k-inds option[value="cd-caf"]')?.textContent === `+jsString(c.gov))
		axe("compacts, " + c.lang)
	}
	done("fr")
}
