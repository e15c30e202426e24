package performance

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

// briefForecasts is a forecast store with one stored month.
type briefForecasts struct {
	forecast.Store
	month grid.Month
	rows  []forecast.CellRisk
}

func (f briefForecasts) RiskOf(ctx context.Context, k forecast.RunKey, m grid.Month, h int) (forecast.Run, []forecast.CellRisk, error) {
	if m != f.month || k.Target != "osv" || h != 1 {
		return forecast.Run{Origin: m - 1}, nil, forecast.ErrNoForecast
	}
	return forecast.Run{ID: 7, Target: "osv", Origin: m - 1, Model: "gbt", Created: time.Date(2018, 12, 3, 9, 0, 0, 0, time.UTC)}, f.rows, nil
}

func (f briefForecasts) LatestRunOf(ctx context.Context, k forecast.RunKey) (forecast.Run, error) {
	return forecast.Run{}, forecast.ErrNoForecast
}

// TestBriefMap: the brief's map (JSON, page and PDF, in English and
// French) shows the stored forecast for the month, coverage gaps and the
// month's located alert incidents by state, with a legend in the brief's
// language; a month with no stored forecast says so and shades recent
// violence instead. Cells A (a site) and B (none, 5° away); the forecast
// for 2019-01 gives A 0.2 and B 0.5, so B is a gap; incidents of January:
// one awaiting triage at B, one with a response at A, one without a
// location, a reporter named in its title.
func TestBriefMap(t *testing.T) {
	es := []events.Event{ev("1", cellA, 2018, 3, events.OneSided, 1, 1, 1), ev("2", cellB, 2018, 7, events.OneSided, 2, 2, 2), ev("9", cellB, 2019, 2, events.OneSided, 0, 0, 0),
		ev("0", cellB, 2018, 1, events.OneSided, 0, 0, 0)} // the data span 2018-01..2019-02
	deps := []coverage.Deployment{dep("a", cellA, "2018-01", "2019-12", 0, 0)}
	latA, lonA, _ := grid.PrioCenter(cellA)
	latB, lonB, _ := grid.PrioCenter(cellB)
	jan := time.Date(2019, 1, 12, 8, 0, 0, 0, time.UTC)
	resp := jan.Add(time.Hour)
	ins := []alerts.Incident{
		{ID: 1, Status: alerts.Received, Category: "abduction", FirstAt: jan, Title: "Reported by Awa Traoré", ReporterSex: "female", Location: alerts.Location{Status: "resolved", Lat: &latB, Lon: &lonB}},
		{ID: 2, Status: alerts.Dispatched, Category: "attack_on_civilians", FirstAt: jan, TriagedAt: &resp, RespondedAt: &resp, Location: alerts.Location{Status: "resolved", Lat: &latA, Lon: &lonA}},
		{ID: 3, Status: alerts.Received, FirstAt: jan, Location: alerts.Location{Status: "unresolved"}},
	}
	fc := briefForecasts{month: grid.MonthOf(2019, 1), rows: []forecast.CellRisk{{Cell: cellA, Prob: 0.2}, {Cell: cellB, Prob: 0.5}}}
	e := NewEngine(Inputs{EventList: es, DeploymentList: deps, Cells: mali(), Forecasts: fc, Alerts: fakeAlerts{ins: ins}})
	ctx := context.Background()

	type rendered struct{ js, page, pdf string }
	build := func(m grid.Month, lang string) (*Brief, rendered) {
		t.Helper()
		b, err := e.BuildBrief(ctx, m, BriefOptions{Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		var js, page, pdf bytes.Buffer
		json.NewEncoder(&js).Encode(b)
		if err := b.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if err := b.WritePDF(&pdf); err != nil {
			t.Fatal(err)
		}
		return b, rendered{js.String(), html.UnescapeString(page.String()), pdfText(pdf.String())}
	}
	for _, c := range []struct {
		lang                                             string
		title, caption, covered, gap, triage, dealt, nol string
	}{
		{"en", "Map: forecast risk, coverage gaps and incidents", "the stored forecast's probability of one-sided violence against civilians in January 2019 (forecast of 3 December 2018 by the model",
			"blue outline: within reach of a site", "struck through: coverage gap", "awaiting triage: 1", "response dispatched, resolved or closed: 1",
			"Incidents without a location (or outside the map), not drawn: 1."},
		{"fr", "Carte\u00a0: risque prévu, lacunes de couverture et incidents", "probabilité de violence contre les civils en janvier 2019 selon la prévision enregistrée (prévision du 3 décembre 2018",
			"contour bleu\u00a0: à portée d’un site", "barrée\u00a0: lacune de couverture", "en attente de tri\u00a0: 1", "réponse envoyée, résolus ou clos\u00a0: 1",
			"Incidents sans localisation (ou hors de la carte), non représentés\u00a0: 1."},
	} {
		b, r := build(grid.MonthOf(2019, 1), c.lang)
		if b.Map.Shading != "forecast" || !b.Map.Coverage || len(b.Map.Cells) != 2 {
			t.Fatalf("%s map: shading %q coverage %v, %d cells", c.lang, b.Map.Shading, b.Map.Coverage, len(b.Map.Cells))
		}
		a, bb := b.Map.Cells[0], b.Map.Cells[1]
		if a.Risk != 0.2 || !a.Covered || a.Gap || bb.Risk != 0.5 || bb.Covered || !bb.Gap {
			t.Errorf("%s cells: %+v %+v", c.lang, a, bb)
		}
		var states []string
		for _, in := range b.Map.Incidents {
			states = append(states, in.State+"@"+in.Category)
		}
		sort.Strings(states)
		if strings.Join(states, " ") != "awaiting-triage@abduction dealt-with@attack_on_civilians" {
			t.Errorf("%s incidents: %v", c.lang, states)
		}
		// The legend's classes are bounded by the quartiles of the cells'
		// forecast probabilities (0.2 and 0.5: 0.275, 0.35, 0.425).
		pct := map[string]string{"en": "≤ 27.5%", "fr": "≤ 27,5\u202f%"}[c.lang]
		// …and the legend says what they measure, per cell.
		unit := map[string]string{"en": "Risk classes: each cell's forecast probability of violence against civilians in January 2019", "fr": "Classes de risque\u00a0: probabilité prévue de violence contre les civils dans chaque cellule en janvier 2019"}[c.lang]
		for _, want := range []string{c.title, c.caption, c.covered, c.gap, c.triage, c.dealt, c.nol, pct, unit} {
			if !strings.Contains(r.page, want) || !strings.Contains(r.pdf, strings.NewReplacer("\u202f", "\u00a0", "≤", "<=").Replace(want)) {
				t.Errorf("%s brief: %q not in the page and the PDF", c.lang, want)
			}
		}
		// Never who reported: no reporter's name or sex, nor the incident's words.
		for _, doc := range []string{r.js, r.page, r.pdf} {
			if strings.Contains(doc, "Traor") || strings.Contains(doc, "Reported by") {
				t.Errorf("%s brief names a reporter", c.lang)
			}
		}
		if !strings.Contains(r.page, `<circle`) || !strings.Contains(r.page, `<line`) {
			t.Errorf("%s page: no incident dot or gap stroke drawn", c.lang)
		}
	}
	// February 2019: no forecast stored, said in the caption; the shading
	// is recent violence (A 1 event, B 1 in the 12 months before); no
	// incident that month, said too.
	// The legend's classes are events per cell, said with their unit.
	for _, c := range []struct{ lang, noforecast, noincident, unit, class string }{
		{"en", "No forecast stored for February 2019: the shading shows recent violence instead", "No alert incident first reported in February 2019.",
			"Risk classes: violent events per cell in the 12 months before February 2019", "≤ 1 event"},
		{"fr", "Aucune prévision enregistrée pour février 2019\u00a0: la teinte montre à la place la violence récente", "Aucun incident d’alerte signalé pour la première fois en février 2019.",
			"Classes de risque\u00a0: événements violents par cellule au cours des 12 mois précédant février 2019", "≤ 1 événement"},
	} {
		b, r := build(grid.MonthOf(2019, 2), c.lang)
		if b.Map.Shading != "recent" || b.Map.Cells[0].Risk != 1 || b.Map.Cells[1].Risk != 1 || len(b.Map.Incidents) != 0 {
			t.Errorf("%s February: shading %q, cells %+v, incidents %+v", c.lang, b.Map.Shading, b.Map.Cells, b.Map.Incidents)
		}
		for _, want := range []string{c.noforecast, c.noincident, c.unit, c.class} {
			if !strings.Contains(r.page, want) || !strings.Contains(r.pdf, strings.NewReplacer("≤", "<=").Replace(want)) {
				t.Errorf("%s February brief: %q not in the page and the PDF", c.lang, want)
			}
		}
	}
	// No deployments that month, no alert store: both said.
	e = NewEngine(Inputs{EventList: es, Cells: mali()})
	b, err := e.BuildBrief(ctx, grid.MonthOf(2019, 2), BriefOptions{Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Map.Coverage || strings.Join(b.MapNotes(), " ") != "Pas de données de déploiement pour février 2019\u00a0: couverture et lacunes non représentées. Pas de base d’alertes\u00a0: incidents non représentés." {
		t.Errorf("notes without deployments and alerts: %q", b.Map.Text)
	}
}

// pdfText is the PDF's text as UTF-8: its strings are in the core fonts'
// one-byte code page, cp1252 (é is 0xE9, the no-break space 0xA0, the
// apostrophe ’ 0x92), parentheses escaped.
func pdfText(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0x92:
			sb.WriteRune('’')
		case c == 0x96:
			sb.WriteRune('–')
		case c == 0x97:
			sb.WriteRune('—')
		default:
			sb.WriteRune(rune(c))
		}
	}
	return strings.NewReplacer(`\(`, "(", `\)`, ")").Replace(sb.String())
}

// TestBriefReasonNumbers: a status reason in the brief writes its numbers
// as the brief's columns do: in English grouped with commas (5,000), in
// French with narrow no-break spaces and a decimal comma (5 000). (A unit
// that is no count keeps its decimals: TestBriefCountsWhole.)
func TestBriefReasonNumbers(t *testing.T) {
	s := IndicatorStatus{ID: "h", Indicator: "manual", Value: Value{Unit: "hours"},
		Status: Assessment{Status: "on track", Msg: msg("status.on-track", "lo", 1234.5, "hi", 1500, "target", 5000)}}
	for _, c := range []struct{ lang, want string }{
		{"en", "the whole 95% interval [1,234.5, 1,500] meets the target 5,000"},
		{"fr", "tout l’intervalle à 95\u202f% [1\u202f234,5\u202f; 1\u202f500] atteint la cible 5\u202f000"},
	} {
		if got := (&Brief{Lang: c.lang}).TargetRow(s).Reason; got != c.want {
			t.Errorf("%s reason %q, want %q", c.lang, got, c.want)
		}
	}
}

// TestBriefCountsWhole: the brief writes a count's (deaths, events) value,
// UCDP low–high range, 95 % interval, target and status reason as whole
// numbers, in the page and the PDF, as the Performance page's table does
// (« 12,4–30,8 » was printed); another unit keeps its decimals.
func TestBriefCountsWhole(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	val := func(unit string) Value {
		return Value{Indicator: "civilian-deaths", Area: "MLI", Unit: unit, Value: p(20.6), Low: p(15.6), High: p(25.2), Range: "UCDP low–high estimates",
			CILow: p(12.4), CIHigh: p(30.8), Uncertainty: Estimate}
	}
	for _, c := range []struct {
		lang, unit string
		want, not  []string // in the page and the PDF; in neither
	}{
		{"en", "deaths", []string{"21 deaths", "16–25 [12, 31]", "the whole 95% interval [12, 31] meets the target 40", ">40<"}, []string{"12.4", "30.8", "20.6", "40.2"}},
		{"fr", "deaths", []string{"21 décès", "16–25 [12\u202f; 31]", "tout l’intervalle à 95\u202f% [12\u202f; 31] atteint la cible 40", ">40<"}, []string{"12,4", "30,8", "20,6", "40,2"}},
		{"fr", "events", []string{"21 événements", "16–25 [12\u202f; 31]"}, []string{"12,4", "30,8"}},
		{"fr", "hours", []string{"20,6 heures", "15,6–25,2 [12,4\u202f; 30,8]", "[12,4\u202f; 30,8] atteint la cible 40,2", ">40,2<"}, nil},
	} {
		v := val(c.unit)
		b := &Brief{Lang: c.lang, Month: Period{From: grid.MonthOf(2019, 1), To: grid.MonthOf(2019, 1)}, Mission: "MINUSMA",
			Headlines: []Headline{{Def: Definition{ID: "civilian-deaths"}, Value: v}},
			Targets: []IndicatorStatus{{ID: "poc-1", Indicator: "civilian-deaths", Value: v, Target: p(40.2),
				Status: Assessment{Status: "on track", Msg: msg("status.on-track", "lo", 12.4, "hi", 30.8, "target", 40.2)}}}}
		checkBriefTexts(t, c.lang+" "+c.unit, b, c.want, c.not)
	}
}

// checkBriefTexts renders b as its printable page and its PDF and checks
// each of want is in both (a narrow no-break space as the PDF's no-break
// space; "<" and ">" around a cell's text in the page only), and none of
// not in either.
func checkBriefTexts(t *testing.T, label string, b *Brief, want, not []string) {
	t.Helper()
	var page, pdf bytes.Buffer
	if err := b.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if err := b.WritePDF(&pdf); err != nil {
		t.Fatal(err)
	}
	text, doc := html.UnescapeString(page.String()), pdfText(pdf.String())
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s page: no %q", label, w)
		}
		if w = strings.Trim(w, "<>"); !strings.Contains(doc, strings.ReplaceAll(w, "\u202f", "\u00a0")) {
			t.Errorf("%s PDF: no %q", label, w)
		}
	}
	for _, n := range not {
		if strings.Contains(text, n) || strings.Contains(doc, n) {
			t.Errorf("%s: %q in the page or the PDF", label, n)
		}
	}
}

// TestBriefFrameworkTitles: the brief's framework table heads each
// objective's and result's rows with its title in the brief's language,
// in the page and the PDF: the French title in French when the framework
// has one, the English title otherwise (and in English).
func TestBriefFrameworkTitles(t *testing.T) {
	ind := func(id string) FIndicator {
		return FIndicator{ID: id, Indicator: "civilian-deaths", Area: "MLI", Targets: []Target{{"2019-01", 5}}}
	}
	f := &Framework{Mission: "MINUSMA", Objectives: []Objective{
		{ID: "poc", Titled: Titled{"Protection of civilians", "Protection des civils"}, Results: []Result{
			{ID: "poc-1", Titled: Titled{"Fewer civilians killed", "Moins de civils tués"}, Indicators: []FIndicator{ind("a"), ind("b")}},
			{ID: "poc-2", Titled: Titled{Title: "Violence within reach"}, Indicators: []FIndicator{ind("c")}}}},
		{ID: "pol", Titled: Titled{Title: "Political process"}, Results: []Result{{ID: "pol-1", Indicators: []FIndicator{ind("d")}}}},
	}}
	if err := f.Validate("f"); err != nil {
		t.Fatal(err)
	}
	e := NewEngine(Inputs{EventList: []events.Event{ev("1", cellA, 2019, 1, events.OneSided, 3, 2, 5)}, Cells: mali()})
	for _, c := range []struct {
		lang      string
		headings  []string // the rows' Objective|Result, a, b, c, d
		notInPage string
	}{
		{"fr", []string{"poc — Protection des civils|poc-1 — Moins de civils tués", "|", "|poc-2 — Violence within reach", "pol — Political process|pol-1"}, "Protection of civilians"},
		{"en", []string{"poc — Protection of civilians|poc-1 — Fewer civilians killed", "|", "|poc-2 — Violence within reach", "pol — Political process|pol-1"}, "Protection des civils"},
	} {
		b, err := e.BuildBrief(context.Background(), grid.MonthOf(2019, 1), BriefOptions{Lang: c.lang, Framework: f})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range b.TargetRows() {
			got = append(got, r.Objective+"|"+r.Result)
		}
		if strings.Join(got, "\n") != strings.Join(c.headings, "\n") {
			t.Errorf("%s headings:\n%s\nwant\n%s", c.lang, strings.Join(got, "\n"), strings.Join(c.headings, "\n"))
		}
		var page, pdf bytes.Buffer
		if err := b.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if err := b.WritePDF(&pdf); err != nil {
			t.Fatal(err)
		}
		text := pdfText(pdf.String())
		for _, h := range c.headings {
			for _, want := range strings.Split(h, "|") {
				if want == "" {
					continue
				}
				_, title, _ := strings.Cut(want, " — ")
				if !strings.Contains(html.UnescapeString(page.String()), ">"+want+"</th>") || !strings.Contains(text, title) {
					t.Errorf("%s: heading %q not in the page, or %q not in the PDF", c.lang, want, title)
				}
			}
		}
		if strings.Contains(page.String(), c.notInPage) || strings.Contains(text, c.notInPage) {
			t.Errorf("%s brief says %q", c.lang, c.notInPage)
		}
	}
}

// TestBriefSharesAsPage: a share's value, interval, target and status
// reason are written in the brief (page and PDF) as the Performance page
// writes them (web/ui/performance.js fmt: a percentage rounded to two
// decimals, no trailing zeros): a target of 0.7 is "70%" / « 70 % », not
// "70.00%" / « 70,00 % », and 0.686 is "68.6%".
func TestBriefSharesAsPage(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		x        float64
		en, fr   string
		notEN, n string
	}{
		{0.7, "70%", "70\u202f%", "70.00%", "70,00"},
		{0.686, "68.6%", "68,6\u202f%", "68.60%", "68,60"},
		{0.4913, "49.13%", "49,13\u202f%", "", ""},
		{0.12344, "12.34%", "12,34\u202f%", "12.344", "12,344"},
		{1, "100%", "100\u202f%", "100.00%", "100,00"},
		{0, "0%", "0\u202f%", "0.00%", "0,00"},
	} {
		if got := FormatNumberLang(&c.x, "share", "en"); got != c.en {
			t.Errorf("en %v: %q, want %q", c.x, got, c.en)
		}
		if got := FormatNumberLang(&c.x, "share", "fr"); got != c.fr {
			t.Errorf("fr %v: %q, want %q", c.x, got, c.fr)
		}
	}
	v := Value{Indicator: "risk-covered", Area: "CAF", Unit: "share", Value: p(0.686), CILow: p(0.6), CIHigh: p(0.75), Uncertainty: Estimate}
	for _, c := range []struct {
		lang      string
		want, not []string // in the page and the PDF; in neither
	}{
		{"en", []string{"68.6%", "[60%, 75%]", ">70%<", "the whole 95% interval [60%, 75%] meets the target 70%"}, []string{"70.00", "68.60", "60.00", "75.00"}},
		{"fr", []string{"68,6\u202f%", "[60\u202f%\u202f; 75\u202f%]", ">70\u202f%<", "tout l’intervalle à 95\u202f% [60\u202f%\u202f; 75\u202f%] atteint la cible 70\u202f%"}, []string{"70,00", "68,60", "60,00", "75,00"}},
	} {
		b := &Brief{Lang: c.lang, Month: Period{From: grid.MonthOf(2019, 1), To: grid.MonthOf(2019, 1)}, Mission: "MINUSCA",
			Headlines: []Headline{{Def: Definition{ID: "risk-covered"}, Value: v}},
			Targets: []IndicatorStatus{{ID: "poc-2", Indicator: "risk-covered", Value: v, Target: p(0.7),
				Status: Assessment{Status: "on track", Msg: msg("status.on-track", "lo", 0.6, "hi", 0.75, "target", 0.7, "scale", "percent")}}}}
		checkBriefTexts(t, c.lang, b, c.want, c.not)
	}
}

// TestBriefPDFMinus: the PDF prints the minus sign (U+2212: French
// negative numbers, "after − before") as a minus, from the core Symbol
// font (its 0x2D glyph is the minus), since the text fonts' code page
// (cp1252) has none: not a hyphen. English numbers keep the hyphen-minus
// they are written with, as the page writes them.
func TestBriefPDFMinus(t *testing.T) {
	w := &WatchReport{Config: WatchConfig{Measure: "deaths", After: 12}, Found: 3, Evaluated: 2, DiD: ptr(-3.39), DiDLow: ptr(-8.26), DiDHigh: ptr(0.64)}
	recent := []Withdrawal{{Cell: 1, Month: "2018-03", Location: "Bria", Area: "CAF", Mission: "MINUSCA", Status: WEvaluated, Before: 9, After: 2, Expected: 8.5, DiD: -6.5, P: 0.99}}
	for _, c := range []struct {
		lang      string
		want, not []string
	}{
		{"fr", []string{"Double différence (après \u2212 avant, retiré \u2212 apparié), moyenne\u00a0: \u22123,39 [\u22128,26\u00a0; 0,64]", "double différence \u22126,5,"}, []string{"-3,39", "-8,26", "-6,5", "6,50", "après - avant"}}, // cp1252 has no U+202F: the PDF draws U+00A0 before « ; »
		{"en", []string{"Difference-in-differences (after \u2212 before, withdrawn \u2212 matched), mean: -3.39 [-8.26, 0.64]", "difference-in-differences -6.5,"}, []string{"-6.50", "after - before", "\u22123.39"}},
	} {
		b := &Brief{Lang: c.lang, Month: Period{From: grid.MonthOf(2019, 1), To: grid.MonthOf(2019, 1)}, Watch: w, WatchRecent: recent}
		var pdf bytes.Buffer
		if err := b.WritePDF(&pdf); err != nil {
			t.Fatal(err)
		}
		text := pdfFontText(t, pdf.String())
		for _, s := range c.want {
			if !strings.Contains(text, s) {
				t.Errorf("%s PDF: no %q in\n%s", c.lang, s, text)
			}
		}
		for _, s := range c.not {
			if strings.Contains(text, s) {
				t.Errorf("%s PDF says %q", c.lang, s)
			}
		}
	}
}

// pdfFontText is the PDF's text as a reader sees it: each string shown
// (Tj) decoded by the font it is shown in — the text fonts' cp1252 as
// pdfText reads it, the Symbol font's 0x2D as the minus sign U+2212 —
// strings shown one after the other on a line joined.
func pdfFontText(t *testing.T, s string) string {
	t.Helper()
	base := map[string]string{} // object number → font name
	for _, m := range regexp.MustCompile(`(\d+) 0 obj\n<</Type /Font\n/BaseFont /(\S+)`).FindAllStringSubmatch(s, -1) {
		base[m[1]] = m[2]
	}
	res := map[string]string{} // resource name → font name
	for _, m := range regexp.MustCompile(`/(F\w+) (\d+) 0 R`).FindAllStringSubmatch(s, -1) {
		res[m[1]] = base[m[2]]
	}
	if len(res) == 0 {
		t.Fatal("no font in the PDF")
	}
	var sb strings.Builder
	font, lastY := "", ""
	for _, m := range regexp.MustCompile(`/(F\w+) [\d.]+ Tf|([\d.]+) ([\d.]+) Td \(((?:\\.|[^\\)])*)\) ?Tj`).FindAllStringSubmatch(s, -1) {
		if m[1] != "" {
			font = res[m[1]]
			continue
		}
		if lastY != "" && m[3] != lastY {
			sb.WriteString("\n")
		}
		lastY = m[3]
		txt := pdfText(m[4])
		if font == "Symbol" {
			txt = strings.ReplaceAll(txt, "-", "\u2212")
		}
		sb.WriteString(txt)
	}
	return sb.String()
}
