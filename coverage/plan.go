package coverage

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/vigil-project/vigil/coverage/mclp"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Weights gives each cell's demand weight for planning: by default risk ×
// population (risk alone when no population layer is loaded), configurable
// through WeightMode.
type WeightMode string

const (
	WeightRiskPop    WeightMode = "risk_population"
	WeightRisk       WeightMode = "risk"
	WeightPopulation WeightMode = "population"
)

// CellWeights computes the demand weight per cell index for month mo.
func (m *Model) CellWeights(risk Risk, mo grid.Month, mode WeightMode) ([]float64, error) {
	w := make([]float64, m.Cells.Len())
	havePop := m.HasPopulation()
	for i, c := range m.Cells.list {
		r := 0.0
		if risk != nil {
			r = risk.CellRisk(c.GID, mo)
		}
		switch mode {
		case "", WeightRiskPop:
			if havePop {
				w[i] = r * c.Population
			} else {
				w[i] = r
			}
		case WeightRisk:
			w[i] = r
		case WeightPopulation:
			if !havePop {
				return nil, apperr.Textf("weight %q needs a population layer", mode)
			}
			w[i] = c.Population
		default:
			return nil, apperr.Textf("weight %q: want risk_population, risk or population", mode)
		}
		if !(w[i] >= 0) || math.IsInf(w[i], 0) {
			return nil, fmt.Errorf("cell %d: weight %v is not a finite number ≥ 0", c.GID, w[i])
		}
	}
	return w, nil
}

// ProposedSite is the id of the one site a TOB tried on the map opens.
const ProposedSite = "proposed"

// Candidate is a possible new site.
type Candidate struct {
	ID       string   `json:"id"`
	Lat      float64  `json:"lat"`
	Lon      float64  `json:"lon"`
	Cost     float64  `json:"cost"`
	Mobility Mobility `json:"mobility"`
}

// PlanRequest asks where to open new sites in month Month.
type PlanRequest struct {
	Month      grid.Month
	P          int
	Budget     float64
	Candidates []Candidate // nil = every cell centroid (of Countries), cost 1, mobility Mobility
	// Countries limits generated candidates to the cells of these countries
	// (the mission's: where it has deployments); nil = every cell.
	Countries []string
	Mobility  Mobility // for generated candidates (default foot: a TOB's patrols)
	Weight    WeightMode
	TimeLimit time.Duration
}

// ChosenSite is a site the optimiser proposes to open, named by the
// notable place nearest to it (Service.Plan; nil without a gazetteer or a
// place within 100 km): the page shows the place, not the candidate's id.
type ChosenSite struct {
	Candidate
	Place *geotext.PointLabel `json:"place,omitempty"`
}

// PlanResult is the optimiser's answer plus what it changes.
type PlanResult struct {
	Solution    *mclp.Solution `json:"solution"`
	Chosen      []ChosenSite   `json:"chosen"`
	Before      float64        `json:"covered_weight_before"`
	After       float64        `json:"covered_weight_after"`
	Total       float64        `json:"total_weight"`
	CellsGained []int          `json:"cells_gained"`
}

// Plan solves the maximal covering location problem: the deployments active
// in the month are fixed sites, candidates are new sites.
func (m *Model) Plan(ctx context.Context, deps []Deployment, risk Risk, req PlanRequest) (*PlanResult, error) {
	w, err := m.CellWeights(risk, req.Month, req.Weight)
	if err != nil {
		return nil, err
	}
	if req.Mobility == "" {
		req.Mobility = Foot
	}
	cands := req.Candidates
	if cands == nil {
		in := map[string]bool{}
		for _, c := range req.Countries {
			in[CountryKey(c)] = true
		}
		for _, c := range m.Cells.list {
			if len(in) > 0 && !in[c.Key] {
				continue
			}
			cands = append(cands, Candidate{ID: fmt.Sprintf("cell-%d", c.GID), Lat: c.Lat, Lon: c.Lon, Cost: 1, Mobility: req.Mobility})
		}
	}
	prob := &mclp.Problem{Weights: w, P: req.P, Budget: req.Budget}
	for _, c := range m.Cells.list {
		prob.DemandIDs = append(prob.DemandIDs, fmt.Sprint(c.GID))
	}
	addSite := func(id string, lat, lon float64, mob Mobility, cost float64, fixed bool) {
		prob.SiteIDs = append(prob.SiteIDs, id)
		prob.Costs = append(prob.Costs, cost)
		prob.Fixed = append(prob.Fixed, fixed)
		var cv []int32
		r := m.reach(lat, lon, mob)
		for q, i := range r.idx {
			if r.dist[q] <= m.Reach.KMFor(mob, m.Cells.list[i].Key, req.Month) {
				cv = append(cv, i)
			}
		}
		prob.Covers = append(prob.Covers, cv)
	}
	for k := range deps {
		d := &deps[k]
		if d.Active(req.Month) {
			addSite("existing:"+d.SourceID, d.Lat, d.Lon, d.Mobility, 0, true)
		}
	}
	nFixed := len(prob.SiteIDs)
	for k, c := range cands {
		if err := grid.CheckLatLon(c.Lat, c.Lon); err != nil {
			return nil, apperr.Textf("candidate %d (%s): %v", k, c.ID, err)
		}
		if c.Mobility == "" {
			c.Mobility = req.Mobility
		}
		if _, ok := m.Reach.KM[c.Mobility]; !ok {
			return nil, apperr.Textf("candidate %d (%s): unknown mobility %q", k, c.ID, c.Mobility)
		}
		addSite(c.ID, c.Lat, c.Lon, c.Mobility, c.Cost, false)
		cands[k] = c
	}
	fixedOnly := coveredWeight(prob, nil, w)
	sol, err := mclp.Solve(ctx, prob, mclp.Options{TimeLimit: req.TimeLimit})
	if err != nil {
		return nil, err
	}
	res := &PlanResult{Solution: sol, Before: fixedOnly, After: sol.Objective, Total: sol.TotalWeight}
	before := coveredSet(prob, nil)
	for _, j := range sol.ChosenIdx {
		res.Chosen = append(res.Chosen, ChosenSite{Candidate: cands[j-nFixed]})
	}
	for i, c := range sol.Covered {
		if c && !before[i] {
			res.CellsGained = append(res.CellsGained, m.Cells.list[i].GID)
		}
	}
	return res, nil
}

func coveredSet(p *mclp.Problem, extra []int) []bool {
	cov := make([]bool, len(p.Weights))
	for j, cv := range p.Covers {
		if p.Fixed[j] {
			for _, i := range cv {
				cov[i] = true
			}
		}
	}
	for _, j := range extra {
		for _, i := range p.Covers[j] {
			cov[i] = true
		}
	}
	return cov
}

func coveredWeight(p *mclp.Problem, extra []int, w []float64) float64 {
	var s float64
	for i, c := range coveredSet(p, extra) {
		if c {
			s += w[i]
		}
	}
	return s
}

// TryResult is what a proposed site would add.
type TryResult struct {
	Candidate   Candidate `json:"candidate"`
	Gained      float64   `json:"weight_gained"`
	CellsGained []int     `json:"cells_gained"`
	Before      float64   `json:"covered_weight_before"`
	Total       float64   `json:"total_weight"`
}

// Try evaluates one proposed site (a TOB dragged on the map) in month mo.
func (m *Model) Try(deps []Deployment, risk Risk, mo grid.Month, weight WeightMode, c Candidate) (*TryResult, error) {
	if err := grid.CheckLatLon(c.Lat, c.Lon); err != nil {
		return nil, err
	}
	if c.Mobility == "" {
		c.Mobility = Foot
	}
	if _, ok := m.Reach.KM[c.Mobility]; !ok {
		return nil, apperr.Textf("mobility %q: want foot, vehicle or air", c.Mobility)
	}
	w, err := m.CellWeights(risk, mo, weight)
	if err != nil {
		return nil, err
	}
	cms := m.Month(deps, mo, nil)
	res := &TryResult{Candidate: c}
	for i, cm := range cms {
		res.Total += w[i]
		if cm.Covered {
			res.Before += w[i]
		}
	}
	r := m.reach(c.Lat, c.Lon, c.Mobility)
	for q, i := range r.idx {
		if r.dist[q] <= m.Reach.KMFor(c.Mobility, m.Cells.list[i].Key, mo) && !cms[i].Covered {
			res.Gained += w[i]
			res.CellsGained = append(res.CellsGained, m.Cells.list[i].GID)
		}
	}
	sort.Ints(res.CellsGained)
	return res, nil
}
