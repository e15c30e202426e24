package coverage_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

func FuzzReadCSV(f *testing.F) {
	f.Add("id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility\ns1,T,tob,0.25,20.25,2020-01,2020-06-30,100,10,5,20,80,infantry;medical,foot\n")
	f.Add("id,mission,lat,lon,start,end\na,b,1e400,NaN,2020-00,x\n")
	f.Fuzz(func(t *testing.T, s string) {
		deps, err := coverage.ReadCSV(strings.NewReader(s), "f.csv", testCells(false))
		if err == nil {
			for _, d := range deps {
				if d.End < d.Start || d.Military < 0 {
					t.Fatalf("invalid deployment accepted: %+v", d)
				}
			}
		}
	})
}

func FuzzReadGeoJSON(f *testing.F) {
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[20.25,0.25]},"properties":{"id":"t1","mission":"T","start":"2021-02","end":"2021-04","military":60,"units":["infantry"]}}]}`)
	f.Add(`{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[1]}}]}`)
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[20.75,0.25]},"properties":{"id":"a","mission":"M","kind":"cob","start":"2020-01-15","end":"2020-03","military":10,"police":2,"civilian":1,"women":3,"men":9,"mobility":"foot","cost":1.5,"location":"L","country":"Aland"}}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		cells := testCells(false)
		deps, err := coverage.ReadGeoJSON(strings.NewReader(s), "f.geojson", cells)
		if err != nil {
			// Every refusal names the file, and a feature's its index.
			if !strings.HasPrefix(err.Error(), "f.geojson: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			again, err2 := coverage.ReadGeoJSON(strings.NewReader(s), "f.geojson", cells)
			if err2 == nil || err2.Error() != err.Error() || again != nil {
				t.Fatalf("refused %v, then %v", err, err2)
			}
			return
		}
		checkDeployments(t, deps, cells, "geojson")
		again, err := coverage.ReadGeoJSON(strings.NewReader(s), "f.geojson", cells)
		if err != nil || !reflect.DeepEqual(again, deps) {
			t.Fatalf("read twice: %v %+v, then %+v", err, deps, again)
		}
		// What was read, written as GeoJSON again, reads the same.
		back, err := coverage.ReadGeoJSON(bytes.NewReader(writeGeoJSON(t, deps)), "f.geojson", cells)
		if err != nil || !reflect.DeepEqual(back, deps) {
			t.Fatalf("round trip: %v\nread    %+v\nwritten %+v", err, deps, back)
		}
	})
}

// checkDeployments fails t unless every deployment read from a file is
// valid: it validates again unchanged, its cell is its position's, and ids
// are unique.
func checkDeployments(t *testing.T, deps []coverage.Deployment, cells *coverage.Cells, source string) {
	t.Helper()
	ids := map[string]bool{}
	for _, d := range deps {
		c := d
		if err := c.Validate(cells); err != nil || !reflect.DeepEqual(c, d) {
			t.Fatalf("invalid deployment accepted (%v): %+v", err, d)
		}
		if gid, err := grid.PrioGID(d.Lat, d.Lon); err != nil || gid != d.Cell || d.Source != source || d.SourceID == "" || ids[d.SourceID] {
			t.Fatalf("deployment accepted with cell %d (%v), source %q, id %q (seen %v): %+v", gid, err, d.Source, d.SourceID, ids[d.SourceID], d)
		}
		ids[d.SourceID] = true
	}
}

// writeGeoJSON writes deployments as ReadGeoJSON reads them: a Point
// feature each, the native columns as properties.
func writeGeoJSON(t *testing.T, deps []coverage.Deployment) []byte {
	feats := []any{}
	for _, d := range deps {
		props := map[string]any{"id": d.SourceID, "mission": d.Mission, "kind": string(d.Kind), "mobility": string(d.Mobility),
			"start": d.Start.String(), "end": d.End.String(), "military": d.Military, "police": d.Police, "civilian": d.Civilian,
			"women": d.Women, "men": d.Men, "cost": d.Cost, "location": d.Location, "country": d.Country, "units": d.Units}
		feats = append(feats, map[string]any{"type": "Feature", "properties": props,
			"geometry": map[string]any{"type": "Point", "coordinates": []float64{d.Lon, d.Lat}}})
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzReadGeoPKO(f *testing.F) {
	f.Add("mission,year,month,location,latitude,longitude,no.troops,inf,avia,hq,company,fpu,fpu.no\nM,2005,3,A,0.25,21.25,650,1,0,1,0,0,0\nM,2005,9,A,0.25,21.25,unknown,1,1,0,2,0,NA\n")
	f.Fuzz(func(t *testing.T, s string) {
		deps, err := coverage.ReadGeoPKO(strings.NewReader(s), "g.csv", testCells(false))
		if err == nil {
			for _, d := range deps {
				if d.End < d.Start {
					t.Fatalf("end before start: %+v", d)
				}
			}
		}
	})
}

func FuzzReadPrioCells(f *testing.F) {
	f.Add("priogrid_gid,gwno_prio2014,country,cell_center_lat,cell_center_lon,population,friction\n110579,490,DR Congo (Zaire),-13.25,29.25,1000,1.5\n")
	f.Add("gid,country\n1,A\n2,\"B, C\"\n\n259200,Mali\n")
	f.Add("cell,country,population\n5,X,\n6,Y,Inf\n")
	f.Fuzz(func(t *testing.T, s string) {
		cells, err := coverage.ReadPrioCells(strings.NewReader(s), "c.csv")
		if err != nil {
			// Bad input at the file's line (0: the file as a whole).
			if e := apperr.As(err); e == nil || !apperr.IsInvalid(err) || e.File != "c.csv" || !strings.HasPrefix(err.Error(), "c.csv:") {
				t.Fatalf("error does not name the file as bad input: %v", err)
			}
			return
		}
		// One cell per data record, each a real PRIO-GRID cell with its
		// centre, a finite population and a friction in 1..100 (or none).
		cr := csv.NewReader(strings.NewReader(s))
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil || cells.Len() != len(recs)-1 {
			t.Fatalf("%d cells from %d records (%v)", cells.Len(), len(recs)-1, err)
		}
		for _, c := range cells.All() {
			lat, lon, err := grid.PrioCenter(c.GID)
			if err != nil || lat != c.Lat || lon != c.Lon || c.Key != coverage.CountryKey(c.Country) {
				t.Fatalf("cell accepted with centre %v,%v (want %v,%v: %v), key %q: %+v", c.Lat, c.Lon, lat, lon, err, c.Key, c)
			}
			if !(c.Population >= 0) || math.IsInf(c.Population, 0) || (c.Friction != 0 && !(c.Friction >= 1 && c.Friction <= 100)) {
				t.Fatalf("cell accepted with population %v, friction %v: %+v", c.Population, c.Friction, c)
			}
		}
		again, err := coverage.ReadPrioCells(strings.NewReader(s), "c.csv")
		if err != nil || !reflect.DeepEqual(again.All(), cells.All()) {
			t.Fatalf("read twice: %v", err)
		}
		// The cells written as a cell list read the same.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"priogrid_gid", "country", "population", "friction"})
		for _, c := range cells.All() {
			fr := "" // none
			if c.Friction != 0 {
				fr = strconv.FormatFloat(c.Friction, 'g', -1, 64)
			}
			w.Write([]string{strconv.Itoa(c.GID), c.Country, strconv.FormatFloat(c.Population, 'g', -1, 64), fr})
		}
		w.Flush()
		back, err := coverage.ReadPrioCells(&buf, "c.csv")
		if err != nil || !reflect.DeepEqual(back.All(), cells.All()) {
			t.Fatalf("round trip: %v\nread    %+v\nwritten %+v", err, cells.All(), back)
		}
	})
}

func FuzzReadSeasons(f *testing.F) {
	f.Add(`{"km":{"foot":12},"rainy_factor":{"vehicle":0.4},"rainy_months":{"Mali":[7,8]}}`)
	f.Add(`{"rainy_months":{"Mali":[7],"MLI":[8]}}`)
	f.Add(`{"km":{"air":2000,"boat":3},"rainy_months":{"Atlantis":[]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := coverage.ReadSeasons(strings.NewReader(s), "s.json")
		if err != nil {
			// Bad input naming the file, always the same fault.
			if e := apperr.As(err); e == nil || !apperr.IsInvalid(err) || e.File != "s.json" || !strings.HasPrefix(err.Error(), "s.json") {
				t.Fatalf("error does not name the file as bad input: %v", err)
			}
			if _, again := coverage.ReadSeasons(strings.NewReader(s), "s.json"); again == nil || again.Error() != err.Error() {
				t.Fatalf("refused %v, then %v", err, again)
			}
			return
		}
		checkReach(t, c)
		again, err := coverage.ReadSeasons(strings.NewReader(s), "s.json")
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("read twice: %v\n%+v\n%+v", err, c, again)
		}
		// The settings written as JSON read the same.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := coverage.ReadSeasons(bytes.NewReader(b), "s.json")
		if err != nil || !reflect.DeepEqual(back, c) {
			t.Fatalf("round trip of %s: %v\nread    %+v\nwritten %+v", b, err, c, back)
		}
	})
}

// checkReach fails t unless c's distances are in (0, 2000] km, its rainy
// factors in (0, 1], for known mobilities, and its months in 1–12, each once.
func checkReach(t *testing.T, c coverage.ReachConfig) {
	t.Helper()
	for _, f := range []struct {
		vals map[coverage.Mobility]float64
		max  float64
	}{{c.KM, 2000}, {c.RainyFactor, 1}} {
		for m, v := range f.vals {
			if !slices.Contains(coverage.Mobilities, m) || !(v > 0 && v <= f.max) {
				t.Fatalf("accepted %q: %v (max %v)", m, v, f.max)
			}
		}
	}
	for country, ms := range c.RainyMonths {
		seen := map[int]bool{}
		for _, m := range ms {
			if m < 1 || m > 12 || seen[m] {
				t.Fatalf("accepted %s months %v", country, ms)
			}
			seen[m] = true
		}
	}
}
