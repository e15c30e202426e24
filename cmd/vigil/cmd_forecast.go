package main

import (
	"context"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/forecast"
)

// parseHorizons parses "1-6" or "1,3,6".
func parseHorizons(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		a, b, isRange := strings.Cut(part, "-")
		lo, err := strconv.Atoi(a)
		if err != nil {
			return nil, fmt.Errorf("--horizons %q: %q is not a number", s, a)
		}
		hi := lo
		if isRange {
			if hi, err = strconv.Atoi(b); err != nil {
				return nil, fmt.Errorf("--horizons %q: %q is not a number", s, b)
			}
		}
		if lo < 1 || hi > forecast.MaxHorizon || hi < lo {
			return nil, fmt.Errorf("--horizons %q: horizons must be within 1…%d", s, forecast.MaxHorizon)
		}
		for h := lo; h <= hi; h++ {
			out = append(out, h)
		}
	}
	return out, nil
}

func runForecast(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	pf := newPanelFlags("forecast", stderr)
	fs, d, lo := pf.fs, pf.d, &pf.lo
	hs := fs.String("horizons", "1-6", "horizons in months, e.g. 1-6 or 3,6,12")
	btMonths := fs.Int("backtest-months", 12, "also backtest the last N months at horizon 1 and store the scores (0: skip)")
	typ, err := pf.parse(args)
	if err != nil {
		return err
	}
	horizons, err := parseHorizons(*hs)
	if err != nil {
		return usageError{err.Error()}
	}
	g, err := lo.ParseGrid()
	if err != nil {
		return usageError{err.Error()}
	}
	if g.Country && lo.CellsFile == "" {
		return usageError{"--grid country needs --cells FILE: the PRIO-GRID cell list (priogrid_gid, gwno_prio2014) gives each event's country and each country's outline"}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, cov, err := forecast.Load(ctx, db, *lo)
	if err != nil {
		return err
	}
	f := forecast.NewFeatures(p, typ, cov)
	cfg := forecast.Config{Target: typ, Seed: 1, Progress: stderr}
	fmt.Fprintf(stderr, "forecast: %d %s, data %s…%s\n", len(p.Cells), unitWord(p.Grid), p.First, p.Last())
	run := forecast.Run{Target: forecast.TypeNames[typ], Grid: g.Name(), CellSize: g.Size, Origin: p.Last(), Model: forecast.ModelGBT, Units: forecast.PanelUnits(p)}
	if *btMonths > 0 {
		bc := forecast.BacktestConfig{Config: cfg, From: p.Last() - forecast.Month(*btMonths-1), To: p.Last()}
		bc.Horizon = 1
		bt, err := forecast.RunBacktest(ctx, f, bc)
		if err != nil {
			return fmt.Errorf("backtest: %w", err)
		}
		run.Backtest = bt.Results
	}
	cells, err := forecast.Forecast(ctx, f, horizons, cfg)
	if err != nil {
		return err
	}
	actor := "cli"
	if u, err := user.Current(); err == nil {
		actor = "cli:" + u.Username
	}
	id, err := db.SaveForecast(ctx, actor, run, cells)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "forecast run %d: %d %s forecasts for %s…%s (target %s, data to %s)\n",
		id, len(cells), map[bool]string{false: "cell", true: "country"}[g.Country], p.Last()+forecast.Month(horizons[0]), p.Last()+forecast.Month(horizons[len(horizons)-1]), run.Target, p.Last())
	return nil
}
