package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
)

// Coverage handlers (deployments, the coverage and uncovered-risk layer,
// the gap list, responsiveness, the TOB planner, cut scenarios, saved
// scenarios and the population and seasons input layers): they check the
// query's parameter names or decode the body and call Server.Coverage
// (coverage.Service), which reads the request. Viewers read; analysts
// import, optimise, save and change layers (audited in the store).

// countryParam reads the request's country filter when called.
func (s *Server) countryParam(r *http.Request) events.CountryParam {
	return func() (events.CountrySet, error) { return s.countries(r) }
}

// queryCall is the handler of a GET whose query takes params (nothing
// else): call reads them and its answer is written as JSON.
func queryCall[S, T any](call func(S, context.Context, url.Values) (T, error), params ...string) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		q := r.URL.Query()
		if err := checkParams(q, params...); err != nil {
			return err
		}
		return reply(w, http.StatusOK)(call(svc, r.Context(), q))
	}
}

// getCall is the handler of a GET without parameters answered by call.
func getCall[S, T any](call func(S, context.Context) (T, error)) serviceMethod[S] {
	return queryCall(func(svc S, ctx context.Context, _ url.Values) (T, error) { return call(svc, ctx) })
}

// coverageLayer answers GeoJSON cell polygons with coverage and uncovered
// risk for a month.
func (s *Server) coverageLayer(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "bbox", "country"); err != nil {
		return err
	}
	return replyGeoJSON(w)(svc.LayerQuery(r.Context(), q, s.countryParam(r)))
}

func (s *Server) coverageDeployments(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "mission", "country"); err != nil {
		return err
	}
	return replyGeoJSON(w)(svc.DeploymentQuery(r.Context(), q, s.countryParam(r)))
}

// decodeRun is decodeCall for a call made in no one's name (a computation
// that stores nothing), answering 200.
func decodeRun[S, In, Out any](max int64, call func(S, context.Context, In) (Out, error)) serviceMethod[S] {
	return decodeCall(max, http.StatusOK, func(svc S, ctx context.Context, _ string, in In) (Out, error) { return call(svc, ctx, in) })
}

func (s *Server) coverageScenario(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	return reply(w, http.StatusOK)(svc.ScenarioByID(r.Context(), r.PathValue("id")))
}

func (s *Server) coverageSaveScenario(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	var req coverage.ScenarioJSON
	if err := decodeJSON(w, r, 8<<20, &req); err != nil {
		return err
	}
	sc, err := svc.SaveScenarioJSON(r.Context(), actorName(r), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/coverage/scenarios/%d", sc.ID))
	writeJSON(w, http.StatusCreated, sc)
	return nil
}

func (s *Server) coverageDeletePopulation(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return noContent(w, svc.DeletePopulation(r.Context(), actorName(r)))
}
