package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// Coverage handlers (deployments, the coverage and uncovered-risk layer,
// the gap list, responsiveness, the TOB planner, cut scenarios and saved
// scenarios): they read the request and call Server.Coverage
// (coverage.Service). Viewers read; analysts import, optimise and save.

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
func (s *Server) coverageLayer(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "bbox", "country"); err != nil {
		return err
	}
	mo, err := monthParam("month", q.Get("month"))
	if err != nil {
		return err
	}
	bbox, err := events.ParseBBox(q.Get("bbox"))
	if err != nil {
		return err
	}
	in, err := s.countries(r)
	if err != nil {
		return err
	}
	fc, err := svc.Layer(r.Context(), mo, bbox, in)
	return replyGeoJSON(w)(fc, err)
}

func (s *Server) coverageGaps(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "limit"); err != nil {
		return err
	}
	var mo grid.Month // 0: the latest month with deployments and events
	if q.Get("month") != "latest" {
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
	return reply(w, http.StatusOK)(svc.GapReport(r.Context(), mo, limit))
}

func (s *Server) coverageDeployments(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "mission", "country"); err != nil {
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
	in, err := s.countries(r)
	if err != nil {
		return err
	}
	fc, err := svc.DeploymentLayer(r.Context(), f, in)
	return replyGeoJSON(w)(fc, err)
}

// coverageImport imports deployments: {"format": "csv"|"geojson"|"geopko", "data": "…"}.
func (s *Server) coverageImport(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	var req struct {
		Format string `json:"format"`
		Name   string `json:"name"`
		Data   string `json:"data"`
	}
	if err := decodeJSON(w, r, 32<<20, &req); err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	return reply(w, http.StatusOK)(svc.ImportDeployments(r.Context(), u.Name, req.Format, req.Name, req.Data))
}

func (s *Server) coverageResponsiveness(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "from", "to"); err != nil {
		return err
	}
	var from, to grid.Month // 0: the deployments' span
	var err error
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
	return reply(w, http.StatusOK)(svc.Responsiveness(r.Context(), from, to))
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

// planMonth reads the month and the time limit of an optimiser run (plan
// or cut).
func planMonth(month string, sec float64) (grid.Month, time.Duration, error) {
	mo, err := monthParam("month", month)
	if err != nil {
		return 0, 0, err
	}
	tl, err := timeLimit(sec)
	return mo, tl, err
}

func (s *Server) coverageTry(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
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
	return reply(w, http.StatusOK)(svc.Try(r.Context(), mo, coverage.WeightMode(req.Weight),
		coverage.Candidate{ID: "proposed", Lat: req.Lat, Lon: req.Lon, Mobility: coverage.Mobility(req.Mobility)}))
}

func (s *Server) coveragePlan(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
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
	mo, tl, err := planMonth(req.Month, req.TimeLimit)
	if err != nil {
		return err
	}
	if len(req.Candidates) > 50000 {
		return badRequest("candidates", "at most 50,000 candidates")
	}
	return reply(w, http.StatusOK)(svc.Plan(r.Context(), coverage.PlanRequest{Month: mo, P: req.P, Budget: req.Budget,
		Mobility: coverage.Mobility(req.Mobility), Weight: coverage.WeightMode(req.Weight), Candidates: req.Candidates, TimeLimit: tl}))
}

func (s *Server) coverageCut(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
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
	mo, tl, err := planMonth(req.Month, req.TimeLimit)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Cut(r.Context(), coverage.CutRequest{Month: mo, Share: req.Share, Basis: req.Basis,
		Weight: coverage.WeightMode(req.Weight), MinViable: req.MinViable, TimeLimit: tl}))
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

func (s *Server) coverageScenarios(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	list, err := svc.Scenarios(r.Context())
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

func (s *Server) coverageScenario(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return badRequest("id", "scenario id %q is not a positive integer", r.PathValue("id"))
	}
	sc, err := svc.Scenario(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toScenarioJSON(sc))
	return nil
}

func (s *Server) coverageSaveScenario(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
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
	id, err := svc.SaveScenario(r.Context(), u.Name, sc)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/coverage/scenarios/%d", id))
	writeJSON(w, http.StatusCreated, toScenarioJSON(*sc))
	return nil
}
