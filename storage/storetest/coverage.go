package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

func testCoverage(t *testing.T, ctx context.Context, db *storage.DB) {
	dep := func(id string, start, end grid.Month, mil int) coverage.Deployment {
		return coverage.Deployment{Source: "csv", SourceID: id, Mission: "MINUSCA", Country: "Central African Republic",
			Location: "Bria", Lat: 6.5423, Lon: 21.9863, Kind: coverage.TOB, Start: start, End: end,
			Military: mil, Police: 10, Civilian: 2, Women: max(0, min(12, mil)), Men: max(0, mil-12), Units: []string{"infantry", "medical"},
			Mobility: coverage.Foot, Cost: 1.5}
	}
	jan, jun, dec := grid.MonthOf(2020, 1), grid.MonthOf(2020, 6), grid.MonthOf(2020, 12)
	deps := []coverage.Deployment{dep("a", jan, jun, 150), dep("b", jun, dec, 300)}
	deps[1].Mission = "MONUSCO"
	ins, upd, err := db.SaveDeployments(ctx, "alice", deps)
	if err != nil || ins != 2 || upd != 0 {
		t.Fatalf("SaveDeployments: %d %d %v", ins, upd, err)
	}
	got, err := db.Deployments(ctx, coverage.DeploymentFilter{})
	if err != nil || len(got) != 2 {
		t.Fatalf("Deployments: %v %v", got, err)
	}
	want := deps[0]
	want.ID = got[0].ID
	if got[0].ID == 0 || got[0].Cell != 139364 || !slices.Equal(got[0].Units, want.Units) || got[0].Start != jan || got[0].End != jun ||
		got[0].Military != 150 || got[0].Women != 12 || got[0].Kind != coverage.TOB || got[0].Mobility != coverage.Foot || got[0].Cost != 1.5 {
		t.Errorf("round trip: got %+v", got[0])
	}
	for _, tc := range []struct {
		name string
		f    coverage.DeploymentFilter
		want []string
	}{
		{"active in March", coverage.DeploymentFilter{Active: grid.MonthOf(2020, 3)}, []string{"a"}},
		{"active in June", coverage.DeploymentFilter{Active: jun}, []string{"a", "b"}},
		{"mission", coverage.DeploymentFilter{Mission: "MONUSCO"}, []string{"b"}},
		{"overlapping Aug–Sep", coverage.DeploymentFilter{From: grid.MonthOf(2020, 8), To: grid.MonthOf(2020, 9)}, []string{"b"}},
		{"none in 2021", coverage.DeploymentFilter{Active: grid.MonthOf(2021, 1)}, nil},
	} {
		ds, err := db.Deployments(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.SourceID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
	// Re-import updates in place.
	deps[0].Military, deps[0].Men = 90, 78
	if ins, upd, err := db.SaveDeployments(ctx, "alice", deps[:1]); err != nil || ins != 0 || upd != 1 {
		t.Fatalf("update: %d %d %v", ins, upd, err)
	}
	// A failing import writes nothing: the second row is invalid.
	bad := []coverage.Deployment{dep("c", jan, jun, 5), dep("d", jun, jan, 5)}
	if _, _, err := db.SaveDeployments(ctx, "alice", bad); err == nil || !strings.Contains(err.Error(), "deployment 1 (d): end:") {
		t.Errorf("end before start: %v", err)
	}
	neg := []coverage.Deployment{dep("c", jan, jun, 5), dep("e", jan, jun, -1)}
	if _, _, err := db.SaveDeployments(ctx, "alice", neg); err == nil || !strings.Contains(err.Error(), "military: -1 is negative") {
		t.Errorf("negative personnel: %v", err)
	}
	got, _ = db.Deployments(ctx, coverage.DeploymentFilter{})
	if len(got) != 2 || got[0].Military != 90 {
		t.Errorf("after failed imports: %d deployments, first military %d", len(got), got[0].Military)
	}

	// Scenarios.
	body, _ := json.Marshal(map[string]any{"p": 2, "chosen": []string{"cell-1"}})
	s := &coverage.Scenario{Name: "two TOBs north", NameFR: "deux BOT au nord", Kind: "plan", Month: jun, Body: body}
	id, err := db.SaveScenario(ctx, "bob", s)
	if err != nil || id == 0 {
		t.Fatalf("SaveScenario: %v", err)
	}
	for _, bad := range []coverage.Scenario{{Name: "", Kind: "plan", Body: body}, {Name: "x", Kind: "war", Body: body}, {Name: "x", Kind: "cut"},
		{Name: "x", NameFR: "deux\nlignes", Kind: "plan", Body: body}, {Name: "x", NameFR: strings.Repeat("é", 101), Kind: "plan", Body: body}} {
		if _, err := db.SaveScenario(ctx, "bob", &bad); err == nil {
			t.Errorf("SaveScenario(%+v) accepted", bad)
		}
	}
	list, err := db.Scenarios(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "two TOBs north" || list[0].NameFR != "deux BOT au nord" || list[0].Month != jun || list[0].CreatedBy != "bob" || list[0].Body != nil {
		t.Fatalf("Scenarios: %+v %v", list, err)
	}
	one, err := db.Scenario(ctx, id)
	if err != nil || string(one.Body) != string(body) || one.Kind != "plan" || one.NameFR != "deux BOT au nord" {
		t.Fatalf("Scenario: %+v %v", one, err)
	}
	if _, err := db.Scenario(ctx, id+100); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("missing scenario: %v", err)
	}
	// A French name given afterwards (serve --demo, to the demo's scenario
	// of an older Vigil).
	if err := db.SetScenarioNameFR(ctx, "carol", id, "deux BOT au nord (révisé)"); err != nil {
		t.Fatalf("SetScenarioNameFR: %v", err)
	}
	if one, err := db.Scenario(ctx, id); err != nil || one.NameFR != "deux BOT au nord (révisé)" || one.Name != "two TOBs north" {
		t.Errorf("after SetScenarioNameFR: %+v %v", one, err)
	}
	if err := db.SetScenarioNameFR(ctx, "carol", id+100, "x"); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("SetScenarioNameFR of a missing scenario: %v", err)
	}
	if err := db.SetScenarioNameFR(ctx, "carol", id, "deux\nlignes"); err == nil {
		t.Error("SetScenarioNameFR accepted a control character")
	}
	// Changes are audited.
	log := testutil.AuditLog(t, db, audit.Filter{})
	var actions []string
	for _, r := range log {
		actions = append(actions, r.Action)
	}
	if !slices.Contains(actions, "deployments.import") || !slices.Contains(actions, "scenario.save") || !slices.Contains(actions, "scenario.name") {
		t.Errorf("audit actions %v", actions)
	}
}

// testCoverageLayers checks the population layer, the season settings and
// the coverage version counter that invalidates cached inputs.
func testCoverageLayers(t *testing.T, ctx context.Context, db *storage.DB) {
	version := func() int64 {
		t.Helper()
		_, v, err := db.CoverageVersions(ctx)
		if err != nil {
			t.Fatalf("CoverageVersions: %v", err)
		}
		return v
	}
	v0 := version()

	// No layer yet.
	rows, meta, err := db.Population(ctx)
	if err != nil || meta != nil || len(rows) != 0 {
		t.Fatalf("empty Population: %v %v %v", rows, meta, err)
	}
	if had, err := db.DeletePopulation(ctx, "ana"); err != nil || had {
		t.Fatalf("DeletePopulation on empty: %v %v", had, err)
	}

	// Bad rows are refused whole, naming the field.
	bad := []struct {
		name  string
		rows  []coverage.PopCell
		field string
	}{
		{"empty", nil, "data"},
		{"negative", []coverage.PopCell{{GID: 1, Population: -1}}, "population"},
		{"friction below 1", []coverage.PopCell{{GID: 1, Population: 5, Friction: 0.5}}, "friction"},
		{"year", []coverage.PopCell{{GID: 1, Year: 1700, Population: 5}}, "year"},
		{"duplicate", []coverage.PopCell{{GID: 1, Population: 5}, {GID: 1, Population: 6}}, "gid"},
	}
	for _, c := range bad {
		err := db.SavePopulation(ctx, "ana", "bad.csv", c.rows)
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: SavePopulation error %v, want an invalid-input error on %s", c.name, err, c.field)
		}
	}
	if v := version(); v != v0 {
		t.Errorf("refused saves bumped the version %d → %d", v0, v)
	}

	// More than one insert batch, with years and friction.
	var want []coverage.PopCell
	for g := 1000; g < 1250; g++ {
		want = append(want, coverage.PopCell{GID: g, Population: float64(g) * 1.5})
		if g%50 == 0 {
			want = append(want, coverage.PopCell{GID: g, Year: 2015, Population: 7, Friction: 2.5})
		}
	}
	if err := db.SavePopulation(ctx, "ana", "pop.csv", want); err != nil {
		t.Fatalf("SavePopulation: %v", err)
	}
	got, meta, err := db.Population(ctx)
	if err != nil || meta == nil || meta.Name != "pop.csv" || meta.LoadedBy != "ana" || meta.LoadedAt.IsZero() {
		t.Fatalf("Population meta %+v, %v", meta, err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Population rows: %d rows, want %d (first %+v)", len(got), len(want), got[:min(3, len(got))])
	}
	v1 := version()
	if v1 <= v0 {
		t.Errorf("SavePopulation did not bump the version (%d → %d)", v0, v1)
	}
	// A second load replaces the first.
	if err := db.SavePopulation(ctx, "ana", "pop2.csv", []coverage.PopCell{{GID: 5, Population: 9}}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.Population(ctx); len(got) != 1 || got[0].GID != 5 {
		t.Errorf("reload kept old rows: %v", got)
	}
	if had, err := db.DeletePopulation(ctx, "ana"); err != nil || !had {
		t.Fatalf("DeletePopulation: %v %v", had, err)
	}
	if got, meta, _ := db.Population(ctx); len(got) != 0 || meta != nil {
		t.Errorf("after delete: %v %v", got, meta)
	}

	// Seasons.
	v2 := version()
	if err := db.SaveSeasons(ctx, "ana", map[string][]int{"Mali": {13}}); err == nil {
		t.Error("month 13 accepted")
	}
	if err := db.SaveSeasons(ctx, "ana", map[string][]int{"Mali": {9, 6, 7, 8}, "Somalia": {}}); err != nil {
		t.Fatalf("SaveSeasons: %v", err)
	}
	s, err := db.Seasons(ctx)
	if err != nil || !slices.Equal(s["Mali"], []int{6, 7, 8, 9}) || s["Somalia"] == nil || len(s["Somalia"]) != 0 || len(s) != 2 {
		t.Fatalf("Seasons: %v %v", s, err)
	}
	// nil resets a country to the default.
	if err := db.SaveSeasons(ctx, "ana", map[string][]int{"Somalia": nil}); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Seasons(ctx); len(s) != 1 {
		t.Errorf("after reset: %v", s)
	}
	if v := version(); v != v2+2 {
		t.Errorf("version after two season saves %d, want %d", v, v2+2)
	}

	// Deployments bump the version too.
	dep := coverage.Deployment{Source: "csv", SourceID: "x", Mission: "M", Lat: 6.5, Lon: 21.9, Kind: coverage.TOB,
		Start: grid.MonthOf(2020, 1), End: grid.MonthOf(2020, 2), Mobility: coverage.Foot}
	before := version()
	if _, _, err := db.SaveDeployments(ctx, "ana", []coverage.Deployment{dep}); err != nil {
		t.Fatal(err)
	}
	if version() != before+1 {
		t.Error("SaveDeployments did not bump the version")
	}

	// Everything is audited.
	for _, a := range []string{"coverage.population.load", "coverage.population.delete", "coverage.seasons.save"} {
		if log, err := db.AuditLog(ctx, audit.Filter{Action: a}); err != nil || len(log) == 0 {
			t.Errorf("no audit entry %s (%v)", a, err)
		}
	}
}
