package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-project/vigil/coverage/mclp"
)

func runPlan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "mclp" {
		fmt.Fprintln(stderr, "usage: vigil plan mclp --demand D.csv --sites S.csv --distances M.csv --radius R --p P [--budget B] [--time-limit 30s] [--json]")
		return usageError{"want the subcommand 'mclp'"}
	}
	fs := newFlags("plan mclp", stderr)
	demand := fs.String("demand", "", "demand file: id,weight")
	sites := fs.String("sites", "", "sites file: id[,cost,fixed] (fixed=1 for existing sites)")
	dist := fs.String("distances", "", "distances file: demand_id,site_id,distance (pairs not listed are out of reach)")
	radius := fs.Float64("radius", -1, "coverage radius: a pair covers when distance ≤ radius")
	p := fs.Int("p", 0, "number of new sites to open (with --budget: the most to open; 0 = no count limit)")
	budget := fs.Float64("budget", 0, "total cost of new sites must not exceed this (0 = no budget)")
	limit := fs.Duration("time-limit", 30*time.Second, "stop and return the best answer with its gap after this long")
	asJSON := fs.Bool("json", false, `print {"objective","coverage","chosen","upper_bound","gap"} as JSON`)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var missing []string
	for name, v := range map[string]string{"--demand": *demand, "--sites": *sites, "--distances": *dist} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return usageError{"missing " + strings.Join(missing, ", ")}
	}
	if *radius < 0 {
		return usageError{"--radius must be given and ≥ 0"}
	}
	if *limit <= 0 {
		return usageError{"--time-limit must be positive"}
	}
	in, err := mclp.ReadFiles(*demand, *sites, *dist)
	if err != nil {
		return err
	}
	prob, err := in.Problem(*radius, *p, *budget)
	if err != nil {
		return usageError{err.Error()}
	}
	sol, err := mclp.Solve(ctx, prob, mclp.Options{TimeLimit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, sol)
	}
	fmt.Fprintf(stdout, "chosen:       %s\n", strings.Join(sol.Chosen, ", "))
	fmt.Fprintf(stdout, "objective:    %.6g of %.6g (%.4f%%)\n", sol.Objective, sol.TotalWeight, 100*sol.Coverage)
	fmt.Fprintf(stdout, "upper bound:  %.6g  gap %.4f%%", sol.UpperBound, 100*sol.Gap)
	if sol.Optimal {
		fmt.Fprint(stdout, " (optimal)")
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "demand:       %d covered, %d uncovered\n", sol.CoveredCount, sol.UncoveredCount)
	fmt.Fprintf(stdout, "method:       %s, %.3fs", sol.Method, sol.ElapsedSeconds)
	if sol.TimedOut {
		fmt.Fprint(stdout, " (time limit reached)")
	}
	fmt.Fprintln(stdout)
	return nil
}
