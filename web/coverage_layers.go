package web

import (
	"net/http"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// Coverage input layers set through the API: the per-cell population (and
// access-friction) layer and the rainy-season months per country. Both feed
// the coverage layer, the gap list (ranked by risk × people once population
// is loaded), the TOB planner and cut scenarios. Viewers read; analysts
// change (audited in the store). The handlers call Server.Coverage.

func (s *Server) coveragePopulation(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	sum, err := s.Coverage.Population(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// coverageLoadPopulation replaces the population layer: {"name": "pop.csv",
// "data": "gid,population,friction\n…"} (or gid,year,population[,friction]).
func (s *Server) coverageLoadPopulation(w http.ResponseWriter, r *http.Request) error {
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
	sum, err := s.Coverage.LoadPopulation(r.Context(), u.Name, name, req.Data)
	if err != nil {
		return covErr(err)
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

func (s *Server) coverageDeletePopulation(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	if err := s.Coverage.DeletePopulation(r.Context(), u.Name); err != nil {
		return covErr(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) coverageSeasons(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	out, err := s.Coverage.Seasons(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// coveragePutSeasons sets rainy months per country: {"rainy_months":
// {"Mali": [6,7,8,9], "Somalia": [], "Sudan": null}} — a list replaces the
// country's setting ([] = no rainy season), null restores the default.
// Countries not named keep their setting.
func (s *Server) coveragePutSeasons(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		RainyMonths map[string][]int `json:"rainy_months"`
	}
	if err := decodeJSON(w, r, 1<<16, &req); err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	out, err := s.Coverage.SetSeasons(r.Context(), u.Name, req.RainyMonths)
	if err != nil {
		return covErr(err)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
