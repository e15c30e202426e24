package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage"
)

// addNarrative adds one item of text (its own narrative) and returns the
// narrative's id.
func addNarrative(t *testing.T, ctx context.Context, s *integrity.Service, key, text string, its ...*integrity.Item) int64 {
	t.Helper()
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	if len(its) == 0 {
		its = []*integrity.Item{{Source: "facebook", SourceID: key, Via: integrity.ViaImport, Kind: "post", Text: text, Time: at, Lang: "fr"}}
	}
	for _, it := range its {
		if err := s.Validate(it); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Add(ctx, "test", "integrity.import", "", its); err != nil {
		t.Fatal(err)
	}
	return its[0].Narrative
}

// testIntegrityCheckQueueSenders: the queue counts a narrative's tipline
// messages and, apart, the people who sent them: one sender who sent the
// rumour three times is one; a message whose sender cannot be told apart
// (no sender key: a web form, or kept before keys were stored) counts one
// each, and is counted as such.
func testIntegrityCheckQueueSenders(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	text := "Le pont de Rutshuru sera détruit ce soir par les rebelles"
	var its []*integrity.Item
	for i, key := range []string{"mac-a", "mac-a", "mac-a", "mac-b", "", ""} {
		its = append(its, &integrity.Item{Source: "tipline: phone", SourceID: "alert:" + strconv.Itoa(100+i), Via: integrity.ViaTipline,
			Kind: "message", Text: text, Time: at, Lang: "fr", SenderKey: key})
	}
	its = append(its, &integrity.Item{Source: "facebook", SourceID: "s1", Via: integrity.ViaImport, Kind: "post", Text: text, Time: at, Lang: "fr"})
	n := addNarrative(t, ctx, s, "", "", its...)
	for _, it := range its {
		if it.Narrative != n {
			t.Fatalf("item %s in narrative %d, want %d", it.SourceID, it.Narrative, n)
		}
	}
	if _, err := s.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("verifying")}); err != nil {
		t.Fatal(err)
	}
	got, err := db.CheckQueue(ctx, "", 50)
	if err != nil || len(got) != 1 {
		t.Fatalf("queue %+v %v", got, err)
	}
	if q := got[0]; q.Items != 7 || q.Tipline != 6 || q.Senders != 4 || q.Unkeyed != 2 {
		t.Errorf("items %d, tipline messages %d, senders %d, of them unkeyed %d; want 7, 6, 4 (a, b and two unknown), 2",
			q.Items, q.Tipline, q.Senders, q.Unkeyed)
	}
}

// testIntegrityCheckSendersAgree: the check page and the queue count a
// rumour's senders alike, by the sender keys kept at intake, opening no
// number: through real intake, one number's two SMS are one person and
// a webhook's sender another; a web form's typed number (twice the same)
// and a message kept before keys were stored (from the first SMS's
// number) cannot be told apart and count one each. The replier, which
// can open the numbers, is set: it answers the senders, it does not
// count them.
func testIntegrityCheckSendersAgree(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	as.Now = func() time.Time { return time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC) }
	integ := integrityService(t, db)
	cs := contacts.NewService(db, as.Keys)
	as.RecipientMAC = cs.RecipientMAC
	integ.Replier = contacts.TiplineReplier{Alerts: as, Contacts: cs}
	keyless := false // filed as before migration 0065: no sender key
	as.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		key := a.SenderMAC
		if keyless {
			key = ""
		}
		_, err := integ.FromTiplineSender(ctx, c.Name, a.ID, key, a.Message, a.ReceivedAt)
		return err
	}
	channel := func(kind alerts.Kind, name string) alerts.Channel {
		c, err := as.NewChannel(ctx, "admin", kind, name, "secret-"+string(kind), "", alerts.AsTipline)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	sms, hook, web := channel(alerts.SMSSync, "Bunia tipline"), channel(alerts.Webhook, "WhatsApp tipline"), channel(alerts.Web, "Web form")
	rumour := "On dit que le pont de Rutshuru sera détruit ce soir, ne passez pas par là"
	for i, m := range []struct {
		c       alerts.Channel
		from    string
		keyless bool
	}{
		{sms, "+243811000001", false},
		{sms, "+243811000001", false},
		{hook, "+243811000002", false},
		{web, "+243811000003", false},
		{web, "+243811000003", false},
		{sms, "+243811000001", true},
	} {
		keyless = m.keyless
		if _, err := as.Receive(ctx, m.c, alerts.Inbound{From: m.from, Message: strings.Repeat("RT ", i) + rumour, GatewayID: fmt.Sprint("g", i)}); err != nil {
			t.Fatal(err)
		}
	}
	its, err := integ.Items(ctx, integrity.ItemFilter{Query: "pont de rutshuru"})
	if err != nil || len(its) != 6 {
		t.Fatalf("%d tipline items (%v), want 6", len(its), err)
	}
	n := its[0].Narrative
	for _, it := range its {
		if it.Narrative != n {
			t.Fatalf("item %s in narrative %d, want %d", it.SourceID, it.Narrative, n)
		}
	}
	if _, err := integ.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("verifying")}); err != nil {
		t.Fatal(err)
	}
	q, err := db.CheckQueue(ctx, "", 50)
	if err != nil || len(q) != 1 {
		t.Fatalf("queue %+v %v", q, err)
	}
	c, err := integ.GetCheck(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	// SMS sender, webhook sender, two web-form messages, one keyless.
	if q[0].Senders != 5 || q[0].Unkeyed != 3 {
		t.Errorf("queue: %d senders, %d unkeyed; want 5, 3", q[0].Senders, q[0].Unkeyed)
	}
	if c.Senders != q[0].Senders || c.Unkeyed != q[0].Unkeyed {
		t.Errorf("check page: %d senders, %d unkeyed; the queue: %d, %d", c.Senders, c.Unkeyed, q[0].Senders, q[0].Unkeyed)
	}
}

// testIntegrityCheckMerge: merging narratives carries their checks. A
// check in progress on the narrative merged away moves to the surviving
// narrative when that one has none (its log with it, and a line saying
// so); when the survivor has its own check, the merged one is closed with
// the reason logged and audited, and listed among the closed ones under
// the survivor's name. A closed check stays where it was. Either way the
// queue of checks in progress never lists a merged-away narrative.
func testIntegrityCheckMerge(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	a := addNarrative(t, ctx, s, "m1", "Le pont de Rutshuru sera détruit ce soir par les rebelles")
	b := addNarrative(t, ctx, s, "m2", "Water from the Kiwanja borehole has been poisoned by the soldiers")
	c := addNarrative(t, ctx, s, "m3", "Les résultats des élections à Goma ont été truqués par la commission")
	d := addNarrative(t, ctx, s, "m4", "Vaccination teams in Beni are spreading the Ebola virus on purpose")
	e := addNarrative(t, ctx, s, "m5", "La route de Kanyabayonga est minée depuis hier soir, évitez-la")
	f := addNarrative(t, ctx, s, "m6", "Refugees from Masisi will be moved by force to the camp next week")
	for _, x := range []struct {
		id   int64
		name string
	}{{b, "Kiwanja borehole"}, {d, "Beni vaccination"}, {f, "Masisi camp"}} {
		if err := s.RenameNarrative(ctx, "test", x.id, x.name); err != nil {
			t.Fatal(err)
		}
	}
	up := func(n int64, us ...integrity.CheckUpdate) {
		t.Helper()
		for _, u := range us {
			if _, err := s.UpdateCheck(ctx, "ana", n, u); err != nil {
				t.Fatalf("narrative %d %+v: %v", n, u, err)
			}
		}
	}
	// a (verifying, assigned) into b (no check): the check moves to b.
	up(a, integrity.CheckUpdate{State: sp("verifying")}, integrity.CheckUpdate{Assignee: sp("ana")})
	// c (monitoring) into d (verifying): c's check is closed.
	up(c, integrity.CheckUpdate{State: sp("monitoring")})
	up(d, integrity.CheckUpdate{State: sp("verifying")})
	// e (closed) into f (no check): it stays closed on e.
	up(e, integrity.CheckUpdate{State: sp("closed")})
	// The merge says what became of the merged narrative's check, and
	// where it is now.
	for _, m := range []struct {
		into, from int64
		want       integrity.MergedCheck
	}{
		{b, a, integrity.MergedCheck{Outcome: integrity.MergeCheckMoved, Narrative: b}},
		{d, c, integrity.MergedCheck{Outcome: integrity.MergeCheckClosed, Narrative: c}},
		{f, e, integrity.MergedCheck{Outcome: integrity.MergeCheckNone}},
	} {
		got, err := s.MergeNarratives(ctx, "bob", m.into, m.from)
		if err != nil {
			t.Fatal(err)
		}
		if got != m.want {
			t.Errorf("merging %d into %d: check %+v, want %+v", m.from, m.into, got, m.want)
		}
	}

	narrs := func(state string) []int64 {
		t.Helper()
		got, err := db.CheckQueue(ctx, state, 50)
		if err != nil {
			t.Fatal(err)
		}
		var ns []int64
		for _, q := range got {
			ns = append(ns, q.Narrative)
		}
		slices.Sort(ns)
		return ns
	}
	if got, want := narrs(""), []int64{b, d}; !slices.Equal(got, want) {
		t.Errorf("in progress: %v, want %v (a's check under b, d; no merged-away narrative)", got, want)
	}
	if got, want := narrs("closed"), []int64{c, e}; !slices.Equal(got, want) {
		t.Errorf("closed: %v, want %v", got, want)
	}

	moved, err := s.GetCheck(ctx, b)
	if err != nil || moved.State != "verifying" || moved.Assignee != "ana" {
		t.Fatalf("b's check (moved from a): %+v %v", moved, err)
	}
	if len(moved.Log) < 3 || moved.Log[0].Kind != integrity.LogState {
		t.Fatalf("b's log %+v: want a's entries first", moved.Log)
	}
	if last := moved.Log[len(moved.Log)-1]; last.Kind != integrity.LogMergedIn || last.Text != strconv.FormatInt(a, 10) || last.Actor != "bob" {
		t.Errorf("b's last log entry %+v, want %s naming narrative %d", last, integrity.LogMergedIn, a)
	}
	if left, err := s.GetCheck(ctx, a); err != nil || left.State != integrity.CheckNew || len(left.Log) != 0 {
		t.Errorf("a after the merge: %+v %v, want no stored check", left, err)
	}

	closed, err := s.GetCheck(ctx, c)
	if err != nil || closed.State != integrity.CheckClosed {
		t.Fatalf("c's check: %+v %v", closed, err)
	}
	if last := closed.Log[len(closed.Log)-1]; last.Kind != integrity.LogMerged || last.From != "monitoring" || last.To != integrity.CheckClosed ||
		last.Text != strconv.FormatInt(d, 10) || last.Actor != "bob" {
		t.Errorf("c's last log entry %+v, want %s monitoring → closed naming narrative %d", last, integrity.LogMerged, d)
	}
	all, err := db.CheckQueue(ctx, "closed", 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		switch q.Narrative {
		case c:
			if q.MergedInto != d || q.MergedName != "Beni vaccination" {
				t.Errorf("closed c: merged into %d %q, want %d %q", q.MergedInto, q.MergedName, d, "Beni vaccination")
			}
		case e:
			if q.MergedInto != f || q.MergedName != "Masisi camp" || q.State != integrity.CheckClosed {
				t.Errorf("closed e: %+v", q)
			}
		}
	}
	if same, err := s.GetCheck(ctx, d); err != nil || same.State != "verifying" {
		t.Errorf("d's own check: %+v %v", same, err)
	}
	if f0, err := s.GetCheck(ctx, f); err != nil || f0.State != integrity.CheckNew || len(f0.Log) != 0 {
		t.Errorf("f after e (closed) merged in: %+v %v, want no stored check", f0, err)
	}
	var details []string
	for _, r := range auditActions(t, db, "integrity.check."+integrity.LogMerged) {
		details = append(details, r.Object+" "+r.Detail)
	}
	for _, r := range auditActions(t, db, "integrity.check."+integrity.LogMergedIn) {
		details = append(details, r.Object+" "+r.Detail)
	}
	slices.Sort(details)
	want := []string{
		"integrity-narrative:" + strconv.FormatInt(b, 10) + " " + integrity.LogMergedIn + " " + strconv.FormatInt(a, 10),
		"integrity-narrative:" + strconv.FormatInt(c, 10) + " " + integrity.LogMerged + " monitoring → closed, into " + strconv.FormatInt(d, 10),
	}
	slices.Sort(want)
	if !slices.Equal(details, want) {
		t.Errorf("audit %q, want %q", details, want)
	}
}

// testIntegrityCheckMergeUpgrade: checks in progress that older versions
// left on merged narratives are carried by the upgrade as a merge now
// carries them: moved with their log to a survivor that has no check (and
// gets no other), else closed naming the survivor; closed checks and
// checks on live narratives are left as they were.
func testIntegrityCheckMergeUpgrade(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t)
	wipe(t, db)
	if err := db.MigrateTo(ctx, 64); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.SQL.ExecContext(ctx, db.Rebind(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// 1 → 2 (2 has no check): moves. 3 → 4 (4 has a check): closed.
	// 5, 6 → 7 (7 has none, two open checks would go there): both closed.
	// 8 → 9, 8's check closed: stays. 10 live with a check: stays.
	merged := map[int64]int64{1: 2, 3: 4, 5: 7, 6: 7, 8: 9}
	for id := int64(1); id <= 10; id++ {
		exec(`INSERT INTO integrity_narratives (id, name, status, merged_into, created) VALUES (?, ?, ?, ?, '2026-03-30T09:00:00Z')`,
			id, "n"+strconv.FormatInt(id, 10), map[bool]string{true: "merged", false: "new"}[merged[id] != 0], merged[id])
	}
	for id, state := range map[int64]string{1: "verifying", 3: "monitoring", 4: "verifying", 5: "new", 6: "rated", 8: "closed", 10: "monitoring"} {
		exec(`INSERT INTO integrity_checks (narrative_id, state, updated, updated_by) VALUES (?, ?, '2026-03-30T09:00:00.000000Z', 'ana')`, id, state)
		exec(`INSERT INTO integrity_check_log (narrative_id, at, actor, kind, from_state, to_state) VALUES (?, '2026-03-30T09:00:00.000000Z', 'ana', 'state', 'new', ?)`, id, state)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	states := map[int64]string{}
	got, err := db.CheckQueue(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	closed, err := db.CheckQueue(ctx, "closed", 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(got, closed...) {
		states[q.Narrative] = q.State
	}
	want := map[int64]string{2: "verifying", 3: "closed", 4: "verifying", 5: "closed", 6: "closed", 8: "closed", 10: "monitoring"}
	if !maps.Equal(states, want) {
		t.Errorf("checks after the upgrade %v, want %v", states, want)
	}
	logOf := func(n int64) []string {
		t.Helper()
		es, err := db.CheckLog(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		var ks []string
		for _, e := range es {
			ks = append(ks, e.Kind+" "+e.From+">"+e.To+" "+e.Text+" "+e.Actor)
		}
		return ks
	}
	for n, want := range map[int64][]string{
		2:  {"state new>verifying  ana", "merged_in > 1 system:upgrade"},
		1:  nil,
		3:  {"state new>monitoring  ana", "merged monitoring>closed 4 system:upgrade"},
		6:  {"state new>rated  ana", "merged rated>closed 7 system:upgrade"},
		8:  {"state new>closed  ana"},
		10: {"state new>monitoring  ana"},
	} {
		if got := logOf(n); !slices.Equal(got, want) {
			t.Errorf("narrative %d's log %q, want %q", n, got, want)
		}
	}
}
