package performance_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
)

const cellA, cellB = 150000, 150010

func svcEvent(id string, cell, y, m int, typ events.ViolenceType, best, low, high int) events.Event {
	lat, lon, _ := grid.PrioCenter(cell)
	return events.Event{Source: "t", SourceID: id, DateStart: time.Date(y, time.Month(m), 10, 0, 0, 0, 0, time.UTC), DateEnd: time.Date(y, time.Month(m), 10, 0, 0, 0, 0, time.UTC),
		Lat: lat, Lon: lon, GridCell: cell, Violence: typ, Best: best, Low: low, High: high, Country: "Mali", SideA: "a", SideB: "b"}
}

// storeWith opens a fresh SQLite store (closed when the test ends) holding
// es, and returns it with the Malian cells gids.
func storeWith(t *testing.T, es []events.Event, gids ...int) (*storage.DB, *coverage.Cells) {
	t.Helper()
	ctx := context.Background()
	db := testutil.Store(t)
	if err := db.Import(ctx, func(u events.Upserter) error {
		for i := range es {
			if _, err := u.Upsert(ctx, &es[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var cs []coverage.Cell
	for _, g := range gids {
		lat, lon, _ := grid.PrioCenter(g)
		cs = append(cs, coverage.Cell{GID: g, Country: "Mali", Lat: lat, Lon: lon})
	}
	return db, coverage.NewCells(cs)
}

// newService is a service over a fresh SQLite store holding four Malian
// events (one-sided 2019: 3 + 4 deaths in Q1; 2018: 1).
func newService(t *testing.T) (*performance.Service, *storage.DB) {
	t.Helper()
	db, cells := storeWith(t, []events.Event{
		svcEvent("1", cellA, 2019, 3, events.OneSided, 3, 2, 5),
		svcEvent("2", cellB, 2019, 2, events.OneSided, 4, 4, 6),
		svcEvent("3", cellA, 2019, 1, events.StateBased, 10, 8, 12),
		svcEvent("4", cellA, 2018, 1, events.OneSided, 1, 1, 1),
	}, cellA, cellB)
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return &performance.Service{Store: db, Events: db, Deployments: db, Forecasts: db, Alerts: db, Settings: db,
		Cells: cells, Now: func() time.Time { return at }}, db
}

const svcCSV = `objective_id,objective,result_id,result,indicator_id,indicator,params,area,owner,unit,direction,baseline,baseline_period,target_period,target,disaggregations,commitment
poc,Protection of civilians,poc-1,Fewer civilians killed,cd-mli,civilian-deaths,type=3,Mali,JMAC,deaths,lower,40,2017,2019-Q1,30,,
poc,Protection of civilians,poc-1,Fewer civilians killed,cd-mli,civilian-deaths,type=3,Mali,JMAC,deaths,lower,40,2017,2019,1,,
pol,Political process,pol-1,Local agreements,agreements,manual,id=local-agreements,MLI,Civil Affairs,agreements,higher,,,2019-Q1,12,,
`

func TestServiceFrameworkStatus(t *testing.T) {
	ctx := context.Background()
	s, db := newService(t)
	if _, _, err := s.Framework(ctx, "MINUSMA"); !errors.Is(err, performance.ErrNoFramework) {
		t.Fatalf("no framework yet: %v", err)
	}
	f, rev, err := s.ImportFramework(ctx, "alice", "MINUSMA", "csv", strings.NewReader(svcCSV))
	if err != nil || rev != 1 || f.Mission != "MINUSMA" {
		t.Fatal(rev, err)
	}
	q1, _ := performance.ParsePeriod("2019-Q1")
	st, err := s.Status(ctx, "alice", "MINUSMA", q1)
	if err != nil || len(st) != 2 {
		t.Fatal(st, err)
	}
	cd := st[0]
	// 7 one-sided deaths in Q1 (UCDP range 6–11): the whole interval is
	// below the target of 30 → on track; a year target of 1 for 2019 is
	// missed, but only a status for Q1 is asked.
	if cd.ID != "cd-mli" || cd.Value.Number() != 7 || cd.Target == nil || *cd.Target != 30 || cd.Status.Status != performance.OnTrack {
		t.Errorf("cd-mli: %+v", cd)
	}
	// The quarter before (2018-Q4) had no one-sided deaths: the trend test
	// says whether 0 → 7 is more than noise, never a colour from nothing.
	if cd.Trend.Status == "" || cd.Trend.Reason == "" {
		t.Errorf("no trend: %+v", cd.Trend)
	}
	ag := st[1]
	if !ag.Value.NoData || ag.Status.Status != performance.NoDataYet {
		t.Errorf("manual indicator before any value: %+v", ag)
	}
	// A value entered by hand reaches the indicator at once.
	if _, err := s.AddManual(ctx, "carol", performance.ManualValue{Indicator: "local-agreements", Period: "2019-Q1", Area: "Mali", Value: 14, Source: "CA report"}); err != nil {
		t.Fatal(err)
	}
	st, _ = s.Status(ctx, "alice", "MINUSMA", q1)
	if st[1].Value.Number() != 14 || st[1].Status.Status != performance.OnTrack {
		t.Errorf("manual value not used: %+v", st[1])
	}
	if _, err := s.AddManual(ctx, "carol", performance.ManualValue{Indicator: "local-agreements", Period: "2019-13", Area: "Mali", Value: 1, Source: "x"}); !apperr.IsInvalid(err) || !strings.Contains(err.Error(), "period") {
		t.Errorf("bad period: %v", err)
	}
	// The numbers of Value equal the framework's.
	vs, err := s.Value(ctx, "alice", performance.Request{Indicator: "civilian-deaths", Period: q1, Area: mustParse(t, performance.ParseArea, "MLI"), Params: map[string]string{"type": "3"}}, false)
	if err != nil || len(vs) != 1 || vs[0].Number() != cd.Value.Number() || *vs[0].CIHigh != *cd.Value.CIHigh {
		t.Errorf("value %+v vs status %+v (%v)", vs, cd.Value, err)
	}
	// Record stores the values with their provenance.
	if _, err := s.Record(ctx, "alice", "MINUSMA", q1); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Recorded(ctx, performance.ValueFilter{Mission: "MINUSMA", FrameworkID: "cd-mli"})
	if err != nil || len(rs) != 1 || rs[0].Value.Number() != 7 || len(rs[0].Value.Prov.Sources) == 0 || rs[0].Value.Prov.Sources[0].SHA256 == "" {
		t.Errorf("recorded %+v %v", rs, err)
	}
	// Export gives back what was imported.
	var buf bytes.Buffer
	if err := s.ExportFramework(ctx, "MINUSMA", "csv", &buf); err != nil {
		t.Fatal(err)
	}
	again, err := performance.ReadFrameworkCSV(&buf, "export.csv")
	if err != nil || len(again.Objectives) != 2 || again.Objectives[0].Results[0].Indicators[0].Area != "MLI" {
		t.Errorf("export: %v", err)
	}
	_ = db
}

// TestServiceImportWritesNothingOnError: a CSV with one bad row leaves the
// stored framework as it was, and the error names the line and column.
func TestServiceImportWritesNothingOnError(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	if _, _, err := s.ImportFramework(ctx, "alice", "MINUSMA", "csv", strings.NewReader(svcCSV)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, csv, want string }{
		{"unknown indicator", strings.Replace(svcCSV, "pol-1,Local agreements,agreements,manual", "pol-1,Local agreements,agreements,no-such", 1), "framework.csv:4: column indicator"},
		{"percentage for a share", svcCSV + "poc,P,poc-2,R,rc,risk-covered,,ALL,F,share,higher,,,2019,45,,\n", "framework.csv:5: column target"},
		{"bad period", strings.Replace(svcCSV, "2019-Q1,30", "2019-Q5,30", 1), "framework.csv:2: column target_period"},
		{"unknown commitment", strings.Replace(svcCSV, "2019-Q1,12,,", "2019-Q1,12,,c-9", 1), "commitment"},
		{"disaggregation", strings.Replace(svcCSV, "2019-Q1,30,,", "2019-Q1,30,sex,", 1), "framework.csv:2: column disaggregations"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := s.ImportFramework(ctx, "bob", "MINUSMA", "csv", strings.NewReader(c.csv))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to name %q", err, c.want)
			}
			_, rev, err := s.Framework(ctx, "MINUSMA")
			if err != nil || rev != 1 {
				t.Errorf("framework changed by a failed import: revision %d (%v)", rev, err)
			}
		})
	}
	if _, _, err := s.ImportFramework(ctx, "bob", "MINUSMA", "xml", strings.NewReader("")); !apperr.IsInvalid(err) {
		t.Errorf("format: %v", err)
	}
	if _, _, err := s.ImportFramework(ctx, "bob", "a/b", "csv", strings.NewReader(svcCSV)); !apperr.IsInvalid(err) {
		t.Errorf("mission: %v", err)
	}
}

func TestServiceCompacts(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	c := performance.Compact{ID: "cmp", Titled: performance.Titled{Title: "Compact 2019"},
		Parties: []performance.Party{{ID: "gov", Name: "Government of Mali", Kind: "host-government"}, {ID: "mis", Name: "MINUSMA", Kind: "mission"}},
		Commitments: []performance.Commitment{
			{ID: "c-1", Party: "gov", Text: "Deploy police to Mopti", Deadline: "2019-06-30"},
			{ID: "c-2", Party: "mis", Text: "Patrol the Mopti roads", Deadline: "2027-06-30"},
		}}
	if _, rev, err := s.SaveCompact(ctx, "alice", "MINUSMA", c); err != nil || rev != 1 {
		t.Fatal(rev, err)
	}
	// Importing a framework CSV keeps the compacts, and may then name them.
	csv := strings.Replace(svcCSV, "2019-Q1,30,,", "2019-Q1,30,,c-1", 1)
	csv = strings.Replace(csv, "2019,1,,", "2019,1,,c-1", 1)
	if _, _, err := s.ImportFramework(ctx, "alice", "MINUSMA", "csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.Compacts(ctx, "MINUSMA"); err != nil || len(cs) != 1 || len(cs[0].Commitments) != 2 {
		t.Fatalf("compacts after CSV import: %+v %v", cs, err)
	}
	if _, err := s.SetCommitmentStatus(ctx, "bob", "MINUSMA", "c-1", performance.StatusChange{Status: "partly-met", Note: "two of four stations"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetCommitmentStatus(ctx, "bob", "MINUSMA", "c-1", performance.StatusChange{Status: "done"}); !apperr.IsInvalid(err) || !strings.Contains(err.Error(), "status") {
		t.Errorf("bad status: %v", err)
	}
	if _, err := s.SetCommitmentStatus(ctx, "bob", "MINUSMA", "c-9", performance.StatusChange{Status: "met"}); !apperr.IsInvalid(err) {
		t.Errorf("unknown commitment: %v", err)
	}
	owes, err := s.Owes(ctx, "MINUSMA")
	if err != nil || len(owes) != 2 {
		t.Fatal(owes, err)
	}
	gov := owes[0].Commitments[0]
	if owes[0].Party.ID != "gov" || gov.Status != "partly-met" || !gov.Overdue || gov.History[0].By != "bob" || gov.History[0].Date != "2026-12-01" {
		t.Errorf("government owes %+v", owes[0])
	}
	if m := owes[1].Commitments[0]; m.Status != "not-started" || m.Overdue {
		t.Errorf("mission owes %+v", owes[1])
	}
}

// TestServiceCancelledFirstCaller: a request cancelled while the engine
// loads (a browser navigating away) does not leave its cancellation as
// every later request's error.
func TestServiceCancelledFirstCaller(t *testing.T) {
	s, _ := newService(t)
	if _, err := s.Engine(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Areas(ctx) // may fail: its caller is gone
	as, err := s.Areas(context.Background())
	if err != nil || len(as) != 1 || as[0].Code != "MLI" {
		t.Fatalf("areas after a cancelled first caller: %v %v", as, err)
	}
}

// TestServiceCheckWatch: cell A (Mali) loses its site in 2011-01 and
// civilian deaths there rise from 2 to 10 against 3.5 expected from its
// matched cells (the hand-computed case of TestWatchHandComputed): the
// trigger fires; it is recorded once; leadership is alerted only when the
// withdrawal is recent in the data. With a gazetteer (Places), the watch
// and the alerts name the withdrawn cell and its controls by their nearest
// place in English and French, so that pages need not show cell ids.
func TestServiceCheckWatch(t *testing.T) {
	m := grid.MonthOf
	const A, B, C, E = 150000, 150001, 150002, 150010
	site := func(id string, cell int, from, to grid.Month) coverage.Deployment {
		lat, lon, _ := grid.PrioCenter(cell)
		return coverage.Deployment{Source: "t", SourceID: id, Mission: "MINUSMA", Country: "Mali", Location: id, Lat: lat, Lon: lon, Cell: cell, Start: from, End: to,
			Military: 100, Kind: "permanent", Mobility: "vehicle"}
	}
	deps := []coverage.Deployment{site("a", A, m(2010, 1), m(2010, 12)), site("b", B, m(2009, 1), m(2012, 12)), site("c", C, m(2009, 1), m(2012, 12)), site("e", E, m(2014, 1), m(2014, 6))}
	deps[3].Mission = "OTHER"
	es := []events.Event{
		svcEvent("w1", A, 2010, 5, events.OneSided, 2, 2, 2), svcEvent("w2", A, 2011, 3, events.OneSided, 10, 10, 10),
		svcEvent("w3", B, 2010, 6, events.OneSided, 1, 1, 1), svcEvent("w4", B, 2011, 6, events.OneSided, 1, 1, 1),
		svcEvent("w5", C, 2011, 4, events.OneSided, 3, 3, 3),
		svcEvent("w0", E, 2009, 1, events.OneSided, 0, 0, 0), svcEvent("w6", E, 2013, 2, events.OneSided, 0, 0, 0),
	}
	// Anefis 11 km north of A's centre, Bourem at B's: C (0.5° east of B)
	// is named after Bourem too.
	latA, lonA, _ := grid.PrioCenter(A)
	latB, lonB, _ := grid.PrioCenter(B)
	places := &geotext.Index{Shipped: testutil.Gazetteer(t, fmt.Sprintf("name,lat,lon,admin1_name,country,kind,population\n"+
		"Anefis,%.4f,%.4f,Kidal,MLI,town,5000\nBourem,%.4f,%.4f,Gao,MLI,town,27000\n", latA+0.1, lonA, latB, lonB))}
	wantPlace := map[int][2]string{A: {"near Anefis, Kidal (Mali)", "près d’Anefis, Kidal (Mali)"}, B: {"Bourem, Gao (Mali)", "Bourem, Gao (Mali)"},
		C: {"near Bourem, Gao (Mali)", "près de Bourem, Gao (Mali)"}}
	checkPlace := func(what string, cell int, p *geotext.PointLabel) {
		t.Helper()
		if w := wantPlace[cell]; p == nil || p.Label != w[0] || p.LabelFR != w[1] {
			t.Errorf("%s: cell %d named %+v, want %q / %q", what, cell, p, w[0], w[1])
		}
	}
	for _, c := range []struct {
		name          string
		recent, alert int
	}{{"history only", 0, 0}, {"recent", 36, 1}} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			db, cells := storeWith(t, es, A, B, C, E)
			if _, _, err := db.SaveDeployments(ctx, "t", deps); err != nil {
				t.Fatal(err)
			}
			var got []performance.Withdrawal
			s := &performance.Service{Store: db, Events: db, Deployments: db, Cells: cells, RecentMonths: c.recent,
				Watch: performance.WatchConfig{Controls: 2},
				OnTrigger: func(_ context.Context, w performance.Withdrawal, rep *performance.WatchReport) error {
					got = append(got, w)
					return nil
				}}
			rec, alerted, err := s.CheckWatch(ctx, "watch")
			if err != nil || rec != 1 || alerted != c.alert || len(got) != c.alert {
				t.Fatalf("first check: recorded %d, alerted %d (%v), want 1, %d", rec, alerted, err, c.alert)
			}
			if c.alert > 0 && (got[0].Cell != A || got[0].Month != "2011-01" || got[0].Expected != 3.5 || len(got[0].Controls) != 2) {
				t.Errorf("alerted with %+v", got[0])
			}
			if rec, alerted, err := s.CheckWatch(ctx, "watch"); err != nil || rec != 0 || alerted != 0 {
				t.Errorf("second check: recorded %d, alerted %d (%v): a trigger is announced once", rec, alerted, err)
			}
			// The page's notice to leadership lists what was alerted, with
			// its evidence; a trigger long past is recorded, not announced.
			lead, err := s.LeadershipAlerts(ctx)
			if err != nil || len(lead) != c.alert {
				t.Fatalf("leadership alerts: %+v %v, want %d", lead, err, c.alert)
			}
			if c.alert > 0 && (lead[0].Cell != A || lead[0].Expected != 3.5 || len(lead[0].Controls) != 2 || !lead[0].Alerted || lead[0].After != got[0].After) {
				t.Errorf("leadership alert %+v, webhook had %+v", lead[0], got[0])
			}
			// …said in plain words for leadership, its figures for analysts apart.
			for _, w := range lead {
				if want := performance.AlertWords(w.Withdrawal, performance.WatchConfig{Measure: "deaths", After: 12}); w.Words == nil || !reflect.DeepEqual(*w.Words, want) ||
					w.Figures == nil || !reflect.DeepEqual(*w.Figures, performance.AlertFigures(w.Withdrawal)) {
					t.Errorf("leadership alert's words %+v and figures %+v, want %+v", w.Words, w.Figures, want)
				}
			}
			for _, w := range lead {
				if w.Place != nil {
					t.Errorf("without a gazetteer, cell %d named %+v", w.Cell, w.Place)
				}
			}
			// A service with the gazetteer (as vigil serve's): the alerts,
			// stored without names, and the watch name their cells.
			s = &performance.Service{Store: db, Events: db, Deployments: db, Cells: cells, Watch: s.Watch, Places: places}
			if lead, err = s.LeadershipAlerts(ctx); err != nil || len(lead) != c.alert {
				t.Fatalf("leadership alerts with places: %+v %v", lead, err)
			}
			for _, w := range lead {
				checkPlace("alert", w.Cell, w.Place)
				for _, k := range w.Controls {
					checkPlace("alert control", k.Cell, k.Place)
				}
			}
			rep, err := s.WatchReport(ctx)
			if err != nil {
				t.Fatal(err)
			}
			named := 0
			for _, w := range rep.Withdrawals {
				if _, ok := wantPlace[w.Cell]; ok {
					checkPlace("watch", w.Cell, w.Place)
					named++
				}
				for _, k := range w.Controls {
					checkPlace("watch control", k.Cell, k.Place)
				}
			}
			if named == 0 {
				t.Errorf("the watch named no withdrawal: %+v", rep.Withdrawals)
			}
		})
	}
}

// TestServiceFollowsDataChanges: with the store's PerformanceVersion, a
// new content item (cached by the engine, like events and deployments), a
// community alert and a forecast run each show in the next answer, although
// the cached engine is minutes from its maximum age.
func TestServiceFollowsDataChanges(t *testing.T) {
	ctx := context.Background()
	s, db := newService(t)
	s.Integrity, s.Version = db, db.PerformanceVersion
	keys, err := crypt.New(map[string][]byte{"k1": []byte("0123456789abcdef0123456789abcdef")}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	month, err := performance.ParsePeriod(now.Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	value := func(ind string) performance.Value {
		t.Helper()
		vs, err := s.Value(ctx, "test", performance.Request{Indicator: ind, Period: month, Area: performance.AllAreas}, false)
		if err != nil || len(vs) != 1 {
			t.Fatalf("%s: %+v %v", ind, vs, err)
		}
		return vs[0]
	}
	before := value("harmful-speech-share")
	if !before.NoData {
		t.Fatalf("no items yet: %+v", before)
	}
	integ := integrity.NewService(db, keys)
	if _, err := integ.AddOne(ctx, "test", integrity.Item{Source: "radio", SourceID: "r1", Text: "Les casques bleus distribuent de l'eau au marché", Time: now}); err != nil {
		t.Fatal(err)
	}
	if v := value("harmful-speech-share"); v.NoData || v.N != 1 {
		t.Errorf("after one item: %+v, want a value over 1 item", v)
	}

	if v := value("alert-sla-share"); !v.NoData || v.N != 0 {
		t.Fatalf("no incident yet: %+v", v)
	}
	al := alerts.NewService(db, keys)
	ch, err := al.NewChannel(ctx, "test", alerts.Web, "web form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := al.Receive(ctx, ch, alerts.Inbound{Message: "Hommes armés au village"}); err != nil {
		t.Fatal(err)
	}
	if v := value("alert-triage-minutes"); len(v.Prov.Sources) != 1 || v.Prov.Sources[0].Rows != 1 || v.ReasonMsg == nil || v.ReasonMsg.Code != "value.no-stage" {
		t.Errorf("after one alert: %+v, want the incident read (not triaged yet)", v)
	}

	skill := func() string {
		vs, err := s.Value(ctx, "test", performance.Request{Indicator: "forecast-skill", Period: mustParse(t, performance.ParsePeriod, "2019"), Area: performance.AllAreas}, false)
		if err != nil || len(vs) != 1 {
			t.Fatalf("forecast-skill: %+v %v", vs, err)
		}
		if vs[0].ReasonMsg == nil {
			return ""
		}
		return vs[0].ReasonMsg.Code
	}
	if c := skill(); c != "value.no-forecast-run" {
		t.Fatalf("no forecast run yet: %q", c)
	}
	if _, err := db.SaveForecast(ctx, "test", forecast.Run{Target: "osv", Grid: "priogrid", CellSize: 0.5, Origin: grid.MonthOf(2019, 6), Model: "test"}, nil); err != nil {
		t.Fatal(err)
	}
	if c := skill(); c == "value.no-forecast-run" {
		t.Errorf("the stored forecast run is not seen: %q", c)
	}
}

// TestRecordedValuesBySexByRole (review9 F3): recorded alert values by
// reporter sex are blanked for a viewer when read back (an analyst recorded
// them); by category, and survey values by respondent sex, are not.
func TestRecordedValuesBySexByRole(t *testing.T) {
	ctx := context.Background()
	s, db := newService(t)
	x := 3.5
	vs := []performance.Value{
		{Indicator: "alert-triage-minutes", Period: "2019-03", Area: "ALL", Disaggregation: map[string]string{"sex": "female"}, Unit: "minutes", Value: &x, N: 6},
		{Indicator: "alert-triage-minutes", Period: "2019-03", Area: "ALL", Disaggregation: map[string]string{"category": "abduction"}, Unit: "minutes", Value: &x, N: 6},
		{Indicator: "perception", Period: "2019-03", Area: "ALL", Disaggregation: map[string]string{"sex": "female"}, Unit: "share", Value: &x, N: 40},
	}
	if err := db.RecordValues(ctx, "ana", "MINUSMA", []string{"a", "b", "c"}, vs); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		role  auth.Role
		shown int
	}{{auth.Viewer, 2}, {auth.Responder, 3}, {auth.Admin, 3}} {
		rs, err := s.RecordedFor(auth.WithUser(ctx, &auth.User{Name: "u", Role: c.role}), url.Values{"mission": {"MINUSMA"}})
		if err != nil || len(rs) != 3 {
			t.Fatalf("%s: %+v %v", c.role, rs, err)
		}
		shown := 0
		for _, r := range rs {
			v := r.Value
			if v.Value != nil {
				shown++
				continue
			}
			if v.Indicator != "alert-triage-minutes" || v.Disaggregation["sex"] != "female" || v.ReasonMsg == nil || v.ReasonMsg.Code != "value.reporter-sex-role" || v.N != 0 {
				t.Errorf("%s: withheld %+v", c.role, v)
			}
		}
		if shown != c.shown {
			t.Errorf("%s: %d values shown, want %d", c.role, shown, c.shown)
		}
	}
}
