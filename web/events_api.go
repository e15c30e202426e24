package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
)

// Page sizes of GET /api/v1/events.
const (
	defaultEventsLimit = 1000
	maxEventsLimit     = 5000
	// maxGridFeatures bounds a grid answer; a bigger request must narrow its
	// box or month range.
	maxGridFeatures = 200_000
)

// filterParams are the query parameters every event query takes.
var filterParams = []string{"bbox", "from", "to", "type", "country", "source"}

// checkParams answers 400 naming the first (in sorted order) query
// parameter not in allowed.
func checkParams(q url.Values, allowed ...string) error {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(q[k]) > 1 {
			return badRequest(k, "parameter %q given %d times", k, len(q[k]))
		}
	}
	return onlyParams(map[string][]string(q), allowed...)
}

// parseBBox parses "west,south,east,north" in degrees.
func parseBBox(v string) (*events.BBox, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return nil, badRequest("bbox", "bbox: want west,south,east,north (4 numbers), got %d values", len(parts))
	}
	var n [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, badRequest("bbox", "bbox: value %d (%q) is not a number", i+1, p)
		}
		n[i] = f
	}
	b := &events.BBox{West: n[0], South: n[1], East: n[2], North: n[3]}
	if err := b.Validate(); err != nil {
		return nil, badRequest("bbox", "bbox: %s", strings.TrimPrefix(err.Error(), "bbox: "))
	}
	return b, nil
}

// parseDate parses YYYY-MM-DD or YYYY-MM. For YYYY-MM, end selects the last
// day of the month instead of the first.
func parseDate(field, v string, end bool) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", v); err == nil {
		if t.Year() < 1900 || t.Year() > 2200 {
			return time.Time{}, badRequest(field, "%s: year %d out of range 1900..2200", field, t.Year())
		}
		return t, nil
	}
	t, err := time.Parse("2006-01", v)
	if err != nil {
		return time.Time{}, badRequest(field, "%s: %q is not a date (YYYY-MM-DD or YYYY-MM)", field, v)
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, badRequest(field, "%s: year %d out of range 1900..2200", field, t.Year())
	}
	if end {
		t = t.AddDate(0, 1, -1)
	}
	return t, nil
}

// parseFilter reads the common event filters from q.
func parseFilter(q url.Values) (events.Filter, error) {
	var f events.Filter
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return f, err
		}
		f.BBox = b
	}
	var err error
	if v := q.Get("from"); v != "" {
		if f.From, err = parseDate("from", v, false); err != nil {
			return f, err
		}
	}
	if v := q.Get("to"); v != "" {
		if f.To, err = parseDate("to", v, true); err != nil {
			return f, err
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, badRequest("to", "to (%s) is before from (%s)", f.To.Format("2006-01-02"), f.From.Format("2006-01-02"))
	}
	if v := q.Get("type"); v != "" {
		for _, p := range strings.Split(v, ",") {
			t, err := events.ParseViolenceType(p)
			if err != nil {
				return f, badRequest("type", "type: %v", err)
			}
			f.Types = append(f.Types, t)
		}
	}
	if v := q.Get("country"); v != "" {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				f.Countries = append(f.Countries, c)
			}
		}
		if len(f.Countries) == 0 {
			return f, badRequest("country", "country: no country named in %q", v)
		}
	}
	f.Source = strings.TrimSpace(q.Get("source"))
	return f, nil
}

// Feature and FeatureCollection are the GeoJSON (RFC 7946) answers.
type Feature struct {
	Type       string         `json:"type"`
	ID         any            `json:"id,omitempty"`
	Geometry   Geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// Geometry is a GeoJSON Point or Polygon.
type Geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// FeatureCollection is a GeoJSON collection with an optional cursor.
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
	Next     string    `json:"next,omitempty"`
}

// eventProps are an event's GeoJSON properties (a struct, not a map: it
// encodes several times faster, which matters for 5000-event pages).
type eventProps struct {
	Source         string `json:"source"`
	SourceID       string `json:"source_id"`
	DateStart      string `json:"date_start"`
	DateEnd        string `json:"date_end"`
	DatePrecision  int    `json:"date_precision"`
	WherePrecision int    `json:"where_precision"`
	Country        string `json:"country"`
	CountryCode    string `json:"country_code"`
	Admin1         string `json:"admin1"`
	Admin2         string `json:"admin2"`
	Location       string `json:"location"`
	Cell           int    `json:"cell"`
	Type           string `json:"type"`
	EventType      string `json:"event_type"`
	SubEventType   string `json:"sub_event_type"`
	Conflict       string `json:"conflict"`
	SideA          string `json:"side_a"`
	SideB          string `json:"side_b"`
	Best           int    `json:"best"`
	Low            int    `json:"low"`
	High           int    `json:"high"`
	Civilian       *int   `json:"civilian"` // null when unknown
	Notes          string `json:"notes,omitempty"`
	// Place is the nearest notable place (event detail only; additive).
	Place *geotext.PointLabel `json:"place,omitempty"`
}

// eventFeature is one event as a GeoJSON Feature.
type eventFeature struct {
	Type       string     `json:"type"`
	ID         int64      `json:"id"`
	Geometry   Geometry   `json:"geometry"`
	Properties eventProps `json:"properties"`
}

func newEventFeature(e *events.Event) eventFeature {
	p := eventProps{
		Source: e.Source, SourceID: e.SourceID,
		DateStart: e.DateStart.Format("2006-01-02"), DateEnd: e.DateEnd.Format("2006-01-02"),
		DatePrecision: int(e.DatePrecision), WherePrecision: int(e.WherePrecision),
		Country: e.Country, CountryCode: e.CountryCode, Admin1: e.Admin1, Admin2: e.Admin2, Location: e.Location,
		Cell: e.GridCell, Type: e.Violence.String(), EventType: e.EventType, SubEventType: e.SubEventType,
		Conflict: e.ConflictName, SideA: e.SideA, SideB: e.SideB,
		Best: e.Best, Low: e.Low, High: e.High, Notes: e.Notes,
	}
	if e.Civilian >= 0 {
		c := e.Civilian
		p.Civilian = &c
	}
	return eventFeature{Type: "Feature", ID: e.ID, Geometry: Geometry{"Point", [2]float64{e.Lon, e.Lat}}, Properties: p}
}

// eventCollection is a page of events.
type eventCollection struct {
	Type     string         `json:"type"`
	Features []eventFeature `json:"features"`
	Next     string         `json:"next,omitempty"`
}

func (s *Server) eventsStore() (events.Store, error) {
	if s.Events == nil {
		return nil, errors.New("no events store configured")
	}
	return s.Events, nil
}

// listEvents answers GET /api/v1/events: one page of matching events as a
// GeoJSON FeatureCollection, ordered by id; "next" is the cursor of the next
// page, absent on the last.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, append(filterParams, "cursor", "limit")...); err != nil {
		return err
	}
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	limit := defaultEventsLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxEventsLimit {
			return badRequest("limit", "limit: %q must be an integer from 1 to %d", v, maxEventsLimit)
		}
		limit = n
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequest("cursor", "cursor: %q is not a cursor from a previous answer's next", v)
		}
		f.After = n
	}
	f.Limit = limit + 1 // one more tells whether there is a next page
	st, err := s.eventsStore()
	if err != nil {
		return err
	}
	role := requestRole(r)
	box := f.BBox
	if box != nil && !role.AtLeast(auth.Responder) {
		// Events made from incidents are placed, for viewers, at their
		// rounded position: the box selects them by that position (so that
		// its edges cannot locate them more finely), hence a box widened
		// by the rounding and the exact test below.
		wide := widenBox(*box, alerts.ViewerGridDeg)
		f.BBox = &wide
	}
	evs, err := st.Events(r.Context(), f)
	if err != nil {
		return err
	}
	fc := eventCollection{Type: "FeatureCollection", Features: make([]eventFeature, 0, min(len(evs), limit))}
	if len(evs) > limit {
		evs = evs[:limit]
		fc.Next = strconv.FormatInt(evs[len(evs)-1].ID, 10)
	}
	for i := range evs {
		e := alerts.EventForRole(evs[i], role)
		if box != nil && !inBox(*box, e.Lat, e.Lon) {
			continue
		}
		fc.Features = append(fc.Features, newEventFeature(&e))
	}
	writeGeoJSON(w, fc)
	return nil
}

func writeGeoJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	writeJSONKeepType(w, http.StatusOK, v)
}

// getEvent answers one event as a GeoJSON Feature.
func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return badRequest("id", "id: %q is not a positive integer", v)
	}
	st, err := s.eventsStore()
	if err != nil {
		return err
	}
	e, err := st.Event(r.Context(), id)
	if errors.Is(err, events.ErrNotFound) {
		return errorf(http.StatusNotFound, "no event with id %d", id)
	}
	if err != nil {
		return err
	}
	e = alerts.EventForRole(e, requestRole(r))
	f := newEventFeature(&e)
	f.Properties.Place = s.placeLabeler(r.Context())(e.Lat, e.Lon)
	writeGeoJSON(w, f)
	return nil
}

// requestRole is the role of the request's user (viewer when unknown).
func requestRole(r *http.Request) auth.Role {
	if u, ok := auth.UserFrom(r.Context()); ok {
		return u.Role
	}
	return auth.Viewer
}

// widenBox grows a box by d degrees on each side, within the globe.
func widenBox(b events.BBox, d float64) events.BBox {
	return events.BBox{West: max(b.West-d, -180), South: max(b.South-d, -90), East: min(b.East+d, 180), North: min(b.North+d, 90)}
}

func inBox(b events.BBox, lat, lon float64) bool {
	return lat >= b.South && lat <= b.North && lon >= b.West && lon <= b.East
}

// sensitiveEvents lists, for a role below responder, the events made from
// incidents that f may select at their rounded position (f's box widened
// by the rounding); nil for responders and above.
func sensitiveEvents(r *http.Request, st events.Store, f events.Filter) ([]events.Event, error) {
	if requestRole(r).AtLeast(auth.Responder) || (f.Source != "" && f.Source != alerts.EventSource) {
		return nil, nil
	}
	f.Source, f.Limit, f.After = alerts.EventSource, maxEventsLimit, 0
	if f.BBox != nil {
		wide := widenBox(*f.BBox, alerts.ViewerGridDeg)
		f.BBox = &wide
	}
	var out []events.Event
	for {
		evs, err := st.Events(r.Context(), f)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
		if len(evs) < f.Limit {
			return out, nil
		}
		f.After = evs[len(evs)-1].ID
	}
}

// viewerCells moves, for a role below responder, every event made from an
// incident from the cell of its exact position to the cell of its rounded
// one, as viewerClusters does for clusters.
func (s *Server) viewerCells(r *http.Request, st events.Store, f events.Filter, size float64, cms []events.CellMonth) ([]events.CellMonth, error) {
	sens, err := sensitiveEvents(r, st, f)
	if err != nil || len(sens) == 0 {
		return cms, err
	}
	cellOf := func(lat, lon float64) int {
		var c int
		if size == grid.PrioSize {
			c, _ = grid.PrioGID(lat, lon)
		} else {
			c, _ = grid.Regular{Size: size}.Cell(lat, lon)
		}
		return c
	}
	type key struct {
		cell  int
		month grid.Month
	}
	at := map[key]int{}
	for i, cm := range cms {
		at[key{cm.Cell, cm.Month}] = i
	}
	typeIndex := func(e events.Event) int {
		if v := int(e.Violence); v >= 1 && v <= 3 {
			return v
		}
		return 0
	}
	for _, e := range sens {
		if f.BBox != nil && !inBox(*f.BBox, e.Lat, e.Lon) {
			continue
		}
		exact := e.GridCell
		if size != grid.PrioSize || exact == 0 {
			exact = cellOf(e.Lat, e.Lon)
		}
		if i, ok := at[key{exact, e.Month()}]; ok {
			cms[i].Counts[typeIndex(e)]--
			cms[i].Deaths[typeIndex(e)] -= e.Best
		}
	}
	for _, e := range sens {
		lat, lon := alerts.RoundForViewer(e.Lat, e.Lon)
		if f.BBox != nil && !inBox(*f.BBox, lat, lon) {
			continue
		}
		k := key{cellOf(lat, lon), e.Month()}
		i, ok := at[k]
		if !ok {
			cms = append(cms, events.CellMonth{Cell: k.cell, Month: k.month})
			i = len(cms) - 1
			at[k] = i
		}
		cms[i].Counts[typeIndex(e)]++
		cms[i].Deaths[typeIndex(e)] += e.Best
	}
	out := cms[:0]
	for _, cm := range cms {
		if cm.Counts != [4]int{} {
			out = append(out, cm)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Cell < out[j].Cell
	})
	return out, nil
}

// viewerClusters moves, for a role below responder, every event made from
// an incident from its exact position to its rounded one (as the event
// itself is shown): it is taken out of the cluster of its exact square
// (when the box selected it there) and put into the cluster of its
// rounded square (when the box holds that position), so that neither the
// clusters' means and counts nor the box's edges place it more finely.
// Such events are few (an analyst makes each), so they are listed once.
// A cluster left with one event whose id the store did not give loses
// its event link.
func (s *Server) viewerClusters(r *http.Request, st events.Store, f events.Filter, cellDeg float64, cs []events.Cluster) ([]events.Cluster, error) {
	sens, err := sensitiveEvents(r, st, f)
	if err != nil || len(sens) == 0 {
		return cs, err
	}
	box := f.BBox
	square := func(lat, lon float64) [2]int64 {
		return [2]int64{int64(math.Floor((lat + 90) / cellDeg)), int64(math.Floor((lon + 180) / cellDeg))}
	}
	at := map[[2]int64]int{}
	for i, c := range cs {
		at[square(c.Lat, c.Lon)] = i
	}
	for _, e := range sens {
		if box != nil && !inBox(*box, e.Lat, e.Lon) {
			continue
		}
		i, ok := at[square(e.Lat, e.Lon)]
		if !ok || cs[i].Count == 0 {
			continue
		}
		c := &cs[i]
		n := float64(c.Count)
		if c.Count > 1 {
			c.Lat, c.Lon = (c.Lat*n-e.Lat)/(n-1), (c.Lon*n-e.Lon)/(n-1)
		}
		c.Count--
		c.Deaths -= e.Best
		c.ID = 0
	}
	for _, e := range sens {
		lat, lon := alerts.RoundForViewer(e.Lat, e.Lon)
		if box != nil && !inBox(*box, lat, lon) {
			continue
		}
		k := square(lat, lon)
		i, ok := at[k]
		if !ok {
			cs = append(cs, events.Cluster{})
			i = len(cs) - 1
			at[k] = i
		}
		c := &cs[i]
		n := float64(c.Count)
		c.Lat, c.Lon = (c.Lat*n+lat)/(n+1), (c.Lon*n+lon)/(n+1)
		c.Count++
		c.Deaths += e.Best
		c.ID = 0
		if c.Count == 1 {
			c.ID = e.ID
		}
	}
	out := cs[:0]
	for _, c := range cs {
		if c.Count > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// clusterDegrees is the cluster square for a web-map zoom level: about 64
// screen pixels (a 256-pixel tile spans 360/2^zoom degrees).
func clusterDegrees(zoom int) float64 { return 90 / math.Exp2(float64(zoom)) }

// clusters answers GET /api/v1/clusters: matching events grouped in squares
// sized from the zoom level, as GeoJSON points with count and deaths; a
// cluster of one event carries that event's id.
func (s *Server) clusters(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, append(filterParams, "zoom")...); err != nil {
		return err
	}
	v := q.Get("zoom")
	if v == "" {
		return badRequest("zoom", "zoom is required (0 to 22)")
	}
	zoom, err := strconv.Atoi(v)
	if err != nil || zoom < 0 || zoom > 22 {
		return badRequest("zoom", "zoom: %q must be an integer from 0 to 22", v)
	}
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	st, err := s.eventsStore()
	if err != nil {
		return err
	}
	cs, err := st.Clusters(r.Context(), f, clusterDegrees(zoom))
	if err != nil {
		return err
	}
	if cs, err = s.viewerClusters(r, st, f, clusterDegrees(zoom), cs); err != nil {
		return err
	}
	fc := FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, 0, len(cs))}
	for _, c := range cs {
		p := map[string]any{"count": c.Count, "deaths": c.Deaths}
		if c.Count == 1 && c.ID != 0 {
			p["event_id"] = c.ID
		}
		fc.Features = append(fc.Features, Feature{Type: "Feature", Geometry: Geometry{"Point", [2]float64{c.Lon, c.Lat}}, Properties: p})
	}
	writeGeoJSON(w, fc)
	return nil
}

// typeKeys names the CellMonth count indexes.
var typeKeys = [4]string{"other", "state-based", "non-state", "one-sided"}

// gridCells answers GET /api/v1/grid: cell-month aggregates as GeoJSON
// polygons (the cell squares) with month, counts and deaths by type.
func (s *Server) gridCells(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "bbox", "from", "to", "grid", "type", "country", "source"); err != nil {
		return err
	}
	for _, p := range []string{"from", "to"} {
		if v := q.Get(p); v != "" {
			if _, err := grid.ParseMonth(v); err != nil || len(v) != 7 {
				return badRequest(p, "%s: %q is not a month (YYYY-MM)", p, v)
			}
		}
	}
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	size := grid.PrioSize
	switch v := q.Get("grid"); v {
	case "", "priogrid":
	default:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return badRequest("grid", "grid: %q must be priogrid or a cell size in degrees such as 0.1", v)
		}
		if _, err := grid.NewRegular(n); err != nil {
			return badRequest("grid", "grid: %v", err)
		}
		if n < 0.05 {
			return badRequest("grid", "grid: cells smaller than 0.05 degrees are not served")
		}
		if n < alerts.ViewerGridDeg && !requestRole(r).AtLeast(auth.Responder) {
			// Finer cells would place events made from incidents more
			// precisely than viewers see them.
			return badRequest("grid", "grid: cells smaller than %v degrees are served to responders and above only", alerts.ViewerGridDeg)
		}
		size = n
	}
	st, err := s.eventsStore()
	if err != nil {
		return err
	}
	cms, err := st.CellMonths(r.Context(), f, size)
	if err != nil {
		return err
	}
	if cms, err = s.viewerCells(r, st, f, size, cms); err != nil {
		return err
	}
	if len(cms) > maxGridFeatures {
		return badRequest("bbox", "the answer would have %d cell-months (more than %d): narrow bbox or from/to", len(cms), maxGridFeatures)
	}
	g := grid.Regular{Size: size}
	fc := FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, 0, len(cms))}
	for _, cm := range cms {
		s, w, n, e := g.Bounds(cm.Cell)
		counts, deaths := map[string]int{}, map[string]int{}
		total, totalDeaths := 0, 0
		for i, k := range typeKeys {
			counts[k], deaths[k] = cm.Counts[i], cm.Deaths[i]
			total += cm.Counts[i]
			totalDeaths += cm.Deaths[i]
		}
		ring := [][2]float64{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}
		fc.Features = append(fc.Features, Feature{
			Type:     "Feature",
			Geometry: Geometry{"Polygon", [][][2]float64{ring}},
			Properties: map[string]any{
				"cell": cm.Cell, "month": cm.Month.String(), "events": total, "deaths": totalDeaths,
				"counts": counts, "deaths_by_type": deaths,
			},
		})
	}
	writeGeoJSON(w, fc)
	return nil
}
