package web

import (
	"fmt"
	"net/http"

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

// coverageLayer answers a month's coverage and uncovered risk: the covered
// and at-risk cells as GeoJSON polygons, the others in columns
// (coverage.Service.Layer).
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
