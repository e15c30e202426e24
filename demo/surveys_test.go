package demo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestSurveyWeights: the demo survey's settings named the demo margins but
// weighted by nothing, so the Surveys page read "weights: none" with
// margins loaded. LoadSurvey now rakes the answers on the margins'
// region, age group and displacement status, and the analysis says so;
// SurveyWeights gives a store made by an older Vigil the same weighting,
// once, and leaves a weighting chosen by a user as it is.
func TestSurveyWeights(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		old     func(*surveys.Settings) // the settings an older Vigil or a user left
		changed bool
		rakeOn  []string
	}{
		{"fresh demo", nil, false, demo.SurveyRakeOn},
		{"older demo", func(s *surveys.Settings) { s.RakeOn = nil }, true, demo.SurveyRakeOn},
		{"user's raking", func(s *surveys.Settings) { s.RakeOn = []string{"region"} }, false, []string{"region"}},
		{"user's design weights", func(s *surveys.Settings) { s.RakeOn, s.Weights = nil, "region" }, false, nil},
		{"user's own margins", func(s *surveys.Settings) { s.RakeOn, s.Margins = nil, "" }, false, nil},
	}
	for _, c := range cases {
		db, keys := demoStore(t)
		if _, err := demo.LoadSurvey(ctx, db, keys, "demo"); err != nil {
			t.Fatal(err)
		}
		if c.old != nil {
			st, err := db.Settings(ctx, starter.FormID)
			if err != nil {
				t.Fatal(err)
			}
			c.old(&st)
			if err := db.SaveSettings(ctx, "demo", starter.FormID, st); err != nil {
				t.Fatal(err)
			}
		}
		changed, err := demo.SurveyWeights(ctx, db, "demo")
		if err != nil || changed != c.changed {
			t.Errorf("%s: changed %v (%v), want %v", c.name, changed, err, c.changed)
		}
		st, err := db.Settings(ctx, starter.FormID)
		if err != nil || !slices.Equal(st.RakeOn, c.rakeOn) {
			t.Errorf("%s: rake_on %v (%v), want %v", c.name, st.RakeOn, err, c.rakeOn)
		}
		if c.name == "fresh demo" {
			svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
			res, err := svc.Analyse(ctx, "demo", starter.FormID, st, surveys.AnalyseQuery{})
			if err != nil || res.Analysis.Calibration != "raked on region, age_group, displacement" {
				t.Errorf("%s: calibration %q (%v), want raked on the demo margins", c.name, res.Analysis.Calibration, err)
			}
		}
		// Once per store: weighting the user turns off afterwards stays off.
		st.RakeOn = nil
		if err := db.SaveSettings(ctx, "user", starter.FormID, st); err != nil {
			t.Fatal(err)
		}
		if changed, err := demo.SurveyWeights(ctx, db, "demo"); err != nil || changed {
			t.Errorf("%s: second run changed %v (%v), want nothing", c.name, changed, err)
		}
	}
}
