package coverage

import (
	"encoding/json"
	"fmt"
	"github.com/vigil-project/vigil/internal/geo"
	"io"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/vigil-project/vigil/grid"
)

// ReachConfig says how far a site's troops can protect civilians.
//
// Defaults (DefaultReach) are planning assumptions, not doctrine; change them
// per mission:
//   - foot 10 km: a day's foot patrol out and back at about 4 km/h over
//     rough ground, with time on site (≈2.5 h each way).
//   - vehicle 50 km: about one PRIO-GRID cell (0.5° ≈ 55 km at the
//     equator), the distance at which the published Geo-PKO studies measure
//     presence (peacekeepers in the same grid cell: Fjelde, Hultman &
//     Nilsson 2019, "Protection Through Presence", International
//     Organization 73(1)); on the unpaved roads of these missions that is
//     one to two hours' drive.
//   - air 150 km: helicopter quick-reaction within about an hour including
//     preparation (≈ 150–200 km/h cruise).
//   - rainy season: vehicle reach × 0.5, foot × 0.7, air × 0.9, reflecting
//     the GAPO POC paper's point that mobility collapses in the rainy season
//     when armed groups attack more; rainy months per country are broad
//     climatological seasons (CAR and South Sudan May–October; Sudan/Darfur
//     and Mali June–September; Somalia Gu April–June and Deyr
//     October–November; DR Congo east, bimodal, March–May and
//     September–November). Load your own with ReadSeasons.
//   - friction: a per-cell factor ≥ 1 (Cell.Friction) multiplies the
//     distance into that cell (terrain, rivers, no roads).
type ReachConfig struct {
	KM          map[Mobility]float64 `json:"km"`
	RainyFactor map[Mobility]float64 `json:"rainy_factor"`
	RainyMonths map[string][]int     `json:"rainy_months"` // country key (CountryKey: ISO3) → months 1–12
}

// DefaultReach returns the documented defaults.
func DefaultReach() ReachConfig {
	return ReachConfig{
		KM:          map[Mobility]float64{Foot: 10, Vehicle: 50, Air: 150},
		RainyFactor: map[Mobility]float64{Foot: 0.7, Vehicle: 0.5, Air: 0.9},
		RainyMonths: map[string][]int{
			"CAF": {5, 6, 7, 8, 9, 10},  // Central African Republic
			"SSD": {5, 6, 7, 8, 9, 10},  // South Sudan
			"SDN": {6, 7, 8, 9},         // Sudan
			"MLI": {6, 7, 8, 9},         // Mali
			"SOM": {4, 5, 6, 10, 11},    // Somalia
			"COD": {3, 4, 5, 9, 10, 11}, // DR Congo
		},
	}
}

// ReadSeasons reads a JSON ReachConfig; fields given replace the defaults
// (a country's months replace that country's default list).
func ReadSeasons(r io.Reader, name string) (ReachConfig, error) {
	c := DefaultReach()
	var in ReachConfig
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return c, fmt.Errorf("%s: %v", name, err)
	}
	if err := setPerMobility(c.KM, in.KM, name, "km", 2000); err != nil {
		return c, err
	}
	if err := setPerMobility(c.RainyFactor, in.RainyFactor, name, "rainy_factor", 1); err != nil {
		return c, err
	}
	for country, ms := range in.RainyMonths {
		for _, mo := range ms {
			if mo < 1 || mo > 12 {
				return c, fmt.Errorf("%s: rainy_months.%s: month %d outside 1–12", name, country, mo)
			}
		}
		c.RainyMonths[CountryKey(country)] = ms
	}
	return c, nil
}

// setPerMobility copies the values of field (read from file name) into dst:
// each key must be a known mobility and each value in (0, max].
func setPerMobility(dst, field map[Mobility]float64, name, key string, max float64) error {
	for m, v := range field {
		if !slices.Contains(Mobilities, m) {
			return fmt.Errorf("%s: %s: unknown mobility %q", name, key, m)
		}
		if !(v > 0) || v > max {
			return fmt.Errorf("%s: %s.%s: %v must be in (0, %v]", name, key, m, v, max)
		}
		dst[m] = v
	}
	return nil
}

// Rainy reports whether month m is in the rainy season in country.
func (c ReachConfig) Rainy(key string, m grid.Month) bool {
	return slices.Contains(c.RainyMonths[key], m.Mon())
}

// KMFor returns the reach of a mobility in a country and month.
func (c ReachConfig) KMFor(mob Mobility, key string, m grid.Month) float64 {
	km := c.KM[mob]
	if c.Rainy(key, m) {
		if f, ok := c.RainyFactor[mob]; ok {
			km *= f
		}
	}
	return km
}

func (c ReachConfig) maxKM() float64 {
	var mx float64
	for _, v := range c.KM {
		mx = math.Max(mx, v)
	}
	return mx
}

// Model computes reach and coverage over a cell set.
type Model struct {
	Cells *Cells
	Reach ReachConfig

	// mu guards cache: a Model may be shared by concurrent requests.
	mu    sync.Mutex
	cache map[reachKey]*reachList
}

type reachKey struct {
	lat, lon float64
	mob      Mobility
}

// reachList holds the cells within the dry-season reach of a point with
// their effective distance (km × friction), sorted by distance.
type reachList struct {
	idx  []int32
	dist []float64
}

// NewModel returns a model over cells with the given reach.
func NewModel(cells *Cells, reach ReachConfig) *Model {
	return &Model{Cells: cells, Reach: reach, cache: map[reachKey]*reachList{}}
}

// maxReachCache bounds the reach lists a Model keeps.
const maxReachCache = 100_000

func (m *Model) reach(lat, lon float64, mob Mobility) *reachList {
	k := reachKey{lat, lon, mob}
	m.mu.Lock()
	r, ok := m.cache[k]
	m.mu.Unlock()
	if ok {
		return r
	}
	r = m.reachList(lat, lon, mob)
	m.mu.Lock()
	if len(m.cache) >= maxReachCache {
		// A shared model sees arbitrary planner candidates: bound memory.
		clear(m.cache)
	}
	m.cache[k] = r
	m.mu.Unlock()
	return r
}

func (m *Model) reachList(lat, lon float64, mob Mobility) *reachList {
	max := m.Reach.KM[mob]
	r := &reachList{}
	type pair struct {
		i int32
		d float64
	}
	var ps []pair
	// Cheap latitude prefilter: 1° latitude ≈ 111 km.
	for i, c := range m.Cells.list {
		if math.Abs(c.Lat-lat)*111 > max+40 {
			continue
		}
		d := geo.DistanceKM(lat, lon, c.Lat, c.Lon)
		// A site always reaches its own cell.
		if c.GID == prioGID(lat, lon) {
			d = 0
		}
		if c.Friction > 1 {
			d *= c.Friction
		}
		if d <= max {
			ps = append(ps, pair{int32(i), d})
		}
	}
	sort.Slice(ps, func(a, b int) bool { return ps[a].d < ps[b].d })
	for _, p := range ps {
		r.idx = append(r.idx, p.i)
		r.dist = append(r.dist, p.d)
	}
	return r
}

func prioGID(lat, lon float64) int {
	g, _ := grid.PrioGID(lat, lon)
	return g
}

// Reaches returns the gids a site at lat/lon with mobility can protect in
// month mo (seasonal multiplier of each target cell's country applied).
func (m *Model) Reaches(lat, lon float64, mob Mobility, mo grid.Month) []int {
	r := m.reach(lat, lon, mob)
	var out []int
	for k, i := range r.idx {
		c := m.Cells.list[i]
		if r.dist[k] <= m.Reach.KMFor(mob, c.Country, mo) {
			out = append(out, c.GID)
		}
	}
	return out
}
