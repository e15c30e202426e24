package web

import (
	"context"
	"runtime"
	"sync"
	"weak"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/storage"
)

// Prepared coverage inputs, cached per database in this process: the
// deployments, the conflict incidents and their recent-violence index, the
// population layer, the seasons and the reach models built from them.
// Loading them takes about half a second on the six-country grid (see
// docs/benchmarks/coverage.md); every request first reads the two version
// counters (events_version, bumped by event imports; coverage_version,
// bumped by deployment, population and season changes — in any process) in
// one query and reloads only when either moved.

// covPrepared is one consistent snapshot of the coverage inputs. It is
// shared by concurrent requests and never modified after load except for
// the models map (guarded by mu) and the models' own reach caches (which
// lock themselves).
type covPrepared struct {
	evVer, covVer int64

	cells    *coverage.Cells // the grid, without population
	reach    coverage.ReachConfig
	stored   map[string][]int // season settings stored (by country)
	deps     []coverage.Deployment
	inc      []coverage.Incident
	recent   *coverage.RecentViolence
	pop      []coverage.PopCell
	popMeta  *storage.PopulationLayer
	popYears []int

	mu     sync.Mutex
	models map[int]*coverage.Model // by layer year (-1 = no population layer)
}

// model returns the reach model for month mo: the grid carrying the
// population layer's year for mo (see coverage.LayerYear), built once.
func (p *covPrepared) model(mo grid.Month) *coverage.Model {
	key := -1
	if len(p.pop) > 0 {
		key = 0
		if mo != 0 {
			key = coverage.LayerYear(p.popYears, mo.Year())
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if m, ok := p.models[key]; ok {
		return m
	}
	cells := p.cells
	if key >= 0 {
		cells = cells.WithPopulation(p.pop, key)
	}
	m := coverage.NewModel(cells, p.reach)
	p.models[key] = m
	return m
}

type covCacheSlot struct {
	mu  sync.Mutex
	cur *covPrepared
}

var (
	// covCaches maps weak.Pointer[storage.DB] → *covCacheSlot; an entry is
	// dropped when its database is garbage-collected (tests open many).
	covCaches sync.Map
	// covCacheOff makes every request load its inputs afresh (the
	// behaviour before the cache; used by the benchmark's "uncached" case).
	covCacheOff bool
)

// covPrepare returns current prepared inputs for db, from the cache when
// neither version counter moved since they were loaded.
func covPrepare(ctx context.Context, db *storage.DB) (*covPrepared, error) {
	ev, cv, err := db.CoverageVersions(ctx)
	if err != nil {
		return nil, err
	}
	if covCacheOff {
		return covLoadPrepared(ctx, db, ev, cv)
	}
	key := weak.Make(db)
	v, loaded := covCaches.LoadOrStore(key, &covCacheSlot{})
	if !loaded {
		runtime.AddCleanup(db, func(k weak.Pointer[storage.DB]) { covCaches.Delete(k) }, key)
	}
	slot := v.(*covCacheSlot)
	// One loader at a time: concurrent requests after a change wait for the
	// same reload instead of each doing it.
	slot.mu.Lock()
	defer slot.mu.Unlock()
	if c := slot.cur; c != nil && c.evVer == ev && c.covVer == cv {
		return c, nil
	}
	// The versions were read before the data, so a change committed in
	// between makes the snapshot newer than its tag, never older: the next
	// request sees a higher version and reloads.
	p, err := covLoadPrepared(ctx, db, ev, cv)
	if err != nil {
		return nil, err
	}
	slot.cur = p
	return p, nil
}

func covLoadPrepared(ctx context.Context, db *storage.DB, ev, cv int64) (*covPrepared, error) {
	cells, err := coverageCells()
	if err != nil {
		return nil, err
	}
	p := &covPrepared{evVer: ev, covVer: cv, cells: cells, models: map[int]*coverage.Model{}}
	if p.stored, err = db.Seasons(ctx); err != nil {
		return nil, err
	}
	p.reach = coverage.DefaultReach().WithSeasons(p.stored)
	if p.pop, p.popMeta, err = db.Population(ctx); err != nil {
		return nil, err
	}
	p.popYears = coverage.PopulationYears(p.pop)
	if p.deps, err = db.Deployments(ctx, coverage.DeploymentFilter{}); err != nil {
		return nil, err
	}
	p.inc, err = coverage.LoadIncidents(ctx, db, events.Filter{Types: []events.ViolenceType{events.StateBased, events.NonState, events.OneSided}})
	if err != nil {
		return nil, err
	}
	p.recent = coverage.NewRecentViolence(p.inc, 12)
	return p, nil
}
