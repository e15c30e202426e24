package coverage

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// PopulationLayer describes the stored population layer.
type PopulationLayer struct {
	Name     string    `json:"name"`
	LoadedBy string    `json:"loaded_by"`
	LoadedAt time.Time `json:"loaded_at"`
}

// ServiceStore is what the coverage service reads and writes: deployments
// and scenarios (Store), the population layer, rainy-season settings, the
// change counters that tell when they (or the events) moved, and the
// conflict events.
type ServiceStore interface {
	Store
	events.Store
	CoverageVersions(ctx context.Context) (eventsVersion, coverageVersion int64, err error)
	Seasons(ctx context.Context) (map[string][]int, error)
	Population(ctx context.Context) ([]PopCell, *PopulationLayer, error)
	// SavePopulation replaces the population layer, DeletePopulation
	// removes it (false when none was loaded) and SaveSeasons stores
	// rainy months (nil: back to the default); each is audited as actor.
	SavePopulation(ctx context.Context, actor, name string, rows []PopCell) error
	DeletePopulation(ctx context.Context, actor string) (bool, error)
	SaveSeasons(ctx context.Context, actor string, months map[string][]int) error
}

// Service prepares coverage inputs for a store and caches them: the
// deployments, the conflict incidents and their recent-violence index, the
// population layer, the seasons, the analysis grid and the reach models
// built from them. Every call first reads the two change counters
// (events_version, bumped by event imports; coverage_version, bumped by
// deployment, population and season changes, in any process) and reloads
// only when either moved. Loading takes about half a second on the
// six-country grid (docs/benchmarks/coverage.md).
type Service struct {
	Store ServiceStore
	// Grid is the configured analysis grid (serve --coverage-cells). When nil the
	// grid is Reference plus the cells around every deployment and event
	// outside it, so a mission anywhere gets an analysis.
	Grid *Cells
	// Reference is a PRIO-GRID cell list with real country assignments
	// used for the countries it covers (the embedded six-country cells).
	Reference *Cells
	// NoCache makes every call load afresh (for benchmarks).
	NoCache bool
	// Forecast gives the risk of a month when a forecast is stored (nil:
	// the recent-violence risk always).
	Forecast ForecastSource
	// Places names the gap cells (nil: unnamed).
	Places Namer

	mu  sync.Mutex // one loader at a time
	cur *Prepared
}

// NewService returns a coverage service over store with a configured grid
// (nil: derived) and a reference cell list (may be nil).
func NewService(store ServiceStore, configured, reference *Cells) *Service {
	return &Service{Store: store, Grid: configured, Reference: reference}
}

// Prepared is one consistent snapshot of the coverage inputs, shared by
// concurrent requests and never modified after load except for the models
// map (guarded by mu) and the models' own reach caches (which lock
// themselves).
type Prepared struct {
	EventsVersion, CoverageVersion int64

	Cells    *Cells // the analysis grid, without population
	Reach    ReachConfig
	Stored   map[string][]int // season settings stored (by country)
	Deps     []Deployment
	Inc      []Incident
	Recent   *RecentViolence
	Pop      []PopCell
	PopMeta  *PopulationLayer
	PopYears []int

	mu     sync.Mutex
	models map[int]*Model // by layer year (-1 = no population layer)
}

// Model returns the reach model for month mo: the grid carrying the
// population layer's year for mo (see LayerYear), built once.
func (p *Prepared) Model(mo grid.Month) *Model {
	key := -1
	if len(p.Pop) > 0 {
		key = 0
		if mo != 0 {
			key = LayerYear(p.PopYears, mo.Year())
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if m, ok := p.models[key]; ok {
		return m
	}
	cells := p.Cells
	if key >= 0 {
		cells = cells.WithPopulation(p.Pop, key)
	}
	m := NewModel(cells, p.Reach)
	p.models[key] = m
	return m
}

// MissionCountries are the countries where deployments are active in month
// mo (any month when mo is 0): where new sites may be proposed.
func (p *Prepared) MissionCountries(mo grid.Month) []string {
	return MissionCountries(p.Deps, p.Cells, mo)
}

// MissionCountries are the countries of the deployments active in month mo
// (any month when mo is 0), from the deployments' own country or, when they
// carry none, the country of the grid cell they sit in.
func MissionCountries(deps []Deployment, cells *Cells, mo grid.Month) []string {
	seen := map[string]bool{}
	var out []string
	for k := range deps {
		d := &deps[k]
		if mo != 0 && !d.Active(mo) {
			continue
		}
		country := d.Country
		if country == "" && cells != nil {
			if c, ok := cells.Get(d.Cell); ok {
				country = c.Country
			}
		}
		if country != "" && !seen[country] {
			seen[country] = true
			out = append(out, country)
		}
	}
	sort.Strings(out)
	return out
}

// Prepare returns current prepared inputs, from the cache when neither
// change counter moved since they were loaded.
func (s *Service) Prepare(ctx context.Context) (*Prepared, error) {
	ev, cv, err := s.Store.CoverageVersions(ctx)
	if err != nil {
		return nil, err
	}
	if s.NoCache {
		return s.load(ctx, ev, cv)
	}
	// One loader at a time: concurrent requests after a change wait for the
	// same reload instead of each doing it.
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cur; c != nil && c.EventsVersion == ev && c.CoverageVersion == cv {
		return c, nil
	}
	// The versions were read before the data, so a change committed in
	// between makes the snapshot newer than its tag, never older: the next
	// call sees a higher version and reloads.
	p, err := s.load(ctx, ev, cv)
	if err != nil {
		return nil, err
	}
	s.cur = p
	return p, nil
}

func (s *Service) load(ctx context.Context, ev, cv int64) (*Prepared, error) {
	p := &Prepared{EventsVersion: ev, CoverageVersion: cv, models: map[int]*Model{}}
	var err error
	if p.Stored, err = s.Store.Seasons(ctx); err != nil {
		return nil, err
	}
	if p.Pop, p.PopMeta, err = s.Store.Population(ctx); err != nil {
		return nil, err
	}
	p.PopYears = PopulationYears(p.Pop)
	if p.Deps, err = s.Store.Deployments(ctx, DeploymentFilter{}); err != nil {
		return nil, err
	}
	p.Inc, err = LoadIncidents(ctx, s.Store, events.Filter{Types: []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}})
	if err != nil {
		return nil, err
	}
	p.Recent = NewRecentViolence(p.Inc, 12)
	p.Cells = s.Grid
	if p.Cells == nil {
		p.Cells = DeriveGrid(s.Reference, p.Deps, p.Inc, p.Pop)
	}
	p.Reach = DefaultReach().WithSeasons(p.Stored)
	return p, nil
}

// gridMargin is how many rings of PRIO-GRID cells around a deployment or an
// event outside the reference grid join the derived analysis grid (2 rings
// of 0.5° cells: about 110 km, beyond a foot patrol's reach).
const gridMargin = 2

// DeriveGrid is the analysis grid when none is configured: every reference
// cell of the countries that have deployments, events or population cells
// (the reference's own country assignments), plus, for places outside the
// reference, the PRIO-GRID cells around each deployment and event, labelled
// with its country. A mission anywhere gets an analysis of where it and the
// violence are; the reference (real PRIO-GRID country cells) is used where
// it has the country. With no data at all it is the whole reference, so the
// planner can be set up (seasons, population) before data arrives.
func DeriveGrid(reference *Cells, deps []Deployment, inc []Incident, pop []PopCell) *Cells {
	if len(deps) == 0 && len(inc) == 0 && len(pop) == 0 && reference != nil {
		return reference
	}
	type place struct {
		gid     int
		country string
	}
	var places []place
	for k := range deps {
		places = append(places, place{deps[k].Cell, deps[k].Country})
	}
	for k := range inc {
		places = append(places, place{inc[k].Cell, inc[k].Country})
	}
	used := map[string]bool{}
	byGID := map[int]Cell{}
	if reference != nil {
		for _, pc := range pop {
			if c, ok := reference.Get(pc.GID); ok {
				used[c.Country] = true
			}
		}
	}
	for _, pl := range places {
		if reference != nil {
			if c, ok := reference.Get(pl.gid); ok {
				used[c.Country] = true
				continue
			}
		}
		for _, g := range append([]int{pl.gid}, grid.PrioNeighbours(pl.gid, gridMargin)...) {
			if reference != nil && reference.Has(g) {
				continue
			}
			if _, ok := byGID[g]; ok {
				continue
			}
			lat, lon, err := grid.PrioCenter(g)
			if err != nil {
				continue
			}
			country := pl.country
			if country == "" {
				country = "unknown"
			}
			byGID[g] = Cell{GID: g, Country: country, Lat: lat, Lon: lon}
		}
	}
	var list []Cell
	if reference != nil {
		for _, c := range reference.All() {
			if used[c.Country] {
				list = append(list, c)
			}
		}
	}
	for _, c := range byGID {
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].GID < list[j].GID })
	return NewCells(list)
}
