package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// core390JS puts, at the end of a page's main, what the walk of the demo
// in French at 390 px found drawn wrong by the shared stylesheet (walk s24
// items 6, 7 and 15), and answers what is still wrong, "" when nothing:
//   - a checkbox or radio inside its label was as wide as the page, drawn
//     centred on its own line with its words under it (« Incidents ouverts
//     seulement »); a colour input too;
//   - a button after another (« Télécharger avec les balises HXL ») kept its
//     8 px left margin while as wide as the page: it went past the right
//     edge;
//   - a long table caption was as wide as its table and cut at its frame's
//     edge until the table was scrolled sideways (« Font beaucoup ou assez
//     confiance à la mission … »); it must wrap within the frame, stay in
//     view once the table is scrolled, and still name the frame.
const core390JS = `(async () => {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const main = document.querySelector('main[data-layout="page"]');
  if (!main) return 'no page layout';
  document.getElementById('c390')?.remove();
  const el = Vigil.el.bind(Vigil);
  const cols = ['Région', 'Sexe', 'Personnes interrogées', 'Beaucoup confiance', 'Assez confiance', 'Pas confiance', 'Ne sait pas', 'Intervalle à 95 %'];
  const table = el('table', { id: 'c390-table' },
    el('caption', {}, 'Font beaucoup ou assez confiance à la mission pour protéger les civils, par région et par sexe, enquête de 2018'),
    el('thead', {}, el('tr', {}, ...cols.map((c) => el('th', {}, c)))),
    el('tbody', {}, el('tr', {}, ...cols.map(() => el('td', { class: 'num' }, '12 345,6')))));
  main.append(el('section', { id: 'c390' },
    el('p', {}, el('label', { id: 'c390-check' }, el('input', { type: 'checkbox' }), ' Incidents ouverts seulement')),
    el('p', {}, el('label', { id: 'c390-radio' }, el('input', { type: 'radio', name: 'c390-r' }), ' Ligne de signalement')),
    el('p', {}, el('label', { id: 'c390-color' }, 'Couleur ', el('input', { type: 'color' }))),
    el('p', { id: 'c390-btns' }, el('button', { type: 'button' }, 'Télécharger le CSV'), el('a', { class: 'btn', href: '#c390' }, 'Télécharger avec les balises HXL')),
    Vigil.scrollTable(table)));
  await frames();
  const wrong = [];
  const r = (e) => e.getBoundingClientRect();
  for (const id of ['c390-check', 'c390-radio']) {
    const label = document.getElementById(id), box = label.querySelector('input');
    if (r(box).width > 30) wrong.push(id + ': its box is ' + Math.round(r(box).width) + ' px wide');
    if (r(label).height > 2 * r(box).height + 8) wrong.push(id + ': its words are not beside its box (label ' + Math.round(r(label).height) + ' px tall)');
  }
  const color = document.querySelector('#c390-color input');
  if (r(color).width > 100) wrong.push('colour input ' + Math.round(r(color).width) + ' px wide');
  const p = document.getElementById('c390-btns'), [b1, b2] = p.children;
  if (r(b2).right > r(p).right + 0.5) wrong.push('the second button ends at ' + Math.round(r(b2).right) + ' px, past its paragraph’s ' + Math.round(r(p).right));
  if (r(b2).left < r(p).left - 0.5) wrong.push('the second button starts left of its paragraph');
  if (r(b2).top < r(b1).bottom + 4) wrong.push('no gap between the stacked buttons (' + Math.round(r(b2).top - r(b1).bottom) + ' px)');
  const frame = table.closest('.table-wrap'), cap = table.caption;
  if (frame.scrollWidth <= frame.clientWidth + 1) return 'the table does not scroll sideways: too narrow to tell';
  const fr = () => { const f = r(frame); return { left: f.left + frame.clientLeft, right: f.left + frame.clientLeft + frame.clientWidth }; };
  const capIn = (when) => {
    const c = r(cap), f = fr();
    if (c.left < f.left - 1 || c.right > f.right + 1) wrong.push(when + ': the caption spans ' + Math.round(c.left) + '–' + Math.round(c.right) + ' px, its frame ' + Math.round(f.left) + '–' + Math.round(f.right));
    if (cap.scrollWidth > cap.clientWidth + 1) wrong.push(when + ': the caption’s words overflow it');
  };
  capIn('unscrolled');
  frame.scrollLeft = frame.scrollWidth;
  await frames();
  capIn('scrolled sideways');
  if (frame.getAttribute('aria-labelledby') !== cap.id || !cap.id) wrong.push('the frame is not named by the caption');
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) wrong.push('the page scrolls sideways');
  return document.getElementById('c390') ? wrong.join('; ') : 'gone';
})()`

// TestE2ECore390: at a phone's width, the shared stylesheet draws
// checkboxes beside their words, stacked buttons within the page and long
// table captions within their frame (core390JS).
func TestE2ECore390(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, narrowWidth, 844, "/#/coverage", "")
	if err := do(ctx, navigate(srv.URL+"/#/coverage"), chromedp.WaitVisible(css(`main[data-layout="page"] h1`))); err != nil {
		t.Fatal(err)
	}
	// The page may still be drawing its data: what it replaces is put back.
	var got string
	for range 5 {
		var err error
		if got, err = jsAwait[string](ctx, core390JS); err != nil {
			t.Fatal(err)
		}
		if got != "gone" {
			break
		}
	}
	if got != "" {
		t.Errorf("at %d px: %s", narrowWidth, strings.ReplaceAll(got, "; ", "\n\t"))
	}
}

// TestE2ECore390Frames: a table's frame (Vigil.scrollTable) is its
// caption's container (app.css), so its width may not come from its table:
// one that stood where its width is its content's (a flex item, a cell, a
// dialog) would have shrunk to nothing. On the pages with the demo's
// deployments (Coverage, Responsiveness), at a phone's width and a laptop's, no frame is narrower than
// both its table and the room its parent gives it.
func TestE2ECore390Frames(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	const shrunk = `[...document.querySelectorAll('.table-wrap')].filter((f) => {
	  const t = f.querySelector('table'), p = f.parentElement, s = getComputedStyle(p);
	  if (!t || !f.getClientRects().length) return false;
	  const room = p.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
	  return f.offsetWidth + 1 < Math.min(room, t.offsetWidth);
	}).map((f) => (f.querySelector('table').id || f.querySelector('caption')?.textContent || 'a frame') + ' ' + f.offsetWidth + ' px').join('; ')`
	for _, w := range []int64{narrowWidth, 1366} {
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 844, DeviceScaleFactor: 1}); err != nil {
			t.Fatal(err)
		}
		for _, page := range []string{"coverage", "responsiveness"} {
			if err := do(ctx, navigate(srv.URL+"/#/map"), navigate(srv.URL+"/#/"+page)); err != nil {
				t.Fatalf("%d px: %s: %v", w, page, err)
			}
			if err := poll(ctx, `!!document.querySelector('main[data-layout="page"] .table-wrap table tbody tr')`, stepWait); err != nil {
				t.Fatalf("%d px: %s: no table drawn: %v", w, page, err)
			}
			if got, err := js[string](ctx, shrunk); err != nil || got != "" {
				t.Errorf("%d px: %s: frames narrower than their table and their room: %s (%v)", w, page, got, err)
			}
		}
	}
}
