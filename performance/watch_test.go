package performance

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

func osvEvent(id string, cell int, year, month, deaths int) events.Event {
	lat, lon, _ := grid.PrioCenter(cell)
	return events.Event{Source: "t", SourceID: id, DateStart: time.Date(year, time.Month(month), 15, 0, 0, 0, 0, time.UTC),
		Lat: lat, Lon: lon, GridCell: cell, Violence: events.OneSided, Best: deaths, Low: deaths, High: deaths, Country: "Mali"}
}

func site(id string, cell int, from, to grid.Month) coverage.Deployment {
	lat, lon, _ := grid.PrioCenter(cell)
	return coverage.Deployment{Source: "t", SourceID: id, Mission: "MINUSMA", Country: "Mali", Location: id, Lat: lat, Lon: lon, Cell: cell, Start: from, End: to, Military: 100}
}

// TestWatchHandComputed: cell A loses its site in 2011-01 after a year;
// B and C keep theirs; D's site leaves and comes back within the year.
//
// A: 2 deaths in the 12 months before, 10 after; prior violent events 1.
// Controls (2): B (before 1, after 1, prior 1: distance |ln 2 − ln 3| =
// 0.405) and C (before 0, after 3, prior 0: distance ln 3 + ln 2 = 1.79).
// Control change = ((1 − 1) + (3 − 0)) / 2 = 1.5; expected = 2 + 1.5 =
// 3.5; DiD = (10 − 2) − 1.5 = 6.5; P(X ≥ 10 | Poisson(3.5)) = 0.003315 <
// 0.1: the trigger fires.
func TestWatchHandComputed(t *testing.T) {
	m := grid.MonthOf
	const A, B, C, D, E = 150000, 150001, 150002, 150003, 150010
	deps := []coverage.Deployment{
		site("a", A, m(2010, 1), m(2010, 12)),
		site("b", B, m(2009, 1), m(2012, 12)),
		site("c", C, m(2009, 1), m(2012, 12)),
		site("d1", D, m(2010, 1), m(2010, 12)),
		site("d2", D, m(2011, 6), m(2011, 12)),
		site("e", E, m(2014, 1), m(2014, 6)), // the history runs to 2014-06
	}
	deps[5].Mission = "OTHER"
	es := []events.Event{
		osvEvent("1", A, 2010, 5, 2), osvEvent("2", A, 2011, 3, 10),
		osvEvent("3", B, 2010, 6, 1), osvEvent("4", B, 2011, 6, 1),
		osvEvent("5", C, 2011, 4, 3),
		osvEvent("0", E, 2009, 1, 0), osvEvent("6", E, 2013, 2, 0), // the data span 2009-01..2013-02
	}
	var cs []coverage.Cell
	for _, g := range []int{A, B, C, D, E} {
		lat, lon, _ := grid.PrioCenter(g)
		cs = append(cs, coverage.Cell{GID: g, Country: "Mali", Lat: lat, Lon: lon})
	}
	rep, err := Watch(deps, es, coverage.NewCells(cs), WatchConfig{Controls: 2})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Withdrawal{}
	for _, w := range rep.Withdrawals {
		byKey[w.Month+"/"+w.Location] = w
	}
	a, ok := byKey["2011-01/a"]
	if !ok {
		t.Fatalf("no withdrawal of A: %+v", rep.Withdrawals)
	}
	if a.Status != WEvaluated || a.Area != "MLI" || a.Before != 2 || a.After != 10 || len(a.Controls) != 2 || a.Controls[0].Cell != B || a.Controls[1].Cell != C ||
		a.ControlChange != 1.5 || a.Expected != 3.5 || a.DiD != 6.5 || math.Abs(a.P-0.0033149442646325) > 1e-9 || !a.Fired {
		t.Errorf("A: %+v", a)
	}
	if d := byKey["2011-01/d1"]; d.Status != WRedeployed || !strings.Contains(d.Note, "2011-06") {
		t.Errorf("D (back within the year): %+v", d)
	}
	if d := byKey["2012-01/d2"]; d.Status != WEvaluated {
		t.Errorf("D's second withdrawal: %+v", d)
	}
	if b := byKey["2013-01/b"]; b.Status != WNoData {
		t.Errorf("B (windows past the event data): %+v", b)
	}
	if rep.DataEnd != 1 { // E leaves when the history ends
		t.Errorf("data end: %d", rep.DataEnd)
	}
	if rep.Found != 5 || rep.Evaluated != 2 || rep.Fired < 1 || rep.Skipped[WRedeployed] != 1 || rep.Skipped[WNoData] != 2 {
		t.Errorf("report: found %d evaluated %d fired %d skipped %v", rep.Found, rep.Evaluated, rep.Fired, rep.Skipped)
	}
	// DiD: the mean over A and D-2012, inside its bootstrap interval.
	if rep.DiD == nil || *rep.DiDLow > *rep.DiD || *rep.DiDHigh < *rep.DiD {
		t.Errorf("DiD %v [%v, %v]", rep.DiD, rep.DiDLow, rep.DiDHigh)
	}
	// The same input gives the same report (fixed seed).
	again, _ := Watch(deps, es, coverage.NewCells(cs), WatchConfig{Controls: 2})
	if *again.DiDLow != *rep.DiDLow || *again.DiDHigh != *rep.DiDHigh {
		t.Error("bootstrap not reproducible")
	}
	// A stricter trigger (expectation floor 20) does not fire on A.
	strict, _ := Watch(deps, es, coverage.NewCells(cs), WatchConfig{Controls: 2, MinExpected: 20})
	for _, w := range strict.Withdrawals {
		if w.Fired {
			t.Errorf("fired with floor 20: %+v", w)
		}
	}
}

func TestWatchBadConfig(t *testing.T) {
	for _, c := range []struct {
		cfg   WatchConfig
		field string
	}{
		{WatchConfig{Measure: "hearts"}, "measure"},
		{WatchConfig{Confidence: 1.5}, "confidence"},
		{WatchConfig{MinPresence: 20}, "min_presence"},
		{WatchConfig{Controls: -1}, "controls"},
	} {
		_, err := Watch(nil, nil, nil, c.cfg)
		if err == nil || !strings.HasPrefix(err.Error(), c.field+":") {
			t.Errorf("%+v: %v, want an error naming %s", c.cfg, err, c.field)
		}
	}
}

// TestEventsHash: the events' content hash does not depend on the order
// they are read in and changes when any value changes.
func TestEventsHash(t *testing.T) {
	es := []events.Event{osvEvent("1", 150000, 2010, 5, 2), osvEvent("2", 150001, 2011, 3, 10)}
	h := func(es []events.Event) string { return NewEngine(Inputs{}).indexEvents(es).src.SHA256 }
	a := h(es)
	if b := h([]events.Event{es[1], es[0]}); a != b {
		t.Error("hash depends on order")
	}
	es[1].Best = 11
	es[1].High = 11
	if a == h(es) {
		t.Error("hash unchanged after a change of deaths")
	}
}

// TestWatchMatchesOnForecastRisk: A loses its site in 2011-01. B and C kept
// theirs and have the same prior violence as each other (no one-sided
// violence in the 12 months before, no violent event in the 12 months
// before: distance on prior violence 0 from A each), but not the same
// forecast risk: A and B had one-sided violence in 2009-05 and 2009-08
// (20 and 17 months before), which the exponential-decay model computed
// from the events up to 2010-12 still weighs (A and B: 2^(−19/6) +
// 2^(−16/6) ÷ Σ 2^(−k/6) over k < 36 months = 0.0298 each), C none
// (0). Matched on prior violence alone the tie went to the lower cell, C;
// on forecast risk too it is B. A stored forecast (run 7) that covers
// every cell is used instead of the computed risk, and decides; one that
// misses a cell is not used.
func TestWatchMatchesOnForecastRisk(t *testing.T) {
	m := grid.MonthOf
	const A, C, B, E = 150000, 150001, 150002, 150010
	deps := []coverage.Deployment{
		site("a", A, m(2010, 1), m(2010, 12)),
		site("b", B, m(2009, 1), m(2012, 12)),
		site("c", C, m(2009, 1), m(2012, 12)),
		site("e", E, m(2014, 1), m(2014, 6)),
	}
	deps[3].Mission = "OTHER"
	es := []events.Event{
		osvEvent("0", E, 2007, 1, 0), // the data span 2007-01..2012-06
		osvEvent("a1", A, 2009, 5, 1), osvEvent("a2", A, 2009, 8, 1), osvEvent("a3", A, 2011, 3, 4),
		osvEvent("b1", B, 2009, 5, 1), osvEvent("b2", B, 2009, 8, 1), osvEvent("b3", B, 2011, 2, 1),
		osvEvent("c1", C, 2011, 5, 2),
		osvEvent("9", E, 2012, 6, 0),
	}
	var cs []coverage.Cell
	for _, g := range []int{A, B, C, E} {
		lat, lon, _ := grid.PrioCenter(g)
		cs = append(cs, coverage.Cell{GID: g, Country: "Mali", Lat: lat, Lon: lon})
	}
	stored := func(risk map[int]float64) RiskLookup {
		return func(cell int, mo grid.Month) (float64, forecast.Run, bool) {
			p, ok := risk[cell]
			return p, forecast.Run{ID: 7, Model: "gbt"}, ok && mo == m(2011, 1)
		}
	}
	// The engine reads the stored runs through its forecast store: a
	// PRIO-GRID one-sided violence run of horizon 1 issued from 2010-12.
	run := forecast.Run{ID: 7, Target: "os", Grid: forecast.GridPrio, Origin: m(2010, 12), Model: "gbt", Created: time.Date(2010, 12, 20, 9, 0, 0, 0, time.UTC)}
	fromStore := func(risk map[int]float64) RiskLookup {
		lookup, _ := StoredRisk(context.Background(), riskStore{run: run, risk: risk})
		return lookup
	}
	for _, c := range []struct {
		name    string
		risk    RiskLookup
		control int
		source  string
		run     int64
		riskA   float64
		text    string // the text report's risk source for A: the forecast's day and model, not its run number
	}{
		{"computed from the events before", nil, B, RiskComputed, 0, 0.0298, " exp-decay "},
		{"a stored forecast covering every cell", stored(map[int]float64{A: 0.3, B: 0.02, C: 0.28}), C, RiskStored, 7, 0.3, " forecast gbt "},
		{"a stored forecast missing a cell", stored(map[int]float64{A: 0.3, C: 0.28}), B, RiskComputed, 0, 0.0298, " exp-decay "},
		{"the engine's forecast store", fromStore(map[int]float64{A: 0.3, B: 0.02, C: 0.28}), C, RiskStored, 7, 0.3, " forecast 2010-12-20 gbt "},
		{"a run issued after the month is not used", func() RiskLookup {
			late := run
			late.Origin = m(2011, 1)
			l, _ := StoredRisk(context.Background(), riskStore{run: late, risk: map[int]float64{A: 0.3, B: 0.02, C: 0.28}})
			return l
		}(), B, RiskComputed, 0, 0.0298, " exp-decay "},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := WatchWith(deps, es, coverage.NewCells(cs), WatchConfig{Controls: 1}, c.risk)
			if err != nil {
				t.Fatal(err)
			}
			var a *Withdrawal
			for i, w := range rep.Withdrawals {
				if w.Location == "a" {
					a = &rep.Withdrawals[i]
				}
			}
			if a == nil || a.Status != WEvaluated || len(a.Controls) != 1 {
				t.Fatalf("A: %+v", rep.Withdrawals)
			}
			if a.Controls[0].Cell != c.control || a.RiskSource != c.source || a.RiskRun != c.run || (a.RiskModel == "gbt") != (c.run != 0) || math.Abs(a.Risk-c.riskA) > 5e-5 {
				t.Errorf("A matched with %d (risk source %q run %d, risk %.4f), want %d (%q run %d, %.4f): %+v",
					a.Controls[0].Cell, a.RiskSource, a.RiskRun, a.Risk, c.control, c.source, c.run, c.riskA, a)
			}
			if rep.RiskSources[c.source] < 1 {
				t.Errorf("risk sources: %v", rep.RiskSources)
			}
			var text strings.Builder
			rep.WriteText(&text)
			var lineA string
			for _, l := range strings.Split(text.String(), "\n") {
				if strings.HasPrefix(l, "2011-01 ") && strings.Contains(l, fmt.Sprint(A)) {
					lineA = l
				}
			}
			if !strings.Contains(lineA, c.text) || strings.Contains(text.String(), "run 7") {
				t.Errorf("text report's line for A %q, want %q (and no run number)", lineA, c.text)
			}
		})
	}
}

// riskStore is a forecast store holding one run with cells for 2011-01.
type riskStore struct {
	forecast.Store
	run  forecast.Run
	risk map[int]float64
}

func (f riskStore) RiskOf(ctx context.Context, k forecast.RunKey, mo grid.Month, h int) (forecast.Run, []forecast.CellRisk, error) {
	if k.Grid != forecast.GridPrio || forecast.CanonicalTarget(k.Target) != "os" || h != 1 || mo != grid.MonthOf(2011, 1) {
		return forecast.Run{}, nil, forecast.ErrNoForecast
	}
	var rows []forecast.CellRisk
	for c, p := range f.risk {
		rows = append(rows, forecast.CellRisk{Month: mo, Horizon: 1, Cell: c, Prob: p})
	}
	return f.run, rows, nil
}

// TestWatchTextPlainFirst: the watch's text report (vigil watch
// withdrawals) says first, in plain words, what the watch found and each
// alert to leadership (what happened, where, how sure); the statistics
// (difference-in-differences, p-values, the matching and the trigger's
// test) come after, under "Figures for analysts".
func TestWatchTextPlainFirst(t *testing.T) {
	bria := Withdrawal{Cell: 130329, Month: "2018-03", Location: "Bria", Area: "CAF", Mission: "MINUSCA", Status: WEvaluated, Before: 2, After: 19, Expected: 3.5, DiD: 15.5, P: 5.73e-221, Fired: true, RiskSource: RiskComputed, Risk: 0.1234}
	calm := Withdrawal{Cell: 130330, Month: "2018-06", Location: "Ippy", Area: "CAF", Mission: "MINUSCA", Status: WEvaluated, Before: 3, After: 2, Expected: 3, DiD: -1, P: 0.8, RiskSource: RiskComputed}
	for _, c := range []struct {
		name       string
		rep        WatchReport
		plain      []string // before "Figures for analysts", in this order
		figures    []string // after it
		notInPlain []string
	}{
		{"one alert", WatchReport{Config: WatchConfig{Measure: "deaths", After: 12, Level: 0.9}, Found: 3, Evaluated: 2, Fired: 1, DataEnd: 1, Skipped: map[string]int{WRedeployed: 1},
			DiD: ptr(7.25), DiDLow: ptr(-1.0), DiDHigh: ptr(15.5), RiskSources: map[string]int{RiskComputed: 2}, Withdrawals: []Withdrawal{bria, calm},
			ByMission: []MissionDiD{{Mission: "MINUSCA", Evaluated: 2, Fired: 1, DiD: ptr(7.25), DiDLow: ptr(-1.0), DiDHigh: ptr(15.5)}}},
			[]string{"Withdrawal watch", "No measurable change in civilian deaths after the mission's withdrawals", "2 of 3 withdrawals compared with similar places where the mission stayed; the alert to leadership fired once.",
				"Alerts to leadership:", "- Violence against civilians rose after the mission left Bria (Central African Republic, MINUSCA) in March 2018: 19 civilian deaths in the 12 months after, where similar places where the mission stayed lead to expect about 3.5 (2 before) — almost certainly not chance."},
			// Numbers as the Performance page writes them: two decimals at
			// most, no trailing zeros, a tiny p-value as "<0.001", a risk
			// as a percentage to one decimal (words spaced as the table
			// pads them: one space here).
			[]string{"Difference-in-differences (deaths, after − before, withdrawn − matched), mean over evaluated withdrawals: 7.25 (90% bootstrap interval -1 to 15.5)", "Trigger:", "Matching:", "Withdrawals found: 3",
				"MINUSCA evaluated 2 fired 1 DiD 7.25 [-1, 15.5]",
				"2018-03 CAF MINUSCA Bria 130329 evaluated 2 19 3.5 15.5 <0.001 12.3% exp-decay FIRED",
				"2018-06 CAF MINUSCA Ippy 130330 evaluated 3 2 3 -1 0.8 0% exp-decay"},
			[]string{"Ippy"}},
		{"nothing compared", WatchReport{Config: WatchConfig{Measure: "deaths"}, Found: 1, Skipped: map[string]int{WRedeployed: 1}},
			[]string{"Withdrawal watch", "No withdrawal could be compared with similar places where the mission stayed."},
			[]string{"No withdrawal could be evaluated: no difference-in-differences estimate."}, []string{"Alerts to leadership"}},
	} {
		var sb strings.Builder
		c.rep.WriteText(&sb)
		plain, figures, ok := strings.Cut(sb.String(), "\nFigures for analysts\n")
		if !ok {
			t.Fatalf("%s: no 'Figures for analysts' part:\n%s", c.name, sb.String())
		}
		rest := plain
		for _, w := range c.plain {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: the plain part has no %q (or not in order):\n%s", c.name, w, plain)
				continue
			}
			rest = rest[i+len(w):]
		}
		for _, jargon := range append([]string{"DiD", "ifference-in-differences", "p <", "p =", "Poisson", "bootstrap", "15.5", "FIRED"}, c.notInPlain...) {
			if strings.Contains(plain, jargon) {
				t.Errorf("%s: the plain part says %q:\n%s", c.name, jargon, plain)
			}
		}
		figures = strings.Join(strings.Fields(figures), " ")
		for _, w := range c.figures {
			if !strings.Contains(figures, w) {
				t.Errorf("%s: the figures have no %q:\n%s", c.name, w, figures)
			}
		}
	}
}

// TestWatchAreaIsTheSites: a withdrawal's area (and a control's) is the
// country of the site, as its record names it, not the country of its
// PRIO-GRID cell, which is the country holding most of the cell: the
// Bangui cell (135758) is mostly across the Ubangi in DR Congo, Ezo's
// (137215) in the Central African Republic, and Agok's (142978), in Sudan,
// in South Sudan. (Geo-PKO names UNMIS's and UNISFA's sites "Sudan"
// wherever they are; coverage.ReadGeoPKO records Juba's and Gok Machar's
// as South Sudan's from their first-level unit.) A site whose country is
// not recorded takes its cell's.
func TestWatchAreaIsTheSites(t *testing.T) {
	m := grid.MonthOf
	const A, B, E = 150000, 150001, 150010
	for _, c := range []struct {
		name, site, cell, want string
	}{
		{"Bangui: the site's country, not the cell's", "Central African Republic", "DR Congo (Zaire)", "CAF"},
		{"Ezo", "South Sudan", "Central African Republic", "SSD"},
		{"Agok: a Sudan site in a South Sudan cell", "Sudan", "South Sudan", "SDN"},
		{"Juba under UNMIS, as read", "South Sudan", "South Sudan", "SSD"},
		{"Abyei", "Sudan", "Sudan", "SDN"},
		{"same country", "DRC", "DR Congo (Zaire)", "COD"},
		{"no recorded country", "", "Mali", "MLI"},
		{"a country not in the table", "Atlantis", "Mali", "MLI"},
	} {
		t.Run(c.name, func(t *testing.T) {
			deps := []coverage.Deployment{
				site("a", A, m(2010, 1), m(2010, 12)),
				site("b", B, m(2009, 1), m(2012, 12)),
				site("e", E, m(2014, 1), m(2014, 6)),
			}
			deps[0].Country, deps[1].Country = c.site, c.site
			deps[2].Mission = "OTHER"
			es := []events.Event{osvEvent("0", E, 2009, 1, 0), osvEvent("1", E, 2013, 2, 0)}
			var cs []coverage.Cell
			for _, g := range []int{A, B, E} {
				lat, lon, _ := grid.PrioCenter(g)
				cs = append(cs, coverage.Cell{GID: g, Country: c.cell, Lat: lat, Lon: lon})
			}
			rep, err := Watch(deps, es, coverage.NewCells(cs), WatchConfig{Controls: 1})
			if err != nil {
				t.Fatal(err)
			}
			var a *Withdrawal
			for i := range rep.Withdrawals {
				if rep.Withdrawals[i].Location == "a" {
					a = &rep.Withdrawals[i]
				}
			}
			if a == nil || a.Status != WEvaluated || len(a.Controls) != 1 {
				t.Fatalf("withdrawal of a: %+v", rep.Withdrawals)
			}
			if a.Area != c.want || a.Controls[0].Area != c.want {
				t.Errorf("area %q, control's %q; want %q", a.Area, a.Controls[0].Area, c.want)
			}
		})
	}
}
