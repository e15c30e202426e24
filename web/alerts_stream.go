package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The live triage queue: a Server-Sent Events stream of "queue changed"
// notices (ids and a sequence number, never text, numbers or places), so
// the queue page reloads when something changes instead of polling.

const (
	// streamHeartbeat keeps proxies and the browser from closing an idle
	// stream.
	streamHeartbeat = 25 * time.Second
	// streamLifetime ends each stream after a while; the browser's
	// EventSource reconnects at once, which checks the session and role
	// again (a revoked session stops getting notices within this time).
	streamLifetime = 5 * time.Minute
	// streamWriteWait bounds one write to a slow or vanished client.
	streamWriteWait = 30 * time.Second
	// streamMinGap spaces a stream's notices: a change after a quiet spell
	// goes out at once, changes within this time of the last notice are
	// merged into the next one (the page reloads the queue on each notice;
	// at 500 alerts/s that is 4 notices a second, not 500).
	streamMinGap = 250 * time.Millisecond
)

// alertsStream answers GET /api/v1/alerts/stream with text/event-stream:
//
//	event: hello   data: {"version": N}      once, when subscribed
//	event: queue   data: alerts.Change       when alerts or incidents change
//	: ping                                    every 25 s
func (s *Server) alertsStream(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.alertsSvc()
	if err != nil {
		return err
	}
	// Each stream holds a goroutine and a subscription: beyond the
	// service's MaxStreams the page polls instead.
	release, ok := svc.OpenStream()
	if !ok {
		return errorf(http.StatusServiceUnavailable, "too many live queue streams open on this server; poll GET /api/v1/alerts instead")
	}
	defer release()
	rc := http.NewResponseController(w)
	// Subscribe before reading the version, so nothing committed after the
	// version read can be missed.
	sub := svc.Subscribe()
	defer sub.Close()
	version, err := svc.QueueVersion(r.Context())
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	send := func(format string, args ...any) bool {
		// The server's WriteTimeout would cut a long stream: each write
		// gets its own deadline instead (ignored where unsupported).
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteWait))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	hello, _ := json.Marshal(map[string]int64{"version": version})
	if !send("retry: 3000\nevent: hello\ndata: %s\n\n", hello) {
		return nil
	}
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	end := time.NewTimer(streamLifetime)
	defer end.Stop()
	var last time.Time
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-sub.Done(): // server shutting down
			return nil
		case <-end.C:
			return nil
		case <-beat.C:
			if !send(": ping\n\n") {
				return nil
			}
		case <-sub.Ready():
			if wait := streamMinGap - time.Since(last); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-r.Context().Done():
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
