package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

const coverageUsage = `usage:
  vigil coverage check [--geopko F --ucdp F] [--cells F] [--from YYYY-MM --to YYYY-MM] [--seasons S.json] [--json]
  vigil coverage gaps  --month YYYY-MM [--cells F] [--limit 20] [--json]
  vigil coverage tob   --month YYYY-MM --p 2 [--budget B] [--mobility foot] [--cells F] [--json]
  vigil coverage cut   --month YYYY-MM --share 0.26 [--basis personnel|cost] [--cells F] [--json]
Without --geopko/--ucdp, deployments and events come from the database (--data/--db).`

func runCoverage(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, coverageUsage)
		return usageError{"want a subcommand: check, gaps, tob or cut"}
	}
	sub := args[0]
	switch sub {
	case "check", "gaps", "tob", "cut":
	default:
		fmt.Fprintln(stderr, coverageUsage)
		return usageError{fmt.Sprintf("unknown subcommand %q", sub)}
	}
	fs, d := storeFlags("coverage "+sub, stderr)
	cellsPath := fs.String("cells", "", "PRIO-GRID cell list (optional population, friction columns); default: the embedded six-country cells")
	seasons := fs.String("seasons", "", "reach and rainy-season configuration (JSON); default: documented defaults")
	asJSON := fs.Bool("json", false, "print JSON")
	// Each subcommand declares only its own flags, so -h shows only them.
	geopko, ucdp, fromS, toS, monthS := new(string), new(string), new(string), new(string), new(string)
	mobility, basis := new(string), new(string)
	limit, p := new(int), new(int)
	budget, share := new(float64), new(float64)
	limitT := new(time.Duration)
	switch sub {
	case "check":
		fs.StringVar(geopko, "geopko", "", "Geo-PKO deployments file instead of the database")
		fs.StringVar(ucdp, "ucdp", "", "UCDP GED events file instead of the database")
		fs.StringVar(fromS, "from", "", "first month (default: first deployment month)")
		fs.StringVar(toS, "to", "", "last month (default: last event or deployment month)")
	case "gaps":
		fs.StringVar(monthS, "month", "", "the month (YYYY-MM)")
		fs.IntVar(limit, "limit", 20, "rows to show")
	case "tob":
		fs.StringVar(monthS, "month", "", "the month (YYYY-MM)")
		fs.IntVar(p, "p", 0, "new sites to open")
		fs.Float64Var(budget, "budget", 0, "budget for new sites (candidate cost 1 each)")
		fs.StringVar(mobility, "mobility", "foot", "mobility of new sites (foot, vehicle, air)")
		fs.DurationVar(limitT, "time-limit", 30*time.Second, "optimiser time limit")
	case "cut":
		fs.StringVar(monthS, "month", "", "the month (YYYY-MM)")
		fs.Float64Var(share, "share", 0, "share to cut, e.g. 0.26")
		fs.StringVar(basis, "basis", "personnel", "personnel or cost")
		fs.DurationVar(limitT, "time-limit", 30*time.Second, "optimiser time limit")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cells, err := loadCells(*cellsPath)
	if err != nil {
		return err
	}
	reach := coverage.DefaultReach()
	if *seasons != "" {
		if reach, err = readFile(*seasons, coverage.ReadSeasons); err != nil {
			return err
		}
	}
	model := coverage.NewModel(cells, reach)

	// Deployments and incidents: files or the database.
	var deps []coverage.Deployment
	var inc []coverage.Incident
	fileDeps, fileEvents, fromFiles, err := readDeploymentFiles(ctx, *geopko, *ucdp, cells)
	if err != nil {
		return err
	}
	if fromFiles {
		deps, inc = fileDeps, coverage.FromEvents(fileEvents)
	} else {
		deps, err = storeDeployments(ctx, d, func(db events.Store) (err error) {
			inc, err = coverage.LoadIncidents(ctx, db, events.Filter{Types: []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}})
			return err
		})
		if err != nil {
			return err
		}
	}
	if len(deps) == 0 {
		return fmt.Errorf("no deployments: import some with 'vigil deploy import' or pass --geopko")
	}
	risk := coverage.NewRecentViolence(inc, 12)

	if sub == "check" {
		from, to := coverage.Span(deps)
		var lastEv grid.Month
		for _, x := range inc {
			lastEv = max(lastEv, x.Month)
		}
		if lastEv != 0 && lastEv < to {
			to = lastEv
		}
		if *fromS != "" {
			if from, err = grid.ParseMonth(*fromS); err != nil {
				return usageError{"--from: " + err.Error()}
			}
		}
		if *toS != "" {
			if to, err = grid.ParseMonth(*toS); err != nil {
				return usageError{"--to: " + err.Error()}
			}
		}
		if to < from {
			return usageError{"--to is before --from"}
		}
		r := model.Analyse(deps, inc, from, to)
		if *asJSON {
			r.OnsetList = nil
			return printJSON(stdout, r)
		}
		r.WriteText(stdout)
		return nil
	}
	if *monthS == "" {
		return usageError{"--month is required"}
	}
	mo, err := grid.ParseMonth(*monthS)
	if err != nil {
		return usageError{"--month: " + err.Error()}
	}
	switch sub {
	case "gaps":
		cms := model.Month(deps, mo, risk)
		gaps := coverage.Gaps(cms, *limit)
		if *asJSON {
			return printJSON(stdout, gaps)
		}
		covered := 0
		for _, c := range cms {
			if c.Covered {
				covered++
			}
		}
		fmt.Fprintf(stdout, "%s: %d of %d cells covered; top gaps by risk (events in the prior 12 months)%s:\n", mo, covered, len(cms),
			map[bool]string{true: " × population", false: ""}[cms[0].Population > 0])
		for _, g := range gaps {
			fmt.Fprintf(stdout, "cell %6d %-26s risk %5.0f  %-9s nearest %6.1f km %s\n", g.Cell, g.Country, g.Risk, g.Reason, g.NearestKM, g.NearestID)
		}
		return nil
	case "tob":
		res, err := model.Plan(ctx, deps, risk, coverage.PlanRequest{Month: mo, P: *p, Budget: *budget, Mobility: coverage.Mobility(*mobility), TimeLimit: *limitT,
			Countries: coverage.MissionCountries(deps, cells, mo)})
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, res)
		}
		var ids []string
		for _, c := range res.Chosen {
			ids = append(ids, fmt.Sprintf("%s (%.2f,%.2f)", c.ID, c.Lat, c.Lon))
		}
		fmt.Fprintf(stdout, "%s: open %s\ncovered risk %.0f → %.0f of %.0f (+%d cells); bound %.0f, gap %.3f%%\n", mo, strings.Join(ids, ", "),
			res.Before, res.After, res.Total, len(res.CellsGained), res.Solution.UpperBound, 100*res.Solution.Gap)
		return nil
	default: // cut
		tg, th, err := model.Cut(ctx, deps, risk, coverage.CutRequest{Month: mo, Share: *share, Basis: *basis, TimeLimit: *limitT})
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(stdout, map[string]any{"targeted": tg, "thinning": th})
		}
		for _, o := range []*coverage.CutOption{tg, th} {
			fmt.Fprintf(stdout, "%-9s removes %.0f (asked %.0f), closes %d sites; covered risk %.0f → %.0f of %.0f; %d cells lose protection; personnel in reach (risk-weighted mean) %.0f → %.0f\n",
				o.Strategy, o.Removed, o.Target, len(o.Withdrawn), o.CoveredBefore, o.CoveredAfter, o.Total, len(o.CellsLost), o.ReachPersonnelBefore, o.ReachPersonnelAfter)
		}
		return nil
	}
}

// readDeploymentFiles reads deployments from a Geo-PKO file and events from
// a UCDP file when both are given (fromFiles true); neither means the
// caller reads the database; one without the other is a usage error.
func readDeploymentFiles(ctx context.Context, geopko, ucdp string, cells *coverage.Cells) (deps []coverage.Deployment, es []events.Event, fromFiles bool, err error) {
	if (geopko == "") != (ucdp == "") {
		return nil, nil, false, usageError{"give both --geopko and --ucdp, or neither (database)"}
	}
	if geopko == "" {
		return nil, nil, false, nil
	}
	deps, err = readFile(geopko, func(r io.Reader, name string) ([]coverage.Deployment, error) {
		return coverage.ReadGeoPKO(r, name, cells)
	})
	if err != nil {
		return nil, nil, false, err
	}
	if es, err = coverage.ReadEventsFile(ctx, ucdp); err != nil {
		return nil, nil, false, err
	}
	return deps, es, true, nil
}

// storeDeployments is the database side of readDeploymentFiles: every
// stored deployment, and load reading the events it needs from the store.
func storeDeployments(ctx context.Context, d *dbFlags, load func(events.Store) error) ([]coverage.Deployment, error) {
	db, err := d.open(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	deps, err := db.Deployments(ctx, coverage.DeploymentFilter{})
	if err != nil {
		return nil, err
	}
	return deps, load(db)
}
