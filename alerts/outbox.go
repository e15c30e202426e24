package alerts

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"sync"
	"time"

	"github.com/vigil-project/vigil/internal/syncx"
)

// The escalation webhook's notices are durable: each is written to the
// store's outbox (alert_notices) in the transaction that escalates
// (Store.MarkEscalated, Store.EscalateIncident) or, for another
// capability's notice (Escalate), on its own; then posted by SendNotices,
// which the request that wrote one starts in the background, vigil serve
// runs every NoticePoll and Drain runs at a clean stop. A notice is
// claimed before it is posted (Store.ClaimNotice: its tries counter moves
// on and it is not due again for NoticeLease), so two servers on one
// database, or a background pass and Drain, never post it at once; one
// whose process died during the post (kill -9, a crash) is posted again
// once the lease is over, with the same key: the receiver recognises it by
// the Idempotency-Key header and the body's "notice_id". A failed post is
// tried again after a growing delay (noticeDelay), NoticeTries times in
// all, then given up (logged). Rows are deleted NoticeKeep after they
// were sent or given up (ForgetNotices, hourly).

// Notice is an escalation webhook notice in the store's outbox.
type Notice struct {
	ID  int64
	Key string // its idempotency key: the Idempotency-Key header and the body's "notice_id"
	// Body is the JSON posted: what the notice says, no reporter's number,
	// name or message.
	Body    []byte
	Created time.Time
	Tries   int // posts tried so far (claims)
}

const (
	// NoticeTries bounds the posts of one notice; after the last fails
	// it is given up: nine tries, after noticeDelay's 30 s, 1, 2 … 64 min,
	// span about two hours (127.5 min; eight spanned 63.5).
	NoticeTries = 9
	// NoticeLease is how long a claimed notice is not due: a post that
	// neither succeeded nor failed by then (its process died) is tried
	// again. Longer than the webhook client's 10 s timeout.
	NoticeLease = time.Minute
	// NoticeKeep is how long a notice is kept after it was sent or given
	// up (ForgetNotices).
	NoticeKeep = 7 * 24 * time.Hour
	// NoticePoll is how often vigil serve looks for due notices.
	NoticePoll = 10 * time.Second
	// noticeBatch is how many due notices one look takes.
	noticeBatch = 50
)

// noticeDelay is the wait before the post after the tries-th failed one:
// 30 s, doubling, at most an hour (NoticeTries' nine span about two
// hours).
func noticeDelay(tries int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < tries && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// newNotice is body as a notice with a fresh key, which the body carries
// as "notice_id".
func newNotice(body map[string]any) *Notice {
	key := "vigil-" + rand.Text()
	body["notice_id"] = key
	b, err := json.Marshal(body)
	if err != nil {
		// Bodies are maps of numbers, strings and booleans built here.
		panic("alerts: escalation notice: " + err.Error())
	}
	return &Notice{Key: key, Body: b}
}

// noticeRunner is the background pass of SendNotices that a new notice
// starts (kickNotices): one at a time, another pass when asked while one
// runs.
type noticeRunner struct {
	mu      sync.Mutex
	running bool
	again   bool
	idle    chan struct{} // closed when no pass runs
}

// kickNotices sends the due notices in the background and returns at
// once: the request that escalated does not wait for the webhook.
func (s *Service) kickNotices() {
	q := &s.notices
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.running {
		q.again = true
		return
	}
	q.running, q.again = true, false
	q.idle = make(chan struct{})
	go func() {
		for {
			if _, err := s.SendNotices(context.Background()); err != nil {
				s.Log.Error("escalation webhook: outbox", "err", err)
			}
			q.mu.Lock()
			if q.again {
				q.again = false
				q.mu.Unlock()
				continue
			}
			q.running = false
			close(q.idle)
			q.mu.Unlock()
			return
		}
	}()
}

// SendNotices posts every notice of the outbox that is due now, once each,
// and answers how many were sent. Without an escalation URL it sends
// nothing (the notices wait).
func (s *Service) SendNotices(ctx context.Context) (int, error) {
	if s.EscalationURL == "" {
		return 0, nil
	}
	sent := 0
	for {
		now := s.now()
		ns, err := s.Store.DueNotices(ctx, now, noticeBatch)
		if err != nil || len(ns) == 0 {
			return sent, err
		}
		for _, n := range ns {
			ok, err := s.Store.ClaimNotice(ctx, n.ID, n.Tries, now.Add(NoticeLease))
			if err != nil {
				return sent, err
			}
			if !ok {
				continue // another server or pass took it
			}
			n.Tries++
			err = s.post(ctx, n.Key, n.Body)
			// The outcome is recorded even when ctx ends now: a notice
			// posted and not marked sent would be posted again.
			done := context.WithoutCancel(ctx)
			at := s.now()
			switch {
			case err == nil:
				sent++
				err = s.Store.NoticeSent(done, n.ID, at)
			case n.Tries >= NoticeTries:
				s.Log.Error("escalation webhook: notice given up", "notice", n.Key, "tries", n.Tries)
				err = s.Store.NoticeFailed(done, n.ID, err.Error(), at, time.Time{})
			default:
				err = s.Store.NoticeFailed(done, n.ID, err.Error(), at, at.Add(noticeDelay(n.Tries)))
			}
			if err != nil {
				return sent, err
			}
		}
		if len(ns) < noticeBatch || ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
}

// Drain waits for the background pass under way, if any, then sends the
// notices due now (vigil serve's stop: a notice written before is posted
// now rather than at the next start), until ctx ends.
func (s *Service) Drain(ctx context.Context) error {
	q := &s.notices
	q.mu.Lock()
	var idle chan struct{}
	if q.running {
		idle = q.idle
	}
	q.mu.Unlock()
	if err := syncx.WaitClosed(ctx, idle); err != nil {
		return err
	}
	_, err := s.SendNotices(ctx)
	return err
}

// RunNotices sends due notices every NoticePoll (retries, and notices left
// by a process that stopped) until ctx ends; vigil serve runs it.
func (s *Service) RunNotices(ctx context.Context) {
	tick := time.NewTicker(NoticePoll)
	defer tick.Stop()
	for {
		if _, err := s.SendNotices(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("escalation webhook: outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// ForgetNotices deletes the notices sent or given up more than NoticeKeep
// ago, answering how many (vigil serve, hourly).
func (s *Service) ForgetNotices(ctx context.Context) (int64, error) {
	return s.Store.ForgetNotices(ctx, s.now().Add(-NoticeKeep))
}
