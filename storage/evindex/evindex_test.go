package evindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
)

// TestEventIndexPaths checks the in-process index's two page strategies
// (collect-and-sort, walk-in-id-order) and its two cluster accumulators
// (dense grid, map) against a brute-force scan on random events.
func TestEventIndexPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const n = 5000
	countries := []string{"Mali", "Sudan", "DR Congo (Zaire)"}
	rows := make([]Row, n)
	for i := range n {
		lat, lon := rng.Float64()*40-20, rng.Float64()*60-10
		if i%50 == 0 {
			lat, lon = float64(rng.IntN(40)-20), float64(rng.IntN(60)-10) // on square edges
		}
		rows[i] = Row{ID: int64(i*3 + 1), Lat: lat, Lon: lon, Day: int32(17000 + rng.IntN(2000)), Best: int32(rng.IntN(20)),
			Cell: 1, Violence: uint8(1 + rng.IntN(3)), Country: countries[rng.IntN(3)], Source: []string{"a", "b"}[rng.IntN(2)]}
	}
	// Rows may come from the database in any order.
	rng.Shuffle(n, func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	bld := NewBuilder(1, 0)
	for i, r := range rows {
		if i%2 == 0 {
			bld.Add(r)
		} else {
			bld.AddBytes(r.ID, r.Lat, r.Lon, r.Day, r.Best, r.Cell, r.Violence, []byte(r.Country), []byte(r.CountryCode), []byte(r.Source))
		}
	}
	ix := bld.Build()
	for k := 1; k < n; k++ {
		if ix.id[ix.byID[k-1]] >= ix.id[ix.byID[k]] {
			t.Fatalf("byID not in id order at %d", k)
		}
	}
	byID := func() []int { // positions in id order
		p := make([]int, n)
		for k, pos := range ix.byID {
			p[k] = int(pos)
		}
		return p
	}()
	day := func(d int) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }
	for q := range 300 {
		f := events.Filter{}
		if q%4 != 0 {
			w, s := rng.Float64()*60-15, rng.Float64()*40-22
			f.BBox = &events.BBox{West: w, South: s, East: w + rng.Float64()*20, North: s + rng.Float64()*15}
			if q%7 == 0 {
				f.BBox = &events.BBox{West: float64(rng.IntN(30)), South: float64(rng.IntN(20) - 10)}
				f.BBox.East, f.BBox.North = f.BBox.West+float64(rng.IntN(5)), f.BBox.South+float64(rng.IntN(5))
			}
		}
		if q%3 == 0 {
			d0 := 17000 + rng.IntN(2000)
			f.From, f.To = day(d0), day(d0+rng.IntN(400))
		}
		if q%5 == 0 {
			f.Types = []events.ViolenceType{events.ViolenceType(1 + rng.IntN(3))}
		}
		if q%6 == 0 {
			f.Countries = []string{"mali"}
		}
		if q%8 == 0 {
			f.Source = "b"
		}
		m, err := Compile(f)
		if err != nil {
			t.Fatal(err)
		}
		b := m.bind(ix)
		after := int64(rng.IntN(3 * n))
		var want []int64
		for _, p := range byID {
			if ix.id[p] > after && b.match(ix, p) && len(want) < 50 {
				want = append(want, ix.id[p])
			}
		}
		for _, walk := range []int{0, 1 << 30} {
			if got := ix.page(b, after, 50, walk); !slices.Equal(got, want) {
				t.Fatalf("query %d %+v walk>%d:\n got %v\nwant %v", q, f, walk, got, want)
			}
		}
		// Clusters: dense (coarse) and map (fine) agree with brute force.
		for _, deg := range []float64{2, 0.0001} {
			got := ix.clusters(b, deg)
			type acc struct{ n, deaths int }
			bf := map[[2]int64]acc{}
			for p := range n {
				if b.match(ix, p) {
					k := [2]int64{int64((ix.lat[p] + 90) / deg), int64((ix.lon[p] + 180) / deg)}
					a := bf[k]
					a.n++
					a.deaths += int(ix.best[p])
					bf[k] = a
				}
			}
			tot, totBF := 0, 0
			for _, c := range got {
				tot += c.Count
			}
			for _, a := range bf {
				totBF += a.n
			}
			if len(got) != len(bf) || tot != totBF {
				t.Fatalf("query %d deg %v: %d clusters of %d events, brute force %d of %d", q, deg, len(got), tot, len(bf), totBF)
			}
		}
	}
}

// TestEventIndexDelta checks that merging an import's changes into the
// index gives the same index as rebuilding it from scratch.
func TestEventIndexDelta(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	build := func(rows map[int64]Row) *Index {
		ids := make([]int64, 0, len(rows))
		for id := range rows {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		b := NewBuilder(0, len(ids))
		for _, id := range ids {
			b.Add(rows[id])
		}
		return b.Build()
	}
	row := func(id int64) Row {
		return Row{ID: id, Lat: rng.Float64()*10 - 5, Lon: rng.Float64()*10 + 20, Day: int32(18000 + rng.IntN(30)),
			Best: int32(rng.IntN(9)), Cell: 7, Violence: uint8(rng.IntN(4)), Country: fmt.Sprintf("country %d", rng.IntN(int(id%50)+3)), Source: fmt.Sprintf("s%d", id/10)}
	}
	rows := map[int64]Row{}
	for id := int64(1); id <= 2000; id++ {
		rows[id] = row(id)
	}
	ix := build(rows)
	next := int64(2001)
	for round := range 20 {
		var delta []Row
		for range rng.IntN(40) {
			var r Row
			if rng.IntN(2) == 0 {
				r = row(next)
				next++
			} else {
				r = row(1 + rng.Int64N(next-1))
			}
			rows[r.ID] = r
			delta = append(delta, r)
		}
		ix = ix.WithDelta(delta, int64(round+1))
		want := build(rows)
		flat := func(x *Index) string {
			var b []string
			for _, p := range x.byID {
				b = append(b, fmt.Sprint(x.id[p], x.lat[p], x.lon[p], x.day[p], x.best[p], x.vio[p], x.strs[x.country[p]], x.strs[x.source[p]]))
			}
			return fmt.Sprint(b, x.squareAt[len(x.squareAt)-1])
		}
		if flat(ix) != flat(want) {
			t.Fatalf("round %d: delta index differs from a rebuilt one", round)
		}
		// Runs are still ordered by square and day.
		for s := 0; s+1 < len(ix.squareAt); s++ {
			for p := int(ix.squareAt[s]); p < int(ix.squareAt[s+1]); p++ {
				if square(ix.lat[p], ix.lon[p]) != s || (p > int(ix.squareAt[s]) && ix.day[p] < ix.day[p-1]) {
					t.Fatalf("round %d: position %d out of order", round, p)
				}
			}
		}
	}
}
