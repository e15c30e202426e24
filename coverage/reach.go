package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/geo"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
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
// (a country's months replace that country's default list). A refusal is
// invalid input (apperr) naming the file and the field, and the line for
// JSON that does not parse: "seasons.json: km.foot: 3000 km is out of
// range: want more than 0 and at most 2000".
func ReadSeasons(r io.Reader, name string) (ReachConfig, error) {
	c := DefaultReach()
	const limit = 1 << 20
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return c, apperr.At(name, 0, "", "cannot be read: "+err.Error())
	}
	if len(data) > limit {
		return c, apperr.At(name, 0, "", "is larger than 1 MiB: a seasons file is a small JSON object")
	}
	var in ReachConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return c, seasonsJSONError(name, data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return c, apperr.At(name, lineAt(data, dec.InputOffset()), "", "more JSON after the settings object: want one object")
	}
	if err := setPerMobility(c.KM, in.KM, name, "km", 2000, "%v km is out of range: want more than 0 and at most 2000"); err != nil {
		return c, err
	}
	if err := setPerMobility(c.RainyFactor, in.RainyFactor, name, "rainy_factor", 1, "%v is out of range: want a factor more than 0 and at most 1"); err != nil {
		return c, err
	}
	given := map[string]string{} // country key → the name that gave it
	for _, country := range slices.Sorted(maps.Keys(in.RainyMonths)) {
		field := "rainy_months." + country
		if strings.TrimSpace(country) == "" || len(country) > 100 {
			return c, apperr.At(name, 0, "rainy_months", fmt.Sprintf("the country name %q must be 1 to 100 characters", country))
		}
		ms := in.RainyMonths[country]
		seen := map[int]bool{}
		for _, mo := range ms {
			if mo < 1 || mo > 12 {
				return c, apperr.At(name, 0, field, fmt.Sprintf("%d is not a month: want 1 (January) to 12 (December)", mo))
			}
			if seen[mo] {
				return c, apperr.At(name, 0, field, fmt.Sprintf("month %d is listed twice", mo))
			}
			seen[mo] = true
		}
		key := CountryKey(country)
		if prev, twice := given[key]; twice {
			return c, apperr.At(name, 0, field, fmt.Sprintf("%q and %q are the same country (%s): give each country once", prev, country, key))
		}
		given[key] = country
		c.RainyMonths[key] = ms
	}
	return c, nil
}

// seasonsJSONError is the refusal of a seasons file (name, holding data)
// whose JSON the decoder (dec) refused with err: at the line, naming the
// field and what it wants in words, never Go's types.
func seasonsJSONError(name string, data []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.At(name, 0, "", `the JSON ends before the settings object does: want an object such as {"km": {"foot": 10}}`)
	case errors.As(err, &se):
		return apperr.AtLine(name, lineAt(data, se.Offset), apperr.FieldErr(apperr.KindInvalid, "", apperr.JSONReason(err)))
	case errors.As(err, &te):
		return apperr.At(name, lineAt(data, te.Offset), te.Field, fmt.Sprintf("%s given, want %s", jsonValueWord(te.Value), seasonsWant(te.Field, te.Type.Kind())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return apperr.At(name, lineAt(data, dec.InputOffset()), "", fmt.Sprintf("unknown field %s: want km, rainy_factor or rainy_months", strings.TrimPrefix(err.Error(), "json: unknown field ")))
	}
	return apperr.AtLine(name, 0, apperr.FieldErr(apperr.KindInvalid, "", apperr.JSONReason(err)))
}

// lineAt is the 1-based line of data's byte offset off.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// jsonValueWord is a JSON value, as encoding/json names it ("string",
// "number 7.5"), in words.
func jsonValueWord(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case strings.HasPrefix(v, "number "):
		return "the number " + strings.TrimPrefix(v, "number ")
	case v == "number":
		return "a number"
	}
	return "a value of another kind"
}

// seasonsWant is what the seasons file's field (a top-level member; ""
// for the file) wants where it holds a value of kind, in words.
func seasonsWant(field string, kind reflect.Kind) string {
	const byMobility, byCountry = `such as {"foot": 10}`, `such as {"Mali": [6, 7, 8, 9]}`
	switch {
	case field == "km" && kind == reflect.Float64:
		return "a number of kilometres for each mobility, " + byMobility
	case field == "rainy_factor" && kind == reflect.Float64:
		return "a factor (more than 0 and at most 1) for each mobility, " + byMobility
	case field == "km" || field == "rainy_factor":
		return "an object of numbers by mobility (foot, vehicle, air), " + byMobility
	case field == "rainy_months" && kind == reflect.Int:
		return "whole months 1 to 12 for each country, " + byCountry
	case field == "rainy_months" && kind == reflect.Slice:
		return "a list of months for each country, " + byCountry
	case field == "rainy_months":
		return "an object of months by country, " + byCountry
	}
	return "an object with km, rainy_factor or rainy_months"
}

// setPerMobility copies the values of field (read from file name) into dst,
// in the order of Mobilities: each key must be a known mobility and each
// value in (0, max] (refused with outOfRange, a format of the value).
func setPerMobility(dst, field map[Mobility]float64, name, key string, max float64, outOfRange string) error {
	for _, m := range slices.Sorted(maps.Keys(field)) {
		if !slices.Contains(Mobilities, m) {
			return apperr.At(name, 0, key+"."+string(m), "unknown mobility: want foot, vehicle or air")
		}
	}
	for _, m := range Mobilities {
		v, ok := field[m]
		if !ok {
			continue
		}
		if !(v > 0) || v > max {
			return apperr.At(name, 0, key+"."+string(m), fmt.Sprintf(outOfRange, v))
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
