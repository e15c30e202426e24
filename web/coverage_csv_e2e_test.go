package web_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestE2ECoverageGapsCSV: the planner's gap list (the uncovered cells
// with the most risk, named by place) could be read on the page only;
// preparing the monthly review meant copying it by hand. The page now
// links it as a CSV made from the rows shown, with headers and place
// names in the page's language and a byte-order mark so that a
// spreadsheet reads accents; English and French, axe clean.
func TestE2ECoverageGapsCSV(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/coverage", "")
	if err := do(ctx, navigate(srv.URL+"/#/coverage"), chromedp.WaitVisible(css(`#coverage-map`))); err != nil {
		t.Fatal(err)
	}
	axe := axeCheck(t, ctx)
	// The link is followed as a user would: the browser saves the file in
	// dir (the test's page is in a browser context of its own: newBrowser).
	dir := t.TempDir()
	if _, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(ctx).BrowserContextID}); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ lang, link, head string }{
		{"en", "Download the gap list (CSV)", "Cell (PRIO-GRID),Place,Country,"},
		{"fr", "Télécharger la liste des lacunes (CSV)", "Cellule (PRIO-GRID),Lieu,Pays,"},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.getElementById('coverage-gaps-csv')?.textContent === `+jsString(c.link), stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('.coverage-gaps')?.textContent || ''`)
			t.Fatalf("%s: no gap-list download: %.300q: %v", c.lang, got, err)
		}
		name, err := js[string](ctx, `document.getElementById('coverage-gaps-csv').getAttribute('download')`)
		if err != nil {
			t.Fatal(err)
		}
		saved := filepath.Join(dir, name)
		os.Remove(saved)
		if err := do(ctx, click(css(`#coverage-gaps-csv`))); err != nil {
			t.Fatal(err)
		}
		var b []byte
		for range 200 { // the browser writes the file a moment after the click
			if b, err = os.ReadFile(saved); err == nil && bytes.HasSuffix(b, []byte("\r\n")) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		table, err := js[[]string](ctx, `[String(document.querySelectorAll('.coverage-gaps tbody tr').length), document.querySelector('.coverage-gaps tbody tr').dataset.cell, ...[...document.querySelectorAll('.coverage-gaps tbody tr:first-child td')].map((td) => td.textContent)]`)
		if err != nil || len(table) < 3 {
			t.Fatalf("gap table %q: %v", table, err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
		head, ok := strings.CutPrefix(lines[0], "\ufeff")
		if !ok || !strings.HasPrefix(name, "vigil-gaps-") || strconv.Itoa(len(lines)-1) != table[0] || !strings.HasPrefix(head, c.head) ||
			len(lines) < 2 || !strings.HasPrefix(lines[1], table[1]+","+csvCell(table[2])+",") {
			t.Errorf("%s: %s holds %q (byte-order mark %v), want header %q and the table's %s rows, first %s, %s", c.lang, name, b, ok, c.head, table[0], table[1], table[2])
		}
		axe("coverage, gap list CSV, " + c.lang)
	}
}

// csvCell is s as a CSV cell: quoted when it holds a comma or a quote.
func csvCell(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
