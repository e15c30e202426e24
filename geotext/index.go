package geotext

import (
	"bytes"
	"context"
	"errors"
	"github.com/vigil-project/vigil/internal/apperr"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
)

// GazetteerImport is a gazetteer CSV a mission imported.
type GazetteerImport struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	Places     int       `json:"places"`
	ImportedBy string    `json:"imported_by"`
	ImportedAt time.Time `json:"imported_at"`
	CSV        []byte    `json:"-"`
}

// ImportStore keeps the gazetteers a mission imports.
type ImportStore interface {
	// SaveGazetteerImport stores an imported (already checked) CSV.
	SaveGazetteerImport(ctx context.Context, actor, name string, places int, csv []byte) (int64, error)
	// LatestGazetteerImport returns the newest import; ok is false when
	// none was imported.
	LatestGazetteerImport(ctx context.Context) (g GazetteerImport, ok bool, err error)
}

// GazetteerUser is a service that locates texts with the index's
// gazetteer (the alert service): it may hold its own gazetteer, merged in
// first, and is given the merged one after every load.
type GazetteerUser interface {
	Gazetteer() *Gazetteer
	SetGazetteer(*Gazetteer)
}

// ErrBadInput marks an imported gazetteer that cannot be read (errors.Is):
// apperr's bad input, naming the field data (Import's argument); the
// error's text names the line and column.
var ErrBadInput = apperr.ErrInvalid

// Index is a server's gazetteer: the newest imported gazetteer, the alert
// service's own and the shipped one, merged in that order (imported places
// first), built on first use and rebuilt after an import. It searches
// places, names points and takes imports.
type Index struct {
	Store   ImportStore   // nil: no imports
	Shipped *Gazetteer    // the gazetteer shipped with the binary
	Area    *Area         // ranks ambiguous names by nearness (nil: none)
	User    GazetteerUser // nil: none
	Log     *slog.Logger  // gazetteer load failures while naming points

	mu       sync.Mutex
	g        *Gazetteer
	imported *ImportMeta
	own      *Gazetteer // the user's own gazetteer, read once
	ownRead  bool

	cellsMu sync.Mutex
	cells   map[[2]float64]*PointLabel // CellLabeler's labels by point, of gazetteer cellsOf
	cellsOf *Gazetteer
}

// ImportMeta describes an imported gazetteer in answers.
type ImportMeta struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Places     int    `json:"places"`
	ImportedBy string `json:"imported_by"`
	ImportedAt string `json:"imported_at"`
}

// Load (re)builds the merged gazetteer and gives it to the user.
func (x *Index) Load(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.loadLocked(ctx)
}

func (x *Index) loadLocked(ctx context.Context) error {
	var parts []*Gazetteer
	x.imported = nil
	if x.Store != nil {
		imp, ok, err := x.Store.LatestGazetteerImport(ctx)
		if err != nil {
			return err
		}
		if ok {
			g, err := LoadGazetteer(bytes.NewReader(imp.CSV), imp.Name)
			if err != nil {
				return err
			}
			parts = append(parts, g)
			x.imported = &ImportMeta{ID: imp.ID, Name: imp.Name, Places: imp.Places, ImportedBy: imp.ImportedBy, ImportedAt: imp.ImportedAt.Format("2006-01-02T15:04:05Z")}
		}
	}
	if x.User != nil && !x.ownRead {
		x.own, x.ownRead = x.User.Gazetteer(), true // installed with `vigil alerts gazetteer`
	}
	if x.own != nil {
		parts = append(parts, x.own)
	}
	if x.Shipped != nil {
		parts = append(parts, x.Shipped)
	}
	g := Merge(parts...)
	if x.Area != nil {
		g.Area = x.Area
	}
	x.g = g
	if x.User != nil {
		x.User.SetGazetteer(g)
	}
	return nil
}

// Gazetteer returns the merged gazetteer, built on first use.
func (x *Index) Gazetteer(ctx context.Context) (*Gazetteer, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.g == nil {
		if err := x.loadLocked(ctx); err != nil {
			return nil, err
		}
	}
	return x.g, nil
}

// PlaceAnswer is a place as the API answers it.
type PlaceAnswer struct {
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

// Search returns the places whose name (or alternate name) is q, starts
// with q or, when none does, is within a spelling difference or two of it;
// best first, described in lang.
func (x *Index) Search(ctx context.Context, q string, limit int, lang string) ([]PlaceAnswer, error) {
	g, err := x.Gazetteer(ctx)
	if err != nil {
		return nil, err
	}
	out := []PlaceAnswer{}
	for _, c := range g.Search(q, nil, limit) {
		p := c.Place
		a := PlaceAnswer{Name: p.Name, Admin1: p.Admin1, Country: p.Country, Kind: p.Kind, Population: p.Population, Lat: p.Lat, Lon: p.Lon, Label: p.Describe(lang)}
		if cn := AreaCountry(p.Admin1, p.Country); cn != nil {
			a.CountryName = cn.Name(lang)
		}
		conf := math.Round(c.Confidence*100) / 100
		a.Confidence = &conf
		out = append(out, a)
	}
	return out, nil
}

// PointLabel is the additive `place` field of answers that name cells and
// events: the nearest notable place, in English and French.
type PointLabel struct {
	Name        string  `json:"name"`
	Admin1      string  `json:"admin1,omitempty"`
	Country     string  `json:"country,omitempty"`
	CountryName string  `json:"country_name,omitempty"`
	CountryFR   string  `json:"country_name_fr,omitempty"`
	DistanceKM  float64 `json:"distance_km"`
	Label       string  `json:"label"`
	LabelFR     string  `json:"label_fr"`
}

// Labeler names points for one answer: the nearest notable place within
// 100 km, or nil (also when the gazetteer cannot be loaded, which is
// logged).
type Labeler func(lat, lon float64) *PointLabel

// Labeler returns the function naming the points of one answer.
func (x *Index) Labeler(ctx context.Context) Labeler {
	if x == nil {
		return func(float64, float64) *PointLabel { return nil }
	}
	g, err := x.Gazetteer(ctx)
	if err != nil {
		log := x.Log
		if log == nil {
			log = slog.Default()
		}
		log.Warn("gazetteer", "err", err)
		return func(float64, float64) *PointLabel { return nil }
	}
	return func(lat, lon float64) *PointLabel { return pointLabel(g, lat, lon) }
}

// pointLabel names one point by g (nil when no place is within 100 km).
func pointLabel(g *Gazetteer, lat, lon float64) *PointLabel {
	l, ok := g.Label(lat, lon)
	if !ok {
		return nil
	}
	out := &PointLabel{Name: l.Place.Name, Admin1: l.Place.Admin1, Country: l.Place.Country,
		DistanceKM: math.Round(l.DistanceM/100) / 10, Label: l.Text("en"), LabelFR: l.Text("fr")}
	if c := AreaCountry(l.Place.Admin1, l.Place.Country); c != nil {
		out.CountryName, out.CountryFR = c.EN, c.FR
	}
	return out
}

// CellLabeler is Labeler for points named again in answer after answer —
// grid cells' centres: each point's label is kept, for as long as the
// gazetteer is the same (an import makes a new one), so that a repeated
// answer does not look its places up again (the coverage layer names
// every cell of a month on each request). Each call gives a copy of the
// kept label, the caller's own.
func (x *Index) CellLabeler(ctx context.Context) Labeler {
	if x == nil {
		return x.Labeler(ctx)
	}
	g, err := x.Gazetteer(ctx)
	if err != nil {
		return x.Labeler(ctx) // logs and names nothing
	}
	x.cellsMu.Lock()
	if x.cellsOf != g {
		x.cells, x.cellsOf = map[[2]float64]*PointLabel{}, g
	}
	kept := x.cells
	x.cellsMu.Unlock()
	return func(lat, lon float64) *PointLabel {
		k := [2]float64{lat, lon}
		x.cellsMu.Lock()
		p, ok := kept[k]
		x.cellsMu.Unlock()
		if !ok {
			p = pointLabel(g, lat, lon)
			x.cellsMu.Lock()
			kept[k] = p
			x.cellsMu.Unlock()
		}
		if p == nil {
			return nil
		}
		c := *p
		return &c
	}
}

// Label names one point (nil when no place is within 100 km).
func (x *Index) Label(ctx context.Context, lat, lon float64) *PointLabel {
	return x.Labeler(ctx)(lat, lon)
}

// Attribution credits the sources of the shipped gazetteer.
const Attribution = "GeoNames (CC BY 4.0) · countries-states-cities-database (ODbL) · UCDP GED · Geo-PKO"

// Summary says how many places the index knows and where they come from
// (its fields encode in the order of the former map's sorted keys).
type Summary struct {
	Attribution string      `json:"attribution"`
	Imported    *ImportMeta `json:"imported"`
	Places      int         `json:"places"`
	Shipped     int         `json:"shipped"`
}

// Summary returns how many places the index knows, from the shipped
// gazetteer and the newest import.
func (x *Index) Summary(ctx context.Context) (Summary, error) {
	g, err := x.Gazetteer(ctx)
	if err != nil {
		return Summary{}, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	shipped := 0
	if x.Shipped != nil {
		shipped = len(x.Shipped.Places)
	}
	return Summary{Attribution: Attribution, Imported: x.imported, Places: len(g.Places), Shipped: shipped}, nil
}

// ImportResult is what an import stored.
type ImportResult struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Places int    `json:"places"`
}

// Import checks and stores a mission's own gazetteer CSV named name (name,
// lat, lon; optional alternate_names, country, admin1_name, population,
// kind and P-code columns) and rebuilds the index, so the imported places
// are used from now on, before the shipped ones. A bad row fails the whole
// import (ErrBadInput, naming the line and column) and nothing is stored.
func (x *Index) Import(ctx context.Context, actor, name, data string) (ImportResult, error) {
	g, err := LoadGazetteer(strings.NewReader(data), name)
	if err != nil {
		return ImportResult{}, apperr.Wrap(apperr.KindInvalid, "data", err)
	}
	if x.Store == nil {
		return ImportResult{}, errors.New("no database configured")
	}
	id, err := x.Store.SaveGazetteerImport(ctx, actor, name, len(g.Places), []byte(data))
	if err != nil {
		return ImportResult{}, err
	}
	if err := x.Load(ctx); err != nil {
		return ImportResult{}, err
	}
	return ImportResult{ID: id, Name: name, Places: len(g.Places)}, nil
}
