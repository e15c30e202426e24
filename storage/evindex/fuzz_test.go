package evindex

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// FuzzQuery: any filter the API can pass (box, dates, types, countries,
// source, cursor, limit, cluster size) either is refused with an
// invalid-input *apperr.Error or answers without panicking, with a page in id order
// after the cursor and clusters that count exactly the matching events.
func FuzzQuery(f *testing.F) {
	rng := rand.New(rand.NewPCG(9, 9))
	b := NewBuilder(1, 3000)
	for i := range 3000 {
		b.Add(Row{ID: int64(i + 1), Lat: rng.Float64()*180 - 90, Lon: rng.Float64()*360 - 180, Day: int32(rng.IntN(20000)),
			Best: int32(rng.IntN(5)), Violence: uint8(rng.IntN(4)), Country: []string{"Mali", "Sudan"}[i%2], Source: []string{"a", "b"}[i%3%2]})
	}
	ix := b.Build()
	f.Add(-10.0, -5.0, 20.0, 15.0, true, int64(0), int64(0), 1, "mali", "a", int64(0), 100, 0.5)
	f.Add(-180.0, -90.0, 180.0, 90.0, true, int64(-1e12), int64(1e12), 300, "", "", int64(-5), -1, 180.0)
	f.Add(0.0, 0.0, 0.0, 0.0, false, int64(5000*86400), int64(1), -1, "x", "zz", int64(1e18), 1<<30, 1e-9)
	f.Fuzz(func(t *testing.T, west, south, east, north float64, hasBox bool, from, to int64, typ int, country, source string, after int64, limit int, cell float64) {
		fl := events.Filter{Source: source}
		if hasBox {
			fl.BBox = &events.BBox{West: west, South: south, East: east, North: north}
		}
		if from != 0 {
			fl.From = time.Unix(from, 0).UTC()
		}
		if to != 0 {
			fl.To = time.Unix(to, 0).UTC()
		}
		if typ >= 0 {
			fl.Types = []events.ViolenceType{events.ViolenceType(typ)}
		}
		if country != "" {
			fl.Countries = []string{country}
		}
		q, err := Compile(fl)
		if err != nil {
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) == "" {
				t.Fatalf("Compile: %v is not an invalid-input error naming a field", err)
			}
			return
		}
		limit = max(1, min(limit, 10000))
		page := ix.Page(q, after, limit)
		if len(page) > limit || !slices.IsSorted(page) || (len(page) > 0 && page[0] <= after) {
			t.Fatalf("page %v (after %d, limit %d)", page, after, limit)
		}
		cs, err := ix.Clusters(q, cell)
		if err != nil {
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) != "cell" {
				t.Fatalf("Clusters: %v", err)
			}
			return
		}
		n, all := 0, ix.Page(q, -1<<62, ix.Len())
		for _, c := range cs {
			n += c.Count
		}
		if n != len(all) {
			t.Fatalf("clusters count %d events, the page %d", n, len(all))
		}
		months := 0
		for _, cm := range ix.CellMonths(q, nil) {
			for _, k := range cm.Counts {
				months += k
			}
		}
		if months != len(all) {
			t.Fatalf("cell-months count %d events, the page %d", months, len(all))
		}
	})
}
