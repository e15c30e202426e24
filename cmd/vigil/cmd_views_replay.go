package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast/viewschallenge"
	"github.com/vigil-project/vigil/ingest"
)

// runViewsReplay evaluates the challenge methods on windows cut out of a
// longer country-month history (viewschallenge.Replay).
func runViewsReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("views replay", stderr)
	var feats multiFlag
	fs.Var(&feats, "features", "challenge features CSV(s) giving the history (with --column)")
	column := fs.String("column", "ged_sb", "outcome column of the features files (ged_sb, ged_ns, ged_os)")
	actuals := fs.String("actuals", "", "challenge actuals CSV (month_id,country_id,ged_sb) added to a ged_sb history")
	ucdp := fs.String("ucdp", "", "UCDP GED events CSV: the history is its country-month sums of best fatalities")
	typ := fs.Int("type", 1, "with --ucdp: UCDP type of violence (1 state-based, 2 non-state, 3 one-sided)")
	cutoffs := fs.String("cutoffs", "", "comma-separated cutoff month_ids (e.g. 466,478)")
	years := fs.String("years", "", "target years Y1-Y2: one window per year Y with cutoff October of Y−1 (the challenge's shape)")
	history := fs.Int("history", 18, "months up to the cutoff the forecaster sees (the challenge files give 18)")
	methods := fs.String("methods", "auto,poisson-last,zero", "comma-separated methods to replay")
	ref := fs.String("ref", "poisson-last", "method the others' window wins are counted against")
	seed := fs.Uint64("seed", 1, "random seed of the draws")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(spreadMulti(args, "features")); err != nil {
		return err
	}
	if (len(feats) == 0) == (*ucdp == "") {
		return usageError{"need exactly one history source: --features FILE... or --ucdp FILE"}
	}
	if *actuals != "" && (len(feats) == 0 || *column != "ged_sb") {
		return usageError{"--actuals adds ged_sb actuals to a --features history with --column ged_sb"}
	}
	if *typ < 1 || *typ > 3 {
		return usageError{fmt.Sprintf("--type %d: want 1, 2 or 3", *typ)}
	}
	var h viewschallenge.History
	if *ucdp != "" {
		es, err := ingest.ReadAllFile(ctx, *ucdp, ingest.Options{RepairEstimates: true})
		if err != nil {
			return err
		}
		if h, _, err = viewschallenge.HistoryFromEvents(es, events.ViolenceType(*typ)); err != nil {
			return fmt.Errorf("%s: %w", *ucdp, err)
		}
	} else {
		var err error
		if h, err = viewschallenge.ReadFeatureFilesColumn(*column, feats...); err != nil {
			return err
		}
		if *actuals != "" {
			f, err := os.Open(*actuals)
			if err != nil {
				return err
			}
			act, err := viewschallenge.ReadActuals(*actuals, f)
			f.Close()
			if err != nil {
				return err
			}
			if err := h.Add(act); err != nil {
				return fmt.Errorf("%s: %w", *actuals, err)
			}
		}
	}
	cs, err := replayCutoffs(*cutoffs, *years)
	if err != nil {
		return err
	}
	ms := strings.Split(*methods, ",")
	for i := range ms {
		ms[i] = strings.TrimSpace(ms[i])
	}
	var ws []viewschallenge.WindowScores
	for i, c := range cs {
		fmt.Fprintf(stderr, "views replay: window %d/%d, cutoff %s\n", i+1, len(cs), viewschallenge.MonthLabel(c))
		w, err := viewschallenge.Replay(ctx, h, c, viewschallenge.ReplayOptions{History: *history, Methods: ms, Seed: *seed})
		if err != nil {
			return err
		}
		ws = append(ws, w)
	}
	pooled, wins := viewschallenge.Pool(ws, *ref)
	if *asJSON {
		return printJSON(stdout, struct {
			Windows []viewschallenge.WindowScores    `json:"windows"`
			Pooled  map[string]viewschallenge.Scores `json:"pooled"`
			Ref     string                           `json:"ref"`
			Wins    map[string]int                   `json:"wins_against_ref"`
		}{ws, pooled, *ref, wins})
	}
	fmt.Fprintf(stdout, "%-8s %6s", "cutoff", "n")
	for _, m := range ms {
		fmt.Fprintf(stdout, " %14s", m)
	}
	fmt.Fprintf(stdout, "  auto chose\n")
	for _, w := range ws {
		fmt.Fprintf(stdout, "%-8s %6d", w.Label, w.N)
		for _, m := range ms {
			fmt.Fprintf(stdout, " %14.3f", w.Scores[m].CRPS)
		}
		fmt.Fprintf(stdout, "  %s\n", w.Chosen)
	}
	n := 0
	if p, ok := pooled[ms[0]]; ok {
		n = p.N
	}
	fmt.Fprintf(stdout, "%-8s %6d", "pooled", n)
	for _, m := range ms {
		fmt.Fprintf(stdout, " %14.3f", pooled[m].CRPS)
	}
	fmt.Fprintln(stdout)
	names := make([]string, 0, len(wins))
	for _, m := range ms {
		if m != *ref {
			names = append(names, m)
		}
	}
	sort.Strings(names)
	for _, m := range names {
		r := pooled[*ref].CRPS
		rel := ""
		if r > 0 {
			rel = fmt.Sprintf(", pooled CRPS %+.1f%%", 100*(pooled[m].CRPS-r)/r)
		}
		fmt.Fprintf(stdout, "%s better than %s in %d of %d windows%s\n", m, *ref, wins[m], len(ws), rel)
	}
	return nil
}

// replayCutoffs turns --cutoffs or --years into cutoff month_ids.
func replayCutoffs(cutoffs, years string) ([]int, error) {
	if (cutoffs == "") == (years == "") {
		return nil, usageError{"need exactly one of --cutoffs LIST or --years Y1-Y2"}
	}
	var out []int
	if cutoffs != "" {
		for _, s := range strings.Split(cutoffs, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || v < 1 || v > 2000 {
				return nil, usageError{fmt.Sprintf("--cutoffs: %q is not a month_id in 1..2000", s)}
			}
			out = append(out, v)
		}
		return out, nil
	}
	a, b, ok := strings.Cut(years, "-")
	y1, err1 := strconv.Atoi(strings.TrimSpace(a))
	y2, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || y1 > y2 || y1 < 1981 || y2 > 2100 {
		return nil, usageError{fmt.Sprintf("--years %q: want Y1-Y2 with 1981 ≤ Y1 ≤ Y2 ≤ 2100", years)}
	}
	for y := y1; y <= y2; y++ {
		out = append(out, viewschallenge.MonthID(y-1, 10))
	}
	return out, nil
}
