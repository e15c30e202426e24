package geo

import (
	"math"
	"testing"
)

func TestDistance(t *testing.T) {
	cases := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		wantKM, tolKM          float64
	}{
		{"same point", 1.5, 30.1, 1.5, 30.1, 0, 1e-9},
		// One degree of latitude on a sphere of mean radius: 2πR/360.
		{"one degree north", 0, 0, 1, 0, 2 * math.Pi * EarthRadiusM / 360 / 1000, 1e-9},
		// Bunia to Djugu (DR Congo), about 60 km apart.
		{"Bunia-Djugu", 1.5593, 30.2522, 1.9230, 30.5022, 48.9, 0.5},
		// Antipodes: half the circumference, no NaN from rounding.
		{"antipodes", 10, 20, -10, -160, math.Pi * EarthRadiusM / 1000, 1e-6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := DistanceKM(c.lat1, c.lon1, c.lat2, c.lon2)
			if math.IsNaN(got) || math.Abs(got-c.wantKM) > c.tolKM {
				t.Errorf("DistanceKM = %v, want %v ± %v", got, c.wantKM, c.tolKM)
			}
			if back := DistanceKM(c.lat2, c.lon2, c.lat1, c.lon1); math.Abs(back-got) > 1e-9 {
				t.Errorf("not symmetric: %v vs %v", got, back)
			}
		})
	}
}
