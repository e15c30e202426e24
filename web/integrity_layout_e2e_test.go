package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// longNarrativesServer serves 14 narratives of one item each, whose samples
// are long (30 words of their own).
func longNarrativesServer(t *testing.T) *e2eServer {
	t.Helper()
	_, svc, srv := integrityE2EServer(t)
	day := time.Now().UTC().Add(-3 * time.Hour)
	var items []*integrity.Item
	for i := 0; i < 14; i++ {
		// Words of its own per item, so that each is a narrative of its own.
		var words []string
		for k := 0; k < 30; k++ {
			words = append(words, fmt.Sprintf("%c%c%cra", 'b'+i, 'a'+k%26, 'e'+(k/26)))
		}
		items = append(items, &integrity.Item{Source: "s", SourceID: fmt.Sprintf("n%d", i), Via: integrity.ViaImport, Lang: "fr",
			Text: strings.Join(words, " ") + ".", Time: day.Add(time.Duration(i) * time.Minute)})
	}
	testutil.AddItems(t, svc, "test", items...)
	return srv
}

// TestE2EIntegrityNarrativesLayout: the Narratives tab uses the width at
// 1440×900 and 1366×768, in French and English. With 14 narratives whose
// samples are long (one item each, as most of the demo's), the narrative
// column is the widest (it was squeezed to about 9 rem, each sample wrapped
// over ten lines: the French demo tab was 6,458 px tall), no row is taller
// than five lines, the ten largest narratives are listed and a button in
// the page's language shows all 14 (and back), the page under 2,000 px;
// axe clean.
func TestE2EIntegrityNarrativesLayout(t *testing.T) {
	t.Parallel()
	srv := longNarrativesServer(t)
	// One browser and one login for both sizes, each the page's viewport
	// (emulated; the page is opened again at each step). Before, a browser
	// each, whose window of that size gave a shorter viewport (1440×757 for
	// the window of 1440×900).
	ctx, _ := loggedInBrowser(t, srv, 1440, 900)
	axe := axeCheck(t, ctx)
	for _, size := range [][2]int{{1440, 900}, {1366, 768}} {
		if err := do(ctx, chromedp.EmulateViewport(int64(size[0]), int64(size[1]))); err != nil {
			t.Fatal(err)
		}
		if w, err := js[string](ctx, `innerWidth + '×' + innerHeight`); err != nil || w != fmt.Sprintf("%d×%d", size[0], size[1]) {
			t.Fatalf("viewport %s (%v), want %d×%d", w, err, size[0], size[1])
		}
		for _, c := range []struct{ lang, all, fewer string }{
			{"fr", "Afficher les 14 récits", "N’afficher que les 10 plus importants"},
			{"en", "Show all 14 narratives", "Show the 10 largest only"},
		} {
			at := fmt.Sprintf("%s %d×%d", c.lang, size[0], size[1])
			if err := openIn(ctx, srv.URL+"/#/integrity?tab=narratives", c.lang); err != nil {
				t.Fatal(err)
			}
			rows := `[...document.querySelectorAll('#integrity-narratives tbody tr')]`
			if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && `+rows+`.length === 14`, stepWait); err != nil {
				t.Fatalf("%s: narratives table: %v", at, err)
			}
			const widths = `[...document.querySelectorAll('#integrity-narratives thead th')].map((th) => Math.round(th.getBoundingClientRect().width))`
			const shown = `[...document.querySelectorAll('#integrity-narratives tbody tr')].filter((r) => !r.hidden)`
			const tallest = `Math.max(...` + shown + `.map((r) => Math.round(r.getBoundingClientRect().height)))`
			const line = `parseFloat(getComputedStyle(document.querySelector('#integrity-narratives tbody td')).lineHeight)`
			check := func(what string, n int, button string, expanded bool) {
				t.Helper()
				cond := fmt.Sprintf(`%s.length === %d && (document.querySelector('#integrity-narratives-all')?.textContent || '') === %s && document.querySelector('#integrity-narratives-all').getAttribute('aria-expanded') === '%t'`,
					shown, n, mustJSON(button), expanded)
				if err := poll(ctx, cond, stepWait); err != nil {
					got, _ := js[string](ctx, shown+`.length + ' rows, button ' + (document.querySelector('#integrity-narratives-all')?.textContent || 'none')`)
					t.Errorf("%s, %s: %s: %v", at, what, got, err)
				}
				ws, err := js[[]int](ctx, widths)
				if err != nil || len(ws) != 9 {
					t.Fatalf("%s: column widths %v %v", at, ws, err)
				}
				for i, w := range ws[1:] {
					if w >= ws[0] {
						t.Errorf("%s, %s: column %d is %d px, the narrative column %d px: it must be the widest", at, what, i+2, w, ws[0])
					}
				}
				if ok, err := js[bool](ctx, tallest+` <= 5 * `+line); err != nil || !ok {
					h, _ := js[int](ctx, tallest)
					lh, _ := js[float64](ctx, line)
					t.Errorf("%s, %s: tallest row %d px, more than 5 lines of %.0f px (%v)", at, what, h, lh, err)
				}
			}
			check("first ten", 10, c.all, false)
			if h, err := js[int](ctx, `document.documentElement.scrollHeight`); err != nil || h >= 2000 {
				t.Errorf("%s: page %d px tall (%v), want under 2,000", at, h, err)
			}
			// A tab stop only while its frame scrolls (down only, here).
			if p, err := frameStop(ctx, "integrity-narratives"); err != nil || p != "" {
				t.Errorf("%s: %s (%v)", at, p, err)
			}
			axe("narratives " + at)
			if err := do(ctx, click(css(`#integrity-narratives-all`))); err != nil {
				t.Fatal(err)
			}
			check("all", 14, c.fewer, true)
			if err := do(ctx, click(css(`#integrity-narratives-all`))); err != nil {
				t.Fatal(err)
			}
			check("back to ten", 10, c.all, false)
			// The whole sample is kept for who needs it: in the title.
			if ok, err := js[bool](ctx, `[...document.querySelectorAll('#integrity-narratives tbody th .integrity-text')].every((s) => s.title.length > s.textContent.length - 1 && s.title.endsWith('.'))`); err != nil || !ok {
				t.Errorf("%s: a cut sample without its whole text in its title (%v)", at, err)
			}
		}
	}
}

// TestE2EIntegrityNarrativesNarrow: at 800 px wide (below the 1000 px from
// which the columns had fixed widths) the Narratives tab is readable: the
// narrative column keeps at least 14 rem (the automatic layout squeezed it
// and every sample wrapped over many lines), no row is taller than five
// lines, the table scrolls sideways within its frame while the page does
// not, the narrative column stays in view when it is scrolled, and the
// caption says the table scrolls, in the page's language. French and
// English, axe clean.
func TestE2EIntegrityNarrativesNarrow(t *testing.T) {
	t.Parallel()
	srv := longNarrativesServer(t)
	ctx, _ := loggedInBrowser(t, srv, 800, 900)
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, caption string }{
		{"fr", "Récits, les plus importants d’abord (le tableau défile sur le côté\u202f; le récit reste visible)"},
		{"en", "Narratives, largest first (the table scrolls sideways; the narrative stays in view)"},
	} {
		if err := openIn(ctx, srv.URL+"/#/integrity?tab=narratives", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.querySelectorAll('#integrity-narratives tbody tr').length === 14`, stepWait); err != nil {
			t.Fatalf("%s: narratives table: %v", c.lang, err)
		}
		type layout struct {
			Narrative, Rem, Tallest, Line float64
			WrapScroll, WrapWidth         float64
			PageScroll, PageWidth         float64
			Caption                       string
		}
		l, err := js[layout](ctx, `(() => {
  const shown = [...document.querySelectorAll('#integrity-narratives tbody tr')].filter((r) => !r.hidden);
  const wrap = document.getElementById('integrity-narratives').parentElement;
  return {
    Narrative: document.querySelector('#integrity-narratives thead th').getBoundingClientRect().width,
    Rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    Tallest: Math.max(...shown.map((r) => r.getBoundingClientRect().height)),
    Line: parseFloat(getComputedStyle(document.querySelector('#integrity-narratives tbody td')).lineHeight),
    WrapScroll: wrap.scrollWidth, WrapWidth: wrap.clientWidth,
    PageScroll: document.documentElement.scrollWidth, PageWidth: document.documentElement.clientWidth,
    Caption: document.querySelector('#integrity-narratives caption').innerText.trim(),
  };
})()`)
		if err != nil {
			t.Fatal(err)
		}
		if l.Narrative < 14*l.Rem {
			t.Errorf("%s: the narrative column is %.0f px, want at least 14 rem (%.0f px)", c.lang, l.Narrative, 14*l.Rem)
		}
		if l.Tallest > 5*l.Line {
			t.Errorf("%s: tallest row %.0f px, more than 5 lines of %.0f px", c.lang, l.Tallest, l.Line)
		}
		if l.WrapScroll <= l.WrapWidth || l.PageScroll > l.PageWidth {
			t.Errorf("%s: the table's frame %.0f of %.0f px, the page %.0f of %.0f px: want the table to scroll within its frame, the page not", c.lang, l.WrapWidth, l.WrapScroll, l.PageWidth, l.PageScroll)
		}
		if l.Caption != c.caption {
			t.Errorf("%s: caption %q, want %q", c.lang, l.Caption, c.caption)
		}
		// Scrolled to the end: the narrative column is still where it was.
		if ok, err := js[bool](ctx, `(() => {
  const wrap = document.getElementById('integrity-narratives').parentElement;
  const th = document.querySelector('#integrity-narratives tbody th');
  const before = th.getBoundingClientRect().left;
  wrap.scrollLeft = wrap.scrollWidth;
  const after = th.getBoundingClientRect().left;
  wrap.scrollLeft = 0;
  return wrap.scrollWidth > wrap.clientWidth && Math.abs(after - before) < 1;
})()`); err != nil || !ok {
			t.Errorf("%s: the narrative column moved when the table was scrolled sideways (%v)", c.lang, err)
		}
		if p, err := frameStop(ctx, "integrity-narratives"); err != nil || p != "" {
			t.Errorf("%s: %s (%v)", c.lang, p, err)
		}
		axe("narratives 800 px " + c.lang)
	}
}
