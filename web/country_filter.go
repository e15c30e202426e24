package web

import (
	"net/http"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/performance"
)

// countries reads the request's country parameter (geotext.CountryFilter,
// spellings and codes resolved by performance.AreaCode, points placed by
// the coverage reference cells, else the nearest place): nil (every
// country) without one.
func (s *Server) countries(r *http.Request) (events.CountrySet, error) {
	var cell func(lat, lon float64) (string, bool)
	if s.Coverage != nil {
		cell = s.Coverage.Reference.CountryAt
	}
	f, err := geotext.ParseCountryFilter(r.URL.Query().Get("country"), performance.AreaCode, cell,
		func() geotext.Labeler { return s.placeLabeler(r.Context()) })
	if f == nil {
		return nil, err
	}
	return f, nil
}
