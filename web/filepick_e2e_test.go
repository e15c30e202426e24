package web_test

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	kbd "github.com/chromedp/chromedp/kb"
)

// TestE2EFilePickFrench: on a French page (the coverage planner's
// population upload, at 1440×900) a file input shows no browser-drawn
// "Choose File / No file chosen" (in the browser's English): its button and
// status are the page's French; Tab reaches the input and its button shows
// the focus ring; Enter and a click on the button open the file chooser;
// choosing a file (chromedp.SetUploadFiles) shows its name, and clearing
// the input says again that none is chosen. The panel is axe-clean.
func TestE2EFilePickFrench(t *testing.T) {
	t.Parallel()
	chromiumPath(t) // skips without a browser (fails in CI)
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1440, 900)
	var choosers atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventFileChooserOpened); ok {
			choosers.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := openIn(ctx, srv.URL+"/#/coverage", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#coverage-pop-file + .file-pick .file-name') && `+coverageDrawn, stepWait); err != nil {
		t.Fatalf("no population upload on the French coverage page: %v", err)
	}
	// From here the button must stay where it is drawn until it is clicked
	// (watchPlace, steady_e2e_test.go): the click below is aimed at it.
	if err := watchPlace(ctx, `#coverage-pop-file + .file-pick label`); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range filePickProblems(ctx, seen) { // a11y_pages_e2e_test.go
		t.Error(p)
	}
	if !seen["coverage-pop-file"] {
		t.Errorf("file inputs seen %v, want #coverage-pop-file", seen)
	}
	btn, _ := text(ctx, `#coverage-pop-file + .file-pick label`)
	status, _ := text(ctx, `#coverage-pop-file + .file-pick .file-name`)
	if btn != "Choisir un fichier" || status != "Aucun fichier choisi" {
		t.Errorf("button %q and status %q, want Choisir un fichier and Aucun fichier choisi", btn, status)
	}
	axe := axeCheck(t, ctx) // a11y_pages_e2e_test.go
	axe("coverage page in French")

	// The keyboard: Tab from the text before it lands on the input, whose
	// button shows the focus ring; Enter opens the file chooser.
	if _, err := chromedp.Call(ctx, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { const s = document.getElementById('coverage-pop-summary'); s.tabIndex = -1; s.focus(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.KeyEvent(kbd.Tab)); err != nil {
		t.Fatal(err)
	}
	ring, err := js[string](ctx, `document.activeElement.id + ' ' + getComputedStyle(document.querySelector('#coverage-pop-file + .file-pick label')).outlineStyle`)
	if err != nil || ring != "coverage-pop-file solid" {
		t.Errorf("after Tab: focus and the button's outline %q (%v), want coverage-pop-file solid", ring, err)
	}
	if err := do(ctx, chromedp.KeyEvent(kbd.Enter)); err != nil {
		t.Fatal(err)
	}
	waitChoosers(&choosers, 1)
	if choosers.Load() != 1 {
		t.Errorf("Enter on the focused file input opened %d file choosers, want 1", choosers.Load())
	}
	if err := do(ctx, click(css(`#coverage-pop-file + .file-pick label`))); err != nil {
		t.Fatal(err)
	}
	waitChoosers(&choosers, 2)
	places, err := placesOf(ctx, `#coverage-pop-file + .file-pick label`)
	if choosers.Load() != 2 || err != nil || len(places) != 1 {
		t.Errorf("a click on the button opened %d file choosers in all, want 2; the button was drawn at %v (top,left; %v), want one place", choosers.Load(), places, err)
	}

	// Choosing a file shows its name; clearing the input (as a page does
	// after an upload) says again that none is chosen.
	csv := filepath.Join(t.TempDir(), "population-ituri.csv")
	if err := os.WriteFile(csv, []byte("gid,population\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.SetUploadFiles(css(`#coverage-pop-file`), []string{csv})); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#coverage-pop-file + .file-pick .file-name').textContent === 'population-ituri.csv'`, stepWait); err != nil {
		s, _ := text(ctx, `#coverage-pop-file + .file-pick .file-name`)
		t.Errorf("after choosing population-ituri.csv the status says %q", s)
	}
	if _, err := js[bool](ctx, `document.getElementById('coverage-pop-file').value = '', true`); err != nil {
		t.Fatal(err)
	}
	if s, _ := text(ctx, `#coverage-pop-file + .file-pick .file-name`); s != "Aucun fichier choisi" {
		t.Errorf("after clearing the input the status says %q, want Aucun fichier choisi", s)
	}
}

// waitChoosers waits until the browser has reported n file choosers
// opened (at most 10 s: the event comes through the DevTools connection,
// late on a loaded machine), then 300 ms more for any extra one.
func waitChoosers(choosers *atomic.Int32, n int32) {
	for end := time.Now().Add(10 * time.Second); choosers.Load() < n && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
}
