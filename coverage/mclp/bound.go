package mclp

import (
	"math"
	"sort"
)

// siteBound returns an upper bound on max Σ v_j x_j over the free sites
// listed in idx, with at most k sites (k ≤ 0: no count limit) and total cost
// at most budget (budget ≤ 0: no budget), x ∈ [0,1] (the LP relaxation of
// the site subproblem, so a valid bound on its integer optimum). It fills x
// (indexed like idx) with the maximiser of the tighter of the two relaxed
// bounds it computes. Sites with v ≤ 0 are never taken.
func siteBound(p *Problem, idx []int, v []float64, k int, budget float64, x []float64, order []int) float64 {
	for a := range x {
		x[a] = 0
	}
	order = order[:0]
	for a := range idx {
		if v[a] > 0 {
			order = append(order, a)
		}
	}
	best := math.Inf(1)
	var xs []float64
	if k > 0 {
		// Top k values: a size-k min-heap scan, then sort those k.
		order = topK(order, v, k)
		var sum float64
		for n, a := range order {
			if n >= k {
				break
			}
			sum += v[a]
		}
		best = sum
		if budget <= 0 {
			for n, a := range order {
				if n >= k {
					break
				}
				x[a] = 1
			}
			return sum
		}
		xs = make([]float64, len(x))
		for n, a := range order {
			if n >= k {
				break
			}
			xs[a] = 1
		}
	}
	if budget > 0 {
		// Fractional knapsack (Dantzig bound).
		sort.Slice(order, func(a, b int) bool {
			ca, cb := p.cost(idx[order[a]]), p.cost(idx[order[b]])
			// v/c descending without dividing by zero: va*cb > vb*ca.
			return v[order[a]]*cb > v[order[b]]*ca
		})
		left := budget
		var sum float64
		xf := make([]float64, len(x))
		for _, a := range order {
			c := p.cost(idx[a])
			if c <= left {
				sum += v[a]
				left -= c
				xf[a] = 1
				continue
			}
			if c > 0 && left > 0 {
				f := left / c
				sum += f * v[a]
				xf[a] = f
				left = 0
			}
		}
		if sum < best {
			best = sum
			copy(x, xf)
			return best
		}
	}
	copy(x, xs)
	return best
}

// lagrangianBound relaxes the coverage constraints y_i ≤ Σ_j a_ij x_j with
// multipliers λ_i ≥ 0 and minimises the dual by subgradient steps (Polyak
// step sizes towards the incumbent's objective). Every iterate is a valid
// upper bound; the least one is returned (never below the incumbent).
//
// It is also a Lagrangian heuristic: the sites the relaxed subproblem picks
// at each step form a feasible set whose true coverage is evaluated; the
// best such set is returned.
func lagrangianBound(p *Problem, inc *state, fixedCovered float64, iters int, dl *deadline) (float64, []int, float64) {
	nd := len(p.Weights)
	// Demand not covered by fixed sites.
	coveredByFixed := make([]bool, nd)
	var free []int
	for j, cv := range p.Covers {
		if p.fixed(j) {
			for _, i := range cv {
				coveredByFixed[i] = true
			}
		} else {
			free = append(free, j)
		}
	}
	var open []int // demand indices in the relaxation
	for i := range nd {
		if !coveredByFixed[i] && p.Weights[i] > 0 {
			open = append(open, i)
		}
	}
	lam := make([]float64, nd)
	for _, i := range open {
		lam[i] = p.Weights[i]
	}
	v := make([]float64, len(free))
	x := make([]float64, len(free))
	cover := make([]float64, nd)
	sg := make([]float64, nd)
	order := make([]int, 0, len(free))
	inU := make([]bool, nd)
	for _, i := range open {
		inU[i] = true
	}
	lb := inc.obj - fixedCovered
	best := math.Inf(1)
	stamp := make([]int32, nd)
	var heurBest []int
	heurObj := -1.0
	evalSet := func(it int) {
		var set []int
		var cost float64
		for a, j := range free {
			if x[a] >= 1-1e-12 {
				if p.Budget > 0 && cost+p.cost(j) > p.Budget*(1+1e-12) {
					continue
				}
				if p.P > 0 && len(set) >= p.P {
					break
				}
				set = append(set, j)
				cost += p.cost(j)
			}
		}
		var obj float64
		mark := int32(it + 1)
		for _, j := range set {
			for _, i := range p.Covers[j] {
				if inU[i] && stamp[i] != mark {
					stamp[i] = mark
					obj += p.Weights[i]
				}
			}
		}
		if obj > heurObj {
			heurObj = obj
			heurBest = set
		}
	}
	mu := 2.0
	stall := 0
	checkpoint := math.Inf(1)
	for it := 0; it < iters; it++ {
		if it > 0 && dl.now() {
			break
		}
		var L float64
		for _, i := range open {
			if d := p.Weights[i] - lam[i]; d > 0 {
				L += d
			}
		}
		for a, j := range free {
			var s float64
			for _, i := range p.Covers[j] {
				if inU[i] {
					s += lam[i]
				}
			}
			v[a] = s
		}
		L += siteBound(p, free, v, p.P, p.Budget, x, order)
		evalSet(it)
		if math.IsInf(best, 1) || L < best-1e-12*math.Max(1, best) {
			best = L
			stall = 0
		} else {
			stall++
			if stall >= 20 {
				mu /= 2
				stall = 0
			}
		}
		if best-lb <= 1e-9*math.Max(1, best) || mu < 1e-6 {
			break
		}
		// Stop when 100 iterations improved the bound by < 0.001%.
		if it%100 == 99 {
			if best > checkpoint*(1-1e-5) {
				break
			}
			checkpoint = best
		}
		// Subgradient s_i = Σ_j a_ij x_j − y_i.
		for _, i := range open {
			cover[i] = 0
		}
		for a, j := range free {
			if x[a] == 0 {
				continue
			}
			for _, i := range p.Covers[j] {
				if inU[i] {
					cover[i] += x[a]
				}
			}
		}
		var norm float64
		for _, i := range open {
			y := 0.0
			if p.Weights[i] > lam[i] {
				y = 1
			}
			g := cover[i] - y
			sg[i] = g
			norm += g * g
		}
		if norm == 0 {
			break // the relaxed solution is feasible and complementary: optimal
		}
		t := mu * (L - lb) / norm
		if t <= 0 {
			t = mu * 1e-3 * math.Max(1, L) / norm
		}
		for _, i := range open {
			l := lam[i] - t*sg[i]
			if l < 0 {
				l = 0
			}
			if w := p.Weights[i]; l > w {
				l = w // λ_i beyond w_i never lowers the bound
			}
			lam[i] = l
		}
	}
	ub := fixedCovered + best
	if ub < inc.obj {
		ub = inc.obj
	}
	return ub, heurBest, fixedCovered + heurObj
}

// topK reorders idx so that its first min(k, len) entries are those with the
// largest v (ties by lower index), sorted descending, and returns idx.
func topK(idx []int, v []float64, k int) []int {
	if k >= len(idx) {
		sort.Slice(idx, func(a, b int) bool { return less(v, idx[b], idx[a]) })
		return idx
	}
	// Min-heap of the best k seen so far in idx[:k].
	h := idx[:k]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= k {
				return
			}
			m := l
			if r := l + 1; r < k && less(v, h[r], h[l]) {
				m = r
			}
			if !less(v, h[m], h[i]) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for n := k; n < len(idx); n++ {
		if less(v, h[0], idx[n]) {
			h[0], idx[n] = idx[n], h[0]
			down(0)
		}
	}
	sort.Slice(h, func(a, b int) bool { return less(v, h[b], h[a]) })
	return idx
}

// less orders by value, then by index descending (so lower index ranks higher).
func less(v []float64, a, b int) bool {
	if v[a] != v[b] {
		return v[a] < v[b]
	}
	return a > b
}
