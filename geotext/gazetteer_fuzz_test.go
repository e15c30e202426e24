package geotext_test

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/geotext"
)

// FuzzGazetteer loads arbitrary gazetteer CSVs (an operator's file) and
// matches arbitrary free text (a reporter's message) against them: no input
// panics, a loaded gazetteer has a name and an in-range location for every
// place, and every match names a loaded place.
func FuzzGazetteer(f *testing.F) {
	real, err := os.ReadFile("testdata/gazetteer.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(real), "Armed men seen near Djugu market, 1°33'N 30°15'E")
	f.Add("name,lat,lon,alternate_names,admin1\nBunia,1.5667,30.25,Bunya;Bounia,CD54\n", "gunfire in BUNYA and bunia")
	f.Add("\ufeffName;Lat;Lon\nx,1,2\n", "x")
	f.Add("name,latitude,longitude\nSaint-Étienne,45.43,4.39\n", "near saint etienne")
	f.Add("name,lat,lon\n\"a\nb\",91,0\n", "")
	f.Add("name,lat,lon,alt_names\nA,0,0,\"|,;\"\n", "a a a a a a a a a a")
	f.Fuzz(func(t *testing.T, gazCSV, text string) {
		g, err := geotext.LoadGazetteer(strings.NewReader(gazCSV), "g.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "g.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			geotext.Resolve(text, nil)
			return
		}
		for _, p := range g.Places {
			if p.Name == "" || math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
				t.Fatalf("accepted place %+v", p)
			}
		}
		for _, m := range g.FindPlaces(text) {
			if m.Text == "" || len(m.Places) == 0 {
				t.Fatalf("empty match %+v in %q", m, text)
			}
			for _, p := range m.Places {
				if p.ID < 1 || p.ID > len(g.Places) {
					t.Fatalf("match %+v names no loaded place", m)
				}
			}
		}
		geotext.Resolve(text, g)
		g.Lookup(text)
	})
}
