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
	fail := true
	integ.Replier = failingNoter{contacts.TiplineReplier{Alerts: as, Contacts: cs}, &fail}
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
