package feed_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/feed"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
)

// storeWith is a new SQLite store holding evs.
func storeWith(t *testing.T, evs ...events.Event) events.Store {
	ctx := context.Background()
	db := testutil.Store(t)
	for _, e := range evs {
		if err := db.Import(ctx, func(u events.Upserter) error { _, err := u.Upsert(ctx, &e); return err }); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// manyCells is a store whose every grid holds one cell-month more than a
// grid answer may.
type manyCells struct{ events.Store }

func (manyCells) CellMonths(context.Context, events.Filter, float64) ([]events.CellMonth, error) {
	return make([]events.CellMonth, feed.MaxGridFeatures+1), nil
}

// TestQueries: each event query reads its own parameters and the filter,
// refusing bad ones as invalid input naming the parameter (or not found
// for an event that is not there), and answers from the store.
func TestQueries(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	var evs []events.Event
	for i, lat := range []float64{1.55, 1.85, 2.6} {
		evs = append(evs, events.Event{Source: "test", SourceID: string(rune('a' + i)), DateStart: day, DateEnd: day, DatePrecision: 1,
			Lat: lat, Lon: 30.2, WherePrecision: 1, Violence: events.OneSided, Best: 1, Low: 1, High: 1, Civilian: -1})
	}
	s := &feed.Service{Store: storeWith(t, evs...)}
	type queryCase struct {
		query, call, field string // the query, which method, the refused field ("" none)
		role               auth.Role
		msg                string // the refusal's text ("" any)
		fr                 string // its French ("" any; every refusal is said by a catalog message)
		n                  int    // features answered
	}
	reached := map[string]bool{}
	for _, tc := range []queryCase{
		{call: "page", n: 3},
		{call: "page", query: "limit=2", n: 2},
		{call: "page", query: "cursor=2", n: 1},
		{call: "page", query: "bbox=30,2,31,3", n: 1},
		{call: "page", query: "limit=0", field: "limit", msg: `limit: "0" must be an integer from 1 to 5000`, fr: "limit\u00a0: «\u202f0\u202f» doit être un entier de 1 à 5000"},
		{call: "page", query: "limit=5001", field: "limit"},
		{call: "page", query: "cursor=-1", field: "cursor", msg: `cursor: "-1" is not a cursor from a previous answer's next`, fr: "cursor\u00a0: «\u202f-1\u202f» n’est pas un curseur donné par le next d’une réponse précédente"},
		{call: "page", query: "from=x", field: "from", fr: "from\u00a0: «\u202fx\u202f» n’est pas une date (AAAA-MM-JJ ou AAAA-MM)"},
		{call: "clusters", query: "zoom=3", n: 1},
		{call: "clusters", query: "zoom=12", n: 3},
		{call: "clusters", field: "zoom", msg: "zoom is required (0 to 22)", fr: "zoom est requis (0 à 22)"},
		{call: "clusters", query: "zoom=23", field: "zoom", msg: `zoom: "23" must be an integer from 0 to 22`, fr: "zoom\u00a0: «\u202f23\u202f» doit être un entier de 0 à 22"},
		{call: "clusters", query: "zoom=3&type=x", field: "type", fr: "type\u00a0: type de violence inconnu «\u202fx\u202f» (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)"},
		{call: "grid", n: 2},
		{call: "grid", query: "grid=priogrid&from=2026-01&to=2026-01", n: 2},
		{call: "grid", query: "grid=0.1", role: auth.Viewer, n: 3},
		{call: "grid", query: "grid=0.05", role: auth.Responder, n: 3},
		{call: "grid", query: "grid=0.05", role: auth.Viewer, field: "grid", msg: "grid: cells smaller than 0.1 degrees are served to responders and above only", fr: "grid\u00a0: les cellules de moins de 0.1 degré ne sont servies qu’aux intervenants et au-dessus"},
		{call: "grid", query: "grid=0.01", role: auth.Admin, field: "grid", msg: "grid: cells smaller than 0.05 degrees are not served", fr: "grid\u00a0: les cellules de moins de 0,05 degré ne sont pas servies"},
		{call: "grid", query: "grid=fine", field: "grid", msg: `grid: "fine" must be priogrid or a cell size in degrees such as 0.1`, fr: "grid\u00a0: «\u202ffine\u202f» doit être priogrid ou une taille de cellule en degrés comme 0.1"},
		{call: "grid", query: "grid=-1", field: "grid", fr: "grid\u00a0: taille de cellule -1\u00a0: doit être dans ]0, 10] degrés"},
		{call: "grid", query: "grid=0.07", role: auth.Admin, field: "grid", fr: "grid\u00a0: taille de cellule 0.07\u00a0: doit diviser 180 degrés exactement"},
		{call: "grid", query: "from=2026-01-05", field: "from", msg: `from: "2026-01-05" is not a month (YYYY-MM)`, fr: "from\u00a0: «\u202f2026-01-05\u202f» n’est pas un mois (AAAA-MM)"},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		switch tc.call {
		case "page":
			fc, e := s.PageQuery(ctx, q, tc.role)
			n, err = len(fc.Features), e
		case "clusters":
			fc, e := s.ClustersQuery(ctx, q, tc.role)
			n, err = len(fc.Features), e
		case "grid":
			fc, e := s.GridQuery(ctx, q, tc.role)
			n, err = len(fc.Features), e
		}
		if tc.field != "" {
			if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field || (tc.msg != "" && err.Error() != tc.msg) {
				t.Errorf("%s %q: err %v (field %q), want invalid %q on %s", tc.call, tc.query, err, apperr.FieldOf(err), tc.msg, tc.field)
			}
			for _, k := range apperrtest.Said(t, tc.call+" "+tc.query, err, tc.fr) {
				reached[k] = true
			}
			continue
		}
		if err != nil || n != tc.n {
			t.Errorf("%s %q: %d features, %v; want %d", tc.call, tc.query, n, err, tc.n)
		}
	}
	// A grid answer over its bound: 400 naming bbox, ErrTooMany.
	_, err := (&feed.Service{Store: manyCells{s.Store}}).GridQuery(ctx, url.Values{}, auth.Analyst)
	if !errors.Is(err, feed.ErrTooMany) || apperr.FieldOf(err) != "bbox" || !apperr.IsInvalid(err) ||
		err.Error() != "the answer would have 200001 cell-months (more than 200000): narrow bbox or from/to" {
		t.Errorf("too many cell-months: %v", err)
	}
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "too many cell-months", Err: err,
		FR: "la réponse compterait 200001 cellules-mois (plus de 200000)\u00a0: resserrez la zone (bbox) ou la période (from/to)"})
	for _, tc := range []struct{ id, msg string }{
		{"2", ""}, {"0", `id: "0" is not a positive integer`}, {"x", `id: "x" is not a positive integer`}, {"99", "no event with id 99"},
	} {
		f, err := s.EventQuery(ctx, tc.id, auth.Viewer)
		switch {
		case tc.msg == "" && (err != nil || f.ID != 2):
			t.Errorf("event %s: %+v, %v", tc.id, f, err)
		case tc.msg != "" && (err == nil || err.Error() != tc.msg):
			t.Errorf("event %s: %v, want %q", tc.id, err, tc.msg)
		case apperr.IsInvalid(err):
			apperrtest.Said(t, "event "+tc.id, err, "id\u00a0: «\u202f"+tc.id+"\u202f» n’est pas un entier positif")
		case err != nil:
			apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "event " + tc.id, Err: err, FR: "aucun événement avec l’identifiant " + tc.id})
		}
	}
	apperrtest.Catalog(t, feed.Refusals, reached)
}
