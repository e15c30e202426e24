package integrity

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestCheckQueue: the queue of checks in progress asks the store for one
// more than QueueMax to say there are more, marks the checks whose
// deadline passed as overdue (never a closed one), clips the samples, and
// refuses a state that is none of the workflow's, in English and French,
// asking the store nothing.
func TestCheckQueue(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	row := func(n int64, state string, deadline *time.Time) QueuedCheck {
		return QueuedCheck{Narrative: n, State: state, Deadline: deadline, Sample: strings.Repeat("é", SampleMax)}
	}
	many := make([]QueuedCheck, QueueMax+5)
	for i := range many {
		many[i] = row(int64(i+1), CheckVerifying, nil)
	}
	for _, tc := range []struct {
		name     string
		queue    []QueuedCheck
		state    string
		n        int
		more     bool
		overdue  []bool
		wantSent string
	}{
		{"empty", nil, "", 0, false, nil, ""},
		{"overdue", []QueuedCheck{row(1, CheckVerifying, &past), row(2, CheckNew, &future), row(3, CheckMonitoring, nil)}, "", 3, false, []bool{true, false, false}, ""},
		{"closed never overdue", []QueuedCheck{row(1, CheckClosed, &past)}, CheckClosed, 1, false, []bool{false}, CheckClosed},
		{"exactly the most", many[:QueueMax], "", QueueMax, false, nil, ""},
		{"more", many, CheckVerifying, QueueMax, true, nil, CheckVerifying},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &checkStore{queue: tc.queue}
			s := &Service{Store: st, Now: func() time.Time { return now }}
			l, err := s.CheckQueueQuery(ctx, url.Values{"state": {tc.state}})
			if err != nil {
				t.Fatal(err)
			}
			if l.Checks == nil || len(l.Checks) != tc.n || l.More != tc.more {
				t.Fatalf("%d checks (nil %v), more %v; want %d, %v", len(l.Checks), l.Checks == nil, l.More, tc.n, tc.more)
			}
			if len(st.asked) != 1 || st.asked[0] != tc.wantSent {
				t.Errorf("store asked for %q, want %q", st.asked, tc.wantSent)
			}
			for i, want := range tc.overdue {
				if l.Checks[i].Overdue != want {
					t.Errorf("check %d overdue %v, want %v", l.Checks[i].Narrative, l.Checks[i].Overdue, want)
				}
			}
			for _, c := range l.Checks {
				if len(c.Sample) > SampleMax || !strings.HasPrefix(strings.Repeat("é", SampleMax), c.Sample) {
					t.Fatalf("sample %d bytes, at most %d, cut at a character", len(c.Sample), SampleMax)
				}
			}
		})
	}
	st := &checkStore{}
	s := &Service{Store: st}
	for _, bad := range []string{"published", "CLOSED", "open", " new", "new,closed"} {
		_, err := s.CheckQueue(ctx, bad)
		if !apperr.IsInvalid(err) || apperr.FieldOf(err) != "state" {
			t.Errorf("state %q: %v, want invalid state", bad, err)
		}
		apperrtest.Said(t, "state "+bad, err, "")
	}
	if len(st.asked) != 0 {
		t.Errorf("a refused state asked the store: %q", st.asked)
	}
	if _, err := (&Service{Store: &memStoreNoChecks{}}).CheckQueue(ctx, ""); apperr.FieldOf(err) != "" || err == nil {
		t.Errorf("no check store: %v", err)
	}
}

// memStoreNoChecks is a store that keeps no checks.
type memStoreNoChecks struct{ Store }
