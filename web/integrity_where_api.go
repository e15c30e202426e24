package web

import (
	"net/http"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/integrity"
)

// integrityWhere answers GET /api/v1/integrity/where
// [?from=YYYY-MM-DD][&to=YYYY-MM-DD][&country=NAME][&month=YYYY-MM]: per
// cell, the window's items, harmful items and targeted groups (and whether
// they are rising), rising narratives, and the cell's risk and coverage in
// month (the map's filters), from integrity.Service.Where joined to the
// coverage service.
func (s *Server) integrityWhere(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	v := r.URL.Query()
	if err := checkParams(v, "from", "to", "country", "month"); err != nil {
		return err
	}
	var q integrity.WhereQuery
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		if d := v.Get(p.name); d != "" {
			t, err := time.Parse(time.DateOnly, d)
			if err != nil {
				return badRequest(p.name, "%s: %q is not a day (YYYY-MM-DD)", p.name, d)
			}
			*p.dst = t
		}
	}
	if m := v.Get("month"); m != "" {
		mo, err := coverage.MonthParam("month", m)
		if err != nil {
			return err
		}
		q.Month = mo
	}
	if len(v.Get("country")) > 200 {
		return badRequest("country", "country: at most 200 bytes")
	}
	countries, err := s.countries(r)
	if err != nil {
		return err
	}
	q.Countries = countries
	var cells integrity.CellSource
	if s.Coverage != nil {
		cells = s.Coverage
	}
	return reply(w, http.StatusOK)(svc.Where(r.Context(), q, cells))
}

// integrityBrief answers GET /api/v1/integrity/brief[?end=YYYY-MM-DD]: the
// weekly information-environment brief of the 7 days ending on end (default:
// the newest item's day), with the broadcasts of the contacts service.
func (s *Server) integrityBrief(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	v := r.URL.Query()
	if err := checkParams(v, "end"); err != nil {
		return err
	}
	var end time.Time
	if d := v.Get("end"); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return badRequest("end", "end: %q is not a day (YYYY-MM-DD)", d)
		}
		end = t
	}
	var bl integrity.BroadcastLister
	if s.Contacts != nil {
		bl = s.Contacts
	}
	return reply(w, http.StatusOK)(svc.WeeklyBrief(r.Context(), end, bl))
}
