package forecast

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/vigil-project/vigil/events"
)

// LoadOptions say where a command's panel comes from.
type LoadOptions struct {
	Grid       string  // "priogrid", "ops" or "country"
	CellSize   float64 // ops grid cell size in degrees (default 0.1)
	CellsFile  string  // PRIO-GRID cell list (priogrid_gid, gwno…); optional
	UCDPFile   string  // read events from a UCDP GED CSV instead of the store
	Covariates string  // optional covariate CSV
	// Neighbours (country units only): add the neighbouring countries'
	// event counts to the features (CountryAdjacency).
	Neighbours bool
}

// ParseGrid returns the grid named by opt.
func (opt LoadOptions) ParseGrid() (Grid, error) {
	switch strings.ToLower(opt.Grid) {
	case "", "priogrid", "prio-grid":
		return PrioGrid, nil
	case "ops":
		s := opt.CellSize
		if s == 0 {
			s = 0.1
		}
		k := 0.5 / s
		if !(s > 0) || s > 0.5 || k != float64(int(k+0.5)) {
			return Grid{}, fmt.Errorf("--cell-size %v: the ops grid's cell size must divide 0.5 degrees (0.25, 0.1, 0.05 …)", s)
		}
		return Grid{Size: s}, nil
	case "country":
		return CountryGrid, nil
	}
	return Grid{}, fmt.Errorf("--grid %q: unknown unit of analysis: want priogrid, ops or country", opt.Grid)
}

// Load builds the panel (and covariates) for a command from a UCDP file or
// the events store (store may be nil when UCDPFile is set).
func Load(ctx context.Context, store events.Store, opt LoadOptions) (*Panel, *Covariates, error) {
	g, err := opt.ParseGrid()
	if err != nil {
		return nil, nil, err
	}
	if g.Country {
		if err := checkCountryUnits(opt); err != nil {
			return nil, nil, err
		}
	}
	// cell-months of the grid (country units: of PRIO-GRID, aggregated below)
	cg := g
	if g.Country {
		cg = PrioGrid
	}
	var cms []events.CellMonth
	if opt.UCDPFile != "" {
		cms, err = ReadUCDPCellMonths(opt.UCDPFile, cg)
	} else if store != nil {
		size := 0.0
		if cg.Size != 0.5 {
			size = cg.Size
		}
		cms, err = store.CellMonths(ctx, events.Filter{Types: []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}}, size)
	} else {
		err = fmt.Errorf("no events source: give --ucdp FILE or a store")
	}
	if err != nil {
		return nil, nil, err
	}
	var cells *CellList
	if opt.CellsFile != "" {
		cl, err := ReadPrioCells(opt.CellsFile)
		if err != nil {
			return nil, nil, err
		}
		if !g.Country && g.Size != 0.5 {
			if cl, err = OpsCells(cl, g.Size); err != nil {
				return nil, nil, err
			}
		}
		cells = &cl
	}
	var p *Panel
	if g.Country {
		p, _, err = CountryPanel(*cells, cms, 0)
		if err == nil && opt.Neighbours {
			p.SetNeighbours(CountryAdjacency(*cells))
		}
	} else {
		p, err = BuildPanel(g, cells, cms, 0)
	}
	if err != nil {
		return nil, nil, err
	}
	var cov *Covariates
	if opt.Covariates != "" {
		f, err := os.Open(opt.Covariates)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		if cov, err = ReadCovariates(opt.Covariates, f, p); err != nil {
			return nil, nil, err
		}
	}
	return p, cov, nil
}
