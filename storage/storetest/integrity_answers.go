package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// failingNoter is the tipline replier vigil serve uses, whose timeline
// lines name an incident that does not exist while fail is set: the
// database refuses to write them.
type failingNoter struct {
	contacts.TiplineReplier
	fail *bool
}

func (f failingNoter) AnswerLines(ctx context.Context, actor string, narrative int64, ms []alerts.Outgoing) ([]alerts.LogEntry, error) {
	lines, err := f.TiplineReplier.AnswerLines(ctx, actor, narrative, ms)
	if *f.fail {
		for i := range lines {
			lines[i].IncidentID += 1 << 40
		}
	}
	return lines, err
}

// testIntegrityAnswersOneTx: the fact-check answers queued for a rumour's
// tipline senders and the lines saying them on their incidents' timelines
// are written together or not at all. While the timeline write fails,
// SendAnswers fails and writes nothing: no message queued for the
// gateway, no sender recorded as answered, no line, the check still
// planned. Once it succeeds, both senders' answers are queued and the
// incident's timeline says them once (no number). Answers saved again for
// a sender already answered are refused whole: no second SMS.
func testIntegrityAnswersOneTx(t *testing.T, ctx context.Context, db *storage.DB) {
	fail := true
	f := answersFixture(t, ctx, db, func(r contacts.TiplineReplier) integrity.Replier { return failingNoter{r, &fail} })
	as, tip, integ, n, incident, alertID, its := f.as, f.tip, f.integ, f.n, f.incident, f.alertID, f.its
	answerLines := func() int {
		tl, err := db.Timeline(ctx, incident)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, l := range tl {
			if strings.Contains(l.Text, "81100000") {
				t.Errorf("a number on the timeline: %+v", l)
			}
			if l.Kind == "answer" {
				k++
			}
		}
		return k
	}
	for _, c := range []struct {
		name           string
		fail, ok       bool
		queued, lines  int
		sent, recorded int
		state          string
	}{
		{"timeline write fails", true, false, 0, 0, 0, 0, integrity.CheckResponsePlanned},
		{"timeline write succeeds", false, true, 2, 1, 2, 2, integrity.CheckResponded},
	} {
		fail = c.fail
		res, err := integ.SendAnswers(ctx, "ana", "https://vigil.example", n)
		if (err == nil) != c.ok || (c.ok && res.Sent != c.sent) {
			t.Fatalf("%s: send %+v %v", c.name, res, err)
		}
		out, err := db.PendingOutgoing(ctx, tip.ID, 10)
		if err != nil || len(out) != c.queued {
			t.Errorf("%s: %d messages queued (%v), want %d", c.name, len(out), err, c.queued)
		}
		if k := answerLines(); k != c.lines {
			t.Errorf("%s: %d answer lines on the timeline, want %d", c.name, k, c.lines)
		}
		ck, err := integ.GetCheck(ctx, n)
		if err != nil || ck.RepliesSent != c.sent || ck.State != c.state {
			t.Errorf("%s: check %d sent, %s (%v); want %d, %s", c.name, ck.RepliesSent, ck.State, err, c.sent, c.state)
		}
		if done, err := db.CheckReplies(ctx, n); err != nil || len(done) != c.recorded {
			t.Errorf("%s: %d senders recorded as answered (%v), want %d", c.name, len(done), err, c.recorded)
		}
	}
	// A second sender of the answers who read the check before the first
	// wrote them (two analysts at once) is refused, queueing nothing again.
	m, _, err := as.PrepareReply(ctx, alertID, "Faux : le pont est ouvert.", nil)
	if err != nil {
		t.Fatal(err)
	}
	again := integrity.Answers{Replies: []integrity.Reply{{Item: its[0].ID, Outcome: integrity.ReplySent, At: m.Created}},
		Queued: []alerts.Outgoing{m}, Entry: integrity.CheckEntry{At: m.Created, Kind: integrity.LogReply, Text: `{"sent":1}`}}
	if err := db.SaveReplies(ctx, "bob", n, again); !errors.Is(err, apperr.ErrConflict) || apperr.FieldOf(err) != "state" {
		t.Errorf("answers saved twice: %v, want a conflict naming state", err)
	}
	if out, err := db.PendingOutgoing(ctx, tip.ID, 10); err != nil || len(out) != 2 {
		t.Errorf("%d messages queued after the second save (%v), want 2", len(out), err)
	}
}

// answers is a published check whose response is planned, for a rumour
// two senders sent to a tipline (one incident), answered through the
// replier replier makes.
type answers struct {
	as                *alerts.Service
	tip               alerts.Channel
	integ             *integrity.Service
	n                 int64 // the narrative
	incident, alertID int64 // the incident and the last alert
	its               []integrity.Item
}

func answersFixture(t *testing.T, ctx context.Context, db *storage.DB, replier func(contacts.TiplineReplier) integrity.Replier) answers {
	t.Helper()
	as := alertService(t, db)
	as.Now = func() time.Time { return time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC) } // before integrityService's clock
	tip, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "Bunia tipline", "secret-1", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	integ := integrityService(t, db)
	cs := contacts.NewService(db, as.Keys)
	as.RecipientMAC = cs.RecipientMAC
	as.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTipline(ctx, c.Name, a.ID, a.Message, a.ReceivedAt)
		return err
	}
	integ.Replier = replier(contacts.TiplineReplier{Alerts: as, Contacts: cs})
	rumour := "On dit que le pont de Rutshuru sera détruit ce soir, ne passez pas par là"
	var incident, alertID int64
	for i, msg := range []string{rumour, "RT " + rumour} {
		a, err := as.Receive(ctx, tip, alerts.Inbound{From: fmt.Sprintf("+24381100000%d", i+1), Message: msg, GatewayID: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		incident, alertID = a.IncidentID, a.ID
	}
	its, err := integ.Items(ctx, integrity.ItemFilter{Query: "pont de rutshuru"})
	if err != nil || len(its) != 2 || its[0].Narrative == 0 || its[0].Narrative != its[1].Narrative {
		t.Fatalf("tipline items %+v %v", its, err)
	}
	n := its[0].Narrative
	planBridgeResponse(t, ctx, integ, n)
	return answers{as: as, tip: tip, integ: integ, n: n, incident: incident, alertID: alertID, its: its}
}

// noSaveCheck is the store with every SaveCheck failing: a write after
// SaveReplies that never happens (the server stopped between the two).
type noSaveCheck struct{ *storage.DB }

func (noSaveCheck) SaveCheck(context.Context, string, string, *integrity.Check, integrity.CheckEntry) error {
	return errors.New("the server stopped")
}

// testIntegrityAnswersRespondOneTx: sending a planned response's answers
// moves the check to "responded" in the transaction that queues them, so
// the answers are never queued with the check left "response planned":
// with any later write failing, the answers, the state, its log entry
// and its audit entry are all there. A save of answers that is refused
// (an item answered already: a conflict) changes the state no more than
// it queues anything.
func testIntegrityAnswersRespondOneTx(t *testing.T, ctx context.Context, db *storage.DB) {
	f := answersFixture(t, ctx, db, func(r contacts.TiplineReplier) integrity.Replier { return r })
	state := func(name, want string, wantLog int) {
		t.Helper()
		c, err := db.Check(ctx, f.n)
		if err != nil || c.State != want {
			t.Errorf("%s: check %q (%v), want %q", name, c.State, err, want)
		}
		log, err := db.CheckLog(ctx, f.n)
		k := 0
		for _, e := range log {
			if e.Kind == integrity.LogState && e.To == integrity.CheckResponded {
				k++
				if e.From != integrity.CheckResponsePlanned || e.Actor != "ana" {
					t.Errorf("%s: state entry %+v", name, e)
				}
			}
		}
		if err != nil || k != wantLog {
			t.Errorf("%s: %d log entries to responded (%v), want %d", name, k, err, wantLog)
		}
		k = 0
		for _, r := range auditActions(t, db, "integrity.check.state") {
			if r.Detail == "state response_planned → responded" {
				k++
				if r.Actor != "ana" || r.Object != fmt.Sprintf("integrity-narrative:%d", f.n) {
					t.Errorf("%s: audit %+v", name, r)
				}
			}
		}
		if k != wantLog {
			t.Errorf("%s: %d audit entries to responded, want %d", name, k, wantLog)
		}
	}
	queued := func(name string, want int) {
		t.Helper()
		if out, err := db.PendingOutgoing(ctx, f.tip.ID, 10); err != nil || len(out) != want {
			t.Errorf("%s: %d messages queued (%v), want %d", name, len(out), err, want)
		}
	}
	// The first sender recorded as answered (no gateway), the check still
	// planned; the same sender's answer saved again with the move to
	// responded is refused whole.
	at := time.Date(2026, 3, 31, 11, 0, 0, 0, time.UTC)
	first := integrity.Answers{Replies: []integrity.Reply{{Item: f.its[0].ID, Outcome: integrity.ReplyNoGateway, At: at}},
		Entry: integrity.CheckEntry{At: at, Kind: integrity.LogReply, Text: `{"no_gateway":1}`}}
	if err := db.SaveReplies(ctx, "ana", f.n, first); err != nil {
		t.Fatal(err)
	}
	m, _, err := f.as.PrepareReply(ctx, f.alertID, "Faux : le pont est ouvert.", nil)
	if err != nil {
		t.Fatal(err)
	}
	again := integrity.Answers{Replies: []integrity.Reply{{Item: f.its[0].ID, Outcome: integrity.ReplySent, At: at}},
		Queued: []alerts.Outgoing{m}, Entry: integrity.CheckEntry{At: at, Kind: integrity.LogReply, Text: `{"sent":1}`},
		Respond: &integrity.CheckEntry{At: at, Kind: integrity.LogState, From: integrity.CheckResponsePlanned, To: integrity.CheckResponded}}
	if err := db.SaveReplies(ctx, "ana", f.n, again); !errors.Is(err, apperr.ErrConflict) || apperr.FieldOf(err) != "state" {
		t.Errorf("answers saved twice: %v, want a conflict naming state", err)
	}
	queued("refused", 0)
	state("refused", integrity.CheckResponsePlanned, 0)

	// The other sender answered with every later write failing.
	f.integ.Store = noSaveCheck{db}
	res, err := f.integ.SendAnswers(ctx, "ana", "https://vigil.example", f.n)
	if err != nil || res.Sent != 1 || res.Already != 1 {
		t.Fatalf("send %+v %v", res, err)
	}
	queued("sent", 1)
	state("sent", integrity.CheckResponded, 1)
}

// testIntegrityAnswersDelivery: each tipline answer's line on its
// sender's incident says what became of its message, as a reply to a
// reporter does (alerts.Delivery, read from the outbox): queued, sent
// once the phone took it, delivered or failed with the reason code (a
// line per message, so two senders grouped in one incident get a line
// each: alerts.Service.AnswerLines). Before, the answer line named no message: it
// said « sent » and nothing after.
func testIntegrityAnswersDelivery(t *testing.T, ctx context.Context, db *storage.DB) {
	f := answersFixture(t, ctx, db, func(r contacts.TiplineReplier) integrity.Replier { return r })
	if res, err := f.integ.SendAnswers(ctx, "ana", "https://vigil.example", f.n); err != nil || res.Sent != 2 {
		t.Fatalf("send %+v %v", res, err)
	}
	out, err := db.PendingOutgoing(ctx, f.tip.ID, 10)
	if err != nil || len(out) != 2 {
		t.Fatalf("%d answers queued (%v), want 2", len(out), err)
	}
	check := func(step string, want []string) {
		t.Helper()
		var got []string
		for _, m := range out { // each answer's line, on its sender's incident
			a, err := db.Alert(ctx, m.AlertID)
			if err != nil {
				t.Fatal(err)
			}
			tl, err := db.Timeline(ctx, a.IncidentID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range tl {
				if l.Kind != "answer" || l.OutgoingID != m.ID {
					continue
				}
				s := "-"
				if l.Delivery != nil {
					s = l.Delivery.State + "/" + l.Delivery.Code
				}
				got = append(got, s)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: answer lines %q, want %q", step, got, want)
		}
	}
	check("queued", []string{"queued/", "queued/"})
	if _, err := db.MarkOutgoingSent(ctx, f.tip.ID, []string{out[0].UUID, out[1].UUID}, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	check("taken by the phone", []string{"sent/", "sent/"})
	cs := contacts.NewService(db, f.as.Keys)
	if _, err := cs.RecordResults(ctx, f.tip, []alerts.MessageResult{
		{UUID: out[0].UUID, SentCode: -1, SentMessage: "SMS sent", DeliveredCode: -1, DeliveredMessage: "SMS delivered"},
		{UUID: out[1].UUID, SentCode: 2, SentMessage: "Radio off"},
	}); err != nil {
		t.Fatal(err)
	}
	check("reported", []string{"delivered/", "failed/phone:2"})
}

// keyOpener is the tipline replier vigil serve uses, counting the numbers
// it opens to tell a message's sender (SenderKey).
type keyOpener struct {
	contacts.TiplineReplier
	opened *int
}

func (k keyOpener) SenderKey(ctx context.Context, alertID int64) (string, error) {
	*k.opened++
	return k.TiplineReplier.SenderKey(ctx, alertID)
}

// testIntegrityCheckToAnswerKeys: the check's page counts who is left to
// answer from the sender keys kept at intake, opening no number (before,
// it opened every message's number at each read). A message filed
// before keys were stored (migration 0065) cannot be told apart there:
// it counts as one more person to answer, never as answered (the safe
// side: the page never says everyone was answered while someone may not
// be). Sending the answers opens the numbers of those messages only (it
// must, to send): their sender, answered through another message, gets
// no second SMS, and the message is recorded as answered through it
// (ReplySameSender), so the page then says no one is left.
func testIntegrityCheckToAnswerKeys(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	as.Now = func() time.Time { return time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC) }
	tip, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "Bunia tipline", "secret-1", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	integ := integrityService(t, db)
	cs := contacts.NewService(db, as.Keys)
	as.RecipientMAC = cs.RecipientMAC
	old := false // filed without a key, as before migration 0065
	as.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		key := a.SenderMAC
		if old {
			key = ""
		}
		_, err := integ.FromTiplineSender(ctx, c.Name, a.ID, key, a.Message, a.ReceivedAt)
		return err
	}
	opened := 0
	integ.Replier = keyOpener{contacts.TiplineReplier{Alerts: as, Contacts: cs}, &opened}
	rumour := "On dit que le pont de Rutshuru sera détruit ce soir, ne passez pas par là"
	for i, m := range []struct {
		from, text string
		old        bool
	}{
		{"+243811000001", rumour, true},
		{"+243811000001", "RT " + rumour, false},
		{"+243811000001", "Fwd " + rumour, false},
		{"+243811000002", rumour + " !", false},
	} {
		old = m.old
		if _, err := as.Receive(ctx, tip, alerts.Inbound{From: m.from, Message: m.text, GatewayID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	its, err := integ.Items(ctx, integrity.ItemFilter{Query: "pont de rutshuru"})
	if err != nil || len(its) != 4 {
		t.Fatalf("tipline items %+v %v", its, err)
	}
	n := its[0].Narrative
	for _, it := range its {
		if it.Narrative != n {
			t.Fatalf("the messages are in narratives %d and %d", n, it.Narrative)
		}
	}
	page := func(step string, toAnswer int) {
		t.Helper()
		opened = 0
		c, err := integ.GetCheck(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if c.Senders != 3 || c.Unkeyed != 1 || c.ToAnswer != toAnswer || opened != 0 {
			t.Errorf("%s: %d senders, %d unkeyed, %d to answer, %d numbers opened; want 3, 1, %d, 0", step, c.Senders, c.Unkeyed, c.ToAnswer, opened, toAnswer)
		}
	}
	page("before the answers", 3)
	planBridgeResponse(t, ctx, integ, n)
	opened = 0
	res, err := integ.SendAnswers(ctx, "ana", "https://vigil.example", n)
	if err != nil || res.Sent != 2 || opened != 1 {
		t.Fatalf("answers %+v (%v), %d numbers opened to tell senders apart; want 2 sent, 1 opened (the message without a key)", res, err, opened)
	}
	if out, err := db.PendingOutgoing(ctx, tip.ID, 10); err != nil || len(out) != 2 {
		t.Errorf("%d answers queued (%v), want 2: one per person", len(out), err)
	}
	page("after the answers", 0)
}

// planBridgeResponse takes narrative n's check through verifying, rated
// false (the Rutshuru bridge claim) and published to response planned, as
// an analyst does before answering the people who asked.
func planBridgeResponse(t *testing.T, ctx context.Context, integ *integrity.Service, n int64) {
	t.Helper()
	for _, u := range []integrity.CheckUpdate{
		{State: sp("verifying")},
		{Claim: sp("The Rutshuru bridge will be destroyed tonight")},
		{State: sp("rated"), Rating: sp("false"), SummaryEN: sp("The bridge is open."), SummaryFR: sp("Le pont est ouvert.")},
	} {
		if _, err := integ.UpdateCheck(ctx, "ana", n, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := integ.Publish(ctx, "ana", n); err != nil {
		t.Fatal(err)
	}
	if _, err := integ.UpdateCheck(ctx, "ana", n, integrity.CheckUpdate{State: sp("response_planned")}); err != nil {
		t.Fatal(err)
	}
}
