package main

import (
	"context"
	"strings"
	"testing"

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
	const fr = "DEMO : une base opérationnelle temporaire près "
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
}
