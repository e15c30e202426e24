package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestDemoInterlocutors: the demo's interlocutor log was empty, so the
// Surveys page's "who is unheard" compared respondents only. Its synthetic
// meetings, each marked DEMO, are added through the surveys service in the
// demo user's name (audited), in the demo margins' regions and groups, and
// skewed as such a log is (mostly men, local authorities): "who is
// unheard" then compares interlocutors with the population too, and flags
// women and a region met less than their share.
func TestDemoInterlocutors(t *testing.T) {
	ctx := context.Background()
	db, keys := demoStore(t)
	if _, err := demo.LoadSurvey(ctx, db, keys, "demo"); err != nil {
		t.Fatal(err)
	}
	n, err := demo.LoadInterlocutors(ctx, db, keys, "demo")
	if err != nil || n != demo.Interlocutors {
		t.Fatalf("%d meetings, %v; want %d", n, err, demo.Interlocutors)
	}
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	log, err := svc.Interlocutors(ctx, "test", "", "")
	if err != nil || len(log) != demo.Interlocutors {
		t.Fatalf("log: %d entries, %v", len(log), err)
	}
	sexes := map[string]int{}
	for _, it := range log {
		sexes[it.Sex]++
		if !strings.HasPrefix(it.Role, demo.InterlocutorMark) {
			t.Errorf("meeting %d role %q not marked %q", it.ID, it.Role, demo.InterlocutorMark)
		}
	}
	if sexes["female"] == 0 || sexes["male"] < 3*sexes["female"] {
		t.Errorf("meetings by sex %v: want mostly men, some women", sexes)
	}
	added, err := db.AuditLog(ctx, audit.Filter{Action: "survey.interlocutor.add", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range added {
		if e.Actor != "demo" {
			t.Errorf("audit %+v: want the demo user", e)
		}
	}
	if len(added) != demo.Interlocutors {
		t.Errorf("%d meetings audited, want %d", len(added), demo.Interlocutors)
	}
	st, err := db.Settings(ctx, starter.FormID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Unheard(ctx, "test", starter.FormID, st, "", "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Interlocutors == nil {
		t.Fatal("who is unheard: no interlocutors' comparison")
	}
	flagged := map[string]bool{}
	for _, g := range res.Interlocutors.Flagged {
		if g.Place == "" {
			flagged[g.Dim+"="+g.Group] = true
		}
	}
	for _, want := range []string{"sex=female", "region=centre", "region=east"} {
		if !flagged[want] {
			t.Errorf("interlocutors: %s not flagged; flagged %v", want, flagged)
		}
	}
	// The log has no age: that dimension alone is not compared.
	for _, w := range res.Interlocutors.Warnings {
		if !strings.HasPrefix(w, "age_group:") {
			t.Errorf("interlocutors' comparison: %s", w)
		}
	}
	t.Logf("interlocutors by sex %v; flagged overall %v", sexes, flagged)
}
