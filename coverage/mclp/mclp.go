// Package mclp solves the maximal covering location problem.
//
// It solves the maximal covering location problem (Church & ReVelle 1974):
// given demand points with weights, candidate sites (some already open and
// fixed), and which demand each site covers, open p new sites — or as many as a
// budget buys — to maximise the covered weight.
//
// Solve runs a lazy greedy (CELF: stale gains are re-evaluated only when they
// reach the top of the heap) followed by a swap local search with
// incrementally maintained gains, and certifies the answer with an upper
// bound from the Lagrangian relaxation of the coverage constraints. For the
// cardinality-constrained problem that Lagrangian dual equals the LP
// relaxation's value (the site subproblem has the integrality property), so
// the bound is the LP bound approached by subgradient steps; every multiplier
// vector gives a valid bound, so stopping early is safe. Small instances are
// then closed by depth-first branch-and-bound with a submodularity bound.
// Everything honours a time limit and always returns the best answer found
// together with its optimality gap.
package mclp

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Problem is one MCLP instance. Indices into Weights are demand indices,
// indices into Sites are site indices.
type Problem struct {
	DemandIDs []string
	Weights   []float64 // ≥ 0

	SiteIDs []string
	Costs   []float64 // ≥ 0; nil means every site costs 1
	Fixed   []bool    // existing sites: always open, not counted in P or Budget
	Covers  [][]int32 // Covers[j] = demand indices site j covers (no duplicates)

	P      int     // maximum number of new sites; 0 = no count limit (needs a budget)
	Budget float64 // maximum total cost of new sites; 0 = no budget
}

// Options tune Solve.
type Options struct {
	TimeLimit time.Duration // 0 = 30 s
	// ExactMaxCandidates: branch-and-bound is attempted (within the time
	// limit) when the number of free candidates is at most this; 0 = 400.
	// Negative disables it.
	ExactMaxCandidates int
	// BoundIterations caps subgradient iterations; 0 = 1000.
	BoundIterations int
}

// Solution is the best answer found.
type Solution struct {
	Objective  float64  `json:"objective"`   // covered weight, including what fixed sites cover
	Coverage   float64  `json:"coverage"`    // Objective / total weight
	Chosen     []string `json:"chosen"`      // new sites opened, in site-list order
	UpperBound float64  `json:"upper_bound"` // no feasible answer covers more
	Gap        float64  `json:"gap"`         // (UpperBound − Objective) / UpperBound
	Optimal    bool     `json:"optimal"`     // proven optimal (gap closed)
	Cost       float64  `json:"cost"`        // total cost of the new sites

	TotalWeight    float64 `json:"total_weight"`
	FixedCovered   float64 `json:"fixed_covered"` // weight covered by the fixed sites alone
	CoveredCount   int     `json:"covered_count"`
	UncoveredCount int     `json:"uncovered_count"`
	TimedOut       bool    `json:"timed_out"`
	Method         string  `json:"method"` // "greedy+swap", "branch-and-bound"
	ElapsedSeconds float64 `json:"elapsed_seconds"`

	ChosenIdx []int  `json:"-"`
	Covered   []bool `json:"-"` // per demand index
}

// Validate checks the problem and reports the first inconsistency.
func (p *Problem) Validate() error {
	nd, ns := len(p.Weights), len(p.Covers)
	if len(p.DemandIDs) != 0 && len(p.DemandIDs) != nd {
		return fmt.Errorf("mclp: %d demand ids for %d weights", len(p.DemandIDs), nd)
	}
	if len(p.SiteIDs) != 0 && len(p.SiteIDs) != ns {
		return fmt.Errorf("mclp: %d site ids for %d coverage lists", len(p.SiteIDs), ns)
	}
	if p.Costs != nil && len(p.Costs) != ns {
		return fmt.Errorf("mclp: %d costs for %d sites", len(p.Costs), ns)
	}
	if p.Fixed != nil && len(p.Fixed) != ns {
		return fmt.Errorf("mclp: %d fixed flags for %d sites", len(p.Fixed), ns)
	}
	for i, w := range p.Weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("mclp: demand %s: weight %v must be a finite number ≥ 0", p.demandName(i), w)
		}
	}
	for j, c := range p.Costs {
		if !(c >= 0) || math.IsInf(c, 0) {
			return apperr.Textf("mclp: site %s: cost %v must be a finite number ≥ 0", p.siteName(j), c)
		}
	}
	for j, cv := range p.Covers {
		for _, i := range cv {
			if i < 0 || int(i) >= nd {
				return fmt.Errorf("mclp: site %s covers demand index %d outside 0..%d", p.siteName(j), i, nd-1)
			}
		}
	}
	if p.P < 0 {
		return apperr.Textf("mclp: p = %d: must be ≥ 0", p.P)
	}
	if p.Budget < 0 || math.IsNaN(p.Budget) || math.IsInf(p.Budget, 0) {
		return apperr.Textf("mclp: budget %v: must be a finite number ≥ 0", p.Budget)
	}
	free := 0
	minCost := math.Inf(1)
	for j := range ns {
		if !p.fixed(j) {
			free++
			minCost = math.Min(minCost, p.cost(j))
		}
	}
	if p.P == 0 && p.Budget == 0 {
		return apperr.Text("mclp: give p > 0 new sites, a budget > 0, or both")
	}
	if p.P > free {
		return apperr.Textf("mclp: p = %d is larger than the %d candidate sites that are not fixed", p.P, free)
	}
	if free == 0 {
		return apperr.Text("mclp: no candidate sites (all sites are fixed)")
	}
	if p.Budget > 0 && minCost > p.Budget {
		return apperr.Textf("mclp: budget %v is infeasible: the cheapest candidate site costs %v", p.Budget, minCost)
	}
	return nil
}

func (p *Problem) fixed(j int) bool { return p.Fixed != nil && p.Fixed[j] }
func (p *Problem) cost(j int) float64 {
	if p.Costs == nil {
		return 1
	}
	return p.Costs[j]
}
func (p *Problem) siteName(j int) string {
	if j < len(p.SiteIDs) {
		return p.SiteIDs[j]
	}
	return fmt.Sprintf("#%d", j)
}
func (p *Problem) demandName(i int) string {
	if i < len(p.DemandIDs) {
		return p.DemandIDs[i]
	}
	return fmt.Sprintf("#%d", i)
}

// state is the incremental solution state shared by the heuristics.
type state struct {
	p       *Problem
	sitesOf [][]int32 // demand -> sites covering it
	cnt     []int32   // open sites covering each demand (fixed included)
	gain    []float64 // for each site: weight of uncovered demand it covers
	open    []bool
	obj     float64
	cost    float64
	nOpen   int // new sites open
}

func newState(p *Problem) *state {
	nd, ns := len(p.Weights), len(p.Covers)
	s := &state{p: p, cnt: make([]int32, nd), gain: make([]float64, ns), open: make([]bool, ns)}
	deg := make([]int32, nd)
	for _, cv := range p.Covers {
		for _, i := range cv {
			deg[i]++
		}
	}
	flat := make([]int32, 0)
	total := 0
	for _, d := range deg {
		total += int(d)
	}
	flat = make([]int32, total)
	s.sitesOf = make([][]int32, nd)
	off := 0
	for i, d := range deg {
		s.sitesOf[i] = flat[off : off : off+int(d)]
		off += int(d)
	}
	for j, cv := range p.Covers {
		for _, i := range cv {
			s.sitesOf[i] = append(s.sitesOf[i], int32(j))
			s.gain[j] += p.Weights[i]
		}
	}
	for j := range ns {
		if p.fixed(j) {
			s.openSite(j)
			s.nOpen-- // fixed sites do not count
			s.cost -= p.cost(j)
		}
	}
	return s
}

func (s *state) openSite(j int) {
	s.open[j] = true
	s.nOpen++
	s.cost += s.p.cost(j)
	w := s.p.Weights
	for _, i := range s.p.Covers[j] {
		if s.cnt[i] == 0 {
			s.obj += w[i]
			for _, k := range s.sitesOf[i] {
				s.gain[k] -= w[i]
			}
		}
		s.cnt[i]++
	}
}

func (s *state) closeSite(j int) {
	s.open[j] = false
	s.nOpen--
	s.cost -= s.p.cost(j)
	w := s.p.Weights
	for _, i := range s.p.Covers[j] {
		s.cnt[i]--
		if s.cnt[i] == 0 {
			s.obj -= w[i]
			for _, k := range s.sitesOf[i] {
				s.gain[k] += w[i]
			}
		}
	}
}

// loss is the weight lost by closing open site j.
func (s *state) loss(j int) float64 {
	var l float64
	for _, i := range s.p.Covers[j] {
		if s.cnt[i] == 1 {
			l += s.p.Weights[i]
		}
	}
	return l
}

func (s *state) canAdd(j int) bool {
	p := s.p
	if s.open[j] || p.fixed(j) {
		return false
	}
	if p.P > 0 && s.nOpen >= p.P {
		return false
	}
	if p.Budget > 0 && s.cost+p.cost(j) > p.Budget*(1+1e-12) {
		return false
	}
	return true
}

func (s *state) chosen() []int {
	var out []int
	for j, o := range s.open {
		if o && !s.p.fixed(j) {
			out = append(out, j)
		}
	}
	return out
}

// Solve finds a good (often optimal) solution and its gap. It returns an
// error only for an invalid problem; when ctx ends or the time limit passes
// it returns the best answer so far with TimedOut set.
func Solve(ctx context.Context, p *Problem, o Options) (*Solution, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	if o.TimeLimit <= 0 {
		o.TimeLimit = 30 * time.Second
	}
	if o.ExactMaxCandidates == 0 {
		o.ExactMaxCandidates = 400
	}
	if o.BoundIterations <= 0 {
		o.BoundIterations = 1000
	}
	ctx, cancel := context.WithDeadline(ctx, start.Add(o.TimeLimit))
	defer cancel()
	dl := deadline{ctx: ctx}

	s := newState(p)
	fixedCovered := s.obj
	best := greedy(s, false, &dl)
	if p.Budget > 0 {
		// Cost-benefit greedy alone can be arbitrarily bad; the better of it
		// and plain greedy is within ½(1−1/e) (Khuller, Moss & Naor 1999).
		s2 := newState(p)
		if alt := greedy(s2, true, &dl); alt.obj > best.obj {
			best = alt
		}
	}
	swapSearch(best, &dl)

	var total float64
	for _, w := range p.Weights {
		total += w
	}
	ub, lset, lobj := lagrangianBound(p, best, fixedCovered, o.BoundIterations, &dl)
	if lobj > best.obj*(1-0.02) && !dl.now() {
		// Improve the Lagrangian heuristic's set by local search too.
		ls := newState(p)
		for _, j := range lset {
			if ls.canAdd(j) {
				ls.openSite(j)
			}
		}
		swapSearch(ls, &dl)
		if ls.obj > best.obj {
			best = ls
		}
	}
	sol := &Solution{Method: "greedy+swap", TotalWeight: total, FixedCovered: fixedCovered}
	incumbent := best.chosen()
	obj := best.obj
	if ub-obj > 1e-9*math.Max(1, ub) && o.ExactMaxCandidates > 0 && freeCount(p) <= o.ExactMaxCandidates && !dl.now() {
		bb := newBnB(p, &dl)
		bb.bestObj, bb.best = obj, incumbent
		done := bb.run()
		if bb.bestObj > obj+1e-12 {
			obj, incumbent = bb.bestObj, bb.best
			sol.Method = "branch-and-bound"
		}
		if done {
			ub = obj
			sol.Method = "branch-and-bound"
		}
	}
	if ub < obj {
		ub = obj // numerical noise only
	}
	// Final state for reporting.
	fs := newState(p)
	for _, j := range incumbent {
		fs.openSite(j)
	}
	sol.Objective = fs.obj
	sol.Cost = fs.cost
	sol.UpperBound = ub
	if ub > 0 {
		sol.Gap = math.Max(0, (ub-fs.obj)/ub)
	}
	if sol.Gap < 1e-9 {
		sol.Gap = 0
		sol.Optimal = true
	}
	if total > 0 {
		sol.Coverage = fs.obj / total
	}
	sort.Ints(incumbent)
	sol.ChosenIdx = incumbent
	sol.Chosen = make([]string, 0, len(incumbent))
	for _, j := range incumbent {
		sol.Chosen = append(sol.Chosen, p.siteName(j))
	}
	sol.Covered = make([]bool, len(p.Weights))
	for i, c := range fs.cnt {
		sol.Covered[i] = c > 0
		if c > 0 {
			sol.CoveredCount++
		} else {
			sol.UncoveredCount++
		}
	}
	sol.TimedOut = dl.hit
	sol.ElapsedSeconds = time.Since(start).Seconds()
	return sol, nil
}

func freeCount(p *Problem) int {
	n := 0
	for j := range p.Covers {
		if !p.fixed(j) {
			n++
		}
	}
	return n
}

// deadline checks the context: done() cheaply (every 256 calls) for tight
// loops, now() on every call for loops whose iterations are expensive.
type deadline struct {
	ctx context.Context
	n   int
	hit bool
}

func (d *deadline) now() bool {
	if !d.hit && d.ctx.Err() != nil {
		d.hit = true
	}
	return d.hit
}

func (d *deadline) done() bool {
	if d.hit {
		return true
	}
	d.n++
	if d.n&255 != 1 {
		return false
	}
	if d.ctx.Err() != nil {
		d.hit = true
	}
	return d.hit
}

// --- greedy ---

type item struct {
	j   int
	key float64
}
type maxHeap []item

func (h maxHeap) Len() int { return len(h) }
func (h maxHeap) Less(a, b int) bool {
	if h[a].key != h[b].key {
		return h[a].key > h[b].key
	}
	return h[a].j < h[b].j
}
func (h maxHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *maxHeap) Push(x any)   { *h = append(*h, x.(item)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (s *state) key(j int, perCost bool) float64 {
	if !perCost {
		return s.gain[j]
	}
	c := s.p.cost(j)
	if c <= 0 {
		return math.Inf(1)
	}
	return s.gain[j] / c
}

// greedy opens sites one at a time by largest gain (or gain per cost) with
// lazy re-evaluation: gains only shrink as sites open (submodularity), so a
// popped item whose refreshed key still tops the heap is the true maximum.
func greedy(s *state, perCost bool, dl *deadline) *state {
	p := s.p
	h := make(maxHeap, 0, len(p.Covers))
	for j := range p.Covers {
		if !p.fixed(j) {
			h = append(h, item{j, s.key(j, perCost)})
		}
	}
	heap.Init(&h)
	for h.Len() > 0 {
		if p.P > 0 && s.nOpen >= p.P {
			break
		}
		if dl.done() {
			break
		}
		top := h[0]
		k := s.key(top.j, perCost)
		if k < top.key {
			h[0].key = k
			heap.Fix(&h, 0)
			continue
		}
		heap.Pop(&h)
		if !s.canAdd(top.j) {
			continue // over budget: skip it, others may still fit
		}
		if s.gain[top.j] <= 0 && p.Budget > 0 && p.P == 0 {
			break // nothing more to gain
		}
		s.openSite(top.j)
	}
	// With a cardinality limit and no budget, fill up to P with zero-gain
	// sites is pointless; the answer opens at most P sites.
	return s
}

// swapSearch applies improving moves (add when feasible, swap one open site
// for one closed site) until none improves or time runs out. For each open
// site j it computes, for every closed site k, the gain k would have once j
// closes: gain[k] plus the weight covered only by j that k also covers.
func swapSearch(s *state, dl *deadline) {
	p := s.p
	ns := len(p.Covers)
	extra := make([]float64, ns)
	touched := make([]int32, 0, 1024)
	const eps = 1e-9
	for improved := true; improved; {
		improved = false
		if dl.now() {
			return
		}
		// Add moves (budget slack or fewer than P open).
		for j := range ns {
			if s.canAdd(j) && s.gain[j] > eps {
				s.openSite(j)
				improved = true
			}
		}
		for _, j := range s.chosen() {
			if dl.now() {
				return
			}
			lj := s.loss(j)
			touched = touched[:0]
			for _, i := range p.Covers[j] {
				if s.cnt[i] != 1 {
					continue
				}
				for _, k := range s.sitesOf[i] {
					if int(k) == j {
						continue
					}
					if extra[k] == 0 {
						touched = append(touched, k)
					}
					extra[k] += p.Weights[i]
				}
			}
			bestK, bestD := -1, eps*math.Max(1, s.obj)
			slack := math.Inf(1)
			if p.Budget > 0 {
				slack = p.Budget*(1+1e-12) - s.cost + p.cost(j)
			}
			// Candidates with positive gain after removal: those touched or
			// with gain[k] > 0. Scan all closed sites; ns is the bound.
			for k := range ns {
				if s.open[k] || p.fixed(k) || p.cost(k) > slack {
					continue
				}
				d := s.gain[k] + extra[k] - lj
				if d > bestD {
					bestD, bestK = d, k
				}
			}
			for _, k := range touched {
				extra[k] = 0
			}
			if bestK >= 0 {
				s.closeSite(j)
				s.openSite(bestK)
				improved = true
			}
		}
	}
}
