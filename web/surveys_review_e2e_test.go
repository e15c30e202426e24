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
	t.Parallel()
	srv := startSurveyServerDontKnow(t, 7)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/surveys", "")
	axe := axeCheck(t, ctx)
	if err := do(ctx, navigate(srv.URL+"/#/surveys"), chromedp.WaitVisible(css(`#surveys-estimates`))); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ lang, indicator, want string }{
		{"en", "trusts_mission", "7 respondents who said “don't know”, refused or skipped this question are left out: the percentages are of the 176 who answered it."},
		{"fr", "trusts_mission", "7 personnes interrogées qui ont répondu « ne sait pas », refusé ou sauté cette question sont laissées de côté\u00a0: les pourcentages portent sur les 176 qui y ont répondu."},
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

// TestE2ESurveysDownload: the survey's answers could leave Vigil only
// through GET /api/v1/surveys/forms/{form}/export, with no way to it from
// the Surveys page. The page now says what the protection does to the file
// and links the CSV and the HXL-tagged CSV, which download the protected
// answers (no GPS position), in English and in French.
func TestE2ESurveysDownload(t *testing.T) {
	t.Parallel()
	srv := startSurveyServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/surveys", "")
	axe := axeCheck(t, ctx)
	if err := do(ctx, navigate(srv.URL+"/#/surveys"), chromedp.WaitVisible(css(`#surveys-export-csv`))); err != nil {
		got, _ := js[string](ctx, `document.getElementById('surveys-export')?.textContent || '(no export section)'`)
		t.Fatalf("no download link: %q: %v", got, err)
	}
	cases := []struct {
		lang, how, csv, hxl string
	}{
		{"en", "One row per respondent (183 responses). Before the file leaves Vigil, the enumerator, the GPS position",
			"Download (CSV)", "Download with HXL tags (CSV)"},
		{"fr", "Une ligne par personne interrogée (183 réponses). Avant que le fichier ne quitte Vigil, l’enquêteur, la position GPS",
			"Télécharger (CSV)", "Télécharger avec les balises HXL (CSV)"},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `(document.getElementById('surveys-export-how')?.textContent || '').startsWith(`+jsString(c.how)+`) && document.getElementById('surveys-export-csv')?.textContent === `+jsString(c.csv)+` && document.getElementById('surveys-export-hxl')?.textContent === `+jsString(c.hxl), stepWait); err != nil {
			got, _ := js[string](ctx, `document.getElementById('surveys-export')?.textContent || ''`)
			t.Errorf("%s: export section %q: %v", c.lang, got, err)
		}
	}
	axe("surveys, French, download section")
	// The links download the protected file: a CSV of the answers without
	// the GPS position; the HXL one with a tag row.
	for _, c := range []struct{ id, tags string }{{"surveys-export-csv", ""}, {"surveys-export-hxl", "#"}} {
		got, err := run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById('`+c.id+`').href).then(async (r) => r.status + ' ' + r.headers.get('Content-Type') + '\n' + (await r.text()).split('\n').slice(0, 2).join('\n'))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(got, "\n")
		if len(lines) < 3 || lines[0] != "200 text/csv; charset=utf-8" || !strings.Contains(","+lines[1]+",", ",q_trust,") || strings.Contains(lines[1], "location") || !strings.HasPrefix(lines[2], c.tags) {
			t.Errorf("%s downloads %q, want a CSV of the answers without the GPS position (tag row %q)", c.id, got, c.tags)
		}
	}
}
