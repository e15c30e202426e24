package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/web"
)

// TestServeCoverageCells: with --coverage-cells the coverage service's
// analysis grid is the file's cells and a site outside it is refused
// (naming the line); without it the grid follows the data, so the same
// site is stored; a missing file fails serve naming the flag.
func TestServeCoverageCells(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cellsFile := filepath.Join(dir, "cells.csv")
	// Bangui's PRIO-GRID cell (4.39 N, 18.56 E) and its eastern neighbour.
	bangui, _ := grid.PrioGID(4.3947, 18.5582)
	csv := fmt.Sprintf("priogrid_gid,country\n%d,Central African Republic\n%d,Central African Republic\n", bangui, bangui+1)
	if err := os.WriteFile(cellsFile, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cells, err := loadCells(cellsFile)
	if err != nil {
		t.Fatal(err)
	}
	const sites = "id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility\n" +
		"bangui,MINUSCA,permanent,4.3947,18.5582,2014-09,2018-12,1200,300,50,150,1000,infantry,vehicle\n" +
		"bria,MINUSCA,cob,6.5423,21.9863,2015-01,2018-12,150,0,0,10,140,infantry,vehicle\n"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, c := range []struct {
		name  string
		cells *coverage.Cells
		want  string // "" = stored
	}{
		{"configured", cells, "sites.csv:3: lat: site at 6.5423,21.9863"},
		{"derived", nil, ""},
	} {
		db := testutil.Store(t)
		s := &web.Server{DB: db, Log: log}
		if err := useMapServices(s, db, nil, c.cells, log); err != nil {
			t.Fatal(err)
		}
		s.Handler()
		if s.Coverage.Grid != c.cells {
			t.Errorf("%s: analysis grid %p, want %p", c.name, s.Coverage.Grid, c.cells)
		}
		_, err = s.Coverage.ImportDeployments(ctx, "ana", "csv", "sites.csv", sites)
		re := apperr.As(err)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (re == nil || re.Field != "data" || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want a refusal naming %q", c.name, err, c.want)
		}
	}
	err = runServe(ctx, []string{"--data", t.TempDir(), "--coverage-cells", filepath.Join(dir, "none.csv")}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--coverage-cells") {
		t.Errorf("missing cells file: %v", err)
	}
}
