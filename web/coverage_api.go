package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
)

// Coverage routes: deployments, the coverage and uncovered-risk layer, the
// gap list, responsiveness, the TOB planner, cut scenarios and saved
// scenarios. Viewers read; analysts import, optimise and save.
// referenceCells is the embedded six-country PRIO-GRID cell list (real
// country assignments): the coverage service's reference, which the
// derived analysis grid uses for the countries it covers.
func referenceCells() (*coverage.Cells, error) {
	r, err := demo.Open(demo.PrioGridCells)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return coverage.ReadPrioCells(r, demo.PrioGridCells)
}

// covInput is what every coverage computation needs.
type covInput struct {
	prep  *coverage.Prepared
	model *coverage.Model
	deps  []coverage.Deployment
	inc   []coverage.Incident
	risk  coverage.Risk
	// riskDef says what the risk numbers are.
	riskDef string
}

// covLoad returns the (cached) coverage inputs with the model for month mo
// (0: no particular month; the population layer's year-independent rows).
func (s *Server) covLoad(r *http.Request, mo grid.Month) (*covInput, error) {
	p, err := s.Coverage.Prepare(r.Context())
	if err != nil {
		return nil, err
	}
	return &covInput{prep: p, model: p.Model(mo), deps: p.Deps, inc: p.Inc, risk: p.Recent, riskDef: recentViolenceDef}, nil
}

// covLoadRisk is covLoad with the risk of month mo taken from the stored
// forecast when there is one (useForecast).
func (s *Server) covLoadRisk(r *http.Request, mo grid.Month) (*covInput, error) {
	in, err := s.covLoad(r, mo)
	if err != nil {
		return nil, err
	}
	if err := s.useForecast(r, in, mo); err != nil {
		return nil, err
	}
	return in, nil
}

const recentViolenceDef = "UCDP events (types 1-3) in the cell in the 12 months before the month (no forecast stored for the month)"

// useForecast switches the risk to the stored forecast of violence against
// civilians (target osv, PRIO-GRID) for month mo when one exists, at the
// shortest horizon: risk = forecast probability. Otherwise the recent-violence
// fallback stays.
func (s *Server) useForecast(r *http.Request, in *covInput, mo grid.Month) error {
	p, def, ok, err := s.Risk.CellProbabilities(r.Context(), mo)
	if err != nil || !ok {
		return err
	}
	in.risk = coverage.RiskFunc(func(cell int, m grid.Month) float64 { return p[cell] })
	in.riskDef = def
	return nil
}

func monthParam(field, v string) (grid.Month, error) {
	if v == "" {
		return 0, badRequest(field, "%s is required (YYYY-MM)", field)
	}
	m, err := grid.ParseMonth(v)
	if err != nil {
		return 0, badRequest(field, "%s: %v", field, err)
	}
	return m, nil
}

// coverageLayer answers GeoJSON cell polygons with coverage and uncovered
// risk for a month.
func (s *Server) coverageLayer(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "bbox"); err != nil {
		return err
	}
	mo, err := monthParam("month", q.Get("month"))
	if err != nil {
		return err
	}
	var bbox *events.BBox
	if v := q.Get("bbox"); v != "" {
		if bbox, err = parseBBox(v); err != nil {
			return err
		}
	}
	in, err := s.covLoadRisk(r, mo)
	if err != nil {
		return err
	}
	cms := in.model.Month(in.deps, mo, in.risk)
	feats := make([]map[string]any, 0, len(cms))
	for _, c := range cms {
		lat, lon, _ := grid.PrioCenter(c.Cell)
		if bbox != nil && (lat < bbox.South || lat > bbox.North || lon < bbox.West || lon > bbox.East) {
			continue
		}
		h := grid.PrioSize / 2
		ring := [][2]float64{{lon - h, lat - h}, {lon + h, lat - h}, {lon + h, lat + h}, {lon - h, lat + h}, {lon - h, lat - h}}
		feats = append(feats, map[string]any{
			"type": "Feature", "id": c.Cell,
			"geometry":   map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}},
			"properties": c,
		})
	}
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	writeJSONBody(w, map[string]any{"type": "FeatureCollection", "features": feats, "month": mo.String()})
	return nil
}

func writeJSONBody(w http.ResponseWriter, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func (s *Server) coverageGaps(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "limit"); err != nil {
		return err
	}
	latest := q.Get("month") == "latest"
	var mo grid.Month
	if !latest {
		var err error
		if mo, err = monthParam("month", q.Get("month")); err != nil {
			return err
		}
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			return badRequest("limit", "limit %q: want 1..5000", v)
		}
		limit = n
	}
	in, err := s.covLoad(r, mo)
	if err != nil {
		return err
	}
	if latest {
		// The last month with both deployments and events.
		_, mo = coverage.Span(in.deps)
		var last grid.Month
		for _, x := range in.inc {
			last = max(last, x.Month)
		}
		if last != 0 && (mo == 0 || last < mo) {
			mo = last
		}
		if mo == 0 {
			return errorf(http.StatusNotFound, "no deployments or events stored")
		}
		in.model = in.prep.Model(mo)
	}
	if err := s.useForecast(r, in, mo); err != nil {
		return err
	}
	cms := in.model.Month(in.deps, mo, in.risk)
	covered, risk, uncovered := 0, 0.0, 0.0
	for _, c := range cms {
		risk += c.Risk
		uncovered += c.UncoveredRisk
		if c.Covered {
			covered++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"month": mo.String(), "cells": len(cms), "covered_cells": covered,
		"risk": risk, "uncovered_risk": uncovered,
		"risk_definition": in.riskDef,
		"ranked_by":       rankedBy(in),
		"gaps":            s.labelGaps(r, coverage.Gaps(cms, limit)),
	})
	return nil
}

func (s *Server) coverageDeployments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "mission"); err != nil {
		return err
	}
	f := coverage.DeploymentFilter{Mission: q.Get("mission")}
	if v := q.Get("month"); v != "" {
		m, err := monthParam("month", v)
		if err != nil {
			return err
		}
		f.Active = m
	}
	deps, err := s.DB.Deployments(r.Context(), f)
	if err != nil {
		return err
	}
	feats := make([]map[string]any, 0, len(deps))
	for _, d := range deps {
		props := map[string]any{"source": d.Source, "source_id": d.SourceID, "mission": d.Mission, "location": d.Location,
			"kind": d.Kind, "start": d.Start.String(), "end": d.End.String(), "military": d.Military, "police": d.Police,
			"civilian": d.Civilian, "women": d.Women, "men": d.Men, "units": d.Units, "mobility": d.Mobility, "cell": d.Cell}
		feats = append(feats, map[string]any{"type": "Feature", "id": d.ID,
			"geometry": map[string]any{"type": "Point", "coordinates": []float64{d.Lon, d.Lat}}, "properties": props})
	}
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	writeJSONBody(w, map[string]any{"type": "FeatureCollection", "features": feats})
	return nil
}

// coverageImport imports deployments: {"format": "csv"|"geojson"|"geopko", "data": "…"}.
func (s *Server) coverageImport(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Format string `json:"format"`
		Name   string `json:"name"`
		Data   string `json:"data"`
	}
	if err := decodeJSON(w, r, 32<<20, &req); err != nil {
		return err
	}
	// A configured analysis grid refuses sites outside it; a derived one
	// grows to wherever the mission is.
	cells := s.Coverage.Grid
	name := req.Name
	if name == "" {
		name = "upload"
	}
	var deps []coverage.Deployment
	var err error
	rd := strings.NewReader(req.Data)
	switch req.Format {
	case "csv":
		deps, err = coverage.ReadCSV(rd, name, cells)
	case "geojson":
		deps, err = coverage.ReadGeoJSON(rd, name, cells)
	case "geopko":
		deps, err = coverage.ReadGeoPKO(rd, name, cells)
	default:
		return badRequest("format", "format %q: want csv, geojson or geopko", req.Format)
	}
	if err != nil {
		var le *coverage.LineError
		if errors.As(err, &le) {
			return badRequest("data", "%s", le.Error())
		}
		return badRequest("data", "%v", err)
	}
	if len(deps) == 0 {
		return badRequest("data", "no deployments in the file")
	}
	u, _ := auth.UserFrom(r.Context())
	ins, upd, err := s.DB.SaveDeployments(r.Context(), u.Name, deps)
	if err != nil {
		var fe *coverage.FieldError
		if errors.As(err, &fe) {
			return badRequest("data", "%v", err)
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"deployments": len(deps), "inserted": ins, "updated": upd})
	return nil
}

func (s *Server) coverageResponsiveness(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "from", "to"); err != nil {
		return err
	}
	in, err := s.covLoad(r, 0)
	if err != nil {
		return err
	}
	if len(in.deps) == 0 {
		return errorf(http.StatusNotFound, "no deployments stored")
	}
	from, to := coverage.Span(in.deps)
	var last grid.Month
	for _, x := range in.inc {
		last = max(last, x.Month)
	}
	if last != 0 && last < to {
		to = last
	}
	if v := q.Get("from"); v != "" {
		if from, err = monthParam("from", v); err != nil {
			return err
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = monthParam("to", v); err != nil {
			return err
		}
	}
	if to < from {
		return badRequest("to", "to %s is before from %s", to, from)
	}
	if to-from > 12*60 {
		return badRequest("to", "at most 60 years at a time")
	}
	rep := in.model.Analyse(in.deps, in.inc, from, to)
	rep.OnsetList = nil
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// planLimit bounds an optimiser run requested over HTTP.
const planLimit = 30 * time.Second

func timeLimit(sec float64) (time.Duration, error) {
	if sec == 0 {
		return 10 * time.Second, nil
	}
	if !(sec > 0) || math.IsInf(sec, 0) || sec > planLimit.Seconds() {
		return 0, badRequest("time_limit_seconds", "time_limit_seconds %v: want 0 < t ≤ %v", sec, planLimit.Seconds())
	}
	return time.Duration(sec * float64(time.Second)), nil
}

func (s *Server) coverageTry(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Month    string  `json:"month"`
		Lat      float64 `json:"lat"`
		Lon      float64 `json:"lon"`
		Mobility string  `json:"mobility"`
		Weight   string  `json:"weight"`
	}
	if err := decodeJSON(w, r, 1<<16, &req); err != nil {
		return err
	}
	mo, err := monthParam("month", req.Month)
	if err != nil {
		return err
	}
	if err := grid.CheckLatLon(req.Lat, req.Lon); err != nil {
		return badRequest("lat", "%v", err)
	}
	in, err := s.covLoadRisk(r, mo)
	if err != nil {
		return err
	}
	res, err := in.model.Try(in.deps, in.risk, mo, coverage.WeightMode(req.Weight),
		coverage.Candidate{ID: "proposed", Lat: req.Lat, Lon: req.Lon, Mobility: coverage.Mobility(req.Mobility)})
	if err != nil {
		return badRequest("", "%v", err)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) coveragePlan(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Month      string               `json:"month"`
		P          int                  `json:"p"`
		Budget     float64              `json:"budget"`
		Mobility   string               `json:"mobility"`
		Weight     string               `json:"weight"`
		Candidates []coverage.Candidate `json:"candidates"`
		TimeLimit  float64              `json:"time_limit_seconds"`
	}
	if err := decodeJSON(w, r, 4<<20, &req); err != nil {
		return err
	}
	mo, err := monthParam("month", req.Month)
	if err != nil {
		return err
	}
	tl, err := timeLimit(req.TimeLimit)
	if err != nil {
		return err
	}
	if len(req.Candidates) > 50000 {
		return badRequest("candidates", "at most 50,000 candidates")
	}
	in, err := s.covLoadRisk(r, mo)
	if err != nil {
		return err
	}
	res, err := in.model.Plan(r.Context(), in.deps, in.risk, coverage.PlanRequest{Month: mo, P: req.P, Budget: req.Budget,
		Mobility: coverage.Mobility(req.Mobility), Weight: coverage.WeightMode(req.Weight), Candidates: req.Candidates, TimeLimit: tl,
		Countries: in.prep.MissionCountries(mo)})
	if err != nil {
		return badRequest("", "%v", err)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) coverageCut(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Month     string  `json:"month"`
		Share     float64 `json:"share"`
		Basis     string  `json:"basis"`
		Weight    string  `json:"weight"`
		MinViable int     `json:"min_viable"`
		TimeLimit float64 `json:"time_limit_seconds"`
	}
	if err := decodeJSON(w, r, 1<<16, &req); err != nil {
		return err
	}
	mo, err := monthParam("month", req.Month)
	if err != nil {
		return err
	}
	tl, err := timeLimit(req.TimeLimit)
	if err != nil {
		return err
	}
	in, err := s.covLoadRisk(r, mo)
	if err != nil {
		return err
	}
	tg, th, err := in.model.Cut(r.Context(), in.deps, in.risk, coverage.CutRequest{Month: mo, Share: req.Share, Basis: req.Basis,
		Weight: coverage.WeightMode(req.Weight), MinViable: req.MinViable, TimeLimit: tl})
	if err != nil {
		return badRequest("", "%v", err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"month": mo.String(), "targeted": tg, "thinning": th})
	return nil
}

type scenarioJSON struct {
	ID        int64           `json:"id,omitempty"`
	Name      string          `json:"name"`
	Kind      string          `json:"kind"`
	Month     string          `json:"month"`
	CreatedBy string          `json:"created_by,omitempty"`
	CreatedAt string          `json:"created_at,omitempty"`
	Body      json.RawMessage `json:"body,omitempty"`
}

func toScenarioJSON(sc coverage.Scenario) scenarioJSON {
	return scenarioJSON{ID: sc.ID, Name: sc.Name, Kind: sc.Kind, Month: sc.Month.String(), CreatedBy: sc.CreatedBy,
		CreatedAt: sc.CreatedAt.Format(time.RFC3339), Body: sc.Body}
}

func (s *Server) coverageScenarios(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	list, err := s.DB.Scenarios(r.Context())
	if err != nil {
		return err
	}
	out := make([]scenarioJSON, 0, len(list))
	for _, sc := range list {
		out = append(out, toScenarioJSON(sc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) coverageScenario(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return badRequest("id", "scenario id %q is not a positive integer", r.PathValue("id"))
	}
	sc, err := s.DB.Scenario(r.Context(), id)
	if errors.Is(err, events.ErrNotFound) {
		return errorf(http.StatusNotFound, "no scenario %d", id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toScenarioJSON(sc))
	return nil
}

func (s *Server) coverageSaveScenario(w http.ResponseWriter, r *http.Request) error {
	var req scenarioJSON
	if err := decodeJSON(w, r, 8<<20, &req); err != nil {
		return err
	}
	if req.ID != 0 || req.CreatedBy != "" || req.CreatedAt != "" {
		return badRequest("id", "id, created_by and created_at are set by the server")
	}
	mo, err := monthParam("month", req.Month)
	if err != nil {
		return err
	}
	if len(req.Body) == 0 || !json.Valid(req.Body) {
		return badRequest("body", "body must be the JSON of a plan, try or cut result")
	}
	u, _ := auth.UserFrom(r.Context())
	sc := &coverage.Scenario{Name: req.Name, Kind: req.Kind, Month: mo, Body: req.Body}
	id, err := s.DB.SaveScenario(r.Context(), u.Name, sc)
	if err != nil {
		var fe *coverage.FieldError
		if errors.As(err, &fe) {
			return badRequest(fe.Field, "%s", fe.Error())
		}
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/coverage/scenarios/%d", id))
	writeJSON(w, http.StatusCreated, toScenarioJSON(*sc))
	return nil
}

// rankedBy says what the gap score is.
func rankedBy(in *covInput) string {
	if in.model.HasPopulation() {
		name := "upload"
		if in.prep.PopMeta != nil {
			name = in.prep.PopMeta.Name
		}
		return "risk × population (population layer " + name + ")"
	}
	return "risk (no population layer loaded)"
}

// gapJSON is a coverage gap with the cell's nearest notable place
// (additive field place; web/places_api.go).
type gapJSON struct {
	coverage.CellMonth
	Place *geotext.PointLabel `json:"place,omitempty"`
}

func (s *Server) labelGaps(r *http.Request, gaps []coverage.CellMonth) []gapJSON {
	label := s.placeLabeler(r.Context())
	out := make([]gapJSON, 0, len(gaps))
	for _, c := range gaps {
		g := gapJSON{CellMonth: c}
		if lat, lon, err := (grid.Regular{Size: 0.5}).Center(c.Cell); err == nil {
			g.Place = label(lat, lon)
		}
		out = append(out, g)
	}
	return out
}
