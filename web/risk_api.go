package web

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

// Risk forecast routes: the map's risk layer, a clicked cell's explanation
// and the backtest plot.
func (s *Server) riskStore() (forecast.Store, error) {
	if s.DB == nil {
		return nil, errors.New("no database configured")
	}
	return s.DB, nil
}

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

// riskKey reads the optional grid and cell_size parameters: no grid is the
// map's cell runs (PRIO-GRID or ops, the newest); priogrid, ops (cell_size
// narrows it) or country select that grid.
func riskKey(target string, q map[string][]string) (forecast.RunKey, error) {
	k := forecast.RunKey{Target: target}
	get := func(n string) string {
		if v := q[n]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	switch g := strings.ToLower(get("grid")); g {
	case "", forecast.GridPrio, forecast.GridOps, forecast.GridCountry:
		k.Grid = g
	default:
		return k, badRequest("grid", "grid: %q: want priogrid, ops or country", get("grid"))
	}
	if v := get("cell_size"); v != "" {
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

// gridWhat names a run selection in messages.
func gridWhat(k forecast.RunKey) string {
	if k.Grid == "" {
		return k.Target
	}
	return k.Target + " on grid " + k.Grid
}

func noForecast(err error, what string) error {
	if errors.Is(err, forecast.ErrNoForecast) {
		return errorf(http.StatusNotFound, "no forecast stored for %s: run vigil forecast", what)
	}
	return err
}

// risk answers GET /api/v1/risk?month=YYYY-MM&horizon=H[&target=osv][&grid=…][&bbox=w,s,e,n]:
// a GeoJSON FeatureCollection of grid cells (or, with grid=country, of
// countries as the union of their PRIO-GRID cells) with the forecast
// probability of any event, expected fatalities and their 90% interval.
// Without month, the latest run's forecast H months after its last month
// of data.
func (s *Server) risk(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "horizon", "target", "bbox", "grid", "cell_size"); err != nil {
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
	target, err := riskTarget(q.Get("target"))
	if err != nil {
		return err
	}
	key, err := riskKey(target, q)
	if err != nil {
		return err
	}
	var west, south, east, north = -180.0, -90.0, 180.0, 90.0
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return err
		}
		west, south, east, north = b.West, b.South, b.East, b.North
	}
	st, err := s.riskStore()
	if err != nil {
		return err
	}
	if mv == "" {
		// the coming months: the latest run's origin + horizon
		last, err := st.LatestRunOf(r.Context(), key)
		if err != nil {
			return noForecast(err, gridWhat(key))
		}
		month = last.Origin + grid.Month(h)
	}
	run, cells, err := st.RiskOf(r.Context(), key, month, h)
	if err != nil {
		return noForecast(err, fmt.Sprintf("%s, month %s at horizon %d", gridWhat(key), month, h))
	}
	outside := func(w0, s0, e0, n0 float64) bool { return e0 < west || w0 > east || n0 < south || s0 > north }
	fc := FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, 0, len(cells))}
	if strings.EqualFold(run.Grid, forecast.GridCountry) {
		units := map[int]forecast.Unit{}
		for _, u := range run.Units {
			units[u.Code] = u
		}
		for _, c := range cells {
			u, ok := units[c.Cell]
			if !ok {
				continue
			}
			mp := grid.PrioOutline(u.Cells)
			if len(mp) == 0 || outside(outlineBounds(mp)) {
				continue
			}
			props := riskProps(c, target, run)
			props["grid"] = forecast.GridCountry
			props["country"] = u.Code
			props["name"] = u.Name
			props["cells"] = len(u.Cells)
			props["drivers"] = c.Drivers
			props["history"] = c.History
			fc.Features = append(fc.Features, Feature{Type: "Feature", ID: u.Code, Geometry: Geometry{"MultiPolygon", mp}, Properties: props})
		}
		writeJSON(w, http.StatusOK, fc)
		return nil
	}
	g := grid.Regular{Size: run.CellSize}
	label := s.placeLabeler(r.Context())
	for _, c := range cells {
		s0, w0, n0, e0 := g.Bounds(c.Cell)
		if outside(w0, s0, e0, n0) {
			continue
		}
		ring := [][2]float64{{w0, s0}, {e0, s0}, {e0, n0}, {w0, n0}, {w0, s0}}
		props := riskProps(c, target, run)
		props["cell"] = c.Cell
		if p := label((s0+n0)/2, (w0+e0)/2); p != nil {
			props["place"] = p // additive: the cell's nearest notable place
		}
		fc.Features = append(fc.Features, Feature{
			Type: "Feature", ID: c.Cell,
			Geometry:   Geometry{"Polygon", [][][2]float64{ring}},
			Properties: props,
		})
	}
	writeJSON(w, http.StatusOK, fc)
	return nil
}

// riskProps are the GeoJSON properties shared by cells and countries.
func riskProps(c forecast.CellRisk, target string, run forecast.Run) map[string]any {
	return map[string]any{
		"month": c.Month.String(), "horizon": c.Horizon, "target": target,
		"probability": round4(c.Prob), "expected_fatalities": round4(c.Expected),
		"interval": [2]float64{c.Lo, c.Hi}, "run": run.ID, "origin": run.Origin.String(),
	}
}

// outlineBounds returns west, south, east, north of MultiPolygon coordinates.
func outlineBounds(mp [][][][2]float64) (w, s, e, n float64) {
	w, s, e, n = 180, 90, -180, -90
	for _, pg := range mp {
		for _, p := range pg[0] {
			w, e = min(w, p[0]), max(e, p[0])
			s, n = min(s, p[1]), max(n, p[1])
		}
	}
	return w, s, e, n
}

func round4(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	return f
}

type riskForecastJSON struct {
	Month    string            `json:"month"`
	Horizon  int               `json:"horizon"`
	Prob     float64           `json:"probability"`
	Expected float64           `json:"expected_fatalities"`
	Interval [2]float64        `json:"interval"`
	Drivers  []forecast.Driver `json:"drivers"`
}

// riskCell answers GET /api/v1/risk/cell/{gid}[?target=osv]: the latest
// run's forecasts for one cell, why (the features that pushed its risk up
// or down, as contributions to the log-odds) and its recent history.
func (s *Server) riskCell(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "target"); err != nil {
		return err
	}
	gv := r.PathValue("gid")
	gid, err := strconv.Atoi(gv)
	if err != nil || gid < 1 || gid > 360*180*400 {
		return badRequest("gid", "gid: %q is not a grid cell id", gv)
	}
	target, err := riskTarget(q.Get("target"))
	if err != nil {
		return err
	}
	st, err := s.riskStore()
	if err != nil {
		return err
	}
	run, cells, err := st.RiskCell(r.Context(), target, gid)
	if err != nil {
		return noForecast(err, fmt.Sprintf("cell %d (%s)", gid, target))
	}
	out := riskExplanation(run, target, cells)
	out["cell"] = gid
	out["lat"], out["lon"], _ = grid.Regular{Size: run.CellSize}.Center(gid)
	if lat, ok := out["lat"].(float64); ok {
		if p := s.placeLabeler(r.Context())(lat, out["lon"].(float64)); p != nil {
			out["place"] = p
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// riskExplanation is what the cell and country answers share: the run, the
// unit's forecasts with their drivers, and its recent history.
func riskExplanation(run forecast.Run, target string, cells []forecast.CellRisk) map[string]any {
	fs := make([]riskForecastJSON, 0, len(cells))
	for _, c := range cells {
		fs = append(fs, riskForecastJSON{Month: c.Month.String(), Horizon: c.Horizon, Prob: c.Prob, Expected: c.Expected, Interval: [2]float64{c.Lo, c.Hi}, Drivers: c.Drivers})
	}
	return map[string]any{
		"target": target, "grid": run.Grid,
		"run": run.ID, "origin": run.Origin.String(), "model": run.Model,
		"history": cells[0].History, "forecasts": fs,
	}
}

// riskCountry answers GET /api/v1/risk/country/{code}[?target=osv]: the
// latest country run's forecasts for one country (its code in the cell
// list, e.g. Gleditsch–Ward 490), why, and its recent history.
func (s *Server) riskCountry(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "target"); err != nil {
		return err
	}
	cv := r.PathValue("code")
	code, err := strconv.Atoi(cv)
	if err != nil || code < 0 || code > 1_000_000 {
		return badRequest("code", "code: %q is not a country code (e.g. 490)", cv)
	}
	target, err := riskTarget(q.Get("target"))
	if err != nil {
		return err
	}
	st, err := s.riskStore()
	if err != nil {
		return err
	}
	run, cells, err := st.RiskUnitOf(r.Context(), forecast.RunKey{Target: target, Grid: forecast.GridCountry}, code)
	if err != nil {
		return noForecast(err, fmt.Sprintf("country %d (%s): run vigil forecast --grid country", code, target))
	}
	out := riskExplanation(run, target, cells)
	out["country"] = code
	for _, u := range run.Units {
		if u.Code == code {
			out["name"], out["cells"] = u.Name, len(u.Cells)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// riskBacktestSVG answers GET /api/v1/risk/backtest.svg[?target=osv][&grid=…]: the
// latest run's backtest as an SVG with the calibration plot and the capture
// curve, the learned model beside the best baseline.
func (s *Server) riskBacktestSVG(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "target", "lang", "grid", "cell_size"); err != nil {
		return err
	}
	target, err := riskTarget(q.Get("target"))
	if err != nil {
		return err
	}
	key, err := riskKey(target, q)
	if err != nil {
		return err
	}
	st, err := s.riskStore()
	if err != nil {
		return err
	}
	run, err := st.LatestRunOf(r.Context(), key)
	if err != nil {
		return noForecast(err, gridWhat(key))
	}
	if len(run.Backtest) == 0 {
		return errorf(http.StatusNotFound, "the latest %s forecast run has no backtest: run vigil forecast with --backtest-months", target)
	}
	fr := q.Get("lang") == "fr"
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write([]byte(BacktestSVG(run.Backtest, fr)))
	return err
}

// BacktestSVG draws a calibration plot and a capture curve for the learned
// model and the best baseline (by AUPR).
func BacktestSVG(rs []forecast.Result, fr bool) string {
	var model, base *forecast.Result
	for i := range rs {
		if rs[i].Model == forecast.ModelGBT {
			model = &rs[i]
		} else if base == nil || rs[i].AUPR > base.AUPR {
			base = &rs[i]
		}
	}
	t := func(en, f string) string {
		if fr {
			return f
		}
		return en
	}
	var b strings.Builder
	const W, H, P = 760, 380, 50 // size and padding
	pw := (W - 3*P) / 2
	ph := H - 2*P - 20
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12" role="img">`, W, H, W, H)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, W, H)
	panel := func(x0 int, title, xl, yl string) {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`, x0, P-15, html.EscapeString(title))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`, x0, P, pw, ph)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ccc" stroke-dasharray="4 3"/>`, x0, P+ph, x0+pw, P)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, x0+pw/2, P+ph+32, html.EscapeString(xl))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)">%s</text>`, x0-32, P+ph/2, x0-32, P+ph/2, html.EscapeString(yl))
		for _, v := range []float64{0, 0.5, 1} {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="10">%g</text>`, x0+int(v*float64(pw)), P+ph+14, v)
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="10">%g</text>`, x0-4, P+ph-int(v*float64(ph))+4, v)
		}
	}
	xy := func(x0 int, x, y float64) (float64, float64) {
		return float64(x0) + x*float64(pw), float64(P+ph) - y*float64(ph)
	}
	line := func(x0 int, pts [][2]float64, colour string, dash bool) {
		if len(pts) == 0 {
			return
		}
		var d strings.Builder
		for i, p := range pts {
			x, y := xy(x0, p[0], p[1])
			if i == 0 {
				fmt.Fprintf(&d, "M%.1f %.1f", x, y)
			} else {
				fmt.Fprintf(&d, " L%.1f %.1f", x, y)
			}
		}
		da := ""
		if dash {
			da = ` stroke-dasharray="6 3"`
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>`, d.String(), colour, da)
		for _, p := range pts {
			x, y := xy(x0, p[0], p[1])
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`, x, y, colour)
		}
	}
	x1, x2 := P, 2*P+pw
	units, top10 := t("share of cells, highest risk first", "part des cellules, risque décroissant"), t("top 10% cells", "10 % des cellules")
	if model != nil && model.Grid == forecast.GridCountry {
		units, top10 = t("share of countries, highest risk first", "part des pays, risque décroissant"), t("top 10% countries", "10 % des pays")
	}
	panel(x1, t("Calibration", "Calibration"), t("forecast probability", "probabilité prévue"), t("observed frequency", "fréquence observée"))
	panel(x2, t("Capture of next month's events", "Part des événements du mois suivant"), units, t("share of events", "part des événements"))
	series := []struct {
		r      *forecast.Result
		colour string
		dash   bool
	}{{model, "#c0392b", false}, {base, "#2c6fbb", true}}
	for _, sr := range series {
		if sr.r == nil {
			continue
		}
		var cal [][2]float64
		for _, c := range sr.r.Calibration {
			if c.N >= 10 {
				cal = append(cal, [2]float64{c.MeanPredicted, c.Observed})
			}
		}
		line(x1, cal, sr.colour, sr.dash)
		capt := [][2]float64{{0, 0}}
		for k, v := range sr.r.CaptureCurve {
			capt = append(capt, [2]float64{float64(k+1) / float64(len(sr.r.CaptureCurve)), v})
		}
		line(x2, capt, sr.colour, sr.dash)
	}
	// legend and summary
	y := H - 18
	xl := P
	for _, sr := range series {
		if sr.r == nil {
			continue
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="4" fill="%s"/>`, xl, y-4, sr.colour)
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s — AUPR %.3f, Brier %.5f, %s %.0f%%</text>`, xl+20, y, html.EscapeString(sr.r.Model), sr.r.AUPR, sr.r.Brier, top10, 100*sr.r.Capture10)
		xl += 360
	}
	if model != nil {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="#555" text-anchor="end">%s %s…%s, %s %d</text>`, W-P, 16, html.EscapeString(model.Target), model.From, model.To, t("horizon", "horizon"), model.Horizon)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
