// Package events defines Vigil's georeferenced conflict event and its store.
//
// It defines Vigil's georeferenced conflict event — one row of UCDP GED, ACLED,
// a mission's own incident log (SAGE) or any HXL/GeoJSON source — its
// validation rules, and the store interface the rest of Vigil reads and writes
// events through.
package events

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// ViolenceType is the UCDP type of violence, extended for ACLED events.
type ViolenceType int

const (
	ViolenceUnknown ViolenceType = 0
	StateBased      ViolenceType = 1 // UCDP type 1: state-based armed conflict
	NonState        ViolenceType = 2 // UCDP type 2: non-state conflict
	OneSided        ViolenceType = 3 // UCDP type 3: one-sided violence against civilians
	OtherViolence   ViolenceType = 4 // ACLED events that fit none of the UCDP types (riots, explosions …)
	NonViolent      ViolenceType = 5 // ACLED protests, strategic developments
)

var violenceNames = map[ViolenceType]string{
	ViolenceUnknown: "unknown",
	StateBased:      "state-based",
	NonState:        "non-state",
	OneSided:        "one-sided",
	OtherViolence:   "other-violence",
	NonViolent:      "non-violent",
}

func (v ViolenceType) String() string {
	if s, ok := violenceNames[v]; ok {
		return s
	}
	return fmt.Sprintf("ViolenceType(%d)", int(v))
}

// ParseViolenceType accepts the names above, UCDP codes 1–3, or the UCDP labels.
func ParseViolenceType(s string) (ViolenceType, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	switch k {
	case "1", "state-based", "state_based", "state-based conflict", "state based", "sb", "state-based violence":
		return StateBased, nil
	case "2", "non-state", "non_state", "non-state conflict", "non state", "ns", "non-state violence":
		return NonState, nil
	case "3", "one-sided", "one_sided", "one-sided violence", "one sided", "os", "osv", "violence against civilians":
		return OneSided, nil
	case "4", "other-violence", "other":
		return OtherViolence, nil
	case "5", "non-violent":
		return NonViolent, nil
	}
	return 0, apperr.Textf("unknown violence type %q (want state-based, non-state, one-sided, other-violence, non-violent or UCDP code 1–3)", s)
}

// Precision of dates and locations. Lower is more precise, following UCDP's
// date_prec (1 = exact day … 5 = year) and where_prec (1 = exact place …
// 7 = international waters); 0 means unknown.
type Precision int

// Event is one georeferenced conflict event.
type Event struct {
	ID       int64  // store id, 0 until stored
	Source   string // "ucdp-ged", "acled", "sage", "hxl:<name>", …
	SourceID string // id inside the source; (Source, SourceID) is unique

	DateStart     time.Time // UTC date (time part zero)
	DateEnd       time.Time
	DatePrecision Precision

	Lat, Lon       float64
	WherePrecision Precision
	Country        string // name as the source writes it
	CountryCode    string // ISO 3166-1 alpha-3 where known, or Gleditsch-Ward number
	Admin1, Admin2 string
	Admin1Code     string // P-code where known
	Location       string // place name
	GridCell       int    // PRIO-GRID gid; derived from Lat/Lon when zero

	Violence     ViolenceType
	EventType    string // ACLED event_type (or source's own category)
	SubEventType string // ACLED sub_event_type
	ConflictName string
	SideA, SideB string // actors; for one-sided violence SideB is "Civilians"

	Best, Low, High int // fatality estimates; Low ≤ Best ≤ High
	Civilian        int // civilian deaths where the source gives them (-1 unknown)

	Notes string
}

// Month returns the event's month (of its start date).
func (e *Event) Month() grid.Month {
	return grid.MonthOf(e.DateStart.Year(), int(e.DateStart.Month()))
}

// Validate checks an event and fills derived fields (grid cell, end date):
// every check of ValidatePublished, then that the fatality estimates are in
// order (CheckEstimates). Errors name the field.
func (e *Event) Validate() error {
	if err := e.ValidatePublished(); err != nil {
		return err
	}
	return e.CheckEstimates()
}

// ValidatePublished is Validate without the order of the fatality estimates:
// low, best and high must each be a count (not negative), but low ≤ best ≤
// high is not required. It is what a store accepts: real UCDP GED releases
// have rows with low > high or best outside low..high (19 of the 1,458 rows
// of GED 23.1 for the Central African Republic), and an importer keeps them
// as published unless asked to be strict (see ingest.Options). Every
// aggregate uses best alone.
func (e *Event) ValidatePublished() error {
	if strings.TrimSpace(e.Source) == "" {
		return apperr.Fieldf(apperr.KindInvalid, "source", "is empty")
	}
	if strings.TrimSpace(e.SourceID) == "" {
		return apperr.Fieldf(apperr.KindInvalid, "id", "is empty")
	}
	if e.DateStart.IsZero() {
		return apperr.Fieldf(apperr.KindInvalid, "date_start", "is missing")
	}
	if e.DateStart.Year() < 1900 || e.DateStart.Year() > 2200 {
		return apperr.Fieldf(apperr.KindInvalid, "date_start", "year %d out of range 1900..2200", e.DateStart.Year())
	}
	if e.DateEnd.IsZero() {
		e.DateEnd = e.DateStart
	}
	if e.DateEnd.Before(e.DateStart) {
		return apperr.Fieldf(apperr.KindInvalid, "date_end", "%s is before date_start %s", e.DateEnd.Format("2006-01-02"), e.DateStart.Format("2006-01-02"))
	}
	if math.IsNaN(e.Lat) || e.Lat < -90 || e.Lat > 90 {
		return apperr.Fieldf(apperr.KindInvalid, "latitude", "%v outside -90..90", e.Lat)
	}
	if math.IsNaN(e.Lon) || e.Lon < -180 || e.Lon > 180 {
		return apperr.Fieldf(apperr.KindInvalid, "longitude", "%v outside -180..180", e.Lon)
	}
	if _, ok := violenceNames[e.Violence]; !ok {
		return apperr.Fieldf(apperr.KindInvalid, "type_of_violence", "unknown violence type %d", int(e.Violence))
	}
	if e.Best < 0 || e.Low < 0 || e.High < 0 {
		return apperr.Fieldf(apperr.KindInvalid, "best", "fatalities cannot be negative")
	}
	if e.Civilian < -1 {
		return apperr.Fieldf(apperr.KindInvalid, "deaths_civilians", "cannot be negative")
	}
	gid, err := grid.PrioGID(e.Lat, e.Lon)
	if err != nil {
		return apperr.Invalid("latitude", err.Error())
	}
	if e.GridCell == 0 {
		e.GridCell = gid
	}
	return nil
}

// EstimatesConsistent reports whether low ≤ best ≤ high.
func (e *Event) EstimatesConsistent() bool { return e.Low <= e.Best && e.Best <= e.High }

// CheckEstimates returns an invalid-input error (apperr) naming "best" unless low ≤ best ≤ high.
func (e *Event) CheckEstimates() error {
	if e.Low > e.High {
		return apperr.Fieldf(apperr.KindInvalid, "low", "low estimate %d is greater than high %d", e.Low, e.High)
	}
	if e.Best < e.Low || e.Best > e.High {
		return apperr.Fieldf(apperr.KindInvalid, "best", "best estimate %d outside low..high %d..%d", e.Best, e.Low, e.High)
	}
	return nil
}

// Hash returns a content hash of the event's fields (not its store id), used
// to tell an unchanged re-import from an update.
func (e *Event) Hash() [32]byte {
	h := sha256.New()
	var b [8]byte
	w := func(s string) {
		binary.LittleEndian.PutUint64(b[:], uint64(len(s)))
		h.Write(b[:])
		h.Write([]byte(s))
	}
	n := func(v int64) {
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		h.Write(b[:])
	}
	f := func(v float64) { n(int64(math.Float64bits(v))) }
	w(e.Source)
	w(e.SourceID)
	n(e.DateStart.Unix())
	n(e.DateEnd.Unix())
	n(int64(e.DatePrecision))
	f(e.Lat)
	f(e.Lon)
	n(int64(e.WherePrecision))
	for _, s := range []string{e.Country, e.CountryCode, e.Admin1, e.Admin2, e.Admin1Code, e.Location, e.EventType, e.SubEventType, e.ConflictName, e.SideA, e.SideB, e.Notes} {
		w(s)
	}
	n(int64(e.GridCell))
	n(int64(e.Violence))
	n(int64(e.Best))
	n(int64(e.Low))
	n(int64(e.High))
	n(int64(e.Civilian))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Filter selects events. Zero values mean "no constraint".
type Filter struct {
	BBox      *BBox
	From, To  time.Time // inclusive range on DateStart (To is inclusive of that day)
	Types     []ViolenceType
	Countries []string // matched against Country or CountryCode, case-insensitive
	Source    string
	After     int64 // cursor: only events with ID > After
	Limit     int   // page size; 0 means a default
}

// A CountrySet is the map's country filter as the layers other than the
// events apply it (risk, coverage, incidents, survey cells): Name says
// whether a country named (or coded) so is chosen, At whether the point
// lies in a chosen country. A nil CountrySet chooses every country.
type CountrySet interface {
	Name(names ...string) bool
	At(lat, lon float64) bool
}

// CountryParam reads a request's country filter (nil: every country);
// query methods call it after checking their other parameters.
type CountryParam func() (CountrySet, error)

// BBox is a lon/lat bounding box (west, south, east, north).
type BBox struct{ West, South, East, North float64 }

// Validate checks the box's numbers.
func (b BBox) Validate() error {
	if err := b.corners(); err != nil {
		return err
	}
	if err := b.order(); err != nil {
		return fmt.Errorf("bbox: %w", err)
	}
	return nil
}

// check is Validate's refusal without "bbox: ", said by the catalog.
func (b BBox) check() error {
	if err := b.corners(); err != nil {
		return err
	}
	return b.order()
}

// corners refuses a corner that is not a latitude and longitude.
func (b BBox) corners() error {
	if err := grid.CheckLatLon(b.South, b.West); err != nil {
		return err
	}
	return grid.CheckLatLon(b.North, b.East)
}

// order refuses a box whose south is above its north or west east of its east.
func (b BBox) order() error {
	if b.South > b.North {
		return apperr.Text("south is greater than north")
	}
	if b.West > b.East {
		return apperr.Text("west is greater than east (boxes across the antimeridian are not supported)")
	}
	return nil
}

// UpsertResult says what happened to one event on import.
type UpsertResult int

const (
	Inserted UpsertResult = iota
	Updated
	Unchanged
)

// Counts totals an import.
type Counts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// InconsistentEstimates counts rows stored as published although their
	// fatality estimates break low ≤ best ≤ high (real UCDP GED has such
	// rows; see Event.ValidatePublished).
	InconsistentEstimates int `json:"inconsistent_estimates"`
	// Repaired counts rows whose fatality estimates were widened to satisfy
	// low ≤ best ≤ high instead (only when the importer was asked to; see
	// ingest.Options.RepairEstimates). Such rows are not counted in
	// InconsistentEstimates.
	Repaired int `json:"repaired,omitempty"`
}

// Add counts one result.
func (c *Counts) Add(r UpsertResult) {
	switch r {
	case Inserted:
		c.Inserted++
	case Updated:
		c.Updated++
	default:
		c.Unchanged++
	}
}

// CellMonth is an aggregate of events in one grid cell and month.
type CellMonth struct {
	Cell   int        `json:"cell"`
	Month  grid.Month `json:"-"`
	Counts [4]int     `json:"-"` // events by ViolenceType 0..3 (index 0 = other/unknown)
	Deaths [4]int     `json:"-"` // best fatalities by type
}

// Store is the persistence the events capability needs.
type Store interface {
	// Import runs fn inside one transaction; fn upserts events through the
	// Upserter. If fn returns an error nothing is written.
	Import(ctx context.Context, fn func(Upserter) error) error
	// Events returns one page of events matching f, ordered by ID.
	Events(ctx context.Context, f Filter) ([]Event, error)
	// Event returns one event by store id.
	Event(ctx context.Context, id int64) (Event, error)
	// CellMonths aggregates events by PRIO-GRID cell (or the regular grid
	// of size cellSize if > 0) and month within the filter.
	CellMonths(ctx context.Context, f Filter, cellSize float64) ([]CellMonth, error)
	// Clusters groups the events matching f into clusters for the map: one
	// cluster per square of cellDeg degrees (chosen by the caller from the
	// map's zoom), at the mean position of its events. A cluster of one event
	// carries that event's ID.
	Clusters(ctx context.Context, f Filter, cellDeg float64) ([]Cluster, error)
	// Count returns the number of stored events.
	Count(ctx context.Context) (int, error)
}

// EachPage calls fn with every page of the events in st matching f, in ID
// order. f.Limit is the page size (10,000 when 0); f.After is managed here.
func EachPage(ctx context.Context, st Store, f Filter, fn func(page []Event) error) error {
	if f.Limit <= 0 {
		f.Limit = 10000
	}
	f.After = 0
	for {
		page, err := st.Events(ctx, f)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < f.Limit {
			return nil
		}
		f.After = page[len(page)-1].ID
	}
}

// Cluster is a group of nearby events for the map.
type Cluster struct {
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
	Count  int     `json:"count"`
	Deaths int     `json:"deaths"`       // sum of best estimates
	ID     int64   `json:"id,omitempty"` // the event's id when Count == 1
}

// Upserter inserts or updates events by (Source, SourceID) within an import.
// Events are checked with ValidatePublished: the store keeps fatality
// estimates as the source published them; requiring low ≤ best ≤ high is
// the caller's choice (Validate).
type Upserter interface {
	Upsert(ctx context.Context, e *Event) (UpsertResult, error)
}

// BatchUpserter is implemented by Upserters that can upsert many events in
// one round trip (importers use it when available). Each event is validated
// (ValidatePublished, as Upsert does);
// the (Source, SourceID) pairs must be distinct within one batch. Results
// are in the order of es; IDs of inserted events are not filled in.
type BatchUpserter interface {
	UpsertBatch(ctx context.Context, es []*Event) ([]UpsertResult, error)
}
