package web

import (
	"net/http"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// Coverage input layers set through the API: the per-cell population (and
// access-friction) layer and the rainy-season months per country. Both feed
// the coverage layer, the gap list (ranked by risk × people once population
// is loaded), the TOB planner and cut scenarios. Viewers read; analysts
// change (audited in the store). The handlers call Server.Coverage.

func (s *Server) coveragePopulation(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Population(r.Context()))
}

// coverageLoadPopulation replaces the population layer: {"name": "pop.csv",
// "data": "gid,population,friction\n…"} (or gid,year,population[,friction]).
func (s *Server) coverageLoadPopulation(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	var req struct {
		Name string `json:"name"`
		Data string `json:"data"`
	}
	if err := decodeJSON(w, r, 64<<20, &req); err != nil {
		return err
	}
	if len(req.Name) > 200 {
		return badRequest("name", "name: at most 200 characters")
	}
	if err := textcheck.Name(req.Name); err != nil {
		return badRequest("name", "name: %v", err)
	}
	name := req.Name
	if name == "" {
		name = "upload"
	}
	u, _ := auth.UserFrom(r.Context())
	return reply(w, http.StatusOK)(svc.LoadPopulation(r.Context(), u.Name, name, req.Data))
}

func (s *Server) coverageDeletePopulation(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	return noContent(w, svc.DeletePopulation(r.Context(), u.Name))
}

func (s *Server) coverageSeasons(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Seasons(r.Context()))
}

// coveragePutSeasons sets rainy months per country: {"rainy_months":
// {"Mali": [6,7,8,9], "Somalia": [], "Sudan": null}} — a list replaces the
// country's setting ([] = no rainy season), null restores the default.
// Countries not named keep their setting.
func (s *Server) coveragePutSeasons(w http.ResponseWriter, r *http.Request, svc *coverage.Service) error {
	var req struct {
		RainyMonths map[string][]int `json:"rainy_months"`
	}
	if err := decodeJSON(w, r, 1<<16, &req); err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	return reply(w, http.StatusOK)(svc.SetSeasons(r.Context(), u.Name, req.RainyMonths))
}
