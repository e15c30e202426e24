package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestSetup loads the demo into a fresh store and checks that every area
// has data: events, demo alerts in incidents at several triage states (all
// marked DEMO, no phone numbers), the starter survey's synthetic responses
// and margins, and forecasts per country and per cell; a second Setup
// loads nothing again.
func TestSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("computes the demo forecasts (tens of seconds)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	opt := demo.Options{Progress: &progress, Keys: keys, User: "demo", Now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), BacktestMonths: 2}
	if err := demo.Setup(ctx, db, opt); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.Count(ctx); n < 10000 {
		t.Errorf("%d events", n)
	}
	ins, err := db.Incidents(ctx, alerts.IncidentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	states := map[alerts.Status]int{}
	cats := map[string]int{}
	located := 0
	for _, in := range ins {
		states[in.Status]++
		cats[in.Category]++
		if in.Location.Lat != nil {
			located++
		}
		if !strings.HasPrefix(in.Title, "DEMO") {
			t.Errorf("incident %d title %q not marked DEMO", in.ID, in.Title)
		}
	}
	if len(ins) < 12 || len(states) < 5 || located < len(ins)*3/4 {
		t.Errorf("%d incidents, states %v, %d located", len(ins), states, located)
	}
	// every demo incident has the category its text suggests, and the
	// demo shows more than one
	if cats[""] > 0 || len(cats) < 2 || cats["attack_on_civilians"] == 0 {
		t.Errorf("demo incident categories %v", cats)
	}
	svc := alerts.NewService(db, keys)
	as, err := db.Alerts(ctx, alerts.AlertFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) < 24 {
		t.Errorf("%d alerts", len(as))
	}
	for _, a := range as {
		a, err := svc.Reveal(ctx, adminUser(), a.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(a.Message, "DEMO ALERT (synthetic") || !strings.HasPrefix(a.Phone, "demo-reporter-") || !strings.Contains(a.Name, "fictitious") {
			t.Errorf("alert %d not labelled: %q %q %q", a.ID, a.Message, a.Phone, a.Name)
		}
	}
	rows, err := (&surveysSvc{db, keys}).rows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != demo.SurveyResponses {
		t.Errorf("%d survey responses", len(rows))
	}
	if _, err := db.Margins(ctx, demo.MarginsName); err != nil {
		t.Error(err)
	}
	if st, err := db.Settings(ctx, starter.FormID); err != nil || st.Margins != demo.MarginsName {
		t.Errorf("settings %+v %v", st, err)
	}
	if pending, _ := demo.ForecastsPending(ctx, db); !pending {
		t.Error("forecasts not pending before Forecasts")
	}
	if err := demo.Forecasts(ctx, db, opt); err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{forecast.GridCountry, forecast.GridPrio} {
		run, err := db.LatestRunOf(ctx, forecast.RunKey{Target: "os", Grid: g})
		if err != nil {
			t.Fatalf("%s: %v", g, err)
		}
		_, cells, err := db.RiskOf(ctx, forecast.RunKey{Target: "os", Grid: g}, run.Origin+1, 1)
		if err != nil || len(cells) == 0 {
			t.Errorf("%s: %d forecasts, %v", g, len(cells), err)
		}
	}
	st, _ := db.DemoState(ctx)
	for _, k := range []string{demo.StateEvents, demo.StateAlerts, demo.StateSurvey, demo.StateForecastCtr, demo.StateForecastPG} {
		if st[k] != demo.Done {
			t.Errorf("state %s = %q", k, st[k])
		}
	}
	// A second start loads nothing again.
	progress.Reset()
	if err := demo.Setup(ctx, db, opt); err != nil {
		t.Fatal(err)
	}
	if err := demo.Forecasts(ctx, db, opt); err != nil {
		t.Fatal(err)
	}
	if progress.Len() != 0 {
		t.Errorf("second start did work: %s", progress.String())
	}
	if ins2, _ := db.Incidents(ctx, alerts.IncidentFilter{Limit: 1000}); len(ins2) != len(ins) {
		t.Errorf("second start: %d incidents, want %d", len(ins2), len(ins))
	}
}

func adminUser() *auth.User { return &auth.User{Name: "test-admin", Role: auth.Admin} }

type surveysSvc struct {
	db   *storage.DB
	keys *crypt.Keyring
}

func (s *surveysSvc) rows(ctx context.Context) ([]map[string]string, error) {
	svc := &surveys.Service{Store: s.db, Keys: s.keys, Auditor: s.db}
	return svc.Rows(ctx, "test", starter.FormID)
}
