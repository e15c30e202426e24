package events_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestParseFilter: the filter parameters of an event query read into a
// Filter; bad ones refused as invalid input naming the parameter.
func TestParseFilter(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	type filterCase struct {
		query, field, msg string // the query; the refusal's field and text ("" none)
		fr                string // the refusal's French ("" any; every refusal is said by a catalog message)
		want              events.Filter
	}
	reached := map[string]bool{}
	for _, tc := range []filterCase{
		{query: ""},
		{query: "bbox=29,1,31.5,3", want: events.Filter{BBox: &events.BBox{West: 29, South: 1, East: 31.5, North: 3}}},
		{query: "bbox=29,1,31", field: "bbox", msg: "bbox: want west,south,east,north (4 numbers), got 3 values", fr: "bbox\u00a0: attendu ouest,sud,est,nord (4 nombres), reçu 3 valeurs"},
		{query: "bbox=29,x,31,3", field: "bbox", msg: `bbox: value 2 ("x") is not a number`, fr: "bbox\u00a0: la valeur 2 («\u202fx\u202f») n’est pas un nombre"},
		{query: "bbox=29,1,31,NaN", field: "bbox", msg: `bbox: value 4 ("NaN") is not a number`},
		{query: "bbox=29,3,31,1", field: "bbox", msg: "bbox: south is greater than north", fr: "bbox\u00a0: la latitude sud dépasse la latitude nord"},
		{query: "bbox=31,1,29,3", field: "bbox", msg: "bbox: west is greater than east (boxes across the antimeridian are not supported)", fr: "bbox\u00a0: la longitude ouest dépasse la longitude est (les cadres qui traversent l’antiméridien ne sont pas pris en charge)"},
		{query: "bbox=29,-91,31,3", field: "bbox", msg: "bbox: latitude -91 outside -90..90", fr: "bbox\u00a0: latitude -91 hors de -90..90"},
		{query: "bbox=29,1,181,3", field: "bbox", msg: "bbox: longitude 181 outside -180..180", fr: "bbox\u00a0: longitude 181 hors de -180..180"},
		{query: "from=2020-02&to=2020-02", want: events.Filter{From: day(2020, 2, 1), To: day(2020, 2, 29)}},
		{query: "from=2020-02-03&to=2020-02-03", want: events.Filter{From: day(2020, 2, 3), To: day(2020, 2, 3)}},
		{query: "from=2020-13", field: "from", msg: `from: "2020-13" is not a date (YYYY-MM-DD or YYYY-MM)`, fr: "from\u00a0: «\u202f2020-13\u202f» n’est pas une date (AAAA-MM-JJ ou AAAA-MM)"},
		{query: "to=1800-01-01", field: "to", msg: "to: year 1800 out of range 1900..2200", fr: "to\u00a0: année 1800 hors de l’intervalle 1900..2200"},
		{query: "to=2300-01", field: "to", msg: "to: year 2300 out of range 1900..2200"},
		{query: "from=2020-03&to=2020-02", field: "to", msg: "to (2020-02-29) is before from (2020-03-01)", fr: "to (2020-02-29) est avant from (2020-03-01)"},
		{query: "type=1,one-sided", want: events.Filter{Types: []events.ViolenceType{events.StateBased, events.OneSided}}},
		{query: "type=9", field: "type", fr: "type\u00a0: type de violence inconnu «\u202f9\u202f» (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)"},
		{query: "country=COD,+,Mali&source=+ged+", want: events.Filter{Countries: []string{"COD", "Mali"}, Source: "ged"}},
		{query: "country=+,", field: "country", msg: `country: no country named in " ,"`, fr: "country\u00a0: aucun pays n’est nommé dans «\u202f ,\u202f»"},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		f, err := events.ParseFilter(q)
		if tc.field != "" {
			for _, k := range apperrtest.Said(t, tc.query, err, tc.fr) {
				reached[k] = true
			}
		}
		if tc.field != "" {
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field || (tc.msg != "" && err.Error() != tc.msg) {
				t.Errorf("%q: err %v (field %q), want invalid %q on %s", tc.query, err, apperr.FieldOf(err), tc.msg, tc.field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.query, err)
			continue
		}
		if (f.BBox == nil) != (tc.want.BBox == nil) || (f.BBox != nil && *f.BBox != *tc.want.BBox) ||
			!f.From.Equal(tc.want.From) || !f.To.Equal(tc.want.To) || f.Source != tc.want.Source ||
			len(f.Types) != len(tc.want.Types) || len(f.Countries) != len(tc.want.Countries) {
			t.Errorf("%q: %+v, want %+v", tc.query, f, tc.want)
			continue
		}
		for i := range f.Types {
			if f.Types[i] != tc.want.Types[i] {
				t.Errorf("%q: types %v, want %v", tc.query, f.Types, tc.want.Types)
			}
		}
		for i := range f.Countries {
			if f.Countries[i] != tc.want.Countries[i] {
				t.Errorf("%q: countries %q, want %q", tc.query, f.Countries, tc.want.Countries)
			}
		}
	}
	apperrtest.Catalog(t, events.Refusals, reached)
}

// FuzzParseFilter: no query panics the filter parser; what it accepts is a
// valid box and an ordered date range.
func FuzzParseFilter(f *testing.F) {
	apperrtest.FuzzQuery(f, []string{"bbox=29,1,31,3&from=2020-01&to=2020-02-03", "type=1,2,3&country=COD", "bbox=,,,", "from=2020-02-30"}, func(t *testing.T, s string, q url.Values) {
		got, err := events.ParseFilter(q)
		if err != nil {
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) == "" {
				t.Fatalf("%q: %v is not invalid input naming a field", s, err)
			}
			return
		}
		if got.BBox != nil && got.BBox.Validate() != nil {
			t.Fatalf("%q: box %+v accepted", s, *got.BBox)
		}
		if !got.From.IsZero() && !got.To.IsZero() && got.To.Before(got.From) {
			t.Fatalf("%q: to before from accepted", s)
		}
	})
}
