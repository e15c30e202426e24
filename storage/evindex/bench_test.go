package evindex

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
)

// benchN events spread over Africa (35°S–37°N, 18°W–52°E), start days in
// 1989–2024, a third of them in the DR Congo box, 40 countries, 3 sources.
const benchN = 1_000_000

var (
	benchOnce sync.Once
	benchRows []Row
	benchIx   *Index
)

var drc = events.BBox{West: 12.2, South: -13.5, East: 31.3, North: 5.4}

func benchData(b *testing.B) ([]Row, *Index) {
	benchOnce.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		d0 := int32(Day(time.Date(1989, 1, 1, 0, 0, 0, 0, time.UTC)))
		benchRows = make([]Row, benchN)
		for i := range benchRows {
			lat, lon := -35+rng.Float64()*72, -18+rng.Float64()*70
			if i%3 == 0 {
				lat, lon = drc.South+rng.Float64()*(drc.North-drc.South), drc.West+rng.Float64()*(drc.East-drc.West)
			}
			benchRows[i] = Row{ID: int64(i + 1), Lat: lat, Lon: lon, Day: d0 + int32(rng.IntN(36*365)), Best: int32(rng.IntN(10)),
				Cell: int32(i % 10000), Violence: uint8(1 + rng.IntN(3)), Country: fmt.Sprintf("country %d", rng.IntN(40)),
				Source: []string{"ucdp", "acled", "field"}[rng.IntN(3)]}
		}
		bl := NewBuilder(1, benchN)
		for _, r := range benchRows {
			bl.Add(r)
		}
		benchIx = bl.Build()
	})
	return benchRows, benchIx
}

// BenchmarkBuild: arranging a million events read in id order.
func BenchmarkBuild(b *testing.B) {
	rows, _ := benchData(b)
	b.ReportAllocs()
	for b.Loop() {
		bl := NewBuilder(1, len(rows))
		for _, r := range rows {
			bl.Add(r)
		}
		bl.Build()
	}
}

// BenchmarkPage: a page of 100 events in the DR Congo box over 12 months,
// then the same with no box (walk in id order).
func BenchmarkPage(b *testing.B) {
	_, ix := benchData(b)
	from := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		f    events.Filter
	}{
		{"drc-12-months", events.Filter{BBox: &drc, From: from, To: from.AddDate(1, 0, -1)}},
		{"world-all", events.Filter{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			q, err := Compile(c.f)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if len(ix.Page(q, 0, 100)) != 100 {
					b.Fatal("short page")
				}
			}
		})
	}
}

// BenchmarkClusters: the map's cluster requests — DR Congo at 0.5°, the
// whole set at 2°, DR Congo 2010–2018 for two violence types at 0.5°.
func BenchmarkClusters(b *testing.B) {
	_, ix := benchData(b)
	for _, c := range []struct {
		name string
		f    events.Filter
		deg  float64
	}{
		{"drc-0.5deg", events.Filter{BBox: &drc}, 0.5},
		{"world-2deg", events.Filter{}, 2},
		{"drc-2010-2018-two-types-0.5deg", events.Filter{BBox: &drc, From: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC), Types: []events.ViolenceType{1, 3}}, 0.5},
	} {
		b.Run(c.name, func(b *testing.B) {
			q, err := Compile(c.f)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if cs, err := ix.Clusters(q, c.deg); err != nil || len(cs) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWithDelta: merging an import of one changed event and of 1,000
// events into the million-event index.
func BenchmarkWithDelta(b *testing.B) {
	rows, ix := benchData(b)
	for _, n := range []int{1, 1000} {
		b.Run(fmt.Sprintf("%d-events", n), func(b *testing.B) {
			delta := make([]Row, n)
			for i := range delta {
				delta[i] = rows[i*7]
				delta[i].Best++
				if i%2 == 1 {
					delta[i].ID = benchN + int64(i) // new event
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				ix.WithDelta(delta, 2)
			}
		})
	}
}
