package alerts

import (
	"context"
	"math"
	"net/netip"
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
	ThrottleClientBurst = 10
	ThrottleClientEvery = 20 * time.Second
	ThrottleChanBurst   = 60
	throttleChanEvery   = time.Second
	// throttleMaxClients bounds the client buckets held; beyond it full
	// buckets (equivalent to none) are dropped, then the oldest.
	throttleMaxClients = 50_000
	// throttleFlushEvery: refusals are added to the database at most this
	// often per service (a flood must not become a write per request).
	throttleFlushEvery = 5 * time.Second
)

// ThrottleStore keeps the refused posts per channel (shared by every
// server on the database).
type ThrottleStore interface {
	AddChannelThrottled(ctx context.Context, channelID, n int64) error
	ChannelsThrottled(ctx context.Context) (map[int64]int64, error)
}

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

// Throttle is a service's web-form budget.
type Throttle struct {
	// Now is the clock (tests move it by hand).
	Now func() time.Time

	mu        sync.Mutex
	clients   map[string]*bucket
	channels  map[int64]*bucket
	pending   map[int64]int64 // refusals not yet added to the database
	lastFlush time.Time
}

// NewThrottle returns an empty budget on the system clock.
func NewThrottle() *Throttle {
	return &Throttle{Now: time.Now, clients: map[string]*bucket{}, channels: map[int64]*bucket{}, pending: map[int64]int64{}}
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
func (t *Throttle) take(ip string, channel int64) (bool, time.Duration) {
	now := t.Now()
	key := clientKey(ip)
	t.mu.Lock()
	defer t.mu.Unlock()
	cb := t.clients[key]
	if cb == nil {
		if len(t.clients) >= throttleMaxClients {
			t.evictClients(now)
		}
		cb = &bucket{tokens: ThrottleClientBurst, last: now}
		t.clients[key] = cb
	}
	hb := t.channels[channel]
	if hb == nil {
		hb = &bucket{tokens: ThrottleChanBurst, last: now}
		t.channels[channel] = hb
	}
	if cb.level(now, ThrottleClientBurst, ThrottleClientEvery) >= 1 && hb.level(now, ThrottleChanBurst, throttleChanEvery) >= 1 {
		cb.tokens--
		hb.tokens--
		return true, 0
	}
	wait := time.Duration(0)
	if cb.tokens < 1 {
		wait = cb.wait(ThrottleClientEvery)
	}
	if hb.tokens < 1 {
		wait = max(wait, hb.wait(throttleChanEvery))
	}
	return false, wait
}

func (t *Throttle) evictClients(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for k, b := range t.clients {
		if b.level(now, ThrottleClientBurst, ThrottleClientEvery) >= ThrottleClientBurst {
			delete(t.clients, k)
		} else if oldest == "" || b.last.Before(oldestAt) {
			oldest, oldestAt = k, b.last
		}
	}
	if len(t.clients) >= throttleMaxClients {
		delete(t.clients, oldest)
	}
}

// refused counts a refusal on channel and, at most every
// throttleFlushEvery, adds the pending counts to the database with add.
func (t *Throttle) refused(ctx context.Context, channel int64, add func(context.Context, int64, int64) error) error {
	now := t.Now()
	t.mu.Lock()
	t.pending[channel]++
	if now.Sub(t.lastFlush) < throttleFlushEvery {
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

// unflushed is this service's refusals on channel not yet in the database.
func (t *Throttle) unflushed(channel int64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pending[channel]
}

// AdmitWebPost spends one web-form post from client address ip on channel
// out of the budget. When there is none it counts the refusal on the
// channel (in the store when it is a ThrottleStore) and returns false with
// how long to wait.
func (s *Service) AdmitWebPost(ctx context.Context, ip string, channel int64) (bool, time.Duration) {
	if s.Throttle == nil {
		return true, 0
	}
	ok, wait := s.Throttle.take(ip, channel)
	if ok {
		return true, 0
	}
	if ts, isTS := s.Store.(ThrottleStore); isTS {
		if err := s.Throttle.refused(ctx, channel, ts.AddChannelThrottled); err != nil && s.Log != nil {
			s.Log.Warn("intake throttle: cannot count refusals", "err", err)
		}
	}
	return false, wait
}
