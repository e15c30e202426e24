package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/surveys/estimate"
	"github.com/vigil-project/vigil/surveys/starter"
	"github.com/vigil-project/vigil/web"
)

// startSurveyServer is a real server with the starter perception form and
// 183 submissions derived from the real apiclus1 schools (region from the
// school type, so the north has 144 respondents, the centre 25 and the
// south 14), and census margins that include an east nobody answered from.
func startSurveyServer(t *testing.T) *e2eServer {
	t.Helper()
	return startSurveyServerDontKnow(t, 0)
}

// startSurveyServerDontKnow is startSurveyServer where the first dontKnow
// respondents answer "don't know" to the trust question.
func startSurveyServerDontKnow(t *testing.T, dontKnow int) *e2eServer {
	t.Helper()
	ctx := context.Background()
	s, svc, db := web.NewSurveysTestServer(t)
	h := s.Handler()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	const user, pw = "analyst.surveys", "correct horse battery"
	if _, err := s.Auth.CreateUser(ctx, "test", user, auth.Analyst, pw); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AddForm(ctx, "test", starter.FormXML, nil); err != nil {
		t.Fatal(err)
	}
	f := shareddata.Open(t, "survey/apiclus1.csv")
	tab, err := estimate.ReadCSV(f, "apiclus1.csv")
	if err != nil {
		t.Fatal(err)
	}
	col := func(c string) []string { v, _ := tab.Strings(c); return v }
	stype, awards, sw, ci, meals := col("stype"), col("awards"), col("sch.wide"), col("comp.imp"), col("meals")
	region := map[string]string{"E": "north", "M": "centre", "H": "south"}
	yn := func(v, yes, no string) string {
		if v == "Yes" {
			return yes
		}
		return no
	}
	trust := func(i int, v string) string {
		if i < dontKnow {
			return "dont_know"
		}
		return v
	}
	admin := &auth.User{Name: "loader", Role: auth.Admin}
	for i := 0; i < tab.Len(); i++ {
		m, _ := strconv.Atoi(meals[i])
		x := perceptionXML(region[stype[i]], yn(awards[i], "female", "male"), []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}[min(m/20, 4)],
			yn(sw[i], "safe", "unsafe"), trust(i, yn(ci[i], "a_lot", "not_at_all")), 4.25+float64(i%2)*0.5, fmt.Sprintf("e2e-%d", i))
		if _, err := svc.Submit(ctx, admin, x, nil); err != nil {
			t.Fatal(err)
		}
	}
	saveCensus(t, db, "north,50000\ncentre,20000\nsouth,30000\neast,15000\n")
	return &e2eServer{down: new(atomic.Bool), URL: ts.URL, User: user, Password: pw}
}

func TestE2ESurveys(t *testing.T) {
	t.Parallel()
	srv := startSurveyServer(t)
	ctx, requested := loggedInBrowserAt(t, srv, 1280, 900, "/#/surveys", "")
	// Trust in the mission by region, with intervals.
	if err := do(ctx, navigate(srv.URL+"/#/surveys"), chromedp.WaitVisible(css(`#surveys-estimates`))); err != nil {
		t.Fatal(err)
	}
	rows, err := js[int](ctx, `document.querySelectorAll('#surveys-estimates tbody tr').length`)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 4 { // all respondents + north, centre, south
		t.Fatalf("%d rows in the trust-by-region table, want 4", rows)
	}
	// The centre (25) and the south (14) have fewer than 30 respondents:
	// shown as suppressed, with no number.
	supp, err := js[[]string](ctx, `[...document.querySelectorAll('#surveys-estimates tr.surveys-suppressed th')].map(e => e.textContent)`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(supp, ",") != "Centre,South" { // the form's choice labels, not its codes
		t.Errorf("suppressed rows %v, want Centre,South", supp)
	}
	// The form is chosen from a list that gives its responses.
	if opt, err := js[string](ctx, `document.querySelector('#surveys-form').selectedOptions[0]?.textContent || ''`); err != nil || !strings.Contains(opt, "(vigil_perception) · 183 responses") {
		t.Errorf("form chooser %q (%v)", opt, err)
	}
	if by, err := js[string](ctx, `document.querySelector('#surveys-by').selectedOptions[0]?.textContent || ''`); err != nil || by != "Region (admin area 1)" {
		t.Errorf("breakdown chooser %q (%v), want the question's label", by, err)
	}
	// The north's estimate and interval are the API's, formatted.
	if _, err := js[bool](ctx, `(window.__surveysCheck = undefined, (async () => {
		const d = await Vigil.api('/api/v1/surveys/forms/vigil_perception/analysis');
		const r = d.analysis.results.find(x => x.indicator.id === 'trusts_mission');
		const n = r.by.region.find(g => g.group === 'north');
		const pct = (p) => Vigil.num(Math.round(p * 1000) / 10) + '%'; // English: 12.5%
		const tr = [...document.querySelectorAll('#surveys-estimates tbody tr')].find(x => x.querySelector('th').textContent === 'North');
		const td = tr.querySelectorAll('td');
		window.__surveysCheck = td[1].textContent === pct(n.estimate) && td[2].textContent === pct(n.ci_low) + ' – ' + pct(n.ci_high) && !!tr.querySelector('svg circle');
	})(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `window.__surveysCheck !== undefined`, stepWait); err != nil {
		t.Fatal(err)
	}
	if same, err := js[bool](ctx, `window.__surveysCheck`); err != nil || !same {
		t.Errorf("north row does not show the API's estimate and interval (%v)", err)
	}
	// Who is unheard: the east has a population and no respondent.
	if err := poll(ctx, `!!document.querySelector('#surveys-margins option[value="census"]')`, stepWait); err != nil {
		t.Fatalf("margins chooser: %v", err)
	}
	// The chooser's first choice says what margins are, not « (settings) » jargon.
	if got, _ := js[string](ctx, `document.querySelector('#surveys-margins option[value=""]').textContent`); got != "The form’s margins (none chosen in its settings)" {
		t.Errorf("margins chooser's form choice %q", got)
	}
	if err := do(ctx, chromedp.SetValue(css(`#surveys-margins`), "census"), click(css(`#surveys-unheard-load`)), chromedp.WaitVisible(css(`#surveys-unheard-list`))); err != nil {
		t.Fatal(err)
	}
	flags, err := text(ctx, `#surveys-unheard-list`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flags, "Region (admin area 1): East") {
		t.Errorf("unheard list %q does not flag the east by its label", flags)
	}
	// Margins are uploaded from the page and offered in the chooser.
	csv := filepath.Join(t.TempDir(), "margins.csv")
	if err := os.WriteFile(csv, []byte("sex,population\nfemale,51000\nmale,49000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css(`.surveys-margins-box summary`)), chromedp.SendKeys(css(`#surveys-margins-name`), "census-sex"),
		chromedp.SetUploadFiles(css(`#surveys-margins-file`), []string{csv}), click(css(`#surveys-margins-upload`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#surveys-margins option[value="census-sex"]:checked') && document.querySelector('.surveys-margins-box [role=status]').textContent.includes('2 rows by Sex of the respondent')`, stepWait); err != nil {
		st, _ := text(ctx, `.surveys-margins-box`)
		t.Errorf("margins upload: %q: %v", st, err)
	}
	// French.
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('main h1') && document.querySelector('main h1').textContent === 'Enquêtes de perception'`, stepWait); err != nil {
		t.Errorf("page not in French: %v", err)
	}
	// labels, suppression reasons and the unheard rule in French
	if err := poll(ctx, `[...document.querySelectorAll('#surveys-estimates tr.surveys-suppressed')].map(e => e.textContent).join('|').includes('Sud') && document.querySelector('#surveys-estimates tr.surveys-suppressed').textContent.includes('moins de 30 répondants')`, stepWait); err != nil {
		s, _ := text(ctx, `#surveys-estimates`)
		t.Errorf("French estimates: %q: %v", s, err)
	}
	if err := poll(ctx, `document.querySelector('#surveys-margins option[value=""]')?.textContent === 'Les marges du formulaire (aucune choisie dans ses paramètres)'`, stepWait); err != nil {
		got, _ := js[string](ctx, `[...document.querySelectorAll("#surveys-margins option")].map((o) => o.value + "=" + o.textContent).join("|")`)
		t.Errorf("French margins chooser's form choice %q: %v", got, err)
	}
	if err := do(ctx, chromedp.SetValue(css(`#surveys-margins`), "census"), click(css(`#surveys-unheard-load`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#surveys-unheard') || {}).textContent?.includes('inférieure à 0,5 ×') && document.querySelector('#surveys-unheard-list').textContent.includes('Région (division administrative 1)\u00a0: Est') && document.querySelector('#surveys-unheard-list').textContent.includes('(0 entendu,')`, stepWait); err != nil {
		s, _ := text(ctx, `#surveys-unheard`)
		t.Errorf("French unheard: %q: %v", s, err)
	}
	// No interlocutor log yet: the page says where it is kept, a link for
	// the analyst (it said « Aucune entrée dans le registre des
	// interlocuteurs. » and no more).
	if err := poll(ctx, `document.querySelector('#surveys-no-log a[href="#/admin?tab=interlocutors"]')?.textContent === 'Les affaires civiles inscrivent chaque rencontre avec un interlocuteur communautaire dans Administration → Registre des interlocuteurs.'`, stepWait); err != nil {
		s, _ := text(ctx, `#surveys-unheard`)
		t.Errorf("French unheard without an interlocutor log: %q: %v", s, err)
	}
	// a server message in French: margins not loaded
	if _, err := js[bool](ctx, `(() => { const s = document.querySelector('#surveys-margins'); s.append(new Option('missing', 'missing')); s.value = 'missing'; return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css(`#surveys-unheard-load`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#surveys-unheard .error') || {}).textContent === 'les marges de population «\u202fmissing\u202f» ne sont pas chargées\u00a0: téléversez-les d’abord'`, stepWait); err != nil {
		s, _ := text(ctx, `#surveys-unheard`)
		t.Errorf("French server message: %q: %v", s, err)
	}
	for _, u := range requested() {
		if !strings.HasPrefix(u, srv.URL) && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("request outside the server: %s", u)
		}
	}
}

// TestE2ESurveysSteady: the Surveys page keeps its controls where they are
// first shown while it loads. The form chooser filled, the analysis and
// the export's report, each drawn as its request answered, pushed the
// margins chooser and its button down four times (top 453 → 524 → 560 →
// 839 → 975 at 1366×768) in the page's first 600 ms.
func TestE2ESurveysSteady(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startSurveyServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	steadyOnOpen(t, ctx, srv.URL+"/#/surveys", `!!document.querySelector('#surveys-out table') && !!document.querySelector('#surveys-export-how') && document.querySelector('#surveys-margins')?.options.length > 1`,
		`#surveys-form`, `#surveys-settings summary`, `#surveys-indicator`, `#surveys-margins`, `#surveys-unheard-load`)
}

// TestE2ESurveysSteadyOnChoice: a round or a comparison chosen once the
// Surveys page is drawn leaves the controls under the analysis where they
// are while the new analysis and the export's report load (they move once,
// when the new analysis is drawn, if it is longer or shorter). The analysis
// and the export section each went back to one « Chargement… » line and
// then grew again, so the export's links, the margins chooser and
// « Who is unheard »'s button went up and came down again under a pointer
// on its way to them.
func TestE2ESurveysSteadyOnChoice(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startSurveyServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/surveys", "")
	if err := poll(ctx, `!!document.querySelector('#surveys-estimates') && !!document.querySelector('#surveys-export-how') && !!document.querySelector('#surveys-compare option[value="R1"]') && document.querySelector('#surveys-margins')?.options.length > 1`, stepWait); err != nil {
		t.Fatalf("the Surveys page: %v", err)
	}
	sels := []string{`#surveys-export-csv`, `#surveys-margins`, `#surveys-unheard-load`}
	for _, c := range []struct{ sel, value string }{{`#surveys-compare`, "R1"}, {`#surveys-compare`, ""}, {`#surveys-round`, "R1"}} {
		for _, sel := range sels {
			if err := watchPlace(ctx, sel); err != nil {
				t.Fatal(err)
			}
		}
		// What is shown now is marked: the choice's answer is drawn once
		// neither the analysis nor the report is the marked one.
		q, _ := json.Marshal(c.value)
		if err := do(ctx, evalJS(`(() => { document.querySelector('#surveys-estimates').dataset.old = '1'; document.querySelector('#surveys-export-how').dataset.old = '1';
			const s = document.querySelector('`+c.sel+`'); s.value = `+string(q)+`; s.dispatchEvent(new Event('change')); return true; })()`)); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `!!document.querySelector('#surveys-estimates:not([data-old])') && !!document.querySelector('#surveys-export-how:not([data-old])') && !document.querySelector('#surveys-body [aria-busy="true"]')`, stepWait); err != nil {
			t.Fatalf("%s %q: the new analysis and report: %v", c.sel, c.value, err)
		}
		// A comparison adds its trend table (the controls under it lower
		// once it is drawn): the place before the choice, then the new
		// analysis's, and none in between.
		for _, sel := range sels {
			if places, err := placesOf(ctx, sel); err != nil || len(places) == 0 || len(places) > 2 {
				t.Errorf("%s %q chosen: %s was drawn at %v (top,left; %v) while the analysis loaded, want its place before, then at most its new one", c.sel, c.value, sel, places, err)
			}
		}
	}
}
