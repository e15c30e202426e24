package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/integrity"
)

// TestE2EVerifyDeadlineOneLine: a check's deadline badge (« échéance
// dans 3 j 4 h », "due in 3 d 4 h") is one line, in the queue's table and
// on the check's page, at 390 px and at 1366 px wide, in both languages:
// the queue's cell wrapped it, leaving « h » alone on a second line.
func TestE2EVerifyDeadlineOneLine(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	_, svc, srv := integrityE2EServer(t)
	it := &integrity.Item{Source: "facebook", SourceID: "d1", Via: integrity.ViaImport, Kind: "post",
		Text: "Le pont de Rutshuru sera détruit ce soir par les rebelles, ne passez plus par là", Time: time.Now().UTC(), Lang: "fr"}
	if err := svc.Validate(it); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Add(ctx0, "test", "integrity.import", "", []*integrity.Item{it}); err != nil {
		t.Fatal(err)
	}
	verifying, deadline := "verifying", time.Now().UTC().Add(76*time.Hour+30*time.Minute).Format(time.RFC3339)
	for _, u := range []integrity.CheckUpdate{{State: &verifying}, {Deadline: &deadline}} {
		if _, err := svc.UpdateCheck(ctx0, "analyst.e2e", it.Narrative, u); err != nil {
			t.Fatal(err)
		}
	}
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	// One line: every line box of the badge's text at the same height.
	oneLine := func(sel string) string {
		return `(() => { const b = document.querySelector('` + sel + `');
		  const r = document.createRange(); r.selectNodeContents(b);
		  return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size === 1; })()`
	}
	for _, lang := range []string{"fr", "en"} {
		for _, w := range []int64{390, 1366} {
			for _, page := range []struct{ url, badge string }{
				{"/#/verify", `#verify-queue [data-col=deadline] .badge`},
				{fmt.Sprintf("/#/verify?narrative=%d", it.Narrative), `#verify-summary .badge:not(#verify-state)`},
			} {
				name := fmt.Sprintf("%s %d px %s", lang, w, page.url)
				if err := do(ctx, chromedp.EmulateViewport(w, 800), navigate(srv.URL+page.url), setLangJS(lang)); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				// The page drawn in lang, with its badge (a number in it)…
				word := map[string]string{"fr": "échéance dans", "en": "due in"}[lang]
				if err := poll(ctx, `/^`+word+` \d/.test(document.querySelector('`+page.badge+`')?.textContent || '')`, stepWait); err != nil {
					t.Fatalf("%s: no deadline badge: %v", name, err)
				}
				// …on one line.
				if one, err := js[bool](ctx, oneLine(page.badge)); err != nil || !one {
					text, _ := js[string](ctx, `document.querySelector('`+page.badge+`').textContent`)
					t.Errorf("%s: the deadline badge %q is not one line (%v)", name, text, err)
				}
			}
		}
	}
}
