package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vigil-project/vigil/surveys/estimate"
)

func init() {
	register(command{name: "survey", summary: "survey analysis: design-based estimates from a CSV (estimate)", run: runSurvey})
}

func runSurvey(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"missing subcommand: vigil survey estimate [flags]"}
	}
	switch args[0] {
	case "estimate":
		return runSurveyEstimate(args[1:], stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want: estimate)", args[0])}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '+' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func runSurveyEstimate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("survey estimate", stderr)
	csvPath := fs.String("csv", "", "CSV file with a header row (R's NA and empty cells are missing)")
	weights := fs.String("weights", "", "sampling weight column (default: from --fpc population sizes, else 1)")
	cluster := fs.String("cluster", "", "cluster column(s), outermost first, comma-separated for several stages (default: element sampling)")
	strata := fs.String("strata", "", "stratum column")
	fpc := fs.String("fpc", "", "finite population correction column(s), one per stage: population sizes or sampling fractions")
	mean := fs.String("mean", "", "estimate the mean of this numeric column")
	prop := fs.String("prop", "", "estimate the proportion VAR=VALUE (logit interval)")
	total := fs.String("total", "", "estimate the total of this numeric column")
	by := fs.String("by", "", "also estimate within each value of this column (domains)")
	asJSON := fs.Bool("json", false, "write JSON instead of a table")
	minN := fs.Int("min-n", estimate.DefaultRule.MinN, "suppress estimates from fewer respondents (0: never)")
	maxCV := fs.Float64("max-cv", estimate.DefaultRule.MaxCV, "suppress estimates with a larger coefficient of variation (0: never)")
	level := fs.Float64("level", 0.95, "confidence level")
	lonely := fs.String("lonely-psu", "fail", "stratum with one sampled unit: fail, remove, certainty or adjust")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *csvPath == "" {
		return usageError{"--csv FILE is required"}
	}
	req := estimate.Request{
		Design: estimate.TableSpec{Weights: *weights, Strata: *strata, Clusters: splitList(*cluster), FPC: splitList(*fpc)},
		By:     *by,
		Rule:   estimate.Rule{MinN: *minN, MaxCV: *maxCV},
		Level:  *level,
	}
	var err error
	if req.Design.Lonely, err = estimate.ParseLonelyPSU(*lonely); err != nil {
		return usageError{"--lonely-psu: " + err.Error()}
	}
	n := 0
	for _, s := range []string{*mean, *prop, *total} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return usageError{"give exactly one of --mean VAR, --prop VAR=VALUE, --total VAR"}
	}
	switch {
	case *mean != "":
		req.Kind, req.Variable = estimate.Mean, *mean
	case *total != "":
		req.Kind, req.Variable = estimate.Total, *total
	default:
		v, val, ok := strings.Cut(*prop, "=")
		if !ok || v == "" || val == "" {
			return usageError{fmt.Sprintf("--prop %q: want VAR=VALUE", *prop)}
		}
		req.Kind, req.Variable, req.Value = estimate.Proportion, v, val
	}
	f, err := os.Open(*csvPath)
	if err != nil {
		return err
	}
	defer f.Close()
	tab, err := estimate.ReadCSV(f, *csvPath)
	if err != nil {
		return err
	}
	res, err := estimate.Run(tab, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	what := res.Variable
	if res.Value != "" {
		what += " = " + res.Value
	}
	fmt.Fprintf(stdout, "%s of %s — %d rows of %s\n", res.Statistic, what, res.Rows, *csvPath)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "group\tn\testimate\tSE\t%g%% CI low\tCI high\tdeff\t\n", *level*100)
	var notes []string
	row := func(label string, e estimate.Estimate) {
		if e.Suppressed() {
			fmt.Fprintf(tw, "%s\t%d\tsuppressed\t·\t·\t·\t·\t\n", label, e.N)
			notes = append(notes, label+": "+e.Suppress)
			return
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", label, e.N, num(e.Value), num(e.SE), num(e.CILow), num(e.CIHigh), num(e.Deff))
	}
	row("(all)", res.Overall)
	for _, g := range res.Groups {
		row(res.By+"="+g.Group, g)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(stdout, "suppressed", n)
	}
	return nil
}

// num prints 7 significant digits ("-" when undefined).
func num(v float64) string {
	if v != v {
		return "-"
	}
	return strconv.FormatFloat(v, 'g', 7, 64)
}
