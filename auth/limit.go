package auth

import (
	"sync"
	"time"
)

// Limiter counts failed logins per key (user name and client address) in a
// fixed window; after max failures the key is refused until the window ends.
// It is in memory: a restart forgets it, which only helps an attacker who
// can restart the server.
type Limiter struct {
	max    int
	window time.Duration

	mu   sync.Mutex
	keys map[string]*attempts
}

type attempts struct {
	n     int
	start time.Time
}

// maxKeys bounds the limiter's memory; beyond it, expired keys are pruned
// and, if that is not enough, the map is cleared.
const maxKeys = 100_000

// NewLimiter allows max failures per key within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, keys: map[string]*attempts{}}
}

// Allow reports whether key may try to log in at now.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.keys[key]
	if a == nil || now.Sub(a.start) >= l.window {
		return true
	}
	return a.n < l.max
}

// Fail records a failed attempt by key at now.
func (l *Limiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.keys[key]
	if a == nil || now.Sub(a.start) >= l.window {
		if len(l.keys) >= maxKeys {
			l.prune(now)
		}
		a = &attempts{start: now}
		l.keys[key] = a
	}
	a.n++
}

// Reset forgets key's failures (after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.keys, key)
	l.mu.Unlock()
}

func (l *Limiter) prune(now time.Time) {
	for k, a := range l.keys {
		if now.Sub(a.start) >= l.window {
			delete(l.keys, k)
		}
	}
	if len(l.keys) >= maxKeys {
		clear(l.keys)
	}
}
