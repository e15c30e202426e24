package geotext

import (
	"encoding/csv"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
	"github.com/vigil-project/vigil/internal/geo"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Place is one gazetteer entry.
type Place struct {
	ID         int      // 1-based row number among data rows
	Name       string   // primary name
	AltNames   []string // alternate names and spellings
	Lat, Lon   float64
	AdminCodes []string // e.g. P-codes of the admin areas, coarsest first
	Country    string   // ISO 3166 alpha-3 code when known ("COD")
	Admin1     string   // name of the first-level unit when known ("Ituri")
	Population int      // 0 when unknown
	Kind       string   // town, admin1, admin2, locality, deployment, or the file's own
	Source     string   // where the entry came from (geonames, ucdp-ged, geo-pko, an import)
}

// Gazetteer is an in-memory index of place names, matched case- and
// accent-insensitively.
type Gazetteer struct {
	Places  []Place
	index   map[string][]int // folded name -> indexes into Places
	maxToks int

	// Area is the default area of interest used to rank ambiguous names
	// (nil: none). Set it before sharing the gazetteer between goroutines.
	Area *Area

	fuzzy       map[string]fuzzyKey // folded names and their one-rune deletions (buildFuzzy)
	fuzzyFilter fuzzyFilter
	near        map[[2]int][]int // 1° buckets -> places, for Label
	sorted      []string         // folded names in order, for Search
	lazyMu      sync.Mutex
}

// LoadGazetteer reads a CSV with a header row naming at least the columns
// name, lat (or latitude) and lon (or lng, longitude); optional
// alternate_names (alternatenames, alt_names; values separated by ";", "|" or
// ","), and any columns whose names start with "admin" or "pcode" are kept as
// admin codes. src names the file in errors. Any bad row fails the whole
// load, naming the line and column.
func LoadGazetteer(r io.Reader, src string) (*Gazetteer, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, apperr.Textf("%s: empty file, want a header row", src)
		}
		return nil, apperr.Textf("%s: %v", src, apperr.CSVError(err))
	}
	col := map[string]int{}
	var adminCols, altNameCols []int
	set := func(k string, i int) {
		if _, ok := col[k]; !ok {
			col[k] = i
		}
	}
	for i, h := range header {
		h = strings.ToLower(csvread.Name(h))
		switch strings.ReplaceAll(h, "_", "") {
		case "name", "placename", "featurename":
			set("name", i)
		case "nameen", "namefr", "nameloc", "namelocal":
			if _, ok := col["name"]; !ok {
				col["name"] = i
			} else {
				altNameCols = append(altNameCols, i)
			}
		case "alternatenames", "altnames", "alternates":
			set("alt", i)
		case "lat", "latitude", "y":
			set("lat", i)
		case "lon", "lng", "long", "longitude", "x":
			set("lon", i)
		case "country", "countrycode", "iso3", "admin0pcode", "adm0pcode":
			set("country", i)
			if strings.Contains(h, "pcode") {
				adminCols = append(adminCols, i)
			}
		case "admin1name", "admin1nameen", "admin1namefr", "adm1en", "adm1fr", "adm1name":
			set("admin1", i)
		case "population", "pop":
			set("population", i)
		case "kind", "feature", "featurecode", "type":
			set("kind", i)
		case "source":
			set("source", i)
		default:
			if strings.HasPrefix(h, "admin") || strings.HasPrefix(h, "adm") && strings.Contains(h, "pcode") || strings.HasPrefix(h, "pcode") {
				adminCols = append(adminCols, i)
			}
		}
	}
	for _, need := range []string{"name", "lat", "lon"} {
		if _, ok := col[need]; !ok {
			return nil, apperr.Textf("%s:1: header has no %q column (have %s)", src, need, strings.Join(header, ","))
		}
	}
	g := &Gazetteer{index: map[string][]int{}}
	err = csvread.Each(cr, src, func(rec []string, line int) error {
		var err error
		get := func(k string) string {
			i, ok := col[k]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		p := Place{ID: len(g.Places) + 1, Name: get("name")}
		if p.Name == "" {
			return cellErr(src, line, "name", apperr.Text("empty"))
		}
		if p.Lat, err = ParseLat(get("lat")); err != nil {
			return cellErr(src, line, "lat", err)
		}
		if p.Lon, err = ParseLon(get("lon")); err != nil {
			return cellErr(src, line, "lon", err)
		}
		if alt := get("alt"); alt != "" {
			for _, a := range strings.FieldsFunc(alt, func(r rune) bool { return r == ';' || r == '|' || r == ',' }) {
				if a = strings.TrimSpace(a); a != "" {
					p.AltNames = append(p.AltNames, a)
				}
			}
		}
		for _, i := range altNameCols {
			if i < len(rec) && strings.TrimSpace(rec[i]) != "" && strings.TrimSpace(rec[i]) != p.Name {
				p.AltNames = append(p.AltNames, strings.TrimSpace(rec[i]))
			}
		}
		for _, i := range adminCols {
			if i < len(rec) && strings.TrimSpace(rec[i]) != "" {
				p.AdminCodes = append(p.AdminCodes, strings.TrimSpace(rec[i]))
			}
		}
		if c := get("country"); c != "" {
			if k := CountryByCode(c); k != nil {
				p.Country = k.ISO3
			} else if k := CountryByCode(prefixLetters(c)); k != nil { // a P-code such as "CD54"
				p.Country = k.ISO3
			} else if k := countryByName(c); k != nil {
				p.Country = k.ISO3
			} else {
				return cellErr(src, line, "country", apperr.Textf("%q is not a known country code or name", c))
			}
		}
		p.Admin1, p.Kind, p.Source = get("admin1"), get("kind"), get("source")
		if v := get("population"); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 0 || n > 1e9 || math.IsNaN(n) {
				return cellErr(src, line, "population", apperr.Textf("%q is not a number of people", v))
			}
			p.Population = int(n)
		}
		if len(p.Name) > 200 {
			return cellErr(src, line, "name", apperr.Text("longer than 200 bytes"))
		}
		g.add(p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(g.Places) == 0 {
		return nil, apperr.Textf("%s: no places after the header", src)
	}
	return g, nil
}

// cellErr is a row's refusal at a column, "f.csv:3: column lat: why",
// said by the catalog when why is.
func cellErr(src string, line int, col string, why error) error {
	return apperr.Textf("%s:%d: column %s: %v", src, line, col, why)
}

func (g *Gazetteer) add(p Place) {
	idx := len(g.Places)
	g.Places = append(g.Places, p)
	seen := map[string]bool{}
	for _, n := range append([]string{p.Name}, p.AltNames...) {
		// A name with an elided article ("L'Oriental") is also found as a
		// text's words are (FoldText: "l oriental").
		for _, k := range []string{Fold(n), FoldText(n)} {
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			g.index[k] = append(g.index[k], idx)
			if t := len(strings.Fields(k)); t > g.maxToks && t <= maxNameTokens {
				g.maxToks = t
			}
		}
	}
}

// elision is a French article or preposition elided before a word and
// joined to it by an apostrophe: « près d'Ippy », « l’attaque d’Alindao »,
// « jusqu'à Bria ». N' and M' are left joined: they begin names
// (N'Djamena, N'Délé, M'Poko).
var elision = regexp.MustCompile(`(?i)(^|[^\pL])(l|d|qu|jusqu|lorsqu|puisqu)['’](\pL)`)

// FoldText is Fold for a text searched for place names: an elided article
// or preposition is a word of its own (« près d'Ippy » → "pres d ippy",
// where Fold alone gives "pres dippy" and Ippy is not found).
func FoldText(s string) string {
	return Fold(elision.ReplaceAllString(s, "$1$2 $3"))
}

// Lookup returns the places whose name or alternate name equals name,
// ignoring case, accents and punctuation.
func (g *Gazetteer) Lookup(name string) []Place {
	var out []Place
	for _, i := range g.index[Fold(name)] {
		out = append(out, g.Places[i])
	}
	return out
}

// LookupIndexes is Lookup as indexes into Places.
func (g *Gazetteer) LookupIndexes(name string) []int {
	if g.index == nil {
		return nil
	}
	return slices.Clone(g.index[Fold(name)])
}

// PlaceMatch is a gazetteer name found in text.
type PlaceMatch struct {
	Text   string  // the name as found (folded form)
	Places []Place // every place carrying that name (more than one: ambiguous)
}

// FindPlaces returns the gazetteer names written in text, longest match
// first at each position ("Bunia Centre" before "Bunia").
func (g *Gazetteer) FindPlaces(text string) []PlaceMatch {
	toks := strings.Fields(FoldText(text))
	var out []PlaceMatch
	for i := 0; i < len(toks); {
		matched := false
		for n := min(g.maxToks, len(toks)-i); n > 0; n-- {
			k := strings.Join(toks[i:i+n], " ")
			if ids, ok := g.index[k]; ok {
				pm := PlaceMatch{Text: k}
				for _, id := range ids {
					pm.Places = append(pm.Places, g.Places[id])
				}
				out = append(out, pm)
				i += n
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	return out
}

// Fold lower-cases s, strips accents (é→e, ß→ss, œ→oe …) and turns
// punctuation into single spaces, for name matching.
func Fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
			space = false
			continue
		}
		if unicode.Is(unicode.Mn, r) { // combining accents
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if r == '\'' || r == '’' { // "N'Djamena" = "Ndjamena"
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

var foldMap = func() map[rune]string {
	m := map[rune]string{}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăąǎ", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	m['ß'] = "ss"
	m['æ'] = "ae"
	m['œ'] = "oe"
	m['þ'] = "th"
	m['ð'] = "d"
	return m
}()

// Status of a location resolution.
type Status string

const (
	Resolved   Status = "resolved"
	Ambiguous  Status = "ambiguous"
	Unresolved Status = "unresolved"
)

// Location is a resolved point.
type Location struct {
	Lat, Lon   float64
	PrecisionM float64 // radius of uncertainty in metres
	Source     string  // "coordinates" or "gazetteer"
	Text       string  // what in the message it came from
	Place      string  // gazetteer name, if any
	AdminCodes []string
	Admin1     string  // first-level unit of the place, if known
	Country    string  // ISO3 code of the place's country, if known
	Confidence float64 // 0–1: how sure the place is the one meant (1 for coordinates)
	Edits      int     // spelling differences between the text and the name
}

// Result of Resolve.
type Result struct {
	Status     Status
	Location   *Location  // set when Resolved
	Candidates []Location // set when Ambiguous
	Reason     string     // why Ambiguous or Unresolved; for a place name, which place and the confidence
}

// PlacePrecisionM is the uncertainty given to a gazetteer match (a village
// or town named in a message: the event may be anywhere around it).
const PlacePrecisionM = 5000

// sameSpot is the distance under which two readings are the same location.
const sameSpot = 100.0

// Resolve finds the location an alert's text names. Coordinates written in
// the text win over place names; several different coordinates, several
// places with the same name, or several place names make the result
// Ambiguous; nothing found is Unresolved. g may be nil.
func Resolve(text string, g *Gazetteer) Result { return ResolveIn(text, g, nil) }

// ResolveIn is Resolve with ambiguous place names ranked by nearness to
// area (nil: the gazetteer's own Area).
func ResolveIn(text string, g *Gazetteer, area *Area) Result {
	coords := FindCoords(text)
	if len(coords) > 0 {
		var cands []Location
		for _, c := range coords {
			l := Location{Lat: c.Lat, Lon: c.Lon, PrecisionM: c.PrecisionM, Source: "coordinates", Text: c.Text, Confidence: 1}
			dup := false
			for _, e := range cands {
				if Distance(e.Lat, e.Lon, l.Lat, l.Lon) < sameSpot {
					dup = true
				}
			}
			if !dup {
				cands = append(cands, l)
			}
		}
		if len(cands) == 1 {
			return Result{Status: Resolved, Location: &cands[0]}
		}
		return Result{Status: Ambiguous, Candidates: cands, Reason: fmt.Sprintf("%d different coordinates in the message", len(cands))}
	}
	if g == nil {
		return Result{Status: Unresolved, Reason: "no coordinates in the message and no gazetteer imported"}
	}
	return resolvePlaces(text, g, area)
}

// MinConfidence is the confidence a place name's best meaning needs for
// Resolve to take it without asking a human.
const MinConfidence = 0.6

// resolvePlaces resolves a text by the place names it contains.
func resolvePlaces(text string, g *Gazetteer, area *Area) Result {
	var cands []Location
	var names []string
	ms := g.Match(text, area)
	for _, m := range ms {
		names = append(names, m.Text)
		for _, c := range m.Candidates {
			p := c.Place
			dup := false
			for _, e := range cands {
				if Distance(e.Lat, e.Lon, p.Lat, p.Lon) < sameSpot {
					dup = true
				}
			}
			if !dup {
				cands = append(cands, Location{Lat: p.Lat, Lon: p.Lon, PrecisionM: PlacePrecisionM, Source: "gazetteer", Text: m.Text,
					Place: p.Name, AdminCodes: p.AdminCodes, Admin1: p.Admin1, Country: p.Country, Confidence: c.Confidence, Edits: m.Edits})
			}
		}
	}
	if len(cands) == 0 {
		return Result{Status: Unresolved, Reason: "no coordinates and no known place name in the message"}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Confidence != cands[j].Confidence {
			return cands[i].Confidence > cands[j].Confidence
		}
		return cands[i].Place < cands[j].Place
	})
	best := cands[0]
	if g.placesNamed(ms) == 1 && best.Confidence >= MinConfidence {
		how := "place name"
		if best.Edits > 0 {
			how = fmt.Sprintf("place name spelled %q", best.Text)
		}
		reason := fmt.Sprintf("%s: %s, confidence %s", how, best.describe(), confidenceText(best.Confidence))
		if len(cands) > 1 {
			reason += fmt.Sprintf("; %d other places share the name", len(cands)-1)
		}
		return Result{Status: Resolved, Location: &best, Reason: reason}
	}
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	var parts []string
	for _, c := range cands {
		parts = append(parts, fmt.Sprintf("%s %s", c.describe(), confidenceText(c.Confidence)))
	}
	quoted := unique(names)
	for i, n := range quoted {
		quoted[i] = strconv.Quote(n) // each apart: "bunia", "zemio"
	}
	reason := fmt.Sprintf("%d places match %s (%s)", len(cands), strings.Join(quoted, ", "), strings.Join(parts, "; "))
	return Result{Status: Ambiguous, Candidates: cands, Reason: reason}
}

// placesNamed is how many different places the mentions name. Mentions of
// the same gazetteer entries are one place: the same name written twice
// ("Bunia … Bunia", "NDELE … N'Délé") or two names of one entry ("Bunia …
// Bunya"). Two entries that share a name stay two candidates of their
// mention, and names of different entries stay different places.
func (g *Gazetteer) placesNamed(ms []Mention) int {
	var seen [][]int
	for _, m := range ms {
		ids := slices.Sorted(slices.Values(g.index[m.Name]))
		if !slices.ContainsFunc(seen, func(o []int) bool { return slices.Equal(o, ids) }) {
			seen = append(seen, ids)
		}
	}
	return len(seen)
}

// maxCandidates bounds the candidates an ambiguous result lists.
const maxCandidates = 10

func (l Location) describe() string {
	return Place{Name: l.Place, Admin1: l.Admin1, Country: l.Country}.Describe("en")
}

func unique(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Distance is the great-circle distance in metres (internal/geo).
func Distance(lat1, lon1, lat2, lon2 float64) float64 { return geo.DistanceM(lat1, lon1, lat2, lon2) }

// prefixLetters is the leading letters of a code ("CD" of "CD54").
func prefixLetters(s string) string {
	for i, r := range s {
		if r < 'A' || r > 'Z' && r < 'a' || r > 'z' {
			return s[:i]
		}
	}
	return s
}
