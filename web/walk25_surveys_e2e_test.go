package web_test

import (
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/vigil-project/vigil/auth"
	"strings"
	"testing"
)

// The defects found by walking the demo in French as a protection adviser
// on the Surveys and Performance pages (walk 25), each checked where it was
// seen.

// captionsInFrameJS lists the table captions on the page whose words run
// past their frame's visible box (a .table-wrap, Vigil.scrollTable), before
// and after the frame is scrolled sideways; ” when all are within.
const captionsInFrameJS = `(async () => {
  const frames = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  const wrong = [];
  const caps = [...document.querySelectorAll('main .table-wrap > table > caption')].filter((c) => c.getClientRects().length);
  if (!caps.length) return 'no caption in a frame';
  for (const when of ['unscrolled', 'scrolled']) {
    if (when === 'scrolled') { for (const c of caps) { const f = c.closest('.table-wrap'); f.scrollLeft = f.scrollWidth; } await frames(); }
    for (const cap of caps) {
      const frame = cap.closest('.table-wrap'), f = frame.getBoundingClientRect(), c = cap.getBoundingClientRect();
      const left = f.left + frame.clientLeft, right = left + frame.clientWidth;
      const r = document.createRange(); r.selectNodeContents(cap); const words = r.getBoundingClientRect();
      if (c.right > right + 1 || c.left < left - 1 || words.right > right + 1 || words.left < left - 1)
        wrong.push(when + ': « ' + cap.textContent.slice(0, 40) + '… » spans ' + Math.round(Math.min(c.left, words.left)) + '–' + Math.round(Math.max(c.right, words.right)) + ' px, its frame shows ' + Math.round(left) + '–' + Math.round(right) + ' (frame ' + frame.offsetWidth + '/' + frame.clientWidth + ' px, caption max-width ' + getComputedStyle(cap).maxWidth + ', width ' + getComputedStyle(cap).width + ', table ' + cap.parentElement.offsetWidth + ')');
    }
  }
  return wrong.join('; ');
})()`

// TestE2EWalk25Captions: at 390 px, a long table caption on the Surveys and
// Performance pages is read within its frame's visible box, the table
// scrolled sideways or not (it was as wide as its table and cut at the
// frame's edge: « Font beaucoup ou assez confiance à la mission … »,
// « MINUSCA : valeurs pour 2018 par ra… »).
func TestE2EWalk25Captions(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startFullServer(t)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, narrowWidth, 844)
	for _, p := range []struct{ route, ready string }{
		{"/#/surveys", `!!document.querySelector('#surveys-estimates caption') && !document.querySelector('#surveys-page-loading')`},
		{"/#/performance?tab=indicators&period=2018", `!!document.querySelector('#perf-status caption')?.textContent.includes('2018')`},
	} {
		if err := openIn(ctx, srv.URL+p.route, "fr"); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === 'fr' && `+p.ready, stepWait); err != nil {
			t.Fatalf("%s: %v", p.route, err)
		}
		got, err := jsAwait[string](ctx, captionsInFrameJS)
		if err != nil {
			t.Fatal(err)
		}
		if got != "" {
			t.Errorf("%s at %d px: %s", p.route, narrowWidth, strings.ReplaceAll(got, "; ", "\n\t"))
		}
	}
}

// TestE2EWalk25SettingsHints: the settings panel says what each field of an
// indicator means once, not under each of the indicators (six long hints
// repeated seven times, ~40 lines), and each field keeps its description
// (aria-describedby, the shared hint); in English and French, axe clean.
func TestE2EWalk25SettingsHints(t *testing.T) {
	t.Parallel()
	srv, b, sb := newSettingsBrowser(t, "walk25-hints-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	step("surveys page", navigate(srv.URL+"/#/surveys"))
	wait("estimates", `document.querySelector('#surveys-indicator option')`)
	sb.click(`#surveys-settings summary`)
	wait("indicators shown", `document.querySelectorAll('#surveys-set-inds fieldset.surveys-set-ind').length > 2`)
	for _, lang := range []string{"en", "fr"} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("lang "+lang, `document.documentElement.lang === '`+lang+`' && document.getElementById('surveys-set-ind-0-id')`)
		got, err := js[string](ctx, `(() => {
		  const wrong = [], panel = document.getElementById('surveys-settings');
		  for (const key of ['id', 'label', 'labelFR', 'field', 'values', 'missing']) {
		    const hint = Vigil.t('surveys.set.ind.' + key + 'Hint');
		    const shown = [...panel.querySelectorAll('*')].filter((e) => e.children.length === 0 && e.textContent === hint);
		    if (shown.length !== 1) wrong.push(key + ': its hint is written ' + shown.length + ' times');
		  }
		  for (const input of document.querySelectorAll('#surveys-set-inds input[type=text]')) {
		    const m = /^surveys-set-ind-\d+-(\w+)$/.exec(input.id), key = { label_fr: 'labelFR' }[m[1]] || m[1];
		    const said = (input.getAttribute('aria-describedby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ');
		    if (!said.includes(Vigil.t('surveys.set.ind.' + key + 'Hint'))) wrong.push(input.id + ' is described as « ' + said + ' »');
		  }
		  return wrong.join('; ');
		})()`)
		if err != nil || got != "" {
			t.Errorf("%s: %s (%v)", lang, strings.ReplaceAll(got, "; ", "\n\t"), err)
		}
		sb.axe("hints " + lang)
	}
	done("hints")
}

// TestE2EWalk25FormMargins: the margins chooser's first choice (the margins
// in the form's settings) names the set it stands for; it said « Totaux de
// population donnés dans le formulaire, pour pondérer les réponses » whatever
// the set. In English and French, before and after the settings name one.
func TestE2EWalk25FormMargins(t *testing.T) {
	t.Parallel()
	srv, b, sb := newSettingsBrowser(t, "walk25-margins-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	step("surveys page", navigate(srv.URL+"/#/surveys"))
	wait("margins", `document.querySelector('#surveys-margins option[value="census"]') && document.querySelector('#surveys-indicator option')`)
	first := `document.querySelector('#surveys-margins option[value=""]').textContent`
	none, _ := js[string](ctx, first)
	if strings.Contains(none, "census") {
		t.Errorf("no margins in the settings: the first choice reads %q", none)
	}
	sb.click(`#surveys-settings summary`)
	wait("settings", `document.querySelector('#surveys-set-margins option[value="census"]')`)
	sb.set("surveys-set-margins", "census")
	sb.click(`#surveys-set-save`)
	for _, c := range []struct{ lang, want string }{{"en", "The form’s margins: census"}, {"fr", "Les marges du formulaire\u00a0: census"}} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("lang "+c.lang, `document.documentElement.lang === '`+c.lang+`'`)
		if err := poll(ctx, first+` === `+jsString(c.want), stepWait); err != nil {
			got, _ := js[string](ctx, first)
			t.Errorf("%s: the first choice reads %q, want %q", c.lang, got, c.want)
		}
	}
	done("margins")
}

// TestE2EWalk25SurveyTooltip: a cell of the map's survey layer names its
// place (the nearest notable place, as the risk layer says it: « près
// d’Afgooye, Bas-Shabelle (Somalie) ») and says its count in words
// (« 12 personnes interrogées », plural by the count); it said
// « indicateur : 57 % (…), n=12 ». In French and English, on the demo.
func TestE2EWalk25SurveyTooltip(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "analyst.walk25", "correct horse battery"
	srv := startDemoServer(t, user, auth.Analyst, pw)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768)
	for _, c := range []struct{ lang, label, count string }{
		{"fr", "label_fr", `\d+ personnes? interrogées?\)?$`},
		{"en", "label", `\d+ respondents?\)?$`},
	} {
		if err := openIn(ctx, srv.URL+"/#/map", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && !!Vigil.map && !!document.getElementById('layer-surveys')`, stepWait); err != nil {
			t.Fatal(err)
		}
		if _, err := js[bool](ctx, `(document.getElementById('layer-surveys').checked || document.getElementById('layer-surveys').click(), true)`); err != nil {
			t.Fatal(err)
		}
		const tips = `(() => { const out = []; Vigil.map.eachLayer((l) => { if (l instanceof L.Rectangle && l.getTooltip()) { const c = l.getBounds().getCenter(); out.push({ lat: c.lat, lon: c.lng, tip: l.getTooltip().getContent().textContent }); } }); return out; })()`
		if err := poll(ctx, tips+`.length > 0`, stepWait); err != nil {
			t.Fatalf("%s: no survey cell drawn: %v", c.lang, err)
		}
		got, err := jsAwait[string](ctx, `(async () => {
		  const wrong = [];
		  let named = 0;
		  for (const x of `+tips+`) {
		    const p = (await Vigil.api('/api/v1/places/label', { query: { lat: x.lat.toFixed(4), lon: x.lon.toFixed(4) } })).place;
		    if (p) { named++; if (!x.tip.includes(p.`+c.label+`)) wrong.push('« ' + x.tip + ' » does not name « ' + p.`+c.label+` + ' »'); }
		    if (/n=/.test(x.tip) || !new RegExp(`+jsString(c.count)+`).test(x.tip)) wrong.push('« ' + x.tip + ' » does not say its count in words');
		  }
		  if (!named) wrong.push('no cell near a place: too few to tell');
		  return wrong.slice(0, 5).join('; ');
		})()`)
		if err != nil || got != "" {
			t.Errorf("%s: %s (%v)", c.lang, strings.ReplaceAll(got, "; ", "\n\t"), err)
		}
	}
}

// intervalsOnOneLineJS lists the Performance tables' intervals (« 190–207
// [164 ; 237] ») whose bracketed part, or low–high range, is broken over two
// lines; ” when none is, 'none' when there is no interval.
const intervalsOnOneLineJS = `(() => {
  const wrong = []; let seen = 0;
  for (const td of document.querySelectorAll('#perf-status td, .perf-by-table td')) {
    const text = td.textContent, open = text.indexOf('['), close = text.indexOf(']');
    if (open < 0 || close < open) continue;
    seen++;
    // A Range from character a to b of the cell's text (its text nodes in order).
    const range = (a, b) => {
      const r = document.createRange(), w = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      let at = 0, n;
      while ((n = w.nextNode())) {
        const len = n.data.length;
        if (a >= at && a <= at + len && !r.__start) { r.setStart(n, a - at); r.__start = true; }
        if (b >= at && b <= at + len) { r.setEnd(n, b - at); break; }
        at += len;
      }
      return r;
    };
    const lines = (r) => new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
    const m = /\d[\d\s\u00a0\u202f,.]*–[\d\s\u00a0\u202f,.]*\d(?=\s*\[)/.exec(text);
    if (lines(range(open, close + 1)) > 1 || (m && lines(range(m.index, m.index + m[0].length)) > 1)) wrong.push('« ' + text + ' » is broken over lines');
  }
  return seen ? wrong.join('; ') : 'none';
})()`

// TestE2EWalk25PerformanceWords: on the French Performance page at 1366 px,
// an interval is kept on one line (« 190–207 [164 ; 237] » wrapped inside
// its brackets); the period's hint says a run of months in words (it was
// « 2019-01..2019-06 »); one value's interval method and its sources'
// fingerprints are said in plain words, the technical text kept in a title
// (« Poisson exact à 95 % (Garwood) », « sha256 6f18… »).
func TestE2EWalk25PerformanceWords(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "walk25-perf-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe := axeCheck(t, ctx)
	saveDemoDeployments(t, srv.DB)
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1366, Height: 768, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, hint, plain string }{
		{"en", "January to June 2019", "95% range"},
		{"fr", "de janvier à juin 2019", "fourchette à 95"},
	} {
		if err := openIn(ctx, srv.URL+"/#/performance?tab=indicators&period=2018", c.lang); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" open", `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-status caption')?.textContent.includes('2018') && document.querySelector('#perf-status tbody td')`)
		if got, err := js[string](ctx, intervalsOnOneLineJS); err != nil || got != "" {
			t.Errorf("%s: intervals: %s (%v)", c.lang, strings.ReplaceAll(got, "; ", "\n\t"), err)
		}
		hint, _ := js[string](ctx, `document.querySelector('#perf-period').parentElement.querySelector('.hint')?.textContent.replace(/[\u00a0\u202f]/g, ' ') || ''`)
		if !strings.Contains(hint, c.hint) {
			t.Errorf("%s: the period's hint %q does not say %q", c.lang, hint, c.hint)
		}
		step(c.lang+" one value", chromedp.SetValue(css(`#perf-v-ind`), "civilian-deaths"), chromedp.SetValue(css(`#perf-v-area`), "CAF"),
			chromedp.SetValue(css(`#perf-v-period`), "2018"), click(css(`form:has(#perf-v-period) button[type=submit]`)))
		wait(c.lang+" provenance", `document.querySelector('#perf-v-prov') && document.querySelector('#perf-v-ci')`)
		got, err := js[string](ctx, `(() => {
		  const wrong = [], ci = document.querySelector('#perf-v-ci'), prov = document.querySelector('#perf-v-prov');
		  const said = (e) => e.textContent.replace(/[\u00a0\u202f]/g, ' ');
		  const titles = (e) => [e, ...e.querySelectorAll('[title]')].map((x) => x.getAttribute('title') || '').join(' ');
		  if (/Garwood|Poisson/.test(said(ci))) wrong.push('the interval is said as « ' + said(ci) + ' »');
		  if (!said(ci).includes(`+jsString(c.plain)+`)) wrong.push('the interval « ' + said(ci) + ' » lacks its plain words');
		  if (!/Garwood/.test(titles(ci))) wrong.push('the interval’s method is not kept in a title');
		  if (/sha256/.test(said(prov))) wrong.push('the provenance says « ' + said(prov) + ' »');
		  if (!/sha256 [0-9a-f]{64}/.test(titles(prov))) wrong.push('the sources’ sha256 are not kept in a title');
		  return wrong.join('; ');
		})()`)
		if err != nil || got != "" {
			t.Errorf("%s: one value: %s (%v)", c.lang, strings.ReplaceAll(got, "; ", "\n\t"), err)
		}
		axe(c.lang + " one value")
	}
	done("words")
}
