package geotext

import (
	"strings"

	"github.com/vigil-project/vigil/internal/query"
)

// CountryFilter is the map's country filter (?country=, comma-separated,
// as for the events) for the layers that are not events: the risk cells
// and countries, the coverage cells and sites, the incidents and the
// survey cells. A name matches as the events' filter does (the same
// spelling, any case) and also across spellings and codes of one country
// as the code function resolves them: UCDP's "DR Congo (Zaire)", the
// gazetteer's "DR Congo", "COD" and its Gleditsch–Ward number 490 are one
// country. It is made for one request (not safe for concurrent use).
type CountryFilter struct {
	terms []string                              // lower-cased
	areas map[string]bool                       // codes of the terms that name a known country
	code  func(name string) (string, bool)      // a country's name or code → its code
	cell  func(lat, lon float64) (string, bool) // the country of a point's grid cell, when known
	label func() Labeler                        // the nearest notable place (outside cell), made on first use
	named Labeler
	memo  map[string]bool
}

// ParseCountryFilter reads a country parameter v: nil (every country) for
// "". code resolves a name or code to one code per country (ok false: not
// a country it knows); cell, if not nil, gives the country of a point's
// grid cell; label, if not nil, makes the labeler naming the nearest place
// of points cell does not place. A value naming no country is invalid
// input (field "country").
func ParseCountryFilter(v string, code func(string) (string, bool), cell func(lat, lon float64) (string, bool), label func() Labeler) (*CountryFilter, error) {
	if v == "" {
		return nil, nil
	}
	c := &CountryFilter{areas: map[string]bool{}, memo: map[string]bool{}, code: code, cell: cell, label: label}
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		c.terms = append(c.terms, strings.ToLower(t))
		if a, ok := c.codeOf(t); ok {
			c.areas[a] = true
		}
	}
	if len(c.terms) == 0 {
		return nil, query.NoCountry(v)
	}
	return c, nil
}

func (c *CountryFilter) codeOf(n string) (string, bool) {
	if c.code == nil {
		return "", false
	}
	return c.code(n)
}

// Name reports whether one of names (a country's names or codes) is chosen.
func (c *CountryFilter) Name(names ...string) bool {
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

func (c *CountryFilter) match(n string) bool {
	low := strings.ToLower(n)
	for _, t := range c.terms {
		if t == low {
			return true
		}
	}
	a, ok := c.codeOf(n)
	return ok && c.areas[a]
}

// At reports whether the point lies in a chosen country: the country of
// its grid cell (cell), else that of the nearest notable place (label;
// none: not chosen).
func (c *CountryFilter) At(lat, lon float64) bool {
	if c.cell != nil {
		if country, ok := c.cell(lat, lon); ok {
			return c.Name(country)
		}
	}
	if c.label == nil {
		return false
	}
	if c.named == nil {
		c.named = c.label()
	}
	if p := c.named(lat, lon); p != nil {
		return c.Name(p.CountryName, p.Country)
	}
	return false
}
