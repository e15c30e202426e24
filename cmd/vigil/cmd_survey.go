package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/estimate"
)

func runSurvey(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"missing subcommand: vigil survey estimate [flags]"}
	}
	switch args[0] {
	case "estimate":
		return runSurveyEstimate(args[1:], stdout, stderr)
	case "unheard":
		return runSurveyUnheard(args[1:], stdout, stderr)
	case "protect":
		return runSurveyProtect(args[1:], stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want: estimate, unheard, protect)", args[0])}
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
	marginsPath := fs.String("margins", "", "population margins CSV (dimension columns named like the data's columns, and a population column)")
	rakeOn := fs.String("rake-on", "", "columns to calibrate to the margins, comma-separated: one post-stratifies, several rake")
	trim := fs.Float64("trim", 0, "after calibration, trim weights to [mean/R, mean×R] (R > 1)")
	if err := parseNoArgs(fs, args, ""); err != nil {
		return err
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
	if (*marginsPath == "") != (*rakeOn == "") {
		return usageError{"--margins and --rake-on go together"}
	}
	if *trim != 0 && *trim <= 1 {
		return usageError{"--trim must be above 1"}
	}
	req.TrimRatio = *trim
	if *marginsPath != "" {
		pop, err := readFile(*marginsPath, surveys.ReadPopulation)
		if err != nil {
			return err
		}
		for _, c := range splitList(*rakeOn) {
			m, err := pop.Margin(c)
			if err != nil {
				return fmt.Errorf("%s: %w", *marginsPath, err)
			}
			req.Calibrate = append(req.Calibrate, estimate.ColumnMargin{Column: c, Pop: m})
		}
	}
	tab, err := readFile(*csvPath, estimate.ReadCSV)
	if err != nil {
		return err
	}
	res, err := estimate.Run(tab, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, res)
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

func runSurveyUnheard(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("survey unheard", stderr)
	csvPath := fs.String("csv", "", "respondents (or interlocutors) CSV, one row each")
	marginsPath := fs.String("margins", "", "population margins CSV")
	area := fs.String("area", "", "the area column (a dimension of the margins)")
	source := fs.String("source", "respondents", "label of the rows: respondents or interlocutors")
	asJSON := fs.Bool("json", false, "write JSON")
	all := fs.Bool("all", false, "list every group, not only the flagged ones")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *csvPath == "" || *marginsPath == "" || *area == "" {
		return usageError{"--csv, --margins and --area are required"}
	}
	pop, err := readFile(*marginsPath, surveys.ReadPopulation)
	if err != nil {
		return err
	}
	tab, err := readFile(*csvPath, estimate.ReadCSV)
	if err != nil {
		return err
	}
	rep, err := surveys.Unheard(tab.Rows(), *source, pop, *area, surveys.DefaultUnheardRule)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, rep)
	}
	fmt.Fprintf(stdout, "who is unheard: %d %s against %s\nrule: %s\n", tab.Len(), *source, *marginsPath, rep.Rule)
	for _, ix := range rep.Index {
		fmt.Fprintf(stdout, "dissimilarity index %s: %.3f\n", ix.Dim, ix.Index)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "place\tdimension\tgroup\theard\texpected\tshare\tpop share\tratio\tflag\t")
	list := rep.Flagged
	if *all {
		list = rep.Groups
	}
	for _, g := range list {
		place := g.Place
		if place == "" {
			place = "(all)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.1f\t%.3f\t%.3f\t%.2f\t%s\t\n", place, g.Dim, g.Group, g.Heard, g.Expected, g.Share, g.PopShare, g.Ratio, g.Flag)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(stdout, "warning:", w)
	}
	return nil
}

func runSurveyProtect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("survey protect", stderr)
	csvPath := fs.String("csv", "", "answers CSV")
	qi := fs.String("qi", "", "quasi-identifier columns, comma-separated")
	k := fs.Int("k", 5, "smallest number of respondents sharing a quasi-identifier combination")
	drop := fs.String("drop", "", "columns never exported (direct identifiers, free text), comma-separated")
	weight := fs.String("weight", "", "sampling weight column (the risk is then estimated against the population)")
	hxl := fs.Bool("hxl", false, "add an HXL hashtag row")
	report := fs.Bool("report", false, "write only the risk report (JSON)")
	formPath := fs.String("form", "", "the XForm (.xml) the answers come from: its free-text answers (and columns it does not know) are left out unless named in --text; its GPS and file answers are dropped")
	text := fs.String("text", "", "free-text columns to export anyway, comma-separated (with --form)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *csvPath == "" || *qi == "" {
		return usageError{"--csv and --qi are required"}
	}
	if *text != "" && *formPath == "" {
		return usageError{"--text needs --form (free-text answers are known from the form)"}
	}
	tab, err := readFile(*csvPath, estimate.ReadCSV)
	if err != nil {
		return err
	}
	rule := surveys.DisclosureRule{K: *k, QuasiIdentifiers: splitList(*qi), Drop: splitList(*drop), Weight: *weight}
	if *formPath != "" {
		xml, err := os.ReadFile(*formPath)
		if err != nil {
			return err
		}
		fields, err := surveys.ClassifyFields(xml, tab.Rows())
		if err != nil {
			return fmt.Errorf("%s: %w", *formPath, err)
		}
		rule.Drop = append(append(rule.Drop, fields.Location...), fields.Files...)
		rule.FreeText = fields.FreeText
		for _, f := range splitList(*text) {
			if !slices.Contains(fields.FreeText, surveys.FieldPath(f)) {
				return usageError{fmt.Sprintf("--text: %q is not a free-text field of %s (free-text fields: %s)", f, *formPath, strings.Join(fields.FreeText, ", "))}
			}
			rule.Text = append(rule.Text, f)
		}
	}
	for _, q := range rule.QuasiIdentifiers {
		if !tab.Has(q) {
			return fmt.Errorf("%s: no column %q (columns: %s)", *csvPath, q, strings.Join(tab.Columns, ", "))
		}
	}
	out, rep, err := surveys.Protect(tab.Rows(), rule)
	if err != nil {
		return err
	}
	if *report {
		return printJSON(stdout, rep)
	}
	fmt.Fprintf(stderr, "k=%d: %d of %d records below k before; %d records blocked (%d values); mean re-identification risk %.4f → %.4f (max %.4f); %s\n",
		rep.K, rep.UnsafeBefore, rep.Records, rep.RecordsBlocked, rep.ValuesBlocked, rep.MeanRiskBefore, rep.MeanRiskAfter, rep.MaxRiskAfter, rep.RiskMeasure)
	if len(rep.FreeTextExcluded) > 0 {
		fmt.Fprintf(stderr, "free-text columns left out (name them with --text to export them): %s\n", strings.Join(rep.FreeTextExcluded, ", "))
	}
	if !rep.Passes {
		return fmt.Errorf("export refused: %d records still below k or mean risk %.4f not below %.2f", rep.UnsafeAfter, rep.MeanRiskAfter, rep.MaxRisk)
	}
	return surveys.WriteExport(stdout, out, surveys.ExportColumns(out, rule), *hxl, nil)
}
