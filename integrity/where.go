package integrity

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/textscan"
)

// Where it matters: items with a place (given, or a gazetteer name found in
// the text — never an author's location) counted per PRIO-GRID cell and
// joined to the cell's forecast risk and patrol coverage, so that an analyst
// reads "hate speech targeting group G is rising in cells where violence
// against civilians is forecast and no patrol reaches".

// CellSource gives each cell's coverage and risk in a month
// (coverage.Service.CellMonths).
type CellSource interface {
	CellMonths(ctx context.Context, mo grid.Month) ([]coverage.CellMonth, grid.Month, coverage.RiskInfo, error)
}

// NewestForecaster is a CellSource that knows which months a stored
// forecast covers (coverage.Service).
type NewestForecaster interface {
	// HasForecast says whether a forecast gives mo's risk, without reading it.
	HasForecast(ctx context.Context, mo grid.Month) (bool, error)
	NewestForecastMonth(ctx context.Context) (grid.Month, bool, error)
}

// RiskCode turns what the risk numbers are into a code and parameters
// the UI writes in its language.
func RiskCode(r coverage.RiskInfo) (string, map[string]any) {
	if r.Forecast == nil {
		return "recent_events", nil
	}
	p := map[string]any{"run": int(r.Forecast.Run), "model": r.Forecast.Model, "horizon": r.Forecast.Horizon}
	if !r.Forecast.Created.IsZero() {
		p["made"] = r.Forecast.Created.UTC().Format(time.DateOnly) // the day the forecast was computed
	}
	return "forecast", p
}

// PlacedItem is what the map and the weekly brief need of an item.
type PlacedItem struct {
	ID        int64
	Narrative int64
	Day       string // YYYY-MM-DD
	Lang      string
	Placed    bool // it has coordinates (Lat, Lon)
	Lat, Lon  float64
	Place     string
	Score     float64
	Labelled  string   // the analyst's label (harmful or normal; "" when none)
	Reach     int64    // summed engagement
	Groups    []string // groups targeted by the lexicon terms it matched
	Admin1    string   // first-level administrative area of its place (gazetteer)
	Country   string   // ISO3 code of its place's country (gazetteer)
}

// Harmful says whether the item counts as harmful: its analyst's label
// when it has one, else its classifier's score (see the func Harmful).
func (it PlacedItem) Harmful() bool { return Harmful(it.Labelled, it.Score) }

// PlacedItemStore lists the items of a window (implemented by the store).
type PlacedItemStore interface {
	// WindowItems returns the items posted from day from to day to
	// (YYYY-MM-DD, inclusive).
	WindowItems(ctx context.Context, from, to string) ([]PlacedItem, error)
}

// Rules of the join, stated.
const (
	// RisingDays: a series is rising in a cell when its items of the
	// newest RisingDays days of the window outnumber those of the
	// RisingDays days before, with at least RisingMin of them.
	RisingDays = 7
	RisingMin  = 2
	// AtRiskProb is the forecast probability of violence against
	// civilians from which a cell counts as at risk; with no forecast
	// stored for the month, AtRiskEvents recent events (coverage's
	// fallback risk) make it so.
	AtRiskProb   = 0.1
	AtRiskEvents = 1
	// DefaultWhereDays is the window when the query gives no dates.
	DefaultWhereDays = 30
)

// WhereQuery selects the items (by day, and by the cells' country) and the
// month of risk and coverage.
type WhereQuery struct {
	From, To time.Time // days; zero To: the newest item's day; zero From: DefaultWhereDays before To
	// Countries is the map's country filter (a cell is in when its centre
	// is in a chosen country); nil: all.
	Countries events.CountrySet
	Month     grid.Month // risk and coverage month; 0: To's month
}

// Trend is a count in the window, split into the newest RisingDays days and
// the RisingDays before them.
type Trend struct {
	Value  string `json:"value"`
	Items  int    `json:"items"`
	Recent int    `json:"recent"`
	Before int    `json:"before"`
	Rising bool   `json:"rising"`
}

func (t *Trend) add(day, recentFrom, beforeFrom string) {
	t.Items++
	switch {
	case day >= recentFrom:
		t.Recent++
	case day >= beforeFrom:
		t.Before++
	}
}

func (t *Trend) settle() { t.Rising = t.Recent >= RisingMin && t.Recent > t.Before }

// RisingNarrative is a narrative rising in a cell.
type RisingNarrative struct {
	Trend
	ID   int64  `json:"id"`
	Name string `json:"name"` // its name, or the start of its first item's text
}

// WhereCell is one cell with items, joined to its risk and coverage.
type WhereCell struct {
	Cell      int     `json:"cell"`
	Lat       float64 `json:"lat"` // the cell's centre
	Lon       float64 `json:"lon"`
	Country   string  `json:"country"`
	CountryFR string  `json:"country_fr,omitempty"` // the country's French name (a known country)
	// CountryName is the country's English name as the gazetteer writes it
	// ("DR Congo" where the events say "DR Congo (Zaire)"), as the admin-1
	// rows name it; empty for a country not known.
	CountryName string            `json:"country_name,omitempty"`
	Places      []Count           `json:"places"` // the items' place names
	Admin1      []Count           `json:"admin1"` // the first-level areas of the items' places
	Items       int               `json:"items"`
	Harmful     Trend             `json:"harmful"` // harmful items (see Harmful: analyst's label, else score)
	Groups      []Trend           `json:"groups"`  // items matching terms that target each group
	Rising      []RisingNarrative `json:"rising"`  // narratives rising in the cell
	Risk        float64           `json:"risk"`
	AtRisk      bool              `json:"at_risk"`
	Covered     *bool             `json:"covered"` // nil: the cell is outside the coverage grid
	Personnel   int               `json:"personnel"`
	// Alert: harmful speech (scored, or targeting a group) is rising in a
	// cell at risk that no patrol reaches.
	Alert bool `json:"alert"`
	// Near is the gazetteer's notable place nearest the cell's centre
	// (set by the web server, as the risk layer's `place`; nil when none
	// is within 100 km): it names a cell whose items carry no place name,
	// so that a cell is never shown by its number alone.
	Near *geotext.PointLabel `json:"near,omitempty"`
}

// WhereArea sums the cells of one country (the admin area the cells carry).
type WhereArea struct {
	Country    string `json:"country"`
	CountryFR  string `json:"country_fr,omitempty"`
	Cells      int    `json:"cells"`
	Items      int    `json:"items"`
	Harmful    int    `json:"harmful"`
	AlertCells int    `json:"alert_cells"`
}

// WhereAdmin1 sums the items of one first-level administrative area (the
// gazetteer's admin-1 of the items' places).
type WhereAdmin1 struct {
	Admin1     string `json:"admin1"`
	Admin1FR   string `json:"admin1_fr,omitempty"` // its French name where it differs
	Country    string `json:"country"`             // ISO3 code
	CountryEN  string `json:"country_name,omitempty"`
	CountryFR  string `json:"country_name_fr,omitempty"`
	Cells      int    `json:"cells"`
	Items      int    `json:"items"`
	Harmful    int    `json:"harmful"`
	AlertCells int    `json:"alert_cells"`
}

// WhereReport is the answer of Where.
type WhereReport struct {
	From           string `json:"from"`
	To             string `json:"to"`
	Month          string `json:"month"`
	RiskDefinition string `json:"risk_definition"` // in English, for the API's readers
	// RiskCode says what the risk numbers are, for the UI to write in its
	// language: "forecast" (RiskParams: run, model, horizon) or
	// "recent_events" (UCDP events of the 12 months before the month).
	RiskCode   string         `json:"risk_code,omitempty"`
	RiskParams map[string]any `json:"risk_params,omitempty"`
	// MonthAsked is the month the window's end asked for when it had no
	// stored forecast and the join took Month, the newest month with one.
	MonthAsked     string  `json:"month_asked,omitempty"`
	RiskIsForecast bool    `json:"risk_is_forecast"`
	AtRiskFrom     float64 `json:"at_risk_from"`
	CoverageNote   string  `json:"coverage_note,omitempty"` // why risk and coverage are missing
	// CoverageCode says why in a code the UI writes in its language:
	// "no_grid" (no deployments or events to grid yet) or "unavailable"
	// (no coverage service); "" for another reason (CoverageNote only).
	CoverageCode string      `json:"coverage_code,omitempty"`
	Unplaced     int         `json:"unplaced"` // items of the window with no coordinates
	Cells        []WhereCell `json:"cells"`    // alerts first, then by harmful items
	Areas        []WhereArea `json:"areas"`
	// Admin1 sums by first-level administrative area; items whose place
	// the gazetteer gives no area are left out of it.
	Admin1 []WhereAdmin1 `json:"admin1"`
}

// Where counts the window's placed items per cell and joins them to the
// risk and coverage of cells (nil: items only).
func (s *Service) Where(ctx context.Context, q WhereQuery, cells CellSource) (WhereReport, error) {
	ps, ok := s.Store.(PlacedItemStore)
	if !ok {
		return WhereReport{}, errors.New("integrity: this store cannot place items")
	}
	if q.To.IsZero() {
		last, err := s.newestDay(ctx)
		if err != nil {
			return WhereReport{}, err
		}
		q.To = last
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -(DefaultWhereDays - 1))
	}
	if q.From.After(q.To) {
		return WhereReport{}, fieldErr("from", "%s is after to (%s)", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.To.Sub(q.From) > 366*24*time.Hour {
		return WhereReport{}, fieldErr("from", "the window is longer than a year")
	}
	monthGiven := q.Month != 0
	if !monthGiven {
		q.Month = grid.MonthOf(q.To.Year(), int(q.To.Month()))
	}
	from, to := q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)
	recentFrom := q.To.AddDate(0, 0, -(RisingDays - 1)).Format(time.DateOnly)
	beforeFrom := q.To.AddDate(0, 0, -(2*RisingDays - 1)).Format(time.DateOnly)
	all, err := ps.WindowItems(ctx, from, to)
	if err != nil {
		return WhereReport{}, err
	}
	rep := WhereReport{From: from, To: to, Month: q.Month.String(), Cells: []WhereCell{}, Areas: []WhereArea{}, Admin1: []WhereAdmin1{}}
	var items []PlacedItem
	for _, it := range all {
		if it.Placed {
			items = append(items, it)
		} else {
			rep.Unplaced++
		}
	}

	// Risk and coverage of the month.
	byCell := map[int]coverage.CellMonth{}
	if cells != nil {
		// No forecast for the window's month (the data's forecasts end
		// before it): join the newest month that has one, and say so —
		// a forecast is what an analyst reads risk as; an explicit month
		// is kept as asked. Which month is found before the join, so that
		// the join is computed once.
		mo := q.Month
		if nf, ok := cells.(NewestForecaster); ok && !monthGiven {
			if has, herr := nf.HasForecast(ctx, q.Month); herr == nil && !has {
				if newest, found, ferr := nf.NewestForecastMonth(ctx); ferr == nil && found && newest != q.Month {
					mo, rep.MonthAsked = newest, q.Month.String()
				}
			}
		}
		cms, mo, risk, err := cells.CellMonths(ctx, mo)
		if rep.MonthAsked != "" && (err != nil || risk.Forecast == nil || len(cms) == 0) {
			rep.MonthAsked = "" // the newest month failed after all: the window's own
			cms, mo, risk, err = cells.CellMonths(ctx, q.Month)
		}
		switch {
		case err != nil:
			rep.CoverageNote = err.Error()
		case len(cms) == 0:
			rep.CoverageNote, rep.CoverageCode = "no coverage grid: import deployments and events first", "no_grid"
		default:
			rep.Month, rep.RiskDefinition, rep.RiskIsForecast = mo.String(), risk.Definition, risk.Forecast != nil
			rep.RiskCode, rep.RiskParams = RiskCode(risk)
			for _, c := range cms {
				byCell[c.Cell] = c
			}
		}
	} else {
		rep.CoverageNote, rep.CoverageCode = "risk and coverage are not available on this server", "unavailable"
	}
	rep.AtRiskFrom = AtRiskEvents
	if rep.RiskIsForecast {
		rep.AtRiskFrom = AtRiskProb
	}

	names := s.narrativeNames(ctx)
	type acc struct {
		WhereCell
		places map[string]int
		admin1 map[string]int
		groups map[string]*Trend
		narrs  map[int64]*Trend
	}
	accs := map[int]*acc{}
	type adminAcc struct {
		WhereAdmin1
		cells map[int]bool
	}
	admins := map[string]*adminAcc{}
	for _, it := range items {
		gid, err := grid.PrioGID(it.Lat, it.Lon)
		if err != nil {
			continue
		}
		a := accs[gid]
		if a == nil {
			cm, known := byCell[gid]
			lat, lon, _ := grid.PrioCenter(gid)
			if q.Countries != nil && !q.Countries.At(lat, lon) {
				continue
			}
			a = &acc{WhereCell: WhereCell{Cell: gid, Lat: lat, Lon: lon, Country: cm.Country, CountryFR: geotext.FrenchName(cm.Country), CountryName: englishName(cm.Country), Risk: cm.Risk, Personnel: cm.Personnel},
				places: map[string]int{}, admin1: map[string]int{}, groups: map[string]*Trend{}, narrs: map[int64]*Trend{}}
			if known {
				cov := cm.Covered
				a.Covered = &cov
				a.AtRisk = cm.Risk >= rep.AtRiskFrom
			}
			accs[gid] = a
		}
		a.Items++
		if it.Admin1 != "" {
			k := it.Country + "\x1f" + it.Admin1
			ad := admins[k]
			if ad == nil {
				ad = &adminAcc{WhereAdmin1: WhereAdmin1{Admin1: it.Admin1, Admin1FR: admin1French(it.Admin1), Country: it.Country}, cells: map[int]bool{}}
				if c := geotext.AreaCountry(it.Admin1, it.Country); c != nil {
					ad.CountryEN, ad.CountryFR = c.EN, c.FR
				}
				admins[k] = ad
			}
			ad.Items++
			if it.Harmful() {
				ad.Harmful++
			}
			ad.cells[gid] = true
			a.admin1[it.Admin1]++
		}
		if it.Place != "" {
			a.places[it.Place]++
		}
		if it.Harmful() {
			a.Harmful.add(it.Day, recentFrom, beforeFrom)
		}
		for _, g := range it.Groups {
			tr := a.groups[g]
			if tr == nil {
				tr = &Trend{Value: g}
				a.groups[g] = tr
			}
			tr.add(it.Day, recentFrom, beforeFrom)
		}
		tr := a.narrs[it.Narrative]
		if tr == nil {
			tr = &Trend{}
			a.narrs[it.Narrative] = tr
		}
		tr.add(it.Day, recentFrom, beforeFrom)
	}
	areas := map[string]*WhereArea{}
	for _, a := range accs {
		c := a.WhereCell
		c.Harmful.settle()
		rising := c.Harmful.Rising
		for p, n := range a.places {
			c.Places = append(c.Places, Count{p, n})
		}
		sortCounts(c.Places)
		c.Admin1 = []Count{}
		for p, n := range a.admin1 {
			c.Admin1 = append(c.Admin1, Count{p, n})
		}
		sortCounts(c.Admin1)
		c.Groups = []Trend{}
		for _, tr := range a.groups {
			tr.settle()
			rising = rising || tr.Rising
			c.Groups = append(c.Groups, *tr)
		}
		sort.Slice(c.Groups, func(i, j int) bool {
			if c.Groups[i].Recent != c.Groups[j].Recent {
				return c.Groups[i].Recent > c.Groups[j].Recent
			}
			return c.Groups[i].Value < c.Groups[j].Value
		})
		c.Rising = []RisingNarrative{}
		for id, tr := range a.narrs {
			if tr.settle(); tr.Rising {
				c.Rising = append(c.Rising, RisingNarrative{Trend: *tr, ID: id, Name: names[id]})
			}
		}
		sort.Slice(c.Rising, func(i, j int) bool {
			if c.Rising[i].Recent != c.Rising[j].Recent {
				return c.Rising[i].Recent > c.Rising[j].Recent
			}
			return c.Rising[i].ID < c.Rising[j].ID
		})
		for i := range c.Rising {
			c.Rising[i].Value = strconv.FormatInt(c.Rising[i].ID, 10)
		}
		c.Alert = rising && c.AtRisk && c.Covered != nil && !*c.Covered
		rep.Cells = append(rep.Cells, c)
		ar := areas[c.Country]
		if ar == nil {
			ar = &WhereArea{Country: c.Country, CountryFR: c.CountryFR}
			areas[c.Country] = ar
		}
		ar.Cells++
		ar.Items += c.Items
		ar.Harmful += c.Harmful.Items
		if c.Alert {
			ar.AlertCells++
		}
	}
	sort.Slice(rep.Cells, func(i, j int) bool {
		a, b := rep.Cells[i], rep.Cells[j]
		switch {
		case a.Alert != b.Alert:
			return a.Alert
		case a.Harmful.Recent != b.Harmful.Recent:
			return a.Harmful.Recent > b.Harmful.Recent
		case a.Items != b.Items:
			return a.Items > b.Items
		}
		return a.Cell < b.Cell
	})
	for _, ar := range areas {
		rep.Areas = append(rep.Areas, *ar)
	}
	alert := map[int]bool{}
	for _, c := range rep.Cells {
		alert[c.Cell] = c.Alert
	}
	for _, ad := range admins {
		ad.Cells = len(ad.cells)
		for c := range ad.cells {
			if alert[c] {
				ad.AlertCells++
			}
		}
		rep.Admin1 = append(rep.Admin1, ad.WhereAdmin1)
	}
	sort.Slice(rep.Admin1, func(i, j int) bool {
		a, b := rep.Admin1[i], rep.Admin1[j]
		if a.Harmful != b.Harmful {
			return a.Harmful > b.Harmful
		}
		if a.Items != b.Items {
			return a.Items > b.Items
		}
		return a.Country+a.Admin1 < b.Country+b.Admin1
	})
	sort.Slice(rep.Areas, func(i, j int) bool {
		if rep.Areas[i].Harmful != rep.Areas[j].Harmful {
			return rep.Areas[i].Harmful > rep.Areas[j].Harmful
		}
		return rep.Areas[i].Country < rep.Areas[j].Country
	})
	return rep, nil
}

func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].N != cs[j].N {
			return cs[i].N > cs[j].N
		}
		return cs[i].Value < cs[j].Value
	})
}

// newestDay is the day of the newest item (today when there is none).
func (s *Service) newestDay(ctx context.Context) (time.Time, error) {
	dcs, err := s.Store.DailyCounts(ctx, "narrative")
	if err != nil {
		return time.Time{}, err
	}
	last := ""
	for _, d := range dcs {
		last = max(last, d.Day)
	}
	if t, err := time.Parse(time.DateOnly, last); err == nil {
		return t, nil
	}
	return s.now().Truncate(24 * time.Hour), nil
}

// narrativeNames gives each live narrative's name, or the start of its first
// item's text when it has none (empty when the narratives cannot be read:
// the callers then show ids).
// englishName is a country's English name as the gazetteer writes it, ""
// for a country it does not know.
func englishName(country string) string {
	if c := geotext.CountryNamed(country); c != nil {
		return c.EN
	}
	return ""
}

// sampleTitle is an unnamed narrative's title: its first item's text on
// one line, cut to about 80 bytes at a word's end with "…" when it is
// longer (the brief's table read "… en dignité et en droits. Ils", the cut
// unmarked and sometimes inside a word).
func sampleTitle(sample string) string {
	const max = 80
	s := oneLine(sample)
	if len(s) <= max {
		return s
	}
	s = textscan.Clip(s, max-len("…"))
	if i := strings.LastIndexByte(s, ' '); i >= max/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:.-–—") + "…"
}

func (s *Service) narrativeNames(ctx context.Context) map[int64]string {
	names := map[int64]string{}
	if ns, err := s.Store.Narratives(ctx); err == nil {
		for _, n := range ns {
			names[n.ID] = n.Name
			if n.Name == "" {
				names[n.ID] = sampleTitle(n.Sample)
			}
		}
	}
	return names
}

// HarmfulPoint counts the items the classifier scored harmful (score ≥
// HarmfulAt, analysts' labels aside) at one place in one month (a
// covariate of the risk model: forecast.PointCovariate).
type HarmfulPoint struct {
	Lat, Lon float64
	Month    string // YYYY-MM
	N        int
}

// HarmfulPoints counts the stored items the classifier scored harmful
// (score ≥ HarmfulAt; unlike Harmful, analysts' labels are left aside, so
// the covariate is measured the same way in every month and place,
// reviewed or not) per place (the item's place, given or found by the
// gazetteer — never its author's location) and month; the second result
// counts such items with no place, which cannot be counted in a cell.
func (s *Service) HarmfulPoints(ctx context.Context) ([]HarmfulPoint, int, error) {
	ps, ok := s.Store.(PlacedItemStore)
	if !ok {
		return nil, 0, errors.New("integrity: this store cannot place items")
	}
	items, err := ps.WindowItems(ctx, "0000-01-01", "9999-12-31")
	if err != nil {
		return nil, 0, err
	}
	type key struct {
		lat, lon float64
		month    string
	}
	idx := map[key]int{}
	var out []HarmfulPoint
	unplaced := 0
	for _, it := range items {
		if it.Score < HarmfulAt || len(it.Day) < 7 {
			continue
		}
		if !it.Placed {
			unplaced++
			continue
		}
		k := key{it.Lat, it.Lon, it.Day[:7]}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, HarmfulPoint{Lat: it.Lat, Lon: it.Lon, Month: k.month})
		}
		out[i].N++
	}
	return out, unplaced, nil
}
