package performance

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReasonsCatalog: every reason has an English and a real French text
// with the same placeholders (French may say a quoted one as {name:q}).
func TestReasonsCatalog(t *testing.T) {
	ph := regexp.MustCompile(`\{\w+(?::q)?\}`)
	names := func(s string) []string {
		var out []string
		for _, p := range ph.FindAllString(s, -1) {
			out = append(out, strings.TrimSuffix(strings.Trim(p, "{}"), ":q"))
		}
		return out
	}
	for _, code := range ReasonCodes() {
		l := Reasons[code]
		en, fr := names(l[0]), names(l[1])
		slices.Sort(en)
		slices.Sort(fr)
		if !slices.Equal(en, fr) {
			t.Errorf("%s: placeholders %v in English, %v in French", code, en, fr)
		}
		if l[0] == "" || l[1] == "" || (l[0] == l[1] && code != "value.other") {
			t.Errorf("%s: English %q, French %q", code, l[0], l[1])
		}
	}
}

// TestReasonMessages: status and trend reasons are codes with arguments
// that render in either language (nested reasons and area names too), and
// the English text is the Reason the API has always given.
func TestReasonMessages(t *testing.T) {
	n := func(x float64) *float64 { return &x }
	// The whole of the data, named inside a sentence: lower case.
	noDataAll := noData(msg("value.no-incident", "area", "ALL", "period", "2019"))
	// A country after "in": French takes au (masculine), en (feminine).
	noDataMali := noData(msg("value.no-incident", "area", "MLI", "period", "2019"))
	noDataCAR := noData(msg("value.no-cell-in-area", "area", "CAF"))
	noData := noData(msg("value.no-active-site", "area", "COD", "period", "2019"))
	count := Value{Value: n(10), Low: n(8), High: n(12), CILow: n(4.8), CIHigh: n(18.4), Uncertainty: Count, Coverage: Coverage{Months: 12}}
	share := Value{Value: n(0.7486), CILow: n(0.701), CIHigh: n(0.7912), Unit: "share", Uncertainty: Estimate}
	exact := Value{Value: n(0.4913), CILow: n(0.4913), CIHigh: n(0.4913), Unit: "share", Uncertainty: Exact}
	cases := []struct {
		name   string
		a      Assessment
		code   string
		en, fr string
	}{
		{"on track", Assess(count, 20, nil, LowerIsBetter), "status.on-track", "the whole 95% interval [4.8, 18.4] meets the target 20", "tout l’intervalle à 95\u202f% [4,8\u202f; 18,4] atteint la cible 20"},
		{"inside", Assess(count, 10, nil, LowerIsBetter), "status.inside", "the target 10 lies inside", "la cible 10 se trouve dans"},
		{"off track", Assess(count, 2, n(3), LowerIsBetter), "status.off-baseline", "no better than the baseline 3", "n’est pas meilleur que la référence 3"},
		{"no data", Assess(noData, 1, nil, LowerIsBetter), "status.no-value", "no value for the period: no site was active in Democratic Republic of the Congo in 2019", "pas de valeur pour la période\u00a0: aucun site n’était actif en République démocratique du Congo en 2019"},
		{"no data, Mali", Assess(noDataMali, 1, nil, LowerIsBetter), "status.no-value", "no value for the period: no incident in Mali was first reported in 2019", "pas de valeur pour la période\u00a0: aucun incident au Mali n’a été signalé pour la première fois en 2019"},
		{"no data, Central African Republic", Assess(noDataCAR, 1, nil, LowerIsBetter), "status.no-value", "no value for the period: no cell of the cell set lies in Central African Republic", "pas de valeur pour la période\u00a0: aucune cellule du jeu ne se trouve en République centrafricaine"},
		{"no data, all areas", Assess(noDataAll, 1, nil, LowerIsBetter), "status.no-value", "no value for the period: no incident in all areas was first reported in 2019", "pas de valeur pour la période\u00a0: aucun incident dans l’ensemble des zones n’a été signalé pour la première fois en 2019"},
		{"trend no change", Trend(count, count, LowerIsBetter), "trend.no-change", "no change", "aucun changement"},
		{"trend earlier missing", Trend(noData, count, LowerIsBetter), "trend.no-earlier", "no value for the earlier period: no site", "pas de valeur pour la période précédente\u00a0: aucun site"},
		// A p-value below 0.001 is written as its bound, not 4.99e-47.
		{"trend tiny p", Trend(count, Value{Value: n(200), Low: n(190), High: n(210), Uncertainty: Count, Coverage: Coverage{Months: 12}}, LowerIsBetter), "trend.poisson-tiny", "12 vs 190 over 12 vs 12 months: p < 0.001", "12 contre 190 en 12 contre 12 mois\u00a0: p < 0,001"},
		// A share's levels are percentages, as its value is shown (0.701 →
		// 70.1%), its changes percentage points; an exact value (complete
		// data) is a value, not an interval of no width.
		{"share on track", Assess(share, 0.6, nil, HigherIsBetter), "status.on-track", "the whole 95% interval [70.1%, 79.12%] meets the target 60%", "tout l’intervalle à 95\u202f% [70,1\u202f%\u202f; 79,12\u202f%] atteint la cible 60\u202f%"},
		{"share inside", Assess(share, 0.75, nil, HigherIsBetter), "status.inside", "the target 75% lies inside the 95% interval [70.1%, 79.12%]", "la cible 75\u202f% se trouve dans l’intervalle à 95\u202f% [70,1\u202f%\u202f; 79,12\u202f%]"},
		{"share trend", Trend(Value{Value: n(0.7), CILow: n(0.65), CIHigh: n(0.75), Unit: "share", Uncertainty: Estimate}, share, HigherIsBetter), "trend.not-clear", "change 4.86 points against ±", "variation de 4,86 points pour ±"},
		{"exact off track", Assess(exact, 0.7, nil, HigherIsBetter), "status.off-track.exact", "the value 49.13% misses the target 70% (complete data, no uncertainty)", "la valeur 49,13\u202f% manque la cible 70\u202f% (données complètes, sans incertitude)"},
		{"exact on track", Assess(exact, 0.4, nil, HigherIsBetter), "status.on-track.exact", "the value 49.13% meets the target 40%", "la valeur 49,13\u202f% atteint la cible 40\u202f%"},
		{"exact off baseline", Assess(exact, 0.7, n(0.6), HigherIsBetter), "status.off-baseline.exact", "the value 49.13% misses the target 70% and is no better than the baseline 60%", "la valeur 49,13\u202f% manque la cible 70\u202f% et n’est pas meilleure que la référence 60\u202f%"},
		// An exact value's trend says the two values it compares (it said
		// "values computed from complete data" and no number).
		{"exact trend", Trend(Value{Value: n(0.6806), CILow: n(0.6806), CIHigh: n(0.6806), Unit: "share", Uncertainty: Exact}, exact, HigherIsBetter), "trend.exact",
			"from 68.06% to 49.13% (complete data, no uncertainty)", "de 68,06\u202f% à 49,13\u202f% (données complètes, sans incertitude)"},
		{"exact trend, not a share", Trend(Value{Value: n(0.0213), Uncertainty: Exact}, Value{Value: n(-0.0117), Uncertainty: Exact}, HigherIsBetter), "trend.exact",
			"from 0.0213 to -0.0117 (complete data", "de 0,0213 à −0,0117 (données complètes"},
		{"trend p", Trend(count, Value{Value: n(25), Low: n(24), High: n(26), Uncertainty: Count, Coverage: Coverage{Months: 12}}, LowerIsBetter), "trend.not-clear", "12 vs 24 over 12 vs 12 months: p = 0.0652", "12 contre 24 en 12 contre 12 mois\u00a0: p = 0,0652"},
	}
	for _, c := range cases {
		if c.a.Msg.Code != c.code || c.a.Reason != c.a.Msg.Text("en") {
			t.Errorf("%s: code %q (want %q), reason %q vs text %q", c.name, c.a.Msg.Code, c.code, c.a.Reason, c.a.Msg.Text("en"))
		}
		if en, fr := c.a.Msg.Text("en"), c.a.Msg.Text("fr"); !strings.Contains(en, c.en) || !strings.Contains(fr, c.fr) {
			t.Errorf("%s:\n en %q (want %q)\n fr %q (want %q)", c.name, en, c.en, fr, c.fr)
		}
	}
	if m := suppressedMsg("fewer than 30 respondents (n=12)"); m.Text("fr") != "masqué\u00a0: moins de 30 répondants (n=12)" {
		t.Errorf("suppression: %q", m.Text("fr"))
	}
}

// TestFrenchLabels: data-source names, option problems and the withdrawal
// line's difference-in-differences are said in the brief's language.
func TestFrenchLabels(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{SourceLabel("events", "fr"), "événements"},
		{SourceLabel("events", "en"), "events"},
		{SourceLabel("survey vigil_perception responses", "fr"), "réponses à l’enquête « vigil_perception »"},
		{SourceLabel("content items", "fr"), "contenus suivis"},
		{SourceLabel("something new", "fr"), "something new"},
		{MsgText(ptr(msg("option.scenario-gone", "id", 7)), "fr"), "le scénario 7 n’est plus enregistré"},
		{MsgText(ptr(msg("option.no-coverage-store")), "en"), "no coverage store is configured"},
		{(&Brief{Lang: "fr"}).valueText(Value{Value: ptr(161.0), Unit: "deaths"}), "161 décès"},
		{(&Brief{Lang: "en"}).valueText(Value{Value: ptr(161.0), Unit: "deaths"}), "161 deaths"},
		// The forecast's skill in plain words first, its number for analysts after.
		{(&Brief{Lang: "fr"}).valueText(Value{Value: ptr(-0.0117), Unit: "AUPR difference"}), "légèrement moins précise que la meilleure référence simple (−0,0117 écart d’AUPR)"},
		{(&Brief{Lang: "en"}).valueText(Value{Value: ptr(-0.0117), Unit: "AUPR difference"}), "slightly less accurate than the best simple baseline (-0.0117 AUPR difference)"},
		{(&Brief{Lang: "en"}).valueText(Value{Value: ptr(0.002), Unit: "AUPR difference"}), "about as accurate as the best simple baseline (0.002 AUPR difference)"},
		{(&Brief{Lang: "fr"}).valueText(Value{Value: ptr(0.12), Unit: "AUPR difference"}), "plus précise que la meilleure référence simple (0,12 écart d’AUPR)"},
		{(&Brief{Lang: "fr"}).valueText(Value{Value: ptr(9.0), Unit: "agreements"}), "9 agreements"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// A withdrawal in plain words for leadership (what was seen before and
	// after, what similar places lead to expect, whether the trigger
	// fired); its statistics for analysts apart.
	w := Withdrawal{Month: "2018-03", Location: "Bria", Area: "CAF", Mission: "MINUSCA", Status: WEvaluated, Before: 2, After: 19, Expected: 3.5, DiD: 15.5, P: 0.0001, Fired: true}
	fr := w.summary(&Brief{Lang: "fr"})
	if want := "ALERTE DÉCLENCHÉE\u00a0: La violence contre les civils a augmenté après le départ de la mission de Bria (République centrafricaine, MINUSCA) en mars 2018\u00a0: 19 décès de civils dans les 12 mois suivants, alors que des lieux semblables où la mission est restée laissent attendre environ 3,5 (2 avant) — presque certainement pas un hasard."; fr != want {
		t.Errorf("French withdrawal line: %q, want %q", fr, want)
	}
	if en, want := w.summary(&Brief{Lang: "en"}), "TRIGGER FIRED: Violence against civilians rose after the mission left Bria (Central African Republic, MINUSCA) in March 2018: 19 civilian deaths in the 12 months after, where similar places where the mission stayed lead to expect about 3.5 (2 before) — almost certainly not chance."; en != want {
		t.Errorf("English withdrawal line: %q, want %q", en, want)
	}
	// One withdrawal's difference in differences is singular, as the Performance page's « double différence {did} » (perf.leadItem).
	if fr := w.figures(&Brief{Lang: "fr"}); fr != "Bria, mars 2018\u00a0: attendu 3,5, double différence 15,5, p < 0,001" {
		t.Errorf("French withdrawal figures: %q", fr)
	}
	if en := w.figures(&Brief{Lang: "en"}); en != "Bria, March 2018: expected 3.5, difference-in-differences 15.5, p < 0.001" {
		t.Errorf("English withdrawal figures: %q", en)
	}
	o := OptionView{Option: Option{ScenarioID: 7}}
	o.setProblem(msg("option.scenario-gone", "id", 7))
	if l := (&Brief{Lang: "fr"}).OptionLine(o); !strings.HasSuffix(l, ": le scénario 7 n’est plus enregistré") {
		t.Errorf("French option line: %q", l)
	}
}

func ptr[T any](x T) *T { return &x }

// TestLocalNumber: numbers are written for the reader as
// Intl.NumberFormat writes them: English ones with their integer digits
// grouped by three with commas (1,234; 12,345.6); French ones with a
// decimal comma, digits grouped by three with narrow no-break spaces and a
// narrow no-break space before %; ParseNumber reads each back to the same
// number, as does the machine form.
func TestLocalNumber(t *testing.T) {
	const n = "\u202f"
	for _, c := range []struct {
		in, en, fr string
		want       float64
	}{
		{"134.32", "134.32", "134,32", 134.32},
		{"1234", "1,234", "1" + n + "234", 1234},
		{"12345.6", "12,345.6", "12" + n + "345,6", 12345.6},
		// French typography's minus sign (U+2212), as the pages write it.
		{"-1234567.25", "-1,234,567.25", "\u22121" + n + "234" + n + "567,25", -1234567.25},
		{"-3.39", "-3.39", "\u22123,39", -3.39},
		{"999", "999", "999", 999},
		{"0.0652", "0.0652", "0,0652", 0.0652},
		{"30.85%", "30.85%", "30,85" + n + "%", 30.85},
		{"100000.5%", "100,000.5%", "100" + n + "000,5" + n + "%", 100000.5},
		{"1e-05", "1e-05", "1e-05", 1e-05},
		{"1.5e-05", "1.5e-05", "1,5e-05", 1.5e-05},
		{"—", "—", "—", 0},
		{"inf", "inf", "inf", 0},
	} {
		for _, l := range []struct{ lang, want string }{{"en", c.en}, {"fr", c.fr}} {
			got := LocalNumber(c.in, l.lang)
			if got != l.want {
				t.Errorf("%s %q → %q, want %q", l.lang, c.in, got, l.want)
			}
			if c.want == 0 {
				continue
			}
			for _, s := range []string{c.in, got} {
				if x, err := ParseNumber(s, l.lang); err != nil || x != c.want {
					t.Errorf("ParseNumber(%q, %s) = %v, %v; want %v", s, l.lang, x, err, c.want)
				}
			}
		}
	}
	x := 0.3085
	if s := FormatNumberLang(&x, "share", "fr"); s != "30,85"+n+"%" {
		t.Errorf("French share %q", s)
	}
	b := &Brief{Lang: "fr"}
	v := Value{Value: ptr(1234.5), Low: ptr(1000.0), High: ptr(1500.0), CILow: ptr(1100.25), CIHigh: ptr(1400.0), Uncertainty: Count, Range: "UCDP low–high estimates", Unit: "hours"} // not a count: its decimals kept (TestBriefCountsWhole)
	if got, want := b.valueText(v), "1"+n+"234,5 heures"; got != want {
		t.Errorf("French value %q, want %q", got, want)
	}
	if got, want := b.rangeText(v), "1"+n+"000–1"+n+"500 [1"+n+"100,25\u202f; 1"+n+"400]"; got != want {
		t.Errorf("French range %q, want %q", got, want)
	}
	if got, want := (&Brief{Lang: "en"}).rangeText(v), "1,000–1,500 [1,100.25, 1,400]"; got != want {
		t.Errorf("English range %q, want %q", got, want)
	}
}

// TestBriefWordsNotCodes: the brief names an option's scenario kind and
// strategy as the Coverage page does (not "plan", "try", "targeted"), says
// what the watch's counts are (not "(131 / 210; 8 TRIGGER FIRED)"), and
// writes one event, one death in the singular, in English and French.
func TestBriefWordsNotCodes(t *testing.T) {
	o := OptionView{Scenario: "TOB Bambari", Kind: "try", Month: "2018-12", Effects: []Effect{{Strategy: "targeted", Before: 12, After: 20}}}
	w := &WatchReport{Found: 210, Evaluated: 131, Fired: 8, DiD: ptr(-3.39), DiDLow: ptr(-8.26), DiDHigh: ptr(0.64)}
	named := o
	named.ScenarioFR = "BOT Bambari"
	once := &WatchReport{Found: 3, Evaluated: 2, Fired: 1, DiD: ptr(1.0), DiDLow: ptr(0.0), DiDHigh: ptr(2.0)}
	rose := &WatchReport{Found: 3, Evaluated: 2, Fired: 1, DiD: ptr(4.24), DiDLow: ptr(0.5), DiDHigh: ptr(8.0)}
	fell := &WatchReport{Config: WatchConfig{Measure: "events"}, Found: 3, Evaluated: 2, DiD: ptr(-3.0), DiDLow: ptr(-5.0), DiDHigh: ptr(-0.1)}
	for _, c := range []struct {
		lang, got, want string
	}{
		{"en", (&Brief{Lang: "en"}).OptionLine(o), "TOB Bambari (Tried TOB, December 2018): Targeted: close or trim chosen sites: 12 → 20"},
		{"fr", (&Brief{Lang: "fr"}).OptionLine(o), "TOB Bambari (BOT essayée, décembre 2018)\u00a0: Ciblée\u00a0: fermer ou alléger des sites choisis\u00a0: 12 → 20"},
		{"en", (&Brief{Lang: "en"}).OptionLine(named), "TOB Bambari (Tried TOB, December 2018): Targeted: close or trim chosen sites: 12 → 20"},
		{"fr", (&Brief{Lang: "fr"}).OptionLine(named), "BOT Bambari (BOT essayée, décembre 2018)\u00a0: Ciblée\u00a0: fermer ou alléger des sites choisis\u00a0: 12 → 20"},
		// The watch leads with plain words (its interval holds 0: no measurable change; above 0: a rise), the numbers for analysts apart.
		{"en", (&Brief{Lang: "en", Watch: w}).DiDLine(), "No measurable change in civilian deaths after the mission's withdrawals: where it left, they changed about as much as in similar places where it stayed. 131 of 210 withdrawals compared with similar places where the mission stayed; the alert to leadership fired 8 times."},
		{"fr", (&Brief{Lang: "fr", Watch: w}).DiDLine(), "Aucun changement mesurable des décès de civils après les retraits de la mission\u00a0: là où elle est partie, ils ont évolué à peu près comme dans des lieux semblables où elle est restée. 131 retraits sur 210 comparés à des lieux semblables où la mission est restée\u202f; l’alerte à la direction s’est déclenchée 8 fois."},
		{"en", (&Brief{Lang: "en", Watch: w}).DiDDetail(), "Difference-in-differences (after − before, withdrawn − matched), mean: -3.39 [-8.26, 0.64]"},
		{"fr", (&Brief{Lang: "fr", Watch: w}).DiDDetail(), "Double différence (après − avant, retiré − apparié), moyenne\u00a0: −3,39 [−8,26\u202f; 0,64]"},
		{"en", (&Brief{Lang: "en", Watch: once}).DiDLine(), "the alert to leadership fired once."},
		{"en", (&Brief{Lang: "en", Watch: rose}).DiDLine(), "After the mission's withdrawals, civilian deaths rose: about 4.2 more per place than in similar places where it stayed."},
		{"fr", (&Brief{Lang: "fr", Watch: rose}).DiDLine(), "Après les retraits de la mission, les décès de civils ont augmenté\u00a0: environ 4,2 de plus par lieu que dans des lieux semblables où elle est restée."},
		{"fr", (&Brief{Lang: "fr", Watch: fell}).DiDLine(), "Après les retraits de la mission, les événements de violence contre les civils ont diminué\u00a0: environ 3 de moins par lieu"},
		{"en", (&Brief{Lang: "en"}).valueText(Value{Unit: "events", Value: ptr(1.0)}), "1 event"},
		{"en", (&Brief{Lang: "en"}).valueText(Value{Unit: "events", Value: ptr(2.0)}), "2 events"},
		{"fr", (&Brief{Lang: "fr"}).valueText(Value{Unit: "events", Value: ptr(1.0)}), "1 événement"},
		{"fr", (&Brief{Lang: "fr"}).valueText(Value{Unit: "events", Value: ptr(3.0)}), "3 événements"},
		{"en", (&Brief{Lang: "en"}).valueText(Value{Unit: "deaths", Value: ptr(1.0)}), "1 death"},
		{"en", (&Brief{Lang: "en"}).valueText(Value{Unit: "minutes", Value: ptr(1.0)}), "1 minute"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s: %q, want it to contain %q", c.lang, c.got, c.want)
		}
	}
}
