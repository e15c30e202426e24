package performance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mathext"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
)

// WatchConfig configures the withdrawal watch.
//
// The area unit is the PRIO-GRID cell (0.5°): a cell is "deployed" in a
// month when a deployment site in it is active (presence in the cell, the
// measure of the Geo-PKO studies); a withdrawal is the first month without
// a site after at least MinPresence months with one in the Before months,
// and no site again for the After months.
type WatchConfig struct {
	Before      int     `json:"before_months"`  // months compared before (default 12)
	After       int     `json:"after_months"`   // months compared after (default 12)
	MinPresence int     `json:"min_presence"`   // months with a site among the Before months (default 6)
	Controls    int     `json:"controls"`       // matched kept-deployment cells per withdrawal (default 3)
	Measure     string  `json:"measure"`        // "deaths" (one-sided violence, UCDP best) or "events" (one-sided events)
	Confidence  float64 `json:"confidence"`     // trigger: after above expectation at this confidence (default 0.9)
	MinExpected float64 `json:"min_expected"`   // floor of the expectation in the trigger test (default 1)
	Bootstrap   int     `json:"bootstrap"`      // resamples of withdrawals for the DiD interval (default 2000)
	Seed        uint64  `json:"seed"`           // bootstrap seed (default 1)
	Level       float64 `json:"interval_level"` // DiD interval level (default 0.9)
}

func (c *WatchConfig) defaults() error {
	c.Before = cmp.Or(c.Before, 12)
	c.After = cmp.Or(c.After, 12)
	c.MinPresence = cmp.Or(c.MinPresence, 6)
	c.Controls = cmp.Or(c.Controls, 3)
	c.Bootstrap = cmp.Or(c.Bootstrap, 2000)
	c.Measure = cmp.Or(c.Measure, "deaths")
	c.Confidence = cmp.Or(c.Confidence, 0.9)
	c.MinExpected = cmp.Or(c.MinExpected, 1)
	c.Seed = cmp.Or(c.Seed, 1)
	c.Level = cmp.Or(c.Level, 0.9)
	switch {
	case c.Before < 1 || c.After < 1 || c.Before > 120 || c.After > 120:
		return invalid("before", "err.watch-windows")
	case c.MinPresence < 1 || c.MinPresence > c.Before:
		return invalid("min_presence", "err.watch-presence", "v", c.MinPresence, "max", c.Before)
	case c.Controls < 1 || c.Controls > 50:
		return invalid("controls", "err.watch-range", "v", c.Controls, "max", 50)
	case c.Measure != "deaths" && c.Measure != "events":
		return invalid("measure", "err.watch-measure", "v", fmt.Sprintf("%q", c.Measure))
	case !(c.Confidence > 0.5 && c.Confidence < 1):
		return invalid("confidence", "err.watch-open", "x", c.Confidence)
	case !(c.Level > 0.5 && c.Level < 1):
		return invalid("interval_level", "err.watch-open", "x", c.Level)
	case !(c.MinExpected > 0) || math.IsInf(c.MinExpected, 0):
		return invalid("min_expected", "err.watch-positive")
	case c.Bootstrap < 100 || c.Bootstrap > 100000:
		return invalid("bootstrap", "err.watch-bootstrap")
	}
	return nil
}

// Withdrawal is one cell where deployments ended, with its comparison.
type Withdrawal struct {
	Cell     int    `json:"cell"`
	Area     string `json:"area"` // ISO3 of the site's country (siteArea)
	Mission  string `json:"mission"`
	Location string `json:"location"`
	// Place names the cell by the notable place nearest its centre, in
	// English and French (Service.Places; absent without a gazetteer).
	Place  *geotext.PointLabel `json:"place,omitempty"`
	Month  string              `json:"month"` // first month without a site
	Status string              `json:"status"`
	Note   string              `json:"note,omitempty"`
	// Before/After: the measure in the cell in the Before months up to the
	// withdrawal and the After months from it.
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// Risk is the cell's forecast risk (probability of one-sided violence)
	// for the withdrawal month as forecast before it, a matching variable;
	// RiskSource says where it came from (RiskStored with the run RiskRun,
	// computed at RiskRunCreated by the model RiskModel, or RiskComputed),
	// the same for the cell and its controls.
	Risk           float64    `json:"risk"`
	RiskSource     string     `json:"risk_source,omitempty"`
	RiskRun        int64      `json:"risk_run,omitempty"`
	RiskRunCreated *time.Time `json:"risk_run_created,omitempty"`
	RiskModel      string     `json:"risk_model,omitempty"`
	// Controls are the matched cells that kept a deployment throughout.
	Controls []Control `json:"controls,omitempty"`
	// ControlChange is the controls' mean change (after − before).
	ControlChange float64 `json:"control_change"`
	// Expected is the matched expectation for the after window: before +
	// control change (≥ 0).
	Expected float64 `json:"expected"`
	DiD      float64 `json:"did"` // (after − before) − control change
	// P is P(X ≥ after) for X ~ Poisson(max(expected, min_expected)).
	P     float64 `json:"p"`
	Fired bool    `json:"fired"`
}

// Control is a matched comparison cell.
type Control struct {
	Cell   int                 `json:"cell"`
	Area   string              `json:"area"`
	Place  *geotext.PointLabel `json:"place,omitempty"` // as Withdrawal.Place
	Before float64             `json:"before"`
	After  float64             `json:"after"`
	Prior  float64             `json:"prior_events"` // all violent events in the 12 months before
	Risk   float64             `json:"risk"`         // forecast risk for the withdrawal month, from the withdrawal's risk source
}

// Where a withdrawal's forecast risk comes from (Withdrawal.RiskSource).
const (
	// RiskStored: a stored one-sided violence forecast run on PRIO-GRID
	// cells, horizon 1 (issued from the data up to the month before the
	// withdrawal), covering the cell and every candidate control.
	RiskStored = "forecast"
	// RiskComputed: the forecasting package's exponential-decay model
	// (forecast.DecayMean, the baseline the forecast's trees are stacked
	// with) on the one-sided events of the 36 months before the
	// withdrawal month — no later data.
	RiskComputed = "exp-decay"
)

// RiskLookup returns the stored forecast risk of one-sided violence for
// a PRIO-GRID cell in month mo (forecast the month before) and its run;
// ok is false when no stored run covers the cell and month.
type RiskLookup func(cell int, mo grid.Month) (p float64, run forecast.Run, ok bool)

// riskScale puts a forecast probability on the matching scale: its
// log-odds, with probabilities under 1% (or over 99%) taken as 1% (99%),
// so that "almost no risk" cells are not told apart by noise.
func riskScale(p float64) float64 {
	p = min(max(p, 0.01), 0.99)
	return math.Log(p / (1 - p))
}

// Withdrawal statuses.
const (
	WEvaluated  = "evaluated"
	WRedeployed = "redeployed"
	WNoData     = "no event data after"
	WNoControls = "no matched control"
)

// WatchReport is the withdrawal watch over a deployment history.
type WatchReport struct {
	Config      WatchConfig  `json:"config"`
	AreaUnit    string       `json:"area_unit"`
	Matching    string       `json:"matching"`
	Trigger     string       `json:"trigger"`
	Withdrawals []Withdrawal `json:"withdrawals"`
	// RiskSources counts the evaluated withdrawals by risk source.
	RiskSources map[string]int `json:"risk_sources"`
	Found       int            `json:"found"`
	// DataEnd counts sites whose mission's records stop at the end of the
	// deployment history (not counted as withdrawals).
	DataEnd   int            `json:"data_end"`
	Evaluated int            `json:"evaluated"`
	Fired     int            `json:"fired"`
	Skipped   map[string]int `json:"skipped"`
	// DiD is the mean difference-in-differences over evaluated
	// withdrawals, with its bootstrap interval (resampling withdrawals
	// with their matched controls).
	DiD     *float64 `json:"did"`
	DiDLow  *float64 `json:"did_low"`
	DiDHigh *float64 `json:"did_high"`
	// Words says DiD in plain words for leadership (WatchWords); nil
	// without it.
	Words     *Msg         `json:"words,omitempty"`
	ByMission []MissionDiD `json:"by_mission"`
	Sources   []Source     `json:"sources"`
}

// MissionDiD summarises one mission's withdrawals.
type MissionDiD struct {
	Mission   string   `json:"mission"`
	Evaluated int      `json:"evaluated"`
	Fired     int      `json:"fired"`
	DiD       *float64 `json:"did"`
	DiDLow    *float64 `json:"did_low"`
	DiDHigh   *float64 `json:"did_high"`
}

// Watch is WatchWith with no stored forecasts: every forecast risk is
// computed from the events before each withdrawal.
func Watch(deps []coverage.Deployment, es []events.Event, cells *coverage.Cells, cfg WatchConfig) (*WatchReport, error) {
	return WatchWith(deps, es, cells, cfg, nil)
}

// WatchWith finds the withdrawals in deps and compares one-sided violence
// in each withdrawn cell before and after with matched cells that kept
// their deployments: nearest neighbours, same country first, on prior
// violence — log(1 + the measure before) and log(1 + all violent events
// in the 12 months before the withdrawal) — and forecast risk for the
// withdrawal month as forecast before it (log-odds, riskScale): from
// stored (a stored run covering the cell and every candidate, RiskStored)
// or else computed from the events before the withdrawal (RiskComputed).
func WatchWith(deps []coverage.Deployment, es []events.Event, cells *coverage.Cells, cfg WatchConfig, stored RiskLookup) (*WatchReport, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	rep := &WatchReport{Config: cfg, Skipped: map[string]int{}, RiskSources: map[string]int{},
		AreaUnit: "PRIO-GRID cell (0.5°); deployed = a site in the cell active that month (Geo-PKO presence)",
		Matching: fmt.Sprintf("%d nearest cells with a site throughout the before and after windows, same country first, on prior violence — log(1+%s before), log(1+violent events of all types in the 12 months before) — and forecast risk of one-sided violence for the withdrawal month as forecast before it (log-odds, 1%%–99%%): a stored forecast run (horizon 1) covering the cell and its candidates, else the exponential-decay forecast model on the one-sided events of the 36 months before (risk_source per withdrawal)", cfg.Controls, cfg.Measure),
		Trigger:  fmt.Sprintf("%s after the withdrawal above the matched expectation with %g%% confidence: P(X ≥ after) < %.3g for X ~ Poisson(max(expected, %g))", cfg.Measure, 100*cfg.Confidence, 1-cfg.Confidence, cfg.MinExpected),
	}
	if len(deps) == 0 {
		return rep, nil
	}
	// Events: one-sided measure and all-type counts per cell and month.
	type cm struct {
		cell int
		mo   grid.Month
	}
	osv := map[cm]float64{}
	all := map[cm]float64{}
	osvN := map[cm]bool{} // a month with a one-sided event: the forecast target
	var evFrom, evTo grid.Month
	for i := range es {
		x := &es[i]
		mo := x.Month()
		if i == 0 || mo < evFrom {
			evFrom = mo
		}
		evTo = max(evTo, mo)
		cell := x.GridCell
		if cell == 0 {
			cell, _ = grid.PrioGID(x.Lat, x.Lon)
		}
		if x.Violence >= events.StateBased && x.Violence <= events.OneSided {
			all[cm{cell, mo}]++
		}
		if x.Violence == events.OneSided {
			osvN[cm{cell, mo}] = true
			if cfg.Measure == "deaths" {
				osv[cm{cell, mo}] += float64(x.Best)
			} else {
				osv[cm{cell, mo}]++
			}
		}
	}
	sum := func(m map[cm]float64, cell int, from, to grid.Month) float64 {
		var s float64
		for mo := from; mo <= to; mo++ {
			s += m[cm{cell, mo}]
		}
		return s
	}
	// computed is the exponential-decay forecast of one-sided violence
	// in cell for month w from the events up to w−1.
	riskMemo := map[cm]float64{}
	computed := func(cell int, w grid.Month) float64 {
		if p, ok := riskMemo[cm{cell, w}]; ok {
			return p
		}
		p := forecast.DecayMean(int(w-1-evFrom), func(k int) float64 {
			if osvN[cm{cell, w - 1 - grid.Month(k)}] {
				return 1
			}
			return 0
		})
		riskMemo[cm{cell, w}] = p
		return p
	}
	// Presence per cell and month.
	from, to := coverage.Span(deps)
	n := int(to-from) + 1
	present := map[int][]bool{}
	siteOf := map[int]*coverage.Deployment{}
	for k := range deps {
		d := &deps[k]
		p := present[d.Cell]
		if p == nil {
			p = make([]bool, n)
			present[d.Cell] = p
		}
		for mo := d.Start; mo <= d.End; mo++ {
			p[mo-from] = true
		}
		siteOf[d.Cell] = d
	}
	at := func(cell int, mo grid.Month) bool {
		if mo < from || mo > to {
			return false
		}
		return present[cell][mo-from]
	}
	lastSite := func(cell int, before grid.Month) *coverage.Deployment {
		var best *coverage.Deployment
		for k := range deps {
			d := &deps[k]
			if d.Cell == cell && d.Start < before && (best == nil || d.End > best.End) {
				best = d
			}
		}
		return best
	}
	// A site's area is its own country, as its record names it, not
	// its cell's (siteArea); a cell with no site's country takes the
	// cell's.
	cellArea := func(cell int) string {
		if cells != nil {
			if c, ok := cells.Get(cell); ok {
				if a, ok := areaOf(c.Country); ok {
					return a.Code
				}
			}
		}
		return ""
	}
	areaOfSite := func(d *coverage.Deployment, cell int) string {
		return siteArea(d, cellArea(cell))
	}
	// A mission's last map is where its data end: when that is within
	// six months of the end of the whole deployment history, its sites
	// "leaving" then is the end of the data, not a withdrawal.
	missionEnd := map[string]grid.Month{}
	for _, d := range deps {
		missionEnd[d.Mission] = max(missionEnd[d.Mission], d.End)
	}
	cellIDs := slices.Sorted(maps.Keys(present))
	for _, cell := range cellIDs {
		for w := from + 1; w <= to+1; w++ {
			if !at(cell, w-1) || at(cell, w) {
				continue
			}
			months := 0
			for mo := w - grid.Month(cfg.Before); mo < w; mo++ {
				if at(cell, mo) {
					months++
				}
			}
			if months < cfg.MinPresence {
				continue
			}
			wd := Withdrawal{Cell: cell, Month: w.String()}
			d := lastSite(cell, w)
			wd.Area = areaOfSite(d, cell)
			if d != nil {
				wd.Mission, wd.Location = d.Mission, d.Location
				if me := missionEnd[d.Mission]; w == me+1 && me >= to-6 {
					rep.DataEnd++
					continue
				}
			}
			rep.Found++
			end := w + grid.Month(cfg.After) - 1
			redeployed := false
			for mo := w; mo <= end && mo <= to; mo++ {
				if at(cell, mo) {
					redeployed = true
					wd.Note = "a site is back in " + mo.String()
					break
				}
			}
			switch {
			case redeployed:
				wd.Status = WRedeployed
			case len(es) == 0 || end > evTo || w-grid.Month(cfg.Before) < evFrom:
				wd.Status = WNoData
				wd.Note = fmt.Sprintf("the events data span %s..%s; the windows need %s..%s", evFrom, evTo, w-grid.Month(cfg.Before), end)
			}
			if wd.Status != "" {
				rep.Skipped[wd.Status]++
				rep.Withdrawals = append(rep.Withdrawals, wd)
				continue
			}
			bf, af := w-grid.Month(cfg.Before), end
			wd.Before = sum(osv, cell, bf, w-1)
			wd.After = sum(osv, cell, w, af)
			prior := sum(all, cell, w-12, w-1)
			// Control pool: cells with a site every month of both windows.
			type cand struct {
				c    Control
				dist float64
				same bool
			}
			var pool []cand
			for _, other := range cellIDs {
				if other == cell {
					continue
				}
				kept := true
				for mo := bf; mo <= af; mo++ {
					if !at(other, mo) {
						kept = false
						break
					}
				}
				if !kept {
					continue
				}
				c := Control{Cell: other, Area: areaOfSite(siteOf[other], other), Before: sum(osv, other, bf, w-1), After: sum(osv, other, w, af), Prior: sum(all, other, w-12, w-1)}
				d := math.Abs(math.Log1p(c.Before)-math.Log1p(wd.Before)) + math.Abs(math.Log1p(c.Prior)-math.Log1p(prior))
				pool = append(pool, cand{c, d, c.Area == wd.Area && wd.Area != ""})
			}
			// Forecast risk: one source for the cell and all its
			// candidates, so the match compares like with like.
			wd.RiskSource = RiskComputed
			if stored != nil && len(pool) > 0 {
				if p, run, ok := stored(cell, w); ok {
					risks := make([]float64, len(pool))
					for k := range pool {
						if risks[k], _, ok = stored(pool[k].c.Cell, w); !ok {
							break
						}
					}
					if ok {
						wd.Risk, wd.RiskSource, wd.RiskRun, wd.RiskModel = p, RiskStored, run.ID, run.Model
						if !run.Created.IsZero() {
							created := run.Created.UTC()
							wd.RiskRunCreated = &created
						}
						for k := range pool {
							pool[k].c.Risk = risks[k]
						}
					}
				}
			}
			if wd.RiskSource == RiskComputed {
				wd.Risk = computed(cell, w)
				for k := range pool {
					pool[k].c.Risk = computed(pool[k].c.Cell, w)
				}
			}
			for k := range pool {
				pool[k].dist += math.Abs(riskScale(pool[k].c.Risk) - riskScale(wd.Risk))
			}
			if len(pool) == 0 {
				wd.Status = WNoControls
				wd.Note = "no cell kept a site throughout " + bf.String() + ".." + af.String()
				rep.Skipped[wd.Status]++
				rep.Withdrawals = append(rep.Withdrawals, wd)
				continue
			}
			sort.Slice(pool, func(i, j int) bool {
				if pool[i].same != pool[j].same {
					return pool[i].same
				}
				if pool[i].dist != pool[j].dist {
					return pool[i].dist < pool[j].dist
				}
				return pool[i].c.Cell < pool[j].c.Cell
			})
			var ch float64
			for k := 0; k < cfg.Controls && k < len(pool); k++ {
				wd.Controls = append(wd.Controls, pool[k].c)
				ch += pool[k].c.After - pool[k].c.Before
			}
			wd.ControlChange = ch / float64(len(wd.Controls))
			wd.Expected = math.Max(0, wd.Before+wd.ControlChange)
			wd.DiD = (wd.After - wd.Before) - wd.ControlChange
			wd.P = poissonUpper(wd.After, math.Max(wd.Expected, cfg.MinExpected))
			wd.Fired = wd.P < 1-cfg.Confidence
			wd.Status = WEvaluated
			rep.Evaluated++
			rep.RiskSources[wd.RiskSource]++
			if wd.Fired {
				rep.Fired++
			}
			rep.Withdrawals = append(rep.Withdrawals, wd)
		}
	}
	sort.SliceStable(rep.Withdrawals, func(i, j int) bool {
		a, b := rep.Withdrawals[i], rep.Withdrawals[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.Cell < b.Cell
	})
	// DiD over evaluated withdrawals, overall and by mission.
	var evald []Withdrawal
	byM := map[string][]Withdrawal{}
	for _, w := range rep.Withdrawals {
		if w.Status == WEvaluated {
			evald = append(evald, w)
			byM[w.Mission] = append(byM[w.Mission], w)
		}
	}
	rep.DiD, rep.DiDLow, rep.DiDHigh = bootDiD(evald, cfg)
	rep.Words = WatchWords(rep)
	var ms []string
	for m := range byM {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	for _, m := range ms {
		md := MissionDiD{Mission: m, Evaluated: len(byM[m])}
		for _, w := range byM[m] {
			if w.Fired {
				md.Fired++
			}
		}
		md.DiD, md.DiDLow, md.DiDHigh = bootDiD(byM[m], cfg)
		rep.ByMission = append(rep.ByMission, md)
	}
	return rep, nil
}

// siteArea is the area (ISO3) of deployment site d, whose PRIO-GRID cell
// is in cellArea: the site's own country, as its record names it, and not
// its cell's, which is the country holding most of the cell (the Bangui
// cell is mostly across the Ubangi in DR Congo; Agok's, in Sudan, mostly
// in South Sudan). Geo-PKO names UNMIS's and UNISFA's sites "Sudan"
// wherever they are; coverage.ReadGeoPKO records the country of the
// point's first-level unit instead (Juba's and Gok Machar's South
// Sudan). Without a known recorded country (or a site), the cell's.
func siteArea(d *coverage.Deployment, cellArea string) string {
	if d == nil {
		return cellArea
	}
	a, ok := areaOf(d.Country)
	if !ok {
		return cellArea
	}
	return a.Code
}

// bootDiD is the mean DiD with a percentile bootstrap interval over
// withdrawals (each with its matched controls), fixed seed.
func bootDiD(ws []Withdrawal, cfg WatchConfig) (m, lo, hi *float64) {
	if len(ws) == 0 {
		return nil, nil, nil
	}
	mean := func(idx func(int) int) float64 {
		var s float64
		for i := range ws {
			s += ws[idx(i)].DiD
		}
		return s / float64(len(ws))
	}
	est := mean(func(i int) int { return i })
	r := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	bs := make([]float64, cfg.Bootstrap)
	for b := range bs {
		bs[b] = mean(func(int) int { return r.IntN(len(ws)) })
	}
	sort.Float64s(bs)
	a := (1 - cfg.Level) / 2
	l, h := SampleQuantile(bs, a), SampleQuantile(bs, 1-a)
	return &est, &l, &h
}

// poissonUpper is P(X ≥ k) for X ~ Poisson(lambda): the regularised lower
// incomplete gamma function P(⌈k⌉, lambda), which keeps a small tail
// (1 − CDF rounded it to 0 below about 1e-16, and the audit log said
// "p = 0").
func poissonUpper(k, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	return mathext.GammaIncReg(math.Ceil(k), lambda)
}

// PText is a p-value as reports write it: "<0.001" below 0.001 (a smaller
// figure says nothing more), else three significant digits ("0.0123").
func PText(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return fmt.Sprintf("%.3g", p)
}

// WriteText prints the report for people, in English: first in plain
// words what the watch found (WatchWords, with its counts as the brief
// says them) and each alert to leadership (AlertWords: what happened,
// where, how sure); then, under "Figures for analysts", the area unit, the
// matching, the trigger's test, the difference-in-differences overall and
// by mission, and every withdrawal's numbers.
func (r *WatchReport) WriteText(w interface{ Write([]byte) (int, error) }) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("Withdrawal watch: %s where the mission left, against similar places where it stayed\n", Msg{Code: "watch.measure." + cmp.Or(r.Config.Measure, "deaths")}.Text("en"))
	if r.DiD != nil {
		p("%s\n", (&Brief{Lang: "en", Watch: r}).DiDLine())
	} else {
		p("No withdrawal could be compared with similar places where the mission stayed.\n")
	}
	first := true
	for _, x := range r.Withdrawals {
		if x.Status == WEvaluated && x.Fired {
			if first {
				p("\nAlerts to leadership:\n")
				first = false
			}
			p("- %s\n", AlertWords(x, r.Config).Text("en"))
		}
	}
	p("\nFigures for analysts\n")
	p("Area unit: %s\n", r.AreaUnit)
	p("Matching: %s\nTrigger: %s\n", r.Matching, r.Trigger)
	p("Withdrawals found: %d (not counted: %d sites whose mission's records end with the deployment history); evaluated: %d; trigger fired: %d; skipped: %s\n", r.Found, r.DataEnd, r.Evaluated, r.Fired, skippedText(r.Skipped))
	if r.Evaluated > 0 {
		p("Forecast risk matched on: %s\n", riskSourcesText(r.RiskSources))
	}
	if r.DiD != nil {
		p("Difference-in-differences (%s, after − before, withdrawn − matched), mean over evaluated withdrawals: %s (%g%% bootstrap interval %s to %s)\n",
			r.Config.Measure, round2(*r.DiD), 100*r.Config.Level, round2(*r.DiDLow), round2(*r.DiDHigh))
	} else {
		p("No withdrawal could be evaluated: no difference-in-differences estimate.\n")
	}
	for _, m := range r.ByMission {
		p("  %-10s evaluated %3d  fired %3d  DiD %s [%s, %s]\n", m.Mission, m.Evaluated, m.Fired, round2(*m.DiD), round2(*m.DiDLow), round2(*m.DiDHigh))
	}
	p("\n%-7s %-4s %-9s %-24s %-8s %-20s %8s %8s %9s %8s %8s %6s %-13s %s\n", "month", "area", "mission", "location", "cell", "status", "before", "after", "expected", "did", "p", "risk", "risk source", "trigger")
	for _, x := range r.Withdrawals {
		loc := x.Location
		if len(loc) > 24 {
			loc = loc[:24]
		}
		if x.Status != WEvaluated {
			p("%-7s %-4s %-9s %-24s %-8d %-20s %s\n", x.Month, x.Area, x.Mission, loc, x.Cell, x.Status, x.Note)
			continue
		}
		fired := ""
		if x.Fired {
			fired = "FIRED"
		}
		src := x.RiskSource
		if x.RiskSource == RiskStored {
			src = storedRiskText(x)
		}
		p("%-7s %-4s %-9s %-24s %-8d %-20s %8g %8g %9s %8s %8s %6s %-13s %s\n", x.Month, x.Area, x.Mission, loc, x.Cell, x.Status, x.Before, x.After,
			round2(x.Expected), round2(x.DiD), PText(x.P), riskPercent(x.Risk), src, fired)
	}
}

// round2 writes x to two decimals at most, without trailing zeros, as the
// Performance page writes a withdrawal's expectation and the
// difference-in-differences (r2: Math.round(x * 100) / 100): 3.5, 15.5,
// -1, 7.25 (not 3.50, 15.50, -1.00).
func round2(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100+0, 'f', -1, 64) // + 0: no "-0"
}

// riskPercent writes a forecast probability as the page's risk column
// does: a percentage to one decimal (0.1234 → 12.3%).
func riskPercent(p float64) string {
	return strconv.FormatFloat(math.Round(p*1000)/10+0, 'f', -1, 64) + "%"
}

// storedRiskText names the stored forecast a withdrawal was matched on by
// the day it was computed and its model, as the API and the page do
// ("forecast 2017-12-01 gbt"), never by its run number.
func storedRiskText(x Withdrawal) string {
	s := "forecast"
	if x.RiskRunCreated != nil {
		s += " " + x.RiskRunCreated.Format(time.DateOnly)
	}
	if x.RiskModel != "" {
		s += " " + x.RiskModel
	}
	return s
}

// riskSourcesText says how many evaluated withdrawals were matched on each
// risk source.
func riskSourcesText(m map[string]int) string {
	var parts []string
	if n := m[RiskStored]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d on a stored forecast run (horizon 1)", n))
	}
	if n := m[RiskComputed]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d on the exponential-decay forecast model computed from the events before the withdrawal", n))
	}
	return strings.Join(parts, "; ")
}

func skippedText(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%d %s", v, k))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// Watch runs the withdrawal watch over the engine's deployments and
// events, with the stored forecasts (Inputs.Forecasts) as the risk source
// of a withdrawal when a run covers its month (see WatchWith); the
// report's sources are the events and deployments read.
func (e *Engine) Watch(ctx context.Context, cfg WatchConfig) (*WatchReport, error) {
	ev, dep, err := e.watchData(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := e.watch(ctx, ev, dep, cfg)
	if err != nil {
		return nil, err
	}
	rep.Sources = []Source{ev.src, dep.src}
	return rep, nil
}

func (e *Engine) watch(ctx context.Context, ev *eventData, dep *depData, cfg WatchConfig) (*WatchReport, error) {
	risk, failed := StoredRisk(ctx, e.in.Forecasts)
	rep, err := WatchWith(dep.deps, ev.raw, e.in.Cells, cfg, risk)
	if err == nil {
		err = failed()
	}
	return rep, err
}

// StoredRisk is a RiskLookup over the one-sided violence forecast runs of
// fs on PRIO-GRID cells (horizon 1: issued from the data up to the month
// before), read once per month; nil when fs is nil. failed returns the
// first error the store gave other than having no forecast.
func StoredRisk(ctx context.Context, fs forecast.Store) (lookup RiskLookup, failed func() error) {
	var first error
	failed = func() error { return first }
	if fs == nil {
		return nil, failed
	}
	type month struct {
		run  forecast.Run
		risk map[int]float64
	}
	memo := map[grid.Month]*month{}
	return func(cell int, mo grid.Month) (float64, forecast.Run, bool) {
		m, ok := memo[mo]
		if !ok {
			run, rows, err := fs.RiskOf(ctx, forecast.RunKey{Target: "osv", Grid: forecast.GridPrio}, mo, 1)
			switch {
			case err == nil && run.Origin < mo:
				m = &month{run: forecast.Run{ID: run.ID, Created: run.Created, Model: run.Model}, risk: make(map[int]float64, len(rows))}
				for _, r := range rows {
					m.risk[r.Cell] = r.Prob
				}
			case err != nil && !errors.Is(err, forecast.ErrNoForecast) && first == nil:
				first = err
			}
			memo[mo] = m
		}
		if m == nil {
			return 0, forecast.Run{}, false
		}
		p, ok := m.risk[cell]
		return p, m.run, ok
	}, failed
}
