package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
)

// perfFramework is a framework with every part the store keeps: two
// objectives, params, a baseline, targets, disaggregations, a manual
// indicator and a compact whose commitment an indicator serves; French
// titles on an objective, a result and the compact, none on the others;
// French owners (owner_fr) on two indicators, a party's French name, a
// commitment's French text and a review's French summary, none on the
// others.
const perfFramework = `{
  "mission": "MONUSCO",
  "objectives": [
    {"id": "poc", "title": "Protection of civilians", "title_fr": "Protection des civils", "results": [
      {"id": "poc-1", "title": "Fewer civilians killed", "title_fr": "Moins de civils tués", "indicators": [
        {"id": "cd-cod", "indicator": "civilian-deaths", "params": {"type": "3"}, "area": "COD", "owner": "JMAC", "unit": "deaths",
         "direction": "lower", "baseline": 1200, "baseline_period": "2017", "targets": [{"period": "2018", "value": 900}, {"period": "2019", "value": 700}],
         "disaggregations": ["perpetrator"], "commitment": "c-1"}]},
      {"id": "poc-2", "title": "Risk within reach", "indicators": [
        {"id": "rc-all", "indicator": "risk-covered", "area": "ALL", "owner": "Force HQ", "owner_fr": "QG de la Force", "unit": "share", "direction": "higher", "targets": []}]}]},
    {"id": "pol", "title": "Political process", "results": [
      {"id": "pol-1", "title": "Local agreements", "indicators": [
        {"id": "agreements", "indicator": "manual", "params": {"id": "local-agreements"}, "area": "CAF", "owner": "Civil Affairs", "owner_fr": "Affaires civiles", "unit": "agreements",
         "direction": "higher", "targets": [{"period": "2019-Q3", "value": 12}]}]}]}],
  "compacts": [
    {"id": "cmp", "title": "Compact 2019", "title_fr": "Pacte 2019", "parties": [{"id": "gov", "name": "Government", "name_fr": "Gouvernement", "kind": "host-government"}, {"id": "mis", "name": "MONUSCO", "kind": "mission"}],
     "commitments": [{"id": "c-1", "party": "gov", "text": "Deploy police to Beni", "text_fr": "Déployer la police à Beni", "deadline": "2019-12-31", "indicators": ["cd-cod"],
       "evidence": ["https://example.org/report"], "history": [{"date": "2019-03-01", "status": "in-progress", "by": "alice"}]},
       {"id": "c-2", "party": "mis", "text": "Patrol the Beni road", "deadline": "2019-12-31"}],
     "reviews": [{"year": 2018, "date": "2018-12-14", "summary": "First review"},
       {"year": 2019, "date": "2019-12-15", "summary": "Partly met", "summary_fr": "Partiellement tenu"}]}]
}`

func testPerformance(t *testing.T, ctx context.Context, db *storage.DB) {
	read := func() *performance.Framework {
		f, err := performance.ReadFrameworkJSON(strings.NewReader(perfFramework), "fw.json")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}

	t.Run("framework round trip", func(t *testing.T) {
		if _, _, err := db.Framework(ctx, "MONUSCO"); !errors.Is(err, performance.ErrNoFramework) {
			t.Fatalf("missing framework: %v", err)
		}
		f := read()
		rev, err := db.SaveFramework(ctx, "alice", f, 0)
		if err != nil || rev != 1 {
			t.Fatal(rev, err)
		}
		got, rev, err := db.Framework(ctx, "MONUSCO")
		if err != nil || rev != 1 {
			t.Fatal(rev, err)
		}
		// Empty lists read back as empty, not nil: normalise the original.
		want := read()
		for oi := range want.Objectives {
			for ri := range want.Objectives[oi].Results {
				for ii := range want.Objectives[oi].Results[ri].Indicators {
					fi := &want.Objectives[oi].Results[ri].Indicators[ii]
					if fi.Targets == nil {
						fi.Targets = []performance.Target{}
					}
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read back differs:\n got %+v\nwant %+v", got, want)
		}
		// The French texts, each beside its English one (or empty where the framework gives none).
		inds := got.Objectives[0].Results
		c := got.Compacts[0]
		for _, x := range []struct{ what, got, want string }{
			{"owner_fr of cd-cod", inds[0].Indicators[0].OwnerFR, ""},
			{"owner_fr of rc-all", inds[1].Indicators[0].OwnerFR, "QG de la Force"},
			{"owner_fr of agreements", got.Objectives[1].Results[0].Indicators[0].OwnerFR, "Affaires civiles"},
			{"party gov name_fr", c.Parties[0].NameFR, "Gouvernement"},
			{"party mis name_fr", c.Parties[1].NameFR, ""},
			{"commitment c-1 text_fr", c.Commitments[0].TextFR, "Déployer la police à Beni"},
			{"commitment c-2 text_fr", c.Commitments[1].TextFR, ""},
			{"review 2018 summary_fr", c.Reviews[0].SummaryFR, ""},
			{"review 2019 summary_fr", c.Reviews[1].SummaryFR, "Partiellement tenu"},
		} {
			if x.got != x.want {
				t.Errorf("stored %s: %q, want %q", x.what, x.got, x.want)
			}
		}
		if err := got.Validate("stored"); err != nil {
			t.Errorf("stored framework does not validate: %v", err)
		}
		infos, err := db.Frameworks(ctx)
		if err != nil || len(infos) != 1 || infos[0].Mission != "MONUSCO" || infos[0].Indicators != 3 || infos[0].Objectives != 2 || infos[0].Compacts != 1 || infos[0].UpdatedBy != "alice" {
			t.Errorf("frameworks %+v %v", infos, err)
		}
	})

	t.Run("save replaces, revision guards", func(t *testing.T) {
		f := read()
		f.Objectives = f.Objectives[:1]
		f.Objectives[0].Results[0].Indicators[0].Targets = f.Objectives[0].Results[0].Indicators[0].Targets[:1]
		if _, err := db.SaveFramework(ctx, "bob", f, 0); !errors.Is(err, performance.ErrConflict) {
			t.Fatalf("stale revision saved: %v", err)
		}
		rev, err := db.SaveFramework(ctx, "bob", f, 1)
		if err != nil || rev != 2 {
			t.Fatal(rev, err)
		}
		got, _, err := db.Framework(ctx, "MONUSCO")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Objectives) != 1 || len(got.Objectives[0].Results[0].Indicators[0].Targets) != 1 {
			t.Errorf("old rows kept: %+v", got)
		}
		// A failed save (a repeated indicator id breaks the key) writes nothing.
		bad := read()
		bad.Objectives[1].Results[0].Indicators[0].ID = "cd-cod"
		if _, err := db.SaveFramework(ctx, "bob", bad, -1); err == nil {
			t.Fatal("repeated indicator id saved")
		}
		got2, rev2, _ := db.Framework(ctx, "MONUSCO")
		if rev2 != 2 || !reflect.DeepEqual(got, got2) {
			t.Errorf("failed save changed the framework: rev %d", rev2)
		}
		if n := len(auditActions(t, db, "performance.framework.save")); n != 2 {
			t.Errorf("%d save audit records, want 2", n)
		}
	})

	t.Run("delete", func(t *testing.T) {
		f := read()
		f.Mission = "MINUSCA"
		if _, err := db.SaveFramework(ctx, "alice", f, -1); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteFramework(ctx, "alice", "MINUSCA"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Framework(ctx, "MINUSCA"); !errors.Is(err, performance.ErrNoFramework) {
			t.Errorf("deleted framework still there: %v", err)
		}
		if err := db.DeleteFramework(ctx, "alice", "MINUSCA"); !errors.Is(err, performance.ErrNoFramework) {
			t.Errorf("second delete: %v", err)
		}
		// The other mission's framework is untouched.
		if got, _, err := db.Framework(ctx, "MONUSCO"); err != nil || len(got.Objectives) != 1 {
			t.Errorf("MONUSCO after deleting MINUSCA: %v", err)
		}
		if n := len(auditActions(t, db, "performance.framework.delete")); n != 1 {
			t.Errorf("%d delete audit records, want 1", n)
		}
	})

	t.Run("recorded values keep provenance", func(t *testing.T) {
		v, lo, hi := 12.0, 10.0, 15.5
		at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
		vs := []performance.Value{
			{Indicator: "civilian-deaths", Params: map[string]string{"type": "3"}, Period: "2019", Area: "COD", AreaName: "Democratic Republic of the Congo", Unit: "deaths",
				Value: &v, Low: &lo, High: &hi, CILow: &lo, CIHigh: nil, Uncertainty: performance.Count, N: 4,
				Coverage: performance.Coverage{DataFrom: "1989-01", DataTo: "2023-12", Months: 12, PeriodMonths: 12},
				Prov:     performance.Provenance{Sources: []performance.Source{{Name: "events", Rows: 10, SHA256: "ab", Span: "1989-01..2023-12"}}, Method: "sum", Engine: performance.EngineVersion, ComputedAt: at}},
			{Indicator: "perception", Period: "2019-07", Area: "ALL", NoData: true, Reason: "no answers", Unit: "share", Prov: performance.Provenance{Engine: performance.EngineVersion, ComputedAt: at}},
		}
		if err := db.RecordValues(ctx, "alice", "MONUSCO", []string{"cd-cod", ""}, vs); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordValues(ctx, "alice", "MONUSCO", []string{"x"}, vs); err == nil {
			t.Error("mismatched ids accepted")
		}
		got, err := db.RecordedValues(ctx, performance.ValueFilter{Mission: "MONUSCO"})
		if err != nil || len(got) != 2 {
			t.Fatal(len(got), err)
		}
		if got[0].Value.Indicator != "perception" || got[1].FrameworkID != "cd-cod" || got[1].RecordedBy != "alice" {
			t.Errorf("order or fields: %+v", got)
		}
		if !reflect.DeepEqual(got[1].Value, vs[0]) || !reflect.DeepEqual(got[0].Value, vs[1]) {
			t.Errorf("values differ:\n got %+v\nwant %+v", got[1].Value, vs[0])
		}
		one, err := db.RecordedValues(ctx, performance.ValueFilter{Indicator: "civilian-deaths", Period: "2019", Area: "COD"})
		if err != nil || len(one) != 1 || *one[0].Value.Value != 12 {
			t.Errorf("filtered %+v %v", one, err)
		}
		if n := len(auditActions(t, db, "performance.values.record")); n != 1 {
			t.Errorf("%d record audit records, want 1", n)
		}
	})

	t.Run("watch triggers recorded once", func(t *testing.T) {
		ws := []performance.Withdrawal{
			{Cell: 150000, Area: "MLI", Mission: "MINUSMA", Location: "Kidal", Month: "2011-01", Status: performance.WEvaluated, Before: 2, After: 10, Expected: 3.5, P: 0.0033, Fired: true},
			{Cell: 150001, Area: "MLI", Mission: "MINUSMA", Location: "Gao", Month: "2012-03", Status: performance.WEvaluated, After: 4, Expected: 0.5, P: 0.01, Fired: true},
		}
		news, err := db.RecordTriggers(ctx, "watch", ws, func(w performance.Withdrawal) bool { return w.Month > "2012" })
		if err != nil || len(news) != 2 {
			t.Fatal(news, err)
		}
		news, err = db.RecordTriggers(ctx, "watch", append(ws, performance.Withdrawal{Cell: 150002, Month: "2013-01", Fired: true}), nil)
		if err != nil || len(news) != 1 || news[0].Cell != 150002 {
			t.Errorf("second record: %+v %v", news, err)
		}
		recs, err := db.AuditLog(ctx, audit.Filter{Action: "performance.watch.trigger"})
		if err != nil || len(recs) != 3 {
			t.Fatalf("%d trigger audit records (%v), want 3", len(recs), err)
		}
		alerted := 0
		for _, r := range recs {
			if strings.HasSuffix(r.Detail, "leadership alerted: true") {
				alerted++
			}
		}
		if alerted != 1 {
			t.Errorf("%d audit records say leadership was alerted, want 1", alerted)
		}
		// Read back with their evidence: newest withdrawal first; alerted only.
		all, err := db.Triggers(ctx, false, 0)
		if err != nil || len(all) != 3 || all[0].Cell != 150002 || all[2].Location != "Kidal" || all[2].Expected != 3.5 || all[2].Alerted || all[1].FirstSeen.IsZero() {
			t.Errorf("triggers: %+v %v", all, err)
		}
		lead, err := db.Triggers(ctx, true, 10)
		if err != nil || len(lead) != 1 || lead[0].Location != "Gao" || !lead[0].Alerted || lead[0].P != 0.01 || lead[0].AckedAt != nil {
			t.Errorf("alerted triggers: %+v %v", lead, err)
		}

		// Leadership acknowledges the alert: who, when and the note are
		// kept and audited, once; an alert leadership was not sent (Kidal)
		// or that does not exist cannot be acknowledged.
		at := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			cell  int
			month string
		}{{150000, "2011-01"}, {150001, "2011-01"}, {999, "2012-03"}} {
			if _, err := db.AcknowledgeTrigger(ctx, "lead", c.cell, c.month, "x", at); !errors.Is(err, performance.ErrNoTrigger) {
				t.Errorf("acknowledge %d %s: %v, want ErrNoTrigger", c.cell, c.month, err)
			}
		}
		tr, err := db.AcknowledgeTrigger(ctx, "lead", 150001, "2012-03", "Patrols back in Gao from next week", at)
		if err != nil || tr.AckedBy != "lead" || tr.AckedAt == nil || !tr.AckedAt.Equal(at) || tr.AckNote != "Patrols back in Gao from next week" || tr.Location != "Gao" {
			t.Fatalf("acknowledge: %+v %v", tr, err)
		}
		if _, err := db.AcknowledgeTrigger(ctx, "other", 150001, "2012-03", "again", at.Add(time.Hour)); !errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), "lead at 2026-12-05T03:00:00Z") {
			t.Errorf("acknowledging twice: %v, want a conflict naming who and when", err)
		}
		lead, err = db.Triggers(ctx, true, 10)
		if err != nil || len(lead) != 1 || lead[0].AckedBy != "lead" || lead[0].AckedAt == nil || !lead[0].AckedAt.Equal(at) || lead[0].AckNote != "Patrols back in Gao from next week" {
			t.Errorf("acknowledged alert read back: %+v %v", lead, err)
		}
		recs, err = db.AuditLog(ctx, audit.Filter{Action: "performance.watch.acknowledge"})
		if err != nil || len(recs) != 1 || recs[0].Actor != "lead" || recs[0].Object != "cell:150001:2012-03" || !strings.Contains(recs[0].Detail, "Patrols back") {
			t.Errorf("acknowledgement audit: %+v %v", recs, err)
		}
	})

	t.Run("options", func(t *testing.T) {
		id1, err := db.AddOption(ctx, "alice", performance.Option{Mission: "MONUSCO", Gap: "Ituri", Area: "COD", ScenarioID: 7, Note: "A"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddOption(ctx, "alice", performance.Option{Mission: "MONUSCO", Gap: "Beni", ScenarioID: 8}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddOption(ctx, "alice", performance.Option{Mission: "MINUSCA", Gap: "Ouaka", ScenarioID: 9}); err != nil {
			t.Fatal(err)
		}
		os, err := db.Options(ctx, "MONUSCO")
		if err != nil || len(os) != 2 || os[0].Gap != "Beni" || os[1].ID != id1 || os[1].Area != "COD" || os[1].Note != "A" || os[1].CreatedBy != "alice" || os[1].CreatedAt.IsZero() {
			t.Fatalf("options %+v %v", os, err)
		}
		if err := db.DeleteOption(ctx, "alice", "MINUSCA", id1); !errors.Is(err, performance.ErrNoOption) {
			t.Errorf("deleting another mission's option: %v", err)
		}
		if err := db.DeleteOption(ctx, "alice", "MONUSCO", id1); err != nil {
			t.Fatal(err)
		}
		if os, _ := db.Options(ctx, "MONUSCO"); len(os) != 1 {
			t.Errorf("%d options left", len(os))
		}
		if n := len(auditActions(t, db, "performance.option.add")); n != 3 {
			t.Errorf("%d option audit records", n)
		}
	})

	t.Run("manual values", func(t *testing.T) {
		lo := 9.0
		m := performance.ManualValue{Indicator: "local-agreements", Period: "2019-Q3", Area: "CAF", Value: 11, Low: &lo, Unit: "agreements", Source: "Civil Affairs report", Evidence: "https://example.org/ca"}
		id, err := db.AddManualValue(ctx, "carol", m)
		if err != nil || id == 0 {
			t.Fatal(id, err)
		}
		ms, err := db.ManualValues(ctx)
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
		g := ms[0]
		if g.Indicator != m.Indicator || g.Value != 11 || g.Low == nil || *g.Low != 9 || g.High != nil || g.EnteredBy != "carol" || g.EnteredAt == "" || g.Source != m.Source {
			t.Errorf("manual %+v", g)
		}
		if err := g.Validate(); err != nil {
			t.Errorf("stored manual value does not validate: %v", err)
		}
		if n := len(auditActions(t, db, "performance.manual.add")); n != 1 {
			t.Errorf("%d manual audit records", n)
		}
	})
}

// testPerformanceIntegrity: the information-integrity indicators' two
// reads. ContentItems gives each item's source, id, kind, language, posted
// time and score (the same as Items, without the rest); RatedChecks gives
// only the rated checks, with their publication time and the time of the
// first log entry (in log order, not the earliest time) moving the check
// to 'responded'.
func testPerformanceIntegrity(t *testing.T, ctx context.Context, db *storage.DB) {
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	if its, err := db.ContentItems(ctx); err != nil || len(its) != 0 {
		t.Fatalf("empty store: %+v %v", its, err)
	}
	var narrs []integrity.Narrative
	for id := int64(1); id <= 3; id++ {
		narrs = append(narrs, integrity.Narrative{ID: id, Name: "n", Status: integrity.StatusNew, Created: at(1, 0)})
	}
	items := []*integrity.Item{
		{Source: "radio", SourceID: "a", Kind: "broadcast", Lang: "fr", Text: "un", Time: at(2, 9), Score: 0.55, Narrative: 1,
			Matches: []integrity.LexMatch{{Term: "x", Group: "g"}}},
		{Source: "facebook", SourceID: "b", Kind: "post", Lang: "en", Text: "two", Time: at(3, 10), Score: 0.125, Narrative: 2},
		{Source: "tipline", SourceID: "c", Kind: "message", Lang: "", Text: "trois", Time: at(4, 11), Score: 0.9, Narrative: 3},
	}
	if err := db.SaveItems(ctx, "test", "integrity.import", "", narrs, items); err != nil {
		t.Fatal(err)
	}
	got, err := db.ContentItems(ctx)
	whole, werr := db.Items(ctx, integrity.ItemFilter{Limit: 10})
	if werr != nil || len(whole) != len(items) {
		t.Fatalf("items %d %v", len(whole), werr)
	}
	var want []performance.ContentItem
	for i := range whole {
		it := whole[len(whole)-1-i] // Items is newest first
		want = append(want, performance.ContentItem{Source: it.Source, SourceID: it.SourceID, Kind: it.Kind, Lang: it.Lang, Time: it.Time, Score: it.Score})
	}
	if want[0].Source != "radio" || want[2].Score != 0.9 || !want[1].Time.Equal(at(3, 10)) {
		t.Fatalf("items read back %+v", want)
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("content items\n got %+v %v\nwant %+v", got, err, want)
	}

	// 1: rated, published, responded twice (the second entry dated
	// earlier); 2: rated, not published, not responded; 3: not rated.
	pub := at(5, 6)
	step := func(n int64, prev string, c integrity.Check, e integrity.CheckEntry) {
		t.Helper()
		c.Narrative, c.Updated = n, e.At
		e.Kind = integrity.LogState
		e.From, e.To = prev, c.State
		if err := db.SaveCheck(ctx, "ana", prev, &c, e); err != nil {
			t.Fatal(err)
		}
	}
	step(1, "", integrity.Check{State: integrity.CheckVerifying}, integrity.CheckEntry{At: at(5, 0)})
	step(1, integrity.CheckVerifying, integrity.Check{State: integrity.CheckResponded, Rating: "false", PublishedAt: &pub}, integrity.CheckEntry{At: at(6, 0)})
	step(1, integrity.CheckResponded, integrity.Check{State: integrity.CheckVerifying, Rating: "false", PublishedAt: &pub}, integrity.CheckEntry{At: at(6, 1)})
	step(1, integrity.CheckVerifying, integrity.Check{State: integrity.CheckResponded, Rating: "false", PublishedAt: &pub}, integrity.CheckEntry{At: at(5, 1)})
	step(2, "", integrity.Check{State: integrity.CheckVerifying, Rating: "misleading"}, integrity.CheckEntry{At: at(7, 0)})
	step(3, "", integrity.Check{State: integrity.CheckVerifying}, integrity.CheckEntry{At: at(8, 0)})
	rsp := at(6, 0)
	cs, err := db.RatedChecks(ctx)
	wantC := []performance.RatedCheck{{Narrative: 1, Rating: "false", PublishedAt: &pub, RespondedAt: &rsp}, {Narrative: 2, Rating: "misleading"}}
	if err != nil || !reflect.DeepEqual(cs, wantC) {
		t.Errorf("rated checks\n got %+v %v\nwant %+v", cs, err, wantC)
	}
}
