package web

import (
	"context"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// The public web form (/intake/web/{key}) takes posts from anyone, so it
// has a budget: a token bucket per client address and one per channel. A
// village reporting an attack stays well within it (ten reports at once
// from one address, then one every 20 s; sixty at once on a channel, then
// one a second); a script posting in a loop does not. A refused post gets
// 429 with the form's own page (the text kept, Retry-After set), and is
// counted on its channel (admin channel stats).
const (
	intakeClientBurst = 10
	intakeClientEvery = 20 * time.Second
	intakeChanBurst   = 60
	intakeChanEvery   = time.Second
	// intakeMaxClients bounds the client buckets held; beyond it full
	// buckets (equivalent to none) are dropped, then the oldest.
	intakeMaxClients = 50_000
	// intakeFlushEvery: refusals are added to the database at most this
	// often per server (a flood must not become a write per request).
	intakeFlushEvery = 5 * time.Second
)

type bucket struct {
	tokens float64
	last   time.Time
}

// level refills b to now and returns its tokens (capped at burst).
func (b *bucket) level(now time.Time, burst int, every time.Duration) float64 {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(float64(burst), b.tokens+float64(d)/float64(every))
		b.last = now
	}
	return b.tokens
}

// wait is how long until b holds one token.
func (b *bucket) wait(every time.Duration) time.Duration {
	return time.Duration((1 - b.tokens) * float64(every))
}

// intakeThrottle is a server's web-form budget.
type intakeThrottle struct {
	now func() time.Time

	mu        sync.Mutex
	clients   map[string]*bucket
	channels  map[int64]*bucket
	pending   map[int64]int64 // refusals not yet added to the database
	lastFlush time.Time
}

func newIntakeThrottle() *intakeThrottle {
	return &intakeThrottle{now: time.Now, clients: map[string]*bucket{}, channels: map[int64]*bucket{}, pending: map[int64]int64{}}
}

// clientKey is the budget's key for an address: the address, or its /64
// for IPv6 (one household or phone gets a whole /64).
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// take spends one token from the client's and the channel's buckets, or
// neither; when refused it returns how long until both have one.
func (t *intakeThrottle) take(ip string, channel int64) (bool, time.Duration) {
	now := t.now()
	key := clientKey(ip)
	t.mu.Lock()
	defer t.mu.Unlock()
	cb := t.clients[key]
	if cb == nil {
		if len(t.clients) >= intakeMaxClients {
			t.evictClients(now)
		}
		cb = &bucket{tokens: intakeClientBurst, last: now}
		t.clients[key] = cb
	}
	hb := t.channels[channel]
	if hb == nil {
		hb = &bucket{tokens: intakeChanBurst, last: now}
		t.channels[channel] = hb
	}
	if cb.level(now, intakeClientBurst, intakeClientEvery) >= 1 && hb.level(now, intakeChanBurst, intakeChanEvery) >= 1 {
		cb.tokens--
		hb.tokens--
		return true, 0
	}
	wait := time.Duration(0)
	if cb.tokens < 1 {
		wait = cb.wait(intakeClientEvery)
	}
	if hb.tokens < 1 {
		wait = max(wait, hb.wait(intakeChanEvery))
	}
	return false, wait
}

func (t *intakeThrottle) evictClients(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for k, b := range t.clients {
		if b.level(now, intakeClientBurst, intakeClientEvery) >= intakeClientBurst {
			delete(t.clients, k)
		} else if oldest == "" || b.last.Before(oldestAt) {
			oldest, oldestAt = k, b.last
		}
	}
	if len(t.clients) >= intakeMaxClients {
		delete(t.clients, oldest)
	}
}

// refused counts a refusal on channel and, at most every intakeFlushEvery,
// adds the server's pending counts to the database with add.
func (t *intakeThrottle) refused(ctx context.Context, channel int64, add func(context.Context, int64, int64) error) error {
	now := t.now()
	t.mu.Lock()
	t.pending[channel]++
	if now.Sub(t.lastFlush) < intakeFlushEvery {
		t.mu.Unlock()
		return nil
	}
	t.lastFlush = now
	flush := t.pending
	t.pending = map[int64]int64{}
	t.mu.Unlock()
	for id, n := range flush {
		if err := add(ctx, id, n); err != nil {
			t.mu.Lock()
			for id, n := range flush { // keep them for the next flush
				t.pending[id] += n
			}
			t.mu.Unlock()
			return err
		}
		delete(flush, id)
	}
	return nil
}

// unflushed is this server's refusals on channel not yet in the database.
func (t *intakeThrottle) unflushed(channel int64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pending[channel]
}

// throttleWebForm spends the post's budget; when there is none it answers
// 429 with the form page p (the text typed kept) and Retry-After, counts
// the refusal on the channel, and returns handled = true.
func (s *Server) throttleWebForm(w http.ResponseWriter, r *http.Request, channel int64, p alertFormPage) (handled bool, err error) {
	if s.intakeLimit == nil {
		return false, nil
	}
	ok, wait := s.intakeLimit.take(clientIP(r), channel)
	if ok {
		return false, nil
	}
	if s.DB != nil {
		if err := s.intakeLimit.refused(r.Context(), channel, s.DB.AddChannelThrottled); err != nil {
			s.Log.Warn("intake throttle: cannot count refusals", "err", err)
		}
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(wait, time.Second).Seconds()))))
	p.Error = alertFormTexts[p.Lang].Busy
	return true, s.renderAlertForm(w, r, http.StatusTooManyRequests, p)
}
