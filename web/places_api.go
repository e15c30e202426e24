package web

import (
	"context"
	"net/http"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
)

// Place-name routes: the map's place search, a point's label, and a
// mission's own gazetteer import (used with the shipped one to locate alert
// texts and to name cells).
// maxGazetteerBytes bounds an imported gazetteer CSV.
const maxGazetteerBytes = 32 << 20

// placesIndex returns the server's place index, built over DB with the
// shipped gazetteer when none was given.
func (s *Server) placesIndex() (*geotext.Index, error) {
	s.placesMu.Lock()
	defer s.placesMu.Unlock()
	if s.Places != nil {
		return s.Places, nil
	}
	shipped, err := demo.Gazetteer()
	if err != nil {
		return nil, err
	}
	x := &geotext.Index{Shipped: shipped, Area: s.PlaceArea, Log: s.Log}
	if s.DB != nil {
		x.Store = s.DB
	}
	if s.Alerts != nil {
		x.User = s.Alerts
	}
	s.Places = x
	return x, nil
}

// LoadPlaces builds the server's gazetteer (shipped + newest import) and
// gives it to the alert service to locate alert texts, unless the service
// already has one (a gazetteer.csv installed with `vigil alerts gazetteer`,
// which is then merged in first).
func (s *Server) LoadPlaces(ctx context.Context) error {
	x, err := s.placesIndex()
	if err != nil {
		return err
	}
	return x.Load(ctx)
}

// placeLabeler names the points of one answer (nil labels when the
// gazetteer cannot be loaded).
func (s *Server) placeLabeler(ctx context.Context) geotext.Labeler {
	x, err := s.placesIndex()
	if err != nil {
		s.Log.Warn("gazetteer", "err", err)
		x = nil
	}
	return x.Labeler(ctx)
}

// places makes a route's handler working on the place index: the search
// (geotext.Index.SearchQuery), the gazetteer's summary and a mission's own
// gazetteer import (geotext.Index.ImportUpload; a bad row fails the whole
// import, naming the line and column, and nothing is stored).
func places(m serviceMethod[*geotext.Index]) func(*Server) handlerFunc {
	return withService((*Server).placesIndex, m)
}

// placesLabel answers GET /api/v1/places/label?lat=…&lon=…: the point's
// label ("near Djugu, Ituri (DR Congo)"), or place null when no place is
// within 100 km (or the gazetteer cannot be loaded).
func (s *Server) placesLabel(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "lat", "lon"); err != nil {
		return err
	}
	x, err := s.placesIndex()
	if err != nil {
		s.Log.Warn("gazetteer", "err", err)
		x = nil
	}
	return reply(w, http.StatusOK)(x.LabelQuery(r.Context(), q))
}

func (s *Server) placesGazetteer(w http.ResponseWriter, r *http.Request, x *geotext.Index) error {
	return reply(w, http.StatusOK)(x.Summary(r.Context()))
}

// gazetteer is the server's merged gazetteer, built on first use.
func (s *Server) gazetteer(ctx context.Context) (*geotext.Gazetteer, error) {
	x, err := s.placesIndex()
	if err != nil {
		return nil, err
	}
	return x.Gazetteer(ctx)
}
