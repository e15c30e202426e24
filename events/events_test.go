package events

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

func valid() Event {
	d := time.Date(2018, 3, 15, 0, 0, 0, 0, time.UTC)
	return Event{Source: "ucdp-ged", SourceID: "22782", DateStart: d, Lat: 4.366667, Lon: 18.583333,
		Violence: OneSided, Best: 3, Low: 2, High: 5, Civilian: -1}
}

// TestValidate: each fault of an event is refused naming its field, in
// English as the API has always said it and in French (CheckRefusals,
// every message said by one).
func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(e *Event)
		field  string // "" = valid
		en, fr string
	}{
		{"valid", func(e *Event) {}, "", "", ""},
		{"no source", func(e *Event) { e.Source = " " }, "source", "source: is empty", "source\u00a0: est vide"},
		{"no id", func(e *Event) { e.SourceID = "" }, "id", "id: is empty", "id\u00a0: est vide"},
		{"no date", func(e *Event) { e.DateStart = time.Time{} }, "date_start", "date_start: is missing", "date_start\u00a0: est manquant"},
		{"year 1850", func(e *Event) { e.DateStart = time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC) }, "date_start",
			"date_start: year 1850 out of range 1900..2200", "date_start\u00a0: année 1850 hors de l’intervalle 1900..2200"},
		{"end before start", func(e *Event) { e.DateEnd = e.DateStart.AddDate(0, 0, -1) }, "date_end",
			"date_end: 2018-03-14 is before date_start 2018-03-15", "date_end\u00a0: 2018-03-14 est antérieure à date_start 2018-03-15"},
		{"lat 90.5", func(e *Event) { e.Lat = 90.5 }, "latitude", "latitude: 90.5 outside -90..90", "latitude\u00a0: 90.5 hors de -90..90"},
		{"lat -91", func(e *Event) { e.Lat = -91 }, "latitude", "latitude: -91 outside -90..90", ""},
		{"lat NaN", func(e *Event) { e.Lat = math.NaN() }, "latitude", "latitude: NaN outside -90..90", ""},
		{"lon 180.1", func(e *Event) { e.Lon = 180.1 }, "longitude", "longitude: 180.1 outside -180..180", "longitude\u00a0: 180.1 hors de -180..180"},
		{"poles and antimeridian", func(e *Event) { e.Lat, e.Lon = 90, 180 }, "", "", ""},
		{"violence 9", func(e *Event) { e.Violence = 9 }, "type_of_violence", "type_of_violence: unknown violence type 9", "type_of_violence\u00a0: type de violence inconnu 9"},
		{"negative best", func(e *Event) { e.Best, e.Low = -1, -1 }, "best", "best: fatalities cannot be negative", "best\u00a0: le nombre de morts ne peut pas être négatif"},
		{"low > high", func(e *Event) { e.Low, e.High = 6, 4 }, "low", "low: low estimate 6 is greater than high 4", "low\u00a0: l’estimation basse 6 dépasse l’estimation haute 4"},
		{"best above high", func(e *Event) { e.Best = 6 }, "best", "best: best estimate 6 outside low..high 2..5",
			"best\u00a0: la meilleure estimation 6 est hors de l’intervalle basse..haute 2..5"},
		{"civilian -2", func(e *Event) { e.Civilian = -2 }, "deaths_civilians", "deaths_civilians: cannot be negative", "deaths_civilians\u00a0: ne peut pas être négatif"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		e := valid()
		c.edit(&e)
		err := e.Validate()
		var fe *apperr.Error
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field || err.Error() != c.en):
			t.Errorf("%s: got %v, want %q on %q", c.name, err, c.en, c.field)
		}
		if c.field != "" {
			apperrtest.SaidAll(t, reached, apperrtest.Case{Name: c.name, Err: err, FR: c.fr})
		}
	}
	// A count a PostgreSQL store cannot hold: said by the store suite
	// (storage/storetest testEventsImportRange, on PostgreSQL).
	reached["refusal.events.store-range"] = true
	apperrtest.Catalog(t, CheckRefusals, reached)
}

func TestValidateFillsDerived(t *testing.T) {
	e := valid()
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if e.GridCell != 135758 {
		t.Errorf("grid cell %d, want PRIO-GRID 135758 (Bangui)", e.GridCell)
	}
	if !e.DateEnd.Equal(e.DateStart) {
		t.Errorf("date_end %v, want date_start", e.DateEnd)
	}
	if e.Month().String() != "2018-03" {
		t.Errorf("month %s", e.Month())
	}
}

func TestHash(t *testing.T) {
	a, b := valid(), valid()
	if a.Hash() != b.Hash() {
		t.Fatal("equal events hash differently")
	}
	b.ID = 42
	if a.Hash() != b.Hash() {
		t.Fatal("the store id changes the hash")
	}
	for name, edit := range map[string]func(e *Event){
		"best":   func(e *Event) { e.Best++ },
		"lat":    func(e *Event) { e.Lat += 1e-9 },
		"notes":  func(e *Event) { e.Notes = "x" },
		"side":   func(e *Event) { e.SideA, e.SideB = "AB", "" },
		"side2":  func(e *Event) { e.SideA, e.SideB = "A", "B" },
		"source": func(e *Event) { e.Source = "acled" },
	} {
		c := valid()
		edit(&c)
		if name == "side2" {
			d := valid()
			d.SideA, d.SideB = "AB", ""
			if c.Hash() == d.Hash() {
				t.Error("field boundaries are not part of the hash")
			}
			continue
		}
		if c.Hash() == a.Hash() {
			t.Errorf("changing %s leaves the hash unchanged", name)
		}
	}
}

func TestParseViolenceType(t *testing.T) {
	for in, want := range map[string]ViolenceType{
		"1": StateBased, "state-based": StateBased, " State-based conflict ": StateBased,
		"2": NonState, "non-state": NonState, "3": OneSided, "One-sided violence": OneSided,
		"violence against civilians": OneSided, "4": OtherViolence, "non-violent": NonViolent,
	} {
		if got, err := ParseViolenceType(in); err != nil || got != want {
			t.Errorf("ParseViolenceType(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "6", "battles", "riot"} {
		if _, err := ParseViolenceType(bad); err == nil {
			t.Errorf("ParseViolenceType(%q) accepted", bad)
		}
	}
	if OneSided.String() != "one-sided" || ViolenceType(9).String() != "ViolenceType(9)" {
		t.Error("String")
	}
}

func TestBBoxValidate(t *testing.T) {
	for _, c := range []struct {
		b  BBox
		ok bool
	}{
		{BBox{12.2, -13.5, 31.3, 5.4}, true},
		{BBox{-180, -90, 180, 90}, true},
		{BBox{10, 5, 0, 6}, false},   // west > east
		{BBox{0, 6, 10, 5}, false},   // south > north
		{BBox{0, -91, 10, 5}, false}, // latitude out of range
		{BBox{0, 0, 181, 5}, false},
		{BBox{math.NaN(), 0, 1, 1}, false},
	} {
		if err := c.b.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.b, err)
		}
	}
}

func TestCountsAdd(t *testing.T) {
	var c Counts
	for _, r := range []UpsertResult{Inserted, Inserted, Updated, Unchanged} {
		c.Add(r)
	}
	if c != (Counts{Inserted: 2, Updated: 1, Unchanged: 1}) {
		t.Fatalf("%+v", c)
	}
}

// TestValidatePublished: estimates out of order (as real UCDP GED releases
// have them) pass ValidatePublished but not Validate; negative ones and
// every other fault fail both.
func TestValidatePublished(t *testing.T) {
	cases := []struct {
		name            string
		edit            func(e *Event)
		published, full string // field of the error, "" = valid
	}{
		{"valid", func(e *Event) {}, "", ""},
		{"low > high (GED 23.1 id 22810)", func(e *Event) { e.Best, e.Low, e.High = 3, 5, 2 }, "", "low"},
		{"best above high (GED 21.1 id 255999)", func(e *Event) { e.Best, e.Low, e.High = 7, 7, 6 }, "", "low"},
		{"best below low (GED 23.1 id 236880)", func(e *Event) { e.Best, e.Low, e.High = 2, 3, 3 }, "", "best"},
		{"negative low", func(e *Event) { e.Low = -1 }, "best", "best"},
		{"bad latitude", func(e *Event) { e.Lat, e.Low = 91, 9 }, "latitude", "latitude"},
	}
	for _, c := range cases {
		for _, v := range []struct {
			name  string
			check func(*Event) error
			field string
		}{{"ValidatePublished", (*Event).ValidatePublished, c.published}, {"Validate", (*Event).Validate, c.full}} {
			e := valid()
			c.edit(&e)
			err := v.check(&e)
			var fe *apperr.Error
			switch {
			case v.field == "" && err != nil:
				t.Errorf("%s: %s: %v", c.name, v.name, err)
			case v.field != "" && (!errors.As(err, &fe) || fe.Field != v.field):
				t.Errorf("%s: %s: got %v, want an error on %q", c.name, v.name, err, v.field)
			}
			if v.field == "" && e.EstimatesConsistent() != (c.full == "") {
				t.Errorf("%s: EstimatesConsistent %v", c.name, e.EstimatesConsistent())
			}
		}
	}
}
