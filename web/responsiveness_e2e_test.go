package web_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/storage"
)

// TestE2EResponsiveness: the Responsiveness page shows `coverage check`
// on the stored events and the demo deployments — onsets covered at onset,
// within 12 months and never, by mission, year and perpetrator, and the
// prior-year check — in English and French, axe-clean; a period with no
// onset says how to fill it.
func TestE2EResponsiveness(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	db, ok := srv.Store.(*storage.DB)
	if !ok {
		t.Skip("events store is not a *storage.DB")
	}
	saveDemoDeployments(t, db)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/responsiveness", "")
	if err := do(ctx, navigate(srv.URL+"/#/responsiveness"), chromedp.WaitVisible(css(`#resp-summary`))); err != nil {
		out, _ := text(ctx, `main`)
		t.Fatalf("responsiveness page: %v: %q", err, out)
	}
	sum, _ := text(ctx, `#resp-summary`)
	if !strings.Contains(sum, "onsets of violence against civilians") {
		t.Errorf("summary %q", sum)
	}
	// The period's months in words, not ISO ("from June 1994 to December 2018").
	if !regexp.MustCompile(`from [A-Z][a-z]+ \d{4} to [A-Z][a-z]+ \d{4}`).MatchString(sum) {
		t.Errorf("summary %q: want the months in words", sum)
	}
	for _, id := range []string{"resp-overall", "resp-mission", "resp-year", "resp-perp", "resp-prior"} {
		n, err := js[int](ctx, `document.querySelectorAll('#`+id+` tbody tr').length`)
		if err != nil || n == 0 {
			t.Errorf("table %s: %d rows (%v)", id, n, err)
		}
	}
	if p, _ := text(ctx, `#resp-perp`); !strings.Contains(p, "government forces") && !strings.Contains(p, "non-state groups") {
		t.Errorf("perpetrators not in words: %q", p)
	}
	if p, _ := text(ctx, `#resp-prior`); !strings.Contains(p, "violence against civilians") {
		t.Errorf("prior-year check definitions not in words: %q", p)
	}
	// one row per country in the per-country check, named in the page's
	// language (the data spells DR Congo "DR Congo (Zaire)" and "DRC")
	countryRows := func(lang, drc string) {
		t.Helper()
		names, err := js[[]string](ctx, `[...document.querySelectorAll('#resp-prior-country tbody th')].map((e) => e.textContent)`)
		if err != nil || len(names) == 0 {
			t.Errorf("%s: per-country check: %v (%v)", lang, names, err)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Errorf("%s: per-country check lists %q twice: %q", lang, n, names)
			}
			seen[n] = true
		}
		if !seen[drc] {
			t.Errorf("%s: per-country check %q has no %q", lang, names, drc)
		}
	}
	countryRows("en", "DR Congo")
	axe := axeCheck(t, ctx)
	axe("responsiveness en")
	if err := poll(ctx, `Vigil.setLang('fr').then(() => true)`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#resp-summary').textContent.includes('débuts de violences contre les civils') && document.querySelector('main h1').textContent.startsWith('Réactivité')`, stepWait); err != nil {
		s, _ := text(ctx, `main`)
		t.Errorf("French page: %.300q: %v", s, err)
	}
	countryRows("fr", "RD Congo")
	axe("responsiveness fr")
	// a period with no onset: the empty state
	if err := do(ctx, chromedp.SetValue(css(`#resp-from`), "1990-01"), chromedp.SetValue(css(`#resp-to`), "1990-02"), click(css(`#resp-go`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#resp-out .empty') || {}).textContent?.includes('élargissez la période')`, stepWait); err != nil {
		s, _ := text(ctx, `#resp-out`)
		t.Errorf("empty state: %q: %v", s, err)
	}
}
