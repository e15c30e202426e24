package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/auth"
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

// placesSearch answers GET /api/v1/places/search?q=NAME[&limit=N][&lang=fr]:
// the places whose name (or alternate name) is q, starts with q or, when
// none does, is within a spelling difference or two of it; best first.
func (s *Server) placesSearch(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "q", "limit", "lang"); err != nil {
		return err
	}
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		return badRequest("q", "q: give a place name to search for")
	}
	if len(text) > 200 {
		return badRequest("q", "q: at most 200 bytes")
	}
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return badRequest("limit", "limit: %q: want 1 to 50", v)
		}
		limit = n
	}
	x, err := s.placesIndex()
	if err != nil {
		return err
	}
	out, err := x.Search(r.Context(), text, limit, q.Get("lang"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": text, "places": out})
	return nil
}

// placesLabel answers GET /api/v1/places/label?lat=…&lon=…: the point's
// label ("near Djugu, Ituri (DR Congo)"), or place null when no place is
// within 100 km.
func (s *Server) placesLabel(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "lat", "lon"); err != nil {
		return err
	}
	lat, err := geotext.ParseLat(q.Get("lat"))
	if err != nil {
		return badRequest("lat", "lat: %v", err)
	}
	lon, err := geotext.ParseLon(q.Get("lon"))
	if err != nil {
		return badRequest("lon", "lon: %v", err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"lat": lat, "lon": lon, "place": s.placeLabeler(r.Context())(lat, lon)})
	return nil
}

// placesGazetteer answers GET /api/v1/places/gazetteer: how many places
// the server knows, from the shipped gazetteer and the newest import.
func (s *Server) placesGazetteer(w http.ResponseWriter, r *http.Request) error {
	x, err := s.placesIndex()
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(x.Summary(r.Context()))
}

// placesImport answers POST /api/v1/places/gazetteer with a JSON body
// {"name": "cod_places.csv", "data": "<CSV>"}: a mission's own gazetteer
// (name, lat, lon; optional alternate_names, country, admin1_name,
// population, kind and P-code columns — OCHA COD-AB place lists work as
// they are). A bad row fails the whole import, naming the line and column;
// nothing is stored then. The imported places are used from now on, before
// the shipped ones.
func (s *Server) placesImport(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name string `json:"name"`
		Data string `json:"data"`
	}
	if err := decodeJSON(w, r, maxGazetteerBytes, &req); err != nil {
		return err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		name = "gazetteer.csv"
	}
	if len(name) > 200 {
		return badRequest("name", "name: at most 200 bytes")
	}
	if strings.TrimSpace(req.Data) == "" {
		return badRequest("data", "data: the CSV is empty")
	}
	x, err := s.placesIndex()
	if err != nil {
		return err
	}
	u, _ := auth.UserFrom(r.Context())
	return reply(w, http.StatusOK)(x.Import(r.Context(), u.Name, name, req.Data))
}

// gazetteer is the server's merged gazetteer, built on first use.
func (s *Server) gazetteer(ctx context.Context) (*geotext.Gazetteer, error) {
	x, err := s.placesIndex()
	if err != nil {
		return nil, err
	}
	return x.Gazetteer(ctx)
}
