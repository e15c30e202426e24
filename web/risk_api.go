package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/grid"
)

// Risk forecast handlers (the map's risk layer, a clicked cell's
// explanation and the backtest plot): they read the query and call
// Server.Risk (forecast/risk).

// riskTarget reads the optional target parameter (default osv).
func riskTarget(v string) (string, error) {
	if v == "" {
		v = "osv"
	}
	t, err := forecast.ParseType(v)
	if err != nil {
		return "", badRequest("target", "target: %q: want osv, sb or ns", v)
	}
	return forecast.TypeNames[t], nil
}

// riskKey reads the optional target (see riskTarget), grid and cell_size
// parameters: no grid is the map's cell runs (PRIO-GRID or ops, the
// newest); priogrid, ops (cell_size narrows it) or country select that
// grid.
func riskKey(q url.Values) (forecast.RunKey, error) {
	target, err := riskTarget(q.Get("target"))
	if err != nil {
		return forecast.RunKey{}, err
	}
	k := forecast.RunKey{Target: target}
	switch g := strings.ToLower(q.Get("grid")); g {
	case "", forecast.GridPrio, forecast.GridOps, forecast.GridCountry:
		k.Grid = g
	default:
		return k, badRequest("grid", "grid: %q: want priogrid, ops or country", q.Get("grid"))
	}
	if v := q.Get("cell_size"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f > 0 && f <= 0.5) {
			return k, badRequest("cell_size", "cell_size: %q: want the ops grid's cell size in degrees, above 0 and at most 0.5", v)
		}
		if k.Grid != forecast.GridOps {
			return k, badRequest("cell_size", "cell_size applies to grid=ops only")
		}
		k.CellSize = f
	}
	return k, nil
}

// riskErr answers a question no stored forecast answers with 404.
func riskErr(err error) error {
	if errors.Is(err, risk.ErrNotFound) {
		return errorf(http.StatusNotFound, "%s", err.Error())
	}
	return err
}

// risk answers GET /api/v1/risk?month=YYYY-MM&horizon=H[&target=osv][&grid=…][&bbox=w,s,e,n][&country=…]:
// a GeoJSON FeatureCollection of grid cells (or, with grid=country, of
// countries as the union of their PRIO-GRID cells) with the forecast
// probability of any event, expected fatalities and their 90% interval.
// Without month, the latest run's forecast H months after its last month
// of data.
func (s *Server) risk(w http.ResponseWriter, r *http.Request, svc *risk.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "horizon", "target", "bbox", "grid", "cell_size", "country"); err != nil {
		return err
	}
	mv := q.Get("month")
	var month grid.Month
	var err error
	if mv != "" {
		if month, err = grid.ParseMonth(mv); err != nil {
			return badRequest("month", "month: %q is not a month (YYYY-MM)", mv)
		}
	}
	hv := q.Get("horizon")
	h := 1
	if hv != "" {
		h, err = strconv.Atoi(hv)
		if err != nil || h < 1 || h > forecast.MaxHorizon {
			return badRequest("horizon", "horizon: %q must be a whole number of months 1…%d", hv, forecast.MaxHorizon)
		}
	}
	key, err := riskKey(q)
	if err != nil {
		return err
	}
	box, err := events.ParseBBox(q.Get("bbox"))
	if err != nil {
		return err
	}
	in, err := s.countries(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Layer(r.Context(), key, month, h, box, in))
}

// riskPlace is the handler of GET /api/v1/risk/cell/{gid} (the latest
// run's forecasts for one cell) and GET /api/v1/risk/country/{code} (the
// latest country run's, for one country: its code in the cell list, e.g.
// Gleditsch–Ward 490), [?target=osv]: why (the features that pushed its
// risk up or down, as contributions to the log-odds) and its recent
// history. The path value name is an integer lo..hi; bad says what it is
// not.
func riskPlace(name string, lo, hi int, bad string, get func(*risk.Service, context.Context, string, int) (map[string]any, error)) serviceMethod[*risk.Service] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc *risk.Service) error {
		q := r.URL.Query()
		if err := checkParams(q, "target"); err != nil {
			return err
		}
		v := r.PathValue(name)
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return badRequest(name, "%s: %q is not %s", name, v, bad)
		}
		target, err := riskTarget(q.Get("target"))
		if err != nil {
			return err
		}
		return reply(w, http.StatusOK)(get(svc, r.Context(), target, n))
	}
}

// riskBacktestSVG answers GET /api/v1/risk/backtest.svg[?target=osv][&grid=…]: the
// latest run's backtest as an SVG with the calibration plot and the capture
// curve, the learned model beside the best baseline.
func (s *Server) riskBacktestSVG(w http.ResponseWriter, r *http.Request, svc *risk.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "target", "lang", "grid", "cell_size"); err != nil {
		return err
	}
	key, err := riskKey(q)
	if err != nil {
		return err
	}
	svg, err := svc.Backtest(r.Context(), key, q.Get("lang") == "fr")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write([]byte(svg))
	return err
}
