package performance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/nonnil"
	"github.com/vigil-project/vigil/surveys"
)

type requestKey struct{}

// request is what a context says about the request values are computed
// for: on whose behalf and what for, and the survey answers it has read
// (each form's once, so the sensitive read is audited once per request).
type request struct {
	actor, purpose string

	mu   sync.Mutex
	rows map[string][]map[string]string // by form
}

// WithActor returns a context naming the user on whose behalf values are
// computed: survey answers read for perception indicators are audited
// under this name, once per form for all the values computed with the
// context (a request).
func WithActor(ctx context.Context, name string) context.Context {
	return withRequest(ctx, name, "performance indicator values")
}

// withRequest starts a request of actor for purpose (written in the
// survey-read audit entry).
func withRequest(ctx context.Context, actor, purpose string) context.Context {
	return context.WithValue(ctx, requestKey{}, &request{actor: actor, purpose: purpose, rows: map[string][]map[string]string{}})
}

func (e *Engine) actor(ctx context.Context) string {
	if r, ok := ctx.Value(requestKey{}).(*request); ok && r.actor != "" {
		return r.actor
	}
	return e.in.Actor
}

// surveyRows reads form's answers (Surveys.RowsFor, audited). Within a
// request (WithActor, a brief) each form is read and audited once, its
// rows kept for the request's other values; without one, on each call.
func (e *Engine) surveyRows(ctx context.Context, form string) ([]map[string]string, error) {
	r, ok := ctx.Value(requestKey{}).(*request)
	if !ok {
		return e.in.Surveys.RowsFor(ctx, e.actor(ctx), form, "")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if rows, ok := r.rows[form]; ok {
		return rows, nil
	}
	rows, err := e.in.Surveys.RowsFor(ctx, e.actor(ctx), form, r.purpose)
	if err == nil {
		r.rows[form] = rows
	}
	return rows, err
}

// Service computes indicator values from the other stores (as the vigil
// indicator commands do) and keeps results frameworks, compacts, recorded
// and manual values in Store. It is what the web API calls.
type Service struct {
	Store Store
	// The data the indicators read (each optional, as in Inputs).
	Events      events.Store
	Deployments coverage.Store
	Forecasts   forecast.Store
	Alerts      alerts.Store
	Surveys     *surveys.Service
	Settings    SurveySettings
	Integrity   IntegrityStore
	// Cells is the PRIO-GRID cell set coverage indicators use.
	Cells *coverage.Cells
	// Places, when set (the server's gazetteer index), names the cells of
	// the withdrawal watch and of the alerts to leadership (Withdrawal.Place,
	// Control.Place) by their nearest notable place.
	Places coverage.Namer
	// Version, when set, names the current state of the data (e.g.
	// storage.DB.PerformanceVersion: the events, coverage, alert, forecast,
	// survey and integrity change counters): the cached engine is rebuilt
	// as soon as it changes, so a triaged alert, a forecast refresh or an
	// import shows at once. The engine is also rebuilt after MaxAge
	// (default 10 minutes) and whenever a manual value is added.
	Version func(ctx context.Context) (string, error)
	MaxAge  time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Watch is the withdrawal watch's configuration.
	Watch WatchConfig
	// OnTrigger, when set, is called for each withdrawal whose trigger
	// fired and that was not announced before (see CheckWatch).
	OnTrigger func(ctx context.Context, w Withdrawal, rep *WatchReport) error
	// RecentMonths: CheckWatch alerts for withdrawals whose after-window
	// ends within this many months of the end of the events data
	// (default 6).
	RecentMonths int

	mu      sync.Mutex
	eng     *Engine
	engAt   time.Time
	engVer  string
	watchMu sync.Mutex
	watch   *WatchReport
	watchE  *Engine
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Engine returns the current engine, built afresh when the data changed.
func (s *Service) Engine(ctx context.Context) (*Engine, error) {
	ver := ""
	if s.Version != nil {
		v, err := s.Version(ctx)
		if err != nil {
			return nil, err
		}
		ver = v
	}
	maxAge := s.MaxAge
	if maxAge == 0 {
		maxAge = 10 * time.Minute
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.eng != nil && s.engVer == ver && s.now().Sub(s.engAt) < maxAge {
		return s.eng, nil
	}
	in := Inputs{Events: s.Events, Deployments: s.Deployments, Forecasts: s.Forecasts, Alerts: s.Alerts,
		Surveys: s.Surveys, Settings: s.Settings, Integrity: s.Integrity, Cells: s.Cells, Actor: "performance", Now: s.Now}
	if s.Store != nil {
		ms, err := s.Store.ManualValues(ctx)
		if err != nil {
			return nil, err
		}
		in.Manual = ms
	}
	s.eng, s.engAt, s.engVer = NewEngine(in), s.now(), ver
	return s.eng, nil
}

func (s *Service) reset() {
	s.mu.Lock()
	s.eng = nil
	s.mu.Unlock()
}

// Areas lists the countries the data covers.
func (s *Service) Areas(ctx context.Context) ([]Area, error) {
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return e.Areas(ctx)
}

// Value computes one indicator for a period and area (all areas of the
// data, one value each, when area is empty), on behalf of actor.
func (s *Service) Value(ctx context.Context, actor string, r Request, eachArea bool) ([]Value, error) {
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	ctx = WithActor(ctx, actor)
	areas := []Area{r.Area}
	if d, ok := Lookup(r.Indicator); eachArea && ok && !d.AreaLess {
		if areas, err = e.Areas(ctx); err != nil {
			return nil, err
		}
		if len(areas) == 0 {
			areas = []Area{AllAreas}
		}
	}
	var out []Value
	for _, a := range areas {
		q := r
		q.Area, q.Params = a, copyParams(r.Params)
		vs, err := e.Compute(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// Frameworks lists the stored frameworks.
func (s *Service) Frameworks(ctx context.Context) ([]FrameworkInfo, error) {
	return nonnil.List(s.Store.Frameworks(ctx))
}

// Framework returns a mission's framework and revision.
func (s *Service) Framework(ctx context.Context, mission string) (*Framework, int, error) {
	return s.Store.Framework(ctx, mission)
}

// CheckMission validates a mission name (the key of a framework).
func CheckMission(m string) error {
	switch {
	case strings.TrimSpace(m) == "":
		return invalid("mission", "fw.empty")
	case len(m) > 100:
		return invalid("mission", "err.too-long", "max", 100)
	case strings.ContainsAny(m, "/\\?#\x00\n\r\t"):
		return invalid("mission", "err.mission-chars", "v", fmt.Sprintf("%q", m))
	}
	return nil
}

// SaveFramework validates f and stores it under f.Mission; ifRevision as
// in Store.SaveFramework (-1: unconditional). Errors name the JSON path.
func (s *Service) SaveFramework(ctx context.Context, actor string, f *Framework, ifRevision int) (int, error) {
	if err := CheckMission(f.Mission); err != nil {
		return 0, err
	}
	if err := f.Validate("framework"); err != nil {
		return 0, err
	}
	return s.Store.SaveFramework(ctx, actor, f, ifRevision)
}

// DeleteFramework removes a mission's framework.
func (s *Service) DeleteFramework(ctx context.Context, actor, mission string) error {
	return s.Store.DeleteFramework(ctx, actor, mission)
}

// ImportFramework reads a framework file (format "csv" or "json") for
// mission and stores it. A CSV carries indicators only: the mission's
// stored compacts are kept, and the commitments the CSV names must exist
// in them. Nothing is written when any row is wrong; errors name the line
// (or JSON path) and column.
func (s *Service) ImportFramework(ctx context.Context, actor, mission, format string, r io.Reader) (*Framework, int, error) {
	if err := CheckMission(mission); err != nil {
		return nil, 0, err
	}
	var f *Framework
	var err error
	switch format {
	case "json":
		f, err = ReadFrameworkJSON(r, "framework.json")
		if err != nil {
			return nil, 0, err
		}
		if f.Mission != "" && f.Mission != mission {
			return nil, 0, fieldErr("framework.json", 0, "mission", refuse("fw.other-mission", "of", fmt.Sprintf("%q", f.Mission), "mission", fmt.Sprintf("%q", mission)))
		}
	case "csv":
		f, err = ReadFrameworkCSV(r, "framework.csv")
		if err != nil {
			return nil, 0, err
		}
		old, _, err := s.Store.Framework(ctx, mission)
		switch {
		case errors.Is(err, ErrNoFramework):
		case err != nil:
			return nil, 0, err
		default:
			f.Compacts = old.Compacts
		}
		if err := f.Validate("framework.csv"); err != nil {
			return nil, 0, err
		}
	default:
		return nil, 0, invalid("format", "err.format", "v", fmt.Sprintf("%q", format))
	}
	f.Mission = mission
	rev, err := s.SaveFramework(ctx, actor, f, -1)
	return f, rev, err
}

// ExportFramework writes a mission's framework as csv (HXL-tagged,
// indicators only) or json (with compacts).
func (s *Service) ExportFramework(ctx context.Context, mission, format string, w io.Writer) error {
	if format != "csv" && format != "json" {
		return invalid("format", "err.format", "v", fmt.Sprintf("%q", format))
	}
	f, _, err := s.Store.Framework(ctx, mission)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "csv" {
		err = f.WriteCSV(&buf)
	} else {
		err = f.WriteJSON(&buf)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// Status computes every indicator of a mission's framework for period p
// with its honest status against the target and its trend against the
// period before.
func (s *Service) Status(ctx context.Context, actor, mission string, p Period) ([]IndicatorStatus, error) {
	f, _, err := s.Store.Framework(ctx, mission)
	if err != nil {
		return nil, err
	}
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	return nonnil.List(e.Status(WithActor(ctx, actor), f, p))
}

// Record computes a mission's framework for period p and stores the
// values with their provenance; it returns what it recorded.
func (s *Service) Record(ctx context.Context, actor, mission string, p Period) ([]IndicatorStatus, error) {
	st, err := s.Status(ctx, actor, mission, p)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(st))
	vs := make([]Value, len(st))
	for i, x := range st {
		ids[i], vs[i] = x.ID, x.Value
	}
	if err := s.Store.RecordValues(ctx, actor, mission, ids, vs); err != nil {
		return nil, err
	}
	return st, nil
}

// Recorded returns recorded values.
func (s *Service) Recorded(ctx context.Context, f ValueFilter) ([]Recorded, error) {
	return nonnil.List(s.Store.RecordedValues(ctx, f))
}

// AddManual validates and stores a manual value entered by actor.
func (s *Service) AddManual(ctx context.Context, actor string, m ManualValue) (ManualValue, error) {
	m.EnteredBy = actor
	m.EnteredAt = s.now().Format(time.RFC3339)
	if err := m.Validate(); err != nil {
		return m, err
	}
	if _, err := s.Store.AddManualValue(ctx, actor, m); err != nil {
		return m, err
	}
	s.reset()
	return m, nil
}

// ManualValues lists the values entered by hand.
func (s *Service) ManualValues(ctx context.Context) ([]ManualValue, error) {
	return nonnil.List(s.Store.ManualValues(ctx))
}

// Compacts returns a mission's compacts.
func (s *Service) Compacts(ctx context.Context, mission string) ([]Compact, error) {
	f, _, err := s.Store.Framework(ctx, mission)
	if err != nil {
		return nil, err
	}
	if f.Compacts == nil {
		return []Compact{}, nil
	}
	return f.Compacts, nil
}

// SaveCompact adds or replaces (by id) one compact of a mission's
// framework (creating an empty framework when there is none).
func (s *Service) SaveCompact(ctx context.Context, actor, mission string, c Compact) (*Framework, int, error) {
	if err := CheckMission(mission); err != nil {
		return nil, 0, err
	}
	f, rev, err := s.Store.Framework(ctx, mission)
	if errors.Is(err, ErrNoFramework) {
		f, rev, err = &Framework{Mission: mission, Objectives: []Objective{}}, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if i := slices.IndexFunc(f.Compacts, func(x Compact) bool { return x.ID == c.ID }); i >= 0 {
		f.Compacts[i] = c
	} else {
		f.Compacts = append(f.Compacts, c)
	}
	nrev, err := s.SaveFramework(ctx, actor, f, rev)
	return f, nrev, err
}

// SetCommitmentStatus appends a status change to a commitment's history.
func (s *Service) SetCommitmentStatus(ctx context.Context, actor, mission, commitment string, ch StatusChange) (*Commitment, error) {
	f, rev, err := s.Store.Framework(ctx, mission)
	if err != nil {
		return nil, err
	}
	if ch.Date == "" {
		ch.Date = s.now().Format("2006-01-02")
	}
	ch.By = actor
	for ci := range f.Compacts {
		for ki := range f.Compacts[ci].Commitments {
			k := &f.Compacts[ci].Commitments[ki]
			if k.ID != commitment {
				continue
			}
			k.History = append(k.History, ch)
			if _, err := s.SaveFramework(ctx, actor, f, rev); err != nil {
				var fe *FieldErr
				if errors.As(err, &fe) && strings.Contains(fe.Column, ".history[") {
					field := "status"
					if strings.HasSuffix(fe.Column, ".date") {
						field = "date"
					}
					return nil, invalidErr(field, fe.reason())
				}
				return nil, err
			}
			return k, nil
		}
	}
	return nil, invalid("commitment", "err.no-commitment", "id", fmt.Sprintf("%q", commitment), "mission", mission)
}

// Owed is what one party of a compact owes: its commitments with their
// latest status.
type Owed struct {
	Compact     string     `json:"compact"`
	Party       Party      `json:"party"`
	Commitments []OwedItem `json:"commitments"`
}

// OwedItem is one commitment and its latest status.
type OwedItem struct {
	Commitment
	Status  string `json:"status"`
	Overdue bool   `json:"overdue"`
}

// Owes lists, for each party of each compact, its commitments with their
// latest status and whether the deadline passed before it was met.
func (s *Service) Owes(ctx context.Context, mission string) ([]Owed, error) {
	cs, err := s.Compacts(ctx, mission)
	if err != nil {
		return nil, err
	}
	today := s.now().Format("2006-01-02")
	out := []Owed{}
	for _, c := range cs {
		for _, p := range c.Parties {
			o := Owed{Compact: c.ID, Party: p, Commitments: []OwedItem{}}
			for _, k := range c.Commitments {
				if k.Party != p.ID {
					continue
				}
				it := OwedItem{Commitment: k, Status: "not-started"}
				if n := len(k.History); n > 0 {
					it.Status = k.History[n-1].Status
				}
				it.Overdue = k.Deadline < today && it.Status != "met" && it.Status != "dropped"
				o.Commitments = append(o.Commitments, it)
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// WatchReport runs the withdrawal watch over the stored deployments and
// events (cached until the data change).
func (s *Service) WatchReport(ctx context.Context) (*WatchReport, error) {
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	s.watchMu.Lock()
	defer s.watchMu.Unlock()
	if s.watch != nil && s.watchE == e {
		return s.watch, nil
	}
	rep, err := e.Watch(ctx, s.Watch)
	if err != nil {
		return nil, err
	}
	name := s.placeNamer(ctx)
	for i := range rep.Withdrawals {
		name(&rep.Withdrawals[i])
	}
	s.watch, s.watchE = rep, e
	return rep, nil
}

// Brief builds the monthly brief for month m; with a mission, its
// framework's indicators with their status against the month's targets
// are included.
func (s *Service) Brief(ctx context.Context, actor string, m grid.Month, opt BriefOptions, mission string) (*Brief, error) {
	e, err := s.Engine(ctx)
	if err != nil {
		return nil, err
	}
	if mission != "" {
		f, _, err := s.Store.Framework(ctx, mission)
		if err != nil {
			return nil, err
		}
		opt.Framework = f
		if opt.Options, err = s.Options(ctx, mission); err != nil {
			return nil, err
		}
	}
	if opt.Watch == (WatchConfig{}) {
		opt.Watch = s.Watch
	}
	return e.BuildBrief(WithActor(ctx, actor), m, opt)
}

// LeadershipAlerts returns the withdrawal-watch triggers leadership was
// alerted to (CheckWatch), newest withdrawal first, with their evidence.
func (s *Service) LeadershipAlerts(ctx context.Context) ([]Trigger, error) {
	ts, err := s.Store.Triggers(ctx, true, 50)
	if ts == nil && err == nil {
		ts = []Trigger{}
	}
	name := s.placeNamer(ctx)
	for i := range ts {
		name(&ts[i].Withdrawal)
		s.alertWords(&ts[i])
	}
	return ts, err
}

// alertWords gives a leadership alert its plain words and its figures
// (AlertWords, AlertFigures) under the watch's configuration.
func (s *Service) alertWords(t *Trigger) {
	cfg := s.Watch
	_ = cfg.defaults() // the measure and the after window are set first, whatever else is wrong
	words, figs := AlertWords(t.Withdrawal, cfg), AlertFigures(t.Withdrawal)
	t.Words, t.Figures = &words, &figs
}

// placeNamer gives a withdrawal and its controls the names of the places
// nearest their cells (Places; nothing without it). Stored alerts are
// named when read, so those recorded before a gazetteer import are too.
func (s *Service) placeNamer(ctx context.Context) func(*Withdrawal) {
	if s.Places == nil {
		return func(*Withdrawal) {}
	}
	label := coverage.CellNamer(ctx, s.Places)
	return func(w *Withdrawal) {
		w.Place = label(w.Cell)
		for k := range w.Controls {
			w.Controls[k].Place = label(w.Controls[k].Cell)
		}
	}
}

// MaxAckNote is the longest acknowledgement note (bytes).
const MaxAckNote = 2000

// AcknowledgeAlert records that actor (a leader or analyst) acknowledged
// the leadership alert for the withdrawal at cell in month (YYYY-MM), with
// a note saying what is being done; audited. The alert stays on the list,
// marked acknowledged, and leaves the count of open alerts.
func (s *Service) AcknowledgeAlert(ctx context.Context, actor string, cell int, month, note string) (Trigger, error) {
	if _, err := grid.ParseMonth(month); err != nil {
		return Trigger{}, invalid("month", "err.want-month", "v", fmt.Sprintf("%q", month))
	}
	note = strings.TrimSpace(note)
	switch {
	case len(note) > MaxAckNote:
		return Trigger{}, invalid("note", "err.note-bytes", "size", len(note), "max", MaxAckNote)
	case !utf8.ValidString(note):
		return Trigger{}, invalid("note", "err.not-utf8")
	case strings.ContainsFunc(note, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }):
		return Trigger{}, invalid("note", "err.control-char")
	}
	tr, err := s.Store.AcknowledgeTrigger(ctx, actor, cell, month, note, s.now())
	if err == nil {
		s.placeNamer(ctx)(&tr.Withdrawal)
		s.alertWords(&tr)
	}
	return tr, err
}

// CheckWatch runs the withdrawal watch and records every withdrawal whose
// trigger fired, once. Leadership is alerted (OnTrigger, with the
// withdrawal and the report as evidence) for each newly recorded one whose
// after-window ends within RecentMonths (default 6) of the end of the
// events data: a withdrawal that fired years ago in the history is
// recorded and audited, not sent as news. It returns how many were
// recorded and how many alerted.
func (s *Service) CheckWatch(ctx context.Context, actor string) (recorded, alerted int, err error) {
	rep, err := s.WatchReport(ctx)
	if err != nil {
		return 0, 0, err
	}
	e, err := s.Engine(ctx)
	if err != nil {
		return 0, 0, err
	}
	ev, err := e.events(ctx)
	if err != nil {
		return 0, 0, err
	}
	recent := s.RecentMonths
	if recent == 0 {
		recent = 6
	}
	var fired []Withdrawal
	for _, w := range rep.Withdrawals {
		if w.Fired {
			fired = append(fired, w)
		}
	}
	isRecent := func(w Withdrawal) bool {
		mo, err := grid.ParseMonth(w.Month)
		if err != nil {
			return false
		}
		end := mo + grid.Month(rep.Config.After) - 1
		return s.OnTrigger != nil && end > ev.to-grid.Month(recent)
	}
	news, err := s.Store.RecordTriggers(ctx, actor, fired, isRecent)
	if err != nil {
		return 0, 0, err
	}
	for _, w := range news {
		if !isRecent(w) {
			continue
		}
		if err := s.OnTrigger(ctx, w, rep); err != nil {
			return len(news), alerted, err
		}
		alerted++
	}
	return len(news), alerted, nil
}
