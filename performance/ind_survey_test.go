package performance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys"
)

type fakeSurveyStore struct {
	surveys.Store
	subs []surveys.StoredSubmission
}

func (f fakeSurveyStore) FormByFormID(ctx context.Context, id string) (surveys.Form, error) {
	if id != "perc" {
		return surveys.Form{}, surveys.ErrNoForm
	}
	return surveys.Form{ID: 1, FormID: "perc", Title: "Perception survey, Ituri"}, nil
}

func (f fakeSurveyStore) Submissions(ctx context.Context, id int64) ([]surveys.StoredSubmission, error) {
	return f.subs, nil
}

type fakeSettings struct{ st surveys.Settings }

func (f fakeSettings) Settings(ctx context.Context, form string) (surveys.Settings, error) {
	return f.st, nil
}
func (f fakeSettings) Margins(ctx context.Context, name string) (*surveys.Population, error) {
	return nil, surveys.ErrNoMargins
}

// perceptionAnswers are TestPerception's 115 sealed answers of form
// "perc" (its doc says which) and the 100 received in March 2019 as rows.
func perceptionAnswers(t *testing.T) (*crypt.Keyring, []surveys.StoredSubmission, []map[string]string) {
	keys, err := crypt.New(map[string][]byte{"k1": []byte("0123456789abcdef0123456789abcdef")}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	var subs []surveys.StoredSubmission
	var rows []map[string]string
	for i := range 115 {
		sex, safe := "female", "yes"
		if i >= 50 {
			sex = "male"
		}
		if (i < 50 && i%5 == 4) || (i >= 50 && (i-50)%5 >= 2) {
			safe = "no"
		}
		inst := fmt.Sprintf("uuid:%d", i)
		ans := map[string]string{"q_safe": safe, "resp_sex": sex, "region": "Ituri"}
		if i >= 110 { // interviewed in May (ODK's end timestamp), sent in June
			ans["end"] = "2019-05-10T09:00:00.000+01:00"
		}
		b, _ := json.Marshal(ans)
		sealed, err := keys.Seal(b, []byte("surveys.answers:perc/"+inst))
		if err != nil {
			t.Fatal(err)
		}
		received := time.Date(2019, 3, 1+i%28, 0, 0, 0, 0, time.UTC)
		if i >= 100 {
			received = time.Date(2019, 2, 1, 0, 0, 0, 0, time.UTC)
		}
		if i >= 110 {
			received = time.Date(2019, 6, 2, 0, 0, 0, 0, time.UTC)
		}
		subs = append(subs, surveys.StoredSubmission{ID: int64(i + 1), FormID: 1, InstanceID: inst, AnswersSealed: sealed, Received: received})
		ans[surveys.KeyReceived] = received.Format(time.RFC3339)
		if i < 100 {
			rows = append(rows, ans)
		}
	}
	return keys, subs, rows
}

// TestPerception: 100 answers received in March 2019, 60 feel safe
// (women 40 of 50, men 20 of 50): the indicator gives the survey
// analysis' own numbers (overall 0.6; by sex 0.8 and 0.4) with their
// intervals; no data for a month without answers, and the small-cell
// rule's suppression (10 answers in February) is no data with its reason.
// Five answers interviewed in May (the form's end timestamp) and received
// in June count in May.
func TestPerception(t *testing.T) {
	keys, subs, rows := perceptionAnswers(t)
	st := surveys.Settings{Indicators: []surveys.Indicator{{ID: "feels_safe", Field: "q_safe", Values: []string{"yes"}}},
		Breakdowns: []string{"resp_sex"}, AreaField: "region"}
	e := NewEngine(Inputs{Surveys: &surveys.Service{Store: fakeSurveyStore{subs: subs}, Keys: keys}, Settings: fakeSettings{st}, Actor: "test"})
	p := mustPeriod(t, "2019-03")
	v := one(t, e, Request{Indicator: "perception", Period: p, Params: map[string]string{"form": "perc"}})
	plan := st.Plan(nil)
	a, err := surveys.Analyze(rows, plan)
	if err != nil {
		t.Fatal(err)
	}
	want := a.Results[0].Overall
	if v.Value == nil {
		t.Fatalf("no value: %+v (analysis %+v)", v, want)
	}
	if *v.Value != 0.6 || *v.CILow != roundTo(want.CILow, 4) || *v.CIHigh != roundTo(want.CIHigh, 4) || v.N != 100 || v.Uncertainty != Estimate {
		t.Errorf("overall: %+v, analysis %+v", v, want)
	}
	vs, err := e.Compute(context.Background(), Request{Indicator: "perception", Period: p, Params: map[string]string{"form": "perc"}, By: "sex"})
	if err != nil || len(vs) != 2 || vs[0].Disaggregation["sex"] != "female" || *vs[0].Value != 0.8 || *vs[1].Value != 0.4 {
		t.Errorf("by sex: %+v %v", vs, err)
	}
	for m, words := range map[string]string{"2019-04": "April 2019", "2019-06": "June 2019"} {
		if v := one(t, e, Request{Indicator: "perception", Period: mustPeriod(t, m), Params: map[string]string{"form": "perc"}}); !v.NoData || !strings.Contains(v.Reason, "has no answers given in "+words) {
			t.Errorf("%s: %+v", m, v)
		}
	}
	// Answers belong to the month of the interview, not of their upload.
	if v := one(t, e, Request{Indicator: "perception", Period: mustPeriod(t, "2019-05"), Params: map[string]string{"form": "perc"}}); !v.NoData || v.Reason != "suppressed: fewer than 30 respondents (n=5)" {
		t.Errorf("May (5 interviews sent in June): %+v", v)
	}
	if v := one(t, e, Request{Indicator: "perception", Period: mustPeriod(t, "2019-02"), Params: map[string]string{"form": "perc"}}); !v.NoData || !strings.Contains(v.Reason, "suppressed: fewer than 30 respondents") {
		t.Errorf("February (10 answers): %+v", v)
	}
	if _, err := e.Compute(context.Background(), Request{Indicator: "perception", Period: p, Params: map[string]string{"form": "perc", "id": "trust"}}); !apperr.IsInvalid(err) {
		t.Errorf("unknown survey indicator: %v", err)
	}
}

// TestPerceptionNamesForm: a perception value's reasons and source name
// the survey by its title, in English and French, not by its form id.
func TestPerceptionNamesForm(t *testing.T) {
	keys, subs, _ := perceptionAnswers(t)
	st := surveys.Settings{Indicators: []surveys.Indicator{{ID: "feels_safe", Field: "q_safe", Values: []string{"yes"}}},
		Breakdowns: []string{"resp_sex"}, AreaField: "region"}
	e := NewEngine(Inputs{Surveys: &surveys.Service{Store: fakeSurveyStore{subs: subs}, Keys: keys}, Settings: fakeSettings{st}, Actor: "test"})
	params := map[string]string{"form": "perc"}
	for _, c := range []struct {
		name   string
		r      Request
		en, fr string
	}{
		{"no answers", Request{Indicator: "perception", Period: mustPeriod(t, "2019-04"), Params: params},
			"the survey “Perception survey, Ituri” has no answers given in April 2019", "l’enquête « Perception survey, Ituri » n’a aucune réponse donnée en avril 2019"},
		{"no breakdown", Request{Indicator: "perception", Period: mustPeriod(t, "2019-03"), Params: params, By: "age"},
			"the settings of the survey “Perception survey, Ituri” have no breakdown field for age", "les paramètres de l’enquête « Perception survey, Ituri » n’ont pas de champ de ventilation pour age"},
	} {
		v := one(t, e, c.r)
		if v.ReasonMsg == nil || v.ReasonMsg.Text("en") != c.en || v.ReasonMsg.Text("fr") != c.fr {
			t.Errorf("%s: reason %+v, want %q / %q", c.name, v.ReasonMsg, c.en, c.fr)
		}
		b := Brief{Lang: "fr"}
		if s := v.Prov.Sources; len(s) != 1 || s[0].NameMsg == nil || s[0].NameMsg.Text("en") != "responses to the survey “Perception survey, Ituri”" ||
			b.SourceName(s[0]) != "réponses à l’enquête « Perception survey, Ituri »" {
			t.Errorf("%s: source %+v", c.name, s)
		}
	}
}

// flakySettings fails its first fails reads with err, then answers st.
type flakySettings struct {
	fakeSettings
	err   error
	fails *int
}

func (f flakySettings) Settings(ctx context.Context, form string) (surveys.Settings, error) {
	if *f.fails > 0 {
		*f.fails--
		return surveys.Settings{}, f.err
	}
	return f.st, nil
}

// TestBriefPerceptionSettingsError: the brief's perception rows are the
// form's indicators; when the settings store fails reading them the brief
// fails with that error (review9 F7: the error was dropped and the brief
// showed one unlabelled row for the form's first indicator), while a form
// without settings is one row saying so.
func TestBriefPerceptionSettingsError(t *testing.T) {
	keys, subs, _ := perceptionAnswers(t)
	st := surveys.Settings{Indicators: []surveys.Indicator{{ID: "feels_safe", Label: "Feels safe", Field: "q_safe", Values: []string{"yes"}},
		{ID: "feels_unsafe", Label: "Feels unsafe", Field: "q_safe", Values: []string{"no"}}}}
	down := errors.New("settings store down")
	for _, c := range []struct {
		name string
		err  error
		rows int // perception rows when the brief is built
	}{
		{"store error", down, -1},
		{"no settings", surveys.ErrNoSettings, 1},
	} {
		fails := 1
		e := NewEngine(Inputs{Cells: mali(), Surveys: &surveys.Service{Store: fakeSurveyStore{subs: subs}, Keys: keys},
			Settings: flakySettings{fakeSettings{st}, c.err, &fails}, Actor: "test"})
		b, err := e.BuildBrief(context.Background(), grid.MonthOf(2019, 3), BriefOptions{SurveyForm: "perc"})
		rows := -1
		if b != nil {
			rows = len(b.Perception)
		}
		if (c.rows < 0 && !errors.Is(err, c.err)) || (c.rows >= 0 && err != nil) || rows != c.rows {
			t.Errorf("%s: err %v, %d perception rows; want err %v, %d rows", c.name, err, rows, c.err, c.rows)
		}
	}
}

// auditLog keeps the audit entries recorded.
type auditLog struct{ entries *[]audit.Entry }

func (a auditLog) Record(ctx context.Context, e audit.Entry) error {
	*a.entries = append(*a.entries, e)
	return nil
}

// TestBriefAuditsSurveyReadOnce: a brief with a form's perception rows
// reads the form's answers (a sensitive read) for each row's value, 12
// months of history and two quarters; the read is audited once for the
// brief, naming the actor, the form and what it was read for — not once
// per computation (30 entries for these two indicators before; 105 for
// the seven starter indicators).
func TestBriefAuditsSurveyReadOnce(t *testing.T) {
	keys, subs, _ := perceptionAnswers(t)
	st := surveys.Settings{Indicators: []surveys.Indicator{{ID: "feels_safe", Label: "Feels safe", Field: "q_safe", Values: []string{"yes"}},
		{ID: "feels_unsafe", Label: "Feels unsafe", Field: "q_safe", Values: []string{"no"}}}}
	var log []audit.Entry
	e := NewEngine(Inputs{Cells: mali(), Surveys: &surveys.Service{Store: fakeSurveyStore{subs: subs}, Keys: keys, Auditor: auditLog{&log}},
		Settings: fakeSettings{st}, Actor: "test"})
	for _, m := range []grid.Month{grid.MonthOf(2019, 3), grid.MonthOf(2019, 4)} {
		log = nil
		b, err := e.BuildBrief(WithActor(context.Background(), "ana"), m, BriefOptions{SurveyForm: "perc"})
		if err != nil || len(b.Perception) != 2 {
			t.Fatalf("%s: %v %+v", m, err, b)
		}
		if len(log) != 1 {
			t.Fatalf("%s: %d audit entries for one brief, want 1", m, len(log))
		}
		want := fmt.Sprintf("115 submissions; read for the monthly brief of %s", m)
		if g := log[0]; g.Actor != "ana" || g.Action != "survey.read" || g.Object != "form:perc" || g.Detail != want {
			t.Errorf("%s: audit entry %+v, want actor ana, survey.read, form:perc, %q", m, g, want)
		}
	}
}
