package performance

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

var riskParam = Param{Name: "risk", Default: "auto", Values: []string{"auto", "forecast", "recent"},
	Doc: "risk of each cell-month: the stored one-sided violence forecast (horizon 1), the recent-violence proxy (violent events in the cell in the 12 months before), or auto = the forecast where one is stored, else the proxy"}

// coverageIndicators lists the risk-coverage indicators.
func coverageIndicators() []Definition {
	var defs []Definition
	defs = append(defs, Definition{
		ID: "risk-covered", Name: "Share of risk within reach of a deployment", NameFR: "Part du risque à portée d’un déploiement",
		Unit: "share", Direction: HigherIsBetter, Sources: []string{"deployments", "cells", "forecasts", "events"},
		Doc:     "Σ risk of the cell-months within reach of an active site ÷ Σ risk of all the area's cell-months in the period (reach by mobility and rainy season, as vigil coverage). Computed from complete data: no sampling interval.",
		Params:  []Param{riskParam},
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) { return e.riskCovered(ctx, r, false) },
	})
	defs = append(defs, Definition{
		ID: "high-risk-covered", Name: "Share of high-risk cells within reach of a deployment", NameFR: "Part des cellules à haut risque à portée d’un déploiement",
		Unit: "share", Direction: HigherIsBetter, Sources: []string{"deployments", "cells", "forecasts", "events"},
		Doc: "Each month, the area's top `top` share of cells by risk (cells with risk > 0 only) are high-risk; the value is the share of those cell-months within reach of an active site.",
		Params: []Param{riskParam, {Name: "top", Default: "0.1", Values: []string{"0.05", "0.1", "0.2", "0.25", "0.5"},
			Doc: "share of the area's cells counted as high-risk each month"}},
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) { return e.riskCovered(ctx, r, true) },
	})
	return defs
}

// riskCovered computes risk-covered and high-risk-covered.
func (e *Engine) riskCovered(ctx context.Context, r Request, high bool) ([]Value, error) {
	if e.in.Cells == nil {
		return []Value{noData(msg("value.no-cells"))}, nil
	}
	dep, err := e.deployments(ctx)
	if err != nil {
		return nil, err
	}
	if len(dep.deps) == 0 {
		return []Value{noData(msg("value.no-deployments"), dep.src)}, nil
	}
	ev, err := e.events(ctx)
	if err != nil {
		return nil, err
	}
	ok, as, err := e.covers(ctx, r.Area)
	if err != nil {
		return nil, err
	}
	if !ok {
		return []Value{noData(msg("value.area-not-covered", "area", r.Area.Code, "areas", areaCodes(as)), dep.src)}, nil
	}
	areas := e.cellAreas()
	var idx []int
	for i, a := range areas {
		if r.Area.IsAll() || a == r.Area.Code {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return []Value{noData(msg("value.no-cell-in-area", "area", r.Area.Code), e.cellsSource())}, nil
	}
	recent := e.recentRisk(ev)
	mode := r.Params["risk"]
	cells := e.in.Cells.All()
	var num, den float64
	var n, hits, months, fcMonths, proxyMonths int
	var skipped []string
	firstWhy := ""
	skip := func(mo grid.Month, why string) {
		if len(skipped) == 0 {
			firstWhy = why
		}
		skipped = append(skipped, mo.String())
	}
	for mo := r.Period.From; mo <= r.Period.To; mo++ {
		if mo < dep.from || mo > dep.to {
			skip(mo, "note.outside-deployments")
			continue
		}
		risk := make([]float64, len(cells))
		used := ""
		if mode != "recent" && e.in.Forecasts != nil {
			_, rows, err := forecast.Risk(ctx, e.in.Forecasts, "osv", mo, 1)
			switch {
			case err == nil && len(rows) > 0:
				for _, x := range rows {
					if _, ok := e.in.Cells.Get(x.Cell); ok {
						risk[cellIndex(e.in.Cells, x.Cell)] = x.Prob
					}
				}
				used = "forecast"
			case err != nil && !errors.Is(err, forecast.ErrNoForecast):
				return nil, err
			}
		}
		if used == "" && mode == "forecast" {
			skip(mo, "note.no-forecast")
			continue
		}
		if used == "" {
			if len(ev.recs) == 0 || mo-12 < ev.from || mo-1 > ev.to {
				skip(mo, "note.no-history")
				continue
			}
			risk = e.recentRiskIn(recent, mo)
			used = "recent"
		}
		if used == "forecast" {
			fcMonths++
		} else {
			proxyMonths++
		}
		months++
		cov := e.coveredIn(dep.deps, mo)
		if !high {
			for _, i := range idx {
				den += risk[i]
				if cov[i] {
					num += risk[i]
				}
				n++
			}
			continue
		}
		var pos []int
		for _, i := range idx {
			if risk[i] > 0 {
				pos = append(pos, i)
			}
		}
		sort.SliceStable(pos, func(a, b int) bool { return risk[pos[a]] > risk[pos[b]] })
		top := 0.1
		fmt.Sscan(r.Params["top"], &top)
		k := min(len(pos), int(math.Ceil(top*float64(len(idx)))))
		for _, i := range pos[:k] {
			n++
			if cov[i] {
				hits++
			}
		}
	}
	srcs := []Source{dep.src, e.cellsSource()}
	if proxyMonths > 0 {
		srcs = append(srcs, ev.src)
	}
	if fcMonths > 0 {
		srcs = append(srcs, Source{Name: "forecasts (osv, horizon 1, latest run per month)", Rows: fcMonths})
	}
	cv := Coverage{DataFrom: dep.from.String(), DataTo: dep.to.String(), Months: months}
	if len(skipped) > 0 {
		if len(skipped) == 1 {
			cv.setNote(msg("note.month-left-out", "first", skipped[0], "first_why", Msg{Code: firstWhy}))
		} else {
			cv.setNote(msg("note.months-left-out", "n", len(skipped), "first", skipped[0], "first_why", Msg{Code: firstWhy}, "last", skipped[len(skipped)-1]))
		}
	}
	how := msg("method.high-risk-share", "fc", fcMonths, "proxy", proxyMonths)
	if months == 0 {
		v := noData(msg("value.no-risk-month", "note", cv.NoteMsg), srcs...)
		v.Coverage = cv
		return []Value{v}, nil
	}
	var val float64
	if high {
		if n == 0 {
			v := noData(msg("value.no-risk-cells"), srcs...)
			v.Coverage = cv
			return []Value{v}, nil
		}
		val = float64(hits) / float64(n)
	} else {
		if den == 0 {
			v := noData(msg("value.area-no-risk"), srcs...)
			v.Coverage = cv
			return []Value{v}, nil
		}
		val = num / den
		how.Code = "method.risk-share"
	}
	v := Value{Value: &val, CILow: &val, CIHigh: &val, Uncertainty: Exact, CI: "none: computed from complete data", N: n, Coverage: cv,
		Prov: method(how, srcs...)}
	return []Value{v}, nil
}

func cellIndex(c *coverage.Cells, gid int) int {
	all := c.All()
	return sort.Search(len(all), func(i int) bool { return all[i].GID >= gid })
}

// recentRisk is the recent-violence proxy over the loaded events.
func (e *Engine) recentRisk(ev *eventData) *coverage.RecentViolence {
	e.covMu.Lock()
	defer e.covMu.Unlock()
	if e.recent == nil {
		e.recent = coverage.NewRecentViolence(ev.inc, 12)
	}
	return e.recent
}

// recentRiskIn returns (cached) the recent-violence risk of every cell
// in month mo, by cell index.
func (e *Engine) recentRiskIn(rv *coverage.RecentViolence, mo grid.Month) []float64 {
	e.covMu.Lock()
	defer e.covMu.Unlock()
	if r, ok := e.risks[mo]; ok {
		return r
	}
	cells := e.in.Cells.All()
	r := make([]float64, len(cells))
	for i, c := range cells {
		r[i] = rv.CellRisk(c.GID, mo)
	}
	e.risks[mo] = r
	return r
}

// onsetsAll computes the onsets of one-sided violence and months to
// coverage once, over the whole deployment span (follow-up to the end of
// both the deployment and the events data).
func (e *Engine) onsetsAll(dep *depData, ev *eventData) ([]coverage.Onset, []grid.Month) {
	e.onsetOnce.Do(func() {
		to := min(dep.to, ev.to)
		if to < dep.from {
			return
		}
		p := e.model.Panel(dep.deps, dep.from, to)
		e.onsets = e.model.Responsiveness(p, ev.inc, 12)
		for _, o := range e.onsets {
			mo, _ := grid.ParseMonth(o.Month)
			e.onsetMonths = append(e.onsetMonths, mo)
		}
	})
	return e.onsets, e.onsetMonths
}

// responseIndicators lists the response-time indicators (onset of violence to coverage).
func responseIndicators() []Definition {
	var defs []Definition
	perp := Param{Name: "perpetrator", Default: "all", Values: []string{"all", "state", "non-state"}, Doc: "onsets by government forces (UCDP side A 'Government of …'), by others, or all"}
	defs = append(defs, Definition{
		ID: "response-months", Name: "Months from onset of violence against civilians to coverage", NameFR: "Mois entre le début des violences contre les civils et la couverture",
		Unit: "months", Direction: LowerIsBetter, Sources: []string{"events", "deployments", "cells"},
		Doc:             "Median months from an onset of one-sided violence in a cell (after 12 quiet months, in a country with a mission) to the first month a site reaches it (vigil coverage check), over onsets in the period; onsets never covered count as longer than any. 95% interval: order statistics.",
		Params:          []Param{perp},
		Disaggregations: []string{"perpetrator"},
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) {
			return e.responsiveness(ctx, r, false)
		},
	})
	defs = append(defs, Definition{
		ID: "onsets-covered-3m", Name: "Onsets of violence against civilians covered within 3 months", NameFR: "Débuts de violences contre les civils couverts en 3 mois",
		Unit: "share", Direction: HigherIsBetter, Sources: []string{"events", "deployments", "cells"},
		Doc:             "Share of the period's onsets of one-sided violence reached by a site within 3 months (onsets with less follow-up and not yet covered are left out). 95% interval: Clopper–Pearson.",
		Params:          []Param{perp},
		Disaggregations: []string{"perpetrator"},
		compute: func(e *Engine, ctx context.Context, r Request) ([]Value, error) {
			return e.responsiveness(ctx, r, true)
		},
	})
	return defs
}

func (e *Engine) responsiveness(ctx context.Context, r Request, share bool) ([]Value, error) {
	if e.in.Cells == nil {
		return []Value{noData(msg("value.no-cells"))}, nil
	}
	dep, err := e.deployments(ctx)
	if err != nil {
		return nil, err
	}
	ev, err := e.events(ctx)
	if err != nil {
		return nil, err
	}
	if len(dep.deps) == 0 || len(ev.recs) == 0 {
		return []Value{noData(msg("value.resp-needs-both"), dep.src, ev.src)}, nil
	}
	srcs := []Source{ev.src, dep.src, e.cellsSource()}
	to := min(dep.to, ev.to)
	cv := Coverage{DataFrom: dep.from.String(), DataTo: to.String(), Months: overlap(r.Period, int(dep.from)+12, int(to))}
	if cv.Months == 0 {
		v := noData(msg("value.onsets-span", "from", dep.from+12, "to", to), srcs...)
		v.Coverage = cv
		return []Value{v}, nil
	}
	groups := []string{""}
	if r.By == "perpetrator" {
		groups = []string{"state", "non-state"}
	}
	var out []Value
	for _, g := range groups {
		var ms []float64
		covered3, n3 := 0, 0
		onsets, months := e.onsetsAll(dep, ev)
		for k, o := range onsets {
			if !r.Period.Contains(months[k]) {
				continue
			}
			if a, ok := areaOf(o.Country); !r.Area.IsAll() && (!ok || a.Code != r.Area.Code) {
				continue
			}
			if p := r.Params["perpetrator"]; p != "all" && o.Perpetrator != p {
				continue
			}
			if g != "" && o.Perpetrator != g {
				continue
			}
			m := math.Inf(1)
			if o.Months >= 0 {
				m = float64(o.Months)
			}
			ms = append(ms, m)
			switch {
			case o.Months >= 0 && o.Months <= 3:
				covered3++
				n3++
			case o.FollowUp >= 3:
				n3++
			}
		}
		v := Value{N: len(ms), Coverage: cv, Prov: Provenance{Sources: srcs}}
		if g != "" {
			v.Disaggregation = map[string]string{"perpetrator": g}
		}
		switch {
		case len(ms) == 0:
			withReason(&v, msg("value.no-onset"))
		case share:
			if n3 == 0 {
				withReason(&v, msg("value.no-followup"))
				break
			}
			x := float64(covered3) / float64(n3)
			lo, hi := ClopperPearson(covered3, n3, 0.95)
			v.Value, v.CILow, v.CIHigh, v.N = &x, &lo, &hi, n3
			v.Uncertainty, v.CI = Estimate, "Clopper–Pearson 95%"
			v.Prov.setMethod(msg("method.onsets-3m", "k", covered3, "n", n3))
		default:
			sort.Float64s(ms)
			med := SampleQuantile(ms, 0.5)
			if math.IsInf(med, 1) || math.IsNaN(med) {
				withReason(&v, msg("value.median-censored", "n", len(ms)))
				break
			}
			v.Value = &med
			lo, hi, lok, hok := QuantileCI(ms, 0.5, 0.95)
			if lok {
				v.CILow = &lo
			}
			if hok && !math.IsInf(hi, 1) {
				v.CIHigh = &hi
			}
			v.Uncertainty, v.CI = Quantile, "order-statistic 95% (distribution-free); no upper end when it falls on onsets never covered"
			v.Prov.setMethod(msg("method.onsets-median", "n", len(ms)))
		}
		out = append(out, v)
	}
	return out, nil
}
