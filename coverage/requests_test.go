package coverage_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestRequests: the API's requests are read by the service: each bad
// field refused with its name and the text the client sees, before the
// store is asked; a scenario sent as JSON is saved and read back as the
// API writes it.
func TestRequests(t *testing.T) {
	ctx := context.Background()
	s := coverage.NewService(testutil.Store(t), nil, nil)
	everyCountry := func() (events.CountrySet, error) { return nil, nil }
	badCountry := func() (events.CountrySet, error) { return nil, errors.New("bad country") }
	query := func(raw string) url.Values {
		q, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	call := func(f func() (any, error)) error { _, err := f(); return err }
	type requestCase struct {
		name, field, msg string // the request; the refused field and text ("": not refused as bad input)
		err              error
	}
	for _, tc := range []requestCase{
		{"layer without month", "month", "month is required (YYYY-MM)", call(func() (any, error) { return s.LayerQuery(ctx, query(""), everyCountry) })},
		{"layer bad month", "month", "month: ", call(func() (any, error) { return s.LayerQuery(ctx, query("month=2020-13"), everyCountry) })},
		{"layer bad bbox", "bbox", "", call(func() (any, error) { return s.LayerQuery(ctx, query("month=2020-01&bbox=1,2"), everyCountry) })},
		{"layer bad country after month", "month", "month is required (YYYY-MM)", call(func() (any, error) { return s.LayerQuery(ctx, query(""), badCountry) })},
		{"gaps limit", "limit", `limit "0": want 1..5000`, call(func() (any, error) { return s.GapQuery(ctx, query("month=latest&limit=0")) })},
		{"gaps month", "month", "month is required (YYYY-MM)", call(func() (any, error) { return s.GapQuery(ctx, query("limit=5")) })},
		{"deployments month", "month", "month: ", call(func() (any, error) { return s.DeploymentQuery(ctx, query("month=x"), everyCountry) })},
		{"responsiveness from", "from", "from: ", call(func() (any, error) { return s.ResponsivenessQuery(ctx, query("from=2020")) })},
		{"responsiveness to", "to", "to: ", call(func() (any, error) { return s.ResponsivenessQuery(ctx, query("from=2020-01&to=x")) })},
		{"import format", "format", `format "xls": want csv, geojson or geopko`, call(func() (any, error) {
			return s.ImportUpload(ctx, "ana", coverage.DeploymentUpload{Format: "xls", Data: "x"})
		})},
		{"try month", "month", "month is required (YYYY-MM)", call(func() (any, error) { return s.TrySite(ctx, coverage.TryInput{Lat: 1, Lon: 2}) })},
		{"try lat", "lat", "", call(func() (any, error) { return s.TrySite(ctx, coverage.TryInput{Month: "2020-01", Lat: 91}) })},
		{"plan time limit", "time_limit_seconds", "time_limit_seconds 31: want 0 < t ≤ 30", call(func() (any, error) {
			return s.PlanSites(ctx, coverage.PlanInput{Month: "2020-01", TimeLimit: 31})
		})},
		{"plan negative time", "time_limit_seconds", "", call(func() (any, error) { return s.PlanSites(ctx, coverage.PlanInput{Month: "2020-01", TimeLimit: -1}) })},
		{"plan candidates", "candidates", "at most 50,000 candidates", call(func() (any, error) {
			return s.PlanSites(ctx, coverage.PlanInput{Month: "2020-01", Candidates: make([]coverage.Candidate, 50001)})
		})},
		{"cut month", "month", "month: ", call(func() (any, error) { return s.CutSites(ctx, coverage.CutInput{Month: "x"}) })},
		{"scenario id", "id", `scenario id "0" is not a positive integer`, call(func() (any, error) { return s.ScenarioByID(ctx, "0") })},
		{"scenario set by server", "id", "id, created_by and created_at are set by the server", call(func() (any, error) {
			return s.SaveScenarioJSON(ctx, "ana", coverage.ScenarioJSON{ID: 3, Month: "2020-01"})
		})},
		{"scenario body", "body", "body must be the JSON of a plan, try or cut result", call(func() (any, error) {
			return s.SaveScenarioJSON(ctx, "ana", coverage.ScenarioJSON{Name: "x", Kind: "plan", Month: "2020-01", Body: json.RawMessage("{")})
		})},
		{"scenario kind (store)", "kind", "", call(func() (any, error) {
			return s.SaveScenarioJSON(ctx, "ana", coverage.ScenarioJSON{Name: "x", Kind: "guess", Month: "2020-01", Body: json.RawMessage("{}")})
		})},
		{"population name", "name", "name: at most 200 characters", call(func() (any, error) {
			return s.UploadPopulation(ctx, "ana", coverage.PopulationUpload{Name: strings.Repeat("n", 201), Data: "gid,population\n"})
		})},
		{"population invisible name", "name", "name: ", call(func() (any, error) {
			return s.UploadPopulation(ctx, "ana", coverage.PopulationUpload{Name: "pop\u200b.csv", Data: "gid,population\n"})
		})},
	} {
		ae := apperr.As(tc.err)
		if ae == nil || ae.Kind != apperr.KindInvalid || ae.Field != tc.field || !strings.HasPrefix(tc.err.Error(), tc.msg) {
			t.Errorf("%s: %#v, want bad input on %s: %q…", tc.name, tc.err, tc.field, tc.msg)
		}
	}
	if _, err := s.LayerQuery(ctx, query("month=2020-01"), badCountry); err == nil || err.Error() != "bad country" {
		t.Errorf("layer: the country filter's refusal: %v", err)
	}

	sent := coverage.ScenarioJSON{Name: "TOB at Bria", Kind: "try", Month: "2017-06", Body: json.RawMessage(`{"gain":1}`)}
	saved, err := s.SaveScenarioJSON(ctx, "ana", sent)
	if err != nil || saved.ID == 0 || saved.CreatedBy != "ana" || saved.CreatedAt == "" || saved.Month != "2017-06" {
		t.Fatalf("saved scenario: %+v, %v", saved, err)
	}
	got, err := s.ScenarioByID(ctx, "1")
	if err != nil || got.Name != sent.Name || got.Kind != "try" || string(got.Body) != `{"gain":1}` {
		t.Errorf("scenario 1: %+v, %v", got, err)
	}
	if _, err := s.ScenarioByID(ctx, "2"); !errors.Is(err, coverage.ErrNotFound) {
		t.Errorf("scenario 2: %v, want not found", err)
	}
	list, err := s.ScenarioList(ctx)
	if err != nil || len(list) != 1 || list[0].ID != saved.ID {
		t.Errorf("scenario list: %+v, %v", list, err)
	}
}
