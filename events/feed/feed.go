// Package feed serves the stored events to the map as GeoJSON — pages, one
// event, clusters and cell-months — placing the events made from incidents
// where the reader's role may see them.
package feed

import (
	"context"
	"errors"
	"math"
	"sort"
	"strconv"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/geojson"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// MaxLimit is the largest page of events; MaxGridFeatures bounds a grid
// answer (a bigger request must narrow its box or month range).
const (
	MaxLimit        = 5000
	MaxGridFeatures = 200_000
)

// Namer names points (a *geotext.Index).
type Namer interface {
	Labeler(ctx context.Context) geotext.Labeler
}

// Service answers the map's event queries over a store.
type Service struct {
	Store  events.Store
	Places Namer // names a single event's place (nil: none)
}

// ErrTooMany marks a grid request whose answer would be too large
// (errors.Is); the error's text says how large.
var ErrTooMany = errors.New("too many cell-months")

// tooMany is the refusal of a grid answer of n cell-months: invalid input
// naming bbox, said by the catalog (refusal.feed.too-many), ErrTooMany in
// its chain.
func tooMany(n int) error {
	e := apperr.Say(apperr.KindInvalid, "bbox", "refusal.feed.too-many", n, MaxGridFeatures)
	e.Err = ErrTooMany
	return e
}

func (s *Service) store() (events.Store, error) {
	if s == nil || s.Store == nil {
		return nil, errors.New("no events store configured")
	}
	return s.Store, nil
}

// Page returns one page of at most limit events matching f after the
// cursor f.After, ordered by id, as role may see them; Next is the cursor
// of the next page.
func (s *Service) Page(ctx context.Context, f events.Filter, limit int, role auth.Role) (geojson.EventCollection, error) {
	st, err := s.store()
	if err != nil {
		return geojson.EventCollection{}, err
	}
	f.Limit = limit + 1 // one more tells whether there is a next page
	box := f.BBox
	if box != nil && !role.AtLeast(auth.Responder) {
		// Events made from incidents are placed, for viewers, at their
		// rounded position: the box selects them by that position (so that
		// its edges cannot locate them more finely), hence a box widened
		// by the rounding and the exact test below.
		wide := widenBox(*box, alerts.ViewerGridDeg)
		f.BBox = &wide
	}
	evs, err := st.Events(ctx, f)
	if err != nil {
		return geojson.EventCollection{}, err
	}
	fc := geojson.EventCollection{Type: "FeatureCollection", Features: make([]geojson.EventFeature, 0, min(len(evs), limit))}
	if len(evs) > limit {
		evs = evs[:limit]
		fc.Next = strconv.FormatInt(evs[len(evs)-1].ID, 10)
	}
	for i := range evs {
		e := alerts.EventForRole(evs[i], role)
		if box != nil && !inBox(*box, e.Lat, e.Lon) {
			continue
		}
		fc.Features = append(fc.Features, geojson.NewEventFeature(&e))
	}
	return fc, nil
}

// Event returns one event as role may see it, with its nearest notable
// place; apperr.ErrNotFound when there is none with id.
func (s *Service) Event(ctx context.Context, id int64, role auth.Role) (geojson.EventFeature, error) {
	st, err := s.store()
	if err != nil {
		return geojson.EventFeature{}, err
	}
	e, err := st.Event(ctx, id)
	if err != nil {
		return geojson.EventFeature{}, err
	}
	e = alerts.EventForRole(e, role)
	f := geojson.NewEventFeature(&e)
	f.Properties.CountryFR = geotext.FrenchName(e.Country)
	if fr := geotext.UnitName(e.Admin1, "fr"); fr != e.Admin1 {
		f.Properties.Admin1FR = fr
	}
	if s.Places != nil {
		f.Properties.Place = s.Places.Labeler(ctx)(e.Lat, e.Lon)
	}
	return f, nil
}

// ClusterDegrees is the cluster square for a web-map zoom level: about 64
// screen pixels (a 256-pixel tile spans 360/2^zoom degrees).
func ClusterDegrees(zoom int) float64 { return 90 / math.Exp2(float64(zoom)) }

// Clusters groups the events matching f in squares sized from the zoom
// level, as GeoJSON points with count and deaths; a cluster of one event
// carries that event's id.
func (s *Service) Clusters(ctx context.Context, f events.Filter, zoom int, role auth.Role) (geojson.FeatureCollection, error) {
	st, err := s.store()
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	cs, err := st.Clusters(ctx, f, ClusterDegrees(zoom))
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	if cs, err = viewerClusters(ctx, st, f, role, ClusterDegrees(zoom), cs); err != nil {
		return geojson.FeatureCollection{}, err
	}
	fc := geojson.NewCollection(len(cs))
	for _, c := range cs {
		p := map[string]any{"count": c.Count, "deaths": c.Deaths}
		if c.Count == 1 && c.ID != 0 {
			p["event_id"] = c.ID
		}
		fc.Features = append(fc.Features, geojson.Feature{Type: "Feature", Geometry: geojson.Point(c.Lat, c.Lon), Properties: p})
	}
	return fc, nil
}

// typeKeys names the CellMonth count indexes.
var typeKeys = [4]string{"other", "state-based", "non-state", "one-sided"}

// Grid returns the cell-month aggregates of the events matching f on the
// grid of size degrees (grid.PrioSize: PRIO-GRID) as GeoJSON polygons with
// month, counts and deaths by type; ErrTooMany above MaxGridFeatures.
func (s *Service) Grid(ctx context.Context, f events.Filter, size float64, role auth.Role) (geojson.FeatureCollection, error) {
	st, err := s.store()
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	cms, err := st.CellMonths(ctx, f, size)
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	if cms, err = viewerCells(ctx, st, f, role, size, cms); err != nil {
		return geojson.FeatureCollection{}, err
	}
	if len(cms) > MaxGridFeatures {
		return geojson.FeatureCollection{}, tooMany(len(cms))
	}
	g := grid.Regular{Size: size}
	fc := geojson.NewCollection(len(cms))
	for _, cm := range cms {
		s, w, n, e := g.Bounds(cm.Cell)
		counts, deaths := map[string]int{}, map[string]int{}
		total, totalDeaths := 0, 0
		for i, k := range typeKeys {
			counts[k], deaths[k] = cm.Counts[i], cm.Deaths[i]
			total += cm.Counts[i]
			totalDeaths += cm.Deaths[i]
		}
		fc.Features = append(fc.Features, geojson.Feature{
			Type:     "Feature",
			Geometry: geojson.Box(w, s, e, n),
			Properties: map[string]any{
				"cell": cm.Cell, "month": cm.Month.String(), "events": total, "deaths": totalDeaths,
				"counts": counts, "deaths_by_type": deaths,
			},
		})
	}
	return fc, nil
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
func sensitiveEvents(ctx context.Context, st events.Store, f events.Filter, role auth.Role) ([]events.Event, error) {
	if role.AtLeast(auth.Responder) || (f.Source != "" && f.Source != alerts.EventSource) {
		return nil, nil
	}
	f.Source, f.Limit = alerts.EventSource, MaxLimit
	if f.BBox != nil {
		wide := widenBox(*f.BBox, alerts.ViewerGridDeg)
		f.BBox = &wide
	}
	var out []events.Event
	err := events.EachPage(ctx, st, f, func(evs []events.Event) error {
		out = append(out, evs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// viewerCells moves, for a role below responder, every event made from an
// incident from the cell of its exact position to the cell of its rounded
// one, as viewerClusters does for clusters.
func viewerCells(ctx context.Context, st events.Store, f events.Filter, role auth.Role, size float64, cms []events.CellMonth) ([]events.CellMonth, error) {
	sens, err := sensitiveEvents(ctx, st, f, role)
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
func viewerClusters(ctx context.Context, st events.Store, f events.Filter, role auth.Role, cellDeg float64, cs []events.Cluster) ([]events.Cluster, error) {
	sens, err := sensitiveEvents(ctx, st, f, role)
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
