package performance

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/surveys"
)

// SurveySettings is what perception indicators read besides answers
// (implemented by *storage.DB).
type SurveySettings interface {
	Settings(ctx context.Context, formID string) (surveys.Settings, error)
	Margins(ctx context.Context, name string) (*surveys.Population, error)
}

// Inputs are the data an Engine computes from. Every field is optional:
// an indicator whose data is missing answers "no data" with the reason.
// Events and deployments come from the stores, or from the lists when a
// store is nil (files read by a command, tests).
type Inputs struct {
	Events         events.Store
	EventList      []events.Event
	Deployments    coverage.Store
	DeploymentList []coverage.Deployment
	// Cells is the PRIO-GRID cell set (with each cell's country) that
	// coverage is computed over.
	Cells     *coverage.Cells
	Reach     *coverage.ReachConfig // nil: coverage.DefaultReach
	Forecasts forecast.Store
	Alerts    alerts.Store
	SLA       alerts.SLA // zero: alerts.DefaultSLA
	Surveys   *surveys.Service
	Settings  SurveySettings
	// Actor is recorded in the audit log when survey answers are read.
	Actor  string
	Manual []ManualValue
	// Integrity is the information-integrity store (content items,
	// narratives, checks).
	Integrity IntegrityStore
	// Now is the clock stamped on values (time.Now when nil).
	Now func() time.Time
}

// Engine computes indicator values. It loads each kind of data once, on
// first use, and is safe for concurrent use.
type Engine struct {
	in Inputs

	evOnce sync.Once
	ev     *eventData
	evErr  error

	depOnce sync.Once
	dep     *depData
	depErr  error

	covMu   sync.Mutex
	covered map[grid.Month][]bool // cell index → covered
	model   *coverage.Model
	recent  *coverage.RecentViolence
	risks   map[grid.Month][]float64 // recent-violence risk by cell index

	areaOnce  sync.Once
	cellArea  []string
	areasList []Area
	areasErr  error
	cellsSrc  Source

	itemsOnce sync.Once
	items     []ContentItem
	itemsSrc  Source
	itemsErr  error

	onsetOnce   sync.Once
	onsets      []coverage.Onset
	onsetMonths []grid.Month
}

// NewEngine returns an engine over in.
func NewEngine(in Inputs) *Engine {
	if in.Reach == nil {
		r := coverage.DefaultReach()
		in.Reach = &r
	}
	if in.SLA == (alerts.SLA{}) {
		in.SLA = alerts.DefaultSLA
	}
	e := &Engine{in: in, covered: map[grid.Month][]bool{}, risks: map[grid.Month][]float64{}}
	if in.Cells != nil {
		e.model = coverage.NewModel(in.Cells, *in.Reach)
	}
	return e
}

func (e *Engine) now() time.Time {
	if e.in.Now != nil {
		return e.in.Now().UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

// evRec is the part of an event the indicators need.
type evRec struct {
	mo       grid.Month
	area     string // ISO3; "" when the country is not in the table
	cell     int
	typ      events.ViolenceType
	best     int
	low      int
	high     int
	state    bool // side A is a government's forces
	incident coverage.Incident
}

type eventData struct {
	raw      []events.Event
	recs     []evRec
	inc      []coverage.Incident
	src      Source
	from, to grid.Month
	areas    map[string]bool
}

// loadEvents reads every event once.
func (e *Engine) events(ctx context.Context) (*eventData, error) {
	// Loaded once for every caller: a caller that goes away (a browser
	// request aborted) must not leave its cancellation as the engine's
	// error.
	ctx = context.WithoutCancel(ctx)
	e.evOnce.Do(func() {
		es := e.in.EventList
		if e.in.Events != nil {
			e.evErr = events.EachPage(ctx, e.in.Events, events.Filter{}, func(page []events.Event) error {
				es = append(es, page...)
				return nil
			})
			if e.evErr != nil {
				return
			}
		}
		e.ev = e.indexEvents(es)
	})
	return e.ev, e.evErr
}

func (e *Engine) indexEvents(es []events.Event) *eventData {
	d := &eventData{areas: map[string]bool{}, raw: es}
	type keyed struct {
		k string
		h [32]byte
	}
	hs := make([]keyed, 0, len(es))
	inc := coverage.FromEvents(es)
	for i := range es {
		x := &es[i]
		hs = append(hs, keyed{x.Source + "\x00" + x.SourceID, x.Hash()})
		cell := inc[i].Cell
		r := evRec{mo: x.Month(), cell: cell, typ: x.Violence, best: x.Best, low: x.Low, high: x.High,
			state: inc[i].State, incident: inc[i]}
		if a, ok := areaOf(x.Country); ok {
			r.area = a.Code
		} else if a, ok := areaOf(x.CountryCode); ok {
			r.area = a.Code
		} else if e.in.Cells != nil {
			if c, ok := e.in.Cells.Get(cell); ok {
				if a, ok := areaOf(c.Country); ok {
					r.area = a.Code
				}
			}
		}
		if r.area != "" {
			d.areas[r.area] = true
		}
		if i == 0 || r.mo < d.from {
			d.from = r.mo
		}
		if r.mo > d.to {
			d.to = r.mo
		}
		d.recs = append(d.recs, r)
	}
	d.inc = inc
	sort.SliceStable(d.recs, func(a, b int) bool { return d.recs[a].mo < d.recs[b].mo })
	sort.Slice(hs, func(a, b int) bool { return hs[a].k < hs[b].k })
	h := sha256.New()
	for _, x := range hs {
		h.Write(x.h[:])
	}
	d.src = Source{Name: "events", Rows: len(es), SHA256: hex.EncodeToString(h.Sum(nil))}
	if len(es) > 0 {
		d.src.Span = d.from.String() + ".." + d.to.String()
	}
	return d
}

// watchData loads the events, then the deployments: the withdrawal
// watch's two inputs.
func (e *Engine) watchData(ctx context.Context) (*eventData, *depData, error) {
	ev, err := e.events(ctx)
	if err != nil {
		return nil, nil, err
	}
	dep, err := e.deployments(ctx)
	if err != nil {
		return nil, nil, err
	}
	return ev, dep, nil
}

type depData struct {
	deps     []coverage.Deployment
	src      Source
	from, to grid.Month
}

func (e *Engine) deployments(ctx context.Context) (*depData, error) {
	ctx = context.WithoutCancel(ctx)
	e.depOnce.Do(func() {
		deps := e.in.DeploymentList
		if e.in.Deployments != nil {
			ds, err := e.in.Deployments.Deployments(ctx, coverage.DeploymentFilter{})
			if err != nil {
				e.depErr = err
				return
			}
			deps = append(append([]coverage.Deployment(nil), deps...), ds...)
		}
		d := &depData{deps: deps}
		keys := make([]string, len(deps))
		for i, x := range deps {
			keys[i] = fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%d\x00%v\x00%v\x00%d\x00%d\x00%d\x00%d\x00%d\x00%s\x00%s\x00%s",
				x.Source, x.SourceID, x.Mission, x.Start, x.End, x.Lat, x.Lon, x.Military, x.Police, x.Civilian, x.Women, x.Men,
				strings.Join(x.Units, " "), x.Mobility, x.Kind)
		}
		sort.Strings(keys)
		h := sha256.New()
		var b [8]byte
		for _, k := range keys {
			binary.LittleEndian.PutUint64(b[:], uint64(len(k)))
			h.Write(b[:])
			h.Write([]byte(k))
		}
		d.from, d.to = coverage.Span(deps)
		d.src = Source{Name: "deployments", Rows: len(deps), SHA256: hex.EncodeToString(h.Sum(nil))}
		if len(deps) > 0 {
			d.src.Span = d.from.String() + ".." + d.to.String()
		}
		e.dep = d
	})
	return e.dep, e.depErr
}

// coveredIn returns, for month mo, whether each cell (by index in the
// cell set) is within reach of a deployment active then.
func (e *Engine) coveredIn(deps []coverage.Deployment, mo grid.Month) []bool {
	e.covMu.Lock()
	defer e.covMu.Unlock()
	if c, ok := e.covered[mo]; ok {
		return c
	}
	var active []coverage.Deployment
	for _, d := range deps {
		if d.Active(mo) {
			active = append(active, d)
		}
	}
	p := e.model.Panel(active, mo, mo)
	cov := make([]bool, e.in.Cells.Len())
	for i := range cov {
		cov[i] = p.Covered(i, mo)
	}
	e.covered[mo] = cov
	return cov
}

// cellsSource describes the cell set.
func (e *Engine) cellsSource() Source {
	e.areaIndex()
	return e.cellsSrc
}

func (e *Engine) hashCells() Source {
	h := sha256.New()
	var b [8]byte
	for _, c := range e.in.Cells.All() {
		binary.LittleEndian.PutUint64(b[:], uint64(c.GID))
		h.Write(b[:])
		h.Write([]byte(c.Country))
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(c.Population))
		h.Write(b[:])
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(c.Friction))
		h.Write(b[:])
	}
	return Source{Name: "cells", Rows: e.in.Cells.Len(), SHA256: hex.EncodeToString(h.Sum(nil))}
}

// cellAreas returns the area code of each cell (by index).
func (e *Engine) cellAreas() []string {
	e.areaIndex()
	return e.cellArea
}

// areaIndex computes, once, each cell's area, the cell set's hash and the
// list of areas the data cover.
func (e *Engine) areaIndex() {
	e.areaOnce.Do(func() {
		seen := map[string]bool{}
		if e.in.Cells != nil {
			e.cellArea = make([]string, e.in.Cells.Len())
			byName := map[string]string{}
			for i, c := range e.in.Cells.All() {
				code, ok := byName[c.Country]
				if !ok {
					if a, ok := areaOf(c.Country); ok {
						code = a.Code
					}
					byName[c.Country] = code
				}
				e.cellArea[i] = code
				if code != "" {
					seen[code] = true
				}
			}
			e.cellsSrc = e.hashCells()
		}
		ev, err := e.events(context.Background())
		if err != nil {
			e.areasErr = err
			return
		}
		for a := range ev.areas {
			seen[a] = true
		}
		for code := range seen {
			a, _ := ParseArea(code)
			e.areasList = append(e.areasList, a)
		}
		sortAreas(e.areasList)
	})
}

// Areas lists the countries the data covers (the cell set's and the
// events'), by code.
func (e *Engine) Areas(ctx context.Context) ([]Area, error) {
	if _, err := e.events(ctx); err != nil {
		return nil, err
	}
	e.areaIndex()
	return append([]Area(nil), e.areasList...), e.areasErr
}

// covers reports whether the data covers area a.
func (e *Engine) covers(ctx context.Context, a Area) (bool, []Area, error) {
	if a.IsAll() {
		return true, nil, nil
	}
	as, err := e.Areas(ctx)
	if err != nil {
		return false, nil, err
	}
	for _, x := range as {
		if x.Code == a.Code {
			return true, as, nil
		}
	}
	return false, as, nil
}

func areaCodes(as []Area) string {
	var cs []string
	for _, a := range as {
		cs = append(cs, a.Code)
	}
	return strings.Join(cs, ", ")
}
