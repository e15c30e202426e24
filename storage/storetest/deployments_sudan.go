package storetest

import (
	"context"
	"maps"
	"testing"

	"github.com/vigil-project/vigil/coverage"
)

// testDeploymentsSudanUpgrade: a store whose Geo-PKO deployments were
// imported before sites took the country of their point's unit (Geo-PKO
// records UNMIS's sites before 2011 "Sudan", Juba and Wau among them) has
// them in South Sudan after the upgrade, as an import now records them
// (geotext.SudanUnitCountry on Geo-PKO's adm1.name; migration 0067 lists
// the sites that rule puts in South Sudan). UNISFA's Agok, in South
// Kordufan, stays Sudan's; so do rows of other sources, which the list does
// not speak for, and South Sudan's own rows are left as they were. The
// coverage version moves, so servers drop prepared coverage inputs.
func testDeploymentsSudanUpgrade(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t)
	wipe(t, db)
	if err := db.MigrateTo(ctx, 66); err != nil {
		t.Fatal(err)
	}
	rows := []struct{ source, id, mission, country, location string }{
		{"geopko", "UNMIS/2006-05/Juba", "UNMIS", "Sudan", "Juba"},
		{"geopko", "UNMIS/2008-01/Wau", "UNMIS", "Sudan", "Wau"},
		{"geopko", "UNMIS/2010-11/Gok-machar", "UNMIS", "Sudan", "Gok-machar"},
		{"geopko", "UNISFA/2012-06/Agok", "UNISFA", "Sudan", "Agok"},
		{"geopko", "UNAMID/2012-06/El Fasher", "UNAMID", "Sudan", "El Fasher"},
		{"geopko", "UNMISS/2014-03/Juba", "UNMISS", "South Sudan", "Juba"},
		{"csv", "site-7", "UNMIS", "Sudan", "Juba"},
	}
	for _, r := range rows {
		if _, err := db.SQL.ExecContext(ctx, db.Rebind(`INSERT INTO deployments (source, source_id, mission, country, location, lat, lon, cell, kind, start_month, end_month, mobility)
			VALUES (?, ?, ?, ?, ?, 4.85, 31.6, 1, 'permanent', 24000, 24000, 'vehicle')`), r.source, r.id, r.mission, r.country, r.location); err != nil {
			t.Fatal(err)
		}
	}
	_, before, err := db.CoverageVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	deps, err := db.Deployments(ctx, coverage.DeploymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range deps {
		got[d.Source+" "+d.SourceID] = d.Country
	}
	want := map[string]string{
		"geopko UNMIS/2006-05/Juba":       "South Sudan",
		"geopko UNMIS/2008-01/Wau":        "South Sudan",
		"geopko UNMIS/2010-11/Gok-machar": "South Sudan",
		"geopko UNISFA/2012-06/Agok":      "Sudan",
		"geopko UNAMID/2012-06/El Fasher": "Sudan",
		"geopko UNMISS/2014-03/Juba":      "South Sudan",
		"csv site-7":                      "Sudan",
	}
	if !maps.Equal(got, want) {
		t.Errorf("countries after the upgrade %v, want %v", got, want)
	}
	if _, after, err := db.CoverageVersions(ctx); err != nil || after <= before {
		t.Errorf("coverage version %d → %d (%v), want it moved", before, after, err)
	}
}
