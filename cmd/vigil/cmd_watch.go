package main

import (
	"context"
	"io"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
)

const watchUsage = `usage:
  vigil watch withdrawals [--data DIR | --geopko F --ucdp F] [--cells F] [--before 12] [--after 12] [--controls 3]
                          [--measure deaths|events] [--confidence 0.9] [--min-expected 1] [--seed 1] [--json]
Without --geopko/--ucdp, deployments, events and stored forecasts come from the database (--data/--db).
Matching uses prior violence and forecast risk: a stored forecast run where one covers the
withdrawal month (database only), else the exponential-decay model on the events before it.`

func runWatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := ownSubcommand(args, watchUsage, "withdrawals", stderr, "withdrawals"); err != nil {
		return err
	}
	fs, d := storeFlags("watch withdrawals", stderr)
	cellsPath := fs.String("cells", "", "PRIO-GRID cell list (default: the embedded six-country cells)")
	geopko := fs.String("geopko", "", "Geo-PKO deployments file instead of the database")
	ucdp := fs.String("ucdp", "", "UCDP GED events file instead of the database")
	var cfg performance.WatchConfig
	fs.IntVar(&cfg.Before, "before", 12, "months compared before the withdrawal")
	fs.IntVar(&cfg.After, "after", 12, "months compared after the withdrawal")
	fs.IntVar(&cfg.MinPresence, "min-presence", 6, "months with a site among the before months for a withdrawal to count")
	fs.IntVar(&cfg.Controls, "controls", 3, "matched cells that kept their deployments, per withdrawal")
	fs.StringVar(&cfg.Measure, "measure", "deaths", "protection measure: deaths (one-sided violence, UCDP best) or events (one-sided events)")
	fs.Float64Var(&cfg.Confidence, "confidence", 0.9, "trigger: after above the matched expectation with this confidence")
	fs.Float64Var(&cfg.MinExpected, "min-expected", 1, "trigger: floor of the expectation (so one death in a quiet cell does not fire)")
	fs.Float64Var(&cfg.Level, "level", 0.9, "level of the bootstrap interval of the difference-in-differences")
	fs.IntVar(&cfg.Bootstrap, "bootstrap", 2000, "bootstrap resamples")
	seed := fs.Uint64("seed", 1, "bootstrap seed")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNoArgs(fs, args[1:], ""); err != nil {
		return err
	}
	cfg.Seed = *seed
	cells, err := loadCells(*cellsPath)
	if err != nil {
		return err
	}
	deps, es, fromFiles, err := readDeploymentFiles(ctx, *geopko, *ucdp, cells)
	if err != nil {
		return err
	}
	var rep *performance.WatchReport
	if fromFiles {
		rep, err = performance.Watch(deps, es, cells, cfg)
	} else {
		// From the database: its stored forecasts give the risk of a
		// withdrawal month a run covers.
		db, oerr := d.open(ctx)
		if oerr != nil {
			return oerr
		}
		defer db.Close()
		rep, err = performance.NewEngine(performance.Inputs{Events: db, Deployments: db, Forecasts: db, Cells: cells}).Watch(ctx, cfg)
	}
	if err != nil {
		if apperr.IsInvalid(err) {
			return usageError{err.Error()}
		}
		return err
	}
	if *asJSON {
		return printJSON(stdout, rep)
	}
	rep.WriteText(stdout)
	return nil
}
