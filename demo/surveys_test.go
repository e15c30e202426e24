package demo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
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
		refused string // the field of the refusal SurveyWeights reports ("": none)
	}{
		{"fresh demo", nil, "", false, demo.SurveyRakeOn, ""},
		{"older demo", func(s *surveys.Settings) { s.RakeOn = nil }, "", true, demo.SurveyRakeOn, ""},
		{"user's raking", func(s *surveys.Settings) { s.RakeOn = []string{"region"} }, "", false, []string{"region"}, ""},
		{"user's design weights", func(s *surveys.Settings) { s.RakeOn, s.Weights = nil, "region" }, "", false, nil, ""},
		{"user's own margins", func(s *surveys.Settings) { s.RakeOn, s.Margins = nil, "" }, "", false, nil, ""},
		{"demo margins without displacement", func(s *surveys.Settings) { s.RakeOn = nil }, "region,population\nnorth,1\nsouth,1\neast,1\nwest,1\ncentre,1\n", false, nil, "rake_on"},
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
		changed, refused, err := demo.SurveyWeights(ctx, db, keys, "demo")
		if err != nil || changed != c.changed {
			t.Errorf("%s: changed %v (%v), want %v", c.name, changed, err, c.changed)
		}
		if e := apperr.As(refused); (c.refused == "") != (refused == nil) || (refused != nil && (e == nil || e.Field != c.refused || e.Key == "")) {
			t.Errorf("%s: refused %v (%+v), want a keyed refusal naming %q", c.name, refused, e, c.refused)
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
		// A refused weighting is tried again (TestSurveyWeightsRetried):
		// refused again here, the margins being still as they were.
		st.RakeOn = nil
		if err := db.SaveSettings(ctx, "user", starter.FormID, st); err != nil {
			t.Fatal(err)
		}
		if changed, refused, err := demo.SurveyWeights(ctx, db, keys, "demo"); err != nil || changed || (refused != nil) != (c.refused != "") {
			t.Errorf("%s: second run changed %v, refused %v (%v), want nothing changed, refused again: %v", c.name, changed, refused, err, c.refused != "")
		}
	}
}

// TestSetupSaysWeightsRefused: when the demo's weighting of its survey
// answers is refused by the API's checks (here the demo margins replaced
// by a set without displacement), vigil serve --demo said nothing and the
// Surveys page showed unweighted estimates. Setup now prints a warning
// naming the reason, and the demo marker (GET /api/v1/demo) carries the
// refusal, keyed so that the Surveys page says it in its language; a
// weighting that is not refused leaves neither.
func TestSetupSaysWeightsRefused(t *testing.T) {
	ctx := context.Background()
	for _, margins := range []string{"", "region,population\nnorth,1\nsouth,1\neast,1\nwest,1\ncentre,1\n"} {
		db, keys, _ := unweightedDemo(t, margins)
		// The other demo material as loaded already: Setup weights only.
		for _, k := range []string{demo.StateEvents, demo.StateAlerts, demo.StateSurvey, demo.StateIntegrity} {
			if err := db.SetDemoState(ctx, k, demo.Done); err != nil {
				t.Fatal(err)
			}
		}
		var out strings.Builder
		if err := demo.Setup(ctx, db, demo.Options{Progress: &out, Keys: keys, User: "demo"}); err != nil {
			t.Fatal(err)
		}
		ans, err := (&demo.Status{Store: db}).Answer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		refusal, _ := ans["survey_weights_refused"].(map[string]any)
		if margins == "" {
			if strings.Contains(out.String(), "warning") || refusal != nil || !strings.Contains(out.String(), "now weighted") {
				t.Errorf("weighting saved: printed %q, marker %v; want it said weighted, no warning, no refusal", out.String(), refusal)
			}
			continue
		}
		want := `rake_on: population margins "` + demo.MarginsName + `" have no dimension "age_group"`
		if line := out.String(); !strings.Contains(line, "demo: warning: the starter survey's answers are not weighted") || !strings.Contains(line, want) {
			t.Errorf("printed %q, want a warning naming %q", line, want)
		}
		if refusal == nil || refusal["field"] != "rake_on" || refusal["key"] != "surveys.refusal.rake-dim" || !strings.Contains(fmt.Sprint(refusal["error"]), want) {
			t.Errorf("demo marker's survey_weights_refused = %v, want the keyed refusal naming rake_on", refusal)
		}
		if args, _ := refusal["args"].(map[string]string); args["1"] != `"age_group"` {
			t.Errorf("refusal args %v, want the dimension as the second", refusal["args"])
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

// TestSurveyWeightsRetried: a refused weighting of the demo's answers was
// never tried again (SurveyWeights ran once per store, refused or not), so
// after the demo margins were put right the answers stayed unweighted and
// the demo marker kept the old refusal. SurveyWeights now tries a refused
// weighting again at each run while the settings are still the demo's
// unweighted ones: weighted once the margins allow it (the refusal then
// gone), refused again while they do not, and left alone (the refusal
// gone) once a user has chosen the settings.
func TestSurveyWeightsRetried(t *testing.T) {
	ctx := context.Background()
	const noDisplacement = "region,population\nnorth,1\nsouth,1\neast,1\nwest,1\ncentre,1\n"
	cases := []struct {
		name    string
		fix     func(t *testing.T, db *storage.DB, margins *surveys.Population) // after the refusal ("": nothing)
		changed bool
		rakeOn  []string
		refused bool // refused again, and the marker says so
	}{
		{"margins still without displacement", nil, false, nil, true},
		{"demo margins put back", func(t *testing.T, db *storage.DB, margins *surveys.Population) {
			if err := db.SaveMargins(ctx, "user", demo.MarginsName, margins); err != nil {
				t.Fatal(err)
			}
		}, true, demo.SurveyRakeOn, false},
		{"user's own settings", func(t *testing.T, db *storage.DB, _ *surveys.Population) {
			st, err := db.Settings(ctx, starter.FormID)
			if err != nil {
				t.Fatal(err)
			}
			st.Margins = ""
			if err := db.SaveSettings(ctx, "user", starter.FormID, st); err != nil {
				t.Fatal(err)
			}
		}, false, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, keys, margins := unweightedDemo(t, noDisplacement)
			if _, refused, err := demo.SurveyWeights(ctx, db, keys, "demo"); err != nil || refused == nil {
				t.Fatalf("first run: refused %v (%v), want refused", refused, err)
			}
			if c.fix != nil {
				c.fix(t, db, margins)
			}
			changed, refused, err := demo.SurveyWeights(ctx, db, keys, "demo")
			if err != nil || changed != c.changed || (refused != nil) != c.refused {
				t.Errorf("second run: changed %v, refused %v (%v); want changed %v, refused %v", changed, refused, err, c.changed, c.refused)
			}
			checkWeighting(t, db, c.rakeOn, c.refused)
			if c.refused {
				return
			}
			// Settled: a third run changes nothing.
			if changed, refused, err := demo.SurveyWeights(ctx, db, keys, "demo"); err != nil || changed || refused != nil {
				t.Errorf("third run: changed %v, refused %v (%v), want nothing", changed, refused, err)
			}
		})
	}
}

// unweightedDemo is a demo store whose survey settings an older Vigil
// stored (the demo margins named, no raking), its demo margins replaced
// by margins (CSV) unless "", and the demo's own margins.
func unweightedDemo(t *testing.T, margins string) (*storage.DB, *crypt.Keyring, *surveys.Population) {
	t.Helper()
	ctx := context.Background()
	db, keys := demoStore(t)
	if _, err := demo.LoadSurvey(ctx, db, keys, "demo"); err != nil {
		t.Fatal(err)
	}
	own, err := db.Margins(ctx, demo.MarginsName)
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.Settings(ctx, starter.FormID)
	if err != nil {
		t.Fatal(err)
	}
	st.RakeOn = nil // as an older Vigil stored them
	if err := db.SaveSettings(ctx, "demo", starter.FormID, st); err != nil {
		t.Fatal(err)
	}
	if margins != "" {
		pop, err := surveys.ReadPopulation(strings.NewReader(margins), "m.csv")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SaveMargins(ctx, "user", demo.MarginsName, pop); err != nil {
			t.Fatal(err)
		}
	}
	return db, keys, own
}

// TestSurveyWeightsRetriedOnMargins: a refused weighting of the demo's
// answers was tried again only at the next start (vigil serve --demo), so
// margins put right through the Surveys page left the answers unweighted
// and the demo marker kept the refusal until a restart. A margin upload
// through a service whose MarginsSaved is demo.RetryWeights now tries it
// again at once: weighted when the demo margins now allow it, refused
// again (and said) when they do not, untouched by another set's upload.
func TestSurveyWeightsRetriedOnMargins(t *testing.T) {
	ctx := context.Background()
	const noDisplacement = "region,population\nnorth,1\nsouth,1\neast,1\nwest,1\ncentre,1\n"
	for _, c := range []struct {
		name, margins string
		rakeOn        []string
		refused       bool
	}{
		{"demo margins put right", demo.MarginsName, demo.SurveyRakeOn, false},
		{"another margin set", "census", nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, keys, own := unweightedDemo(t, noDisplacement)
			if _, refused, err := demo.SurveyWeights(ctx, db, keys, "demo"); err != nil || refused == nil {
				t.Fatalf("first run: refused %v (%v), want refused", refused, err)
			}
			var csv strings.Builder
			csv.WriteString(strings.Join(own.Dims, ",") + ",population\n")
			for _, cell := range own.Cells {
				fmt.Fprintf(&csv, "%s,%g\n", strings.Join(cell.Values, ","), cell.Count)
			}
			svc := &surveys.Service{Store: db, Keys: keys, Auditor: db, MarginsSaved: demo.RetryWeights(db, keys)}
			if _, err := svc.PutMargins(ctx, "user", c.margins, strings.NewReader(csv.String())); err != nil {
				t.Fatal(err)
			}
			checkWeighting(t, db, c.rakeOn, c.refused)
		})
	}
}

// checkWeighting checks the starter form's stored raking and whether the
// demo marker says the weighting was refused.
func checkWeighting(t *testing.T, db *storage.DB, rakeOn []string, refused bool) {
	t.Helper()
	ctx := context.Background()
	st, err := db.Settings(ctx, starter.FormID)
	if err != nil || !slices.Equal(st.RakeOn, rakeOn) {
		t.Errorf("rake_on %v (%v), want %v", st.RakeOn, err, rakeOn)
	}
	ans, err := (&demo.Status{Store: db}).Answer(ctx)
	if _, said := ans["survey_weights_refused"]; err != nil || said != refused {
		t.Errorf("demo marker's survey_weights_refused = %v (%v), want it said: %v", ans["survey_weights_refused"], err, refused)
	}
}
