package auth

import (
	"container/list"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// LimitStore keeps failed-login counts where every server on the database
// sees them (implemented by *storage.DB). Keys are keyed hashes (see
// Limiter.Secret): no typed name or password reaches the store. A key's
// count runs in a fixed window that starts at its first failure.
type LimitStore interface {
	// LoginFailures returns key's failures in its current window, 0 when
	// the window started at or before since (it has ended) or there is none.
	LoginFailures(ctx context.Context, key []byte, since time.Time) (int, error)
	// AddLoginFailure counts a failure at now and returns the count: a
	// window that started at or before since is restarted at now with 1.
	// Concurrent calls, from any server, are all counted.
	AddLoginFailure(ctx context.Context, key []byte, now, since time.Time) (int, error)
	// ResetLoginFailures forgets key's failures.
	ResetLoginFailures(ctx context.Context, key []byte) error
	// PruneLoginFailures deletes windows that started at or before since.
	PruneLoginFailures(ctx context.Context, since time.Time) (int64, error)
}

// Limiter counts failed logins per key (user name and client address) in a
// fixed window; after max failures the key is refused until the window ends.
//
// With a Store the counts live in the database, so a lockout holds on every
// server sharing it and survives a restart. Without one they live in memory,
// bounded by MaxKeys: when full, ended windows are dropped first, then the
// oldest keys that are not locked; a locked key is dropped only when every
// key held is locked (which needs 5 × MaxKeys failed password checks within
// one window).
type Limiter struct {
	max    int
	window time.Duration

	// Store, when set, holds the counts (see LimitStore).
	Store LimitStore
	// Secret keys the hash of each key, so neither the memory nor the store
	// holds what was typed as a name; servers sharing a Store need the same
	// Secret (vigil serve derives it from the keyring). Random when nil.
	Secret []byte
	// MaxKeys bounds the keys held in memory (without a Store); 0 means
	// DefaultMaxKeys.
	MaxKeys int

	mu        sync.Mutex
	keys      map[string]*list.Element // of *attempts, oldest window first
	order     *list.List
	lastPrune time.Time
}

type attempts struct {
	key   string
	n     int
	start time.Time
}

// PruneAfter is how long a failure window's row stays in a LimitStore
// (longer if the limiter's window is longer): limiters with different
// windows share the store, so none may prune another's live windows.
const PruneAfter = 24 * time.Hour

// DefaultMaxKeys bounds an in-memory limiter's keys.
const DefaultMaxKeys = 100_000

// NewLimiter allows max failures per key within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window}
}

// Window is how long a key stays refused after its window's first failure.
func (l *Limiter) Window() time.Duration { return l.window }

func (l *Limiter) init() {
	if l.keys == nil {
		l.keys = map[string]*list.Element{}
		l.order = list.New()
	}
	if l.Secret == nil {
		l.Secret = make([]byte, 32)
		_, _ = rand.Read(l.Secret)
	}
}

// hash is the keyed hash under which key is counted.
func (l *Limiter) hash(key string) []byte {
	l.mu.Lock()
	l.init()
	secret := l.Secret
	l.mu.Unlock()
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("vigil login limit\x00"))
	m.Write([]byte(key))
	return m.Sum(nil)
}

// Allow reports whether key may try to log in at now.
func (l *Limiter) Allow(ctx context.Context, key string, now time.Time) (bool, error) {
	h := l.hash(key)
	if l.Store != nil {
		n, err := l.Store.LoginFailures(ctx, h, now.Add(-l.window))
		return n < l.max, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.keys[string(h)]
	if e == nil {
		return true, nil
	}
	a := e.Value.(*attempts)
	return now.Sub(a.start) >= l.window || a.n < l.max, nil
}

// Fail records a failed attempt by key at now.
func (l *Limiter) Fail(ctx context.Context, key string, now time.Time) error {
	h := l.hash(key)
	if l.Store != nil {
		if _, err := l.Store.AddLoginFailure(ctx, h, now, now.Add(-l.window)); err != nil {
			return err
		}
		// Other limiters (other windows) share the store: prune only what
		// is older than any window may be.
		horizon := max(l.window, PruneAfter)
		l.mu.Lock()
		prune := now.Sub(l.lastPrune) >= time.Hour
		if prune {
			l.lastPrune = now
		}
		l.mu.Unlock()
		if prune {
			_, err := l.Store.PruneLoginFailures(ctx, now.Add(-horizon))
			return err
		}
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.keys[string(h)]; e != nil {
		a := e.Value.(*attempts)
		if now.Sub(a.start) < l.window {
			a.n++
			return nil
		}
		// The window ended: start a new one at the back of the order.
		l.order.Remove(e)
		delete(l.keys, string(h))
	}
	max := l.MaxKeys
	if max <= 0 {
		max = DefaultMaxKeys
	}
	if len(l.keys) >= max {
		l.evict(now)
	}
	l.keys[string(h)] = l.order.PushBack(&attempts{key: string(h), n: 1, start: now})
	return nil
}

// evict makes room for one key: ended windows go first (they are at the
// front, oldest first), then the oldest key that is not locked, and only
// if every key is locked, the oldest.
func (l *Limiter) evict(now time.Time) {
	for e := l.order.Front(); e != nil; {
		a := e.Value.(*attempts)
		if now.Sub(a.start) < l.window {
			break
		}
		next := e.Next()
		l.order.Remove(e)
		delete(l.keys, a.key)
		e = next
	}
	max := l.MaxKeys
	if max <= 0 {
		max = DefaultMaxKeys
	}
	if len(l.keys) < max {
		return
	}
	for e := l.order.Front(); e != nil; e = e.Next() {
		if a := e.Value.(*attempts); a.n < l.max {
			l.order.Remove(e)
			delete(l.keys, a.key)
			return
		}
	}
	if e := l.order.Front(); e != nil {
		l.order.Remove(e)
		delete(l.keys, e.Value.(*attempts).key)
	}
}

// Reset forgets key's failures (after a successful login).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	h := l.hash(key)
	if l.Store != nil {
		return l.Store.ResetLoginFailures(ctx, h)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.keys[string(h)]; e != nil {
		l.order.Remove(e)
		delete(l.keys, string(h))
	}
	return nil
}

// Len is the number of keys held in memory (0 with a Store).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
