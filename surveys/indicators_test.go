package surveys

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/surveys/estimate"
)

var noRule = &estimate.Rule{}

// TestAnalyzeMatchesR runs indicator plans over the API samples treated as
// survey answers and compares with R's svyciprop goldens.
func TestAnalyzeMatchesR(t *testing.T) {
	g := rGoldens(t)
	strat := apiRows(t, "apistrat.csv")
	clus1 := apiRows(t, "apiclus1.csv")
	popAll, err := ReadPopulation(strings.NewReader(populationCSV(t, "stype", "sch.wide", "awards")), "apipop margins")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		rows   []map[string]string
		plan   Plan
		golden string // case
	}{
		{"stratified", strat, Plan{Design: estimate.TableSpec{Weights: "pw", Strata: "stype", FPC: []string{"fpc"}}}, "dstrat"},
		{"raked on sch.wide and awards", strat, Plan{Design: estimate.TableSpec{Weights: "pw", Strata: "stype", FPC: []string{"fpc"}}, Population: popAll, RakeOn: []string{"sch.wide", "awards"}}, "dstratr"},
		{"post-stratified on stype", clus1, Plan{Design: estimate.TableSpec{Weights: "pw", Clusters: []string{"dnum"}, FPC: []string{"fpc"}}, Population: popAll, RakeOn: []string{"stype"}}, "dclus1p"},
	}
	inds := []Indicator{
		{ID: "sch_wide", Field: "sch.wide", Values: []string{"Yes"}},
		{ID: "awards", Field: "awards", Values: []string{"Yes"}},
		{ID: "high", Field: "stype", Values: []string{"H"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := tc.plan
			plan.Indicators, plan.Breakdowns, plan.Rule = inds, []string{"stype", "awards"}, noRule
			a, err := Analyze(tc.rows, plan)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			check := func(key string, e estimate.Estimate) {
				want, ok := g[key]
				if !ok {
					return // R skips p = 0 or 1
				}
				checked++
				seOK := near(e.SE, want.se) || math.Abs(e.SE-want.se) <= 1e-8*math.Abs(want.est) // zero up to rounding
				if !near(e.Value, want.est) || !seOK || !near(e.CILow, want.lo) || !near(e.CIHigh, want.hi) {
					t.Errorf("%s: got %.8g (SE %.6g, %.6g–%.6g), R %.8g (SE %.6g, %.6g–%.6g)", key, e.Value, e.SE, e.CILow, e.CIHigh, want.est, want.se, want.lo, want.hi)
				}
			}
			for _, r := range a.Results {
				v := r.Indicator.Field + "=" + r.Indicator.Values[0]
				check(tc.golden+"/proportion/"+v+"//", r.Overall)
				for b, es := range r.By {
					for _, e := range es {
						check(tc.golden+"/proportion/"+v+"/"+b+"/"+e.Group, e)
					}
				}
			}
			if checked < 6 {
				t.Errorf("only %d estimates compared with R", checked)
			}
		})
	}
}

func TestIndicatorScore(t *testing.T) {
	rows := []map[string]string{
		{"q_safety": "very_safe", "q_sources": "radio_un tv"},
		{"q_safety": "unsafe", "q_sources": "tv"},
		{"q_safety": "dont_know", "q_sources": "radio_un"},
		{"q_sources": ""},
	}
	safe := Indicator{ID: "s", Field: "q_safety", Values: []string{"very_safe", "safe"}, Missing: []string{"dont_know"}}
	radio := Indicator{ID: "r", Field: "q_sources", Values: []string{"radio_un"}, Multiple: true}
	tests := []struct {
		ind  Indicator
		want []float64
	}{
		{safe, []float64{1, 0, math.NaN(), math.NaN()}},
		{radio, []float64{1, 0, 1, math.NaN()}},
	}
	for _, tc := range tests {
		got := tc.ind.Score(rows)
		for i := range got {
			if got[i] != tc.want[i] && !(math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
				t.Errorf("%s row %d: %v, want %v", tc.ind.ID, i, got[i], tc.want[i])
			}
		}
	}
	for _, bad := range []Indicator{{}, {ID: "x"}, {ID: "x", Field: "f"}, {ID: "x", Field: "f", Values: []string{"a"}, Missing: []string{"a"}}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestTrendAndSuppression compares two independent samples of the same
// schools (the simple random and the stratified sample) as two rounds.
func TestTrendAndSuppression(t *testing.T) {
	srs, strat := apiRows(t, "apisrs.csv"), apiRows(t, "apistrat.csv")
	ind := []Indicator{{ID: "sch_wide", Field: "sch.wide", Values: []string{"Yes"}}}
	r1, err := Analyze(srs, Plan{Indicators: ind, Breakdowns: []string{"stype", "cname"}, Design: estimate.TableSpec{Weights: "pw", FPC: []string{"fpc"}}})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Analyze(strat, Plan{Indicators: ind, Breakdowns: []string{"stype", "cname"}, Design: estimate.TableSpec{Weights: "pw", Strata: "stype", FPC: []string{"fpc"}}})
	if err != nil {
		t.Fatal(err)
	}
	tr := Trend(r1, r2)
	if len(tr) != 1 {
		t.Fatalf("%d trends", len(tr))
	}
	o := tr[0].Overall
	a, b := r1.Results[0].Overall, r2.Results[0].Overall
	if o.Change == nil || !near(*o.Change, b.Value-a.Value) || !near(*o.SE, math.Hypot(a.SE, b.SE)) {
		t.Errorf("overall trend %+v from %v±%v to %v±%v", o, a.Value, a.SE, b.Value, b.SE)
	}
	// Counties: most have fewer than 30 schools in either sample, so they
	// are suppressed, and so is their trend.
	shown, hidden := 0, 0
	for _, e := range r2.Results[0].By["cname"] {
		if e.Suppressed() {
			hidden++
			if e.N >= 30 && e.CV() <= 0.3 {
				t.Errorf("%s suppressed with n=%d cv=%.2f", e.Group, e.N, e.CV())
			}
		} else {
			shown++
		}
	}
	if hidden == 0 || shown == 0 {
		t.Errorf("counties: %d shown, %d suppressed; want some of each", shown, hidden)
	}
	for _, c := range tr[0].By["cname"] {
		if c.Suppressed == "" && c.Change == nil {
			t.Errorf("%s: shown trend without a change", c.Group)
		}
		if c.Suppressed != "" && c.Change != nil {
			t.Errorf("%s: suppressed trend shows a change", c.Group)
		}
	}
}

func TestAnalyzeErrors(t *testing.T) {
	rows := []map[string]string{{KeyInstanceID: "uuid:r1", "a": "1", "w": "x"}, {KeyInstanceID: "uuid:r2", "a": "2", "w": "1"}}
	ind := []Indicator{{ID: "i", Field: "a", Values: []string{"1"}}}
	pop := &Population{Dims: []string{"b"}, Cells: []PopCell{{Values: []string{"x"}, Count: 3}}}
	tests := []struct {
		name string
		rows []map[string]string
		plan Plan
		want string
	}{
		{"no rows", nil, Plan{Indicators: ind}, "no responses"},
		{"no indicators", rows, Plan{}, "indicators: none"},
		{"bad weight", rows, Plan{Indicators: ind, Design: estimate.TableSpec{Weights: "w"}}, `column "w": "x" is not a number`},
		{"unknown design field", rows, Plan{Indicators: ind, Design: estimate.TableSpec{Strata: "zz"}}, `design field "zz"`},
		{"rake without margins", rows, Plan{Indicators: ind, RakeOn: []string{"b"}}, "no population margins"},
		{"rake on unknown dim", rows, Plan{Indicators: ind, RakeOn: []string{"c"}, Population: pop}, `no dimension "c"`},
		{"rake with missing answer", rows, Plan{Indicators: ind, RakeOn: []string{"b"}, Population: pop}, `the response with instanceID "uuid:r1": no answer to "b"`},
		// Named by its instance id alone: its place among the rows
		// analysed (a round's, the respondents') is in no list a user sees.
		{"rake with missing answer, not the first", []map[string]string{{KeyInstanceID: "uuid:r1", "a": "1", "b": "x"}, {KeyInstanceID: "uuid:r2", "a": "2"}},
			Plan{Indicators: ind, RakeOn: []string{"b"}, Population: pop}, `the response with instanceID "uuid:r2": no answer to "b", needed`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Analyze(tc.rows, tc.plan)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestAnalyzeNonResponseLeftOut: a submission that answered none of the
// analysed questions nor the calibration fields (a person who did not
// consent: the starter form asks nothing more) is unit non-response. A
// raked analysis leaves it out, says so, and gives the estimates of the
// respondents alone; before, one such submission refused the whole
// analysis ("no answer to …, needed to calibrate"). A respondent who
// answered a question but not a calibration field is still refused: that
// is for the analyst to decide.
func TestAnalyzeNonResponseLeftOut(t *testing.T) {
	var resp []map[string]string
	for i, r := range []struct{ region, sex, safe string }{
		{"north", "f", "yes"}, {"north", "m", "no"}, {"north", "f", "yes"}, {"south", "m", "yes"},
		{"south", "f", "no"}, {"south", "m", "no"}, {"north", "m", "yes"}, {"south", "f", "yes"},
	} {
		resp = append(resp, map[string]string{KeyInstanceID: fmt.Sprintf("uuid:%d", i), "consent": "yes", "region": r.region, "sex": r.sex, "safe": r.safe})
	}
	pop, err := ReadPopulation(strings.NewReader("region,sex,population\nnorth,f,300\nnorth,m,200\nsouth,f,250\nsouth,m,250\n"), "margins.csv")
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan{Population: pop, RakeOn: []string{"region", "sex"}, Indicators: []Indicator{{ID: "safe", Field: "safe", Values: []string{"yes"}}},
		Breakdowns: []string{"region"}, Rule: noRule}
	want, err := Analyze(resp, plan)
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]string{KeyInstanceID: "uuid:no-1", "consent": "no", "region": "", "safe": " "}
	rows := append(append([]map[string]string{refused}, resp...), map[string]string{KeyInstanceID: "uuid:no-2", "consent": "no"})
	got, err := Analyze(rows, plan)
	if err != nil {
		t.Fatalf("analysis refused: %v", err)
	}
	if got.Respondents != len(resp) {
		t.Errorf("respondents %d, want %d", got.Respondents, len(resp))
	}
	if w, g := want.Results[0], got.Results[0]; g.Overall.Value != w.Overall.Value || g.Overall.SE != w.Overall.SE || len(g.By["region"]) != len(w.By["region"]) {
		t.Errorf("estimate %v ± %v (%d regions), want %v ± %v (%d)", g.Overall.Value, g.Overall.SE, len(g.By["region"]), w.Overall.Value, w.Overall.SE, len(w.By["region"]))
	}
	found := false
	for _, w := range got.Warnings {
		found = found || w == "2 submissions answered none of the questions analysed nor the calibration fields (no consent, say): left out as non-response"
	}
	if !found {
		t.Errorf("warnings %q say nothing of the 2 left out", got.Warnings)
	}
	// One who answered a question but not a calibration field: refused.
	partial := map[string]string{KeyInstanceID: "uuid:p", "consent": "yes", "safe": "yes", "region": "north"}
	if _, err := Analyze(append(append([]map[string]string{}, resp...), partial), plan); err == nil || !strings.Contains(err.Error(), `no answer to "sex"`) {
		t.Errorf("partial answer: %v, want the calibration refusal", err)
	}
}

// TestAnalyzeCalibrationItemNonResponse: a respondent who answered the
// questions but not a calibration field refuses the raked analysis by
// default (saying the respondent), as before; with RakeMissing
// "leave_out" such respondents are left out as item non-response on
// calibration, counted per field and said ("2 respondents left out: no
// sex"), and every estimate (overall and by region, value and SE) is the
// one of the analysis of the submissions without them, dropped first.
func TestAnalyzeCalibrationItemNonResponse(t *testing.T) {
	var resp []map[string]string
	for i, r := range []struct{ region, sex, safe string }{
		{"north", "f", "yes"}, {"north", "m", "no"}, {"north", "f", "yes"}, {"south", "m", "yes"},
		{"south", "f", "no"}, {"south", "m", "no"}, {"north", "m", "yes"}, {"south", "f", "yes"},
		{"north", "f", "no"}, {"south", "m", "yes"},
	} {
		resp = append(resp, map[string]string{KeyInstanceID: fmt.Sprintf("uuid:%d", i), "region": r.region, "sex": r.sex, "safe": r.safe})
	}
	pop, err := ReadPopulation(strings.NewReader("region,sex,population\nnorth,f,300\nnorth,m,200\nsouth,f,250\nsouth,m,250\n"), "margins.csv")
	if err != nil {
		t.Fatal(err)
	}
	partial := []map[string]string{
		{KeyInstanceID: "uuid:p1", "region": "north", "sex": " ", "safe": "yes"},
		{KeyInstanceID: "uuid:p2", "region": "", "sex": "f", "safe": "no"},
		{KeyInstanceID: "uuid:p3", "region": "south", "safe": "yes"},
	}
	rows := append(append(slices.Clone(resp[:4]), partial...), resp[4:]...)
	plan := Plan{Population: pop, RakeOn: []string{"region", "sex"}, Indicators: []Indicator{{ID: "safe", Field: "safe", Values: []string{"yes"}}},
		Breakdowns: []string{"region"}, Rule: noRule}
	want, err := Analyze(resp, plan) // the partial respondents dropped first
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, missing, refused string
		warnings               []string
	}{
		{"default", "", `the response with instanceID "uuid:p2": no answer to "region", needed to calibrate to the population; recode the answer, or set rake_missing to leave_out to leave such respondents out`, nil},
		{"refuse", RakeRefuse, `the response with instanceID "uuid:p2": no answer to "region", needed to calibrate to the population; recode the answer, or set rake_missing to leave_out to leave such respondents out`, nil},
		{"post-stratified, default", "", `the response with instanceID "uuid:p1": no answer to "sex", needed to calibrate to the population; recode the answer, or set rake_missing to leave_out to leave such respondents out`, nil},
		{"leave out", RakeLeaveOut, "", []string{"1 respondent left out: no region", "2 respondents left out: no sex"}},
	} {
		p := plan
		p.RakeMissing = c.missing
		if strings.HasPrefix(c.name, "post-stratified") {
			p.RakeOn = []string{"sex"}
		}
		got, err := Analyze(rows, p)
		if c.refused != "" {
			if err == nil || err.Error() != c.refused {
				t.Errorf("%s: %v, want %q", c.name, err, c.refused)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Respondents != len(resp) || got.Calibration != want.Calibration {
			t.Errorf("%s: %d respondents, %q, want %d, %q", c.name, got.Respondents, got.Calibration, len(resp), want.Calibration)
		}
		for _, w := range c.warnings {
			if !slices.Contains(got.Warnings, w) {
				t.Errorf("%s: warnings %q, want %q", c.name, got.Warnings, w)
			}
		}
		if !reflect.DeepEqual(got.NoCalibrationAnswer, map[string]int{"region": 1, "sex": 2}) {
			t.Errorf("%s: counted %v, want region 1, sex 2", c.name, got.NoCalibrationAnswer)
		}
		g, w := got.Results[0], want.Results[0]
		if !reflect.DeepEqual(g.Overall, w.Overall) || !reflect.DeepEqual(g.By, w.By) {
			t.Errorf("%s: estimates %+v by %+v, want %+v by %+v (the partial respondents dropped first)", c.name, g.Overall, g.By, w.Overall, w.By)
		}
	}
}
