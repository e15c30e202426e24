package alerts

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Live queue notices. Every change the Service makes to alerts or
// incidents is announced to this process's subscribers at once (in-process
// fan-out). Changes made by other processes on the same database (other
// vigil serve instances on PostgreSQL, vigil alerts import-cap on SQLite)
// are seen by WatchStore polling the store's change counter
// (Store.QueueVersion) every few seconds.

// Change is a "queue changed" notice. It names what changed by id only —
// never text, numbers or locations — so it may go to every role that may
// see the queue.
type Change struct {
	Seq       uint64  `json:"seq"`  // this server's notice number
	Kind      string  `json:"kind"` // "alert" (new alerts), "incident" (changed), "store" (seen via the change counter)
	Version   int64   `json:"version,omitempty"`
	Alerts    []int64 `json:"alerts,omitempty"`
	Incidents []int64 `json:"incidents,omitempty"`
	More      bool    `json:"more,omitempty"` // more ids changed than are listed
}

// maxIDs bounds the ids of one notice; a subscriber that falls behind gets
// the merged notice with More set instead of a backlog.
const maxIDs = 100

func (c *Change) merge(d Change) {
	c.Seq = d.Seq
	if c.Kind != d.Kind {
		// "alert" wins over "incident" over "store": it is the most specific.
		rank := map[string]int{"alert": 3, "incident": 2, "store": 1}
		if rank[d.Kind] > rank[c.Kind] {
			c.Kind = d.Kind
		}
	}
	c.Version = max(c.Version, d.Version)
	c.More = c.More || d.More
	add := func(dst []int64, ids []int64) []int64 {
		for _, id := range ids {
			if slices.Contains(dst, id) {
				continue
			}
			if len(dst) >= maxIDs {
				c.More = true
				break
			}
			dst = append(dst, id)
		}
		return dst
	}
	c.Alerts = add(c.Alerts, d.Alerts)
	c.Incidents = add(c.Incidents, d.Incidents)
}

type hub struct {
	mu     sync.Mutex
	seq    uint64
	subs   map[*Subscription]struct{}
	closed bool
}

// Subscription receives the Service's queue notices. Wait on Ready, then
// Take the notice (several changes in between are merged into one).
type Subscription struct {
	h       *hub
	ready   chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	pending *Change
	once    sync.Once
}

// Subscribe starts receiving queue notices. Close the subscription when
// done.
func (s *Service) Subscribe() *Subscription {
	sub := &Subscription{h: &s.hub, ready: make(chan struct{}, 1), done: make(chan struct{})}
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if s.hub.closed {
		close(sub.done)
		return sub
	}
	if s.hub.subs == nil {
		s.hub.subs = map[*Subscription]struct{}{}
	}
	s.hub.subs[sub] = struct{}{}
	return sub
}

// Ready has a value when a notice is waiting.
func (sub *Subscription) Ready() <-chan struct{} { return sub.ready }

// Done is closed when the service stops announcing (WatchStore's context
// ended) or the subscription is closed.
func (sub *Subscription) Done() <-chan struct{} { return sub.done }

// Take returns the waiting notice, if any.
func (sub *Subscription) Take() (Change, bool) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.pending == nil {
		return Change{}, false
	}
	c := *sub.pending
	sub.pending = nil
	return c, true
}

// Close stops the subscription.
func (sub *Subscription) Close() {
	sub.h.mu.Lock()
	delete(sub.h.subs, sub)
	sub.h.mu.Unlock()
	sub.once.Do(func() { close(sub.done) })
}

func (sub *Subscription) deliver(c Change) {
	sub.mu.Lock()
	if sub.pending == nil {
		cp := Change{Seq: c.Seq, Kind: c.Kind}
		cp.merge(c)
		sub.pending = &cp
	} else {
		sub.pending.merge(c)
	}
	sub.mu.Unlock()
	select {
	case sub.ready <- struct{}{}:
	default: // already signalled; the notice was merged
	}
}

// publish announces a change to every subscriber without blocking.
func (s *Service) publish(c Change) {
	h := &s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || len(h.subs) == 0 {
		return
	}
	h.seq++
	c.Seq = h.seq
	for sub := range h.subs {
		sub.deliver(c)
	}
}

// publishAlerts announces newly stored alerts (not gateway retries).
func (s *Service) publishAlerts(as []*Alert) {
	c := Change{Kind: "alert"}
	for _, a := range as {
		if a.Duplicate || a.ID == 0 {
			continue
		}
		c.merge(Change{Kind: "alert", Alerts: []int64{a.ID}, Incidents: []int64{a.IncidentID}})
	}
	if len(c.Alerts) > 0 {
		s.publish(c)
	}
}

// WatchStore polls the store's change counter every interval and announces
// changes made by other processes; when ctx ends it closes every
// subscription (so streams end and the server can shut down). vigil serve
// runs it with a 2 s interval. Changes made through this Service are
// announced at once and, when the poll sees them too, once more as "store"
// notices (harmless: clients just reload).
func (s *Service) WatchStore(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	// No starting value: the first poll announces whatever it reads (a
	// harmless extra notice at start), so a change committed while this
	// goroutine was starting is never missed.
	last := int64(-1)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.closeHub()
			return
		case <-t.C:
		}
		v, err := s.Store.QueueVersion(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Warn("alerts: reading the queue change counter", "err", err)
			}
			continue
		}
		if v != last {
			last = v
			s.publish(Change{Kind: "store", Version: v})
		}
	}
}

func (s *Service) closeHub() {
	h := &s.hub
	h.mu.Lock()
	h.closed = true
	subs := h.subs
	h.subs = nil
	h.mu.Unlock()
	for sub := range subs {
		sub.once.Do(func() { close(sub.done) })
	}
}
