package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

// testPerformanceVersion: PerformanceVersion (what the performance service
// compares to rebuild its cached engine) moves with every write to the data
// the indicators read — including the updates and deletes a row count or
// a largest id does not see (a rescored item, new analysis settings or
// margins, a deleted forecast run) — and stays put on reads.
func testPerformanceVersion(t *testing.T, ctx context.Context, db *storage.DB) {
	ver := func() string {
		t.Helper()
		v, err := db.PerformanceVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc := &surveys.Service{Store: db}
	form, _, err := svc.AddForm(ctx, "admin", []byte(surveyForm), nil)
	if err != nil {
		t.Fatal(err)
	}
	var runID int64
	run := forecast.Run{Target: "os", Grid: "priogrid", CellSize: 0.5, Origin: grid.MonthOf(2018, 12), Model: "gbt"}
	settings := surveys.Settings{Indicators: []surveys.Indicator{{ID: "safe", Field: "q_safety", Values: []string{"safe"}}}}
	margins := &surveys.Population{Dims: []string{"sex"}, Cells: []surveys.PopCell{{Values: []string{"female"}, Count: 10}}}
	steps := []struct {
		name  string
		write func() error
	}{
		{"forecast run saved", func() (err error) {
			runID, err = db.SaveForecast(ctx, "cli:test", run, []forecast.CellRisk{{Month: run.Origin + 1, Horizon: 1, Cell: 100, Prob: 0.5}})
			return err
		}},
		{"forecast run deleted", func() error {
			_, err := db.Exec(ctx, db.SQL, `DELETE FROM forecast_runs WHERE id = ?`, runID)
			return err
		}},
		{"submission received", func() error {
			_, _, err := db.PutSubmission(ctx, "enum1", surveys.StoredSubmission{FormID: form.ID, InstanceID: "uuid:v1", XMLSealed: []byte{1}, AnswersSealed: []byte{1}, Received: at}, nil, nil)
			return err
		}},
		{"analysis settings saved", func() error { return db.SaveSettings(ctx, "carol", form.FormID, settings) }},
		{"analysis settings changed", func() error {
			settings.Indicators[0].Values = []string{"very safe"}
			return db.SaveSettings(ctx, "carol", form.FormID, settings)
		}},
		{"margins saved", func() error { return db.SaveMargins(ctx, "alice", "census", margins) }},
		{"margins changed", func() error {
			margins.Cells[0].Count = 12
			return db.SaveMargins(ctx, "alice", "census", margins)
		}},
		{"content items imported", func() error {
			return db.SaveItems(ctx, "test", "integrity.import", "", []integrity.Narrative{{ID: 1, Name: "n", Status: integrity.StatusNew, Created: at}},
				[]*integrity.Item{{Source: "radio", SourceID: "a", Kind: "broadcast", Lang: "fr", Text: "un", Time: at, Score: 0.2, Narrative: 1}})
		}},
		{"content item rescored", func() error {
			rows, err := db.ScoreRows(ctx, 0, 10)
			if err != nil || len(rows) != 1 {
				t.Fatalf("score rows %+v %v", rows, err)
			}
			rows[0].Score = 0.9
			return db.SetScores(ctx, "ana", "rescore", rows)
		}},
		{"check saved", func() error {
			c := integrity.Check{Narrative: 1, State: integrity.CheckVerifying, Updated: at}
			return db.SaveCheck(ctx, "ana", "", &c, integrity.CheckEntry{At: at, Kind: integrity.LogState, To: integrity.CheckVerifying})
		}},
	}
	last := ver()
	for _, s := range steps {
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		v := ver()
		if v == last {
			t.Errorf("%s: the version stayed %s", s.name, v)
		}
		last = v
		// Reads of what the indicators read leave it alone.
		if _, err := db.ContentItems(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RatedChecks(ctx); err != nil {
			t.Fatal(err)
		}
		_, _ = forecast.LatestRun(ctx, db, "os") // ErrNoForecast once the run is deleted
		if v := ver(); v != last {
			t.Errorf("after %s, reads moved the version %s -> %s", s.name, last, v)
		}
	}
}
