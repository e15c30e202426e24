package alerts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestNoteAnswers: the answers sent to tipline senders are written on
// their incidents' timelines, one line per incident and reply channel,
// in the analyst's name, with how many were answered and through which
// channel: two senders whose messages joined one incident are one line
// "sent to 2", a third elsewhere its own line; no number in any line.
// Before, the answers were only counts on the check and audit entries.
func TestNoteAnswers(t *testing.T) {
	ctx := context.Background()
	svc := alerts.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	tip, err := svc.NewChannel(ctx, "a", alerts.SMSSync, "Bunia tipline", "secret-1", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	incidents := map[int64]bool{}
	for i, msg := range []string{"Le pont saute ce soir at 1.5625, 30.2484", "Le pont saute ce soir !! at 1.5626, 30.2485", "Le pont saute at -1.6794, 29.2285"} {
		a, err := svc.Receive(ctx, tip, alerts.Inbound{From: fmt.Sprintf("+24381100000%d", i+1), Message: msg, GatewayID: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
		incidents[a.IncidentID] = true
	}
	if len(incidents) != 2 {
		t.Fatalf("%d incidents, want 2 (the first two messages together)", len(incidents))
	}
	if err := svc.NoteAnswers(ctx, "ana", 7, ids); err != nil {
		t.Fatal(err)
	}
	var got []string
	for inc := range incidents {
		tl, err := svc.Store.Timeline(ctx, inc)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range tl {
			if strings.Contains(l.Text, "81100000") {
				t.Errorf("a number in the timeline: %+v", l)
			}
			if l.Kind == "answer" {
				got = append(got, l.Actor+": "+l.Text)
			}
		}
	}
	want := map[string]bool{"ana: fact-check answer for narrative 7 sent to 2 tipline senders through Bunia tipline": true,
		"ana: fact-check answer for narrative 7 sent to 1 tipline sender through Bunia tipline": true}
	if len(got) != 2 || !want[got[0]] || !want[got[1]] || got[0] == got[1] {
		t.Errorf("timeline answers %q", got)
	}
	if err := svc.NoteAnswers(ctx, "ana", 7, nil); err != nil {
		t.Errorf("no answers: %v", err)
	}
}
