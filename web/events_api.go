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
	"github.com/vigil-project/vigil/events/feed"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// defaultEventsLimit is the page size of GET /api/v1/events without limit.
const defaultEventsLimit = 1000

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
		if err != nil || n < 1 || n > feed.MaxLimit {
			return badRequest("limit", "limit: %q must be an integer from 1 to %d", v, feed.MaxLimit)
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
	fc, err := s.Feed.Page(r.Context(), f, limit, requestRole(r))
	if err != nil {
		return err
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
	f, err := s.Feed.Event(r.Context(), id, requestRole(r))
	if errors.Is(err, apperr.ErrNotFound) {
		return errorf(http.StatusNotFound, "no event with id %d", id)
	}
	if err != nil {
		return err
	}
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
	fc, err := s.Feed.Clusters(r.Context(), f, zoom, requestRole(r))
	if err != nil {
		return err
	}
	writeGeoJSON(w, fc)
	return nil
}

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
	fc, err := s.Feed.Grid(r.Context(), f, size, requestRole(r))
	if errors.Is(err, feed.ErrTooMany) {
		return badRequest("bbox", "%s", err.Error())
	}
	if err != nil {
		return err
	}
	writeGeoJSON(w, fc)
	return nil
}
