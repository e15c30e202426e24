package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// fakeReplier records the alerts answered; outcomes by alert id (default sent).
type fakeReplier struct {
	outcomes map[int64]string
	calls    []int64
	msgs     []string
}

// PrepareReply makes no message: the tipline items of the test are no
// alerts (testIntegrityAnswersOneTx answers real ones).
func (f *fakeReplier) PrepareReply(_ context.Context, alertID int64, msg string) (*alerts.Outgoing, string, error) {
	f.calls = append(f.calls, alertID)
	f.msgs = append(f.msgs, msg)
	if o := f.outcomes[alertID]; o != "" {
		return nil, o, nil
	}
	return nil, integrity.ReplySent, nil
}

func (f *fakeReplier) AnswerLines(context.Context, string, int64, []alerts.Outgoing) ([]alerts.LogEntry, error) {
	return nil, nil
}

func sp(s string) *string { return &s }

// testIntegrityChecks walks a narrative's check through the workflow on
// the store: bad moves refused naming the field with nothing written,
// every step logged and audited, a stale writer refused, publication by
// slug and in the feed's list, answers to each tipline sender once.
func testIntegrityChecks(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	rep := &fakeReplier{outcomes: map[int64]string{21: integrity.ReplyOptedOut}}
	s.Replier = rep
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	var items []*integrity.Item
	claim := "Ils disent que le pont de Rutshuru sera détruit ce soir, ne passez pas par là"
	for i, via := range []string{integrity.ViaTipline, integrity.ViaTipline, integrity.ViaImport} {
		it := &integrity.Item{Source: "tipline: phone", SourceID: "alert:" + string(rune('1'+i)) + "1", Via: via, Kind: "message",
			Text: claim + strings.Repeat(" !", i), Time: at, Lang: "fr"}
		if via == integrity.ViaImport {
			it.Source, it.SourceID = "facebook", "p1"
		}
		if err := s.Validate(it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	if _, err := s.Add(ctx, "test", "integrity.import", "", items); err != nil {
		t.Fatal(err)
	}
	n := items[0].Narrative
	if items[1].Narrative != n || items[2].Narrative != n {
		t.Fatalf("the variants are not one narrative: %d %d %d", n, items[1].Narrative, items[2].Narrative)
	}

	c, err := s.GetCheck(ctx, n)
	if err != nil || c.State != integrity.CheckNew || c.Senders != 2 || len(c.Log) != 0 {
		t.Fatalf("new check %+v %v", c, err)
	}
	if _, err := s.GetCheck(ctx, 9999); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown narrative: %v", err)
	}

	// Bad steps: 4xx naming the field, nothing stored.
	for _, tc := range []struct {
		u     integrity.CheckUpdate
		field string
	}{
		{integrity.CheckUpdate{State: sp("rated"), Rating: sp("false"), SummaryEN: sp("x")}, "state"}, // new → rated skips verifying
		{integrity.CheckUpdate{State: sp("published")}, "state"},
		{integrity.CheckUpdate{}, "state"},
		{integrity.CheckUpdate{Note: sp("a"), Assignee: sp("b")}, "state"},
		{integrity.CheckUpdate{Rating: sp("false")}, "rating"},
		{integrity.CheckUpdate{Evidence: sp("javascript:alert(1)")}, "evidence"},
		{integrity.CheckUpdate{Deadline: sp("next week")}, "deadline"},
		{integrity.CheckUpdate{Note: sp("  ")}, "note"},
		{integrity.CheckUpdate{Assignee: sp("a\nb")}, "assignee"},
	} {
		_, err := s.UpdateCheck(ctx, "ana", n, tc.u)
		if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field {
			t.Errorf("%+v: %v (field %q), want invalid %q", tc.u, err, apperr.FieldOf(err), tc.field)
		}
	}
	if _, err := db.Check(ctx, n); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("a refused step stored the check: %v", err)
	}

	steps := []integrity.CheckUpdate{
		{State: sp("monitoring")},
		{Assignee: sp("ana")},
		{Deadline: sp("2026-03-31 18:00")},
		{State: sp("verifying")},
		{Evidence: sp("https://radiookapi.net/pont-rutshuru"), Note: sp("Radio Okapi: the bridge is open")},
		{Note: sp("Called the Rutshuru administrator: traffic normal")},
		{Claim: sp("The Rutshuru bridge will be destroyed tonight")},
	}
	for _, u := range steps {
		if c, err = s.UpdateCheck(ctx, "ana", n, u); err != nil {
			t.Fatalf("%+v: %v", u, err)
		}
	}
	if c.State != integrity.CheckVerifying || c.Assignee != "ana" || c.Deadline == nil || !c.Deadline.Equal(time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)) ||
		c.Overdue || len(c.Log) != len(steps) || c.Log[4].URL != "https://radiookapi.net/pont-rutshuru" || c.Log[4].Text != "Radio Okapi: the bridge is open" {
		t.Fatalf("after the steps: %+v", c)
	}
	s.Now = func() time.Time { return time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC) }
	if c, _ = s.GetCheck(ctx, n); !c.Overdue {
		t.Errorf("deadline passed, not overdue: %+v", c)
	}
	// Rating needs a rating from the list and an answer.
	for _, u := range []integrity.CheckUpdate{
		{State: sp("rated")},
		{State: sp("rated"), Rating: sp("fake")},
		{State: sp("rated"), Rating: sp("false")},
		{State: sp("rated"), Rating: sp("false"), SummaryEN: sp(strings.Repeat("x", integrity.MaxSummary+1))},
	} {
		if _, err := s.UpdateCheck(ctx, "ana", n, u); !apperr.IsInvalid(err) {
			t.Errorf("%+v accepted", u)
		}
	}
	// Not published yet: nothing to send.
	if _, err := s.Publish(ctx, "ana", n); apperr.FieldOf(err) != "state" {
		t.Errorf("publish before rating: %v", err)
	}
	c, err = s.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("rated"), Rating: sp("false"),
		SummaryEN: sp("The bridge is open and guarded."), SummaryFR: sp("Le pont est ouvert et gardé.")})
	if err != nil || c.State != "rated" || c.Rating != "false" {
		t.Fatalf("rate: %+v %v", c, err)
	}
	if _, err := s.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("responded")}); apperr.FieldOf(err) != "state" {
		t.Errorf("rated → responded: %v", err)
	}
	// A writer holding an older state is refused.
	stale := c
	stale.State = "closed"
	if err := db.SaveCheck(ctx, "bob", "verifying", &stale, integrity.CheckEntry{At: at, Kind: integrity.LogState}); !errors.Is(err, apperr.ErrConflict) {
		t.Errorf("stale write: %v", err)
	}

	if c, err = s.Publish(ctx, "ana", n); err != nil || len(c.Slug) != 24 || c.PublishedAt == nil {
		t.Fatalf("publish: %+v %v", c, err)
	}
	if again, _ := s.Publish(ctx, "ana", n); again.Slug != c.Slug {
		t.Errorf("publishing again changed the slug")
	}
	if got, err := s.FactCheck(ctx, c.Slug); err != nil || got.Claim != "The Rutshuru bridge will be destroyed tonight" {
		t.Errorf("by slug: %+v %v", got, err)
	}
	for _, slug := range []string{"", "nope", strings.Repeat("0", 24), c.Slug + "0"} {
		if _, err := s.FactCheck(ctx, slug); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("slug %q: %v", slug, err)
		}
	}
	if pub, err := db.PublishedChecks(ctx, 10); err != nil || len(pub) != 1 || pub[0].Narrative != n {
		t.Errorf("published %+v %v", pub, err)
	}
	if _, err := s.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{Claim: sp("other")}); apperr.FieldOf(err) != "claim" {
		t.Errorf("claim changed after publication: %v", err)
	}

	// Answers: only once the response is planned.
	if _, err := s.SendAnswers(ctx, "ana", "https://vigil.example", n); apperr.FieldOf(err) != "state" {
		t.Errorf("answers while rated: %v", err)
	}
	if _, err := s.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("response_planned")}); err != nil {
		t.Fatal(err)
	}
	res, err := s.SendAnswers(ctx, "ana", "https://vigil.example", n)
	if err != nil || res.Sent != 1 || res.OptedOut != 1 || len(rep.calls) != 2 {
		t.Fatalf("answers %+v %v calls %v", res, err, rep.calls)
	}
	want := "Faux\u00a0: Le pont est ouvert et gardé. https://vigil.example/factcheck/" + c.Slug + "?lang=fr"
	if rep.msgs[0] != want {
		t.Errorf("answer %q, want %q", rep.msgs[0], want)
	}
	res, err = s.SendAnswers(ctx, "ana", "https://vigil.example", n)
	if err != nil || res.Sent != 0 || res.Already != 2 || len(rep.calls) != 2 {
		t.Errorf("second send %+v %v: each sender is answered once", res, err)
	}
	c, _ = s.GetCheck(ctx, n)
	if c.State != integrity.CheckResponded || c.RepliesSent != 1 || len(c.Replies) != 2 {
		t.Errorf("after answers %+v", c)
	}
	if c, err = s.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("closed")}); err != nil || c.Overdue {
		t.Errorf("close %+v %v", c, err)
	}
	// Every step is audited, by kind.
	for action, want := range map[string]int{"integrity.check.state": 6, "integrity.check.note": 1, "integrity.check.evidence": 1, "integrity.check.assign": 1,
		"integrity.check.deadline": 1, "integrity.check.claim": 1, "integrity.check.publish": 1, "integrity.check.reply": 2} {
		if got := len(auditActions(t, db, action)); got != want {
			t.Errorf("%s: %d audit entries, want %d", action, got, want)
		}
	}
	for _, r := range auditActions(t, db, "integrity.check.reply") {
		if r.Actor != "ana" || !strings.Contains(r.Detail, "sent") {
			t.Errorf("reply audit %+v", r)
		}
	}
	optOutNonContact(t, db)
}

// optOutNonContact: an opt-out reply from a number that is no contact is
// kept (by its MAC only) and counts for OptedOut; contacts are unchanged.
func optOutNonContact(t *testing.T, db *storage.DB) {
	ctx := context.Background()
	if out, err := db.OptedOut(ctx, "mac-1"); err != nil || out {
		t.Fatalf("before: %v %v", out, err)
	}
	for i := 0; i < 2; i++ {
		if _, found, err := db.OptOut(ctx, "sms-reply", "mac-1", "reply: STOP", time.Now()); err != nil || found {
			t.Fatalf("opt-out of a non-contact: found %v, %v", found, err)
		}
	}
	if out, err := db.OptedOut(ctx, "mac-1"); err != nil || !out {
		t.Errorf("after: %v %v", out, err)
	}
	if out, _ := db.OptedOut(ctx, "mac-2"); out {
		t.Errorf("another number counts as opted out")
	}
	if n := len(auditActions(t, db, "contacts.opt-out")); n != 1 {
		t.Errorf("%d opt-out audit entries, want 1 (the second reply changes nothing)", n)
	}
}

// testIntegrityCheckQueue lists the checks in progress on the store: the
// late ones first, then by nearest deadline, then the most recently
// changed; closed ones only when asked for; narratives without a check
// never; each with its narrative's name, first item and counts.
func testIntegrityCheckQueue(t *testing.T, ctx context.Context, db *storage.DB) {
	s := integrityService(t, db)
	at := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	texts := []string{
		"Le pont de Rutshuru sera détruit ce soir par les rebelles",
		"Water from the Kiwanja borehole has been poisoned by the soldiers",
		"Les résultats des élections à Goma ont été truqués par la commission",
		"Vaccination teams in Beni are spreading the Ebola virus on purpose",
		"La route de Kanyabayonga est minée depuis hier soir, évitez-la",
		"Refugees from Masisi will be moved by force to the camp next week",
	}
	var ids []int64
	for i, text := range texts {
		var items []*integrity.Item
		for j, via := range []string{integrity.ViaTipline, integrity.ViaImport} {
			if j > 0 && i%2 == 1 {
				break // odd ones: one tipline message only
			}
			it := &integrity.Item{Source: "tipline: phone", SourceID: "alert:" + string(rune('a'+i)) + string(rune('0'+j)), Via: via, Kind: "message",
				Text: text + strings.Repeat(" !", j), Time: at, Lang: "fr"}
			if via == integrity.ViaImport {
				it.Source, it.SourceID = "facebook", "q"+string(rune('a'+i))
			}
			if err := s.Validate(it); err != nil {
				t.Fatal(err)
			}
			items = append(items, it)
		}
		if _, err := s.Add(ctx, "test", "integrity.import", "", items); err != nil {
			t.Fatal(err)
		}
		if len(ids) > 0 && items[0].Narrative == ids[len(ids)-1] {
			t.Fatalf("item %d joined the previous narrative", i)
		}
		ids = append(ids, items[0].Narrative)
	}
	if err := s.RenameNarrative(ctx, "test", ids[0], "Rutshuru bridge"); err != nil {
		t.Fatal(err)
	}
	step := func(n int64, when time.Time, us ...integrity.CheckUpdate) {
		t.Helper()
		s.Now = func() time.Time { return when }
		for _, u := range us {
			if _, err := s.UpdateCheck(ctx, "ana", n, u); err != nil {
				t.Fatalf("narrative %d %+v: %v", n, u, err)
			}
		}
	}
	// ids[0]: verifying, deadline 1 April 10:00 (late on 2 April).
	step(ids[0], at, integrity.CheckUpdate{State: sp("verifying")}, integrity.CheckUpdate{Assignee: sp("ana")}, integrity.CheckUpdate{Deadline: sp("2026-04-01 10:00")})
	// ids[1]: monitoring, deadline 3 April (ahead), changed last of all.
	step(ids[1], at.Add(5*time.Hour), integrity.CheckUpdate{State: sp("monitoring")}, integrity.CheckUpdate{Deadline: sp("2026-04-03 08:00")})
	// ids[2]: rated, no deadline, changed at 11:00.
	step(ids[2], at.Add(2*time.Hour), integrity.CheckUpdate{State: sp("verifying")}, integrity.CheckUpdate{Claim: sp("Goma results rigged")},
		integrity.CheckUpdate{State: sp("rated"), Rating: sp("misleading"), SummaryFR: sp("Aucune fraude constatée.")})
	// ids[3]: a note only (still new), no deadline, changed at 10:00.
	step(ids[3], at.Add(time.Hour), integrity.CheckUpdate{Note: sp("Asked the health zone")})
	// ids[4]: closed, with a deadline passed long ago.
	step(ids[4], at, integrity.CheckUpdate{Deadline: sp("2026-03-01 08:00")}, integrity.CheckUpdate{State: sp("closed")})
	// ids[5]: no check.

	got, err := db.CheckQueue(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, c := range got {
		order = append(order, c.Narrative)
	}
	if want := []int64{ids[0], ids[1], ids[2], ids[3]}; !slices.Equal(order, want) {
		t.Fatalf("queue %v, want %v (late, nearest deadline, then the most recently changed)", order, want)
	}
	first := got[0]
	if first.Name != "Rutshuru bridge" || first.Sample != texts[0] || first.State != "verifying" || first.Assignee != "ana" ||
		first.Deadline == nil || !first.Deadline.Equal(time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)) || !first.Updated.Equal(at) ||
		first.UpdatedBy != "ana" || first.Items != 2 || first.Tipline != 1 || first.Claim != "Rutshuru bridge" {
		t.Errorf("first %+v", first)
	}
	if c := got[1]; c.Name != "" || c.Sample != texts[1] || c.Items != 1 || c.Tipline != 1 || c.Deadline == nil || !c.Updated.Equal(at.Add(5*time.Hour)) {
		t.Errorf("second %+v", c)
	}
	if c := got[2]; c.State != "rated" || c.Rating != "misleading" || c.Deadline != nil || c.Items != 2 || c.Tipline != 1 {
		t.Errorf("third %+v", c)
	}
	if got, err := db.CheckQueue(ctx, "", 2); err != nil || len(got) != 2 || got[1].Narrative != ids[1] {
		t.Errorf("limit 2: %+v %v", got, err)
	}
	for state, want := range map[string][]int64{"closed": {ids[4]}, "monitoring": {ids[1]}, "new": {ids[3]}, "responded": nil} {
		got, err := db.CheckQueue(ctx, state, 50)
		var ns []int64
		for _, c := range got {
			ns = append(ns, c.Narrative)
		}
		if err != nil || !slices.Equal(ns, want) {
			t.Errorf("state %s: %v %v, want %v", state, ns, err, want)
		}
	}
	// Through the service: the late one is overdue, a bad state refused.
	s.Now = func() time.Time { return time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC) }
	l, err := s.CheckQueue(ctx, "")
	if err != nil || len(l.Checks) != 4 || l.More || !l.Checks[0].Overdue || l.Checks[1].Overdue {
		t.Errorf("service queue %+v %v", l, err)
	}
	if _, err := s.CheckQueue(ctx, "pending"); apperr.FieldOf(err) != "state" {
		t.Errorf("state pending: %v", err)
	}
}
