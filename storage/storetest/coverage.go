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
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

func init() { Register("coverage", testCoverage) }

func testCoverage(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
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
	s := &coverage.Scenario{Name: "two TOBs north", Kind: "plan", Month: jun, Body: body}
	id, err := db.SaveScenario(ctx, "bob", s)
	if err != nil || id == 0 {
		t.Fatalf("SaveScenario: %v", err)
	}
	for _, bad := range []coverage.Scenario{{Name: "", Kind: "plan", Body: body}, {Name: "x", Kind: "war", Body: body}, {Name: "x", Kind: "cut"}} {
		if _, err := db.SaveScenario(ctx, "bob", &bad); err == nil {
			t.Errorf("SaveScenario(%+v) accepted", bad)
		}
	}
	list, err := db.Scenarios(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "two TOBs north" || list[0].Month != jun || list[0].CreatedBy != "bob" || list[0].Body != nil {
		t.Fatalf("Scenarios: %+v %v", list, err)
	}
	one, err := db.Scenario(ctx, id)
	if err != nil || string(one.Body) != string(body) || one.Kind != "plan" {
		t.Fatalf("Scenario: %+v %v", one, err)
	}
	if _, err := db.Scenario(ctx, id+100); !errors.Is(err, events.ErrNotFound) {
		t.Errorf("missing scenario: %v", err)
	}
	// Changes are audited.
	log, err := db.AuditLog(ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range log {
		actions = append(actions, r.Action)
	}
	if !slices.Contains(actions, "deployments.import") || !slices.Contains(actions, "scenario.save") {
		t.Errorf("audit actions %v", actions)
	}
}
