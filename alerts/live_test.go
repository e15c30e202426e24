package alerts

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// counterStore is the part of Store that WatchStore uses: a change counter
// another process bumps.
type counterStore struct {
	Store
	mu sync.Mutex
	v  int64
}

func (c *counterStore) QueueVersion(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v, nil
}

func (c *counterStore) bump() {
	c.mu.Lock()
	c.v++
	c.mu.Unlock()
}

func ids(from, n int) []int64 {
	var out []int64
	for i := range n {
		out = append(out, int64(from+i))
	}
	return out
}

// TestSubscriptionMerges: notices that arrive while a subscriber is busy are
// merged into one (union of ids, most specific kind, More beyond maxIDs).
func TestSubscriptionMerges(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       []Change
		kind     string
		alerts   []int64
		incs     []int64
		more     bool
		lastSeq  uint64
		nonEmpty bool
	}{
		{"one", []Change{{Kind: "alert", Alerts: []int64{5}, Incidents: []int64{2}}}, "alert", []int64{5}, []int64{2}, false, 1, true},
		{"union without repeats", []Change{{Kind: "incident", Incidents: []int64{2}}, {Kind: "alert", Alerts: []int64{7}, Incidents: []int64{2, 3}}},
			"alert", []int64{7}, []int64{2, 3}, false, 2, true},
		{"store then incident", []Change{{Kind: "store", Version: 9}, {Kind: "incident", Incidents: []int64{4}}}, "incident", nil, []int64{4}, false, 2, true},
		{"overflow sets more", []Change{{Kind: "alert", Alerts: ids(1, 80)}, {Kind: "alert", Alerts: ids(81, 80)}}, "alert", ids(1, maxIDs), nil, true, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Service{}
			sub := s.Subscribe()
			defer sub.Close()
			for _, c := range tc.in {
				s.publish(c)
			}
			select {
			case <-sub.Ready():
			default:
				t.Fatal("not signalled")
			}
			c, ok := sub.Take()
			if !ok || c.Kind != tc.kind || !slices.Equal(c.Alerts, tc.alerts) || !slices.Equal(c.Incidents, tc.incs) || c.More != tc.more || c.Seq != tc.lastSeq {
				t.Fatalf("got %+v", c)
			}
			if _, ok := sub.Take(); ok {
				t.Fatal("a notice delivered twice")
			}
		})
	}
}

func TestPublishAlertsSkipsRetries(t *testing.T) {
	s := &Service{}
	sub := s.Subscribe()
	defer sub.Close()
	s.publishAlerts([]*Alert{{ID: 3, IncidentID: 1, Duplicate: true}})
	if _, ok := sub.Take(); ok {
		t.Fatal("a gateway retry was announced")
	}
	s.publishAlerts([]*Alert{{ID: 3, IncidentID: 1, Duplicate: true}, {ID: 4, IncidentID: 1}})
	if c, ok := sub.Take(); !ok || !slices.Equal(c.Alerts, []int64{4}) {
		t.Fatalf("got %+v %v", c, ok)
	}
}

// TestWatchStore: a change counted by another process becomes a "store"
// notice; when the context ends every subscription is done and new ones
// are done at once.
func TestWatchStore(t *testing.T) {
	st := &counterStore{}
	s := NewService(st, nil)
	sub := s.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.WatchStore(ctx, time.Millisecond); close(stopped) }()
	// Bump until a notice with a bumped version comes (the first poll
	// announces the version it finds, maybe 0).
	deadline := time.After(30 * time.Second) // fails instead of hanging; not a timing assertion
	for got := false; !got; {
		st.bump()
		select {
		case <-sub.Ready():
			c, _ := sub.Take()
			got = c.Kind == "store" && c.Version > 0 && len(c.Alerts) == 0
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatal("no store notice")
		}
	}
	cancel()
	<-stopped
	select {
	case <-sub.Done():
	default:
		t.Fatal("subscription still open after WatchStore ended")
	}
	select {
	case <-s.Subscribe().Done():
	default:
		t.Fatal("a subscription after shutdown is open")
	}
	sub.Close() // closing twice is fine
}
