package geotext_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
)

// TestParseCountryFilter: an empty parameter chooses every country (nil); a
// parameter naming nothing is invalid input naming the field.
func TestParseCountryFilter(t *testing.T) {
	type parseCase struct {
		v, wantErr string // the parameter; the error's text ("" none)
		nilF       bool   // every country
	}
	for _, tc := range []parseCase{
		{v: "", nilF: true},
		{v: ",", nilF: true, wantErr: `country: no country named in ","`},
		{v: " , ", nilF: true, wantErr: `country: no country named in " , "`},
		{v: "COD"},
		{v: "Atlantis, ,Mali"},
	} {
		f, err := geotext.ParseCountryFilter(tc.v, performance.AreaCode, nil, nil)
		if (f == nil) != tc.nilF {
			t.Errorf("%q: filter %v, want nil %v", tc.v, f, tc.nilF)
		}
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tc.v, err)
		case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr || apperr.FieldOf(err) != "country" || !apperr.IsInvalid(err)):
			t.Errorf("%q: err %v (field %q), want invalid %q on country", tc.v, err, apperr.FieldOf(err), tc.wantErr)
		}
	}
}

// TestCountryFilterName: a name is chosen by the same spelling in any case,
// or by any spelling or code of a chosen country the code function knows.
func TestCountryFilterName(t *testing.T) {
	for _, tc := range []struct {
		filter string
		names  []string
		want   bool
	}{
		{"COD", []string{"DR Congo (Zaire)"}, true},
		{"COD", []string{"490"}, true},
		{"cod", []string{"Democratic Republic of the Congo"}, true},
		{"République démocratique du Congo", []string{"DRC"}, true},
		{"DR Congo (Zaire)", []string{"COD"}, true},
		{"COD", []string{"Central African Republic"}, false},
		{"COD", []string{"Republic of the Congo", "CAF"}, false},
		{"COD", []string{"Mali", "  ", "DR Congo"}, true}, // any of the names
		{"CAF,Mali", []string{"MLI"}, true},
		{"Atlantis", []string{"ATLANTIS"}, true}, // unknown country: the same spelling
		{"Atlantis", []string{"COD"}, false},
		{"COD", []string{""}, false},
		{"COD", nil, false},
	} {
		f, err := geotext.ParseCountryFilter(tc.filter, performance.AreaCode, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// twice: the second answer comes from the memo
		for i := 0; i < 2; i++ {
			if got := f.Name(tc.names...); got != tc.want {
				t.Errorf("filter %q, Name(%q) = %v, want %v", tc.filter, tc.names, got, tc.want)
			}
		}
	}
	// without a code function only the spelling matches
	f, _ := geotext.ParseCountryFilter("COD", nil, nil, nil)
	if !f.Name("cod") || f.Name("DR Congo") {
		t.Error("no code function: want spelling matches only")
	}
}

// TestCountryFilterAt: a point is in the country of its reference cell,
// else in that of the nearest notable place (shipped gazetteer), else in
// none.
func TestCountryFilterAt(t *testing.T) {
	shipped, err := demo.Gazetteer()
	if err != nil {
		t.Fatal(err)
	}
	x := &geotext.Index{Shipped: shipped}
	label := func() geotext.Labeler { return x.Labeler(context.Background()) }
	// a cell in the CAR deliberately assigned to South Sudan: the cell wins
	gid, err := grid.PrioGID(4.36, 18.56)
	if err != nil {
		t.Fatal(err)
	}
	cells := coverage.NewCells([]coverage.Cell{{GID: gid, Country: "South Sudan", Lat: 4.25, Lon: 18.75}})
	for _, tc := range []struct {
		name     string
		filter   string
		lat, lon float64
		cells    *coverage.Cells
		label    bool
		want     bool
	}{
		{"cell's country", "SSD", 4.36, 18.56, cells, true, true},
		{"cell's country, not the place's", "CAF", 4.36, 18.56, cells, true, false},
		{"no cell: nearest place (Bunia, DR Congo)", "490", 1.56, 30.25, cells, true, true},
		{"no cell: nearest place, other country", "CAF", 1.56, 30.25, cells, true, false},
		{"nil cells: nearest place (Bangui)", "Central African Republic", 4.36, 18.56, nil, true, true},
		{"far from any place", "COD", 0, -30, cells, true, false},
		{"no labeler", "COD", 1.56, 30.25, nil, false, false},
	} {
		var lab func() geotext.Labeler
		if tc.label {
			lab = label
		}
		f, err := geotext.ParseCountryFilter(tc.filter, performance.AreaCode, tc.cells.CountryAt, lab)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.At(tc.lat, tc.lon); got != tc.want {
			t.Errorf("%s: %q At(%v, %v) = %v, want %v", tc.name, tc.filter, tc.lat, tc.lon, got, tc.want)
		}
	}
}
