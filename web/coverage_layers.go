package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/internal/textcheck"
)

// Coverage input layers set through the API: the per-cell population (and
// access-friction) layer and the rainy-season months per country. Both feed
// the coverage layer, the gap list (ranked by risk × people once population
// is loaded), the TOB planner and cut scenarios. Viewers read; analysts
// change (audited in the store).
// populationSummary describes a population layer.
type populationSummary struct {
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

func summarise(pop []coverage.PopCell) populationSummary {
	s := populationSummary{Loaded: len(pop) > 0, Rows: len(pop), Years: coverage.PopulationYears(pop), Total: map[int]float64{}}
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

func (s *Server) coveragePopulation(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	p, err := s.Coverage.Prepare(r.Context())
	if err != nil {
		return err
	}
	sum := summarise(p.Pop)
	if p.PopMeta != nil {
		sum.Name, sum.LoadedBy, sum.LoadedAt = p.PopMeta.Name, p.PopMeta.LoadedBy, p.PopMeta.LoadedAt.Format("2006-01-02T15:04:05Z")
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
	p, err := s.Coverage.Prepare(r.Context())
	if err != nil {
		return err
	}
	pop, err := coverage.ReadPopulation(strings.NewReader(req.Data), name, p.Cells)
	if err != nil {
		return badRequest("data", "%v", err)
	}
	u, _ := auth.UserFrom(r.Context())
	if err := s.DB.SavePopulation(r.Context(), u.Name, name, pop); err != nil {
		var fe *coverage.FieldError
		if errors.As(err, &fe) {
			return badRequest("data", "%s: %v", name, err)
		}
		return err
	}
	sum := summarise(pop)
	sum.Name, sum.LoadedBy = name, u.Name
	writeJSON(w, http.StatusOK, sum)
	return nil
}

func (s *Server) coverageDeletePopulation(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	had, err := s.DB.DeletePopulation(r.Context(), u.Name)
	if err != nil {
		return err
	}
	if !had {
		return errorf(http.StatusNotFound, "no population layer loaded")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// seasonCountry is one country's rainy-season setting.
type seasonCountry struct {
	Country     string `json:"country"`
	RainyMonths []int  `json:"rainy_months"`
	// Source: "default" (the documented climatological season, see
	// coverage.ReachConfig) or "stored" (set through this API).
	Source string `json:"source"`
}

type seasonsJSON struct {
	KM          map[coverage.Mobility]float64 `json:"km"`
	RainyFactor map[coverage.Mobility]float64 `json:"rainy_factor"`
	Countries   []seasonCountry               `json:"countries"`
}

func (s *Server) seasonsBody(p *coverage.Prepared) seasonsJSON {
	out := seasonsJSON{KM: p.Reach.KM, RainyFactor: p.Reach.RainyFactor, Countries: []seasonCountry{}}
	for _, c := range p.Cells.Countries() {
		sc := seasonCountry{Country: c, RainyMonths: p.Reach.RainyMonths[c], Source: "default"}
		if _, ok := p.Stored[c]; ok {
			sc.Source = "stored"
		}
		if sc.RainyMonths == nil {
			sc.RainyMonths = []int{}
		}
		out.Countries = append(out.Countries, sc)
	}
	return out
}

func (s *Server) coverageSeasons(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	p, err := s.Coverage.Prepare(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.seasonsBody(p))
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
	if len(req.RainyMonths) == 0 {
		return badRequest("rainy_months", "rainy_months: give at least one country")
	}
	cur, err := s.Coverage.Prepare(r.Context())
	if err != nil {
		return err
	}
	known := cur.Cells.Countries()
	if err := coverage.CheckSeasons(req.RainyMonths, known); err != nil {
		var fe *coverage.FieldError
		if errors.As(err, &fe) {
			return badRequest(fe.Field, "%s", fe.Error())
		}
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	if err := s.DB.SaveSeasons(r.Context(), u.Name, req.RainyMonths); err != nil {
		return err
	}
	p, err := s.Coverage.Prepare(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.seasonsBody(p))
	return nil
}
