package coverage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/vigil-project/vigil/coverage/mclp"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// CutRequest describes a cut of Share (e.g. 0.26) of personnel or of cost
// in month Month.
type CutRequest struct {
	Month  grid.Month
	Share  float64
	Basis  string // "personnel" (default) or "cost"
	Weight WeightMode
	// MinViable: under across-the-board thinning a site that had at least
	// this many personnel and falls below it closes (it can no longer both
	// hold its base and send patrols). Default 100 — about a company less
	// its base guard; a planning assumption. Negative disables closing.
	MinViable int
	TimeLimit time.Duration
}

// CellLoss is a cell that loses protection under a cut.
type CellLoss struct {
	Cell      int     `json:"cell"`
	Country   string  `json:"country"`
	CountryFR string  `json:"country_fr,omitempty"` // geotext.FrenchName of Country
	Weight    float64 `json:"weight"`
	// Place names the cell by its nearest notable place (the service's
	// answers; nil without a gazetteer or a place within 100 km).
	Place *geotext.PointLabel `json:"place,omitempty"`
}

// CutOption is one way to make the cut.
type CutOption struct {
	Strategy  string   `json:"strategy"`  // "targeted" or "thinning"
	Withdrawn []string `json:"withdrawn"` // sites closed
	// Trimmed: personnel (or cost) taken from sites that stay open.
	Trimmed map[string]float64 `json:"trimmed,omitempty"`
	Removed float64            `json:"removed"` // personnel or cost removed
	Target  float64            `json:"target"`  // the cut asked for
	// Covered weight before and after, and its share of the total.
	CoveredBefore float64 `json:"covered_before"`
	CoveredAfter  float64 `json:"covered_after"`
	Total         float64 `json:"total_weight"`
	// Weighted mean personnel within reach (Σ w·personnel / Σ w).
	ReachPersonnelBefore float64    `json:"reach_personnel_before"`
	ReachPersonnelAfter  float64    `json:"reach_personnel_after"`
	CellsLost            []CellLoss `json:"cells_lost"`
	// For the targeted option: the optimiser's bound on the weight that can
	// stay covered, and the gap.
	UpperBound float64 `json:"upper_bound,omitempty"`
	Gap        float64 `json:"gap,omitempty"`
}

// Cut compares a targeted cut (choose which sites to close and trim the
// surplus of the others so that what remains covers the most weight — a
// maximal covering problem with a budget) with thinning every site by the
// same share. The targeted option's bound and gap are on the tie-broken
// weight (see below), within 0.01% of the covered weight.
func (m *Model) Cut(ctx context.Context, deps []Deployment, risk Risk, req CutRequest) (targeted, thinning *CutOption, err error) {
	if !(req.Share > 0 && req.Share < 1) {
		return nil, nil, apperr.Textf("share %v: want a fraction between 0 and 1 (e.g. 0.26)", req.Share)
	}
	if req.Basis == "" {
		req.Basis = "personnel"
	}
	if req.Basis != "personnel" && req.Basis != "cost" {
		return nil, nil, apperr.Textf("basis %q: want personnel or cost", req.Basis)
	}
	if req.MinViable == 0 {
		req.MinViable = 100
	}
	w, err := m.CellWeights(risk, req.Month, req.Weight)
	if err != nil {
		return nil, nil, err
	}
	var act []Deployment
	for _, d := range deps {
		if d.Active(req.Month) {
			act = append(act, d)
		}
	}
	if len(act) == 0 {
		return nil, nil, apperr.Textf("no deployments active in %s", req.Month)
	}
	size := func(d *Deployment) float64 {
		if req.Basis == "cost" {
			return d.Cost
		}
		return float64(d.Personnel())
	}
	var total float64
	for k := range act {
		total += size(&act[k])
	}
	if total <= 0 {
		return nil, nil, apperr.Textf("the active sites have no %s to cut", basisWord(req.Basis))
	}
	target := req.Share * total

	// Coverage lists per active site in this month.
	covers := make([][]int32, len(act))
	for k := range act {
		d := &act[k]
		r := m.reach(d.Lat, d.Lon, d.Mobility)
		for q, i := range r.idx {
			if r.dist[q] <= m.Reach.KMFor(d.Mobility, m.Cells.list[i].Key, req.Month) {
				covers[k] = append(covers[k], i)
			}
		}
	}
	eval := func(open []bool, pers []float64) (cov []bool, covered, reach float64) {
		n := m.Cells.Len()
		cov = make([]bool, n)
		pr := make([]float64, n)
		for k, cv := range covers {
			if !open[k] {
				continue
			}
			for _, i := range cv {
				cov[i] = true
				pr[i] += pers[k]
			}
		}
		var sw float64
		for i := range cov {
			sw += w[i]
			if cov[i] {
				covered += w[i]
			}
			reach += w[i] * pr[i]
		}
		if sw > 0 {
			reach /= sw
		}
		return
	}
	allOpen := make([]bool, len(act))
	pers := make([]float64, len(act))
	for k := range act {
		allOpen[k] = true
		pers[k] = float64(act[k].Personnel())
	}
	covBefore, before, reachBefore := eval(allOpen, pers)
	var totalW float64
	for _, x := range w {
		totalW += x
	}
	lost := func(after []bool) []CellLoss {
		var out []CellLoss
		for i := range after {
			if covBefore[i] && !after[i] {
				c := m.Cells.list[i]
				out = append(out, CellLoss{Cell: c.GID, Country: c.Country, CountryFR: geotext.FrenchName(c.Country), Weight: w[i]})
			}
		}
		sort.SliceStable(out, func(a, b int) bool { return out[a].Weight > out[b].Weight })
		return out
	}

	// Targeted: keep sites within (1−share)·total maximising covered weight.
	// A tiny weight per cell (at most 0.01% of the largest weight in total)
	// breaks ties towards keeping more cells protected.
	var wmax float64
	for _, x := range w {
		wmax = math.Max(wmax, x)
	}
	if wmax == 0 {
		wmax = 1
	}
	tw := make([]float64, len(w))
	for i, x := range w {
		tw[i] = x + 1e-4*wmax/float64(len(w))
	}
	// A kept site must keep its core: for personnel cuts, a site at or above
	// MinViable keeps at least MinViable and a smaller site (observers, a
	// police post) may be thinned by the same share as everyone; the rest of
	// a kept site (its surplus) can be withdrawn. Whole-site cost cuts keep
	// the whole cost. So the problem is: choose sites to keep, total core ≤
	// total − target, maximising covered weight; then trim surplus
	// proportionally if closing sites removed less than the target.
	core := func(k int) float64 {
		if req.Basis == "cost" || req.MinViable <= 0 {
			return size(&act[k])
		}
		p := pers[k]
		if p >= float64(req.MinViable) {
			return float64(req.MinViable)
		}
		return p * (1 - req.Share)
	}
	prob := &mclp.Problem{Weights: tw, Budget: total - target}
	for k := range act {
		prob.SiteIDs = append(prob.SiteIDs, act[k].SourceID)
		prob.Costs = append(prob.Costs, core(k))
		prob.Covers = append(prob.Covers, covers[k])
	}
	sol, err := mclp.Solve(ctx, prob, mclp.Options{TimeLimit: req.TimeLimit})
	if err != nil {
		return nil, nil, fmt.Errorf("targeted cut: %w", err)
	}
	keep := make([]bool, len(act))
	for _, j := range sol.ChosenIdx {
		keep[j] = true
	}
	for k := range act {
		if core(k) == 0 {
			keep[k] = true // nothing to save by closing it
		}
	}
	// Cut no deeper than needed: re-open closed sites, largest first, while
	// the kept cores stay within the budget.
	var kept float64
	for k := range act {
		if keep[k] {
			kept += core(k)
		}
	}
	order := make([]int, 0, len(act))
	for k := range act {
		if !keep[k] {
			order = append(order, k)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return size(&act[order[a]]) > size(&act[order[b]]) })
	for _, k := range order {
		if kept+core(k) <= prob.Budget*(1+1e-12) {
			keep[k] = true
			kept += core(k)
		}
	}
	targeted = &CutOption{Strategy: "targeted", Target: target, CoveredBefore: before, Total: totalW, ReachPersonnelBefore: reachBefore,
		UpperBound: sol.UpperBound, Gap: sol.Gap}
	tpers := append([]float64(nil), pers...)
	var surplus float64
	for k := range act {
		if !keep[k] {
			targeted.Withdrawn = append(targeted.Withdrawn, act[k].SourceID)
			targeted.Removed += size(&act[k])
		} else {
			surplus += size(&act[k]) - core(k)
		}
	}
	if need := target - targeted.Removed; need > 0 && surplus > 0 {
		// Trim kept sites' surplus in proportion.
		f := math.Min(1, need/surplus)
		targeted.Trimmed = map[string]float64{}
		for k := range act {
			if keep[k] {
				if cut := f * (size(&act[k]) - core(k)); cut > 0 {
					targeted.Trimmed[act[k].SourceID] = math.Round(cut*10) / 10
					targeted.Removed += cut
					if req.Basis != "cost" {
						tpers[k] -= cut
					}
				}
			}
		}
	}
	covT, afterT, reachT := eval(keep, tpers)
	targeted.CoveredAfter, targeted.ReachPersonnelAfter, targeted.CellsLost = afterT, reachT, lost(covT)

	// Thinning: every site loses the same share.
	thinning = &CutOption{Strategy: "thinning", Target: target, Removed: target, CoveredBefore: before, Total: totalW, ReachPersonnelBefore: reachBefore}
	open := make([]bool, len(act))
	thin := make([]float64, len(act))
	for k := range act {
		p := pers[k] * (1 - req.Share)
		thin[k] = p
		open[k] = true
		if req.MinViable > 0 && pers[k] >= float64(req.MinViable) && p < float64(req.MinViable) {
			open[k] = false
			thinning.Withdrawn = append(thinning.Withdrawn, act[k].SourceID)
		}
	}
	covN, afterN, reachN := eval(open, thin)
	thinning.CoveredAfter, thinning.ReachPersonnelAfter, thinning.CellsLost = afterN, reachN, lost(covN)
	if math.IsNaN(targeted.CoveredAfter) || math.IsNaN(thinning.CoveredAfter) {
		return nil, nil, errors.New("cut: weights produced NaN")
	}
	return targeted, thinning, nil
}
