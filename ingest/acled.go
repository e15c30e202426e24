package ingest

import (
	"io"
	"strings"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// acledColumns is ACLED's 31-column CSV export layout (used when a file has
// no header row). Vigil ships no ACLED rows: its terms forbid redistribution.
var acledColumns = strings.Split("data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,"+
	"event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,"+
	"country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,"+
	"fatalities,timestamp,iso3", ",")

// acledLayout is the name of acledColumns' layout, said by the catalog.
func acledLayout() apperr.Message {
	m, _ := apperr.Msg("ingest.refusal.acled-layout")
	return m
}

// acledParser reads ACLED CSV exports (the 31-column layout, or any header
// with event_id_cnty, event_date, event_type, latitude, longitude and
// fatalities).
//
// ACLED's event types become Vigil violence types as follows: "Violence
// against civilians" → one-sided; "Battles" → state-based when either actor
// is state forces (inter code 1), else non-state; "Explosions/Remote
// violence" → one-sided when the target is civilians (inter2 7), state-based
// when state forces are involved, else non-state; "Riots" → other-violence;
// "Protests" and "Strategic developments" → non-violent. The ACLED type and
// sub-type are kept in EventType and SubEventType. time_precision 1/2/3 (day,
// week, month) becomes UCDP date precision 1/3/4; geo_precision 1/2/3 becomes
// where precision 1/2/4. Fatalities are ACLED's single estimate (best = low =
// high); for violence against civilians they are all civilian.
type acledParser struct {
	t      *table
	source string

	id, dataID, date, tprec, etype, subtype, actor1, actor2, inter1, inter2   int
	country, iso3, iso, admin1, admin2, location, lat, lon, gprec, notes, fat int
}

func newACLED(file string, in io.Reader, head []byte, source string) (parser, error) {
	t := newTable(file, in, head)
	p := &acledParser{t: t, source: source}
	line, err := t.headerOrLayout(acledLayout(), acledColumns, "event_id_cnty", "event_date", "event_type")
	if err != nil {
		return nil, err
	}
	p.id, p.dataID = t.col("event_id_cnty"), t.col("data_id")
	p.date, p.tprec = t.col("event_date"), t.col("time_precision")
	p.etype, p.subtype = t.col("event_type"), t.col("sub_event_type")
	p.actor1, p.actor2, p.inter1, p.inter2 = t.col("actor1"), t.col("actor2"), t.col("inter1"), t.col("inter2")
	p.country, p.iso3, p.iso = t.col("country"), t.col("iso3"), t.col("iso")
	p.admin1, p.admin2, p.location = t.col("admin1"), t.col("admin2"), t.col("location")
	p.lat, p.lon, p.gprec = t.col("latitude"), t.col("longitude"), t.col("geo_precision")
	p.notes, p.fat = t.col("notes"), t.col("fatalities")
	if p.id < 0 {
		p.id = p.dataID
	}
	for _, req := range []struct {
		i    int
		name string
	}{{p.id, "event_id_cnty"}, {p.date, "event_date"}, {p.etype, "event_type"}, {p.lat, "latitude"}, {p.lon, "longitude"}, {p.fat, "fatalities"}} {
		if req.i < 0 {
			return nil, at(file, line, "", apperr.Textf("no %q column in the header (an ACLED file needs event_id_cnty, event_date, event_type, latitude, longitude and fatalities)", req.name))
		}
	}
	return p, nil
}

func (p *acledParser) column(field string) string {
	switch field {
	case "id", "source":
		return p.t.name(p.id)
	case "date_start", "date_end":
		return p.t.name(p.date)
	case "type_of_violence":
		return p.t.name(p.etype)
	case "best", "low", "deaths_civilians":
		return p.t.name(p.fat)
	}
	return field
}

func (p *acledParser) next() (*events.Event, int, error) {
	r, e, err := p.t.nextEvent(p.source, p.id)
	if err != nil {
		return nil, r.line, err
	}
	if e.DateStart = r.date(p.date); e.DateStart.IsZero() && r.err == nil {
		r.fail(p.date, "is empty")
	}
	e.DatePrecision = events.Precision(map[int]int{1: 1, 2: 3, 3: 4}[r.integer(p.tprec, 0)])
	e.EventType, e.SubEventType = r.str(p.etype), r.str(p.subtype)
	e.SideA, e.SideB = r.str(p.actor1), r.str(p.actor2)
	v, err := acledViolence(e.EventType, r.str(p.inter1), r.str(p.inter2))
	if err != nil {
		r.failErr(p.etype, err)
	}
	e.Violence = v
	e.Country, e.CountryCode = r.str(p.country), r.str(p.iso3)
	if e.CountryCode == "" {
		e.CountryCode = r.str(p.iso)
	}
	e.Admin1, e.Admin2, e.Location = r.str(p.admin1), r.str(p.admin2), r.str(p.location)
	e.Lat, e.Lon = r.float(p.lat), r.float(p.lon)
	e.WherePrecision = events.Precision(map[int]int{1: 1, 2: 2, 3: 4}[r.integer(p.gprec, 0)])
	e.Notes = r.str(p.notes)
	e.Best = r.integer(p.fat, 0)
	e.Low, e.High = e.Best, e.Best
	if e.Violence == events.OneSided {
		e.Civilian = e.Best
	}
	if r.err != nil {
		return nil, r.line, r.err
	}
	return e, r.line, nil
}

// acledViolence maps an ACLED event type (and the actors' inter codes,
// numeric "1" or named "State forces") to a violence type.
func acledViolence(eventType, inter1, inter2 string) (events.ViolenceType, error) {
	isState := func(s string) bool {
		s = strings.ToLower(strings.TrimSpace(s))
		return s == "1" || strings.HasPrefix(s, "state forces")
	}
	isCivilians := func(s string) bool {
		s = strings.ToLower(strings.TrimSpace(s))
		return s == "7" || s == "civilians"
	}
	switch strings.ToLower(strings.TrimSpace(eventType)) {
	case "violence against civilians":
		return events.OneSided, nil
	case "battles":
		if isState(inter1) || isState(inter2) {
			return events.StateBased, nil
		}
		return events.NonState, nil
	case "explosions/remote violence":
		switch {
		case isCivilians(inter2):
			return events.OneSided, nil
		case isState(inter1) || isState(inter2):
			return events.StateBased, nil
		}
		return events.NonState, nil
	case "riots":
		return events.OtherViolence, nil
	case "protests", "strategic developments":
		return events.NonViolent, nil
	case "":
		return 0, apperr.Text("is empty")
	}
	return 0, apperr.Textf("unknown violence type: ACLED event type %q (want Battles, Violence against civilians, Explosions/Remote violence, Riots, Protests or Strategic developments)", eventType)
}
