package coverage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// The coverage service's answers: what the API serves (the layer, the gap
// list, responsiveness, the planner's try, plan and cut, deployments,
// scenarios and the population and season inputs), computed from the
// prepared inputs and, when one is stored, the forecast of the month.

// ForecastSource gives the forecast probability of violence against
// civilians per PRIO-GRID cell for a month (forecast/risk's Service); ok
// is false when no forecast covers it.
type ForecastSource interface {
	CellProbabilities(ctx context.Context, mo grid.Month) (p map[int]float64, of forecast.MonthRisk, ok bool, err error)
	// CellForecastMonths are the months from..to that CellProbabilities
	// has a forecast for, found without reading the forecasts.
	CellForecastMonths(ctx context.Context, from, to grid.Month) ([]grid.Month, error)
}

// Namer names points (a *geotext.Index).
type Namer interface {
	Labeler(ctx context.Context) geotext.Labeler
}

// ErrBadInput and ErrNotFound mark a request the service refuses
// (errors.Is): bad input (apperr.FieldOf names the field) or no data to
// answer it. They are apperr's kinds: the HTTP edge maps them once.
var (
	ErrBadInput = apperr.ErrInvalid
	ErrNotFound = apperr.ErrNotFound
)

// badInput refuses a request naming field; the text is the whole message,
// said by the catalog (Refusals, or another registered one) when format is
// one of its messages.
func badInput(field, format string, args ...any) error {
	return apperr.Wrap(apperr.KindInvalid, field, apperr.Textf(format, args...))
}

// notFound is no data to answer a request, said by the catalog when
// format is one of its messages.
func notFound(format string, args ...any) error {
	return apperr.FieldErr(apperr.KindNotFound, "", apperr.Textf(format, args...))
}

// refused is the model's refusal of a try, plan or cut: invalid input
// with err's text, said by the catalog when err carries a message.
func refused(err error) error {
	return apperr.Wrap(apperr.KindInvalid, "", err)
}

// RiskInfo says what a month's risk numbers are: a stored forecast's
// probabilities (Forecast) or, without one, counts of recent events.
type RiskInfo struct {
	Definition string              // in English, for the API's readers
	Forecast   *forecast.MonthRisk // nil: recent events
}

// recentViolenceDef says what the risk is without a stored forecast.
const recentViolenceDef = "UCDP events (types 1-3) in the cell in the 12 months before the month (no forecast stored for the month)"

// inputs is what every coverage computation needs.
type inputs struct {
	prep  *Prepared
	model *Model
	risk  Risk
	// what says what the risk numbers are.
	what RiskInfo
}

// inputs returns the (cached) inputs with the model for month mo (0: no
// particular month; the population layer's year-independent rows) and
// the recent-violence risk.
func (s *Service) inputs(ctx context.Context, mo grid.Month) (*inputs, error) {
	p, err := s.Prepare(ctx)
	if err != nil {
		return nil, err
	}
	return &inputs{prep: p, model: p.Model(mo), risk: p.Recent, what: RiskInfo{Definition: recentViolenceDef}}, nil
}

// loadRisk is inputs with the risk of month mo taken from the stored
// forecast when there is one (useForecast).
func (s *Service) loadRisk(ctx context.Context, mo grid.Month) (*inputs, error) {
	in, err := s.inputs(ctx, mo)
	if err != nil {
		return nil, err
	}
	return in, s.useForecast(ctx, in, mo)
}

// useForecast switches the risk to the forecast probability of month mo
// when one is stored; otherwise the recent-violence fallback stays.
func (s *Service) useForecast(ctx context.Context, in *inputs, mo grid.Month) error {
	if s.Forecast == nil {
		return nil
	}
	p, of, ok, err := s.Forecast.CellProbabilities(ctx, mo)
	if err != nil || !ok {
		return err
	}
	in.risk = RiskFunc(func(cell int, m grid.Month) float64 { return p[cell] })
	in.what = RiskInfo{Definition: of.Definition(), Forecast: &of}
	return nil
}

// latestMonth is the last month with both deployments and events (0 when
// neither is stored).
func (p *Prepared) latestMonth() grid.Month {
	_, mo := Span(p.Deps)
	var last grid.Month
	for _, x := range p.Inc {
		last = max(last, x.Month)
	}
	if last != 0 && (mo == 0 || last < mo) {
		mo = last
	}
	return mo
}

// CellMonths returns every cell's coverage and risk in month mo (0: the
// last month with both deployments and events), the month, and what the
// risk numbers are: a stored forecast's probabilities (its run, model and
// horizon) or counts of recent events. Information integrity joins its
// items to it.
func (s *Service) CellMonths(ctx context.Context, mo grid.Month) ([]CellMonth, grid.Month, RiskInfo, error) {
	if mo == 0 {
		p, err := s.Prepare(ctx)
		if err != nil {
			return nil, 0, RiskInfo{}, err
		}
		mo = p.latestMonth()
	}
	cms, what, err := s.cellMonths(ctx, mo)
	return cms, mo, what, err
}

// HasForecast says whether a stored forecast gives month mo's risk
// (CellMonths), found without reading it.
func (s *Service) HasForecast(ctx context.Context, mo grid.Month) (bool, error) {
	if s.Forecast == nil {
		return false, nil
	}
	ms, err := s.Forecast.CellForecastMonths(ctx, mo, mo)
	return len(ms) > 0, err
}

// NewestForecastMonth is the newest month a stored cell forecast covers
// (ok false: none, or no forecast source).
func (s *Service) NewestForecastMonth(ctx context.Context) (grid.Month, bool, error) {
	f, ok := s.Forecast.(interface {
		NewestCellMonth(ctx context.Context) (grid.Month, bool, error)
	})
	if !ok {
		return 0, false, nil
	}
	return f.NewestCellMonth(ctx)
}

func (s *Service) cellMonths(ctx context.Context, mo grid.Month) ([]CellMonth, RiskInfo, error) {
	in, err := s.loadRisk(ctx, mo)
	if err != nil {
		return nil, RiskInfo{}, err
	}
	return in.model.Month(in.prep.Deps, mo, in.risk), in.what, nil
}

// Layer returns the coverage and uncovered risk of month mo within bbox
// (nil: all) and of the chosen countries (nil: all), saying whether the
// risk is a forecast's probability (risk_is_forecast) or a count of recent
// events, as GapReport does: the covered and the at-risk cells as GeoJSON
// polygons, the others in columns (quiet, layerAnswer). Each cell carries
// the label of its nearest notable place and its country in French
// (layerCell): the map's tooltips name it by place.
func (s *Service) Layer(ctx context.Context, mo grid.Month, bbox *events.BBox, countries events.CountrySet) (map[string]any, error) {
	cms, what, err := s.cellMonths(ctx, mo)
	if err != nil {
		return nil, err
	}
	in := func(c CellMonth) bool {
		lat, lon, _ := grid.PrioCenter(c.Cell)
		if bbox != nil && (lat < bbox.South || lat > bbox.North || lon < bbox.West || lon > bbox.East) {
			return false
		}
		return countries == nil || countries.Name(c.Country)
	}
	return layerAnswer(cms, in, s.cellLabeler(ctx), mo, what.Forecast != nil), nil
}

// layerAnswer is the layer of cells cms (those in keeps, labelled by
// label): a GeoJSON FeatureCollection of the cells covered or at risk,
// and in quiet the others, neither covered nor at risk, as columns
// (quietCells). The quiet cells were nine in ten of the demo month's
// 2,930 (1.29 MB of GeoJSON, most of its encoding time); the map draws
// them as an outline and names them in a tooltip, rebuilt in the page
// (coverage.js layerFeatures) with the same properties.
func layerAnswer(cms []CellMonth, keep func(CellMonth) bool, label func(gid int) *geotext.PointLabel, mo grid.Month, forecast bool) map[string]any {
	feats := make([]layerFeature, 0, len(cms)/4)
	q := newQuietCells()
	// the countries' French names, looked up once each (geotext.FrenchName
	// allocates 4 times a call: a third of the demo month's allocations)
	frOf := map[string]string{}
	french := func(country string) string {
		fr, ok := frOf[country]
		if !ok {
			fr = geotext.FrenchName(country)
			frOf[country] = fr
		}
		return fr
	}
	for _, c := range cms {
		if !keep(c) {
			continue
		}
		if !c.Covered && c.Risk == 0 && c.UncoveredRisk == 0 {
			q.add(c, shortLabel(label(c.Cell)))
			continue
		}
		lat, lon, _ := grid.PrioCenter(c.Cell)
		h := grid.PrioSize / 2
		feats = append(feats, layerFeature{
			Type: "Feature", ID: c.Cell,
			Geometry:   cellSquare{Type: "Polygon", Coordinates: [1][5][2]float64{{{lon - h, lat - h}, {lon + h, lat - h}, {lon + h, lat + h}, {lon - h, lat + h}, {lon - h, lat - h}}}},
			Properties: layerCell{CellMonth: c, Place: shortLabel(label(c.Cell)), CountryFR: french(c.Country)},
		})
	}
	return map[string]any{"type": "FeatureCollection", "features": feats, "quiet": q, "month": mo.String(), "risk_is_forecast": forecast}
}

// layerFeature is a covered or at-risk cell of the layer as a GeoJSON
// Feature, a typed value in the features' slice: a map per feature, per
// geometry and per ring (with each property boxed) was 14 allocations a
// cell (TestLayerFeaturesCompact). Its fields are in the order the maps'
// keys were encoded (sorted), so the answer's bytes are the same.
type layerFeature struct {
	Geometry   cellSquare `json:"geometry"`
	ID         int        `json:"id"`
	Properties layerCell  `json:"properties"`
	Type       string     `json:"type"`
}

// cellSquare is a cell's GeoJSON Polygon: one closed ring of its four
// corners, held in the feature (no slices to allocate).
type cellSquare struct {
	Coordinates [1][5][2]float64 `json:"coordinates"`
	Type        string           `json:"type"`
}

// quietCells are a layer's cells neither covered nor at risk, one column
// per property, row i being cell Cells[i]: what a layerCell of theirs says
// that is not the same for them all (covered false, sites, personnel,
// risk and uncovered_risk 0, the layer's month). Countries, places,
// reasons and nearest sites are said once in a table and referred to by
// index (-1: none).
type quietCells struct {
	Cells     []int       `json:"cells"`
	Country   []int       `json:"country"`
	Countries [][2]string `json:"countries"` // name, French name ("" when unknown)
	Place     []int       `json:"place"`
	Places    [][2]string `json:"places"` // label, French label
	Reason    []int       `json:"reason"`
	Reasons   []string    `json:"reasons"`
	NearestKM []float64   `json:"nearest_km"` // 0: no site active
	Nearest   []int       `json:"nearest_site"`
	SiteIDs   []string    `json:"site_ids"`
	// Population is each cell's people (a population layer loaded; else
	// absent).
	Population []float64 `json:"population,omitempty"`

	index map[[3]string]int // table entries' indexes, by table and value (one or two strings): no key to build
}

func newQuietCells() *quietCells {
	return &quietCells{Cells: []int{}, Country: []int{}, Countries: [][2]string{}, Place: []int{}, Places: [][2]string{},
		Reason: []int{}, Reasons: []string{}, NearestKM: []float64{}, Nearest: []int{}, SiteIDs: []string{}, index: map[[3]string]int{}}
}

// ref is the index of value k (its table's name, then its strings) in
// its table (added at its end, at n, when new).
func (q *quietCells) ref(k [3]string, n int, add func()) int {
	if i, ok := q.index[k]; ok {
		return i
	}
	add()
	q.index[k] = n
	return n
}

func (q *quietCells) add(c CellMonth, p *placeLabel) {
	q.Cells = append(q.Cells, c.Cell)
	q.Country = append(q.Country, q.ref([3]string{"country", c.Country}, len(q.Countries), func() {
		q.Countries = append(q.Countries, [2]string{c.Country, geotext.FrenchName(c.Country)})
	}))
	place := -1
	if p != nil {
		place = q.ref([3]string{"place", p.Label, p.LabelFR}, len(q.Places), func() { q.Places = append(q.Places, [2]string{p.Label, p.LabelFR}) })
	}
	q.Place = append(q.Place, place)
	q.Reason = append(q.Reason, q.ref([3]string{"reason", c.Reason}, len(q.Reasons), func() { q.Reasons = append(q.Reasons, c.Reason) }))
	q.NearestKM = append(q.NearestKM, c.NearestKM)
	site := -1
	if c.NearestID != "" {
		site = q.ref([3]string{"site", c.NearestID}, len(q.SiteIDs), func() { q.SiteIDs = append(q.SiteIDs, c.NearestID) })
	}
	q.Nearest = append(q.Nearest, site)
	if c.Population != 0 && q.Population == nil {
		q.Population = make([]float64, len(q.Cells)-1, cap(q.Cells))
	}
	if q.Population != nil {
		q.Population = append(q.Population, c.Population)
	}
}

// placedCell is a cell of a coverage answer with its nearest notable
// place P — the whole record (GapCell) or only its labels (layerCell) —
// and its country in French (a known country), for the UI.
type placedCell[P any] struct {
	CellMonth
	Place     P      `json:"place,omitempty"`
	CountryFR string `json:"country_fr,omitempty"`
}

// placeCell places cell c: label names its place, keep keeps what the
// answer carries of it.
func placeCell[P any](c CellMonth, label func(gid int) *geotext.PointLabel, keep func(*geotext.PointLabel) P) placedCell[P] {
	return placedCell[P]{CellMonth: c, Place: keep(label(c.Cell)), CountryFR: geotext.FrenchName(c.Country)}
}

// layerCell is a cell of the map's layer: its place is only its label in
// each language, all the tooltips read. The whole place record (name,
// admin-1, country names, distance) on every cell made the demo month's
// layer 1.55 MB instead of 0.99 MB.
type layerCell = placedCell[*placeLabel]

// placeLabel is a place's label in English and French.
type placeLabel struct {
	Label   string `json:"label"`
	LabelFR string `json:"label_fr"`
}

func shortLabel(p *geotext.PointLabel) *placeLabel {
	if p == nil {
		return nil
	}
	return &placeLabel{Label: p.Label, LabelFR: p.LabelFR}
}

func wholePlace(p *geotext.PointLabel) *geotext.PointLabel { return p }

// GapCell is a gap of the gap list: a coverage cell with its nearest
// notable place (Place, the whole record), its country in French
// (CountryFR) and the nearest site's name.
type GapCell struct {
	placedCell[*geotext.PointLabel]
	// NearestName names the nearest site for people: its location and
	// mission ("Torit (UNMISS)").
	NearestName string `json:"nearest_site_name,omitempty"`
}

// siteName names the site with source id id for people: its location
// (else its id) and its mission, "Torit (UNMISS)"; "" when no site has
// that id.
func siteName(deps []Deployment, id string) string {
	if id == "" {
		return ""
	}
	for i := range deps {
		if d := &deps[i]; d.SourceID == id {
			name := d.Location
			if name == "" {
				name = d.SourceID
			}
			if d.Mission == "" {
				return name
			}
			return name + " (" + d.Mission + ")"
		}
	}
	return ""
}

// cellLabeler names PRIO-GRID cells by the nearest notable place to
// their centre (nil without a gazetteer or a place within 100 km).
func (s *Service) cellLabeler(ctx context.Context) func(gid int) *geotext.PointLabel {
	return CellNamer(ctx, s.Places)
}

// cellNamer is a Namer that keeps the labels of points named in answer
// after answer, as cells' centres are (geotext.Index.CellLabeler): they
// depend only on the cell and the gazetteer, not on the month.
type cellNamer interface {
	CellLabeler(ctx context.Context) geotext.Labeler
}

// CellNamer names PRIO-GRID cells (0.5°) by the notable place nearest to
// their centre, in English and French ("near Djugu, Ituri (DR Congo)"):
// nil when places is nil, a cell is not on the grid or no place is within
// 100 km. The pages show this name, the cell id only beside it.
func CellNamer(ctx context.Context, places Namer) func(gid int) *geotext.PointLabel {
	if places == nil {
		return func(int) *geotext.PointLabel { return nil }
	}
	var label geotext.Labeler
	if c, ok := places.(cellNamer); ok {
		label = c.CellLabeler(ctx) // the labels kept across answers
	} else {
		label = places.Labeler(ctx)
	}
	return func(gid int) *geotext.PointLabel {
		lat, lon, err := (grid.Regular{Size: 0.5}).Center(gid)
		if err != nil {
			return nil
		}
		return label(lat, lon)
	}
}

// GapReport returns the month's totals and its worst limit gaps, ranked
// by risk (× population once a layer is loaded); month 0 is the last month
// with both deployments and events.
func (s *Service) GapReport(ctx context.Context, mo grid.Month, limit int) (map[string]any, error) {
	in, err := s.inputs(ctx, mo)
	if err != nil {
		return nil, err
	}
	if mo == 0 {
		if mo = in.prep.latestMonth(); mo == 0 {
			return nil, notFound("no deployments or events stored")
		}
		in.model = in.prep.Model(mo)
	}
	if err := s.useForecast(ctx, in, mo); err != nil {
		return nil, err
	}
	cms := in.model.Month(in.prep.Deps, mo, in.risk)
	covered, risk, uncovered := 0, 0.0, 0.0
	for _, c := range cms {
		risk += c.Risk
		uncovered += c.UncoveredRisk
		if c.Covered {
			covered++
		}
	}
	label := s.cellLabeler(ctx)
	gaps := Gaps(cms, limit)
	out := make([]GapCell, 0, len(gaps))
	for _, c := range gaps {
		out = append(out, GapCell{placeCell(c, label, wholePlace), siteName(in.prep.Deps, c.NearestID)})
	}
	isForecast := in.what.Forecast != nil
	rep := map[string]any{
		"month": mo.String(), "cells": len(cms), "covered_cells": covered,
		"risk": risk, "uncovered_risk": uncovered,
		"risk_definition":  in.what.Definition,
		"risk_is_forecast": isForecast,
		"ranked_by":        in.rankedBy(),
		"gaps":             out,
	}
	if !isForecast {
		next, ok, err := s.nextForecastMonth(ctx, mo)
		if err != nil {
			return nil, err
		}
		if ok {
			rep["forecast_month"] = next.String() // the month a planner can look at with forecast risk instead
		}
	}
	return rep, nil
}

// nextForecastMonth is the first month after mo, within a year, that a
// stored forecast covers (ok false: none, or no forecast source): the
// month to plan for when mo's risk is only counts of recent events (the
// demo's data end in December 2018, its forecasts start in January 2019).
func (s *Service) nextForecastMonth(ctx context.Context, mo grid.Month) (grid.Month, bool, error) {
	if s.Forecast == nil {
		return 0, false, nil
	}
	ms, err := s.Forecast.CellForecastMonths(ctx, mo+1, mo+12)
	if err != nil || len(ms) == 0 {
		return 0, false, err
	}
	return ms[0], true, nil
}

// rankedBy says what the gap score is.
func (in *inputs) rankedBy() string {
	if in.model.HasPopulation() {
		name := "upload"
		if in.prep.PopMeta != nil {
			name = in.prep.PopMeta.Name
		}
		return "risk × population (population layer " + name + ")"
	}
	return "risk (no population layer loaded)"
}

// DeploymentLayer returns the deployments f selects as GeoJSON points, of
// the countries in chooses (nil: all) by their own country or, without
// one, where they are.
func (s *Service) DeploymentLayer(ctx context.Context, f DeploymentFilter, in events.CountrySet) (map[string]any, error) {
	deps, err := s.Store.Deployments(ctx, f)
	if err != nil {
		return nil, err
	}
	feats := make([]map[string]any, 0, len(deps))
	for _, d := range deps {
		if in != nil && !(d.Country != "" && in.Name(d.Country) || d.Country == "" && in.At(d.Lat, d.Lon)) {
			continue
		}
		props := map[string]any{"source": d.Source, "source_id": d.SourceID, "mission": d.Mission, "location": d.Location,
			"kind": d.Kind, "start": d.Start.String(), "end": d.End.String(), "military": d.Military, "police": d.Police,
			"civilian": d.Civilian, "women": d.Women, "men": d.Men, "units": d.Units, "mobility": d.Mobility, "cell": d.Cell, "country": d.Country}
		feats = append(feats, map[string]any{"type": "Feature", "id": d.ID,
			"geometry": map[string]any{"type": "Point", "coordinates": []float64{d.Lon, d.Lat}}, "properties": props})
	}
	return map[string]any{"type": "FeatureCollection", "features": feats}, nil
}

// ImportDeployments reads deployments from data in format (csv, geojson or
// geopko) named name and stores them, audited as actor. A configured
// analysis grid refuses sites outside it; a derived one grows to wherever
// the mission is. Nothing is stored on error.
func (s *Service) ImportDeployments(ctx context.Context, actor, format, name, data string) (map[string]int, error) {
	if name == "" {
		name = "upload"
	}
	var deps []Deployment
	var err error
	rd := strings.NewReader(data)
	switch format {
	case "csv":
		deps, err = ReadCSV(rd, name, s.Grid)
	case "geojson":
		deps, err = ReadGeoJSON(rd, name, s.Grid)
	case "geopko":
		deps, err = ReadGeoPKO(rd, name, s.Grid)
	default:
		return nil, badInput("format", "format %q: want csv, geojson or geopko", format)
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.KindInvalid, "data", err)
	}
	if len(deps) == 0 {
		return nil, badInput("data", "no deployments in the file")
	}
	ins, upd, err := s.Store.SaveDeployments(ctx, actor, deps)
	if err != nil {
		if fe := apperr.As(err); fe != nil && fe.Kind == apperr.KindInvalid {
			return nil, apperr.Wrap(apperr.KindInvalid, "data", err)
		}
		return nil, err
	}
	return map[string]int{"deployments": len(deps), "inserted": ins, "updated": upd}, nil
}

// Responsiveness analyses the response to violence from month from to to
// (0: the span of the deployments, ending at the last month of events).
func (s *Service) Responsiveness(ctx context.Context, from, to grid.Month) (Report, error) {
	in, err := s.inputs(ctx, 0)
	if err != nil {
		return Report{}, err
	}
	if len(in.prep.Deps) == 0 {
		return Report{}, notFound("no deployments stored")
	}
	f, t := Span(in.prep.Deps)
	var last grid.Month
	for _, x := range in.prep.Inc {
		last = max(last, x.Month)
	}
	if last != 0 && last < t {
		t = last
	}
	if from == 0 {
		from = f
	}
	if to == 0 {
		to = t
	}
	if to < from {
		return Report{}, badInput("to", "to %s is before from %s", to, from)
	}
	if to-from > 12*60 {
		return Report{}, badInput("to", "at most 60 years at a time")
	}
	rep := in.model.Analyse(in.prep.Deps, in.prep.Inc, from, to)
	rep.OnsetList = nil
	return rep, nil
}

// Try evaluates a proposed site in month mo.
func (s *Service) Try(ctx context.Context, mo grid.Month, weight WeightMode, c Candidate) (*TryResult, error) {
	in, err := s.loadRisk(ctx, mo)
	if err != nil {
		return nil, err
	}
	res, err := in.model.Try(in.prep.Deps, in.risk, mo, weight, c)
	if err != nil {
		return nil, refused(err)
	}
	return res, nil
}

// Plan places new sites in req.Month (the TOB planner) within the
// countries where the mission is that month.
func (s *Service) Plan(ctx context.Context, req PlanRequest) (*PlanResult, error) {
	in, err := s.loadRisk(ctx, req.Month)
	if err != nil {
		return nil, err
	}
	req.Countries = in.prep.MissionCountries(req.Month)
	res, err := in.model.Plan(ctx, in.prep.Deps, in.risk, req)
	if err != nil {
		return nil, refused(err)
	}
	if s.Places != nil && len(res.Chosen) > 0 {
		label := s.Places.Labeler(ctx)
		for i := range res.Chosen {
			res.Chosen[i].Place = label(res.Chosen[i].Lat, res.Chosen[i].Lon)
		}
	}
	return res, nil
}

// Cut proposes which sites to close in req.Month: targeted and thinning.
func (s *Service) Cut(ctx context.Context, req CutRequest) (map[string]any, error) {
	in, err := s.loadRisk(ctx, req.Month)
	if err != nil {
		return nil, err
	}
	tg, th, err := in.model.Cut(ctx, in.prep.Deps, in.risk, req)
	if err != nil {
		return nil, refused(err)
	}
	label := s.cellLabeler(ctx)
	for _, o := range []*CutOption{tg, th} {
		if o == nil {
			continue
		}
		for i := range o.CellsLost {
			o.CellsLost[i].Place = label(o.CellsLost[i].Cell)
		}
	}
	return map[string]any{"month": req.Month.String(), "targeted": tg, "thinning": th}, nil
}

// Scenario returns a saved scenario (ErrNotFound when there is none).
func (s *Service) Scenario(ctx context.Context, id int64) (Scenario, error) {
	sc, err := s.Store.Scenario(ctx, id)
	if errors.Is(err, apperr.ErrNotFound) {
		return sc, notFound("no scenario %d", id)
	}
	return sc, err
}

// Scenarios lists the saved scenarios.
func (s *Service) Scenarios(ctx context.Context) ([]Scenario, error) { return s.Store.Scenarios(ctx) }

// SaveScenario saves a scenario as actor and fills its id.
func (s *Service) SaveScenario(ctx context.Context, actor string, sc *Scenario) (int64, error) {
	return s.Store.SaveScenario(ctx, actor, sc)
}

// DemoScenario saves the demo's coverage scenario as actor: a temporary
// operating base tried (as the planner's Try) at the centre of the worst
// coverage gap within 300 km of a site in the last month with both
// deployments and events. Its name says it is demo material.
func (s *Service) DemoScenario(ctx context.Context, actor string) (string, error) {
	in, err := s.inputs(ctx, 0)
	if err != nil {
		return "", err
	}
	mo := in.prep.latestMonth()
	if mo == 0 {
		return "", fmt.Errorf("demo scenario: no deployments or events stored")
	}
	if in, err = s.loadRisk(ctx, mo); err != nil {
		return "", err
	}
	// The worst gap within 300 km of a mission's site that month (not
	// in a country where no mission is).
	var gaps []CellMonth
	for _, g := range Gaps(in.model.Month(in.prep.Deps, mo, in.risk), 0) {
		if g.NearestKM > 0 && g.NearestKM < 300 {
			gaps = append(gaps, g)
			break
		}
	}
	if len(gaps) == 0 {
		return "", fmt.Errorf("demo scenario: no coverage gap in %s near a site", mo)
	}
	lat, lon, err := grid.Regular{Size: 0.5}.Center(gaps[0].Cell)
	if err != nil {
		return "", err
	}
	res, err := in.model.Try(in.prep.Deps, in.risk, mo, "", Candidate{ID: ProposedSite, Lat: lat, Lon: lon, Mobility: Vehicle})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(res)
	if err != nil {
		return "", err
	}
	where, whereFR := fmt.Sprintf("cell %d", gaps[0].Cell), fmt.Sprintf("cellule %d", gaps[0].Cell)
	if s.Places != nil {
		if p := s.Places.Labeler(ctx)(lat, lon); p != nil {
			where, whereFR = p.Label, p.LabelFR
		}
	}
	sc := &Scenario{Name: DemoScenarioName(where, mo, "en"), NameFR: DemoScenarioName(whereFR, mo, "fr"), Kind: "try", Month: mo, Body: body}
	if _, err := s.Store.SaveScenario(ctx, actor, sc); err != nil {
		return "", err
	}
	return sc.Name, nil
}

// DemoScenarioFrench gives the demo's scenario saved by an older Vigil
// (before scenarios had a French name) its French name: a scenario saved
// by actor, of kind try, with no French name, whose English name is still
// word for word the one DemoScenario writes for its month and for the
// place of its own tried base (the candidate in its body) is the demo's;
// its French name is written the same way, in French. A scenario a user
// renamed or saved is left as it is. It reports how many it named; the
// store must be able to (ScenarioNamer), else none is.
func (s *Service) DemoScenarioFrench(ctx context.Context, actor string) (int, error) {
	st, ok := s.Store.(ScenarioNamer)
	if !ok {
		return 0, nil
	}
	list, err := s.Store.Scenarios(ctx)
	if err != nil {
		return 0, err
	}
	label := func(float64, float64) *geotext.PointLabel { return nil }
	if s.Places != nil {
		label = s.Places.Labeler(ctx)
	}
	n := 0
	for _, sc := range list {
		if sc.CreatedBy != actor || sc.Kind != "try" || sc.NameFR != "" || !strings.HasPrefix(sc.Name, "DEMO: a temporary base ") {
			continue
		}
		full, err := s.Store.Scenario(ctx, sc.ID)
		if err != nil {
			return n, err
		}
		var body struct {
			Candidate *struct{ Lat, Lon float64 } `json:"candidate"`
		}
		if json.Unmarshal(full.Body, &body) != nil || body.Candidate == nil {
			continue
		}
		lat, lon := body.Candidate.Lat, body.Candidate.Lon
		var where, whereFR string
		if p := label(lat, lon); p != nil {
			where, whereFR = p.Label, p.LabelFR
		} else if c, err := (grid.Regular{Size: 0.5}).Cell(lat, lon); err == nil {
			where, whereFR = fmt.Sprintf("cell %d", c), fmt.Sprintf("cellule %d", c)
		}
		if where == "" || DemoScenarioName(where, sc.Month, "en") != sc.Name {
			continue
		}
		if err := st.SetScenarioNameFR(ctx, actor, sc.ID, DemoScenarioName(whereFR, sc.Month, "fr")); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ScenarioNamer is a Store that can give a saved scenario its French name
// (audited as actor); *storage.DB is one.
type ScenarioNamer interface {
	SetScenarioNameFR(ctx context.Context, actor string, id int64, nameFR string) error
}

// DemoScenarioName names the demo's scenario in English or French ("fr"):
// a temporary operating base where (a place's label in that language, as
// geotext.PointLabel's Label or LabelFR) tried with vehicle patrols in mo,
// marked as demo material; at most 200 bytes, cut at a character.
func DemoScenarioName(where string, mo grid.Month, lang string) string {
	name := fmt.Sprintf("DEMO: a temporary base %s (vehicle patrols), %s", where, mo)
	if lang == "fr" {
		name = fmt.Sprintf("DEMO\u00a0: une base opérationnelle temporaire %s (patrouilles en véhicule), %s", where, mo)
	}
	for len(name) > 200 {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	return name
}

// PopulationSummary describes a population layer.
type PopulationSummary struct {
	Loaded   bool   `json:"loaded"`
	Name     string `json:"name,omitempty"`
	LoadedBy string `json:"loaded_by,omitempty"`
	LoadedAt string `json:"loaded_at,omitempty"`
	Rows     int    `json:"rows"`
	Cells    int    `json:"cells"`
	// Years of the layer (0: rows valid in every year).
	Years        []int           `json:"years"`
	Total        map[int]float64 `json:"total_population"` // by year
	WithFriction int             `json:"cells_with_friction"`
}

func summarise(pop []PopCell) PopulationSummary {
	s := PopulationSummary{Loaded: len(pop) > 0, Rows: len(pop), Years: PopulationYears(pop), Total: map[int]float64{}}
	cells := map[int]bool{}
	fr := map[int]bool{}
	for _, p := range pop {
		cells[p.GID] = true
		s.Total[p.Year] += p.Population
		if p.Friction > 0 {
			fr[p.GID] = true
		}
	}
	s.Cells, s.WithFriction = len(cells), len(fr)
	if s.Years == nil {
		s.Years = []int{}
	}
	return s
}

// Population describes the stored population layer.
func (s *Service) Population(ctx context.Context) (PopulationSummary, error) {
	p, err := s.Prepare(ctx)
	if err != nil {
		return PopulationSummary{}, err
	}
	sum := summarise(p.Pop)
	if p.PopMeta != nil {
		sum.Name, sum.LoadedBy, sum.LoadedAt = p.PopMeta.Name, p.PopMeta.LoadedBy, p.PopMeta.LoadedAt.Format("2006-01-02T15:04:05Z")
	}
	return sum, nil
}

// LoadPopulation replaces the population layer with the CSV data named
// name (gid,population,friction or gid,year,population[,friction]; rows
// may be placed by lat and lon, a P-code or a place name instead of the
// gid: ReadPopulationIn), audited as actor.
func (s *Service) LoadPopulation(ctx context.Context, actor, name, data string) (PopulationSummary, error) {
	p, err := s.Prepare(ctx)
	if err != nil {
		return PopulationSummary{}, err
	}
	// Rows placed by a P-code or a place name are found in the server's
	// gazetteer (s.Places), read only for a file that has such a column.
	var gazErr error
	places := func() (*geotext.Gazetteer, error) {
		gz, ok := s.Places.(interface {
			Gazetteer(context.Context) (*geotext.Gazetteer, error)
		})
		if !ok {
			return nil, nil
		}
		g, err := gz.Gazetteer(ctx)
		gazErr = err
		return g, err
	}
	pop, err := ReadPopulationIn(strings.NewReader(data), name, p.Cells, places)
	if gazErr != nil {
		return PopulationSummary{}, gazErr
	}
	if err != nil {
		return PopulationSummary{}, apperr.Wrap(apperr.KindInvalid, "data", err)
	}
	if err := s.Store.SavePopulation(ctx, actor, name, pop); err != nil {
		if fe := apperr.As(err); fe != nil && fe.Kind == apperr.KindInvalid {
			return PopulationSummary{}, badInput("data", "%s: %v", name, err)
		}
		return PopulationSummary{}, err
	}
	sum := summarise(pop)
	sum.Name, sum.LoadedBy = name, actor
	return sum, nil
}

// DeletePopulation removes the population layer (ErrNotFound when none is
// loaded), audited as actor.
func (s *Service) DeletePopulation(ctx context.Context, actor string) error {
	had, err := s.Store.DeletePopulation(ctx, actor)
	if err != nil {
		return err
	}
	if !had {
		return notFound("no population layer loaded")
	}
	return nil
}

// SeasonCountry is one country's rainy-season setting, once per country
// whatever spellings the cells give it.
type SeasonCountry struct {
	Country     string `json:"country"`           // its key (CountryKey): the ISO3 code, or the name geotext does not know
	Name        string `json:"name"`              // the country in English
	NameFR      string `json:"name_fr,omitempty"` // the country in French, for the UI
	RainyMonths []int  `json:"rainy_months"`
	// Source: "default" (the documented climatological season, see
	// ReachConfig) or "stored" (set through the API).
	Source string `json:"source"`
}

// SeasonSettings are the reach distances, their rainy-season factors and
// every country's rainy months.
type SeasonSettings struct {
	KM          map[Mobility]float64 `json:"km"`
	RainyFactor map[Mobility]float64 `json:"rainy_factor"`
	Countries   []SeasonCountry      `json:"countries"`
}

func seasonSettings(p *Prepared) SeasonSettings {
	out := SeasonSettings{KM: p.Reach.KM, RainyFactor: p.Reach.RainyFactor, Countries: []SeasonCountry{}}
	stored := map[string]bool{}
	for k := range p.Stored {
		stored[CountryKey(k)] = true
	}
	for _, g := range p.Cells.CountryGroups() {
		key := CountryKey(g.Spellings[0])
		sc := SeasonCountry{Country: key, Name: g.Name, NameFR: g.NameFR, RainyMonths: p.Reach.RainyMonths[key], Source: "default"}
		if stored[key] {
			sc.Source = "stored"
		}
		if sc.RainyMonths == nil {
			sc.RainyMonths = []int{}
		}
		out.Countries = append(out.Countries, sc)
	}
	return out
}

// Seasons returns the season settings in use.
func (s *Service) Seasons(ctx context.Context) (SeasonSettings, error) {
	p, err := s.Prepare(ctx)
	if err != nil {
		return SeasonSettings{}, err
	}
	return seasonSettings(p), nil
}

// SetSeasons sets rainy months per country, audited as actor: a list
// replaces the country's setting ([] = no rainy season), nil restores the
// default; countries not named keep theirs.
func (s *Service) SetSeasons(ctx context.Context, actor string, months map[string][]int) (SeasonSettings, error) {
	if len(months) == 0 {
		return SeasonSettings{}, badInput("rainy_months", "rainy_months: give at least one country")
	}
	cur, err := s.Prepare(ctx)
	if err != nil {
		return SeasonSettings{}, err
	}
	// Months first (the error names the country as given), then the
	// country: any spelling, English or French name or ISO3 code of one of
	// the grid's countries, keyed by CountryKey.
	if err := CheckSeasons(months, nil); err != nil {
		return SeasonSettings{}, err
	}
	known, names := map[string]bool{}, []string{}
	for _, g := range cur.Cells.CountryGroups() {
		known[CountryKey(g.Spellings[0])] = true
		names = append(names, g.Name)
	}
	byKey := map[string][]int{}
	for country, ms := range months {
		key := CountryKey(country)
		if !known[key] {
			return SeasonSettings{}, badInput("rainy_months."+country, "unknown country %q (the grid's countries: %s)", country, strings.Join(names, ", "))
		}
		if _, twice := byKey[key]; twice {
			return SeasonSettings{}, badInput("rainy_months."+country, "country %q named twice (as %s)", country, key)
		}
		byKey[key] = ms
	}
	// A setting stored under another spelling of the country (before
	// settings were keyed by ISO3) gives way to this one.
	for stored := range cur.Stored {
		if _, set := byKey[CountryKey(stored)]; set && stored != CountryKey(stored) {
			byKey[stored] = nil
		}
	}
	if err := s.Store.SaveSeasons(ctx, actor, byKey); err != nil {
		return SeasonSettings{}, err
	}
	return s.Seasons(ctx)
}
