package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/vigil-project/vigil/alerts"
)

// The intake channels a DB keeps by key (ChannelByKey), so that a gateway's
// message does not read its channel's row from the database. A kept channel
// is never served once it may have changed, on any server or process on
// the database:
//
//   - SQLite: each lookup reads channel_version, a one-row counter that
//     triggers bump at every change of alert_channels (migration 0071),
//     from any process on the file (the server, a `vigil channels`
//     command); a new value empties the cache. One tiny read instead of
//     the row: PRAGMA data_version would be cheaper still, but it is a
//     connection's own and changes at every commit of any other
//     connection, the server's own intake writes included, so under
//     intake it would say "changed" at nearly every message;
//   - PostgreSQL: the triggers send NOTIFY vigil_channels in the changing
//     transaction, and a listening connection (WatchChannels, pgx) empties
//     the cache when one arrives. While it is not listening (not yet
//     connected, lost, reconnecting) nothing is kept or served: every
//     lookup reads the row, as before; the cache is emptied again once it
//     listens. No query per message while it listens;
//   - on both, this DB's own channel writes empty the cache once committed
//     (forgetChannels), so that this server sees its change at once,
//     before its notification comes back.
//
// A lookup that read the row while the cache was emptied does not keep
// what it read (gen). An unknown key is not kept: each is read.
type channelCache struct {
	mu      sync.Mutex
	byKey   map[string]alerts.Channel
	gen     uint64 // bumped whenever byKey is emptied
	version int64  // SQLite: channel_version when byKey was filled

	// PostgreSQL's listener (WatchChannels).
	watched bool // a listener runs (WatchChannels)
	live    bool
	schema  string    // the payload of this database's notices
	pid     uint32    // the listening connection's backend
	listens uint64    // LISTENs made
	heard   time.Time // when the listener last had a notice or a ping answered
	changed chan struct{}
	syncs   map[string]chan struct{}
	stop    context.CancelFunc
	done    chan struct{}
}

// maxKeptChannels bounds the channels kept; past it the cache starts over.
const maxKeptChannels = 1000

// notifyChannel is the NOTIFY channel of the triggers of migration 0071.
const notifyChannel = "vigil_channels"

// reset empties the cache; mu held.
func (cc *channelCache) reset() {
	cc.byKey = nil
	cc.gen++
}

// listenerPing is how long the listener waits for a notice before it
// checks its connection (a ping, which must answer in half that): the
// cache is not served when the listener was last heard from more than
// twice that long ago, so that a connection lost without a word (a
// firewall dropping it) cannot keep an old channel in use for longer.
const listenerPing = 10 * time.Second

// usable reports whether kept channels may be served on a database of
// dialect d; mu held. On PostgreSQL only while the listener listens (a DB
// without one, not opened by postgres.Open, keeps nothing).
func (cc *channelCache) usable(d Dialect) bool {
	return d == SQLite || cc.live && time.Since(cc.heard) < 2*listenerPing
}

// stateChanged wakes ChannelListener's waiters; mu held.
func (cc *channelCache) stateChanged() {
	if cc.changed != nil {
		close(cc.changed)
	}
	cc.changed = make(chan struct{})
}

// ChannelByKey finds a channel by the key in its intake URL, from the
// cache when it cannot have changed since it was read (channelCache).
func (db *DB) ChannelByKey(ctx context.Context, key string) (alerts.Channel, error) {
	cc := &db.chans
	var version int64
	if db.Dialect == SQLite {
		if err := db.QueryRow(ctx, db.SQL, `SELECT version FROM channel_version WHERE one = 1`).Scan(&version); err != nil {
			return alerts.Channel{}, err
		}
	}
	cc.mu.Lock()
	if db.Dialect == SQLite && version != cc.version {
		cc.reset()
		cc.version = version
	}
	if c, ok := cc.byKey[key]; ok && cc.usable(db.Dialect) {
		cc.mu.Unlock()
		c.SecretSealed = slices.Clone(c.SecretSealed)
		return c, nil
	}
	gen := cc.gen
	cc.mu.Unlock()
	c, err := notFound(scanChannel(db.QueryRow(ctx, db.SQL, `SELECT `+chanCols+` FROM alert_channels WHERE chan_key = ?`, key)))
	if err != nil {
		return c, err
	}
	cc.mu.Lock()
	if gen == cc.gen && cc.usable(db.Dialect) {
		if cc.byKey == nil || len(cc.byKey) >= maxKeptChannels {
			cc.byKey = map[string]alerts.Channel{}
		}
		kept := c
		kept.SecretSealed = slices.Clone(c.SecretSealed)
		cc.byKey[key] = kept
	}
	cc.mu.Unlock()
	return c, nil
}

// forgetChannels empties the cache after this DB changed a channel (its
// transaction ended, committed or not).
func (db *DB) forgetChannels() {
	db.chans.mu.Lock()
	db.chans.reset()
	db.chans.mu.Unlock()
}

// WatchChannels starts the PostgreSQL listener that keeps ChannelByKey's
// cache fresh: a connection of its own to url (pgx) that LISTENs to
// vigil_channels and empties the cache at each notice of this schema; when
// the connection is lost it empties the cache, serves nothing from it and
// connects again (after 50 ms, doubling to 5 s), emptying it again once it
// listens. Close stops it. postgres.Open calls it.
func (db *DB) WatchChannels(url string) {
	ctx, stop := context.WithCancel(context.Background())
	cc := &db.chans
	cc.mu.Lock()
	cc.watched, cc.stop, cc.done = true, stop, make(chan struct{})
	cc.stateChanged()
	cc.mu.Unlock()
	go func() {
		defer close(cc.done)
		wait := 50 * time.Millisecond
		for ctx.Err() == nil {
			listened, err := db.listenChannels(ctx, url)
			db.setListening(false, "", 0)
			if ctx.Err() != nil {
				return
			}
			if listened {
				wait = 50 * time.Millisecond
			}
			slog.Warn("channel cache: listener lost, reading each channel until it is back", "err", err, "retry", wait)
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			wait = min(2*wait, 5*time.Second)
		}
	}()
}

// listenChannels connects, listens and takes notices until the connection
// fails; listened is whether it got as far as listening.
func (db *DB) listenChannels(ctx context.Context, url string) (listened bool, err error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return false, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+notifyChannel); err != nil {
		return false, err
	}
	db.setListening(true, schema, conn.PgConn().PID())
	cc := &db.chans
	for {
		wctx, cancel := context.WithTimeout(ctx, listenerPing)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			// Quiet: check the connection is still there (a
			// connection dropped silently, by a firewall, would
			// otherwise wait for notices forever).
			pctx, cancel := context.WithTimeout(ctx, listenerPing/2)
			err = conn.Ping(pctx)
			cancel()
			if err == nil {
				cc.mu.Lock()
				cc.heard = time.Now()
				cc.mu.Unlock()
				continue
			}
		}
		if err != nil {
			return true, err
		}
		cc.mu.Lock()
		cc.heard = time.Now()
		if done, ok := cc.syncs[n.Payload]; ok {
			close(done)
			delete(cc.syncs, n.Payload)
		} else if n.Payload == cc.schema {
			cc.reset()
		}
		cc.mu.Unlock()
	}
}

// setListening records the listener's state; either way the cache is
// emptied: what was kept before it listened may have changed unheard.
func (db *DB) setListening(live bool, schema string, pid uint32) {
	cc := &db.chans
	cc.mu.Lock()
	cc.reset()
	cc.live, cc.schema, cc.pid, cc.heard = live, schema, pid, time.Now()
	if live {
		cc.listens++
	} else {
		for token, done := range cc.syncs { // nothing more to wait for: the cache is empty
			close(done)
			delete(cc.syncs, token)
		}
	}
	cc.stateChanged()
	cc.mu.Unlock()
}

// ChannelListener is the state of a PostgreSQL DB's channel listener
// (WatchChannels), for tests and health checks.
type ChannelListener struct {
	Live    bool            // listening: the cache is in use
	PID     uint32          // the listening connection's backend process, 0 when not live
	Listens uint64          // how many times it has started listening
	Changed <-chan struct{} // closed at the next change of this state
}

// ChannelListener is the channel listener's state (zero on SQLite).
func (db *DB) ChannelListener() ChannelListener {
	cc := &db.chans
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if !cc.watched {
		return ChannelListener{}
	}
	return ChannelListener{Live: cc.live, PID: cc.pid, Listens: cc.listens, Changed: cc.changed}
}

// SyncChannels returns once the channel listener has taken every notice
// committed before the call (a notice of its own sent after them comes
// back to it: PostgreSQL delivers notices in commit order), waiting for
// it to listen first; at once on SQLite, whose lookups check the counter
// themselves. Tests call it to see another server's change as this
// server's listener will, without waiting a guessed time.
func (db *DB) SyncChannels(ctx context.Context) error {
	cc := &db.chans
	for {
		l := db.ChannelListener()
		if l.Changed == nil { // no listener: SQLite, or a DB that keeps nothing
			return nil
		}
		if l.Live {
			break
		}
		select {
		case <-l.Changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	token := "sync:" + rand.Text()
	done := make(chan struct{})
	cc.mu.Lock()
	if cc.syncs == nil {
		cc.syncs = map[string]chan struct{}{}
	}
	cc.syncs[token] = done
	cc.mu.Unlock()
	defer func() {
		cc.mu.Lock()
		delete(cc.syncs, token)
		cc.mu.Unlock()
	}()
	if _, err := db.Exec(ctx, db.SQL, `SELECT pg_notify(?, ?)`, notifyChannel, token); err != nil {
		return err
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stopWatching stops the listener, if any, and waits for it.
func (db *DB) stopWatching() {
	cc := &db.chans
	cc.mu.Lock()
	stop, done := cc.stop, cc.done
	cc.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}
