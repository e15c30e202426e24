package alerts

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/syncx"
)

// The escalation webhook's notices are durable: each is written to the
// store's outbox (alert_notices) in the transaction that escalates
// (Store.MarkEscalated, Store.EscalateIncident) or, for another
// capability's notice (Escalate), on its own; then posted by SendNotices,
// which the request that wrote one starts in the background, as vigil
// serve does every NoticePoll, and Drain runs at a clean stop after the
// background pass under way (a stop never cuts its post). A notice is
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
	// What UnsentNotices answers too: the last failed post's reason (no
	// URL, no personal data), when it was given up (zero: not given up)
	// and when it is due.
	LastError string
	GaveUp    time.Time
	Next      time.Time
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
	// NoticeLate is how long a notice may wait unsent before the
	// Administration page lists it (Service.Notices): longer than the
	// first retries (30 s, 1, 2, 4 min), so a webhook that missed one post
	// is not reported.
	NoticeLate = 10 * time.Minute
	// noticeList bounds the notices Notices answers.
	noticeList = 200
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
	// The webhook is read once per pass: a change made in the browser
	// reaches the next pass (every NoticePoll, or the one the change
	// starts), on every server on the database.
	t, err := s.webhook(ctx)
	if err != nil || t.URL == "" {
		return 0, err
	}
	sent := 0
	for {
		now := s.now()
		ns, err := s.Store.DueNotices(ctx, now, noticeBatch)
		if err != nil || len(ns) == 0 {
			return sent, err
		}
		for _, n := range ns {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			ok, err := s.sendNotice(ctx, t, n)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(ns) < noticeBatch || ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
}

// sendNotice claims notice n (as DueNotices or the store answered it),
// posts it and records the outcome; true when the webhook took it. A
// notice another server or pass claimed first is left to it (false, nil).
// A post cut because ctx ended (vigil serve's stop, the deadline of its
// drain) is no try of the receiver's: it is handed back, due now, its
// try not counted.
func (s *Service) sendNotice(ctx context.Context, t hookTarget, n Notice) (bool, error) {
	now := s.now()
	ok, err := s.Store.ClaimNotice(ctx, n.ID, n.Tries, now, now.Add(NoticeLease))
	if err != nil || !ok {
		return false, err // !ok: another server, pass or retry took it
	}
	n.Tries++
	return s.postClaimed(ctx, t, n)
}

// postClaimed posts notice n, claimed with its Tries counted, and records
// the outcome (sendNotice).
func (s *Service) postClaimed(ctx context.Context, t hookTarget, n Notice) (bool, error) {
	err := s.post(ctx, t, n.Key, n.Body)
	// The outcome is recorded even when ctx ends now: a notice posted and
	// not marked sent would be posted again.
	done := context.WithoutCancel(ctx)
	at := s.now()
	switch {
	case err == nil:
		return true, s.Store.NoticeSent(done, n.ID, at)
	case ctx.Err() != nil:
		return false, s.Store.UnclaimNotice(done, n.ID, n.Tries, at)
	case n.Tries >= NoticeTries:
		s.Log.Error("escalation webhook: notice given up", "notice", n.Key, "tries", n.Tries)
		return false, s.Store.NoticeFailed(done, n.ID, err.Error(), at, time.Time{})
	default:
		return false, s.Store.NoticeFailed(done, n.ID, err.Error(), at, at.Add(noticeDelay(n.Tries)))
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
// by a process that stopped) until ctx ends; vigil serve runs it. Each
// poll is the background pass a new notice starts (kickNotices), so the
// stop does not cut a post under way: the webhook may have taken it, and
// a post handed back would be posted again by Drain, which waits for the
// pass instead (a post lasts at most the webhook client's timeout).
func (s *Service) RunNotices(ctx context.Context) {
	tick := time.NewTicker(NoticePoll)
	defer tick.Stop()
	for {
		s.kickNotices()
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

// NoticeView is a notice of the outbox as the Administration page lists
// it: what it is about (its type and incident, from its body), how many
// posts were tried, the last one's failure and its state: "given_up"
// (NoticeTries posts failed: it is posted no more unless retried by
// hand), "pending" (waiting longer than NoticeLate for its next try) or
// "no_webhook" (this server has no escalation webhook: nothing posts it).
type NoticeView struct {
	ID         int64      `json:"id"`
	Type       string     `json:"type"`
	IncidentID int64      `json:"incident_id,omitempty"`
	Created    time.Time  `json:"created"`
	Tries      int        `json:"tries"`
	State      string     `json:"state"`
	LastError  string     `json:"last_error,omitempty"`
	GaveUp     *time.Time `json:"gave_up_at,omitempty"`
	Next       *time.Time `json:"next_at,omitempty"`
}

// The states of a NoticeView.
const (
	NoticeGivenUp   = "given_up"
	NoticePending   = "pending"
	NoticeNoWebhook = "no_webhook"
	NoticeSentState = "sent" // RetryNotice's answer when the post succeeded
)

// NoticeReport is what the Administration page shows of the outbox: the
// notices nobody was told of yet, newest first (at most noticeList), and
// whether this server has an escalation webhook to post them to.
type NoticeReport struct {
	Webhook bool         `json:"webhook"`
	Notices []NoticeView `json:"notices"`
}

// Notices answers the notices given up and those unsent for longer than
// NoticeLate; without an escalation webhook, every unsent notice (queued
// while one was set, they wait for a server that has one). An admin's
// view: it holds no personal data (bodies never do).
func (s *Service) Notices(ctx context.Context) (NoticeReport, error) {
	hook := s.hasWebhook(ctx)
	ns, err := s.Store.UnsentNotices(ctx, s.noticesBefore(hook), noticeList)
	if err != nil {
		return NoticeReport{}, err
	}
	r := NoticeReport{Webhook: hook, Notices: make([]NoticeView, 0, len(ns))}
	for _, n := range ns {
		r.Notices = append(r.Notices, noticeView(n, hook))
	}
	return r, nil
}

// noticesBefore is Notices' rule: an unsent notice created before it is
// undelivered (given up ones whenever created): NoticeLate ago, or now
// without an escalation webhook (hook: one is in force).
func (s *Service) noticesBefore(hook bool) time.Time {
	if !hook {
		return s.now()
	}
	return s.now().Add(-NoticeLate)
}

// IncidentNotice is what an incident's page tells its analysts of an
// escalation notice about it that nobody was told of (Notices' rule:
// given up, waiting more than NoticeLate, or no webhook): what it was, its
// state and tries, when it was queued and given up. Never the webhook's URL
// nor the failure's text; the notice itself is on Administration →
// Escalation notices.
type IncidentNotice struct {
	Type    string     `json:"type"`
	State   string     `json:"state"`
	Tries   int        `json:"tries"`
	Created time.Time  `json:"created"`
	GaveUp  *time.Time `json:"gave_up_at,omitempty"`
}

// incidentNotices answers the notices of Notices about incident id (its
// own, Store.IncidentNotices: however many others wait, at most
// noticeList), nil when none.
func (s *Service) incidentNotices(ctx context.Context, id int64) ([]IncidentNotice, error) {
	hook := s.hasWebhook(ctx)
	ns, err := s.Store.IncidentNotices(ctx, id, s.noticesBefore(hook), noticeList)
	if err != nil {
		return nil, err
	}
	var out []IncidentNotice
	for _, n := range ns {
		if v := noticeView(n, hook); v.IncidentID == id {
			out = append(out, IncidentNotice{Type: v.Type, State: v.State, Tries: v.Tries, Created: v.Created, GaveUp: v.GaveUp})
		}
	}
	return out, nil
}

// noticeView is n as the page lists it; hook: a webhook is in force.
func noticeView(n Notice, hook bool) NoticeView {
	var body struct {
		Type       string `json:"type"`
		IncidentID int64  `json:"incident_id"`
	}
	_ = json.Unmarshal(n.Body, &body) // bodies are written by newNotice
	v := NoticeView{ID: n.ID, Type: body.Type, IncidentID: body.IncidentID, Created: n.Created, Tries: n.Tries, LastError: n.LastError}
	switch {
	case !n.GaveUp.IsZero():
		v.State, v.GaveUp = NoticeGivenUp, &n.GaveUp
	case !hook:
		v.State = NoticeNoWebhook
	default:
		v.State, v.Next = NoticePending, &n.Next
	}
	return v
}

// RetryNotice tries notice id again now, in actor's name (audited): its tries
// start again (NoticeTries more if this post fails too) and it is posted
// at once, claimed as a pass claims it (Store.RetryNotice), so a pass or
// another server never posts it at the same time; the answer says how it
// went (state "sent", else "pending" with the failure). A notice already
// sent, or none, is a keyed 404; without an escalation webhook, or while
// another poster holds the notice's claim (its post under way), a keyed
// conflict (nothing is written).
func (s *Service) RetryNotice(ctx context.Context, actor string, id int64) (NoticeView, error) {
	t, err := s.webhook(ctx)
	if err != nil {
		return NoticeView{}, err
	}
	if t.URL == "" {
		return NoticeView{}, apperr.Say(apperr.KindConflict, "", "alerts.refusal.no-webhook")
	}
	now := s.now()
	n, err := s.Store.RetryNotice(ctx, actor, id, now, now.Add(NoticeLease))
	if errors.Is(err, apperr.ErrNotFound) {
		return NoticeView{}, apperr.Say(apperr.KindNotFound, "", "alerts.refusal.no-notice", id)
	}
	if err != nil {
		return NoticeView{}, err
	}
	sent, err := s.postClaimed(ctx, t, n)
	if err != nil {
		return NoticeView{}, err
	}
	if sent {
		v := noticeView(n, true)
		v.State, v.Next = NoticeSentState, nil
		return v, nil
	}
	ns, err := s.Store.UnsentNotices(ctx, s.now(), noticeList)
	if err != nil {
		return NoticeView{}, err
	}
	for _, m := range ns {
		if m.ID == id {
			return noticeView(m, true), nil
		}
	}
	// Sent meanwhile by another server.
	v := noticeView(n, true)
	v.State, v.Next = NoticeSentState, nil
	return v, nil
}
