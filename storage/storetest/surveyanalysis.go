package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

func testSurveyAnalysis(t *testing.T, ctx context.Context, db *storage.DB) {

	t.Run("margins", func(t *testing.T) {
		if _, err := db.Margins(ctx, "census"); !errors.Is(err, surveys.ErrNoMargins) {
			t.Fatalf("missing margins: %v", err)
		}
		p := &surveys.Population{Dims: []string{"region", "sex"}, Cells: []surveys.PopCell{{Values: []string{"north", "female"}, Count: 1200}, {Values: []string{"north", "male"}, Count: 1100.5}}}
		if err := db.SaveMargins(ctx, "alice", "census", p); err != nil {
			t.Fatal(err)
		}
		p.Cells[1].Count = 1150
		if err := db.SaveMargins(ctx, "alice", "census", p); err != nil {
			t.Fatal(err)
		}
		got, err := db.Margins(ctx, "census")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Dims) != 2 || len(got.Cells) != 2 || got.Cells[1].Count != 1150 || got.Cells[0].Values[1] != "female" {
			t.Errorf("margins %+v", got)
		}
		names, err := db.MarginNames(ctx)
		if err != nil || len(names) != 1 || names[0] != "census" {
			t.Errorf("names %v %v", names, err)
		}
		if n := len(auditActions(t, db, "survey.margins.save")); n != 2 {
			t.Errorf("%d audit records, want 2", n)
		}
	})

	t.Run("interlocutors", func(t *testing.T) {
		for i, d := range []string{"2026-11-03", "2026-11-01", "2026-11-02"} {
			id, err := db.AddInterlocutor(ctx, "bob", surveys.SealedInterlocutor{Date: d, Sealed: []byte{byte(i), 0, 1}})
			if err != nil || id == 0 {
				t.Fatal(id, err)
			}
		}
		all, err := db.Interlocutors(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].Date != "2026-11-01" || all[0].Sealed[0] != 1 {
			t.Errorf("log %+v", all)
		}
		some, err := db.Interlocutors(ctx, "2026-11-02", "2026-11-02")
		if err != nil || len(some) != 1 || some[0].Date != "2026-11-02" {
			t.Errorf("filtered %+v %v", some, err)
		}
		if n := len(auditActions(t, db, "survey.interlocutor.add")); n != 3 {
			t.Errorf("%d audit records, want 3", n)
		}
	})

	t.Run("settings", func(t *testing.T) {
		if _, err := db.Settings(ctx, "f1"); !errors.Is(err, surveys.ErrNoSettings) {
			t.Fatalf("missing settings: %v", err)
		}
		s := surveys.Settings{
			Indicators: []surveys.Indicator{{ID: "safe", Field: "q_safety", Values: []string{"safe"}}},
			Breakdowns: []string{"region"}, AreaField: "region",
			Disclosure: surveys.DisclosureRule{K: 5, QuasiIdentifiers: []string{"region", "sex"}},
		}
		if err := db.SaveSettings(ctx, "carol", "f1", s); err != nil {
			t.Fatal(err)
		}
		s.Disclosure.K = 7
		s.Breakdowns, s.FPC = []string{"region", "sex"}, []string{"popsize"}
		if err := db.SaveSettings(ctx, "carol", "f1", s); err != nil {
			t.Fatal(err)
		}
		got, err := db.Settings(ctx, "f1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Disclosure.K != 7 || len(got.Indicators) != 1 || got.Indicators[0].Values[0] != "safe" || got.AreaField != "region" {
			t.Errorf("settings %+v", got)
		}
		// The audit says what the analysis reports and its fpc, newest first.
		recs := auditActions(t, db, "survey.settings.save")
		if len(recs) != 2 || recs[0].Detail != "1 indicators, 2 breakdowns, 1 fpc fields, k=7" {
			t.Errorf("audit records %+v, want 2, the last naming indicators, breakdowns, fpc and k", recs)
		}
	})
	var _ *storage.DB = db
}
