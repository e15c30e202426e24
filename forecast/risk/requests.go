package risk

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/geojson"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/query"
)

// The risk API's queries read and checked here (each refusal invalid
// input naming its parameter), then answered by the Service's methods.

// ParseTarget reads the optional target parameter (osv, the default, sb,
// ns or another name forecast.ParseType takes) as forecast.TypeNames
// writes it (os, sb, ns).
func ParseTarget(v string) (string, error) {
	if v == "" {
		v = "osv"
	}
	t, err := forecast.ParseType(v)
	if err != nil {
		return "", apperr.Fieldf(apperr.KindInvalid, "target", "%q: want %s or %s", v, "osv, sb", "ns")
	}
	return forecast.TypeNames[t], nil
}

// ParseKey reads the optional target (see ParseTarget), grid and
// cell_size parameters: no grid is the map's cell runs (PRIO-GRID or ops,
// the newest); priogrid, ops (cell_size narrows it) or country select
// that grid.
func ParseKey(q url.Values) (forecast.RunKey, error) {
	target, err := ParseTarget(q.Get("target"))
	if err != nil {
		return forecast.RunKey{}, err
	}
	k := forecast.RunKey{Target: target}
	switch g := strings.ToLower(q.Get("grid")); g {
	case "", forecast.GridPrio, forecast.GridOps, forecast.GridCountry:
		k.Grid = g
	default:
		return k, apperr.Fieldf(apperr.KindInvalid, "grid", "%q: want %s or %s", q.Get("grid"), "priogrid, ops", "country")
	}
	if v := q.Get("cell_size"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0 && f <= 0.5) {
			return k, apperr.Fieldf(apperr.KindInvalid, "cell_size", "%q: want the ops grid's cell size in degrees, above 0 and at most 0.5", v)
		}
		if k.Grid != forecast.GridOps {
			return k, apperr.Say(apperr.KindInvalid, "cell_size", "refusal.risk.cell-size-ops")
		}
		k.CellSize = f
	}
	return k, nil
}

// LayerQuery is Layer for the query q: month (none: the latest run's
// forecast horizon months after its data), horizon (1 to
// forecast.MaxHorizon, default 1), the run key (ParseKey) and bbox;
// countries reads the country filter after those are checked.
func (s *Service) LayerQuery(ctx context.Context, q url.Values, countries events.CountryParam) (geojson.FeatureCollection, error) {
	var month grid.Month
	var err error
	if mv := q.Get("month"); mv != "" {
		if month, err = grid.ParseMonth(mv); err != nil {
			return geojson.FeatureCollection{}, query.Month("month", mv)
		}
	}
	h, err := query.Int(q, "horizon", 1, 1, forecast.MaxHorizon, query.Months(forecast.MaxHorizon))
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	key, err := ParseKey(q)
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	box, err := events.ParseBBox(q.Get("bbox"))
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	in, err := countries()
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	return s.Layer(ctx, key, month, int(h), box, in)
}

// A Place is what a risk explanation is asked about: a cell (Cell) or a
// country (Country), written as an integer in a path.
type Place struct {
	Param   string // the path parameter naming it
	Min     int    // its smallest and largest value
	Max     int
	What    string // what it is, for a refusal ("a grid cell id")
	Explain func(*Service, context.Context, string, int) (map[string]any, error)
}

// The places a risk explanation is asked about.
var (
	CellPlace    = Place{"gid", 1, 360 * 180 * 400, "a grid cell id", (*Service).Cell}
	CountryPlace = Place{"code", 0, 1_000_000, "a country code (e.g. 490)", (*Service).Country}
)

// Explain is p's explanation for the place written v, for the target of
// the query q. A cell asked with grid=country (the map showing the country
// forecast) is explained by the country holding it (CellsCountry).
func (s *Service) Explain(ctx context.Context, p Place, v string, q url.Values) (map[string]any, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < p.Min || n > p.Max {
		return nil, apperr.Fieldf(apperr.KindInvalid, p.Param, "%q is not %s", v, apperr.Text(p.What))
	}
	target, err := ParseTarget(q.Get("target"))
	if err != nil {
		return nil, err
	}
	switch g := q.Get("grid"); {
	case g == "":
	case p.Param == CellPlace.Param && strings.EqualFold(g, forecast.GridCountry):
		return s.CellsCountry(ctx, target, n)
	default:
		return nil, apperr.Fieldf(apperr.KindInvalid, "grid", "%q: want country (the country holding the cell) or none (the cell itself)", g)
	}
	return p.Explain(s, ctx, target, n)
}

// BacktestQuery is Backtest for the query q: the run key (ParseKey), in
// French when lang is fr.
func (s *Service) BacktestQuery(ctx context.Context, q url.Values) (string, error) {
	key, err := ParseKey(q)
	if err != nil {
		return "", err
	}
	return s.Backtest(ctx, key, q.Get("lang") == "fr")
}
