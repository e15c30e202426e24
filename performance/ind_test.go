package performance

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys"
)

func ev(id string, cell int, y, m int, typ events.ViolenceType, best, low, high int) events.Event {
	lat, lon, _ := grid.PrioCenter(cell)
	return events.Event{Source: "t", SourceID: id, DateStart: time.Date(y, time.Month(m), 10, 0, 0, 0, 0, time.UTC),
		Lat: lat, Lon: lon, GridCell: cell, Violence: typ, Best: best, Low: low, High: high, Country: "Mali"}
}

func mustPeriod(t *testing.T, s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func one(t *testing.T, e *Engine, r Request) Value {
	t.Helper()
	vs, err := e.Compute(context.Background(), r)
	if err != nil || len(vs) != 1 {
		t.Fatalf("%+v: %v %v", r, vs, err)
	}
	return vs[0]
}

const cellA, cellB = 150000, 150010 // 5° apart: beyond any reach

func mali() *coverage.Cells {
	var cs []coverage.Cell
	for _, g := range []int{cellA, cellB} {
		lat, lon, _ := grid.PrioCenter(g)
		cs = append(cs, coverage.Cell{GID: g, Country: "Mali", Lat: lat, Lon: lon})
	}
	return coverage.NewCells(cs)
}

func TestEventIndicators(t *testing.T) {
	es := []events.Event{
		ev("1", cellA, 2019, 3, events.OneSided, 3, 2, 5),
		ev("2", cellB, 2019, 2, events.OneSided, 4, 4, 6),
		ev("3", cellA, 2019, 1, events.StateBased, 10, 8, 12),
		ev("4", cellA, 2018, 1, events.OneSided, 1, 1, 1),
	}
	e := NewEngine(Inputs{EventList: es, Cells: mali()})
	mli, _ := ParseArea("MLI")
	v := one(t, e, Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019-Q1"), Area: mli})
	lo, _ := PoissonCI(6, 0.95)
	_, hi := PoissonCI(11, 0.95)
	lo, hi = roundTo(lo, 2), roundTo(hi, 2) // 2.2 and 19.68
	if *v.Value != 7 || *v.Low != 6 || *v.High != 11 || *v.CILow != lo || *v.CIHigh != hi || v.N != 2 || v.Area != "MLI" || v.Period != "2019-Q1" || v.Params["type"] != "3" {
		t.Errorf("civilian deaths 2019-Q1: %+v", v)
	}
	v = one(t, e, Request{Indicator: "deaths", Period: mustPeriod(t, "2019"), Area: mli, Params: map[string]string{"type": "all"}})
	if *v.Value != 17 || *v.Low != 14 || *v.High != 23 {
		t.Errorf("all deaths 2019: %+v", v)
	}
	v = one(t, e, Request{Indicator: "events", Period: mustPeriod(t, "2019"), Area: mli, Params: map[string]string{"type": "1"}})
	if *v.Value != 1 || v.N != 1 {
		t.Errorf("state-based events: %+v", v)
	}
	// No data, never 0: a period outside the data, a country it does not cover.
	for _, c := range []struct {
		p, area, reason string
	}{{"2020", "MLI", "outside"}, {"2019", "TCD", "do not cover Chad"}} {
		a, _ := ParseArea(c.area)
		v := one(t, e, Request{Indicator: "civilian-deaths", Period: mustPeriod(t, c.p), Area: a})
		if !v.NoData || v.Value != nil || !strings.Contains(v.Reason, c.reason) {
			t.Errorf("%s %s: %+v", c.p, c.area, v)
		}
	}
	// A covered month without events is a real 0.
	v = one(t, e, Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2018-06"), Area: mli})
	if v.NoData || *v.Value != 0 {
		t.Errorf("quiet month: %+v", v)
	}
	vs, err := e.Compute(context.Background(), Request{Indicator: "deaths", Period: mustPeriod(t, "2019"), Area: mli, By: "type"})
	if err != nil || len(vs) != 3 || *vs[0].Value != 10 || vs[0].Disaggregation["type"] != "state-based" || *vs[2].Value != 7 {
		t.Errorf("by type: %+v %v", vs, err)
	}
	// Bad requests are apperr bad input naming the field.
	for _, r := range []struct {
		req   Request
		field string
	}{
		{Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019"), Params: map[string]string{"type": "9"}}, "type"},
		{Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019"), Params: map[string]string{"colour": "red"}}, "colour"},
		{Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019"), By: "sex"}, "by"},
		{Request{Indicator: "nope", Period: mustPeriod(t, "2019")}, "indicator"},
		{Request{Indicator: "manual", Period: mustPeriod(t, "2019")}, "id"},
	} {
		_, err := e.Compute(context.Background(), r.req)
		if !apperr.IsInvalid(err) || !strings.HasPrefix(err.Error(), r.field+":") {
			t.Errorf("%+v: %v, want bad input on %s", r.req, err, r.field)
		}
	}
	// Recomputing gives the same value and provenance (clock fixed).
	fixed := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	a := one(t, NewEngine(Inputs{EventList: es, Cells: mali(), Now: fixed}), Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019"), Area: mli})
	b := one(t, NewEngine(Inputs{EventList: []events.Event{es[3], es[2], es[1], es[0]}, Cells: mali(), Now: fixed}), Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019"), Area: mli})
	if *a.Value != *b.Value || a.Prov.Sources[0] != b.Prov.Sources[0] || a.Prov.ComputedAt != b.Prov.ComputedAt {
		t.Errorf("recomputation differs: %+v vs %+v", a.Prov, b.Prov)
	}
}

func dep(id string, cell int, from, to string, women, men int, units ...string) coverage.Deployment {
	lat, lon, _ := grid.PrioCenter(cell)
	f, _ := grid.ParseMonth(from)
	tt, _ := grid.ParseMonth(to)
	return coverage.Deployment{Source: "t", SourceID: id, Mission: "MINUSMA", Country: "Mali", Lat: lat, Lon: lon, Cell: cell,
		Start: f, End: tt, Military: women + men + 1, Women: women, Men: men, Units: units, Mobility: coverage.Vehicle, Kind: coverage.Permanent}
}

// TestWomenShare: (10·6 + 30·9) ÷ (100·6 + 100·9) = 330 ÷ 1500 = 0.22;
// the site without a sex breakdown is left out.
func TestWomenShare(t *testing.T) {
	deps := []coverage.Deployment{
		dep("a", cellA, "2019-01", "2019-06", 10, 90, "infantry"),
		dep("b", cellA, "2019-01", "2019-12", 0, 0, "infantry"),
		dep("c", cellB, "2019-04", "2019-12", 30, 70, "unpol"),
	}
	e := NewEngine(Inputs{DeploymentList: deps, Cells: mali()})
	v := one(t, e, Request{Indicator: "women-share", Period: mustPeriod(t, "2019")})
	if math.Abs(*v.Value-0.22) > 1e-12 || v.Uncertainty != Exact {
		t.Errorf("women share: %+v", v)
	}
	vs, _ := e.Compute(context.Background(), Request{Indicator: "women-share", Period: mustPeriod(t, "2019"), By: "unit"})
	if len(vs) != 2 || *vs[0].Value != 0.1 || *vs[1].Value != 0.3 || vs[1].Disaggregation["unit"] != "unpol" {
		t.Errorf("by unit: %+v", vs)
	}
	geo := NewEngine(Inputs{DeploymentList: deps[1:2]})
	v = one(t, geo, Request{Indicator: "women-share", Period: mustPeriod(t, "2019")})
	if !v.NoData || !strings.Contains(v.Reason, "Geo-PKO has no such column") {
		t.Errorf("no sex data: %+v", v)
	}
	// The reason says how to add the data from the UI, in both languages.
	for lang, want := range map[string]string{"en": "women and men columns on the Administration page, tab “Import data”", "fr": "colonnes women et men dans la page Administration, onglet « Importer des données »"} {
		if got := v.ReasonMsg.Text(lang); !strings.Contains(got, want) {
			t.Errorf("%s: no sex data reason %q, want it to say %q", lang, got, want)
		}
	}
}

// TestRiskCovered: one site in cell A; in 2018 two violent events in A
// and one in B, so in 2019-01 the recent-violence risk is A 2, B 1: the
// covered share of risk is 2/3, and the top half of cells (A) is covered.
func TestRiskCovered(t *testing.T) {
	es := []events.Event{
		ev("1", cellA, 2018, 3, events.OneSided, 1, 1, 1), ev("2", cellA, 2018, 5, events.StateBased, 1, 1, 1),
		ev("3", cellB, 2018, 7, events.NonState, 1, 1, 1), ev("0", cellB, 2017, 1, events.OneSided, 0, 0, 0), ev("9", cellB, 2019, 2, events.OneSided, 0, 0, 0), // the data span 2017-01..2019-02
	}
	deps := []coverage.Deployment{dep("a", cellA, "2018-01", "2019-12", 0, 0)}
	e := NewEngine(Inputs{EventList: es, DeploymentList: deps, Cells: mali()})
	v := one(t, e, Request{Indicator: "risk-covered", Period: mustPeriod(t, "2019-01")})
	if *v.Value != 0.6667 || v.N != 2 { // 2/3 to 4 places
		t.Errorf("risk covered: %+v", v)
	}
	v = one(t, e, Request{Indicator: "high-risk-covered", Period: mustPeriod(t, "2019-01"), Params: map[string]string{"top": "0.5"}})
	if *v.Value != 1 || v.N != 1 {
		t.Errorf("high-risk covered: %+v", v)
	}
	// risk=forecast with no forecast store: no month has a risk.
	v = one(t, e, Request{Indicator: "risk-covered", Period: mustPeriod(t, "2019-01"), Params: map[string]string{"risk": "forecast"}})
	if !v.NoData {
		t.Errorf("forecast risk without forecasts: %+v", v)
	}
}

type fakeAlerts struct {
	alerts.Store
	ins []alerts.Incident
}

func (f fakeAlerts) Incidents(ctx context.Context, fl alerts.IncidentFilter) ([]alerts.Incident, error) {
	var out []alerts.Incident
	for _, in := range f.ins {
		if !in.FirstAt.Before(fl.Since) && !in.FirstAt.After(fl.Until) {
			out = append(out, in)
		}
	}
	return out, nil
}

// TestAlertIndicators: triage after 5, 10, 20 and 30 minutes and one never
// triaged (a day old): median of the four times = 15 minutes; within
// the 15-minute SLA: 5 and 10 → 2 of 5 = 0.4 (Clopper–Pearson
// [0.0527, 0.8534]).
func TestAlertIndicators(t *testing.T) {
	t0 := time.Date(2019, 3, 1, 10, 0, 0, 0, time.UTC)
	var ins []alerts.Incident
	for i, m := range []int{5, 10, 20, 30} {
		at := t0.Add(time.Duration(m) * time.Minute)
		ins = append(ins, alerts.Incident{ID: int64(i + 1), FirstAt: t0, TriagedAt: &at, Priority: "high"})
	}
	ins = append(ins, alerts.Incident{ID: 9, FirstAt: t0, Priority: "low"})
	now := func() time.Time { return t0.Add(24 * time.Hour) }
	e := NewEngine(Inputs{Alerts: fakeAlerts{ins: ins}, Now: now})
	p := mustPeriod(t, "2019-03")
	v := one(t, e, Request{Indicator: "alert-triage-minutes", Period: p})
	if *v.Value != 15 || v.N != 4 {
		t.Errorf("median triage: %+v", v)
	}
	v = one(t, e, Request{Indicator: "alert-sla-share", Period: p})
	if *v.Value != 0.4 || v.N != 5 || math.Abs(*v.CILow-0.0527) > 1e-4 || math.Abs(*v.CIHigh-0.8534) > 1e-4 {
		t.Errorf("SLA share: %+v", v)
	}
	vs, _ := e.Compute(context.Background(), Request{Indicator: "alert-sla-share", Period: p, By: "priority"})
	if len(vs) != 2 || *vs[0].Value != 0.5 || *vs[1].Value != 0 {
		t.Errorf("by priority: %+v", vs)
	}
	v = one(t, e, Request{Indicator: "alert-triage-minutes", Period: mustPeriod(t, "2019-04")})
	if !v.NoData {
		t.Errorf("April: %+v", v)
	}
}

type fakeForecasts struct {
	forecast.Store
	run forecast.Run
}

func (f fakeForecasts) LatestRunOf(ctx context.Context, k forecast.RunKey) (forecast.Run, error) {
	return f.run, nil
}

func TestForecastSkill(t *testing.T) {
	run := forecast.Run{ID: 3, Target: "osv", Backtest: []forecast.Result{
		{Model: forecast.ModelGBT, AUPR: 0.4, From: "2018-01", To: "2018-12", Rows: 100},
		{Model: forecast.ModelHistory, AUPR: 0.3}, {Model: forecast.ModelDecay, AUPR: 0.35},
	}}
	e := NewEngine(Inputs{Forecasts: fakeForecasts{run: run}})
	v := one(t, e, Request{Indicator: "forecast-skill", Period: mustPeriod(t, "2018")})
	if math.Abs(*v.Value-0.05) > 1e-12 || v.Disaggregation["baseline"] != forecast.ModelDecay {
		t.Errorf("skill: %+v", v)
	}
	if a := Assess(v, 0, nil, HigherIsBetter); a.Status != CannotTell {
		t.Errorf("status without an interval: %+v", a)
	}
	if v := one(t, e, Request{Indicator: "forecast-skill", Period: mustPeriod(t, "2016")}); !v.NoData {
		t.Errorf("2016: %+v", v)
	}
}

func TestManualIndicator(t *testing.T) {
	ms, err := ReadManual(strings.NewReader(`[{"indicator":"pocs-trained","period":"2019-Q1","area":"Mali","value":120,"source":"Civil Affairs report","evidence":"https://example.org/r1"}]`), "m.json")
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(Inputs{Manual: ms})
	mli, _ := ParseArea("MLI")
	v := one(t, e, Request{Indicator: "manual", Period: mustPeriod(t, "2019-Q1"), Area: mli, Params: map[string]string{"id": "pocs-trained"}})
	if *v.Value != 120 || !strings.Contains(v.Prov.Sources[0].Name, "https://example.org/r1") {
		t.Errorf("manual: %+v", v)
	}
	if v := one(t, e, Request{Indicator: "manual", Period: mustPeriod(t, "2019-Q2"), Area: mli, Params: map[string]string{"id": "pocs-trained"}}); !v.NoData {
		t.Errorf("Q2: %+v", v)
	}
	if _, err := ReadManual(strings.NewReader(`[{"indicator":"x","period":"2019-14","area":"MLI","value":1,"source":"s"}]`), "m.json"); err == nil || !strings.Contains(err.Error(), "m.json: entry 1: period:") {
		t.Errorf("bad period: %v", err)
	}
}

// TestProvenanceInFrench: how a value was computed, and a forecast run's
// name, are catalog messages: the English text is Method (Source.Name) as
// the API always gave it, the French one is French.
func TestProvenanceInFrench(t *testing.T) {
	byEvents := NewEngine(Inputs{EventList: []events.Event{ev("1", cellA, 2019, 3, events.OneSided, 3, 2, 5)}, Cells: mali()})
	run := forecast.Run{ID: 3, Target: "os", Grid: "priogrid", Model: forecast.ModelGBT, Created: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), Backtest: []forecast.Result{
		{Model: forecast.ModelGBT, AUPR: 0.4, From: "2018-01", To: "2018-12", Rows: 100}, {Model: forecast.ModelHistory, AUPR: 0.3}}}
	skill := NewEngine(Inputs{Forecasts: fakeForecasts{run: run}})
	ms, err := ReadManual(strings.NewReader(`[{"indicator":"pocs-trained","period":"2019","area":"Mali","value":12,"source":"report"}]`), "m.json")
	if err != nil {
		t.Fatal(err)
	}
	mli, _ := ParseArea("MLI")
	for _, c := range []struct {
		r      Request
		en, fr string
	}{
		{Request{Indicator: "civilian-deaths", Period: mustPeriod(t, "2019"), Area: mli}, "sum of UCDP best (low, high) over events", "somme des estimations UCDP « best » (« low », « high ») des événements"},
		{Request{Indicator: "events", Period: mustPeriod(t, "2019"), Area: mli, Params: map[string]string{"type": "3"}}, "count of events", "nombre d’événements"},
		{Request{Indicator: "forecast-skill", Period: mustPeriod(t, "2018")}, "AUPR: gradient-boosted trees 0.4000 − historical-rate baseline 0.3000 over 2018",
			"AUPR\u00a0: arbres de décision boostés par gradient 0,4000 − référence du taux historique 0,3000 sur 2018"},
		{Request{Indicator: "manual", Period: mustPeriod(t, "2019"), Area: mli, Params: map[string]string{"id": "pocs-trained"}}, "entered by ", "saisie par "},
	} {
		e := byEvents
		switch c.r.Indicator {
		case "forecast-skill":
			e = skill
		case "manual":
			e = NewEngine(Inputs{Manual: ms})
		}
		v := one(t, e, c.r)
		p := v.Prov
		if p.MethodMsg == nil || p.Method != p.MethodMsg.Text("en") || !strings.HasPrefix(p.Method, c.en) {
			t.Errorf("%s: method %q, message %+v (want %q)", c.r.Indicator, p.Method, p.MethodMsg, c.en)
			continue
		}
		if fr := p.MethodMsg.Text("fr"); !strings.HasPrefix(fr, c.fr) || fr == p.Method {
			t.Errorf("%s: French method %q, want %q", c.r.Indicator, fr, c.fr)
		}
		if c.r.Indicator == "forecast-skill" {
			// The run is named by its model, target, grid and day in
			// words, not by its store id, codes and an RFC 3339 time.
			s := p.Sources[0]
			b := Brief{Lang: "fr"}
			if s.Name != "forecast run on 2 November 2026 by the model gradient-boosted trees (violence against civilians, PRIO-GRID cells)" ||
				b.SourceName(s) != "prévision calculée le 2 novembre 2026 par le modèle arbres de décision boostés par gradient (violence contre les civils, cellules PRIO-GRID)" {
				t.Errorf("forecast source %q, in French %q", s.Name, b.SourceName(s))
			}
		}
	}
	// The calibration in French, trimmed weights too (they were left in
	// English: "post-stratifiée sur sex, weights trimmed to …"); the
	// English text is the survey analysis' own.
	for _, c := range []struct {
		c  surveys.Calibrated
		fr string
	}{
		{surveys.Calibrated{Method: "raked", On: []string{"sex", "region"}}, "calée par raking sur sex, region"},
		{surveys.Calibrated{Method: "post-stratified", On: []string{"sex"}, TrimRatio: 3}, "post-stratifiée sur sex, poids bornés à [moyenne/3\u202f; moyenne×3]"},
		{surveys.Calibrated{Method: "none", TrimRatio: 2.5}, "sans calage, poids bornés à [moyenne/2.5\u202f; moyenne×2.5]"},
	} {
		if m := calibrationMsg(c.c); m.Text("fr") != c.fr || m.Text("en") != c.c.String() {
			t.Errorf("calibration %q / %q, want %q / %q", m.Text("fr"), m.Text("en"), c.fr, c.c.String())
		}
	}
}

// TestAlertIndicatorsByCategoryAndSex: incidents broken down by category
// and by the reporter's sex. Triage minutes: abduction 1..6 (six
// incidents: median 3.5), displacement 10 and 20 (median 15), one not
// categorised (7). Sexes: female ×6 (1, 2, 3, 4, 5, 6 → median 3.5),
// male ×1 (10), not recorded ×2 (20, 7). The male group (1 incident) is
// below the small-cell minimum of 5 and suppressed; "none" (2) too; the
// female group is shown. With one group under the minimum, the next
// smallest is suppressed too, so the small one cannot be worked out from
// the total (empty groups do not count for that). By sex every group is
// listed, an empty one suppressed, so that which groups appear does not
// tell the sex of a period's few reporters.
func TestAlertIndicatorsByCategoryAndSex(t *testing.T) {
	t0 := time.Date(2019, 3, 1, 10, 0, 0, 0, time.UTC)
	type inc struct {
		min      int
		cat, sex string
	}
	var ins []alerts.Incident
	for i, x := range []inc{{1, "abduction", "female"}, {2, "abduction", "female"}, {3, "abduction", "female"},
		{4, "abduction", "female"}, {5, "abduction", "female"}, {6, "abduction", "female"},
		{10, "displacement", "male"}, {20, "displacement", ""}, {7, "", ""}} {
		at := t0.Add(time.Duration(x.min) * time.Minute)
		ins = append(ins, alerts.Incident{ID: int64(i + 1), FirstAt: t0, TriagedAt: &at, Priority: "high", Category: x.cat, ReporterSex: x.sex})
	}
	one5 := func(n int, cat, sex string) []alerts.Incident { // n incidents triaged after 2 minutes
		var out []alerts.Incident
		for i := range n {
			at := t0.Add(2 * time.Minute)
			out = append(out, alerts.Incident{ID: int64(100 + i), FirstAt: t0, TriagedAt: &at, Category: cat, ReporterSex: sex})
		}
		return out
	}
	now := func() time.Time { return t0.Add(24 * time.Hour) }
	pending := func(n int, sex string) []alerts.Incident { // n incidents reported a minute before now, not triaged
		var out []alerts.Incident
		for i := range n {
			out = append(out, alerts.Incident{ID: int64(200 + i), FirstAt: now().Add(-time.Minute), ReporterSex: sex})
		}
		return out
	}
	p := mustPeriod(t, "2019-03")
	type want struct {
		group string
		value float64 // -1: suppressed (no value, no n)
		n     int
	}
	for _, c := range []struct {
		name      string
		ins       []alerts.Incident
		indicator string
		by        string
		params    map[string]string
		want      []want
	}{
		{"triage by category", ins, "alert-triage-minutes", "category", nil,
			[]want{{"abduction", 3.5, 6}, {"displacement", 15, 2}, {"none", 7, 1}}},
		{"SLA by category", ins, "alert-sla-share", "category", nil,
			[]want{{"abduction", 1, 6}, {"displacement", 0.5, 2}, {"none", 1, 1}}},
		{"triage by sex: small cells suppressed", ins, "alert-triage-minutes", "sex", nil,
			[]want{{"female", 3.5, 6}, {"male", -1, 0}, {"none", -1, 0}, {"not_asked", -1, 0}, {"unknown", -1, 0}}},
		{"one small cell: the next smallest is suppressed too", append(append(one5(5, "abduction", "female"), one5(6, "abduction", "male")...), one5(1, "abduction", "unknown")...),
			"alert-triage-minutes", "sex", nil,
			[]want{{"female", -1, 0}, {"male", 2, 6}, {"none", -1, 0}, {"not_asked", -1, 0}, {"unknown", -1, 0}}},
		{"every group large enough", append(one5(5, "", "female"), one5(5, "", "not_asked")...), "alert-sla-share", "sex", map[string]string{"stage": "triage"},
			[]want{{"female", 1, 5}, {"male", -1, 0}, {"none", -1, 0}, {"not_asked", 1, 5}, {"unknown", -1, 0}}},
		{"response by sex: no stage reached", one5(5, "", "female"), "alert-response-minutes", "sex", nil,
			[]want{{"female", -1, 0}, {"male", -1, 0}, {"none", -1, 0}, {"not_asked", -1, 0}, {"unknown", -1, 0}}},
		// One incident in the period (or area): the groups listed must not
		// say its reporter's sex — every sex is listed, all suppressed.
		{"one incident: its reporter's sex not told by the groups listed", one5(1, "", "male"), "alert-triage-minutes", "sex", nil,
			[]want{{"female", -1, 0}, {"male", -1, 0}, {"none", -1, 0}, {"not_asked", -1, 0}, {"unknown", -1, 0}}},
		// Six incidents reported by women, one handled and five not yet
		// due (so left out of the SLA share): the values rest on one
		// incident, suppressed (review9 F8); male's 6 then the complement.
		{"a group's value on fewer than 5 of its incidents", append(append(one5(1, "", "female"), pending(5, "female")...), one5(6, "", "male")...),
			"alert-sla-share", "sex", nil,
			[]want{{"female", -1, 0}, {"male", -1, 0}, {"none", -1, 0}, {"not_asked", -1, 0}, {"unknown", -1, 0}}},
		{"a group's quantile on fewer than 5 of its incidents", append(append(one5(1, "", "female"), pending(5, "female")...), one5(6, "", "male")...),
			"alert-triage-minutes", "sex", nil,
			[]want{{"female", -1, 0}, {"male", -1, 0}, {"none", -1, 0}, {"not_asked", -1, 0}, {"unknown", -1, 0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := NewEngine(Inputs{Alerts: fakeAlerts{ins: c.ins}, Now: now})
			vs, err := e.Compute(context.Background(), Request{Indicator: c.indicator, Period: p, By: c.by, Params: c.params})
			if err != nil || len(vs) != len(c.want) {
				t.Fatalf("%v %+v", err, vs)
			}
			for i, w := range c.want {
				v := vs[i]
				if g := v.Disaggregation[c.by]; g != w.group {
					t.Errorf("group %d: %q, want %q", i, g, w.group)
				}
				if w.value < 0 {
					if !v.NoData || v.Value != nil || v.N != w.n || v.ReasonMsg == nil {
						t.Errorf("%s: want suppressed or no data, got %+v", w.group, v)
					}
					continue
				}
				if v.NoData || *v.Value != w.value || v.N != w.n {
					t.Errorf("%s: %+v, want %g (n=%d)", w.group, v, w.value, w.n)
				}
			}
		})
	}
}

// TestAlertIndicatorsBySexByRole (review9 F3): the small-group rule holds
// for one answer, but two answers (two periods, an area and the whole) can
// be differenced; so alert values by reporter sex are withheld below
// responder, as the alerts dashboard withholds its counts by sex. Other
// breakdowns stay for the viewer; the CLI (no user) and responders see them.
func TestAlertIndicatorsBySexByRole(t *testing.T) {
	t0 := time.Date(2019, 3, 1, 10, 0, 0, 0, time.UTC)
	var ins []alerts.Incident
	for i := range 6 {
		at := t0.Add(time.Duration(i+1) * time.Minute)
		ins = append(ins, alerts.Incident{ID: int64(i + 1), FirstAt: t0, TriagedAt: &at, Category: "abduction", ReporterSex: "female"})
	}
	e := NewEngine(Inputs{Alerts: fakeAlerts{ins: ins}, Now: func() time.Time { return t0.Add(24 * time.Hour) }})
	as := func(r auth.Role) context.Context {
		return auth.WithUser(context.Background(), &auth.User{Name: "u", Role: r})
	}
	for _, c := range []struct {
		name     string
		ctx      context.Context
		by       string
		withheld bool
	}{
		{"viewer by sex", as(auth.Viewer), "sex", true},
		{"viewer by category", as(auth.Viewer), "category", false},
		{"responder by sex", as(auth.Responder), "sex", false},
		{"analyst by sex", as(auth.Analyst), "sex", false},
		{"CLI (no user) by sex", context.Background(), "sex", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			vs, err := e.Compute(c.ctx, Request{Indicator: "alert-triage-minutes", Period: mustPeriod(t, "2019-03"), By: c.by})
			if err != nil {
				t.Fatal(err)
			}
			shown := 0
			for _, v := range vs {
				if v.Value != nil {
					shown++
				}
				if c.withheld && (v.Value != nil || v.N != 0 || v.ReasonMsg == nil || v.ReasonMsg.Code != "value.reporter-sex-role") {
					t.Errorf("%v: %+v, want withheld with value.reporter-sex-role", v.Disaggregation, v)
				}
			}
			if !c.withheld && shown != 1 {
				t.Errorf("%d values shown, want 1: %+v", shown, vs)
			}
		})
	}
}
