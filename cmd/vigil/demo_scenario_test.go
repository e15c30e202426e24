package main

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestDemoScenarioFrench saves the demo's coverage scenario as serve --demo
// does (events and deployments of the demo, no forecast yet) and reads it
// back as the API lists it: it has its name in English and in French, each
// naming the place in its language, so the French Coverage page shows it
// in French.
func TestDemoScenarioFrench(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := demo.Load(ctx, db, demoDeployments); err != nil {
		t.Fatal(err)
	}
	s := &web.Server{DB: db}
	s.Handler() // wires the services
	if err := s.LoadPlaces(ctx); err != nil {
		t.Fatal(err)
	}
	name, err := s.SaveDemoScenario(ctx, demoUser)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.Coverage.ScenarioList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d scenarios saved, want 1", len(list))
	}
	sc := list[0]
	if sc.Name != name || !strings.HasPrefix(sc.Name, "DEMO: a temporary base near ") || !strings.Contains(sc.Name, " (vehicle patrols), ") {
		t.Errorf("English name %q (returned %q)", sc.Name, name)
	}
	const fr = "DEMO\u00a0: une base opérationnelle temporaire près "
	if !strings.HasPrefix(sc.NameFR, fr) || !strings.Contains(sc.NameFR, " (patrouilles en véhicule), "+sc.Month) {
		t.Errorf("French name %q, want it to begin %q and end with the vehicle patrols and %s", sc.NameFR, fr, sc.Month)
	}
	// The same place in both: the English "near X, Region (Country)" is the
	// French "près de X, Region (Pays)".
	place := func(s, after string) string { return strings.SplitN(strings.TrimPrefix(s, after), ",", 2)[0] }
	en := place(sc.Name, "DEMO: a temporary base near ")
	if frPlace := place(sc.NameFR, fr); !strings.HasSuffix(frPlace, en) {
		t.Errorf("the French name names %q, the English %q", frPlace, en)
	}

	// As a Vigil without French names saved it: the next serve --demo
	// gives it back its French name, and leaves alone a scenario whose
	// English name is not the demo's (a user's, or the demo's renamed).
	if _, err := db.SQL.ExecContext(ctx, `UPDATE coverage_scenarios SET name_fr = ''`); err != nil {
		t.Fatal(err)
	}
	full, err := s.Coverage.Scenario(ctx, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"DEMO: a temporary base near Bunia (renamed)", "two TOBs north"} {
		other := coverage.Scenario{Name: name, Kind: "try", Month: full.Month, Body: full.Body}
		if _, err := db.SaveScenario(ctx, demoUser, &other); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Coverage.DemoScenarioFrench(ctx, demoUser); n != 1 || err != nil {
		t.Fatalf("DemoScenarioFrench: %d, %v; want the demo's one named", n, err)
	}
	if list, err = s.Coverage.ScenarioList(ctx); err != nil || len(list) != 3 {
		t.Fatalf("%d scenarios, %v", len(list), err)
	}
	for _, got := range list {
		want := ""
		if got.ID == sc.ID {
			want = sc.NameFR
		}
		if got.NameFR != want {
			t.Errorf("scenario %q: French name %q, want %q", got.Name, got.NameFR, want)
		}
	}
	if n, err := s.Coverage.DemoScenarioFrench(ctx, demoUser); n != 0 || err != nil {
		t.Errorf("DemoScenarioFrench again: %d, %v; want none", n, err)
	}
}
