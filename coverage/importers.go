package coverage

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
)

type header map[string]int

// readHeader starts a CSV reader on r and reads its header, which must name
// every column in required.
func readHeader(r io.Reader, name string, required ...string) (*csv.Reader, header, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		why := apperr.Textf("cannot read the header line: %v", apperr.CSVError(err))
		if errors.Is(err, io.EOF) {
			why = apperr.Text("cannot read the header line: EOF") // an empty file
		}
		return nil, nil, apperr.AtLine(name, 1, apperr.FieldErr(apperr.KindInvalid, "", why))
	}
	h := header(csvread.Columns(head))
	for _, c := range required {
		if _, ok := h[c]; !ok {
			return nil, nil, apperr.AtLine(name, 1, apperr.Fieldf(apperr.KindInvalid, c, "missing column"))
		}
	}
	return cr, h, nil
}

func (h header) get(rec []string, name string) string {
	if i, ok := h[name]; ok && i < len(rec) {
		v := strings.TrimSpace(rec[i])
		if v == "NA" || strings.EqualFold(v, "unknown") {
			return "" // Geo-PKO writes unknown counts as NA or "unknown"
		}
		return v
	}
	return ""
}

func num(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, apperr.Textf("%q is not a finite number", s)
	}
	return v, nil
}

func count(s string) (int, error) {
	v, err := num(s)
	if err != nil {
		return 0, err
	}
	if v != math.Trunc(v) || math.Abs(v) > 1e7 {
		return 0, apperr.Textf("%q is not a whole number of personnel", s)
	}
	return int(v), nil
}

// ReadGeoPKO reads the Geo-PKO v2.x deployment layout (one row per
// deployment-map month and location: mission, year, month, location,
// latitude, longitude, no.troops, unit columns inf/res/fpu/eng/med/avia/…,
// unpol.dummy, unmo.dummy, hq, battalion/company/platoon). Each map row
// becomes a deployment held from its map month until the month before the
// mission's next map (maps come 3–4 times a year), or for three months after
// the mission's last map. Geo-PKO has no sex breakdown, civilian staff or
// TOBs; kind is inferred: battalion or HQ → permanent, company/platoon →
// COB, police only → police post. Mobility is air when an aviation unit is
// present, vehicle otherwise. A site's country is the record's (country),
// but between Sudan and South Sudan, which Geo-PKO's record cannot tell
// apart, it is the country of the point's first-level unit (adm1.name;
// pointCountry). Rows that fail name their line; nothing is returned on
// error.
func ReadGeoPKO(r io.Reader, name string, cells *Cells) ([]Deployment, error) {
	cr, h, err := readHeader(r, name, "mission", "year", "month", "latitude", "longitude", "no.troops")
	if err != nil {
		return nil, err
	}
	type row struct {
		d    Deployment
		line int
	}
	var rows []row
	mapMonths := map[string][]grid.Month{}
	seen := map[string]map[grid.Month]bool{}
	err = csvread.Each(cr, name, func(rec []string, line int) error {
		d := Deployment{Source: "geopko", Mission: h.get(rec, "mission"), Country: h.get(rec, "country"), Location: h.get(rec, "location")}
		y, err1 := strconv.Atoi(h.get(rec, "year"))
		mo, err2 := strconv.Atoi(h.get(rec, "month"))
		if err1 != nil || y < 1900 || y > 2200 {
			return apperr.AtLine(name, line, apperr.Fieldf(apperr.KindInvalid, "year", "%q is not a year", h.get(rec, "year")))
		}
		if err2 != nil || mo < 1 || mo > 12 {
			return apperr.AtLine(name, line, apperr.Fieldf(apperr.KindInvalid, "month", "%q is not a month 1–12", h.get(rec, "month")))
		}
		d.Start = grid.MonthOf(y, mo)
		lat, err := num(h.get(rec, "latitude"))
		if err != nil || h.get(rec, "latitude") == "" {
			return apperr.AtLine(name, line, apperr.Fieldf(apperr.KindInvalid, "latitude", "%q is not a number", h.get(rec, "latitude")))
		}
		lon, err := num(h.get(rec, "longitude"))
		if err != nil || h.get(rec, "longitude") == "" {
			return apperr.AtLine(name, line, apperr.Fieldf(apperr.KindInvalid, "longitude", "%q is not a number", h.get(rec, "longitude")))
		}
		d.Lat, d.Lon = lat, lon
		if d.Military, err = count(h.get(rec, "no.troops")); err != nil {
			return apperr.AtLine(name, line, apperr.FieldErr(apperr.KindInvalid, "no.troops", err))
		}
		fpuNo, err := count(h.get(rec, "fpu.no"))
		if err != nil {
			return apperr.AtLine(name, line, apperr.FieldErr(apperr.KindInvalid, "fpu.no", err))
		}
		d.Police = fpuNo
		flag := func(c string) bool {
			v, _ := num(h.get(rec, c))
			return v > 0
		}
		for _, u := range []struct{ col, unit string }{
			{"inf", "infantry"}, {"res", "reserve"}, {"avia", "aviation"}, {"med", "medical"},
			{"eng", "engineering"}, {"fpu", "fpu"}, {"unpol.dummy", "unpol"}, {"unmo.dummy", "observers"},
			{"hq", "hq"}, {"sig", "signals"}, {"trans", "transport"}, {"riv", "riverine"}, {"sf", "special_forces"},
		} {
			if flag(u.col) {
				d.Units = append(d.Units, u.unit)
			}
		}
		switch {
		case flag("hq") || flag("battalion"):
			d.Kind = Permanent
		case flag("company") || flag("platoon"):
			d.Kind = COB
		case d.Military == 0 && (flag("fpu") || flag("unpol.dummy")):
			d.Kind = PolicePost
		default:
			d.Kind = Permanent
		}
		d.Mobility = Vehicle
		if flag("avia") {
			d.Mobility = Air
		}
		loc := d.Location
		if loc == "" {
			loc = fmt.Sprintf("%.4f,%.4f", lat, lon)
		}
		d.SourceID = fmt.Sprintf("%s/%s/%s", d.Mission, d.Start, loc)
		if s := h.get(rec, "geosplit"); s != "" && s != "0" {
			d.SourceID += "/" + s
		}
		d.End = d.Start // for validation; fixed below
		if err := d.Validate(cells); err != nil {
			return apperr.AtLine(name, line, err)
		}
		var cell Cell
		ok := false
		if cells != nil {
			cell, ok = cells.Get(d.Cell)
		}
		d.Country = pointCountry(d.Country, h.get(rec, "adm1.name"), cell, ok)
		if seen[d.Mission] == nil {
			seen[d.Mission] = map[grid.Month]bool{}
		}
		if !seen[d.Mission][d.Start] {
			seen[d.Mission][d.Start] = true
			mapMonths[d.Mission] = append(mapMonths[d.Mission], d.Start)
		}
		rows = append(rows, row{d, line})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ms := range mapMonths {
		sort.Slice(ms, func(a, b int) bool { return ms[a] < ms[b] })
	}
	ids := map[string]int{}
	out := make([]Deployment, 0, len(rows))
	for _, r := range rows {
		ms := mapMonths[r.d.Mission]
		k := sort.Search(len(ms), func(i int) bool { return ms[i] > r.d.Start })
		if k < len(ms) {
			r.d.End = ms[k] - 1
		} else {
			r.d.End = r.d.Start + 2
		}
		if prev, dup := ids[r.d.SourceID]; dup {
			// The same location twice on one map (separate units): keep both.
			r.d.SourceID = fmt.Sprintf("%s#%d", r.d.SourceID, r.line)
			_ = prev
		}
		ids[r.d.SourceID] = r.line
		out = append(out, r.d)
	}
	return out, nil
}

func parseMonthOrDate(s string) (grid.Month, error) {
	if len(s) == 7 {
		return grid.ParseMonth(s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, apperr.Textf("%q: want YYYY-MM or YYYY-MM-DD", s)
	}
	return grid.MonthOf(t.Year(), int(t.Month())), nil
}

// NativeColumns are the columns of Vigil's own deployment CSV.
var NativeColumns = []string{"id", "mission", "kind", "lat", "lon", "start", "end", "military", "police", "civilian", "women", "men", "units", "mobility", "cost", "location", "country"}

// fromProps fills a deployment from named string properties.
func fromProps(get func(string) string) (Deployment, error) {
	d := Deployment{SourceID: get("id"), Mission: get("mission"), Kind: Kind(strings.ToLower(get("kind"))),
		Mobility: Mobility(strings.ToLower(get("mobility"))), Location: get("location"), Country: get("country")}
	if d.SourceID == "" {
		return d, apperr.FieldErr(apperr.KindInvalid, "id", apperr.Text("is empty"))
	}
	var err error
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"lat", &d.Lat}, {"lon", &d.Lon}, {"cost", &d.Cost}} {
		if get(f.name) == "" && f.name != "cost" {
			return d, apperr.FieldErr(apperr.KindInvalid, f.name, apperr.Text("is empty"))
		}
		if *f.dst, err = num(get(f.name)); err != nil {
			return d, apperr.FieldErr(apperr.KindInvalid, f.name, err)
		}
	}
	if d.Start, err = parseMonthOrDate(get("start")); err != nil {
		return d, apperr.FieldErr(apperr.KindInvalid, "start", err)
	}
	if d.End, err = parseMonthOrDate(get("end")); err != nil {
		return d, apperr.FieldErr(apperr.KindInvalid, "end", err)
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"military", &d.Military}, {"police", &d.Police}, {"civilian", &d.Civilian}, {"women", &d.Women}, {"men", &d.Men}} {
		if *f.dst, err = count(get(f.name)); err != nil {
			return d, apperr.FieldErr(apperr.KindInvalid, f.name, err)
		}
	}
	if u := get("units"); u != "" {
		for _, x := range strings.FieldsFunc(u, func(r rune) bool { return r == ';' || r == '|' }) {
			if x = strings.ToLower(strings.TrimSpace(x)); x != "" {
				d.Units = append(d.Units, x)
			}
		}
	}
	return d, nil
}

// ReadCSV reads Vigil's deployment CSV (header with NativeColumns; id,
// mission, lat, lon, start, end required; start/end as YYYY-MM or
// YYYY-MM-DD, end inclusive; units separated by ';').
func ReadCSV(r io.Reader, name string, cells *Cells) ([]Deployment, error) {
	cr, h, err := readHeader(r, name, "id", "mission", "lat", "lon", "start", "end")
	if err != nil {
		return nil, err
	}
	var out []Deployment
	ids := map[string]int{}
	err = csvread.Each(cr, name, func(rec []string, line int) error {
		d, err := fromProps(func(c string) string { return h.get(rec, c) })
		if err == nil {
			d.Source = "csv"
			err = d.Validate(cells)
		}
		if err != nil {
			return apperr.AtLine(name, line, err)
		}
		if prev, dup := ids[d.SourceID]; dup {
			return apperr.AtLine(name, line, apperr.Fieldf(apperr.KindInvalid, "id", "duplicate id %q (line %d)", d.SourceID, prev))
		}
		ids[d.SourceID] = line
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadGeoJSON reads a FeatureCollection of Point features whose properties
// are the native CSV columns (lat/lon come from the geometry). Errors name
// the feature index as the "line".
func ReadGeoJSON(r io.Reader, name string, cells *Cells) ([]Deployment, error) {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry *struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	dec := json.NewDecoder(io.LimitReader(r, 64<<20))
	if err := dec.Decode(&fc); err != nil {
		return nil, apperr.Textf("%s: invalid GeoJSON: %v", name, apperr.JSONReason(err))
	}
	if fc.Type != "FeatureCollection" {
		return nil, apperr.Textf("%s: type %q: want FeatureCollection", name, fc.Type)
	}
	var out []Deployment
	ids := map[string]int{}
	for k, f := range fc.Features {
		fail := func(field string, why error) error {
			return apperr.Textf("%s: feature %d: %s: %v", name, k, field, why)
		}
		if f.Geometry == nil || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) < 2 {
			return nil, fail("geometry", apperr.Text("want a Point with [lon, lat]"))
		}
		get := func(c string) string {
			switch c {
			case "lon":
				return strconv.FormatFloat(f.Geometry.Coordinates[0], 'g', -1, 64)
			case "lat":
				return strconv.FormatFloat(f.Geometry.Coordinates[1], 'g', -1, 64)
			}
			switch v := f.Properties[c].(type) {
			case string:
				return strings.TrimSpace(v)
			case float64:
				return strconv.FormatFloat(v, 'g', -1, 64)
			case []any:
				var parts []string
				for _, x := range v {
					parts = append(parts, fmt.Sprint(x))
				}
				return strings.Join(parts, ";")
			case nil:
				return ""
			default:
				return fmt.Sprint(v)
			}
		}
		d, err := fromProps(get)
		if err == nil {
			d.Source = "geojson"
			err = d.Validate(cells)
		}
		if err != nil {
			var fe *apperr.Error
			if errors.As(err, &fe) {
				why, said := fe.MsgSaid()
				if !said {
					return nil, fail(fe.Field, errors.New(fe.Msg))
				}
				return nil, fail(fe.Field, why.Err())
			}
			return nil, fail("", err)
		}
		if prev, dup := ids[d.SourceID]; dup {
			return nil, fail("id", apperr.Textf("duplicate id %q (feature %d)", d.SourceID, prev))
		}
		ids[d.SourceID] = k
		out = append(out, d)
	}
	return out, nil
}
