package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// HXL (Humanitarian Exchange Language, hxlstandard.org) tags spreadsheet
// columns with a row of hashtags such as #date, #geo+lat, #affected+killed.
// Rows above the hashtag row (titles, human headers) are skipped.
//
// Event fields are taken from these hashtags (attributes in any order):
//
//	#event+id, #event+code, #meta+id     source id (default: a hash of the row)
//	#date, #date+start, #date+occurred   start date; #date+end end date
//	#geo+lat, #geo+lon                   coordinates (decimal or degrees/minutes/seconds)
//	#geo+coord                           "lat,lon" in one cell
//	#affected+killed                     best estimate; +min low, +max high, +civilians civilian deaths
//	#event+type                          UCDP type (1–3, "state-based" …) or an ACLED event type
//	#event+type+sub                      sub-type
//	#event+name, #crisis+name            conflict name
//	#country, #country+code              country name, code
//	#adm1, #adm1+code, #adm2, #loc       admin areas, P-code, place
//	#org, #group, #actor (+first/+a, +second/+b)  sides A and B
//	#description, #meta+notes            notes
type hxlParser struct {
	t      *table
	source string
	tags   []hxlTag // by column
	cols   map[string]int
	idCol  int
}

// hxlTag is one column's hashtag: "#geo+lat" is {Tag: "geo", Attrs: {"lat"}}.
type hxlTag struct {
	Tag   string // without '#', lower case; "" for an untagged column
	Attrs []string
	Spec  string // as written, normalised: "#geo+lat"
}

func (h hxlTag) has(a string) bool {
	for _, x := range h.Attrs {
		if x == a {
			return true
		}
	}
	return false
}

var hashtagRe = regexp.MustCompile(`^#([A-Za-z][A-Za-z0-9_]*)((?:\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*)$`)

func parseHashtag(s string) (hxlTag, bool) {
	m := hashtagRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return hxlTag{}, false
	}
	t := hxlTag{Tag: strings.ToLower(m[1])}
	for _, a := range strings.Split(m[2], "+") {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			t.Attrs = append(t.Attrs, a)
		}
	}
	t.Spec = "#" + t.Tag
	for _, a := range t.Attrs {
		t.Spec += "+" + a
	}
	return t, true
}

// isHashtagRow: at least one cell is a hashtag, and at least half of the
// non-empty cells are (libhxl accepts "fuzzy" rows with a few bad cells).
func isHashtagRow(rec []string) bool {
	tags, nonEmpty := 0, 0
	for _, c := range rec {
		if strings.TrimSpace(c) == "" {
			continue
		}
		nonEmpty++
		if _, ok := parseHashtag(c); ok {
			tags++
		}
	}
	return tags > 0 && tags*2 >= nonEmpty
}

// hxlMaxHeaderRows is how far down the hashtag row is looked for.
const hxlMaxHeaderRows = 25

func newHXL(file string, in io.Reader, head []byte, source string) (parser, error) {
	p, err := newHXLTable(file, in, head)
	if err != nil {
		return nil, err
	}
	p.source = source
	return p, p.mapColumns()
}

// newHXLTable reads up to the hashtag row and parses it.
func newHXLTable(file string, in io.Reader, head []byte) (*hxlParser, error) {
	t := newTable(file, in, head)
	p := &hxlParser{t: t, cols: map[string]int{}, idCol: -1}
	var headers []string
	for n := 0; ; n++ {
		rec, line, err := t.read()
		if err == io.EOF || n >= hxlMaxHeaderRows {
			return nil, at(file, 0, "", apperr.Textf("no HXL hashtag row (#date, #geo+lat, …) in the first %d rows: the file is not HXL-tagged", hxlMaxHeaderRows))
		}
		if err != nil {
			return nil, err
		}
		if isHashtagRow(rec) {
			p.tags = make([]hxlTag, len(rec))
			names := make([]string, len(rec))
			for i, c := range rec {
				if tg, ok := parseHashtag(c); ok {
					p.tags[i] = tg
					names[i] = tg.Spec
				} else if i < len(headers) && headers[i] != "" {
					names[i] = headers[i]
				}
			}
			t.names = names
			break
		}
		headers = append(headers[:0], rec...)
		_ = line
	}
	return p, nil
}

// mapColumns assigns event fields to columns by hashtag.
func (p *hxlParser) mapColumns() error {
	file := p.t.file
	set := func(key string, i int) {
		if _, dup := p.cols[key]; !dup {
			p.cols[key] = i
		}
	}
	for i, tg := range p.tags {
		switch tg.Tag {
		case "event":
			switch {
			case tg.has("id") || tg.has("code"):
				set("id", i)
			case tg.has("type") && tg.has("sub"):
				set("subtype", i)
			case tg.has("type"):
				set("type", i)
			case tg.has("name"):
				set("conflict", i)
			}
		case "meta":
			switch {
			case tg.has("id"):
				set("id", i)
			case tg.has("notes"):
				set("notes", i)
			}
		case "date":
			switch {
			case tg.has("end"):
				set("date_end", i)
			default:
				set("date_start", i)
			}
		case "geo":
			switch {
			case tg.has("lat"):
				set("lat", i)
			case tg.has("lon"):
				set("lon", i)
			case tg.has("coord"):
				set("coord", i)
			}
		case "affected", "inneed":
			if !tg.has("killed") && !tg.has("dead") {
				continue
			}
			switch {
			case tg.has("min"):
				set("low", i)
			case tg.has("max"):
				set("high", i)
			case tg.has("civilians") || tg.has("civ"):
				set("civilian", i)
			default:
				set("best", i)
			}
		case "crisis":
			set("conflict", i)
		case "country":
			if tg.has("code") {
				set("country_code", i)
			} else {
				set("country", i)
			}
		case "adm1":
			if tg.has("code") {
				set("admin1_code", i)
			} else {
				set("admin1", i)
			}
		case "adm2":
			if !tg.has("code") {
				set("admin2", i)
			}
		case "loc":
			if !tg.has("code") {
				set("location", i)
			}
		case "org", "group", "actor":
			switch {
			case tg.has("second") || tg.has("b") || tg.has("secondary") || tg.has("target"):
				set("side_b", i)
			case tg.has("first") || tg.has("a") || tg.has("primary"):
				set("side_a", i)
			default:
				if _, ok := p.cols["side_a"]; ok {
					set("side_b", i)
				} else {
					set("side_a", i)
				}
			}
		case "description":
			set("notes", i)
		}
	}
	if _, ok := p.cols["date_start"]; !ok {
		return at(file, 0, "", apperr.Text("no #date column: an HXL event file needs #date (or #date+start), #geo+lat and #geo+lon (or #geo+coord)"))
	}
	_, lat := p.cols["lat"]
	_, lon := p.cols["lon"]
	_, coord := p.cols["coord"]
	if !(lat && lon) && !coord {
		return at(file, 0, "", apperr.Text("no #geo+lat and #geo+lon (or #geo+coord) columns: an HXL event file needs coordinates"))
	}
	if i, ok := p.cols["id"]; ok {
		p.idCol = i
	}
	return nil
}

func (p *hxlParser) c(key string) int {
	if i, ok := p.cols[key]; ok {
		return i
	}
	return -1
}

func (p *hxlParser) column(field string) string {
	key := map[string]string{"id": "id", "source": "id", "date_start": "date_start", "date_end": "date_end",
		"latitude": "lat", "longitude": "lon", "type_of_violence": "type", "best": "best", "low": "low",
		"deaths_civilians": "civilian"}[field]
	if key == "" {
		return field
	}
	i := p.c(key)
	if i < 0 && (key == "lat" || key == "lon") {
		i = p.c("coord")
	}
	if i < 0 && key == "low" {
		i = p.c("best")
	}
	if i < 0 {
		return field
	}
	return p.t.name(i)
}

func (p *hxlParser) next() (*events.Event, int, error) {
	r, e, err := p.t.nextEvent(p.source, p.idCol)
	if err != nil {
		return nil, r.line, err
	}
	if p.idCol < 0 {
		h := sha256.New()
		for _, c := range r.rec {
			h.Write([]byte(strings.TrimSpace(c)))
			h.Write([]byte{0})
		}
		e.SourceID = "row-" + hex.EncodeToString(h.Sum(nil)[:8])
	}
	if e.DateStart = r.date(p.c("date_start")); e.DateStart.IsZero() && r.err == nil {
		r.fail(p.c("date_start"), "is empty")
	}
	e.DateEnd = r.date(p.c("date_end"))
	if i := p.c("coord"); i >= 0 && (p.c("lat") < 0 || p.c("lon") < 0) {
		lat, lon, err := ParseCoord(r.str(i))
		if err != nil {
			r.failErr(i, err)
		}
		e.Lat, e.Lon = lat, lon
	} else {
		var err error
		if s := r.str(p.c("lat")); s == "" {
			r.fail(p.c("lat"), "is empty")
		} else if e.Lat, err = ParseLat(s); err != nil {
			r.failErr(p.c("lat"), err)
		}
		if s := r.str(p.c("lon")); s == "" {
			r.fail(p.c("lon"), "is empty")
		} else if e.Lon, err = ParseLon(s); err != nil {
			r.failErr(p.c("lon"), err)
		}
	}
	if s := r.str(p.c("type")); s != "" {
		if v, err := events.ParseViolenceType(s); err == nil {
			e.Violence = v
		} else if v, err2 := acledViolence(s, "", ""); err2 == nil {
			e.Violence, e.EventType = v, s
		} else {
			r.failErr(p.c("type"), err)
		}
	}
	e.SubEventType = r.str(p.c("subtype"))
	e.Best = r.integer(p.c("best"), 0)
	e.Low = r.integer(p.c("low"), e.Best)
	e.High = r.integer(p.c("high"), e.Best)
	e.Civilian = r.integer(p.c("civilian"), -1)
	e.ConflictName = r.str(p.c("conflict"))
	e.Country, e.CountryCode = r.str(p.c("country")), r.str(p.c("country_code"))
	e.Admin1, e.Admin1Code, e.Admin2 = r.str(p.c("admin1")), r.str(p.c("admin1_code")), r.str(p.c("admin2"))
	e.Location = r.str(p.c("location"))
	e.SideA, e.SideB = r.str(p.c("side_a")), r.str(p.c("side_b"))
	e.Notes = r.str(p.c("notes"))
	if r.err != nil {
		return nil, r.line, r.err
	}
	return e, r.line, nil
}

// ---- coordinates ----

// ParseLat reads a latitude written as a decimal ("-1.2833") or in degrees,
// minutes and seconds with an optional hemisphere letter anywhere
// ("1°17′S", "N45:30:30", "45N30", "S 45 30.5"), as libhxl does.
func ParseLat(s string) (float64, error) { return parseDMS(s, "NS", 90, "latitude") }

// ParseLon reads a longitude (see ParseLat; hemisphere E or W, |lon| ≤ 180).
func ParseLon(s string) (float64, error) { return parseDMS(s, "EW", 180, "longitude") }

// ParseCoord reads "lat,lon" (separated by ',', ';', '/' or spaces).
func ParseCoord(s string) (lat, lon float64, err error) {
	s = strings.TrimSpace(s)
	for _, sep := range []string{",", ";", "/"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			if lat, err = ParseLat(a); err != nil {
				return 0, 0, err
			}
			if lon, err = ParseLon(b); err != nil {
				return 0, 0, err
			}
			return lat, lon, nil
		}
	}
	f := strings.Fields(s)
	for k := 1; k < len(f); k++ {
		lat, err1 := ParseLat(strings.Join(f[:k], " "))
		lon, err2 := ParseLon(strings.Join(f[k:], " "))
		if err1 == nil && err2 == nil {
			return lat, lon, nil
		}
	}
	return 0, 0, apperr.Textf("%q is not a coordinate pair (want lat,lon)", s)
}

func parseDMS(s, hemis string, limit float64, what string) (float64, error) {
	orig := strings.TrimSpace(s)
	if orig == "" {
		return 0, apperr.Textf("%s is empty", what)
	}
	if v, err := strconv.ParseFloat(orig, 64); err == nil {
		if math.IsNaN(v) || math.Abs(v) > limit {
			return 0, apperr.Textf("%s %s outside -%v..%v", what, orig, limit, limit)
		}
		return v, nil
	}
	neg := false
	hemi := 0
	var b strings.Builder
	for _, c := range orig {
		switch {
		case strings.ContainsRune(hemis+strings.ToLower(hemis), c):
			hemi++
			if c == rune(hemis[1]) || c == rune(hemis[1]+32) {
				neg = true
			}
			b.WriteByte(' ')
		case c == '°' || c == '\'' || c == '"' || c == '′' || c == '″' || c == ':' || c == 'º':
			b.WriteByte(' ')
		case c == '-' || c == '.' || c == ' ' || c == '\t' || (c >= '0' && c <= '9'):
			b.WriteRune(c)
		default:
			return 0, apperr.Textf("%q is not a %s", orig, what)
		}
	}
	if hemi > 1 {
		return 0, apperr.Textf("%q is not a %s (more than one hemisphere letter)", orig, what)
	}
	parts := strings.Fields(b.String())
	if len(parts) == 0 || len(parts) > 3 {
		return 0, apperr.Textf("%q is not a %s", orig, what)
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || (i > 0 && f < 0) {
			return 0, apperr.Textf("%q is not a %s", orig, what)
		}
		v[i] = f
	}
	if v[0] < 0 {
		if hemi > 0 {
			return 0, apperr.Textf("%q is not a %s (both a sign and a hemisphere)", orig, what)
		}
		neg, v[0] = true, -v[0]
	}
	if v[1] >= 60 || v[2] >= 60 {
		return 0, apperr.Textf("%q is not a %s (minutes and seconds must be below 60)", orig, what)
	}
	deg := v[0] + v[1]/60 + v[2]/3600
	if deg > limit {
		return 0, apperr.Textf("%s %q outside -%v..%v", what, orig, limit, limit)
	}
	if neg {
		deg = -deg
	}
	return deg, nil
}
