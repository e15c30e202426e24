package alerts

import (
	"math"
	"time"

	"github.com/vigil-project/vigil/internal/geo"
)

// Incident grouping: an alert joins the nearest open incident within
// Grouping.RadiusM whose last alert is within Grouping.Window, or opens a
// new one. The store finds the candidates (open incidents in the area
// Search returns) inside the transaction that stores the alert and asks
// Join which one to join, so the rule lives here and the store only
// queries.

// metresPerDegreeLat converts the radius into degrees of latitude for the
// search box, as grouping always has. A degree of latitude on the mean
// earth (geo.EarthRadiusM) is 111,195 m, so the box reaches about 0.1% short
// of RadiusM due north and south: an incident in that last sliver (5 m of
// the default 5 km) is not found. Kept so grouping stays as it was; see
// TestGroupingSearchBox.
const metresPerDegreeLat = 111320

// SearchArea is where an alert's candidate incidents are: open incidents
// positioned inside the box whose last alert is at or after Since.
type SearchArea struct {
	South, North, West, East float64
	Since                    time.Time
}

// IncidentCandidate is an open incident the store found in an alert's
// SearchArea.
type IncidentCandidate struct {
	ID       int64
	Lat, Lon float64
}

// enabled reports whether grouping is on (a radius and a window).
func (g Grouping) enabled() bool { return g.RadiusM > 0 && g.Window > 0 }

// halfBox is the search box's half height and half width in degrees at
// latitude lat. The width grows towards the poles (capped at cos = 0.01).
func (g Grouping) halfBox(lat float64) (dLat, dLon float64) {
	dLat = g.RadiusM / metresPerDegreeLat
	return dLat, dLat / math.Max(0.01, math.Cos(lat*math.Pi/180))
}

// Search returns the area holding every incident a could join; ok is false
// when a can join none (no position, or grouping off), and a then opens a
// new incident.
func (g Grouping) Search(a *Alert) (area SearchArea, ok bool) {
	l := a.Location
	if l.Lat == nil || l.Lon == nil || !g.enabled() {
		return SearchArea{}, false
	}
	dLat, dLon := g.halfBox(*l.Lat)
	return SearchArea{South: *l.Lat - dLat, North: *l.Lat + dLat, West: *l.Lon - dLon, East: *l.Lon + dLon,
		Since: a.ReceivedAt.Add(-g.Window)}, true
}

// Join returns the ID of the incident a joins among the candidates found in
// its SearchArea: the nearest within RadiusM by great-circle distance (the
// first listed on a tie), or 0 when none is that near and a opens a new
// incident.
func (g Grouping) Join(a *Alert, candidates []IncidentCandidate) int64 {
	l := a.Location
	if l.Lat == nil || l.Lon == nil || !g.enabled() {
		return 0
	}
	var id int64
	best := math.Inf(1)
	for _, c := range candidates {
		if d := geo.DistanceM(c.Lat, c.Lon, *l.Lat, *l.Lon); d <= g.RadiusM && d < best {
			best, id = d, c.ID
		}
	}
	return id
}

// Cells returns the cells of a grid (2·RadiusM of latitude on a side, as
// row and column from the origin) that a's search box touches. If alert q
// could join an incident opened by alert p, p lies in q's box, so both
// touch the cell holding p: a store that serialises writers per cell (the
// PostgreSQL advisory locks in storage) never lets two such alerts decide
// "no open incident nearby" at the same time. Nil when a can join none.
func (g Grouping) Cells(a *Alert) [][2]int64 {
	l := a.Location
	if l.Lat == nil || l.Lon == nil || !g.enabled() {
		return nil
	}
	dLat, dLon := g.halfBox(*l.Lat)
	cell := 2 * dLat
	var out [][2]int64
	for y := math.Floor((*l.Lat - dLat) / cell); y <= math.Floor((*l.Lat+dLat)/cell); y++ {
		for x := math.Floor((*l.Lon - dLon) / cell); x <= math.Floor((*l.Lon+dLon)/cell); x++ {
			out = append(out, [2]int64{int64(y), int64(x)})
		}
	}
	return out
}
