package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
)

// panelFlags are the flags backtest and forecast share: the store, the
// panel's source and the target violence type.
type panelFlags struct {
	fs     *flag.FlagSet
	d      *dbFlags
	lo     forecast.LoadOptions
	target *string
}

// newPanelFlags makes the flag set of the command name with the shared flags.
func newPanelFlags(name string, stderr io.Writer) *panelFlags {
	p := &panelFlags{}
	p.fs, p.d = storeFlags(name, stderr)
	addLoadFlags(p.fs, &p.lo)
	p.target = p.fs.String("target", "osv", "target violence type: osv, sb or ns")
	return p
}

// parse parses args and returns the target type (with the neighbour
// features defaulted by it).
func (p *panelFlags) parse(args []string) (int, error) {
	if err := p.fs.Parse(args); err != nil {
		return 0, err
	}
	typ, err := forecast.ParseType(*p.target)
	if err != nil {
		return 0, usageError{err.Error()}
	}
	defaultNeighbours(p.fs, &p.lo, typ)
	return typ, nil
}

// addLoadFlags adds the panel source flags.
func addLoadFlags(fs *flag.FlagSet, o *forecast.LoadOptions) {
	fs.StringVar(&o.Grid, "grid", "priogrid", "unit of analysis: priogrid, ops (finer grid) or country (country-month; needs --cells)")
	fs.Float64Var(&o.CellSize, "cell-size", 0.1, "ops grid cell size in degrees (must divide 0.5)")
	fs.StringVar(&o.CellsFile, "cells", "", "PRIO-GRID cell list CSV (priogrid_gid, gwno_prio2014) for a zero-filled panel with country context")
	fs.StringVar(&o.UCDPFile, "ucdp", "", "read events from a UCDP GED CSV instead of the store")
	fs.StringVar(&o.Covariates, "covariates", "", "covariate CSV: cell,month,NAME… or cell,year,NAME…")
	fs.BoolVar(&o.Neighbours, "neighbours", false, "--grid country: add neighbouring countries' event counts (countries whose PRIO-GRID cells touch) to the features; default on for --target osv, off for sb and ns (chosen on the development window 2013–2015, docs/benchmarks/forecast.md)")
}

// defaultNeighbours turns the country neighbour features on for one-sided
// violence unless --neighbours was given: on the development window they
// improved the one-sided Brier score at horizons 1 and 3 and were mixed
// for state-based and non-state violence (docs/benchmarks/forecast.md §4).
func defaultNeighbours(fs *flag.FlagSet, o *forecast.LoadOptions, typ int) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "neighbours" })
	if !set {
		o.Neighbours = typ == forecast.OS
	}
}

func runBacktest(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	pf := newPanelFlags("backtest", stderr)
	fs, d, lo := pf.fs, pf.d, &pf.lo
	from := fs.String("from", "", "first test month YYYY-MM")
	to := fs.String("to", "", "last test month YYYY-MM")
	h := fs.Int("horizon", 1, "months ahead (1–36)")
	refit := fs.Int("refit", 12, "months between refits")
	trainMonths := fs.Int("train-months", forecast.DefaultTrainMonths, "training origins per refit")
	asJSON := fs.Bool("json", false, "print one JSON object per model")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	noStack := fs.Bool("no-stack", false, "calibrate the trees alone, without stacking them with the exponential-decay baseline")
	harmful := fs.Bool("harmful-speech", false, "add the number of content items scored harmful per cell and month (placed by name, never by author; read from the store's Integrity items) as a covariate")
	members := fs.Int("members", 0, "classifiers trained with different seeds and averaged (0: 4 for sb and ns on cell grids, 1 otherwise)")
	typ, err := pf.parse(args)
	if err != nil {
		return err
	}
	if *members < 0 {
		return usageError{fmt.Sprintf("--members %d: must be 0 (default) or more", *members)}
	}
	f0, err := grid.ParseMonth(*from)
	if err != nil {
		return usageError{"--from: " + err.Error()}
	}
	t0, err := grid.ParseMonth(*to)
	if err != nil {
		return usageError{"--to: " + err.Error()}
	}
	if g, err := lo.ParseGrid(); err != nil {
		return err
	} else if g.Country && lo.CellsFile == "" {
		return usageError{"--grid country needs --cells FILE: the PRIO-GRID cell list (priogrid_gid, gwno_prio2014) gives each event's country"}
	}
	var store events.Store
	if lo.UCDPFile == "" {
		db, err := d.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		store = db
	}
	p, cov, err := forecast.Load(ctx, store, *lo)
	if err != nil {
		return err
	}
	if *harmful {
		if cov, err = harmfulSpeechCovariate(ctx, d, p, cov, stderr); err != nil {
			return err
		}
	}
	bc := forecast.BacktestConfig{
		Config:     forecast.Config{Target: typ, Horizon: *h, TrainMonths: *trainMonths, Seed: 1, NoStack: *noStack, Members: *members},
		From:       f0,
		To:         t0,
		RefitEvery: *refit,
	}
	if !*quiet {
		bc.Progress = stderr
		fmt.Fprintf(stderr, "backtest: %d %s, %s…%s\n", len(p.Cells), unitWord(p.Grid), p.First, p.Last())
	}
	bt, err := forecast.RunBacktest(ctx, forecast.NewFeatures(p, typ, cov), bc)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "backtest: time features %.1fs, fit %.1fs, predict+score %.1fs, %d refits\n",
			bt.Timing.Features.Seconds(), bt.Timing.Fit.Seconds(), bt.Timing.Predict.Seconds(), bt.Refits)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, r := range bt.Results {
			r.CaptureCurve = nil
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	r0 := bt.Results[0]
	fmt.Fprintf(stdout, "target %s, %s units, horizon %d, test months %s…%s (%d %s × %d months, %d with events)\n\n",
		r0.Target, r0.Grid, r0.Horizon, r0.From, r0.To, r0.Cells, unitWord(p.Grid), r0.Months, r0.Positives)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "model\tAUPR\tAUROC\tBrier\tskill\tlog loss\tMSE log1p\tCRPS\ttop 5%%\ttop 10%%\t\n")
	for _, r := range bt.Results {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.5f\t%.4f\t%.4f\t%.4f\t%.4f\t%.3f\t%.3f\t\n", r.Model, r.AUPR, r.AUROC, r.Brier, r.BrierSkill, r.LogLoss, r.MSELog1p, r.CRPS, r.Capture5, r.Capture10)
	}
	tw.Flush()
	fmt.Fprintln(stdout, "\ncalibration of gbt (predicted → observed):")
	for _, c := range r0.Calibration {
		fmt.Fprintf(stdout, "  %.1f–%.1f  n=%-7d mean %.4f  observed %.4f\n", c.Lo, c.Hi, c.N, c.MeanPredicted, c.Observed)
	}
	return nil
}

// unitWord names a panel's units in messages.
func unitWord(g forecast.Grid) string {
	if g.Country {
		return "countries"
	}
	return "cells"
}

// harmfulSpeechCovariate makes the covariate cov_harmful_speech from the
// Integrity items of the store (integrity.Service.HarmfulPoints) for panel p.
func harmfulSpeechCovariate(ctx context.Context, d *dbFlags, p *forecast.Panel, cov *forecast.Covariates, stderr io.Writer) (*forecast.Covariates, error) {
	if cov != nil {
		return nil, usageError{"--harmful-speech cannot be combined with --covariates"}
	}
	db, err := d.open(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	pts, unplaced, err := integrity.NewService(db, nil).HarmfulPoints(ctx)
	if err != nil {
		return nil, err
	}
	pms := make([]forecast.PointMonth, 0, len(pts))
	total := 0
	for _, pt := range pts {
		mo, err := grid.ParseMonth(pt.Month)
		if err != nil {
			return nil, err
		}
		pms = append(pms, forecast.PointMonth{Lat: pt.Lat, Lon: pt.Lon, Month: mo, N: float64(pt.N)})
		total += pt.N
	}
	cov, kept, err := forecast.PointCovariate(p, "harmful_speech", pms)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "backtest: harmful speech: %d placed harmful items (%d with no place left out), %d place-months in the panel's cells and months\n", total, unplaced, kept)
	return cov, nil
}
