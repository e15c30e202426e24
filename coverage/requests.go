package coverage

import (
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// The coverage API's requests as clients send them (query parameters, JSON
// bodies with months as text): read and checked here, each refusal a
// *RequestError naming the field, then answered by the Service's methods.

// MonthParam reads the month (YYYY-MM) given as field; it is required.
func MonthParam(field, v string) (grid.Month, error) {
	if v == "" {
		return 0, badInput(field, "%s is required (YYYY-MM)", field)
	}
	m, err := grid.ParseMonth(v)
	if err != nil {
		return 0, badInput(field, "%s: %v", field, err)
	}
	return m, nil
}

// optionalMonth is MonthParam with "" as 0.
func optionalMonth(field, v string) (grid.Month, error) {
	if v == "" {
		return 0, nil
	}
	return MonthParam(field, v)
}

// LayerQuery is Layer for the query q: month (required) and bbox.
func (s *Service) LayerQuery(ctx context.Context, q url.Values, countries events.CountryParam) (map[string]any, error) {
	mo, err := MonthParam("month", q.Get("month"))
	if err != nil {
		return nil, err
	}
	bbox, err := events.ParseBBox(q.Get("bbox"))
	if err != nil {
		return nil, err
	}
	in, err := countries()
	if err != nil {
		return nil, err
	}
	return s.Layer(ctx, mo, bbox, in)
}

// GapQuery is GapReport for the query q: month (YYYY-MM, or latest: the
// latest month with deployments and events) and limit (1 to 5000, default
// 50).
func (s *Service) GapQuery(ctx context.Context, q url.Values) (map[string]any, error) {
	var mo grid.Month
	if q.Get("month") != "latest" {
		var err error
		if mo, err = MonthParam("month", q.Get("month")); err != nil {
			return nil, err
		}
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			return nil, badInput("limit", "limit %q: want 1..5000", v)
		}
		limit = n
	}
	return s.GapReport(ctx, mo, limit)
}

// DeploymentQuery is DeploymentLayer for the query q: mission and month
// (the sites active then; none: all).
func (s *Service) DeploymentQuery(ctx context.Context, q url.Values, countries events.CountryParam) (map[string]any, error) {
	f := DeploymentFilter{Mission: q.Get("mission")}
	var err error
	if f.Active, err = optionalMonth("month", q.Get("month")); err != nil {
		return nil, err
	}
	in, err := countries()
	if err != nil {
		return nil, err
	}
	return s.DeploymentLayer(ctx, f, in)
}

// ResponsivenessQuery is Responsiveness for the query q: from and to
// (months; none: the deployments' span).
func (s *Service) ResponsivenessQuery(ctx context.Context, q url.Values) (Report, error) {
	from, err := optionalMonth("from", q.Get("from"))
	if err != nil {
		return Report{}, err
	}
	to, err := optionalMonth("to", q.Get("to"))
	if err != nil {
		return Report{}, err
	}
	return s.Responsiveness(ctx, from, to)
}

// DeploymentUpload is a deployments file sent to the API: format csv,
// geojson or geopko, the file's name and its text.
type DeploymentUpload struct {
	Format string `json:"format"`
	Name   string `json:"name"`
	Data   string `json:"data"`
}

// ImportUpload is ImportDeployments for an upload, as actor.
func (s *Service) ImportUpload(ctx context.Context, actor string, in DeploymentUpload) (map[string]int, error) {
	return s.ImportDeployments(ctx, actor, in.Format, in.Name, in.Data)
}

// PlanLimit bounds an optimiser run requested over the API.
const PlanLimit = 30 * time.Second

// timeLimit reads a run's time_limit_seconds: 0 is 10 s.
func timeLimit(sec float64) (time.Duration, error) {
	if sec == 0 {
		return 10 * time.Second, nil
	}
	if !(sec > 0) || math.IsInf(sec, 0) || sec > PlanLimit.Seconds() {
		return 0, badInput("time_limit_seconds", "time_limit_seconds %v: want 0 < t ≤ %v", sec, PlanLimit.Seconds())
	}
	return time.Duration(sec * float64(time.Second)), nil
}

// planMonth reads the month and the time limit of an optimiser run (plan
// or cut).
func planMonth(month string, sec float64) (grid.Month, time.Duration, error) {
	mo, err := MonthParam("month", month)
	if err != nil {
		return 0, 0, err
	}
	tl, err := timeLimit(sec)
	return mo, tl, err
}

// TryInput is a proposed site to evaluate (Try) as the API takes it.
type TryInput struct {
	Month    string  `json:"month"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	Mobility string  `json:"mobility"`
	Weight   string  `json:"weight"`
}

// TrySite is Try for in: the site "proposed" at lat, lon.
func (s *Service) TrySite(ctx context.Context, in TryInput) (*TryResult, error) {
	mo, err := MonthParam("month", in.Month)
	if err != nil {
		return nil, err
	}
	if err := grid.CheckLatLon(in.Lat, in.Lon); err != nil {
		return nil, apperr.Wrap(apperr.KindInvalid, "lat", err)
	}
	return s.Try(ctx, mo, WeightMode(in.Weight),
		Candidate{ID: ProposedSite, Lat: in.Lat, Lon: in.Lon, Mobility: Mobility(in.Mobility)})
}

// PlanInput is a TOB planner run (Plan) as the API takes it.
type PlanInput struct {
	Month      string      `json:"month"`
	P          int         `json:"p"`
	Budget     float64     `json:"budget"`
	Mobility   string      `json:"mobility"`
	Weight     string      `json:"weight"`
	Candidates []Candidate `json:"candidates"`
	TimeLimit  float64     `json:"time_limit_seconds"`
}

// PlanSites is Plan for in: at most 50,000 candidates, at most PlanLimit.
func (s *Service) PlanSites(ctx context.Context, in PlanInput) (*PlanResult, error) {
	mo, tl, err := planMonth(in.Month, in.TimeLimit)
	if err != nil {
		return nil, err
	}
	if len(in.Candidates) > 50000 {
		return nil, badInput("candidates", "at most 50,000 candidates")
	}
	return s.Plan(ctx, PlanRequest{Month: mo, P: in.P, Budget: in.Budget, Mobility: Mobility(in.Mobility),
		Weight: WeightMode(in.Weight), Candidates: in.Candidates, TimeLimit: tl})
}

// CutInput is a cut scenario (Cut) as the API takes it.
type CutInput struct {
	Month     string  `json:"month"`
	Share     float64 `json:"share"`
	Basis     string  `json:"basis"`
	Weight    string  `json:"weight"`
	MinViable int     `json:"min_viable"`
	TimeLimit float64 `json:"time_limit_seconds"`
}

// CutSites is Cut for in, run for at most PlanLimit.
func (s *Service) CutSites(ctx context.Context, in CutInput) (map[string]any, error) {
	mo, tl, err := planMonth(in.Month, in.TimeLimit)
	if err != nil {
		return nil, err
	}
	return s.Cut(ctx, CutRequest{Month: mo, Share: in.Share, Basis: in.Basis, Weight: WeightMode(in.Weight),
		MinViable: in.MinViable, TimeLimit: tl})
}

// ScenarioJSON is a saved scenario as the API writes (and, without id,
// created_by and created_at, takes) it.
type ScenarioJSON struct {
	ID        int64           `json:"id,omitempty"`
	Name      string          `json:"name"`
	NameFR    string          `json:"name_fr,omitempty"` // the name in French ("": none)
	Kind      string          `json:"kind"`
	Month     string          `json:"month"`
	CreatedBy string          `json:"created_by,omitempty"`
	CreatedAt string          `json:"created_at,omitempty"`
	Body      json.RawMessage `json:"body,omitempty"`
}

// JSON is the scenario as the API writes it.
func (sc Scenario) JSON() ScenarioJSON {
	return ScenarioJSON{ID: sc.ID, Name: sc.Name, NameFR: sc.NameFR, Kind: sc.Kind, Month: sc.Month.String(), CreatedBy: sc.CreatedBy,
		CreatedAt: sc.CreatedAt.Format(time.RFC3339), Body: sc.Body}
}

// ScenarioList is Scenarios as the API writes them ([] for none).
func (s *Service) ScenarioList(ctx context.Context) ([]ScenarioJSON, error) {
	list, err := s.Scenarios(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ScenarioJSON, 0, len(list))
	for _, sc := range list {
		out = append(out, sc.JSON())
	}
	return out, nil
}

// ScenarioByID is Scenario for the id written v (a positive integer).
func (s *Service) ScenarioByID(ctx context.Context, v string) (ScenarioJSON, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return ScenarioJSON{}, badInput("id", "scenario id %q is not a positive integer", v)
	}
	sc, err := s.Scenario(ctx, id)
	return sc.JSON(), err
}

// SaveScenarioJSON is SaveScenario for a scenario sent to the API (the
// server sets its id, created_by and created_at): it returns the saved
// scenario.
func (s *Service) SaveScenarioJSON(ctx context.Context, actor string, in ScenarioJSON) (ScenarioJSON, error) {
	if in.ID != 0 || in.CreatedBy != "" || in.CreatedAt != "" {
		return ScenarioJSON{}, badInput("id", "id, created_by and created_at are set by the server")
	}
	mo, err := MonthParam("month", in.Month)
	if err != nil {
		return ScenarioJSON{}, err
	}
	if len(in.Body) == 0 || !json.Valid(in.Body) {
		return ScenarioJSON{}, badInput("body", "body must be the JSON of a plan, try or cut result")
	}
	sc := &Scenario{Name: in.Name, NameFR: in.NameFR, Kind: in.Kind, Month: mo, Body: in.Body}
	if _, err := s.SaveScenario(ctx, actor, sc); err != nil {
		return ScenarioJSON{}, err
	}
	return sc.JSON(), nil
}

// PopulationUpload is a population layer sent to the API: the file's name
// (at most 200 characters; "" is "upload") and its CSV text.
type PopulationUpload struct {
	Name string `json:"name"`
	Data string `json:"data"`
}

// UploadPopulation is LoadPopulation for an upload, as actor.
func (s *Service) UploadPopulation(ctx context.Context, actor string, in PopulationUpload) (PopulationSummary, error) {
	if len(in.Name) > 200 {
		return PopulationSummary{}, badInput("name", "name: at most 200 characters")
	}
	if err := textcheck.Name(in.Name); err != nil {
		return PopulationSummary{}, badInput("name", "%s: %v", "name", err)
	}
	name := in.Name
	if name == "" {
		name = "upload"
	}
	return s.LoadPopulation(ctx, actor, name, in.Data)
}

// SeasonsInput sets rainy months per country: {"rainy_months": {"Mali":
// [6,7,8,9], "Somalia": [], "Sudan": null}} — a list replaces the
// country's setting ([] = no rainy season), null restores the default.
// Countries not named keep their setting.
type SeasonsInput struct {
	RainyMonths map[string][]int `json:"rainy_months"`
}

// PutSeasons is SetSeasons for in, as actor.
func (s *Service) PutSeasons(ctx context.Context, actor string, in SeasonsInput) (SeasonSettings, error) {
	return s.SetSeasons(ctx, actor, in.RainyMonths)
}
