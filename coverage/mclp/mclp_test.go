package mclp_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/coverage/mclp"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// spoptFiles converts the spopt San Francisco instance into the D/S/M files
// `vigil plan mclp` reads, in dir.
func spoptFiles(t testing.TB, dir string) (d, s, m string) {
	t.Helper()
	f := shareddata.Open(t, "spopt/SF_network_distance_candidateStore_16_censusTract_205_new.csv")
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	demand := map[string]string{}
	sites := map[string]bool{}
	var mb strings.Builder
	mb.WriteString("demand_id,site_id,distance\n")
	for _, r := range recs[1:] { // distance,name,DestinationName,demand
		demand[r[2]] = r[3]
		sites[r[1]] = true
		fmt.Fprintf(&mb, "%s,%s,%s\n", r[2], r[1], r[0])
	}
	var db, sb strings.Builder
	db.WriteString("id,weight\n")
	for _, id := range slices.Sorted(mapsKeys(demand)) {
		fmt.Fprintf(&db, "%s,%s\n", id, demand[id])
	}
	sb.WriteString("id,cost,fixed\n")
	for _, id := range slices.Sorted(mapsKeys(sites)) {
		fmt.Fprintf(&sb, "%s,1,0\n", id)
	}
	d, s, m = filepath.Join(dir, "D.csv"), filepath.Join(dir, "S.csv"), filepath.Join(dir, "M.csv")
	for p, c := range map[string]string{d: db.String(), s: sb.String(), m: mb.String()} {
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return d, s, m
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestSpoptSanFrancisco(t *testing.T) {
	d, s, m := spoptFiles(t, t.TempDir())
	in, err := mclp.ReadFiles(d, s, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.DemandIDs) != 205 || len(in.SiteIDs) != 16 {
		t.Fatalf("read %d tracts and %d stores, want 205 and 16", len(in.DemandIDs), len(in.SiteIDs))
	}
	for _, tc := range []struct {
		name string
		opt  mclp.Options
	}{
		{"with branch-and-bound", mclp.Options{}},
		{"heuristic and bound only", mclp.Options{ExactMaxCandidates: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := in.Problem(5000, 4, 0)
			if err != nil {
				t.Fatal(err)
			}
			sol, err := mclp.Solve(context.Background(), p, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Store_11", "Store_12", "Store_15", "Store_2"}
			got := slices.Sorted(slices.Values(sol.Chosen))
			if !slices.Equal(got, want) {
				t.Errorf("chosen %v, want %v", got, want)
			}
			if sol.Objective != 875247 || sol.TotalWeight != 955113 {
				t.Errorf("covered %v of %v, want 875247 of 955113", sol.Objective, sol.TotalWeight)
			}
			if sol.UncoveredCount != 21 {
				t.Errorf("%d tracts uncovered, want 21", sol.UncoveredCount)
			}
			if pct := 100 * float64(sol.CoveredCount) / 205; math.Abs(pct-89.75609756097561) > 1e-9 {
				t.Errorf("tract coverage %v%%, want spopt's 89.75609756097561", pct)
			}
			if sol.UpperBound < sol.Objective || sol.Gap < 0 {
				t.Errorf("bound %v below objective %v or negative gap %v", sol.UpperBound, sol.Objective, sol.Gap)
			}
			if tc.opt.ExactMaxCandidates == 0 && !sol.Optimal {
				t.Errorf("branch-and-bound did not prove optimality: gap %v", sol.Gap)
			}
			t.Logf("%s: bound %.1f gap %.5f%% method %s", tc.name, sol.UpperBound, 100*sol.Gap, sol.Method)
		})
	}
	// p larger than the candidate list (spopt: p=1000 is infeasible).
	p, _ := in.Problem(5000, 1000, 0)
	if _, err := mclp.Solve(context.Background(), p, mclp.Options{}); err == nil || !strings.Contains(err.Error(), "larger than the 16 candidate sites") {
		t.Errorf("p=1000: error %v, want p larger than the 16 candidates", err)
	}
}

// randomProblem generates an instance on a unit square: demand and sites at
// random points, coverage within radius, integer weights and costs.
func randomProblem(seed uint64, nd, ns, p int, radius float64, budget float64, nFixed int) *mclp.Problem {
	r := rand.New(rand.NewPCG(seed, 7))
	type pt struct{ x, y float64 }
	dp := make([]pt, nd)
	prob := &mclp.Problem{P: p, Budget: budget}
	for i := range dp {
		dp[i] = pt{r.Float64(), r.Float64()}
		prob.DemandIDs = append(prob.DemandIDs, "d"+strconv.Itoa(i))
		prob.Weights = append(prob.Weights, float64(1+r.IntN(100)))
	}
	for j := range ns {
		s := pt{r.Float64(), r.Float64()}
		var cv []int32
		for i, q := range dp {
			if math.Hypot(q.x-s.x, q.y-s.y) <= radius {
				cv = append(cv, int32(i))
			}
		}
		prob.SiteIDs = append(prob.SiteIDs, "s"+strconv.Itoa(j))
		prob.Covers = append(prob.Covers, cv)
		prob.Costs = append(prob.Costs, float64(1+r.IntN(9)))
		prob.Fixed = append(prob.Fixed, j < nFixed)
	}
	return prob
}

// bruteForce enumerates every feasible set of free sites.
func bruteForce(p *mclp.Problem) float64 {
	var free []int
	for j := range p.Covers {
		if !p.Fixed[j] {
			free = append(free, j)
		}
	}
	best := 0.0
	for mask := 0; mask < 1<<len(free); mask++ {
		cnt, cost := 0, 0.0
		open := make([]bool, len(p.Covers))
		for b, j := range free {
			if mask&(1<<b) != 0 {
				cnt++
				cost += p.Costs[j]
				open[j] = true
			}
		}
		if (p.P > 0 && cnt > p.P) || (p.Budget > 0 && cost > p.Budget) {
			continue
		}
		cov := make([]bool, len(p.Weights))
		for j := range p.Covers {
			if open[j] || p.Fixed[j] {
				for _, i := range p.Covers[j] {
					cov[i] = true
				}
			}
		}
		var obj float64
		for i, c := range cov {
			if c {
				obj += p.Weights[i]
			}
		}
		best = max(best, obj)
	}
	return best
}

// randomCase is a randomProblem's size: demand points, candidate sites,
// sites to choose (0: budget only), fixed sites, radius and budget.
type randomCase struct {
	name             string
	nd, ns, p, fixed int
	radius, budget   float64
}

// runRandomCases runs check as the subtest "<name>/seed<n>" on each case's
// random problem, for the seeds 1 to seeds.
func runRandomCases(t *testing.T, cases []randomCase, seeds uint64, check func(t *testing.T, tc randomCase, p *mclp.Problem)) {
	for _, tc := range cases {
		for seed := uint64(1); seed <= seeds; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", tc.name, seed), func(t *testing.T) {
				check(t, tc, randomProblem(seed, tc.nd, tc.ns, tc.p, tc.radius, tc.budget, tc.fixed))
			})
		}
	}
}

func TestExactMatchesBruteForce(t *testing.T) {
	cases := []randomCase{
		{"cardinality", 60, 14, 3, 0, 0.2, 0},
		{"cardinality with fixed sites", 60, 14, 3, 2, 0.2, 0},
		{"budget", 60, 14, 0, 0, 0.25, 12},
		{"budget and count", 80, 15, 3, 1, 0.2, 10},
		{"tight radius", 100, 12, 5, 0, 0.08, 0},
	}
	runRandomCases(t, cases, 5, func(t *testing.T, tc randomCase, p *mclp.Problem) {
		want := bruteForce(p)
		sol, err := mclp.Solve(context.Background(), p, mclp.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sol.Objective-want) > 1e-9 {
			t.Errorf("objective %v, brute force %v", sol.Objective, want)
		}
		if !sol.Optimal || sol.Gap != 0 {
			t.Errorf("not proven optimal: gap %v", sol.Gap)
		}
		heur, err := mclp.Solve(context.Background(), p, mclp.Options{ExactMaxCandidates: -1})
		if err != nil {
			t.Fatal(err)
		}
		if heur.UpperBound < want-1e-6 {
			t.Errorf("Lagrangian bound %v is below the optimum %v: invalid bound", heur.UpperBound, want)
		}
		if heur.Objective > want+1e-9 {
			t.Errorf("heuristic %v beats the optimum %v: infeasible answer", heur.Objective, want)
		}
		if c := heur.Cost; tc.budget > 0 && c > tc.budget {
			t.Errorf("cost %v over budget %v", c, tc.budget)
		}
	})
}

func TestTimeLimitReturnsBestWithGap(t *testing.T) {
	p := randomProblem(42, 3000, 3000, 30, 0.03, 0, 5)
	sol, err := mclp.Solve(context.Background(), p, mclp.Options{TimeLimit: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if !sol.TimedOut {
		t.Error("TimedOut not set with a 1ns limit")
	}
	if sol.UpperBound < sol.Objective || sol.Objective < sol.FixedCovered {
		t.Errorf("objective %v, fixed %v, bound %v: inconsistent", sol.Objective, sol.FixedCovered, sol.UpperBound)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sol, err = mclp.Solve(ctx, p, mclp.Options{})
	if err != nil || !sol.TimedOut {
		t.Errorf("cancelled context: err %v timedOut %v", err, sol != nil && sol.TimedOut)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name      string
		d, s, m   string
		p         int
		budget    float64
		wantError string
	}{
		{"negative weight", "id,weight\na,1\nb,-2\n", "x\n", "a,x,1\n", 1, 0, "D.csv:3: weight: -2 is negative"},
		{"weight not a number", "a,abc\n", "x\n", "", 1, 0, `D.csv:1: weight: "abc" is not a finite number`},
		{"NaN weight", "a,1\nb,NaN\n", "x\n", "", 1, 0, `D.csv:2: weight: "NaN" is not a finite number`},
		{"duplicate demand", "a,1\na,2\n", "x\n", "", 1, 0, `D.csv:2: id: duplicate demand id "a"`},
		{"unknown demand id", "a,1\n", "x\n", "demand_id,site_id,distance\na,x,1\nb,x,2\n", 1, 0, `M.csv:3: demand_id: unknown demand id "b"`},
		{"unknown site id", "a,1\n", "x\n", "a,y,1\n", 1, 0, `M.csv:1: site_id: unknown site id "y"`},
		{"negative distance", "a,1\n", "x\n", "a,x,-1\n", 1, 0, "M.csv:1: distance: -1 is negative"},
		{"duplicate pair", "a,1\n", "x\n", "a,x,1\na,x,2\n", 1, 0, "M.csv:2: pair (a, x) already given on line 1"},
		{"negative cost", "a,1\n", "id,cost\nx,-3\n", "", 1, 0, "S.csv:2: cost: -3 is negative"},
		{"bad fixed flag", "a,1\n", "x,1,maybe\n", "", 1, 0, `S.csv:1: fixed: "maybe": want 1`},
		{"too many fields", "a,1,2\n", "x\n", "", 1, 0, "D.csv:1: 3 fields, want 2"},
		{"p larger than candidates", "a,1\n", "x\ny,1,1\n", "", 2, 0, "p = 2 is larger than the 1 candidate sites that are not fixed"},
		{"infeasible budget", "a,1\n", "x,5\ny,7\n", "", 0, 3, "budget 3 is infeasible: the cheapest candidate site costs 5"},
		{"no p no budget", "a,1\n", "x\n", "", 0, 0, "give p > 0 new sites, a budget > 0, or both"},
		{"all fixed", "a,1\n", "x,1,1\n", "", 0, 1, "no candidate sites"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			paths := map[string]string{"D.csv": tc.d, "S.csv": tc.s, "M.csv": tc.m}
			for n, c := range paths {
				if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			in, err := mclp.ReadFiles(filepath.Join(dir, "D.csv"), filepath.Join(dir, "S.csv"), filepath.Join(dir, "M.csv"))
			if err == nil {
				var p *mclp.Problem
				p, err = in.Problem(10, tc.p, tc.budget)
				if err == nil {
					_, err = mclp.Solve(context.Background(), p, mclp.Options{})
				}
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantError) {
				t.Fatalf("error %v, want it to contain %q", err, tc.wantError)
			}
		})
	}
}

// cbcSolve writes p as an LP file, solves it with CBC and returns the
// objective (of an optimum, or of the best solution found when CBC stopped
// at limit: optimal false) and the wall time. It skips when cbc is absent,
// except in CI (CI=true), where it fails: .ci/run installs it.
func cbcSolve(t testing.TB, p *mclp.Problem, limit time.Duration) (obj float64, optimal bool, took time.Duration) {
	t.Helper()
	cbc, err := exec.LookPath("cbc")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("cbc not installed in CI (apt package coinor-cbc): the CBC comparison cannot run")
		}
		t.Skip("cbc (Debian coinor-cbc) not installed: skipping the CBC comparison")
	}
	dir := t.TempDir()
	lp, sol := filepath.Join(dir, "m.lp"), filepath.Join(dir, "m.sol")
	f, err := os.Create(lp)
	if err != nil {
		t.Fatal(err)
	}
	if err := mclp.WriteLP(f, p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	start := time.Now()
	out, err := exec.Command(cbc, lp, "sec", strconv.Itoa(int(limit.Seconds())), "threads", "1", "solve", "solu", sol).CombinedOutput()
	took = time.Since(start)
	if err != nil {
		t.Fatalf("cbc: %v\n%s", err, out)
	}
	fh, err := os.Open(sol)
	if err != nil {
		t.Fatalf("cbc wrote no solution: %v\n%s", err, out)
	}
	defer fh.Close()
	first, _ := bufio.NewReader(fh).ReadString('\n')
	// "Optimal - objective value 875247.00000000"
	k := strings.LastIndex(first, "objective value")
	if k < 0 {
		t.Fatalf("cbc solution header %q", first)
	}
	obj, err = strconv.ParseFloat(strings.TrimSpace(first[k+len("objective value"):]), 64)
	if err != nil {
		t.Fatalf("cbc objective in %q: %v", first, err)
	}
	return math.Abs(obj), strings.HasPrefix(first, "Optimal"), took
}

func TestAgainstCBC(t *testing.T) {
	cases := []randomCase{
		{"p=5 of 60", 400, 60, 5, 0, 0.12, 0},
		{"p=10 of 150 with fixed", 800, 150, 10, 5, 0.08, 0},
		{"budget 30", 500, 80, 0, 3, 0.1, 30},
		{"p=15 of 300", 1500, 300, 15, 0, 0.06, 0},
	}
	runRandomCases(t, cases, 2, func(t *testing.T, tc randomCase, p *mclp.Problem) {
		want, optimal, _ := cbcSolve(t, p, 60*time.Second)
		sol, err := mclp.Solve(context.Background(), p, mclp.Options{TimeLimit: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if !optimal {
			checkBoundAboveCBC(t, sol, want)
			return
		}
		if sol.Objective > want+1e-6 {
			t.Errorf("objective %v exceeds CBC's optimum %v", sol.Objective, want)
		}
		if sol.Objective < want*(1-0.005) {
			t.Errorf("objective %v more than 0.5%% below CBC's optimum %v", sol.Objective, want)
		}
		if sol.UpperBound < want-1e-6 {
			t.Errorf("upper bound %v below CBC's optimum %v", sol.UpperBound, want)
		}
	})
}

// The heuristic alone (no branch-and-bound) on planning-grid instances must
// stay within 0.5% of CBC's optimum.
func TestHeuristicAgainstCBC(t *testing.T) {
	for _, tc := range []struct {
		side, p int
		reach   float64
	}{{40, 12, 2.5}, {50, 15, 3}, {70, 20, 3}} {
		t.Run(fmt.Sprintf("cells=%d/p=%d", tc.side*tc.side, tc.p), func(t *testing.T) {
			p := gridProblem(2, tc.side, tc.p, tc.reach, 5)
			want, optimal, _ := cbcSolve(t, p, 120*time.Second)
			sol, err := mclp.Solve(context.Background(), p, mclp.Options{ExactMaxCandidates: -1, TimeLimit: 30 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if !optimal {
				checkBoundAboveCBC(t, sol, want)
				return
			}
			if sol.Objective < want*(1-0.005) || sol.Objective > want+1e-6 {
				t.Errorf("objective %v vs CBC %v (ratio %.5f)", sol.Objective, want, sol.Objective/want)
			}
			if sol.UpperBound < want-1e-6 {
				t.Errorf("bound %v below CBC's optimum %v", sol.UpperBound, want)
			}
		})
	}
}

// checkBoundAboveCBC is what still holds when CBC stopped at its time
// limit (on a loaded machine) before proving its solution optimal: that
// solution, of objective incumbent, is feasible, so the optimum is at least
// incumbent and Solve's upper bound must be too. (It used to skip the case,
// which made the comparison pass without checking anything.)
func checkBoundAboveCBC(t *testing.T, sol *mclp.Solution, incumbent float64) {
	t.Helper()
	t.Logf("CBC stopped at its limit with %v, not proved optimal: checking the bound only", incumbent)
	if sol.UpperBound < incumbent-1e-6 {
		t.Errorf("upper bound %v below a solution CBC found, %v", sol.UpperBound, incumbent)
	}
}

func TestWriteLPSpoptWithCBC(t *testing.T) {
	d, s, m := spoptFiles(t, t.TempDir())
	in, err := mclp.ReadFiles(d, s, m)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := in.Problem(5000, 4, 0)
	obj, optimal, _ := cbcSolve(t, p, 60*time.Second)
	if !optimal || obj != 875247 {
		t.Errorf("CBC on the written LP: %v (optimal %v), want 875247", obj, optimal)
	}
}

func FuzzReadInput(f *testing.F) {
	f.Add("id,weight\na,1\nb,2\n", "id,cost,fixed\nx,1,0\ny,2,1\n", "a,x,3\nb,y,4\n")
	f.Add("a,1\n", "x\n", "a,x,1e308\n")
	f.Add("\"a\nb\",1\n", "x,,\n", "a,x,\"1\"\"\"\n")
	f.Fuzz(func(t *testing.T, d, s, m string) {
		in := &mclp.Input{}
		if in.ReadDemand(strings.NewReader(d), "D") != nil {
			return
		}
		if in.ReadSites(strings.NewReader(s), "S") != nil {
			return
		}
		if in.ReadDistances(strings.NewReader(m), "M") != nil {
			return
		}
		p, err := in.Problem(2, 1, 0)
		if err != nil {
			return
		}
		sol, err := mclp.Solve(context.Background(), p, mclp.Options{TimeLimit: time.Second})
		if err != nil {
			return
		}
		if sol.UpperBound < sol.Objective-1e-9 {
			t.Fatalf("bound %v < objective %v", sol.UpperBound, sol.Objective)
		}
		_ = mclp.WriteLP(io.Discard, p)
	})
}
