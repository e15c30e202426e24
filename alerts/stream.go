package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// The live triage queue: a Server-Sent Events stream of "queue changed"
// notices (ids and a sequence number, never text, numbers or places), so
// the queue page reloads when something changes instead of polling.

const (
	// StreamHeartbeat keeps proxies and the browser from closing an idle
	// stream.
	StreamHeartbeat = 25 * time.Second
	// StreamLifetime ends each stream after a while; the browser's
	// EventSource reconnects at once, which checks the session and role
	// again (a revoked session stops getting notices within this time).
	StreamLifetime = 5 * time.Minute
	// StreamWriteWait bounds one write to a slow or vanished client.
	StreamWriteWait = 30 * time.Second
	// StreamMinGap spaces a stream's notices: a change after a quiet spell
	// goes out at once, changes within this time of the last notice are
	// merged into the next one (the page reloads the queue on each notice;
	// at 500 alerts/s that is 4 notices a second, not 500).
	StreamMinGap = 250 * time.Millisecond
)

// StreamWriter is where Stream writes: an HTTP answer's body with its
// flush and write deadline (http.ResponseController).
type StreamWriter interface {
	io.Writer
	Flush() error
	SetWriteDeadline(time.Time) error
}

// ErrTooManyStreams is Stream refusing a stream beyond MaxStreams (apperr
// unavailable: 503): the page polls instead. Said by the catalog
// (alerts.refusal.streams), its English as it has always been.
var ErrTooManyStreams = func() *apperr.Error {
	_ = Refusals // registered first
	return apperr.Say(apperr.KindUnavailable, "", "alerts.refusal.streams")
}()

// Stream writes the live queue to w as text/event-stream:
//
//	event: hello   data: {"version": N}      once, when subscribed
//	event: queue   data: Change              when alerts or incidents change
//	: ping                                    every StreamHeartbeat
//
// until ctx ends, the service shuts down, the client stops reading or
// StreamLifetime passes. begin is called once, before the first byte (the
// edge sends its headers); an error returned before it (ErrTooManyStreams,
// a store failure) means nothing was written.
func (s *Service) Stream(ctx context.Context, w StreamWriter, begin func()) error {
	// Each stream holds a goroutine and a subscription.
	release, ok := s.OpenStream()
	if !ok {
		return ErrTooManyStreams
	}
	defer release()
	// Subscribe before reading the version, so nothing committed after the
	// version read can be missed.
	sub := s.Subscribe()
	defer sub.Close()
	version, err := s.QueueVersion(ctx)
	if err != nil {
		return err
	}
	begin()
	send := func(format string, args ...any) bool {
		// A server's WriteTimeout would cut a long stream: each write gets
		// its own deadline instead (ignored where unsupported).
		_ = w.SetWriteDeadline(time.Now().Add(StreamWriteWait))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return w.Flush() == nil
	}
	hello, _ := json.Marshal(map[string]int64{"version": version})
	if !send("retry: 3000\nevent: hello\ndata: %s\n\n", hello) {
		return nil
	}
	beat := time.NewTicker(StreamHeartbeat)
	defer beat.Stop()
	end := time.NewTimer(StreamLifetime)
	defer end.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-sub.Done(): // service shutting down
			return nil
		case <-end.C:
			return nil
		case <-beat.C:
			if !send(": ping\n\n") {
				return nil
			}
		case <-sub.Ready():
			if wait := StreamMinGap - time.Since(last); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return nil
				case <-sub.Done():
					t.Stop()
					return nil
				}
			}
			c, ok := sub.Take()
			if !ok {
				continue
			}
			b, err := json.Marshal(c)
			if err != nil {
				return nil
			}
			if !send("id: %d\nevent: queue\ndata: %s\n\n", c.Seq, b) {
				return nil
			}
			last = time.Now()
		}
	}
}
