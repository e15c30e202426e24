package events

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/query"
)

// FilterParams are the query parameters every event query takes (see
// ParseFilter).
var FilterParams = []string{"bbox", "from", "to", "type", "country", "source"}

// ParseBBox parses a bbox parameter, "west,south,east,north" in degrees;
// "" is no box (nil). Errors are invalid input on the field "bbox".
func ParseBBox(v string) (*BBox, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return nil, apperr.Fieldf(apperr.KindInvalid, "bbox", "want west,south,east,north (4 numbers), got %d values", len(parts))
	}
	var n [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, apperr.Fieldf(apperr.KindInvalid, "bbox", "value %d (%q) is not a number", i+1, p)
		}
		n[i] = f
	}
	b := &BBox{West: n[0], South: n[1], East: n[2], North: n[3]}
	if err := b.check(); err != nil {
		return nil, apperr.FieldErr(apperr.KindInvalid, "bbox", err)
	}
	return b, nil
}

// ParseDate parses the date parameter field, YYYY-MM-DD or YYYY-MM (years
// 1900 to 2200). For YYYY-MM, end selects the last day of the month
// instead of the first.
func ParseDate(field, v string, end bool) (time.Time, error) {
	t, err := time.Parse("2006-01-02", v)
	month := err != nil
	if month {
		if t, err = time.Parse("2006-01", v); err != nil {
			return time.Time{}, apperr.Fieldf(apperr.KindInvalid, field, "%q is not a date (YYYY-MM-DD or YYYY-MM)", v)
		}
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, apperr.Fieldf(apperr.KindInvalid, field, "year %d out of range 1900..2200", t.Year())
	}
	if month && end {
		t = t.AddDate(0, 1, -1)
	}
	return t, nil
}

// ParseFilter reads the filter parameters of an event query (FilterParams):
// bbox, from and to (dates, to inclusive), type (comma-separated violence
// types), country (comma-separated names or codes) and source.
func ParseFilter(q url.Values) (Filter, error) {
	var f Filter
	var err error
	if f.BBox, err = ParseBBox(q.Get("bbox")); err != nil {
		return f, err
	}
	if v := q.Get("from"); v != "" {
		if f.From, err = ParseDate("from", v, false); err != nil {
			return f, err
		}
	}
	if v := q.Get("to"); v != "" {
		if f.To, err = ParseDate("to", v, true); err != nil {
			return f, err
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, apperr.Say(apperr.KindInvalid, "to", "refusal.events.to-before", f.To.Format("2006-01-02"), f.From.Format("2006-01-02"))
	}
	if v := q.Get("type"); v != "" {
		for _, p := range strings.Split(v, ",") {
			t, err := ParseViolenceType(p)
			if err != nil {
				return f, apperr.FieldErr(apperr.KindInvalid, "type", err)
			}
			f.Types = append(f.Types, t)
		}
	}
	if v := q.Get("country"); v != "" {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				f.Countries = append(f.Countries, c)
			}
		}
		if len(f.Countries) == 0 {
			return f, query.NoCountry(v)
		}
	}
	f.Source = strings.TrimSpace(q.Get("source"))
	return f, nil
}
