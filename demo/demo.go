// Package demo holds Vigil's built-in real demo data and loads it.
//
// It holds Vigil's built-in demo data — real UCDP GED events, Geo-PKO
// deployments and PRIO-GRID cells for six countries with UN or AU operations,
// embedded compressed with their attribution (data/ATTRIBUTION.md) — and loads
// it into a store for `vigil serve --demo`.
package demo

import (
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"io"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/storage"
)

//go:embed data
var files embed.FS

// Attribution is the citation text the UI and README show for the demo data.
const Attribution = "UCDP GED 21.1 (Sundberg & Melander 2013; Davies, Pettersson & Öberg 2022) · Geo-PKO (Cil, Fjelde, Hultman & Nilsson 2020) · PRIO-GRID (Tollefsen, Strand & Buhaug 2012)"

// File names inside the embedded data directory.
const (
	UCDPEvents    = "ucdp_ged211_6countries_1989_2018.csv"
	GeoPKO        = "geopko_v2x_deployments_6countries_1994_2020.csv"
	PrioGridCells = "priogrid_cells_6countries_gwno2014.csv"
	// IntegrityItems is real text for the Integrity page: articles 1, 3
	// and 19 of the Universal Declaration of Human Rights in eight
	// languages, as monitoring-export rows (generic layout).
	IntegrityItems = "integrity_udhr_items.csv"
)

// Open returns a reader of one embedded demo file, decompressed.
func Open(name string) (io.ReadCloser, error) {
	f, err := files.Open("data/" + name + ".gz")
	if err != nil {
		return nil, fmt.Errorf("demo file %s: %w", name, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("demo file %s: %w", name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}

// Loader loads one more kind of demo data (deployments, say) after the events.
// Capability packages' loaders are listed by the caller (cmd/vigil) so that
// this package does not depend on every capability.
type Loader func(ctx context.Context, db *storage.DB) error

// Load imports the demo UCDP events into db (idempotent: a second load
// changes nothing) and then runs the extra loaders in order.
func Load(ctx context.Context, db *storage.DB, extra ...Loader) error {
	r, err := Open(UCDPEvents)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := ingest.Import(ctx, db, UCDPEvents, r, ingest.Options{Source: "ucdp-ged"}); err != nil {
		return fmt.Errorf("demo events: %w", err)
	}
	for _, l := range extra {
		if err := l(ctx, db); err != nil {
			return err
		}
	}
	return nil
}

// ReferenceCells is the embedded six-country PRIO-GRID cell list (real
// country assignments): the coverage service's reference, which the
// derived analysis grid uses for the countries it covers.
func ReferenceCells() (*coverage.Cells, error) {
	r, err := Open(PrioGridCells)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return coverage.ReadPrioCells(r, PrioGridCells)
}
