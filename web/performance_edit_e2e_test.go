package web_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/performance"
)

// TestE2EPerformanceEditing: a mission planner sets up a framework and its
// compact entirely in the browser — objectives, results and indicators
// (library and manual: parameters, area, owner, unit, direction, baseline,
// targets per period, disaggregations, the commitment served), each edited
// and one removed; a compact with parties, a commitment with its deadline,
// indicators and evidence, a status change with its note, an annual
// review; a manual value with its source and evidence link; the framework
// exported as CSV and JSON and a CSV imported back (a bad one refused,
// naming the line and column, changing nothing). What is stored (the API)
// is what was typed.
func TestE2EPerformanceEditing(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-editing-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	stored := func() (*performance.Framework, int) {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/frameworks/MINUSMA').then((r) => r.text())`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Revision  int                   `json:"revision"`
			Framework performance.Framework `json:"framework"`
		}
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatalf("%v: %.300s", err, s)
		}
		return &r.Framework, r.Revision
	}
	saved := func(name string, rev int) {
		t.Helper()
		wait(name, `/(Saved|Imported): revision `+strconv.Itoa(rev)+`\./.test((document.querySelector('#perf-edit-msg')?.textContent || '') + (document.querySelector('#perf-compact-msg')?.textContent || ''))`)
	}
	keys := func(sel, v string) chromedp.Action[chromedp.Void] { return chromedp.SendKeys(css(sel), v) }
	set := func(sel, v string) chromedp.Action[chromedp.Void] { return chromedp.SetValue(css(sel), v) }
	click := func(sel string) chromedp.Action[chromedp.Void] { return click(css(sel)) }
	// choose picks a list's value as a reader does: the page hears the change.
	choose := func(sel, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+jsString(sel)+`); e.value = `+jsString(v)+`; e.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`)(ctx, tg)
			return err
		})
	}

	step("open", navigate(srv.URL+"/#/performance"))
	wait("open", `document.querySelector('#perf-controls')`)
	step("new mission", set(`#perf-mission-new`, "MINUSMA"), set(`#perf-period`, "2018"), click(`#perf-controls button[type=submit]`))
	wait("empty", `document.querySelector('#perf-obj-form') && document.querySelector('#perf-indicators .empty')`)
	step("framework tab", click(`#perf-tab-framework`))

	// Objectives and results: added, then a title edited.
	step("objective", keys(`#perf-obj-id`, "poc"), keys(`#perf-obj-title`, "Protection"), click(`#perf-obj-form button[type=submit]`))
	saved("objective", 1)
	step("edit objective", click(`#perf-outline li[data-obj=poc] > .perf-edit`))
	wait("objective in the form", `document.querySelector('#perf-obj-id')?.value === 'poc'`)
	step("retitle", set(`#perf-obj-title`, "Protection of civilians"), click(`#perf-obj-form button[type=submit]`))
	saved("objective retitled", 2)
	step("result", set(`#perf-res-obj`, "poc"), keys(`#perf-res-id`, "poc-1"), keys(`#perf-res-title`, "Fewer killed"), click(`#perf-res-form button[type=submit]`))
	saved("result", 3)
	step("second result", keys(`#perf-res-id`, "poc-9"), keys(`#perf-res-title`, "To be removed"), click(`#perf-res-form button[type=submit]`))
	saved("second result", 4)

	// A library indicator with every field, and a manual one.
	// Its parameter chosen in words (type 3: one-sided violence).
	step("indicator", set(`#perf-ind-obj`, "poc"), keys(`#perf-ind-rid`, "poc-1"), keys(`#perf-ind-id`, "cd"), choose(`#perf-ind-lib`, "civilian-deaths"))
	wait("type in words", `[...document.querySelectorAll('#perf-ind-param-type option')].map((o) => o.textContent).join('|') === 'as the library says: One-sided violence (against civilians)|State-based conflict|Non-state conflict|One-sided violence (against civilians)|All three types of violence' && document.querySelector('label[for=perf-ind-param-type]').textContent === 'Type of violence'`)
	step("indicator fields", set(`#perf-ind-param-type`, "3"), set(`#perf-ind-area`, "CAF"), keys(`#perf-ind-owner`, "JMAC"), keys(`#perf-ind-unit`, "deaths"),
		set(`#perf-ind-dir`, "lower"), keys(`#perf-ind-base`, "500"), keys(`#perf-ind-basep`, "2016"), keys(`#perf-ind-targets`, "2017 = 400\n2018 = 300"))
	step("by perpetrator", click(`#perf-ind-by-perpetrator`), click(`#perf-ind-form button[type=submit]`))
	saved("indicator", 5)
	step("manual indicator", set(`#perf-ind-obj`, "poc"), keys(`#perf-ind-rid`, "poc-1"), keys(`#perf-ind-id`, "agreements"), choose(`#perf-ind-lib`, "manual"),
		keys(`#perf-ind-param-id`, "local-agreements"), set(`#perf-ind-area`, "CAF"), keys(`#perf-ind-owner`, "Civil Affairs"), keys(`#perf-ind-unit`, "agreements"),
		set(`#perf-ind-dir`, "higher"), keys(`#perf-ind-targets`, "2018 = 12"), click(`#perf-ind-form button[type=submit]`))
	saved("manual indicator", 6)
	// A share's target is typed in per cent; one outside 0–100 is refused
	// with the field named (TestE2EPerformanceShareTargets: in French too).
	step("bad target", keys(`#perf-ind-rid`, "poc-1"), keys(`#perf-ind-id`, "share"), set(`#perf-ind-lib`, "risk-covered"), keys(`#perf-ind-targets`, "2018 = 160"), click(`#perf-ind-form button[type=submit]`))
	wait("bad target refused", `(document.querySelector('#perf-edit-msg')?.textContent || '').includes('Targets: “160” is not a percentage between 0 and 100.')`)
	if _, rev := stored(); rev != 6 {
		t.Errorf("a refused indicator changed the framework: revision %d", rev)
	}
	done("indicators")

	// The compact: parties, a commitment with deadline, indicators and
	// evidence, a status change with its note, an annual review.
	step("compacts tab", click(`#perf-tab-compacts`))
	step("compact", keys(`#perf-c-id`, "c2018"), keys(`#perf-c-title`, "Compact 2018"), click(`#perf-compact-form button[type=submit]`))
	saved("compact", 7)
	step("party", set(`#perf-p-compact`, "c2018"), keys(`#perf-p-id`, "gov"), keys(`#perf-p-name`, "Government of Mali"), set(`#perf-p-kind`, "host-government"), click(`#perf-party-form button[type=submit]`))
	saved("party", 8)
	step("second party", keys(`#perf-p-id`, "mis"), keys(`#perf-p-name`, "MINUSMA"), set(`#perf-p-kind`, "mission"), click(`#perf-party-form button[type=submit]`))
	saved("second party", 9)
	step("commitment", set(`#perf-k-compact`, "c2018"), keys(`#perf-k-id`, "gov-1"), set(`#perf-k-party`, "gov"), keys(`#perf-k-text`, "Redeploy prefects"),
		set(`#perf-k-deadline`, "2018-06-30"), keys(`#perf-k-evidence`, "https://example.org/decree\nReport 12"))
	if _, err := js[bool](ctx, `(() => { const s = document.querySelector('#perf-k-inds'); [...s.options].forEach((o) => { o.selected = o.value === 'cd'; }); return true; })()`); err != nil {
		t.Fatal(err)
	}
	step("save commitment", click(`#perf-commit-form button[type=submit]`))
	saved("commitment", 10)
	step("status", set(`#perf-k-status-gov-1`, "in-progress"), keys(`#perf-k-note-gov-1`, "Prefects named"), click(`tr[data-commitment=gov-1] .perf-set-status`))
	wait("status shown", `document.querySelector('tr[data-commitment=gov-1] .perf-history') && /in progress/.test(document.querySelector('tr[data-commitment=gov-1]')?.textContent || '')`)
	step("review", set(`#perf-r-compact`, "c2018"), keys(`#perf-r-year`, "2018"), set(`#perf-r-date`, "2018-12-15"), keys(`#perf-r-summary`, "Half the prefects are back."),
		click(`#perf-review-form button[type=submit]`))
	saved("review", 12)
	// The indicator now serves the commitment; its targets change.
	step("framework tab again", click(`#perf-tab-framework`))
	step("edit indicator", click(`#perf-outline li[data-ind=cd] .perf-edit`))
	wait("indicator in the form", `document.querySelector('#perf-ind-id')?.value === 'cd' && document.querySelector('#perf-ind-by-perpetrator')?.checked`)
	step("serve commitment", set(`#perf-ind-commit`, "gov-1"), set(`#perf-ind-targets`, "2017 = 400\n2018 = 250"), click(`#perf-ind-form button[type=submit]`))
	saved("indicator edited", 13)
	// A result removed (two presses).
	step("remove", click(`#perf-outline li[data-result=poc-9] > .perf-remove`), click(`#perf-outline li[data-result=poc-9] > .perf-remove`))
	saved("removed", 14)
	done("compact")

	f, _ := stored()
	if len(f.Objectives) != 1 || f.Objectives[0].Title != "Protection of civilians" || len(f.Objectives[0].Results) != 1 || f.Objectives[0].Results[0].Title != "Fewer killed" {
		t.Fatalf("objectives: %+v", f.Objectives)
	}
	inds := f.Objectives[0].Results[0].Indicators
	if len(inds) != 2 {
		t.Fatalf("indicators: %+v", inds)
	}
	cd, ag := inds[0], inds[1]
	if cd.ID != "cd" || cd.Indicator != "civilian-deaths" || cd.Params["type"] != "3" || cd.Area != "CAF" || cd.Owner != "JMAC" || cd.Unit != "deaths" ||
		cd.Direction != performance.LowerIsBetter || cd.Baseline == nil || *cd.Baseline != 500 || cd.BaselinePeriod != "2016" ||
		!slices.Equal(cd.Targets, []performance.Target{{Period: "2017", Value: 400}, {Period: "2018", Value: 250}}) ||
		!slices.Equal(cd.Disaggregations, []string{"perpetrator"}) || cd.Commitment != "gov-1" {
		t.Errorf("indicator cd: %+v", cd)
	}
	if ag.Indicator != "manual" || ag.Params["id"] != "local-agreements" || ag.Unit != "agreements" || ag.Direction != performance.HigherIsBetter || len(ag.Targets) != 1 {
		t.Errorf("manual indicator: %+v", ag)
	}
	if len(f.Compacts) != 1 {
		t.Fatalf("compacts: %+v", f.Compacts)
	}
	c := f.Compacts[0]
	if c.Title != "Compact 2018" || len(c.Parties) != 2 || c.Parties[0].Name != "Government of Mali" || c.Parties[1].Kind != "mission" {
		t.Errorf("compact: %+v", c)
	}
	if len(c.Commitments) != 1 {
		t.Fatalf("commitments: %+v", c.Commitments)
	}
	k := c.Commitments[0]
	if k.Party != "gov" || k.Deadline != "2018-06-30" || !slices.Equal(k.Indicators, []string{"cd"}) || !slices.Equal(k.Evidence, []string{"https://example.org/decree", "Report 12"}) ||
		len(k.History) != 1 || k.History[0].Status != "in-progress" || k.History[0].Note != "Prefects named" || k.History[0].By == "" {
		t.Errorf("commitment: %+v", k)
	}
	if len(c.Reviews) != 1 || c.Reviews[0] != (performance.Review{Year: 2018, Date: "2018-12-15", Summary: "Half the prefects are back."}) {
		t.Errorf("reviews: %+v", c.Reviews)
	}
	// The evidence link is a link; the reference is text.
	if n, err := js[int](ctx, `document.querySelectorAll('tr[data-commitment=gov-1] a[href="https://example.org/decree"]').length`); err != nil || n != 1 {
		t.Errorf("evidence link: %d %v", n, err)
	}

	// A manual value with its source and evidence link shows in the table.
	wait("manual form", `document.querySelector('#perf-manual-form')`)
	step("indicators tab", click(`#perf-tab-indicators`))
	step("manual value", set(`#perf-m-ind`, "local-agreements"), set(`#perf-m-area`, "CAF"), set(`#perf-m-period`, "2018"), keys(`#perf-m-value`, "9"),
		keys(`#perf-m-source`, "Civil Affairs report"), keys(`#perf-m-evidence`, "https://example.org/ca-report"), click(`#perf-manual-form button[type=submit]`))
	wait("manual value shown", `/^9 /.test(document.querySelector('#perf-status tr[data-id=agreements]')?.cells[3].textContent || '')`)
	mv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/manual').then((r) => r.json()).then((m) => m.map((x) => [x.indicator, x.period, x.area, x.value, x.source, x.evidence].join('|')).join(';'))`, chromedp.EvalAwaitPromise))
	if err != nil || mv != "local-agreements|2018|CAF|9|Civil Affairs report|https://example.org/ca-report" {
		t.Errorf("manual values: %q %v", mv, err)
	}

	// Export from the page's links; import a changed CSV back; a bad one is
	// refused naming its line and column, and changes nothing.
	csvText, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#perf-export-csv').href).then((r) => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(csvText, "#indicator+code") || !strings.Contains(csvText, "cd,civilian-deaths,type=3,CAF,JMAC,,deaths,lower,500,2016,2018,250,perpetrator,gov-1") {
		t.Fatalf("CSV export: %q %v", csvText, err)
	}
	jsonText, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#perf-export-json').href).then((r) => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(jsonText, `"summary": "Half the prefects are back."`) || !strings.Contains(jsonText, `"note": "Prefects named"`) {
		t.Errorf("JSON export: %.400q %v", jsonText, err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "framework.csv")
	os.WriteFile(bad, []byte(strings.Replace(csvText, "civilian-deaths", "no-such-indicator", 1)), 0o644)
	os.WriteFile(good, []byte(strings.Replace(csvText, "2018,250", "2018,200", 1)), 0o644)
	_, rev := stored()
	step("framework tab for the import", click(`#perf-tab-framework`))
	step("bad import", chromedp.SetUploadFiles(css(`#perf-import-file`), []string{bad}), click(`#perf-import`))
	wait("bad import refused", `/bad\.csv:\d+: column indicator: unknown indicator/.test((document.querySelector('#perf-edit-msg')?.textContent || ''))`)
	if _, r := stored(); r != rev {
		t.Errorf("a refused import changed the framework: revision %d → %d", rev, r)
	}
	b.rec.take() // the refusal's 400, expected
	step("import", chromedp.SetUploadFiles(css(`#perf-import-file`), []string{good}), click(`#perf-import`))
	saved("imported", rev+1)
	f, _ = stored()
	if got := f.Objectives[0].Results[0].Indicators[0].Targets; len(got) != 2 || got[1].Value != 200 || len(f.Compacts) != 1 || len(f.Compacts[0].Reviews) != 1 {
		t.Errorf("after import: targets %+v, compacts kept %d", got, len(f.Compacts))
	}
	axeCheck(t, ctx)("editor")
	done("imported")
}

// TestE2EPerformanceShareTargets: a share's baseline and targets are
// edited in the unit the page shows it in, per cent, in English and
// French: the demo's risk-caf (stored 0.6 and 0.7) is listed "2018 = 70%"
// (in French « 2017 = 60 % ; 2018 = … », a space before the semicolon)
// and filled in as "2018 = 70", a target typed "45,5" is stored 0.455,
// and one of 140 is refused naming the field, changing nothing.
func TestE2EPerformanceShareTargets(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-share-targets-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	step("open", navigate(srv.URL+"/#/performance?tab=framework"))
	if _, err := js[bool](ctx, `(location.hash = '#/performance?tab=framework', true)`); err != nil { // a hash-only navigation may not be taken
		t.Fatal(err)
	}
	wait("outline", `document.querySelector('#perf-outline li[data-ind="risk-caf"] .perf-edit')`)
	for _, c := range []struct{ lang, listed, typed, stored, refused, unit string }{
		{"en", "targets 2017 = 60%; 2018 = 70%", "45.5", "0.455", "Targets: “140” is not a percentage between 0 and 100.", "share (percentage)"},
		{"fr", "cibles 2017 = 60 % ; 2018 = 45,5 %", "45,5", "0.455", "Cibles : « 140 » n’est pas un pourcentage entre 0 et 100.", "part (pourcentage)"},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang, `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-outline li[data-ind="risk-caf"] .perf-edit')`)
		listed, err := js[string](ctx, `document.querySelector('#perf-outline li[data-ind="risk-caf"] > span').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil || !strings.Contains(listed, c.listed) {
			t.Errorf("%s: risk-caf listed %q (%v), want %q", c.lang, listed, err, c.listed)
		}
		step(c.lang+" edit", click(css(`#perf-outline li[data-ind="risk-caf"] .perf-edit`)))
		wait(c.lang+" filled", `document.querySelector('#perf-ind-id')?.value === 'risk-caf'`)
		if got, err := js[string](ctx, `document.querySelector('#perf-ind-targets').value`); err != nil || !strings.HasPrefix(got, "2017 = 60\n2018 = ") {
			t.Errorf("%s: risk-caf's targets in the form %q (%v), want them in per cent", c.lang, got, err)
		}
		// The unit field's placeholder (the library's unit, kept when it is
		// left empty) in the page's language (it said "deaths", "share" on
		// the French page).
		if got, err := js[string](ctx, `document.querySelector('#perf-ind-unit').placeholder`); err != nil || got != c.unit {
			t.Errorf("%s: the unit's placeholder %q (%v), want %q", c.lang, got, err, c.unit)
		}
		// Refused: nothing is sent.
		step(c.lang+" refused", chromedp.SetValue(css(`#perf-ind-targets`), "2017 = 60\n2018 = 140"), click(css(`#perf-ind-form button[type=submit]`)))
		wait(c.lang+" refused", `(document.querySelector('#perf-edit-msg')?.textContent || '').replace(/[\u00a0\u202f]/g, ' ').includes('`+strings.ReplaceAll(c.refused, "'", "\\'")+`')`)
		step(c.lang+" saved", chromedp.SetValue(css(`#perf-ind-targets`), "2017 = 60\n2018 = "+c.typed), click(css(`#perf-ind-form button[type=submit]`)))
		wait(c.lang+" saved", `document.querySelector('#perf-edit-msg .notice.ok')`)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/frameworks/MINUSCA').then((r) => r.json()).then((r) => r.framework.objectives.flatMap((o) => o.results.flatMap((x) => x.indicators)).find((i) => i.id === 'risk-caf').targets.map((x) => x.period + '=' + x.value).join(' '))`, chromedp.EvalAwaitPromise))
		if want := "2017=0.6 2018=" + c.stored; err != nil || got != want {
			t.Errorf("%s: risk-caf's stored targets %q (%v), want %q", c.lang, got, err, want)
		}
	}
	done("share targets")
}

// editMsg is the framework editor's message, the narrow and no-break
// spaces of French typography as plain spaces.
const editMsg = `(document.querySelector('#perf-edit-msg')?.textContent || '').replace(/[\u00a0\u202f]/g, ' ')`

// openEditor opens the performance page's framework tab and waits for its
// editor.
func (b *perfBrowser) openEditor(srv *fullServer) {
	b.t.Helper()
	b.step("open", navigate(srv.URL+"/#/performance?tab=framework"))
	if _, err := js[bool](b.ctx, `(location.hash = '#/performance?tab=framework', true)`); err != nil { // a hash-only navigation may not be taken
		b.t.Fatal(err)
	}
	b.wait("editor", `document.querySelector('#perf-import') && document.querySelector('#perf-ind-form')`)
}

// inLang shows the page in lang, the editor's message emptied.
func (b *perfBrowser) inLang(lang string) {
	b.t.Helper()
	if _, err := js[bool](b.ctx, `(Vigil.setLang('`+lang+`'), document.querySelector('#perf-edit-msg').replaceChildren(), true)`); err != nil {
		b.t.Fatal(err)
	}
	b.wait(lang, `document.documentElement.lang === '`+lang+`' && document.querySelector('#perf-import')`)
}

// refused waits until the editor's message says want.
func (b *perfBrowser) refused(name, want string) {
	b.t.Helper()
	b.wait(name, editMsg+`.includes(`+mustJSON(plainSpaces.Replace(want))+`)`)
}

// plainSpaces writes the no-break spaces of a message as editMsg reads
// them: a want may say the guillemets' U+202F as the server writes them.
var plainSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

// importFile imports the file at path with the editor's import button.
func (b *perfBrowser) importFile(name, path string) {
	b.t.Helper()
	b.step(name, chromedp.SetUploadFiles(css(`#perf-import-file`), []string{path}), click(css(`#perf-import`)))
}

// submitForm sets the fields (element id: value) and submits the form.
func (b *perfBrowser) submitForm(form string, fields map[string]string) {
	b.t.Helper()
	if _, err := js[bool](b.ctx, `(Object.entries(`+mustJSON(fields)+`).forEach(([id, v]) => { document.getElementById(id).value = v; }),
		document.querySelector('`+form+`').requestSubmit(), true)`); err != nil {
		b.t.Fatal(err)
	}
}

// writeFiles writes each file (name: content) into a temporary folder and
// returns their paths by name.
func writeFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir, paths := t.TempDir(), map[string]string{}
	for name, body := range files {
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// TestE2EPerformanceFrameworkErrors: a results framework refused on import
// or on saving is said in the page's language, naming where (file, line
// and column, or the field) and what: the server gives each refusal as a
// catalog message (key and args beside its English text), which the
// French page says in French.
func TestE2EPerformanceFrameworkErrors(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-framework-errors-")
	bad := writeFiles(t, map[string]string{"bad.csv": "objective_id,result_id,indicator_id,indicator\no,r,i,civilian-killings\n"})["bad.csv"]
	b.openEditor(srv)
	for _, c := range []struct{ lang, imported, saved string }{
		{"en", `bad.csv:2: column indicator: unknown indicator "civilian-killings" (vigil indicator list shows the library; use manual for a hand-entered one)`,
			`.unit: target in the wrong unit: civilian-deaths is measured in deaths, not "kilograms"`},
		{"fr", "bad.csv, ligne 2\u00a0: colonne indicator\u00a0: indicateur inconnu «\u202fcivilian-killings\u202f» (vigil indicator list montre la bibliothèque\u202f; manual pour un indicateur saisi à la main)",
			".unit\u00a0: cible dans la mauvaise unité\u00a0: civilian-deaths se mesure en décès, pas en «\u202fkilograms\u202f»"},
	} {
		b.inLang(c.lang)
		b.importFile(c.lang+" import", bad)
		b.refused(c.lang+" import refused", c.imported)
		// An indicator in a unit it is not measured in, refused on saving.
		b.submitForm("#perf-ind-form", map[string]string{"perf-ind-rid": "poc-1", "perf-ind-id": "cd-kg", "perf-ind-lib": "civilian-deaths", "perf-ind-unit": "kilograms", "perf-ind-targets": ""})
		b.refused(c.lang+" save refused", c.saved)
	}
	b.rec.take() // the refusals' 400s, expected
}

// TestE2EPerformanceRefusalsFrench: the server's other refusals of a
// framework are said in French on the French page, as in English on the
// English one, each naming where: an unknown country in an imported CSV,
// a JSON file cut short, a baseline period that is no period and a
// parameter value the indicator does not take on saving an indicator, and
// a save on a revision someone else has changed since (409). Before, the
// French page showed each in English.
func TestE2EPerformanceRefusalsFrench(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-refusals-french-")
	files := writeFiles(t, map[string]string{
		"area.csv": "objective_id,result_id,indicator_id,indicator,area\no,r,i,civilian-deaths,Narnia\n",
		"cut.json": `{"objectives": [`,
	})
	b.openEditor(srv)
	ind := map[string]string{"perf-ind-rid": "poc-1", "perf-ind-id": "cd-x", "perf-ind-lib": "civilian-deaths", "perf-ind-unit": "", "perf-ind-targets": ""}
	with := func(k, v string) map[string]string { m := maps.Clone(ind); m[k] = v; return m }
	// Someone else saves the framework: the page's revision is now old.
	const saveElsewhere = `(async () => {
		const p = '/api/v1/performance/frameworks/' + encodeURIComponent(document.querySelector('#perf-mission').value);
		const r = await Vigil.api(p);
		await Vigil.api(p, { method: 'PUT', query: { revision: r.revision }, json: r.framework });
		return true;
	})()`
	for _, c := range []struct{ lang, area, cut, basep, param, changed string }{
		{"en", `area.csv:2: column area: country "Narnia": unknown (want an ISO 3166 alpha-3 code such as COD, or a country name in English or French)`,
			"cut.json: (json): unexpected EOF",
			`.baseline_period: period "2019-Q5": quarter "Q5" is not Q1–Q4 (want 2019, 2019-Q3, 2019-07 or 2019-01..2019-06)`,
			`.params: type: "9": want one of 1, 2, 3, all`,
			"the framework was changed by someone else since it was read: reload it"},
		{"fr", "area.csv, ligne 2\u00a0: colonne area\u00a0: pays «\u202fNarnia\u202f»\u00a0: inconnu (attendu un code ISO 3166 alpha-3 comme COD, ou un nom de pays en anglais ou en français)",
			"cut.json\u00a0: (json)\u00a0: fin inattendue\u00a0: le JSON est incomplet",
			".baseline_period\u00a0: période «\u202f2019-Q5\u202f»\u00a0: le trimestre «\u202fQ5\u202f» n’est pas Q1 à Q4 (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)",
			".params\u00a0: type\u00a0: «\u202f9\u202f»\u00a0: attendu l’un de 1, 2, 3, all",
			"quelqu’un d’autre l’a modifié depuis sa lecture\u00a0: rechargez-le"},
	} {
		b.inLang(c.lang)
		b.importFile(c.lang+" import area", files["area.csv"])
		b.refused(c.lang+" area refused", c.area)
		b.importFile(c.lang+" import cut", files["cut.json"])
		b.refused(c.lang+" cut refused", c.cut)
		b.submitForm("#perf-ind-form", with("perf-ind-basep", "2019-Q5"))
		b.refused(c.lang+" baseline period refused", c.basep)
		// A value the list does not offer (as an imported file may hold one), refused by the server.
		if _, err := js[bool](b.ctx, `(document.getElementById('perf-ind-param-type').append(new Option('9', '9')), true)`); err != nil {
			t.Fatal(err)
		}
		b.submitForm("#perf-ind-form", with("perf-ind-param-type", "9"))
		b.refused(c.lang+" parameter refused", c.param)
		if _, err := jsAwait[bool](b.ctx, saveElsewhere); err != nil {
			t.Fatal(err)
		}
		b.submitForm("#perf-obj-form", map[string]string{"perf-obj-id": "poc", "perf-obj-title": "Protection"})
		b.refused(c.lang+" old revision refused", c.changed)
	}
	b.rec.take() // the refusals' 400s and 409s, expected
}
