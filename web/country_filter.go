package web

import (
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/performance"
)

// countryFilter is the map's country filter (?country=, comma-separated,
// as for the events) for the layers that are not events: the risk cells
// and countries, the coverage cells and sites, the incidents and the
// survey cells. A name matches as the events' filter does (the same
// spelling, any case) and also across spellings and codes of one country:
// UCDP's "DR Congo (Zaire)", the gazetteer's "DR Congo", "COD" and its
// Gleditsch–Ward number 490 are one country (performance.ParseArea).
type countryFilter struct {
	terms []string               // lower-cased
	areas map[string]bool        // ISO3 codes of the terms that name a known country
	ref   *coverage.Cells        // PRIO-GRID cells with their country (may be nil)
	label func() geotext.Labeler // the nearest notable place (outside ref), made on first use
	named geotext.Labeler
	memo  map[string]bool
}

// countries reads the request's country parameter: nil (every country)
// without one.
func (s *Server) countries(r *http.Request) (events.CountrySet, error) {
	v := r.URL.Query().Get("country")
	if v == "" {
		return nil, nil
	}
	c := &countryFilter{areas: map[string]bool{}, memo: map[string]bool{}}
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		c.terms = append(c.terms, strings.ToLower(t))
		if a, err := performance.ParseArea(t); err == nil && !a.IsAll() {
			c.areas[a.Code] = true
		}
	}
	if len(c.terms) == 0 {
		return nil, badRequest("country", "country: no country named in %q", v)
	}
	if s.Coverage != nil {
		c.ref = s.Coverage.Reference
	}
	c.label = func() geotext.Labeler { return s.placeLabeler(r.Context()) }
	return c, nil
}

// Name reports whether one of names (a country's names or codes) is chosen.
func (c *countryFilter) Name(names ...string) bool {
	for _, n := range names {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		ok, seen := c.memo[n]
		if !seen {
			ok = c.match(n)
			c.memo[n] = ok
		}
		if ok {
			return true
		}
	}
	return false
}

func (c *countryFilter) match(n string) bool {
	low := strings.ToLower(n)
	for _, t := range c.terms {
		if t == low {
			return true
		}
	}
	a, err := performance.ParseArea(n)
	return err == nil && c.areas[a.Code]
}

// At reports whether the point lies in a chosen country: the country of
// its PRIO-GRID cell in the reference cells, else that of the nearest
// notable place (within 100 km; none: not chosen).
func (c *countryFilter) At(lat, lon float64) bool {
	if c.ref != nil {
		if gid, err := grid.PrioGID(lat, lon); err == nil {
			if cell, ok := c.ref.Get(gid); ok {
				return c.Name(cell.Country)
			}
		}
	}
	if c.named == nil {
		c.named = c.label()
	}
	if p := c.named(lat, lon); p != nil {
		return c.Name(p.CountryName, p.Country)
	}
	return false
}
