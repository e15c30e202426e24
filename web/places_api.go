package web

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
)

// Place-name routes: the map's place search, a point's label, and a
// mission's own gazetteer import (used with the shipped one to locate alert
// texts and to name cells).
// maxGazetteerBytes bounds an imported gazetteer CSV.
const maxGazetteerBytes = 32 << 20

// placeIndex is the server's gazetteer: the shipped one merged with the
// newest imported one (imported places first), built on first use.
type placeIndex struct {
	mu       sync.Mutex
	g        *geotext.Gazetteer
	shipped  int
	imported *importMeta
	own      *geotext.Gazetteer // the alert service's own, from gazetteer.csv
	ownRead  bool
}

type importMeta struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Places     int    `json:"places"`
	ImportedBy string `json:"imported_by"`
	ImportedAt string `json:"imported_at"`
}

// LoadPlaces builds the server's gazetteer (shipped + newest import) and
// gives it to the alert service to locate alert texts, unless the service
// already has one (a gazetteer.csv installed with `vigil alerts gazetteer`,
// which is then merged in first).
func (s *Server) LoadPlaces(ctx context.Context) error {
	s.places.mu.Lock()
	defer s.places.mu.Unlock()
	return s.loadPlacesLocked(ctx)
}

func (s *Server) loadPlacesLocked(ctx context.Context) error {
	shipped, err := demo.Gazetteer()
	if err != nil {
		return err
	}
	var parts []*geotext.Gazetteer
	s.places.imported = nil
	if s.DB != nil {
		imp, ok, err := s.DB.LatestGazetteerImport(ctx)
		if err != nil {
			return err
		}
		if ok {
			g, err := geotext.LoadGazetteer(bytes.NewReader(imp.CSV), imp.Name)
			if err != nil {
				return err
			}
			parts = append(parts, g)
			s.places.imported = &importMeta{ID: imp.ID, Name: imp.Name, Places: imp.Places, ImportedBy: imp.ImportedBy, ImportedAt: imp.ImportedAt.Format("2006-01-02T15:04:05Z")}
		}
	}
	if s.Alerts != nil && !s.places.ownRead {
		s.places.own, s.places.ownRead = s.Alerts.Gazetteer(), true // installed with `vigil alerts gazetteer`
	}
	if s.places.own != nil {
		parts = append(parts, s.places.own)
	}
	parts = append(parts, shipped)
	g := geotext.Merge(parts...)
	if s.PlaceArea != nil {
		g.Area = s.PlaceArea
	}
	s.places.g, s.places.shipped = g, len(shipped.Places)
	if s.Alerts != nil {
		s.Alerts.SetGazetteer(g)
	}
	return nil
}

// gazetteer is the server's gazetteer, built on first use.
func (s *Server) gazetteer(ctx context.Context) (*geotext.Gazetteer, error) {
	s.places.mu.Lock()
	defer s.places.mu.Unlock()
	if s.places.g == nil {
		if err := s.loadPlacesLocked(ctx); err != nil {
			return nil, err
		}
	}
	return s.places.g, nil
}

// placeJSON is a place as the API answers it.
type placeJSON struct {
	Name        string   `json:"name"`
	Admin1      string   `json:"admin1,omitempty"`
	Country     string   `json:"country,omitempty"`
	CountryName string   `json:"country_name,omitempty"`
	Kind        string   `json:"kind,omitempty"`
	Population  int      `json:"population,omitempty"`
	Lat         float64  `json:"lat"`
	Lon         float64  `json:"lon"`
	Label       string   `json:"label"`
	Confidence  *float64 `json:"confidence,omitempty"`
}

func toPlaceJSON(p geotext.Place, lang string) placeJSON {
	out := placeJSON{Name: p.Name, Admin1: p.Admin1, Country: p.Country, Kind: p.Kind, Population: p.Population, Lat: p.Lat, Lon: p.Lon, Label: p.Describe(lang)}
	if c := geotext.CountryByCode(p.Country); c != nil {
		out.CountryName = c.Name(lang)
	}
	return out
}

// placeLabelJSON is the additive `place` field of answers that name cells
// and events: the nearest notable place, in English and French.
type placeLabelJSON struct {
	Name        string  `json:"name"`
	Admin1      string  `json:"admin1,omitempty"`
	Country     string  `json:"country,omitempty"`
	CountryName string  `json:"country_name,omitempty"`
	CountryFR   string  `json:"country_name_fr,omitempty"`
	DistanceKM  float64 `json:"distance_km"`
	Label       string  `json:"label"`
	LabelFR     string  `json:"label_fr"`
}

// placeLabel names the point lat, lon (nil when no place is within 100 km
// or the gazetteer cannot be loaded).
func (s *Server) placeLabel(ctx context.Context, lat, lon float64) *placeLabelJSON {
	return s.placeLabeler(ctx)(lat, lon)
}

// placeLabeler returns placeLabel for many points of one answer.
func (s *Server) placeLabeler(ctx context.Context) func(lat, lon float64) *placeLabelJSON {
	g, err := s.gazetteer(ctx)
	if err != nil {
		s.Log.Warn("gazetteer", "err", err)
		return func(float64, float64) *placeLabelJSON { return nil }
	}
	return func(lat, lon float64) *placeLabelJSON {
		l, ok := g.Label(lat, lon)
		if !ok {
			return nil
		}
		out := &placeLabelJSON{Name: l.Place.Name, Admin1: l.Place.Admin1, Country: l.Place.Country,
			DistanceKM: math.Round(l.DistanceM/100) / 10, Label: l.Text("en"), LabelFR: l.Text("fr")}
		if c := geotext.CountryByCode(l.Place.Country); c != nil {
			out.CountryName, out.CountryFR = c.EN, c.FR
		}
		return out
	}
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
	lang := q.Get("lang")
	g, err := s.gazetteer(r.Context())
	if err != nil {
		return err
	}
	out := []placeJSON{}
	for _, c := range g.Search(text, nil, limit) {
		p := toPlaceJSON(c.Place, lang)
		conf := math.Round(c.Confidence*100) / 100
		p.Confidence = &conf
		out = append(out, p)
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
	writeJSON(w, http.StatusOK, map[string]any{"lat": lat, "lon": lon, "place": s.placeLabel(r.Context(), lat, lon)})
	return nil
}

// placesGazetteer answers GET /api/v1/places/gazetteer: how many places
// the server knows, from the shipped gazetteer and the newest import.
func (s *Server) placesGazetteer(w http.ResponseWriter, r *http.Request) error {
	g, err := s.gazetteer(r.Context())
	if err != nil {
		return err
	}
	s.places.mu.Lock()
	out := map[string]any{"places": len(g.Places), "shipped": s.places.shipped, "imported": s.places.imported,
		"attribution": "GeoNames (CC BY 4.0) · countries-states-cities-database (ODbL) · UCDP GED · Geo-PKO"}
	s.places.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
	return nil
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
	g, err := geotext.LoadGazetteer(strings.NewReader(req.Data), name)
	if err != nil {
		return badRequest("data", "%v", err)
	}
	if s.DB == nil {
		return errors.New("no database configured")
	}
	u, _ := auth.UserFrom(r.Context())
	id, err := s.DB.SaveGazetteerImport(r.Context(), u.Name, name, len(g.Places), []byte(req.Data))
	if err != nil {
		return err
	}
	if err := s.LoadPlaces(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": name, "places": len(g.Places)})
	return nil
}
