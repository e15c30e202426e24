package coverage

import (
	"github.com/vigil-project/vigil/internal/geo"
	"math"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// Risk gives the risk of a cell in a month. A forecast (package forecast)
// plugs in by implementing it; RecentViolence is the fallback.
type Risk interface {
	CellRisk(cell int, m grid.Month) float64
}

// RiskFunc adapts a function to Risk.
type RiskFunc func(cell int, m grid.Month) float64

func (f RiskFunc) CellRisk(cell int, m grid.Month) float64 { return f(cell, m) }

// Incident is the part of a conflict event coverage needs.
type Incident struct {
	Cell     int
	Month    grid.Month
	Violence events.ViolenceType
	State    bool // perpetrator (side A) is a government's forces
	Deaths   int
	Country  string // as the event names it (labels cells outside the reference grid)
}

// FromEvents converts events; the perpetrator is a state when side A is
// "Government of …" (UCDP's naming of state actors).
func FromEvents(es []events.Event) []Incident {
	out := make([]Incident, 0, len(es))
	for i := range es {
		e := &es[i]
		cell := e.GridCell
		if cell == 0 {
			cell = prioGID(e.Lat, e.Lon)
		}
		out = append(out, Incident{Cell: cell, Month: e.Month(), Violence: e.Violence,
			State: strings.HasPrefix(strings.TrimSpace(e.SideA), "Government of"), Deaths: e.Best, Country: e.Country})
	}
	return out
}

// RecentViolence is the fallback risk: the number of conflict events (UCDP
// types 1–3) in the cell in the Window months before the month (default 12).
type RecentViolence struct {
	Window int
	counts map[int]map[grid.Month]int
}

// NewRecentViolence indexes incidents.
func NewRecentViolence(inc []Incident, window int) *RecentViolence {
	if window <= 0 {
		window = 12
	}
	r := &RecentViolence{Window: window, counts: map[int]map[grid.Month]int{}}
	for _, x := range inc {
		if x.Violence < events.StateBased || x.Violence > events.OneSided {
			continue
		}
		if r.counts[x.Cell] == nil {
			r.counts[x.Cell] = map[grid.Month]int{}
		}
		r.counts[x.Cell][x.Month]++
	}
	return r
}

func (r *RecentViolence) CellRisk(cell int, m grid.Month) float64 {
	cm := r.counts[cell]
	if cm == nil {
		return 0
	}
	n := 0
	for k := 1; k <= r.Window; k++ {
		n += cm[m-grid.Month(k)]
	}
	return float64(n)
}

// CellMonth is the coverage of one cell in one month.
type CellMonth struct {
	Cell       int     `json:"cell"`
	Country    string  `json:"country"`
	Month      string  `json:"month"`
	Covered    bool    `json:"covered"`
	Sites      int     `json:"sites"`     // sites reaching the cell
	Personnel  int     `json:"personnel"` // personnel of those sites
	Population float64 `json:"population,omitempty"`
	// PersonnelPer10k is personnel within reach per 10,000 people (only with
	// a population layer).
	PersonnelPer10k float64 `json:"personnel_per_10k,omitempty"`
	Risk            float64 `json:"risk"`
	UncoveredRisk   float64 `json:"uncovered_risk"`
	// Gap fields, for uncovered cells:
	Reason    string  `json:"reason,omitempty"` // "too far", "seasonal", "no site"
	NearestKM float64 `json:"nearest_km,omitempty"`
	NearestID string  `json:"nearest_site,omitempty"`
	GapScore  float64 `json:"gap_score,omitempty"` // risk × population (or risk)
}

// Gap reasons.
const (
	ReasonTooFar   = "too far"
	ReasonSeasonal = "seasonal"
	ReasonNoSite   = "no site"
)

// Month computes the coverage of every cell in month mo by the deployments
// active then. risk may be nil.
func (m *Model) Month(deps []Deployment, mo grid.Month, risk Risk) []CellMonth {
	n := m.Cells.Len()
	out := make([]CellMonth, n)
	dryCovered := make([]bool, n)
	nearest := make([]float64, n)
	nearestID := make([]string, n)
	for i := range nearest {
		nearest[i] = math.Inf(1)
	}
	siteCountries := map[string]bool{}
	// The sites active in mo, once (the nearest-site search below visits
	// them for every cell out of reach).
	var active []*Deployment
	for k := range deps {
		if deps[k].Active(mo) {
			active = append(active, &deps[k])
		}
	}
	keys := map[string]string{}
	for _, d := range active {
		if k, ok := m.siteKey(d, keys); ok {
			siteCountries[k] = true
		}
		r := m.reach(d.Lat, d.Lon, d.Mobility)
		for q, i := range r.idx {
			c := &m.Cells.list[i]
			dist := r.dist[q]
			dryCovered[i] = true
			if dist < nearest[i] {
				nearest[i], nearestID[i] = dist, d.SourceID
			}
			if dist <= m.Reach.KMFor(d.Mobility, c.Key, mo) {
				out[i].Covered = true
				out[i].Sites++
				out[i].Personnel += d.Personnel()
			}
		}
	}
	havePop := m.HasPopulation()
	for i, c := range m.Cells.list {
		o := &out[i]
		o.Cell, o.Country, o.Month, o.Population = c.GID, c.Country, mo.String(), c.Population
		if c.Population > 0 {
			o.PersonnelPer10k = float64(o.Personnel) / c.Population * 1e4
		}
		if risk != nil {
			o.Risk = risk.CellRisk(c.GID, mo)
		}
		if o.Covered {
			continue
		}
		o.UncoveredRisk = o.Risk
		switch {
		case dryCovered[i]:
			o.Reason = ReasonSeasonal
		case siteCountries[c.Key]:
			o.Reason = ReasonTooFar
		default:
			o.Reason = ReasonNoSite
		}
		if math.IsInf(nearest[i], 1) {
			// Not within any site's dry-season reach: find the nearest
			// active site by straight-line distance.
			for _, d := range active {
				if dist := geo.DistanceKM(c.Lat, c.Lon, d.Lat, d.Lon); dist < nearest[i] {
					nearest[i], nearestID[i] = dist, d.SourceID
				}
			}
		}
		if !math.IsInf(nearest[i], 1) {
			o.NearestKM, o.NearestID = math.Round(nearest[i]*10)/10, nearestID[i]
		}
		// With a population layer the gap score is risk × people (as the
		// planner's default weight), so an uncovered cell where nobody lives
		// drops out of the gap list; without one it is the risk.
		o.GapScore = o.Risk
		if havePop {
			o.GapScore = o.Risk * c.Population
		}
	}
	return out
}

// Gaps returns the uncovered cells with positive gap score, highest first
// (ties: more people, then lower gid), at most limit (0 = all).
func Gaps(cms []CellMonth, limit int) []CellMonth {
	var g []CellMonth
	for _, c := range cms {
		if !c.Covered && c.GapScore > 0 {
			g = append(g, c)
		}
	}
	sort.SliceStable(g, func(a, b int) bool {
		if g[a].GapScore != g[b].GapScore {
			return g[a].GapScore > g[b].GapScore
		}
		if g[a].Population != g[b].Population {
			return g[a].Population > g[b].Population
		}
		return g[a].Cell < g[b].Cell
	})
	if limit > 0 && len(g) > limit {
		g = g[:limit]
	}
	return g
}

// Panel is coverage of every cell over a range of months.
type Panel struct {
	From, To grid.Month
	covered  [][]bool            // [month-From][cell index]
	active   []map[string]string // per month: country key (Cell.Key) → mission with most sites there
}

// Panel computes coverage for each month in [from, to].
func (m *Model) Panel(deps []Deployment, from, to grid.Month) *Panel {
	p := &Panel{From: from, To: to}
	keys := map[string]string{}
	for mo := from; mo <= to; mo++ {
		cov := make([]bool, m.Cells.Len())
		missions := map[string]map[string]int{}
		for k := range deps {
			d := &deps[k]
			if !d.Active(mo) {
				continue
			}
			if k, ok := m.siteKey(d, keys); ok {
				if missions[k] == nil {
					missions[k] = map[string]int{}
				}
				missions[k][d.Mission]++
			}
			r := m.reach(d.Lat, d.Lon, d.Mobility)
			for q, i := range r.idx {
				if r.dist[q] <= m.Reach.KMFor(d.Mobility, m.Cells.list[i].Key, mo) {
					cov[i] = true
				}
			}
		}
		act := map[string]string{}
		for country, ms := range missions {
			best, bn := "", -1
			for name, n := range ms {
				if n > bn || (n == bn && name < best) {
					best, bn = name, n
				}
			}
			act[country] = best
		}
		p.covered = append(p.covered, cov)
		p.active = append(p.active, act)
	}
	return p
}

// Covered reports whether the cell (by index in the model's cells) is
// covered in month mo.
func (p *Panel) Covered(cellIdx int, mo grid.Month) bool {
	if mo < p.From || mo > p.To {
		return false
	}
	return p.covered[mo-p.From][cellIdx]
}

// Mission returns the mission with most sites in month mo in the country
// of key (a cell's Key, CountryKey of its name; "" if none).
func (p *Panel) Mission(key string, mo grid.Month) string {
	if mo < p.From || mo > p.To {
		return ""
	}
	return p.active[mo-p.From][key]
}

// HasPopulation reports whether the model's cells carry a population layer
// (any cell with people).
func (m *Model) HasPopulation() bool {
	for _, c := range m.Cells.list {
		if c.Population > 0 {
			return true
		}
	}
	return false
}
