package demo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestSurveyWeights: the demo survey's settings named the demo margins but
// weighted by nothing, so the Surveys page read "weights: none" with
// margins loaded. LoadSurvey now rakes the answers on the margins'
// region, age group and displacement status, and the analysis says so;
// SurveyWeights gives a store made by an older Vigil the same weighting,
// once, and leaves a weighting chosen by a user as it is — and one the
// API would refuse (the demo margins replaced by a set without the
// displacement dimension): it saves settings through the same checks.
func TestSurveyWeights(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		old     func(*surveys.Settings) // the settings an older Vigil or a user left
		margins string                  // the demo margins as replaced then ("": the demo's)
		changed bool
		rakeOn  []string
	}{
		{"fresh demo", nil, "", false, demo.SurveyRakeOn},
		{"older demo", func(s *surveys.Settings) { s.RakeOn = nil }, "", true, demo.SurveyRakeOn},
		{"user's raking", func(s *surveys.Settings) { s.RakeOn = []string{"region"} }, "", false, []string{"region"}},
		{"user's design weights", func(s *surveys.Settings) { s.RakeOn, s.Weights = nil, "region" }, "", false, nil},
		{"user's own margins", func(s *surveys.Settings) { s.RakeOn, s.Margins = nil, "" }, "", false, nil},
		{"demo margins without displacement", func(s *surveys.Settings) { s.RakeOn = nil }, "region,population\nnorth,1\nsouth,1\neast,1\nwest,1\ncentre,1\n", false, nil},
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
		if c.margins != "" {
			pop, err := surveys.ReadPopulation(strings.NewReader(c.margins), "m.csv")
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SaveMargins(ctx, "user", demo.MarginsName, pop); err != nil {
				t.Fatal(err)
			}
		}
		changed, err := demo.SurveyWeights(ctx, db, keys, "demo")
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
		if changed, err := demo.SurveyWeights(ctx, db, keys, "demo"); err != nil || changed {
			t.Errorf("%s: second run changed %v (%v), want nothing", c.name, changed, err)
		}
	}
}

// TestLoadSurveySettingsChecked: the demo saves its survey settings through
// the API's checks, so settings the API would refuse are never stored: on
// a store whose form vigil_perception is not the starter form (no
// age_group to rake on, no q_safety), LoadSurvey is refused naming the
// setting (rake_on), and no settings are stored.
func TestLoadSurveySettingsChecked(t *testing.T) {
	ctx := context.Background()
	db, keys := demoStore(t)
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	own := `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>Own</h:title><model>
<instance><perception id="` + starter.FormID + `" version="1"><round/><region/><meta><instanceID/></meta></perception></instance>
<bind nodeset="/perception/round" type="string"/><bind nodeset="/perception/region" type="string"/><bind nodeset="/perception/meta/instanceID" type="string"/>
</model></h:head><h:body><input ref="/perception/round"/><input ref="/perception/region"/></h:body></h:html>`
	if _, _, err := svc.AddForm(ctx, "user", []byte(own), nil); err != nil {
		t.Fatal(err)
	}
	_, err := demo.LoadSurvey(ctx, db, keys, "demo")
	if e := apperr.As(err); e == nil || e.Kind != apperr.KindInvalid || e.Field != "rake_on" {
		t.Errorf("LoadSurvey: %v (%+v), want refused naming rake_on", err, e)
	}
	if st, err := db.Settings(ctx, starter.FormID); !errors.Is(err, surveys.ErrNoSettings) {
		t.Errorf("settings stored: %+v (%v), want none", st, err)
	}
}
