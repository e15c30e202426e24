package mclp_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-project/vigil/coverage/mclp"
)

// gridProblem is a planning-sized instance: side×side grid cells as demand
// (weights heavy-tailed like risk × population: lognormal, a tenth of cells
// with no weight), every cell centroid a candidate with cost 1–5, coverage
// within `reach` cells (Euclidean), and nFixed existing sites.
func gridProblem(seed uint64, side, p int, reach float64, nFixed int) *mclp.Problem {
	r := rand.New(rand.NewPCG(seed, 11))
	n := side * side
	prob := &mclp.Problem{P: p}
	for i := range n {
		prob.DemandIDs = append(prob.DemandIDs, "c"+strconv.Itoa(i))
		w := 0.0
		if r.Float64() > 0.1 {
			w = math.Round(math.Exp(r.NormFloat64()*1.5) * 100)
		}
		prob.Weights = append(prob.Weights, w)
	}
	rr := int(math.Ceil(reach))
	for j := range n {
		x, y := j%side, j/side
		var cv []int32
		for dy := -rr; dy <= rr; dy++ {
			for dx := -rr; dx <= rr; dx++ {
				if float64(dx*dx+dy*dy) > reach*reach {
					continue
				}
				xx, yy := x+dx, y+dy
				if xx < 0 || yy < 0 || xx >= side || yy >= side {
					continue
				}
				cv = append(cv, int32(yy*side+xx))
			}
		}
		prob.SiteIDs = append(prob.SiteIDs, "s"+strconv.Itoa(j))
		prob.Covers = append(prob.Covers, cv)
		prob.Costs = append(prob.Costs, float64(1+r.IntN(5)))
		prob.Fixed = append(prob.Fixed, false)
	}
	for k := 0; k < nFixed; k++ {
		prob.Fixed[r.IntN(n)] = true
	}
	return prob
}

// solveLoop times mclp.Solve on p with opt (the set-up before it not
// counted) and returns the last solution, for the benchmark to report.
func solveLoop(b *testing.B, p *mclp.Problem, opt mclp.Options) *mclp.Solution {
	b.Helper()
	b.ResetTimer()
	var sol *mclp.Solution
	for b.Loop() {
		var err error
		sol, err = mclp.Solve(context.Background(), p, opt)
		if err != nil {
			b.Fatal(err)
		}
	}
	return sol
}

// BenchmarkLarge: p = 20 new sites among 20,164 candidates covering 20,164
// demand cells (142×142 grid, reach 3 cells = 29 cells per site).
func BenchmarkLarge(b *testing.B) {
	sol := solveLoop(b, gridProblem(1, 142, 20, 3, 10), mclp.Options{TimeLimit: 10 * time.Second})
	b.ReportMetric(100*sol.Gap, "gap-%")
	b.ReportMetric(sol.Objective, "objective")
	b.ReportMetric(sol.UpperBound, "bound")
	if sol.TimedOut {
		b.ReportMetric(1, "timed-out")
	}
}

// BenchmarkVsCBC solves instances with both Vigil and CBC and reports both
// times and the objective ratio (Vigil / CBC).
func BenchmarkVsCBC(b *testing.B) {
	for _, tc := range []struct {
		side, p int
		reach   float64
		exact   int
	}{
		{30, 10, 2.5, 0}, // 900 cells
		{50, 15, 3, -1},  // 2,500 cells, heuristic + bound only
		{70, 20, 3, -1},  // 4,900 cells
		{100, 20, 3, -1}, // 10,000 cells
	} {
		b.Run(fmt.Sprintf("cells=%d/p=%d", tc.side*tc.side, tc.p), func(b *testing.B) {
			benchAgainstCBC(b, gridProblem(2, tc.side, tc.p, tc.reach, 5), 600*time.Second, mclp.Options{TimeLimit: 10 * time.Second, ExactMaxCandidates: tc.exact})
		})
	}
}

// BenchmarkLargeCBC solves BenchmarkLarge's instance with CBC too (slow:
// run it explicitly with -bench LargeCBC).
func BenchmarkLargeCBC(b *testing.B) {
	benchAgainstCBC(b, gridProblem(1, 142, 20, 3, 10), 1200*time.Second, mclp.Options{TimeLimit: 10 * time.Second})
}

// benchAgainstCBC solves p with CBC once (within cbcLimit) and with Vigil's
// optimiser in the benchmark loop, and reports both times and objectives.
func benchAgainstCBC(b *testing.B, p *mclp.Problem, cbcLimit time.Duration, opt mclp.Options) {
	cbcObj, optimal, cbcTime := cbcSolve(b, p, cbcLimit)
	sol := solveLoop(b, p, opt)
	b.ReportMetric(cbcTime.Seconds(), "cbc-s")
	b.ReportMetric(sol.ElapsedSeconds, "vigil-s")
	b.ReportMetric(sol.Objective/cbcObj, "obj/cbc")
	b.ReportMetric(sol.Objective, "vigil-obj")
	b.ReportMetric(cbcObj, "cbc-obj")
	b.ReportMetric(100*sol.Gap, "gap-%")
	if !optimal {
		b.ReportMetric(1, "cbc-not-optimal")
	}
}

// BenchmarkLargeTimeLimit runs BenchmarkLarge's instance with a 1 s limit:
// the answer comes back at about the limit with its gap.
func BenchmarkLargeTimeLimit(b *testing.B) {
	sol := solveLoop(b, gridProblem(1, 142, 20, 3, 10), mclp.Options{TimeLimit: time.Second})
	b.ReportMetric(100*sol.Gap, "gap-%")
	b.ReportMetric(sol.ElapsedSeconds, "vigil-s")
	if sol.TimedOut {
		b.ReportMetric(1, "timed-out")
	}
}
