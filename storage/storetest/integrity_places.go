package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/classify"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

// placesGazetteer is the small gazetteer the place tests locate with.
func placesGazetteer(t *testing.T) *geotext.Gazetteer {
	t.Helper()
	g, err := geotext.LoadGazetteer(strings.NewReader(`name,alternatenames,lat,lon,country,admin1name,kind
Bunia,,1.5667,30.25,COD,Ituri,town
Djugu,,1.9167,30.5,COD,Ituri,town
Goma,,-1.6792,29.2228,COD,Nord-Kivu,town
Numan,,9.4669,12.0325,NGA,Adamawa,town
Motema,,8.6167,-11.0167,SLE,,town
`), "gaz.csv")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// testIntegrityRelocate: items stored before the gazetteer gave admin-1
// areas (here: stored with no gazetteer, as before migration 0044) are
// re-located: a given place name gets its coordinates, admin-1 area,
// country and confidence, a place named in the text is found, given
// coordinates get their area; an unknown name stays unplaced. A second run
// changes nothing and audits nothing more (idempotent). A server start
// re-locates only when the gazetteer changed since the last complete run.
func testIntegrityRelocate(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	lat, lon := 1.56, 30.24
	items := []*integrity.Item{
		{Text: "Rumeur au marché", Lang: "fr", Place: "Bunia", Time: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)},
		{Text: "Des tirs signalés près de Goma ce matin", Lang: "fr", Time: time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC)},
		{Text: "Réunion au village", Lang: "fr", Place: "Nowhere-on-map", Time: time.Date(2026, 3, 22, 9, 0, 0, 0, time.UTC)},
		{Text: "Radio note", Lang: "fr", Place: "Mongbwalu road", Lat: &lat, Lon: &lon, Time: time.Date(2026, 3, 22, 9, 0, 0, 0, time.UTC)},
	}
	for i, it := range items {
		it.Source, it.SourceID, it.Via = "s", fmt.Sprint("r", i), integrity.ViaImport
	}
	testutil.AddItems(t, s, "alice", items...)
	if it, err := s.Item(ctx, items[0].ID); err != nil || it.Admin1 != "" || it.Lat != nil {
		t.Fatalf("before: %+v %v", it, err)
	}
	s.SetGazetteer(placesGazetteer(t))
	res, err := s.Relocate(ctx, "bob")
	if err != nil || res.Checked != 4 || res.Relocated != 3 {
		t.Fatalf("relocate: %+v %v, want 4 checked, 3 re-located", res, err)
	}
	for i, want := range []struct{ place, from, admin1 string }{
		{"Bunia", "given", "Ituri"}, {"Goma", "text", "Nord-Kivu"}, {"Nowhere-on-map", "given", ""}, {"Mongbwalu road", "given", "Ituri"},
	} {
		it, err := s.Item(ctx, items[i].ID)
		if err != nil || it.Place != want.place || it.PlaceFrom != want.from || it.Admin1 != want.admin1 || (want.admin1 != "") != (it.Lat != nil) {
			t.Errorf("item %d: place %q from %q admin1 %q lat %v (%v), want %+v", i, it.Place, it.PlaceFrom, it.Admin1, it.Lat, err, want)
		}
		if want.admin1 != "" && it.Country != "COD" {
			t.Errorf("item %d: country %q", i, it.Country)
		}
	}
	if it, _ := s.Item(ctx, items[3].ID); it.Lat == nil || *it.Lat != lat || it.PlaceConfidence != nil {
		t.Errorf("given coordinates changed: %+v", it)
	}
	if recs := auditActions(t, db, "integrity.items.relocate"); len(recs) != 1 || recs[0].Actor != "bob" || !strings.Contains(recs[0].Detail, "3 items") {
		t.Errorf("audit: %+v", recs)
	}
	res, err = s.Relocate(ctx, "bob")
	if err != nil || res.Checked != 1 || res.Relocated != 0 || len(auditActions(t, db, "integrity.items.relocate")) != 1 {
		t.Errorf("second run: %+v %v (want 1 checked, none re-located, nothing audited)", res, err)
	}
	rep, err := s.Where(ctx, integrity.WhereQuery{}, nil)
	if err != nil || rep.Unplaced != 1 || len(rep.Admin1) != 2 {
		t.Errorf("where after re-location: unplaced %d, admin-1 %+v (%v)", rep.Unplaced, rep.Admin1, err)
	}
	// A server start re-locates once per gazetteer: with the gazetteer the
	// last complete re-location used, nothing is read again; another
	// gazetteer is a need (the unplaced item is tried with it, once).
	bigger, err := geotext.LoadGazetteer(strings.NewReader("name,lat,lon,country,admin1name,kind\nNowhere-on-map,1.6,30.2,COD,Ituri,town\n"), "more.csv")
	if err != nil {
		t.Fatal(err)
	}
	bigger = geotext.Merge(placesGazetteer(t), bigger)
	for i, want := range []struct {
		gaz     *geotext.Gazetteer
		ran     bool
		checked int
	}{
		{placesGazetteer(t), false, 0},
		{bigger, true, 1},
		{nil, false, 0}, // the same gazetteer again
	} {
		if want.gaz != nil {
			s.SetGazetteer(want.gaz)
		}
		res, ran, err := s.RelocateIfNeeded(ctx, "vigil serve")
		if err != nil || ran != want.ran || res.Checked != want.checked {
			t.Errorf("start %d: ran %v, %+v, %v; want ran %v, %d checked", i, ran, res, err, want.ran, want.checked)
		}
	}
}

// testIntegrityPlaces: an item that carries only a place name is located
// by the gazetteer (as the alert intake locates a message), keeping the
// confidence and the place's first-level area; "where it matters" and the
// weekly brief then sum by admin-1 as well as by cell and country. Given
// coordinates are kept as given; nothing else about the author is used.
func testIntegrityPlaces(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	g := placesGazetteer(t)
	s.SetGazetteer(g)
	// A small model for which "cafard" is harmful, so that some placed
	// items are (the built-in model's scores are not the point here).
	m, err := classify.Train([]classify.Example{
		{Text: "le cafard doit partir", Label: "harmful"}, {Text: "ces cafard", Label: "harmful"}, {Text: "cafard cafard", Label: "harmful"},
		{Text: "réunion au village", Label: "normal"}, {Text: "radio note du jour", Label: "normal"}, {Text: "des tirs signalés près de la ville", Label: "normal"},
	}, classify.Options{Dim: 1 << 12})
	if err != nil {
		t.Fatal(err)
	}
	s.Model = m
	if _, err := s.SaveTerm(ctx, "alice", integrity.Term{Term: "cafard", Language: "fr", Meaning: "cockroach", Group: "ethnic group", Severity: 3}); err != nil {
		t.Fatal(err)
	}
	lat, lon := -4.3217, 15.3125
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	items := []*integrity.Item{
		// A place name only: located by the gazetteer.
		{Text: "Le cafard doit partir, dit la rumeur", Lang: "fr", Place: "Bunia", Time: day(20)},
		{Text: "Les cafard du marché", Lang: "fr", Place: "djugu", Time: day(21)},
		// No place: found in the text.
		{Text: "Des tirs signalés près de Goma ce matin", Lang: "fr", Time: day(21)},
		// A name the gazetteer does not know: unplaced, but kept.
		{Text: "Réunion au village", Lang: "fr", Place: "Nowhere-on-map", Time: day(22)},
		// Ordinary words that are also town names are not places: "human"
		// is one spelling difference from Numan, "motema" is Lingala for heart.
		{Text: "All human beings are born free and equal in dignity and rights", Lang: "en", Time: day(22)},
		{Text: "Moto nyonso azali na motema malamu", Lang: "ln", Time: day(22)},
		// Coordinates given with the item: kept, no confidence.
		{Text: "Radio note", Lang: "fr", Place: "Kinshasa", Lat: &lat, Lon: &lon, Time: day(22)},
	}
	for i, it := range items {
		it.Source, it.SourceID, it.Via = "s", fmt.Sprint(i), integrity.ViaImport
	}
	testutil.AddItems(t, s, "alice", items...)
	get := func(i int) integrity.Item {
		it, err := s.Item(ctx, items[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	for _, tc := range []struct {
		i                     int
		place, from, admin1   string
		lat                   float64
		placed, hasConfidence bool
	}{
		{0, "Bunia", "given", "Ituri", 1.5667, true, true},
		{1, "djugu", "given", "Ituri", 1.9167, true, true},
		{2, "Goma", "text", "Nord-Kivu", -1.6792, true, true},
		{3, "Nowhere-on-map", "given", "", 0, false, false},
		{4, "", "", "", 0, false, false},
		{5, "", "", "", 0, false, false},
		{6, "Kinshasa", "given", "", -4.3217, true, false},
	} {
		it := get(tc.i)
		if it.Place != tc.place || it.PlaceFrom != tc.from || it.Admin1 != tc.admin1 || (it.Lat != nil) != tc.placed || (it.PlaceConfidence != nil) != tc.hasConfidence {
			t.Errorf("item %d: place %q from %q admin1 %q lat %v conf %v", tc.i, it.Place, it.PlaceFrom, it.Admin1, it.Lat, it.PlaceConfidence)
			continue
		}
		if tc.placed && *it.Lat != tc.lat {
			t.Errorf("item %d: lat %v, want %v", tc.i, *it.Lat, tc.lat)
		}
		if tc.hasConfidence && (*it.PlaceConfidence <= 0 || *it.PlaceConfidence > 1) {
			t.Errorf("item %d: confidence %v", tc.i, *it.PlaceConfidence)
		}
		if tc.admin1 != "" && it.Country != "COD" {
			t.Errorf("item %d: country %q", tc.i, it.Country)
		}
	}

	rep, err := s.Where(ctx, integrity.WhereQuery{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unplaced != 3 {
		t.Errorf("unplaced %d, want 3", rep.Unplaced)
	}
	byName := map[string]integrity.WhereAdmin1{}
	for _, a := range rep.Admin1 {
		byName[a.Admin1] = a
	}
	if len(rep.Admin1) != 2 || byName["Ituri"].Items != 2 || byName["Ituri"].Cells != 2 || byName["Ituri"].CountryEN == "" ||
		byName["Nord-Kivu"].Items != 1 || byName["Nord-Kivu"].Country != "COD" {
		t.Errorf("admin-1 sums %+v", rep.Admin1)
	}

	// Harmful items per place and month, for the risk model's covariate.
	pts, unplaced, err := s.HarmfulPoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantPlaced, wantUnplaced := 0, 0
	for i := range items {
		if it := get(i); it.Score >= integrity.HarmfulAt {
			if it.Lat != nil {
				wantPlaced++
			} else {
				wantUnplaced++
			}
		}
	}
	gotPlaced := 0
	for _, p := range pts {
		gotPlaced += p.N
		if p.Month != "2026-03" {
			t.Errorf("point %+v: month", p)
		}
	}
	if wantPlaced == 0 || gotPlaced != wantPlaced || unplaced != wantUnplaced {
		t.Errorf("harmful points %+v (%d unplaced), want %d placed, %d unplaced", pts, unplaced, wantPlaced, wantUnplaced)
	}

	for _, c := range rep.Cells {
		if len(c.Places) > 0 && c.Places[0].Value == "Goma" && (len(c.Admin1) != 1 || c.Admin1[0] != (integrity.Count{Value: "Nord-Kivu", N: 1})) {
			t.Errorf("Goma's cell admin-1 %+v", c.Admin1)
		}
	}

	b, err := s.WeeklyBrief(ctx, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, sh := range b.ByAdmin1 {
		got[sh.Value] = sh.Items
	}
	if got["Ituri, COD"] != 2 || got["Nord-Kivu, COD"] != 1 || got[""] != 4 {
		t.Errorf("brief by admin-1 %+v", b.ByAdmin1)
	}
}
