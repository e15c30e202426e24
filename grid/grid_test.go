package grid

import "testing"

func TestPrioGID(t *testing.T) {
	tests := []struct {
		lat, lon float64
		want     int
	}{
		{0, 0, 129961},
		{1.55, 1.25, 132123},
		{-10.55, 20.23, 114161},
		{82, -102.99, 247835},
		{-90, -180, 1},
		{90, 180, 259200},
	}
	for _, tt := range tests {
		got, err := PrioGID(tt.lat, tt.lon)
		if err != nil || got != tt.want {
			t.Errorf("PrioGID(%v,%v) = %d, %v; want %d", tt.lat, tt.lon, got, err, tt.want)
		}
		r, _ := NewRegular(0.5)
		if c, _ := r.Cell(tt.lat, tt.lon); c != tt.want {
			t.Errorf("Regular(0.5).Cell(%v,%v) = %d; want %d", tt.lat, tt.lon, c, tt.want)
		}
	}
}

func TestPrioGIDBad(t *testing.T) {
	for _, p := range [][2]float64{{91, 0}, {-90.1, 0}, {0, 180.5}, {0, -181}} {
		if _, err := PrioGID(p[0], p[1]); err == nil {
			t.Errorf("PrioGID(%v) accepted", p)
		}
	}
}

func TestPrioCenterRoundTrip(t *testing.T) {
	for _, gid := range []int{1, 129961, 132123, 114161, 247835, 259200} {
		lat, lon, err := PrioCenter(gid)
		if err != nil {
			t.Fatal(err)
		}
		if g, _ := PrioGID(lat, lon); g != gid {
			t.Errorf("centre of %d maps to %d", gid, g)
		}
	}
	if _, _, err := PrioCenter(0); err == nil {
		t.Error("gid 0 accepted")
	}
}

func TestNeighbours(t *testing.T) {
	if n := PrioNeighbours(129961, 1); len(n) != 8 {
		t.Errorf("1 ring: %d cells", len(n))
	}
	if n := PrioNeighbours(129961, 2); len(n) != 24 {
		t.Errorf("2 rings: %d cells", len(n))
	}
	// Wraps across the antimeridian: column 1's west neighbour is column 720.
	n := PrioNeighbours(721, 1)
	found := false
	for _, g := range n {
		if g == 720 {
			found = true
		}
	}
	if !found {
		t.Errorf("no wrap: %v", n)
	}
}

func TestRegularFine(t *testing.T) {
	g, err := NewRegular(0.1)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := g.Cell(0.05, 0.05)
	lat, lon, _ := g.Center(id)
	if abs(lat-0.05) > 1e-9 || abs(lon-0.05) > 1e-9 {
		t.Errorf("centre %v,%v", lat, lon)
	}
	if _, err := NewRegular(0.7); err == nil {
		t.Error("0.7 accepted")
	}
}

func TestMonth(t *testing.T) {
	m, err := ParseMonth("2019-01")
	if err != nil || m.String() != "2019-01" || m.ViewsID() != 469 || FromViewsID(469) != m {
		t.Errorf("%v %v %d", m, err, m.ViewsID())
	}
	for _, bad := range []string{"2019-13", "19-01", "2019/01", ""} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
