package web_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// settingsBrowser is what the settings panel's browser tests do: axe
// checks, the stored settings as JSON ("none: …" when none), an input's
// value set (a change event sent), an element clicked.
type settingsBrowser struct {
	axe    func(step string)
	stored func() string
	set    func(id, v string)
	click  func(sel string)
}

// settingsMsg is the panel's message, as a script reads it.
const settingsMsg = `document.getElementById('surveys-set-msg').textContent`

// newSettingsBrowser is newPerfBrowser (startFullServer: the starter form,
// 60 answers, "census" margins by region) with a settingsBrowser.
func newSettingsBrowser(t *testing.T, name string) (*fullServer, *perfBrowser, settingsBrowser) {
	srv, b := newPerfBrowser(t, name)
	ctx := b.ctx
	return srv, b, settingsBrowser{
		axe: axeCheck(t, ctx),
		stored: func() string {
			st, err := srv.DB.Settings(context.Background(), starter.FormID)
			if err != nil {
				return "none: " + err.Error()
			}
			return mustJSON(st)
		},
		set: func(id, v string) {
			t.Helper()
			if _, err := js[bool](ctx, `((e) => { e.value = `+jsString(v)+`; e.dispatchEvent(new Event('change', { bubbles: true })); return true; })(document.getElementById(`+jsString(id)+`))`); err != nil {
				t.Fatal(err)
			}
		},
		click: func(sel string) {
			t.Helper()
			if _, err := js[bool](ctx, `(document.querySelector(`+jsString(sel)+`).click(), true)`); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// TestE2ESurveySettings: the weighting (population margins and the
// dimensions weighted to, design fields, trimming) and the disclosure
// protection (k, quasi-identifiers, mean-risk threshold, its weight field,
// answers never downloaded) were set through the API only, and the page
// read "weights: none" with margins loaded. The Surveys page's settings
// panel shows them with what each means, refuses a bad value in the page's
// language marking its input (nothing stored), saves a good one (audited)
// and the estimates then say the weights in use; in English and French,
// with axe.
func TestE2ESurveySettings(t *testing.T) {
	t.Parallel()
	srv, b, sb := newSettingsBrowser(t, "survey-settings-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe, stored, set, click, msg := sb.axe, sb.stored, sb.set, sb.click, settingsMsg
	meta := `document.getElementById('surveys-meta')?.textContent || ''`

	step("surveys page", navigate(srv.URL+"/#/surveys"))
	// No weighting yet: the page says so in words.
	wait("unweighted", meta+`.includes('weights: none: every respondent counts the same')`)
	click(`#surveys-settings summary`)
	wait("settings", `document.getElementById('surveys-set-k')?.value === '5' && document.getElementById('surveys-set-qi').value === 'region, admin2, sex, age_group, displacement' && [...document.querySelectorAll('#surveys-set-margins option')].some((o) => o.value === 'census')`)
	axe("settings, en")

	// Margins chosen but nothing ticked: weights are not used, and the page says how to turn them on.
	set("surveys-set-margins", "census")
	wait("dimensions", `document.querySelector('#surveys-set-rake input[value=region]')`)
	click(`#surveys-set-save`)
	wait("saved without raking", msg+`.startsWith('Settings saved') && `+meta+`.includes('the population margins “census” are chosen but the answers are not weighted to them')`)

	cases := []struct {
		name, lang, id, value, field, shown string
	}{
		{"risk above 1", "en", "surveys-set-risk", "2", "surveys-set-risk", "disclosure: max_risk: 2 out of range 0–1"},
		{"no such field", "en", "surveys-set-weights", "pw", "surveys-set-weights", `weights: form "vigil_perception" has no field "pw"`},
		{"k not a number", "en", "surveys-set-k", "five", "surveys-set-k", "json: field disclosure.k"},
		{"risk above 1", "fr", "surveys-set-risk", "2", "surveys-set-risk", "disclosure\u00a0: max_risk\u00a0: 2 hors de l’intervalle 0–1"},
		{"no such field", "fr", "surveys-set-weights", "pw", "surveys-set-weights", "weights\u00a0: le formulaire «\u202fvigil_perception\u202f» n’a pas de champ «\u202fpw\u202f»"},
	}
	before := stored()
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("lang "+c.lang, `document.documentElement.lang === '`+c.lang+`' && document.getElementById('surveys-settings').open && document.getElementById('surveys-set-k')`)
		old, _ := js[string](ctx, `document.getElementById(`+jsString(c.id)+`).value`)
		set(c.id, c.value)
		click(`#surveys-set-save`)
		wait(c.name+" "+c.lang, msg+`.includes(`+jsString(c.shown)+`) && document.getElementById(`+jsString(c.field)+`).getAttribute('aria-invalid') === 'true'`)
		if got := stored(); got != before {
			t.Errorf("%s %s: stored %s, want nothing written (%s)", c.name, c.lang, got, before)
		}
		set(c.id, old)
	}
	b.rec.take() // the refusals' 400s, expected
	axe("settings refused, fr")

	// In French: raking on the region, k 10, a 5 % risk threshold.
	click(`#surveys-set-rake input[value=region]`)
	set("surveys-set-k", "10")
	set("surveys-set-risk", "0,05")
	set("surveys-set-trim", "4")
	click(`#surveys-set-save`)
	wait("saved fr", msg+`.startsWith('Paramètres enregistrés') && `+meta+`.includes('pondération\u00a0: post-stratification sur Région (division administrative 1), chaque poids étant maintenu dans un rapport de 4 à la moyenne')`)
	st, err := srv.DB.Settings(context.Background(), starter.FormID)
	if err != nil || st.Margins != "census" || !slices.Equal(st.RakeOn, []string{"region"}) || st.TrimRatio != 4 || st.Disclosure.K != 10 || st.Disclosure.MaxRisk != 0.05 ||
		len(st.Indicators) != len(starter.Indicators()) || !slices.Equal(st.Disclosure.QuasiIdentifiers, starter.QuasiIdentifiers) {
		t.Errorf("stored settings %+v (%v), want census raking on region, trim 4, k 10, max risk 0.05, the starter indicators and quasi-identifiers", st, err)
	}
	recs, err := srv.DB.AuditLog(context.Background(), audit.Filter{Actor: srv.User, Action: "survey.settings.save", Limit: 10})
	if err != nil || len(recs) != 2 || !strings.Contains(recs[0].Detail, "k=10") {
		t.Errorf("settings saves audited: %+v (%v), want 2, the last with k=10", recs, err)
	}
	axe("settings saved, fr")
	if _, err := js[bool](ctx, `(Vigil.setLang('en'), true)`); err != nil {
		t.Fatal(err)
	}
	wait("saved en", `document.documentElement.lang === 'en' && `+meta+`.includes('weights: post-stratified on Region (admin area 1), each weight kept within a ratio of 4 to the mean') && `+msg+`.startsWith('Settings saved') && document.querySelector('#surveys-set-rake input[value=region]').checked`)
	// The raking choices are named by the form's labels, never by field
	// names (the panel drew them before the form's labels had come).
	if got, _ := js[string](ctx, `(() => { const ls = [...document.querySelectorAll('#surveys-set-rake label.surveys-set-dim')];
	  return ls.length + ' ' + ls.filter((l) => l.textContent.trim() === l.querySelector('input').value).map((l) => l.textContent.trim()).join('|'); })()`); got == "0 " || !strings.HasSuffix(got, " ") {
		t.Errorf("raking choices (count, those shown by field name): %q, want some, none by field name", got)
	}
	// The round choosers are in English again too (they stayed French).
	if got, _ := js[string](ctx, `[...document.querySelectorAll('#surveys-round option, #surveys-compare option')].filter((o) => !o.value).map((o) => o.textContent).join('|')`); got != "all rounds|(no comparison)" {
		t.Errorf("round choosers after the switch back to English: %q", got)
	}
	done("en")
}

// TestE2ESurveySettingsReported: what the analysis reports (its
// indicators, the breakdowns) and the finite population correction were
// set through the API only. The settings panel shows each indicator
// (identifier, names in English and French, question, answers counted and
// taken as no answer, several answers), the breakdowns and the fpc fields;
// a refusal names the setting by its JSON path and marks that input, in
// English and French, nothing stored; an indicator removed, one added and
// the breakdowns changed are saved (audited) and the estimates then offer
// the new indicator by its French name and the new breakdowns only. With
// axe.
func TestE2ESurveySettingsReported(t *testing.T) {
	t.Parallel()
	srv, b, sb := newSettingsBrowser(t, "survey-reported-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe, stored, set, click, msg := sb.axe, sb.stored, sb.set, sb.click, settingsMsg

	step("surveys page", navigate(srv.URL+"/#/surveys"))
	wait("estimates", `document.querySelector('#surveys-indicator option')`)
	click(`#surveys-settings summary`)
	n := len(starter.Indicators())
	wait("indicators shown", `document.querySelectorAll('#surveys-set-inds fieldset.surveys-set-ind').length === `+strconv.Itoa(n)+
		` && document.getElementById('surveys-set-ind-0-id').value === 'feels_safe' && document.getElementById('surveys-set-ind-0-values').value === 'very_safe, safe'`+
		` && document.getElementById('surveys-set-ind-4-multiple').checked && document.getElementById('surveys-set-breakdowns').value === 'region, sex, age_group, displacement'`+
		` && document.getElementById('surveys-set-fpc').value === ''`)
	axe("indicators, en")

	cases := []struct {
		name, lang, id, value, field, shown string
	}{
		{"no values counted", "en", "surveys-set-ind-1-values", "", "surveys-set-ind-1-values", "indicators[1]: indicator trusts_mission: values: no answer values counted"},
		{"id twice", "en", "surveys-set-ind-2-id", "feels_safe", "surveys-set-ind-2-id", `indicators[2]: id "feels_safe" used twice`},
		{"no such question", "fr", "surveys-set-ind-0-field", "q_safe", "surveys-set-ind-0-field", "indicators[0].field\u00a0: le formulaire «\u202fvigil_perception\u202f» n’a pas de champ «\u202fq_safe\u202f»"},
		{"no such breakdown", "fr", "surveys-set-breakdowns", "region, agegroup", "surveys-set-breakdowns", "breakdowns[1]\u00a0: le formulaire «\u202fvigil_perception\u202f» n’a pas de champ «\u202fagegroup\u202f»"},
		{"fpc without clusters", "fr", "surveys-set-fpc", "region, sex", "surveys-set-fpc", "fpc\u00a0: 2 champ(s) (region, sex) pour 1 degré(s) de sondage\u00a0: donnez-en un par champ de grappe, ou aucun"},
	}
	before := stored()
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("lang "+c.lang, `document.documentElement.lang === '`+c.lang+`' && document.getElementById('surveys-settings').open && document.getElementById(`+jsString(c.id)+`)`)
		old, _ := js[string](ctx, `document.getElementById(`+jsString(c.id)+`).value`)
		set(c.id, c.value)
		click(`#surveys-set-save`)
		wait(c.name+" "+c.lang, msg+`.includes(`+jsString(c.shown)+`) && document.getElementById(`+jsString(c.field)+`).getAttribute('aria-invalid') === 'true' && document.activeElement === document.getElementById(`+jsString(c.field)+`)`)
		if got := stored(); got != before {
			t.Errorf("%s %s: stored %s, want nothing written (%s)", c.name, c.lang, got, before)
		}
		set(c.id, old)
	}
	b.rec.take() // the refusals' 400s, expected
	axe("refused, fr")

	// In French: the first indicator removed, one added, two breakdowns.
	wait("legend fr", `document.querySelector('#surveys-set-ind-0-box legend').textContent === 'Indicateur 1\u00a0: Se sentent en sécurité ou très en sécurité dans leur zone'`)
	click(`#surveys-set-ind-0-remove`)
	wait("removed", `document.querySelectorAll('#surveys-set-inds fieldset.surveys-set-ind').length === `+strconv.Itoa(n-1)+` && document.getElementById('surveys-set-ind-0-id').value === 'trusts_mission'`)
	click(`#surveys-set-ind-add`)
	last := "surveys-set-ind-" + strconv.Itoa(n-1) + "-"
	wait("added", `document.activeElement === document.getElementById('`+last+`id') && document.querySelector('#`+last+`box legend').textContent === 'Indicateur `+strconv.Itoa(n)+` (nouveau)'`)
	set(last+"id", "unsafe")
	set(last+"label", "Feel unsafe")
	set(last+"label_fr", "Ne se sentent pas en sécurité")
	set(last+"field", "q_safety")
	set(last+"values", "unsafe, very_unsafe")
	set(last+"missing", "dont_know, refused")
	set("surveys-set-breakdowns", "region, sex")
	click(`#surveys-set-save`)
	wait("saved fr", msg+`.startsWith('Paramètres enregistrés') && [...document.querySelectorAll('#surveys-indicator option')].some((o) => o.value === 'unsafe' && o.textContent === 'Ne se sentent pas en sécurité')`+
		` && [...document.querySelectorAll('#surveys-by option')].map((o) => o.value).join() === 'region,sex'`)
	st, err := srv.DB.Settings(context.Background(), starter.FormID)
	added := surveys.Indicator{ID: "unsafe", Label: "Feel unsafe", LabelFR: "Ne se sentent pas en sécurité", Field: "q_safety", Values: []string{"unsafe", "very_unsafe"}, Missing: []string{"dont_know", "refused"}}
	if err != nil || len(st.Indicators) != n || st.Indicators[0].ID != "trusts_mission" || mustJSON(st.Indicators[n-1]) != mustJSON(added) || !slices.Equal(st.Breakdowns, []string{"region", "sex"}) || st.Indicators[3].ID != "hears_un_radio" || !st.Indicators[3].Multiple {
		t.Errorf("stored settings %+v (%v), want feels_safe removed, %+v added, breakdowns region and sex", st, err, added)
	}
	recs, err := srv.DB.AuditLog(context.Background(), audit.Filter{Actor: srv.User, Action: "survey.settings.save", Limit: 10})
	if err != nil || len(recs) != 1 || recs[0].Detail != "7 indicators, 2 breakdowns, 0 fpc fields, k=5" {
		t.Errorf("settings saves audited: %+v (%v), want 1 naming the indicators and breakdowns", recs, err)
	}
	axe("saved, fr")
	done("fr")
}
