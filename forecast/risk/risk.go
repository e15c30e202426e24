// Package risk serves stored forecasts: the map's risk layer, a cell's or a
// country's explanation, the backtest plot, and the forecast probabilities
// the coverage planner ranks gaps by.
package risk

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/geojson"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Namer names points (a *geotext.Index).
type Namer interface {
	Labeler(ctx context.Context) geotext.Labeler
}

// Service answers risk questions from the stored forecast runs.
type Service struct {
	Store  forecast.Store
	Places Namer // names cells after their nearest notable place (nil: none)
	// Refreshes returns the grids the server's forecast refresh (the
	// risk layer's "Refresh forecasts now") computes, nil when it has
	// none (Refreshes nil: none): a refusal for a forecast not stored
	// says whether a browser user can make it, or what an administrator
	// must do.
	Refreshes func() []string
}

// ErrNotFound marks a question no stored forecast answers (errors.Is): it
// is apperr's not found; the error's text says what to run.
var ErrNotFound = apperr.ErrNotFound

func (s *Service) store() (forecast.Store, error) {
	if s == nil || s.Store == nil {
		return nil, errors.New("no database configured")
	}
	return s.Store, nil
}

func (s *Service) labeler(ctx context.Context) geotext.Labeler {
	if s.Places == nil {
		return func(float64, float64) *geotext.PointLabel { return nil }
	}
	return s.Places.Labeler(ctx)
}

// gridWhat names a run selection in messages (a message when it names
// the grid, so that a refusal says it in the page's language).
func gridWhat(k forecast.RunKey) any {
	if k.Grid == "" {
		return k.Target
	}
	return apperr.MustMsg("refusal.risk.on-grid", k.Target, k.Grid)
}

func (s *Service) noForecast(err error, grid string, what any) error {
	if !errors.Is(err, forecast.ErrNoForecast) {
		return err
	}
	return apperr.Say(apperr.KindNotFound, "", s.missingKey(grid), what)
}

// missingKey is the refusal for a forecast of grid ("": a cell grid) that
// is not stored: a browser user can press "Refresh forecasts now" when the
// server's refresh computes that grid; otherwise what the server lacks.
func (s *Service) missingKey(grid string) string {
	var grids []string
	if s.Refreshes != nil {
		grids = s.Refreshes()
	}
	if grid == "" {
		grid = forecast.GridPrio
	}
	switch {
	case slices.Contains(grids, grid):
		return "refusal.risk.no-forecast"
	case grids == nil:
		return "refusal.risk.no-refresh"
	case grid == forecast.GridCountry:
		return "refusal.risk.no-cell-list"
	}
	return "refusal.risk.no-refresh-grid"
}

// misses says whether the box w0, s0, e0, n0 lies outside b (nil: the
// globe).
func misses(b *events.BBox, w0, s0, e0, n0 float64) bool {
	return b != nil && (e0 < b.West || w0 > b.East || n0 < b.South || s0 > b.North)
}

// Layer returns the map's risk layer for the runs k selects: a GeoJSON
// FeatureCollection of grid cells (or, for country runs, of countries as
// the union of their PRIO-GRID cells) within box (nil: the globe), with the forecast
// probability of any event, expected fatalities and their 90% interval
// for month at horizon h. Month 0 is the latest run's forecast h months
// after its last month of data. in (nil: every country) keeps the
// countries it names (by name or code) and the cells whose centre lies in
// one.
func (s *Service) Layer(ctx context.Context, k forecast.RunKey, month grid.Month, h int, box *events.BBox, in events.CountrySet) (geojson.FeatureCollection, error) {
	st, err := s.store()
	if err != nil {
		return geojson.FeatureCollection{}, err
	}
	if month == 0 {
		// the coming months: the latest run's origin + horizon
		last, err := st.LatestRunOf(ctx, k)
		if err != nil {
			return geojson.FeatureCollection{}, s.noForecast(err, k.Grid, gridWhat(k))
		}
		month = last.Origin + grid.Month(h)
	}
	run, cells, err := st.RiskOf(ctx, k, month, h)
	if err != nil {
		return geojson.FeatureCollection{}, s.noForecast(err, k.Grid, apperr.MustMsg("refusal.risk.month-horizon", gridWhat(k), month, h))
	}
	fc := geojson.NewCollection(len(cells))
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
			if len(mp) == 0 {
				continue
			}
			if w0, s0, e0, n0 := outlineBounds(mp); misses(box, w0, s0, e0, n0) {
				continue
			}
			if in != nil && !in.Name(u.Name, strconv.Itoa(u.Code)) {
				continue
			}
			props := riskProps(c, k.Target, run)
			props["grid"] = forecast.GridCountry
			props["country"] = u.Code
			props["name"] = u.Name
			if fr := geotext.FrenchName(u.Name); fr != "" {
				props["name_fr"] = fr // the French page's name
			}
			props["cells"] = len(u.Cells)
			props["drivers"] = c.Drivers
			props["history"] = c.History
			fc.Features = append(fc.Features, geojson.Feature{Type: "Feature", ID: u.Code, Geometry: geojson.Geometry{Type: "MultiPolygon", Coordinates: mp}, Properties: props})
		}
		return fc, nil
	}
	g := grid.Regular{Size: run.CellSize}
	label := s.labeler(ctx)
	for _, c := range cells {
		s0, w0, n0, e0 := g.Bounds(c.Cell)
		if misses(box, w0, s0, e0, n0) || in != nil && !in.At((s0+n0)/2, (w0+e0)/2) {
			continue
		}
		props := riskProps(c, k.Target, run)
		props["cell"] = c.Cell
		if p := label((s0+n0)/2, (w0+e0)/2); p != nil {
			props["place"] = p // additive: the cell's nearest notable place
		}
		fc.Features = append(fc.Features, geojson.Feature{Type: "Feature", ID: c.Cell, Geometry: geojson.Box(w0, s0, e0, n0), Properties: props})
	}
	return fc, nil
}

// riskProps are the GeoJSON properties shared by cells and countries.
func riskProps(c forecast.CellRisk, target string, run forecast.Run) map[string]any {
	return map[string]any{
		"month": c.Month.String(), "horizon": c.Horizon, "target": target,
		"probability": round4(c.Prob), "expected_fatalities": round4(c.Expected),
		"interval": [2]float64{c.Lo, c.Hi}, "run": run.ID, "origin": run.Origin.String(),
		"computed": run.Created.UTC().Format(time.RFC3339), // when the run was made
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

type forecastJSON struct {
	Month    string            `json:"month"`
	Horizon  int               `json:"horizon"`
	Prob     float64           `json:"probability"`
	Expected float64           `json:"expected_fatalities"`
	Interval [2]float64        `json:"interval"`
	Drivers  []forecast.Driver `json:"drivers"`
}

// explanation is what the cell and country answers share: the run, the
// unit's forecasts with their drivers, and its recent history.
func explanation(run forecast.Run, target string, cells []forecast.CellRisk) map[string]any {
	fs := make([]forecastJSON, 0, len(cells))
	for _, c := range cells {
		fs = append(fs, forecastJSON{Month: c.Month.String(), Horizon: c.Horizon, Prob: c.Prob, Expected: c.Expected, Interval: [2]float64{c.Lo, c.Hi}, Drivers: c.Drivers})
	}
	return map[string]any{
		"target": target, "grid": run.Grid,
		"run": run.ID, "origin": run.Origin.String(), "model": run.Model,
		"history": cells[0].History, "forecasts": fs,
	}
}

// Cell explains one cell: the latest run's forecasts for it, why (the
// features that pushed its risk up or down, as contributions to the
// log-odds), its recent history and its nearest notable place.
func (s *Service) Cell(ctx context.Context, target string, gid int) (map[string]any, error) {
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	run, cells, err := forecast.RiskCell(ctx, st, target, gid)
	if err != nil {
		return nil, s.noForecast(err, "", apperr.MustMsg("refusal.risk.cell", gid, target))
	}
	out := explanation(run, target, cells)
	out["cell"] = gid
	out["lat"], out["lon"], _ = grid.Regular{Size: run.CellSize}.Center(gid)
	if lat, ok := out["lat"].(float64); ok {
		if p := s.labeler(ctx)(lat, out["lon"].(float64)); p != nil {
			out["place"] = p
		}
	}
	return out, nil
}

// Country explains one country of the latest country run (its code in the
// cell list, e.g. Gleditsch–Ward 490): its forecasts, why, and its recent
// history.
func (s *Service) Country(ctx context.Context, target string, code int) (map[string]any, error) {
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	run, cells, err := st.RiskUnitOf(ctx, forecast.RunKey{Target: target, Grid: forecast.GridCountry}, code)
	if err != nil {
		return nil, s.noForecast(err, forecast.GridCountry, apperr.MustMsg("refusal.risk.country", code, target))
	}
	out := explanation(run, target, cells)
	out["country"] = code
	for _, u := range run.Units {
		if u.Code == code {
			out["name"], out["cells"] = u.Name, len(u.Cells)
			if fr := geotext.FrenchName(u.Name); fr != "" {
				out["name_fr"] = fr
			}
		}
	}
	return out, nil
}

// CellsCountry explains the country of the latest country run that holds
// PRIO-GRID cell gid (Country): what the map's « Explain the risk here »
// on a found place says while the map shows the country forecast.
func (s *Service) CellsCountry(ctx context.Context, target string, gid int) (map[string]any, error) {
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	run, err := st.LatestRunOf(ctx, forecast.RunKey{Target: target, Grid: forecast.GridCountry})
	if err != nil {
		return nil, s.noForecast(err, forecast.GridCountry, apperr.MustMsg("refusal.risk.cell-country", gid, target))
	}
	for _, u := range run.Units {
		if slices.Contains(u.Cells, gid) {
			return s.Country(ctx, target, u.Code)
		}
	}
	return nil, apperr.Say(apperr.KindNotFound, "", "refusal.risk.cell-no-country", gid, target)
}

// Backtest draws the latest run's backtest for the runs k selects (see
// BacktestSVG), in French when fr.
func (s *Service) Backtest(ctx context.Context, k forecast.RunKey, fr bool) (string, error) {
	st, err := s.store()
	if err != nil {
		return "", err
	}
	run, err := st.LatestRunOf(ctx, k)
	if err != nil {
		return "", s.noForecast(err, k.Grid, gridWhat(k))
	}
	if len(run.Backtest) == 0 {
		key := "refusal.risk.no-backtest"
		if s.missingKey(k.Grid) == "refusal.risk.no-forecast" && k.Grid != forecast.GridCountry {
			key = "refusal.risk.no-backtest-refresh" // the refresh's cell forecast has a backtest
		}
		return "", apperr.Say(apperr.KindNotFound, "", key, k.Target)
	}
	return BacktestSVG(run.Backtest, fr), nil
}

// CellProbabilities returns the stored forecast probability of violence
// against civilians (target osv, PRIO-GRID) for each cell in month mo at
// the shortest horizon that has one (1 to 12 months ahead), and which
// forecast they are; ok is false when no run forecasts mo.
func (s *Service) CellProbabilities(ctx context.Context, mo grid.Month) (p map[int]float64, of forecast.MonthRisk, ok bool, err error) {
	st, err := s.store()
	if err != nil {
		return nil, of, false, err
	}
	run, cells, h, ok, err := cellForecast(ctx, st, mo)
	if !ok || err != nil {
		return nil, of, false, err
	}
	p = make(map[int]float64, len(cells))
	for _, c := range cells {
		p[c.Cell] = c.Prob
	}
	return p, forecast.MonthRisk{Month: mo, Run: run.ID, Model: run.Model, Horizon: h, Created: run.Created}, true, nil
}

// cellForecast is the stored PRIO-GRID forecast of violence against
// civilians for month mo at the shortest horizon that has one (1 to 12
// months ahead): its run, cells and horizon; ok is false when none.
func cellForecast(ctx context.Context, st forecast.Store, mo grid.Month) (run forecast.Run, cells []forecast.CellRisk, h int, ok bool, err error) {
	for h := 1; h <= 12; h++ {
		run, cells, err := forecast.Risk(ctx, st, "osv", mo, h)
		if errors.Is(err, forecast.ErrNoForecast) {
			continue
		}
		if err != nil {
			return forecast.Run{}, nil, 0, false, err
		}
		if run.Grid == "priogrid" || run.CellSize == grid.PrioSize {
			return run, cells, h, true, nil
		}
	}
	return forecast.Run{}, nil, 0, false, nil
}

// cellMonths are the months from..to that cellForecast finds a forecast
// for, each with its run and shortest horizon, asked of the store at once
// without reading the forecasts (Store.RiskMonths).
func cellMonths(ctx context.Context, st forecast.Store, from, to grid.Month) ([]forecast.MonthRun, error) {
	var ms []grid.Month
	for m := from; m <= to; m++ {
		ms = append(ms, m)
	}
	mrs, err := st.RiskMonths(ctx, forecast.RunKey{Target: "osv"}, ms, 12)
	var out []forecast.MonthRun
	for _, mr := range mrs {
		if (mr.Run.Grid == "priogrid" || mr.Run.CellSize == grid.PrioSize) && (len(out) == 0 || out[len(out)-1].Month != mr.Month) {
			out = append(out, mr) // in horizon order: the shortest first
		}
	}
	return out, err
}

// CellForecastMonths are the months from..to (at most 120) for which
// CellProbabilities has a forecast, without reading the forecasts.
func (s *Service) CellForecastMonths(ctx context.Context, from, to grid.Month) ([]grid.Month, error) {
	if to-from >= 120 {
		return nil, apperr.Invalid("to", fmt.Sprintf("%s to %s: at most 120 months", from, to))
	}
	st, err := s.store()
	if err != nil {
		return nil, err
	}
	mrs, err := cellMonths(ctx, st, from, to)
	out := make([]grid.Month, len(mrs))
	for i, mr := range mrs {
		out[i] = mr.Month
	}
	return out, err
}

// NewestCellMonth is the newest month the latest cell forecast of violence
// against civilians (PRIO-GRID) covers; ok is false when none is stored.
func (s *Service) NewestCellMonth(ctx context.Context) (grid.Month, bool, error) {
	st, err := s.store()
	if err != nil {
		return 0, false, err
	}
	run, err := forecast.LatestRun(ctx, st, "osv")
	if errors.Is(err, forecast.ErrNoForecast) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	mrs, err := cellMonths(ctx, st, run.Origin+1, run.Origin+12)
	if err != nil || len(mrs) == 0 {
		return 0, false, err
	}
	return mrs[len(mrs)-1].Month, true, nil
}

// targetWords names a forecast's target ("os", "osv") in words, the
// map's names of the three types of violence; another is said as it is.
func targetWords(target string, fr bool) string {
	words := map[string][2]string{
		"sb": {"state-based conflict", "conflit impliquant un État"},
		"ns": {"non-state conflict", "conflit non étatique"},
		"os": {"violence against civilians", "violences contre les civils"},
	}
	w, ok := words[forecast.CanonicalTarget(target)]
	switch {
	case !ok:
		return target
	case fr:
		return w[1]
	}
	return w[0]
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
	// num writes x with d decimals as the plot's language does (0,264 in French).
	num := func(x float64, d int) string {
		v := strconv.FormatFloat(x, 'f', d, 64)
		if fr {
			v = strings.Replace(v, ".", ",", 1)
		}
		return v
	}
	var b strings.Builder
	// size and padding; the legend's two lines below the panels
	const W, H, P, legend = 760, 400, 50, 20
	pw := (W - 3*P) / 2
	ph := H - legend - 2*P - 20
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12" role="img">`, W, H, W, H)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, W, H)
	panel := func(x0 int, title, xl, yl string) {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-weight="bold">%s</text>`, x0, P-15, html.EscapeString(title))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888"/>`, x0, P, pw, ph)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ccc" stroke-dasharray="4 3"/>`, x0, P+ph, x0+pw, P)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, x0+pw/2, P+ph+32, html.EscapeString(xl))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)">%s</text>`, x0-32, P+ph/2, x0-32, P+ph/2, html.EscapeString(yl))
		for _, v := range []float64{0, 0.5, 1} {
			tick := strings.Replace(strconv.FormatFloat(v, 'g', -1, 64), ".", map[bool]string{true: ",", false: "."}[fr], 1)
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="10">%s</text>`, x0+int(v*float64(pw)), P+ph+14, tick)
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="10">%s</text>`, x0-4, P+ph-int(v*float64(ph))+4, tick)
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
	units, top10 := t("share of cells, highest risk first", "part des cellules, risque décroissant"), t("top 10% cells", "10 % des cellules")
	if model != nil && model.Grid == forecast.GridCountry {
		units, top10 = t("share of countries, highest risk first", "part des pays, risque décroissant"), t("top 10% countries", "10 % des pays")
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
	// legend and summary: one line per series, what it is in words (the
	// learned model, the best baseline), then its scores in the plot's
	// language
	y := H - legend - 6
	for i, sr := range series {
		if sr.r == nil {
			continue
		}
		// The gradient-boosted trees are named in words alone, as the risk
		// layer's legend names them (web/ui/i18n/risk.*.json risk.model.gbt),
		// not by their code: « modèle appris (arbres de décision à
		// gradient) » would run past the plot's width in French.
		what := t("learned model", "modèle appris") + " (" + html.EscapeString(sr.r.Model) + ")"
		if i > 0 {
			what = t("best baseline", "meilleure référence") + " (" + html.EscapeString(sr.r.Model) + ")"
		} else if sr.r.Model == forecast.ModelGBT {
			what = t("gradient-boosted trees", "arbres de décision à gradient")
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="4" fill="%s"/>`, P, y-4, sr.colour)
		capture := num(100*sr.r.Capture10, 0)
		capture = t(top10+": "+capture+"% of events", top10+"\u00a0: "+capture+"\u202f% des événements")
		fmt.Fprintf(&b, `<text x="%d" y="%d">%s — AUPR %s, Brier %s, %s</text>`, P+20, y, what,
			num(sr.r.AUPR, 3), num(sr.r.Brier, 5), capture)
		y += legend
	}
	if model != nil {
		months := "months"
		if model.Horizon == 1 {
			months = "month"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="#555" text-anchor="end">%s, %s %s…%s, %s</text>`, W-P, 16,
			html.EscapeString(targetWords(model.Target, fr)), t("backtest", "test rétrospectif"), html.EscapeString(model.From), html.EscapeString(model.To),
			t(fmt.Sprintf("%d %s ahead", model.Horizon, months), fmt.Sprintf("à %d mois", model.Horizon)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
