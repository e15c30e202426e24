package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// geojsonParser streams the features of an RFC 7946 FeatureCollection, one
// at a time. Each feature must have a Point geometry ([lon, lat]); its
// properties are read by the same names as UCDP GED columns (id, date_start,
// type_of_violence, best …), ACLED columns (event_id_cnty, event_date,
// event_type, fatalities …) or HXL hashtags ("#date", "#event+type",
// "#affected+killed" …). The feature's "id" member is the source id when no
// id property is given.
type geojsonParser struct {
	file   string
	dec    *json.Decoder
	lines  *lineCounter
	source string
	state  int // 0 before features, 1 in features, 2 done
	sawFC  bool
	last   map[string]string // event field -> property used, for errors
}

func newGeoJSON(file string, in io.Reader, source string) (parser, error) {
	lc := &lineCounter{r: in}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	p := &geojsonParser{file: file, dec: dec, lines: lc, source: source}
	tok, err := dec.Token()
	if err != nil {
		return nil, p.jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, at(file, 1, "", apperr.Text("not a GeoJSON FeatureCollection (want a JSON object)"))
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	return p, nil
}

// advance reads top-level members until the features array opens (state 1)
// or the object ends (state 2).
func (p *geojsonParser) advance() error {
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return p.jsonErr(err)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			var t string
			if _, err := p.decode(&t); err != nil {
				return err
			}
			if t != "FeatureCollection" {
				return at(p.file, p.line(), "type", apperr.Textf("%q: want FeatureCollection", t))
			}
			p.sawFC = true
		case "features":
			tok, err := p.dec.Token()
			if err != nil {
				return p.jsonErr(err)
			}
			if d, ok := tok.(json.Delim); !ok || d != '[' {
				return at(p.file, p.line(), "features", apperr.Text("is not an array"))
			}
			p.state = 1
			return nil
		default:
			var skip json.RawMessage
			if err := p.dec.Decode(&skip); err != nil {
				return p.jsonErr(err)
			}
		}
	}
	if _, err := p.dec.Token(); err != nil { // closing '}'
		return p.jsonErr(err)
	}
	p.state = 2
	return nil
}

func (p *geojsonParser) line() int { return p.lines.lineAt(p.dec.InputOffset()) }

// decode reads the next value into v and returns the file offset of its
// first byte. Where the decoder's buffer already holds that byte (nearly
// always), the value is decoded straight into v, and the offset of a value
// of the wrong JSON kind inside it is counted from where Decode began
// reading. Otherwise (the buffer ends before the value starts, as with a
// reader that gives a byte at a time) the value is read whole first
// (json.RawMessage) and its start is the input offset less its length:
// exact too, but the value is scanned twice.
func (p *geojsonParser) decode(v any) (int64, error) {
	from, start, ok := p.valueStart()
	if !ok {
		return p.decodeRaw(v)
	}
	if err := p.dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// Offset counts from where Decode began, just past the offending value.
			return start, p.typeErr(te, from+max(te.Offset-1, 0))
		}
		return start, p.jsonErr(err)
	}
	return start, nil
}

// valueStart looks into the decoder's buffer for where the next Decode
// begins reading (from: past the comma or colon Decode consumes first)
// and the offset of the value's first byte (start); ok is false when the
// buffer ends before it.
func (p *geojsonParser) valueStart() (from, start int64, ok bool) {
	br, _ := p.dec.Buffered().(*bytes.Reader)
	if br == nil {
		return 0, 0, false
	}
	off := p.dec.InputOffset()
	from, sep := off, false
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, 0, false
		}
		switch c {
		case ' ', '\t', '\r', '\n':
		case ',', ':':
			if sep {
				return from, off, true // not a value: Decode refuses it
			}
			sep, from = true, off+1
		default:
			return from, off, true
		}
		off++
	}
}

// decodeRaw is decode through a json.RawMessage.
func (p *geojsonParser) decodeRaw(v any) (int64, error) {
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return 0, p.jsonErr(err)
	}
	start := p.dec.InputOffset() - int64(len(raw))
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// Offset is relative to raw, just past the offending value.
			return start, p.typeErr(te, start+max(te.Offset-1, 0))
		}
		return start, p.jsonErr(err)
	}
	return start, nil
}

// syntaxOffset is the file offset of the byte a json.Decoder's syntax error
// is about. The decoder's own Offset is not one: for an error inside a value
// read by Decode it counts only the bytes Decode has scanned (not those
// Token consumed), so it fell a line short inside a features array. After
// such an error the decoder stands at the start of that value, so the
// buffered bytes are read again from there by a fresh decoder, whose
// Offset is then counted from that start. Errors the decoder reports
// between values (a missing comma) already carry the file offset; the
// fresh decoder finds no error in them and that offset is kept.
func (p *geojsonParser) syntaxOffset(se *json.SyntaxError) int64 {
	base := p.dec.InputOffset()
	var v json.RawMessage
	var again *json.SyntaxError
	if errors.As(json.NewDecoder(p.dec.Buffered()).Decode(&v), &again) {
		return base + max(again.Offset-1, 0)
	}
	return se.Offset
}

// endLine is the line where the file ends (all of it has been read).
func (p *geojsonParser) endLine() int { return p.lines.lineAt(max(p.lines.read-1, 0)) }

func (p *geojsonParser) jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return at(p.file, p.lines.lineAt(p.syntaxOffset(se)), "", apperr.Textf("malformed JSON: %v", apperr.JSONReason(se)))
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return at(p.file, p.endLine(), "", apperr.Text("unexpected end of file (truncated JSON)"))
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return p.typeErr(te, p.dec.InputOffset())
	}
	return apperr.At(p.file, p.line(), "", err.Error())
}

// typeErr refuses a value of the wrong JSON kind at file offset off.
func (p *geojsonParser) typeErr(te *json.UnmarshalTypeError, off int64) error {
	// The value and what is wanted in the catalog's JSON words ("a
	// number": « un nombre »), never a Go type.
	var got, want any = te.Value, te.Type
	if f, ok := apperr.ReadJSONError(te); ok {
		got, _ = f.Word(len(f.Args) - 2)
		want, _ = f.Word(len(f.Args) - 1)
	}
	return at(p.file, p.lines.lineAt(off), te.Field, apperr.Textf("is %s in JSON, want %s", got, want))
}

type geoFeature struct {
	Type     string          `json:"type"`
	ID       json.RawMessage `json:"id"`
	Geometry *struct {
		Type        string            `json:"type"`
		Coordinates []json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

func (p *geojsonParser) next() (*events.Event, int, error) {
	for p.state == 1 && !p.dec.More() {
		if _, err := p.dec.Token(); err != nil { // closing ']'
			return nil, p.line(), p.jsonErr(err)
		}
		p.state = 0
		if err := p.advance(); err != nil {
			return nil, p.line(), err
		}
	}
	if p.state == 0 {
		if err := p.advance(); err != nil {
			return nil, p.line(), err
		}
	}
	if p.state == 2 {
		if !p.sawFC {
			return nil, 0, at(p.file, 0, "type", apperr.Text(`missing "type": "FeatureCollection"`))
		}
		if tok, err := p.dec.Token(); err != io.EOF {
			return nil, p.line(), at(p.file, p.line(), "", apperr.Textf("unexpected data after the FeatureCollection: %v", tok))
		}
		return nil, 0, io.EOF
	}
	var f geoFeature
	start, err := p.decode(&f)
	if err != nil {
		return nil, p.line(), err
	}
	line := p.lines.lineAt(start)
	p.last = map[string]string{}
	fail := func(col, format string, args ...any) (*events.Event, int, error) {
		return nil, line, at(p.file, line, col, apperr.Textf(format, args...))
	}
	if f.Type != "Feature" {
		return fail("type", "%q: want Feature", f.Type)
	}
	if f.Geometry == nil {
		return fail("geometry", "is null: an event needs a Point")
	}
	if f.Geometry.Type != "Point" {
		return fail("geometry.type", "%q: want Point", f.Geometry.Type)
	}
	if len(f.Geometry.Coordinates) < 2 || len(f.Geometry.Coordinates) > 3 {
		return fail("geometry.coordinates", "want [longitude, latitude]")
	}
	var lonlat [2]float64
	for i := range 2 {
		v, err := strconv.ParseFloat(string(bytes.TrimSpace(f.Geometry.Coordinates[i])), 64)
		if err != nil {
			return fail("geometry.coordinates", "%s is not a number", f.Geometry.Coordinates[i])
		}
		lonlat[i] = v
	}
	props := map[string]string{}
	for k, v := range f.Properties {
		k = strings.ToLower(strings.TrimSpace(k))
		if strings.HasPrefix(k, "#") {
			if tg, ok := parseHashtag(k); ok {
				k = tg.Spec
			}
		}
		// The value as read with UseNumber: a number keeps its own text.
		switch v = bytes.TrimSpace(v); {
		case len(v) == 0 || string(v) == "null":
		case v[0] == '"':
			// Without an escape or a byte outside UTF-8, the string is
			// the text between the quotes (the decoder has checked it).
			if bytes.IndexByte(v, '\\') < 0 && utf8.Valid(v) {
				props[k] = string(bytes.TrimSpace(v[1 : len(v)-1]))
				break
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, line, p.jsonErr(err)
			}
			props[k] = strings.TrimSpace(s)
		case v[0] == '{' || v[0] == '[':
			return fail("properties."+k, "is a JSON object or array, want a string or number")
		default: // a number, true or false
			props[k] = string(v)
		}
	}
	get := func(field string, names ...string) string {
		for _, n := range names {
			if v, ok := props[n]; ok && v != "" {
				p.last[field] = "properties." + n
				return v
			}
		}
		return ""
	}
	var ferr error
	bad := func(field string, err error) {
		if ferr == nil {
			ferr = at(p.file, line, p.column(field), err)
		}
	}
	integer := func(field string, def int, names ...string) int {
		s := get(field, names...)
		if s == "" {
			return def
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
			bad(field, say("ingest.refusal.whole", s))
			return def
		}
		return int(f)
	}
	date := func(field string, names ...string) time.Time {
		s := get(field, names...)
		if s == "" {
			return time.Time{}
		}
		t, err := parseDate(s)
		if err != nil {
			bad(field, err)
		}
		return t
	}
	e := &events.Event{Source: p.source, Lon: lonlat[0], Lat: lonlat[1]}
	e.SourceID = get("id", "id", "source_id", "event_id_cnty", "#event+id", "#event+code", "#meta+id", "data_id")
	if e.SourceID == "" && len(f.ID) > 0 && string(f.ID) != "null" {
		var s string
		if json.Unmarshal(f.ID, &s) != nil {
			s = string(f.ID)
		}
		e.SourceID, p.last["id"] = s, "id"
	}
	e.DateStart = date("date_start", "date_start", "event_date", "date", "#date+start", "#date", "#date+occurred")
	e.DateEnd = date("date_end", "date_end", "#date+end")
	if e.DateStart.IsZero() && ferr == nil {
		p.last["date_start"] = "properties.date_start"
		bad("date_start", apperr.Text("is missing"))
	}
	e.DatePrecision = events.Precision(integer("date_prec", 0, "date_prec"))
	e.WherePrecision = events.Precision(integer("where_prec", 0, "where_prec"))
	if s := get("type_of_violence", "type_of_violence", "violence", "#event+type"); s != "" {
		if v, err := events.ParseViolenceType(s); err == nil {
			e.Violence = v
		} else if v, err2 := acledViolence(s, get("inter1", "inter1"), get("inter2", "inter2")); err2 == nil {
			e.Violence, e.EventType = v, s
		} else {
			bad("type_of_violence", err)
		}
	} else if s := get("type_of_violence", "event_type"); s != "" {
		v, err := acledViolence(s, get("inter1", "inter1"), get("inter2", "inter2"))
		if err != nil {
			bad("type_of_violence", err)
		}
		e.Violence, e.EventType = v, s
	}
	if e.EventType == "" {
		e.EventType = get("event_type", "event_type")
	}
	e.SubEventType = get("sub_event_type", "sub_event_type", "#event+type+sub")
	e.Best = integer("best", 0, "best", "fatalities", "#affected+killed", "deaths")
	e.Low = integer("low", e.Best, "low", "#affected+killed+min")
	e.High = integer("high", e.Best, "high", "#affected+killed+max")
	e.Civilian = integer("deaths_civilians", -1, "deaths_civilians", "#affected+killed+civilians")
	e.Country = get("country", "country", "#country", "#country+name")
	e.CountryCode = get("country_code", "country_code", "iso3", "country_id", "#country+code")
	e.Admin1 = get("admin1", "adm_1", "admin1", "#adm1", "#adm1+name")
	e.Admin1Code = get("admin1_code", "admin1_code", "adm1_code", "#adm1+code")
	e.Admin2 = get("admin2", "adm_2", "admin2", "#adm2", "#adm2+name")
	e.Location = get("location", "location", "where_coordinates", "#loc", "#loc+name")
	e.ConflictName = get("conflict_name", "conflict_name", "#event+name", "#crisis+name")
	e.SideA = get("side_a", "side_a", "actor1", "#org+first", "#group+first", "#actor+first")
	e.SideB = get("side_b", "side_b", "actor2", "#org+second", "#group+second", "#actor+second")
	e.Notes = get("notes", "notes", "where_description", "#description", "#meta+notes")
	if ferr != nil {
		return nil, line, ferr
	}
	return e, line, nil
}

func (p *geojsonParser) column(field string) string {
	switch field {
	case "latitude", "longitude":
		return "geometry.coordinates"
	}
	if c, ok := p.last[field]; ok {
		return c
	}
	return "properties." + field
}

// lineCounter counts the lines of what a json.Decoder has read so that
// offsets can be turned into line numbers; it keeps only the newline offsets
// not yet asked about.
type lineCounter struct {
	r     io.Reader
	read  int64
	nl    []int64 // offsets of newlines at or after base
	lines int     // newlines before the offsets in nl
}

func (l *lineCounter) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	for i := 0; i < n; i++ {
		if b[i] == '\n' {
			l.nl = append(l.nl, l.read+int64(i))
		}
	}
	l.read += int64(n)
	return n, err
}

// lineAt returns the 1-based line of byte offset off. Offsets must not go
// backwards by more than the decoder's buffer between calls.
func (l *lineCounter) lineAt(off int64) int {
	i, _ := slices.BinarySearch(l.nl, off) // the newlines before off
	// Drop newlines well behind off (offsets asked about only move forward).
	if i > 4096 {
		l.lines += i
		l.nl = l.nl[i:]
		i = 0
	}
	return l.lines + i + 1
}
