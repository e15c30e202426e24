package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/demo"
)

// TestDemoAlertSources: the demo's alerts come in the ways a mission's do,
// not all by the web form (its Alerts page counted « Web form 77 » and 0
// for every other source): texted to its SMS gateway (DEMO-SMS-1), sent by
// the public web form (DEMO-WEB-1), and taken by phone or in person and
// typed in by the demo user (intake "phone", in their name). Its triage
// records the reporter's sex on a share of the incidents (every incident
// read « not recorded »), with more than one value. Every reporter's
// number is fictitious: in the +000 range, or the web form's
// "demo-reporter-NN" (typed into the form). Loaded twice from the same
// seed, the counts are the same.
func TestDemoAlertSources(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	load := func() (alerts.Dashboard, []alerts.Alert, *alerts.Service) {
		ctx := context.Background()
		db, keys := demoStore(t)
		if _, _, err := demo.LoadAlerts(ctx, db, keys, "demo", now); err != nil {
			t.Fatal(err)
		}
		svc := alerts.NewService(db, keys)
		svc.Now = func() time.Time { return now }
		d, err := svc.Dashboard(ctx, 8)
		if err != nil {
			t.Fatal(err)
		}
		as, err := db.Alerts(ctx, alerts.AlertFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return d, as, svc
	}
	d, as, svc := load()
	sources := 0
	for _, k := range alerts.Sources {
		if d.BySource[k] > 0 {
			sources++
		}
	}
	if sources < 3 || d.BySource[string(alerts.SMSSync)] == 0 || d.BySource[string(alerts.Web)] == 0 || d.BySource[alerts.IntakePhone] == 0 {
		t.Errorf("the demo's alerts by source: %v; want SMSSync, the web form and by phone", d.BySource)
	}
	sexes := 0
	for _, x := range alerts.ReporterSexes {
		if d.ByReporterSex[x] > 0 {
			sexes++
		}
	}
	if sexes < 2 || d.ByReporterSex["none"] == 0 {
		t.Errorf("the demo's incidents by reporter's sex: %v; want at least two values set, and some not recorded", d.ByReporterSex)
	}
	for _, a := range as {
		a, err := svc.Reveal(context.Background(), adminUser(), a.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(a.Phone, contacts.DemoPrefix+" "): // by SMS or by phone
		case strings.HasPrefix(a.Phone, "demo-reporter-") && a.Intake == "":
		default:
			t.Errorf("alert %d (intake %q): reporter's number %q not fictitious", a.ID, a.Intake, a.Phone)
		}
	}
	if d2, _, _ := load(); !equalCounts(d.BySource, d2.BySource) || !equalCounts(d.ByReporterSex, d2.ByReporterSex) {
		t.Errorf("loaded again: by source %v, by sex %v; first %v, %v", d2.BySource, d2.ByReporterSex, d.BySource, d.ByReporterSex)
	}
	t.Logf("by source %v, by reporter's sex %v", d.BySource, d.ByReporterSex)
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
