package mclp

import (
	"math"
	"sort"
)

// bnb is a depth-first branch-and-bound over the free candidates, deciding
// open/closed for one candidate per level (most promising first, open branch
// first). A node's bound is its covered weight plus the relaxed best use of
// the undecided candidates' current marginal gains (top-k and/or fractional
// knapsack). Coverage is submodular, so f(S ∪ T) ≤ f(S) + Σ_{j∈T} gain_j(S)
// and the bound is valid.
type bnb struct {
	p       *Problem
	s       *state
	dl      *deadline
	order   []int // free candidates in branching order
	bestObj float64
	best    []int
	v       []float64
	x       []float64
	tmp     []int
	aborted bool
}

func newBnB(p *Problem, dl *deadline) *bnb {
	s := newState(p)
	var order []int
	for j := range p.Covers {
		if !p.fixed(j) {
			order = append(order, j)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return s.gain[order[a]] > s.gain[order[b]] })
	n := len(order)
	return &bnb{p: p, s: s, dl: dl, order: order, v: make([]float64, n), x: make([]float64, n), tmp: make([]int, 0, n)}
}

// run searches the whole tree; it reports false when stopped by the deadline.
func (b *bnb) run() bool {
	b.visit(0)
	return !b.aborted
}

func (b *bnb) bound(d int) float64 {
	p, s := b.p, b.s
	k := 0
	if p.P > 0 {
		k = p.P - s.nOpen
		if k <= 0 {
			return s.obj
		}
	}
	budget := 0.0
	if p.Budget > 0 {
		budget = p.Budget - s.cost
		if budget < 0 {
			budget = 0
		}
	}
	idx := b.order[d:]
	v := b.v[:len(idx)]
	for a, j := range idx {
		v[a] = s.gain[j]
		if p.Budget > 0 && p.cost(j) > budget*(1+1e-12) {
			v[a] = 0 // cannot be afforded any more
		}
	}
	if p.Budget > 0 && budget <= 0 {
		// Only zero-cost sites remain possible.
		var sum float64
		cnt := 0
		for a, j := range idx {
			if p.cost(j) == 0 && v[a] > 0 && (k == 0 || cnt < k) {
				sum += v[a]
				cnt++
			}
		}
		return s.obj + sum
	}
	return s.obj + siteBound(p, idx, v, k, budget, b.x[:len(idx)], b.tmp)
}

func (b *bnb) visit(d int) {
	if b.aborted {
		return
	}
	if b.dl.done() {
		b.aborted = true
		return
	}
	s := b.s
	if s.obj > b.bestObj+1e-9*math.Max(1, b.bestObj) {
		b.bestObj = s.obj
		b.best = s.chosen()
	}
	if d >= len(b.order) {
		return
	}
	if b.bound(d) <= b.bestObj+1e-9*math.Max(1, b.bestObj) {
		return
	}
	j := b.order[d]
	if s.canAdd(j) && s.gain[j] > 0 {
		s.openSite(j)
		b.visit(d + 1)
		s.closeSite(j)
	}
	b.visit(d + 1)
}
