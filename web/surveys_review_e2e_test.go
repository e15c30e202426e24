package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2ESurveysLeftOut: a planner reading trust by region saw "183
// respondents" above a table whose "All respondents" row counted fewer
// (those who said "don't know" are not in the percentages) with nothing
// saying why. The page now says how many were left out and why, in
// English and in French; no note when everyone answered.
func TestE2ESurveysLeftOut(t *testing.T) {
	srv := startSurveyServerDontKnow(t, 7)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	if err := do(ctx, navigate(srv.URL+"/#/surveys"), chromedp.WaitVisible(css(`#surveys-estimates`))); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ lang, indicator, want string }{
		{"en", "trusts_mission", "7 respondents who said “don't know”, refused or skipped this question are left out: the percentages are of the 176 who answered it."},
		{"fr", "trusts_mission", "7 personnes interrogées qui ont répondu « ne sait pas », refusé ou sauté cette question sont laissées de côté : les pourcentages portent sur les 176 qui y ont répondu."},
		{"fr", "feels_safe", ""}, // everyone answered the safety question
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), (() => { const s = document.querySelector('#surveys-indicator'); s.value = '`+c.indicator+`'; s.dispatchEvent(new Event('change')); return true; })())`); err != nil {
			t.Fatal(err)
		}
		want := `document.getElementById('surveys-left-out')?.textContent === ` + jsString(c.want)
		if c.want == "" {
			want = `!document.getElementById('surveys-left-out') && !!document.querySelector('#surveys-estimates')`
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && `+want, stepWait); err != nil {
			got, _ := js[string](ctx, `document.getElementById('surveys-left-out')?.textContent || '(none)'`)
			t.Errorf("%s %s: note %q, want %q: %v", c.lang, c.indicator, got, c.want, err)
		}
		if c.want != "" {
			if row, _ := js[string](ctx, `document.querySelector('#surveys-estimates tbody tr td').textContent`); strings.TrimSpace(row) != "176" {
				t.Errorf("%s: all-respondents row counts %q, want 176", c.lang, row)
			}
		}
	}
	axe("surveys, French, left-out note")
}
