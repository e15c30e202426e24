package web_test

import (
	"testing"
)

// TestE2EPerformanceNoTarget: the monthly review (period 2018-12) of the
// demo framework, whose targets are yearly, showed « cannot tell yet » on
// every row — the words for a value too uncertain to judge — when what is
// missing is a target for the month. Such a row's badge now says « no
// target » / « pas de cible »; a row with a target keeps its status.
func TestE2EPerformanceNoTarget(t *testing.T) {
	srv, b := newPerfBrowser(t, "performance-no-target-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	badge := func(id string) string {
		return `document.querySelector('#perf-status tr[data-id="` + id + `"] .badge')?.textContent`
	}
	step("open", navigate(srv.URL+"/#/performance"))
	wait("status", badge("cd-caf"))
	axe := axeCheck(t, ctx)
	cases := []struct{ lang, period, want string }{
		{"en", "2018-12", "no target"},
		{"fr", "2018-12", "pas de cible"},
		{"fr", "2018", "en bonne voie"}, // 190 deaths against the 2018 target 300
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		// The language switch redraws the controls: find them when used
		// (a node looked up before the redraw is gone: "Could not find node").
		wait("controls "+c.lang, `document.documentElement.lang === '`+c.lang+`' && document.getElementById('perf-period')`)
		if _, err := js[bool](ctx, `(() => { document.getElementById('perf-period').value = '`+c.period+`'; document.querySelector('#perf-controls button[type=submit]').click(); return true; })()`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" "+c.period, badge("cd-caf")+` === `+jsString(c.want)+` && document.querySelector('#perf-status caption, #perf-status h3, #perf-status')?.textContent.includes(`+jsString(map[string]string{"2018-12": map[string]string{"en": "December 2018", "fr": "décembre 2018"}[c.lang], "2018": "2018"}[c.period])+`)`)
		axe(c.lang + " " + c.period)
	}
	done("fr")
}
