package web

import (
	"net/http"

	"github.com/vigil-project/vigil/forecast/risk"
)

// Risk forecast handlers (the map's risk layer, a clicked cell's or
// country's explanation and the backtest plot): they check the query's
// parameter names and hand it to Server.Risk (forecast/risk), which reads
// it.

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
	return reply(w, http.StatusOK)(svc.LayerQuery(r.Context(), q, s.countryParam(r)))
}

// riskPlace is the handler of GET /api/v1/risk/cell/{gid} (the latest
// run's forecasts for one cell; with grid=country, the latest country
// run's for the country holding the cell) and GET
// /api/v1/risk/country/{code} (the latest country run's, for one country:
// its code in the cell list, e.g. Gleditsch–Ward 490), [?target=osv]: why
// (the features that pushed its risk up or down, as contributions to the
// log-odds) and its recent history.
func riskPlace(p risk.Place) serviceMethod[*risk.Service] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc *risk.Service) error {
		q := r.URL.Query()
		if err := checkParams(q, "target", "grid"); err != nil {
			return err
		}
		return reply(w, http.StatusOK)(svc.Explain(r.Context(), p, r.PathValue(p.Param), q))
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
	svg, err := svc.BacktestQuery(r.Context(), q)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write([]byte(svg))
	return err
}
