package web

import (
	"net/http"
	"net/url"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/query"
)

// Event query handlers: they check the query's parameter names and hand
// the query to Server.Feed (events/feed), which reads it.

// checkParams answers 400 naming the first (in sorted order) query
// parameter given twice or not in allowed.
func checkParams(q url.Values, allowed ...string) error { return query.Check(q, allowed...) }

// replyGeoJSON returns what answers a service call: its value as GeoJSON
// (status 200), or its error.
func replyGeoJSON(w http.ResponseWriter) func(v any, err error) error {
	return func(v any, err error) error {
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
		writeJSONKeepType(w, http.StatusOK, v)
		return nil
	}
}

// listEvents answers GET /api/v1/events: one page of matching events as a
// GeoJSON FeatureCollection, ordered by id; "next" is the cursor of the next
// page, absent on the last.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, append(events.FilterParams, "cursor", "limit")...); err != nil {
		return err
	}
	return replyGeoJSON(w)(s.Feed.PageQuery(r.Context(), q, requestRole(r)))
}

// getEvent answers one event as a GeoJSON Feature.
func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return replyGeoJSON(w)(s.Feed.EventQuery(r.Context(), r.PathValue("id"), requestRole(r)))
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
	if err := checkParams(q, append(events.FilterParams, "zoom")...); err != nil {
		return err
	}
	return replyGeoJSON(w)(s.Feed.ClustersQuery(r.Context(), q, requestRole(r)))
}

// gridCells answers GET /api/v1/grid: cell-month aggregates as GeoJSON
// polygons (the cell squares) with month, counts and deaths by type; an
// answer too large is refused naming bbox.
func (s *Server) gridCells(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "bbox", "from", "to", "grid", "type", "country", "source"); err != nil {
		return err
	}
	fc, err := s.Feed.GridQuery(r.Context(), q, requestRole(r))
	return replyGeoJSON(w)(fc, err) // too many cell-months: 400 naming bbox (feed.ErrTooMany)
}
