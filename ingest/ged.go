package ingest

import (
	"io"
	"strings"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// gedColumns is the UCDP GED 49-column layout (GED 20.1 – 23.1 CSV), used
// when a file has no header row.
var gedColumns = strings.Split("id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,"+
	"conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"+
	"side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,"+
	"source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,"+
	"longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,"+
	"deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob", ",")

// gedParser reads UCDP GED CSV: the full 49-column layout with or without
// header, or any header naming a subset of GED's columns that includes id,
// latitude, longitude, type_of_violence, best and date_start (or
// year, month and day).
type gedParser struct {
	t      *table
	source string

	id, lat, lon, vio, best, low, high, civ                   int
	dateStart, dateEnd, year, month, day, datePrec, wherePrec int
	country, countryID, adm1, adm2, where, whereDesc          int
	conflict, sideA, sideB                                    int
}

func newGED(file string, in io.Reader, head []byte, source string) (parser, error) {
	t := newTable(file, in, head)
	p := &gedParser{t: t, source: source}
	line, err := t.headerOrLayout("UCDP GED", gedColumns, "id", "latitude", "type_of_violence")
	if err != nil {
		return nil, err
	}
	p.id = t.col("id")
	p.lat, p.lon = t.col("latitude"), t.col("longitude")
	p.vio = t.col("type_of_violence")
	p.best, p.low, p.high, p.civ = t.col("best"), t.col("low"), t.col("high"), t.col("deaths_civilians")
	p.dateStart, p.dateEnd = t.col("date_start"), t.col("date_end")
	p.year, p.month, p.day = t.col("year"), t.col("month"), t.col("day")
	p.datePrec, p.wherePrec = t.col("date_prec"), t.col("where_prec")
	p.country, p.countryID = t.col("country"), t.col("country_id")
	p.adm1, p.adm2 = t.col("adm_1"), t.col("adm_2")
	p.where, p.whereDesc = t.col("where_coordinates"), t.col("where_description")
	p.conflict, p.sideA, p.sideB = t.col("conflict_name"), t.col("side_a"), t.col("side_b")
	for _, req := range []struct {
		i    int
		name string
	}{{p.id, "id"}, {p.lat, "latitude"}, {p.lon, "longitude"}, {p.vio, "type_of_violence"}, {p.best, "best"}} {
		if req.i < 0 {
			return nil, at(file, line, "", apperr.Textf("no %q column in the header (a UCDP GED file needs id, date_start, latitude, longitude, type_of_violence and best)", req.name))
		}
	}
	if p.dateStart < 0 && (p.year < 0 || p.month < 0 || p.day < 0) {
		return nil, at(file, line, "", apperr.Text(`no "date_start" column (nor year, month and day) in the header`))
	}
	return p, nil
}

func (p *gedParser) column(field string) string {
	switch field {
	case "id", "source":
		return p.t.name(p.id)
	case "date_start":
		if p.dateStart >= 0 {
			return p.t.name(p.dateStart)
		}
	case "date_end":
		if p.dateEnd >= 0 {
			return p.t.name(p.dateEnd)
		}
		return "date_start"
	case "latitude":
		return p.t.name(p.lat)
	case "longitude":
		return p.t.name(p.lon)
	case "low":
		if p.low < 0 {
			return "best"
		}
	case "best":
		return p.t.name(p.best)
	}
	return field
}

func (p *gedParser) next() (*events.Event, int, error) {
	r, e, err := p.t.nextEvent(p.source, p.id)
	if err != nil {
		return nil, r.line, err
	}
	if p.dateStart >= 0 {
		e.DateStart = r.date(p.dateStart)
	}
	if e.DateStart.IsZero() && p.year >= 0 && p.month >= 0 && p.day >= 0 {
		y, m, d := r.integer(p.year, 0), r.integer(p.month, 0), r.integer(p.day, 0)
		if r.err == nil {
			if m < 1 || m > 12 || d < 1 || d > 31 {
				r.fail(p.month, "year %d month %d day %d is not a date", y, m, d)
			}
			e.DateStart = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		}
	}
	if e.DateStart.IsZero() && r.err == nil {
		r.fail(p.dateStart, "is empty")
	}
	e.DateEnd = r.date(p.dateEnd)
	e.DatePrecision = events.Precision(r.integer(p.datePrec, 0))
	e.Lat = r.float(p.lat)
	e.Lon = r.float(p.lon)
	e.WherePrecision = events.Precision(r.integer(p.wherePrec, 0))
	e.Country = r.str(p.country)
	e.CountryCode = r.str(p.countryID)
	e.Admin1, e.Admin2 = r.str(p.adm1), r.str(p.adm2)
	e.Location = r.str(p.where)
	e.Notes = r.str(p.whereDesc)
	e.ConflictName, e.SideA, e.SideB = r.str(p.conflict), r.str(p.sideA), r.str(p.sideB)
	if s := r.str(p.vio); s == "" {
		r.fail(p.vio, "is empty")
	} else if v, err := events.ParseViolenceType(s); err != nil || v > events.OneSided {
		r.fail(p.vio, "unknown violence type %q (UCDP GED uses 1 state-based, 2 non-state, 3 one-sided)", s)
	} else {
		e.Violence = v
	}
	if r.str(p.best) == "" {
		r.fail(p.best, "is empty")
	}
	e.Best = r.integer(p.best, 0)
	e.Low = r.integer(p.low, e.Best)
	e.High = r.integer(p.high, e.Best)
	if p.civ >= 0 {
		e.Civilian = r.integer(p.civ, -1)
	} else if e.Violence == events.OneSided {
		e.Civilian = e.Best // UCDP: in one-sided violence every death is civilian
	}
	if r.err != nil {
		return nil, r.line, r.err
	}
	return e, r.line, nil
}
