package storage

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestMigrationSouthSudanSites: migration 0067 moves to South Sudan the
// Geo-PKO sites of stores imported before sites took their unit's country,
// by name. Its list is the one geotext.SudanUnitCountry gives on the real
// Geo-PKO v2.x rows recorded "Sudan" (each site whose adm1.name is a state
// of South Sudan), and no site name is in both countries, so a name
// decides.
func TestMigrationSouthSudanSites(t *testing.T) {
	b, err := os.ReadFile("migrations/0067_deployments_south_sudan.sql")
	if err != nil {
		t.Fatal(err)
	}
	in := regexp.MustCompile(`(?s)location IN \((.*?)\)`).FindSubmatch(b)
	if in == nil {
		t.Fatal("0067: no location list")
	}
	var listed []string
	for _, m := range regexp.MustCompile(`'([^']*)'`).FindAllSubmatch(in[1], -1) {
		listed = append(listed, string(m[1]))
	}
	f, err := os.Open(shareddata.Path(t, "geopko/geopko_v2x_deployments_6countries_1994_2020.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	countries := map[string]map[string]bool{} // site name → countries of its "Sudan" rows
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[col["country"]] != "Sudan" {
			continue
		}
		c := geotext.SudanUnitCountry(rec[col["adm1.name"]])
		if c == "" {
			c = "SDN" // a unit of neither (Kurmuk's, in Ethiopia): the record's
		}
		loc := rec[col["location"]]
		if countries[loc] == nil {
			countries[loc] = map[string]bool{}
		}
		countries[loc][c] = true
	}
	var want []string
	for loc, cs := range countries {
		if cs["SSD"] && cs["SDN"] {
			t.Errorf("%s: sites recorded Sudan in both countries", loc)
		}
		if cs["SSD"] {
			want = append(want, loc)
		}
	}
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		t.Errorf("0067 lists %q, want %q", listed, want)
	}
}
