package feed

import (
	"context"
	"errors"
	"math"
	"net/url"
	"strconv"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/geojson"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/query"
)

// The map's event queries as the API takes them: a query's parameters
// (events.ParseFilter plus each query's own) read and checked, bad ones
// answered as invalid input naming the parameter.

// DefaultLimit is the page size of a page query without limit.
const DefaultLimit = 1000

// PageQuery is Page for the query q: the filter (events.FilterParams),
// limit (1 to MaxLimit, default DefaultLimit) and cursor (a previous
// page's Next).
func (s *Service) PageQuery(ctx context.Context, q url.Values, role auth.Role) (geojson.EventCollection, error) {
	f, err := events.ParseFilter(q)
	if err != nil {
		return geojson.EventCollection{}, err
	}
	limit, err := query.Int(q, "limit", DefaultLimit, 1, MaxLimit, query.Between(1, MaxLimit))
	if err != nil {
		return geojson.EventCollection{}, err
	}
	if f.After, err = query.Int(q, "cursor", 0, 0, math.MaxInt64, query.NotCursor); err != nil {
		return geojson.EventCollection{}, err
	}
	return s.Page(ctx, f, int(limit), role)
}

// EventQuery is Event for the id written v (a positive integer); not
// found names the id.
func (s *Service) EventQuery(ctx context.Context, v string, role auth.Role) (geojson.EventFeature, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return geojson.EventFeature{}, apperr.Fieldf(apperr.KindInvalid, "id", "%q is not a positive integer", v)
	}
	f, err := s.Event(ctx, id, role)
	if errors.Is(err, apperr.ErrNotFound) {
		return f, apperr.Say(apperr.KindNotFound, "", "refusal.feed.no-event", id)
	}
	return f, err
}

// ClustersQuery is Clusters for the query q: zoom (0 to 22, required) and
// the filter.
func (s *Service) ClustersQuery(ctx context.Context, q url.Values, role auth.Role) (geojson.FeatureCollection, error) {
	v := q.Get("zoom")
	if v == "" {
		return geojson.FeatureCollection{}, apperr.Say(apperr.KindInvalid, "zoom", "refusal.feed.zoom-required")
	}
	zoom, err := strconv.Atoi(v)
	if err != nil || zoom < 0 || zoom > 22 {
		return geojson.FeatureCollection{}, apperr.Fieldf(apperr.KindInvalid, "zoom", "%q must be an integer from 0 to 22", v)
	}
	f, err := events.ParseFilter(q)
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	return s.Clusters(ctx, f, zoom, role)
}

// GridQuery is Grid for the query q: from and to are months (YYYY-MM),
// grid is priogrid (the default) or a regular cell size in degrees, at
// least 0.05, and at least alerts.ViewerGridDeg below responders (finer
// cells would place events made from incidents more precisely than
// viewers see them).
func (s *Service) GridQuery(ctx context.Context, q url.Values, role auth.Role) (geojson.FeatureCollection, error) {
	for _, p := range []string{"from", "to"} {
		if v := q.Get(p); v != "" {
			if _, err := grid.ParseMonth(v); err != nil || len(v) != 7 {
				return geojson.FeatureCollection{}, query.Month(p, v)
			}
		}
	}
	f, err := events.ParseFilter(q)
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	size, err := gridSize(q.Get("grid"), role)
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	return s.Grid(ctx, f, size, role)
}

// gridSize reads the grid parameter v for role (see GridQuery).
func gridSize(v string, role auth.Role) (float64, error) {
	if v == "" || v == "priogrid" {
		return grid.PrioSize, nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, apperr.Fieldf(apperr.KindInvalid, "grid", "%q must be priogrid or a cell size in degrees such as 0.1", v)
	}
	if _, err := grid.NewRegular(n); err != nil {
		return 0, apperr.FieldErr(apperr.KindInvalid, "grid", err)
	}
	if n < 0.05 {
		return 0, apperr.FieldErr(apperr.KindInvalid, "grid", apperr.Text("cells smaller than 0.05 degrees are not served"))
	}
	if n < alerts.ViewerGridDeg && !role.AtLeast(auth.Responder) {
		return 0, apperr.Fieldf(apperr.KindInvalid, "grid", "cells smaller than %v degrees are served to responders and above only", alerts.ViewerGridDeg)
	}
	return n, nil
}
