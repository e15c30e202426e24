package grid

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// gid of the PRIO-GRID cell at 1-based row, col.
func gidAt(row, col int) int { return (row-1)*PrioCols + col }

func TestPrioAdjacency(t *testing.T) {
	// region 1: a 2×2 block at rows 10–11, cols 10–11; region 2 shares an
	// edge with it (col 12); region 3 touches region 1 only at a corner
	// (row 9, col 9); region 4 is far away; region 5 touches region 4
	// across the antimeridian (col 720 vs col 1).
	cells := map[int]int{
		gidAt(10, 10): 1, gidAt(10, 11): 1, gidAt(11, 10): 1, gidAt(11, 11): 1,
		gidAt(10, 12):   2,
		gidAt(9, 9):     3,
		gidAt(100, 1):   4,
		gidAt(100, 720): 5,
	}
	tests := []struct {
		queen bool
		want  map[int][]int
	}{
		{false, map[int][]int{1: {2}, 2: {1}, 3: {}, 4: {5}, 5: {4}}},
		{true, map[int][]int{1: {2, 3}, 2: {1}, 3: {1}, 4: {5}, 5: {4}}},
	}
	for _, tt := range tests {
		if got := PrioAdjacency(cells, tt.queen); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("queen=%v: %v, want %v", tt.queen, got, tt.want)
		}
	}
}

// ll is the lon/lat of the corner at column boundary x, row boundary y.
func ll(x, y int) [2]float64 { return vertex{x, y}.lonLat() }

func TestPrioOutline(t *testing.T) {
	// corners: cell (row r, col c) spans x c-1…c, y r-1…r
	tests := []struct {
		name  string
		cells []int
		want  [][][][2]float64
	}{
		{"one cell", []int{gidAt(1, 1)},
			[][][][2]float64{{{ll(0, 0), ll(1, 0), ll(1, 1), ll(0, 1), ll(0, 0)}}}},
		{"a row of three: one rectangle, collinear points dropped", []int{gidAt(1, 1), gidAt(1, 2), gidAt(1, 3)},
			[][][][2]float64{{{ll(0, 0), ll(3, 0), ll(3, 1), ll(0, 1), ll(0, 0)}}}},
		{"L shape", []int{gidAt(1, 1), gidAt(1, 2), gidAt(2, 1)},
			[][][][2]float64{{{ll(0, 0), ll(2, 0), ll(2, 1), ll(1, 1), ll(1, 2), ll(0, 2), ll(0, 0)}}}},
		{"diagonal pair: two polygons", []int{gidAt(1, 1), gidAt(2, 2)},
			[][][][2]float64{
				{{ll(0, 0), ll(1, 0), ll(1, 1), ll(0, 1), ll(0, 0)}},
				{{ll(1, 1), ll(2, 1), ll(2, 2), ll(1, 2), ll(1, 1)}}}},
		{"3×3 ring: a hole, clockwise", []int{gidAt(1, 1), gidAt(1, 2), gidAt(1, 3), gidAt(2, 1), gidAt(2, 3), gidAt(3, 1), gidAt(3, 2), gidAt(3, 3)},
			[][][][2]float64{{
				{ll(0, 0), ll(3, 0), ll(3, 3), ll(0, 3), ll(0, 0)},
				{ll(1, 1), ll(1, 2), ll(2, 2), ll(2, 1), ll(1, 1)}}}},
		{"duplicates and invalid ids ignored", []int{gidAt(1, 1), gidAt(1, 1), 0, -3, PrioCols*PrioRows + 1},
			[][][][2]float64{{{ll(0, 0), ll(1, 0), ll(1, 1), ll(0, 1), ll(0, 0)}}}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		if got := PrioOutline(tt.cells); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, tt.want)
		}
	}
}

// TestPrioOutlineArea: for random sets of cells (with holes, diagonal
// contacts and islands) every ring is closed and the rings' areas, outer
// minus holes, add up to the cells' area; exteriors are counter-clockwise
// and holes clockwise.
func TestPrioOutlineArea(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for trial := range 200 {
		set := map[int]bool{}
		n := 1 + rng.IntN(12)
		for range n * n / 2 {
			set[gidAt(200+rng.IntN(n), 300+rng.IntN(n))] = true
		}
		var gids []int
		for g := range set {
			gids = append(gids, g)
		}
		mp := PrioOutline(gids)
		total := 0.0
		for _, pg := range mp {
			for k, r := range pg {
				if r[0] != r[len(r)-1] || len(r) < 5 {
					t.Fatalf("trial %d: ring not closed or too short: %v", trial, r)
				}
				a := 0.0
				for i := 0; i+1 < len(r); i++ {
					a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
				}
				a /= 2
				if (k == 0) != (a > 0) {
					t.Fatalf("trial %d: ring %d has signed area %v (exterior must be positive, holes negative)", trial, k, a)
				}
				total += a
			}
		}
		if want := float64(len(set)) * PrioSize * PrioSize; total != want {
			t.Fatalf("trial %d: %d cells, outline area %v, want %v", trial, len(set), total, want)
		}
	}
}

// FuzzPrioOutline: any set of cells (here from bytes, in a 16×16 window
// that straddles the antimeridian) gives closed rings whose areas add up to
// the cells' area, and never panics.
func FuzzPrioOutline(f *testing.F) {
	f.Add([]byte{0, 1, 16, 17})
	f.Add([]byte{0, 17, 34, 2, 32})
	f.Fuzz(func(t *testing.T, b []byte) {
		set := map[int]bool{}
		var gids []int
		for _, x := range b {
			g := gidAt(100+int(x>>4), (712+int(x&15))%PrioCols+1)
			gids = append(gids, g)
			set[g] = true
		}
		total := 0.0
		for _, pg := range PrioOutline(gids) {
			for _, r := range pg {
				if r[0] != r[len(r)-1] {
					t.Fatalf("ring not closed: %v", r)
				}
				for i := 0; i+1 < len(r); i++ {
					total += (r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]) / 2
				}
			}
		}
		if want := float64(len(set)) * PrioSize * PrioSize; total != want {
			t.Fatalf("%d cells, area %v, want %v", len(set), total, want)
		}
	})
}
