package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/storage"
)

func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

// loadCells reads a PRIO-GRID cell list, or the embedded six-country demo
// cells when path is empty.
func loadCells(path string) (*coverage.Cells, error) {
	if path == "" {
		r, err := demo.Open(demo.PrioGridCells)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		return coverage.ReadPrioCells(r, demo.PrioGridCells)
	}
	return readFile(path, coverage.ReadPrioCells)
}

func runDeploy(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "list") {
		return usageError{"want 'deploy import [--format geopko|csv|geojson] [--cells F] FILE' or 'deploy list [--mission M] [--month YYYY-MM] [--json]'"}
	}
	fs, d := storeFlags("deploy "+args[0], stderr)
	cellsPath := fs.String("cells", "", "PRIO-GRID cell list (priogrid_gid,…,country,…); default: the embedded six-country cells")
	format := fs.String("format", "auto", "auto, geopko, csv or geojson")
	mission := fs.String("mission", "", "list: only this mission")
	month := fs.String("month", "", "list: only deployments held in this month (YYYY-MM)")
	asJSON := fs.Bool("json", false, "list: print JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "list" {
		f := coverage.DeploymentFilter{Mission: *mission}
		if *month != "" {
			m, err := grid.ParseMonth(*month)
			if err != nil {
				return usageError{"--month: " + err.Error()}
			}
			f.Active = m
		}
		db, err := d.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		deps, err := db.Deployments(ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(stdout).Encode(deps)
		}
		for _, x := range deps {
			fmt.Fprintf(stdout, "%-9s %-12s %-30s %s..%s %-11s %5d mil %4d pol %s\n", x.Mission, x.Kind, x.Location, x.Start, x.End, x.Mobility, x.Military, x.Police, strings.Join(x.Units, ","))
		}
		return nil
	}
	if fs.NArg() != 1 {
		return usageError{"give one file to import"}
	}
	path := fs.Arg(0)
	cells, err := loadCells(*cellsPath)
	if err != nil {
		return err
	}
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	fmtName := *format
	if fmtName == "auto" {
		switch {
		case strings.HasSuffix(strings.ToLower(path), ".geojson") || strings.HasSuffix(strings.ToLower(path), ".json"):
			fmtName = "geojson"
		case strings.Contains(strings.ToLower(filepath.Base(path)), "geopko"):
			fmtName = "geopko"
		default:
			fmtName = "csv"
		}
	}
	var deps []coverage.Deployment
	switch fmtName {
	case "geopko":
		deps, err = coverage.ReadGeoPKO(fh, path, cells)
	case "csv":
		deps, err = coverage.ReadCSV(fh, path, cells)
	case "geojson":
		deps, err = coverage.ReadGeoJSON(fh, path, cells)
	default:
		return usageError{"--format must be auto, geopko, csv or geojson"}
	}
	if err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ins, upd, err := db.SaveDeployments(ctx, cliActor(), deps)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d deployments (%d new, %d updated)\n", path, len(deps), ins, upd)
	return nil
}

// demoDeployments is the demo.Loader for `serve --demo`: the embedded Geo-PKO
// deployments for the six countries.
func demoDeployments(ctx context.Context, db *storage.DB) error {
	cells, err := loadCells("")
	if err != nil {
		return err
	}
	r, err := demo.Open(demo.GeoPKO)
	if err != nil {
		return err
	}
	defer r.Close()
	deps, err := coverage.ReadGeoPKO(r, demo.GeoPKO, cells)
	if err != nil {
		return fmt.Errorf("demo deployments: %w", err)
	}
	_, _, err = db.SaveDeployments(ctx, "serve --demo", deps)
	return err
}
