package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// noticeHook is an escalation webhook that records what it is posted.
type noticeHook struct {
	srv    *httptest.Server
	status atomic.Int32 // the answer; 0: 204
	mu     sync.Mutex
	posts  []noticePost
	// hold, when set, holds the next post (recorded) until it is closed;
	// held says the post is in.
	hold, held chan struct{}
}

// holdNext makes the next post wait, once recorded, until release is
// called; it answers a channel closed when that post is in.
func (h *noticeHook) holdNext(t *testing.T) (in <-chan struct{}, release func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hold, h.held = make(chan struct{}), make(chan struct{})
	hold := h.hold
	var once sync.Once
	release = func() { once.Do(func() { close(hold) }) }
	t.Cleanup(release)
	return h.held, release
}

type noticePost struct {
	key, id, kind string // Idempotency-Key header, body's notice_id and type
	body          map[string]any
}

func newNoticeHook(t *testing.T) *noticeHook {
	h := &noticeHook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("notice %s: %v", b, err)
		}
		h.mu.Lock()
		h.posts = append(h.posts, noticePost{key: r.Header.Get("Idempotency-Key"), id: fmt.Sprint(m["notice_id"]), kind: fmt.Sprint(m["type"]), body: m})
		hold, held := h.hold, h.held
		h.hold, h.held = nil, nil
		h.mu.Unlock()
		if hold != nil {
			close(held)
			<-hold
		}
		if st := h.status.Load(); st != 0 {
			w.WriteHeader(int(st))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *noticeHook) got() []noticePost {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]noticePost(nil), h.posts...)
}

// noticeServer is a fresh alert service on db (another process on the
// same database) posting to h at the clock *now.
func noticeServer(t *testing.T, db *storage.DB, h *noticeHook, now *time.Time) *alerts.Service {
	s := alertService(t, db)
	s.EscalationURL = h.srv.URL + "/hook/SECRET"
	s.Now = func() time.Time { return *now }
	s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	return s
}

// testNoticeOutbox: an escalation's webhook notice is written with the
// escalation, in its transaction (alert_notices, migration 0061), so a
// server killed before it posted it loses nothing: another server on the
// database (a restart) posts it, exactly once per notice id, the id in
// the Idempotency-Key header and the body's notice_id. A server killed
// during the post (notice claimed, not settled) has it posted again with
// the same id once NoticeLease is over, not before. Before, the notice was
// queued in memory and lost.
func testNoticeOutbox(t *testing.T, ctx context.Context, db *storage.DB) {
	h := newNoticeHook(t)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
	s.Now = func() time.Time { return now }
	var incidents []int64
	for i := range 3 {
		a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: fmt.Sprint("m", i), From: "+243812345678", Message: fmt.Sprintf("armed men at %d.5, 30.2", i)})
		if err != nil {
			t.Fatal(err)
		}
		incidents = append(incidents, a.IncidentID)
	}
	// The first server: its transactions write the notices (as the service
	// does with a webhook set), then it is killed before any post.
	notice := func(kind string) func(alerts.Incident) *alerts.Notice {
		return func(in alerts.Incident) *alerts.Notice {
			return &alerts.Notice{Key: fmt.Sprintf("k-%s-%d", kind, in.ID), Body: fmt.Appendf(nil, `{"type":%q,"notice_id":"k-%s-%d","incident_id":%d}`, kind, kind, in.ID, in.ID)}
		}
	}
	if _, err := db.EscalateIncident(ctx, "rex", incidents[0], "escalated by hand: families on the road", now, notice("hand")); err != nil {
		t.Fatal(err)
	}
	in1, _ := db.Incident(ctx, incidents[1])
	if ok, err := db.MarkEscalated(ctx, incidents[1], "triage overdue", now, notice("overdue")(in1)); !ok || err != nil {
		t.Fatalf("MarkEscalated: %v %v", ok, err)
	}
	// Refused escalations write no notice: already escalated, closed.
	if ok, err := db.MarkEscalated(ctx, incidents[1], "triage overdue", now, notice("again")(in1)); ok || err != nil {
		t.Fatalf("MarkEscalated again: %v %v", ok, err)
	}
	closed := alerts.False
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	if _, err := s.UpdateIncident(ctx, rex, incidents[2], alerts.Update{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EscalateIncident(ctx, "rex", incidents[2], "escalated by hand: late", now, notice("closed")); err == nil {
		t.Fatal("a closed incident escalated")
	}
	// The restarted server posts both, once each.
	b := noticeServer(t, db, h, &now)
	if err := b.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if err := noticeServer(t, db, h, &now).Drain(ctx); err != nil { // and a third: nothing left
		t.Fatal(err)
	}
	got := h.got()
	want := map[string]bool{fmt.Sprintf("k-hand-%d", incidents[0]): true, fmt.Sprintf("k-overdue-%d", incidents[1]): true}
	if len(got) != 2 {
		t.Fatalf("%d posts %+v, want 2", len(got), got)
	}
	for _, p := range got {
		if !want[p.key] || p.id != p.key {
			t.Errorf("post %+v: want one of %v, header and notice_id the same", p, want)
		}
		delete(want, p.key)
	}

	// Killed during the post: the notice is claimed (as a server does
	// just before posting) and never settled.
	s.EscalationURL = h.srv.URL
	if _, err := db.EscalateIncident(ctx, "rex", incidents[0], "escalated by hand: again", now, notice("crash")); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueNotices(ctx, now, 10)
	if err != nil || len(due) != 1 || due[0].Tries != 0 {
		t.Fatalf("due %+v %v", due, err)
	}
	if ok, err := db.ClaimNotice(ctx, due[0].ID, 0, now, now.Add(alerts.NoticeLease)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if ok, err := db.ClaimNotice(ctx, due[0].ID, 0, now, now.Add(alerts.NoticeLease)); ok || err != nil {
		t.Fatalf("second claim with the same count: %v %v, want refused", ok, err)
	}
	if err := b.Drain(ctx); err != nil || len(h.got()) != 2 {
		t.Fatalf("posted within the lease: %d posts %v", len(h.got()), err)
	}
	later := now.Add(alerts.NoticeLease)
	b.Now = func() time.Time { return later }
	if err := b.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.got(); len(got) != 3 || got[2].key != fmt.Sprintf("k-crash-%d", incidents[0]) || got[2].id != got[2].key {
		t.Fatalf("after the lease: %+v", got)
	}
	if err := b.Drain(ctx); err != nil || len(h.got()) != 3 {
		t.Fatalf("posted again: %d %v", len(h.got()), err)
	}
}

// testNoticeServers: servers draining one outbox at the same moment post
// each notice once (ClaimNotice's UPDATE decides), the hand escalation's
// notice as the service writes it (its type, reason, no reporter's
// number).
func testNoticeServers(t *testing.T, ctx context.Context, db *storage.DB) {
	h := newNoticeHook(t)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
	s.Now = func() time.Time { return now }
	a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m1", From: "+243812345678", Message: "armed men at the market"})
	if err != nil {
		t.Fatal(err)
	}
	// A service whose webhook hangs up: its own post fails and is retried
	// later, after the other servers took the notice.
	s.EscalationURL = "http://127.0.0.1:1/down"
	s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := s.EscalateIncident(ctx, &auth.User{Name: "rex", Role: auth.Responder}, a.IncidentID, alerts.EscalateRequest{Reason: "families on the road"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Hour)
	var wg sync.WaitGroup
	for range 8 {
		srv := noticeServer(t, db, h, &later)
		wg.Go(func() {
			if err := srv.Drain(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := h.got()
	if len(got) != 1 {
		t.Fatalf("8 servers posted %d times: %+v", len(got), got)
	}
	p := got[0]
	if p.kind != "vigil.incident.escalated" || p.body["reason"] != "families on the road" || p.key == "" || p.id != p.key ||
		fmt.Sprint(p.body["incident_id"]) != fmt.Sprint(a.IncidentID) {
		t.Errorf("notice %+v", p)
	}
	for k, v := range p.body {
		if s := fmt.Sprint(v); s == "+243812345678" || s == "armed men at the market" {
			t.Errorf("notice field %s holds the reporter's %q", k, s)
		}
	}
}

// testNoticeRetrySpan: a notice is tried for about two hours before it is
// given up, as docs/alerts.md promises: a webhook down for an hour and
// three quarters, polled every alerts.NoticePoll, still gets it, once,
// and one down for three hours does not (given up, posted no more).
// Before, eight tries after 30 s, 1, 2 … 32 min spanned 63.5 min: the
// notice was given up an hour in.
func testNoticeRetrySpan(t *testing.T, ctx context.Context, db *storage.DB) {
	for _, tc := range []struct {
		name string
		down time.Duration // the webhook refuses until then
		sent bool
	}{
		{"down 1 h 45 min", 105 * time.Minute, true},
		{"down 3 h", 3 * time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newNoticeHook(t)
			h.status.Store(http.StatusServiceUnavailable)
			start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
			now := start
			s := noticeServer(t, db, h, &now)
			if !s.Escalate(ctx, map[string]any{"type": "vigil.withdrawal.trigger", "cell": 1}) {
				t.Fatal("Escalate: no webhook")
			}
			if err := s.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			sent := 0
			for now.Before(start.Add(4 * time.Hour)) {
				now = now.Add(alerts.NoticePoll)
				if !now.Before(start.Add(tc.down)) {
					h.status.Store(0)
				}
				n, err := s.SendNotices(ctx)
				if err != nil {
					t.Fatal(err)
				}
				sent += n
			}
			if want := map[bool]int{true: 1, false: 0}[tc.sent]; sent != want {
				t.Errorf("sent %d times after %d posts, want %d", sent, len(h.got()), want)
			}
		})
	}
}

// testNoticeRetries: a webhook that keeps refusing gets the notice
// alerts.NoticeTries times, each after the delay, then it is given up; the
// notices sent or given up are deleted after alerts.NoticeKeep, not before.
func testNoticeRetries(t *testing.T, ctx context.Context, db *storage.DB) {
	h := newNoticeHook(t)
	h.status.Store(http.StatusServiceUnavailable)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s := noticeServer(t, db, h, &now)
	if !s.Escalate(ctx, map[string]any{"type": "vigil.withdrawal.trigger", "cell": 1}) {
		t.Fatal("Escalate: no webhook")
	}
	for i := range alerts.NoticeTries + 3 {
		if err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(h.got()); n != min(i+1, alerts.NoticeTries) {
			t.Fatalf("pass %d: %d posts", i, n)
		}
		now = now.Add(2 * time.Hour) // past any delay
	}
	for _, p := range h.got() {
		if p.key != h.got()[0].key {
			t.Fatalf("a retry under another key: %+v", h.got())
		}
	}
	h.status.Store(0)
	if !s.Escalate(ctx, map[string]any{"type": "vigil.integrity.spike"}) {
		t.Fatal("Escalate: no webhook")
	}
	if err := s.Drain(ctx); err != nil || len(h.got()) != alerts.NoticeTries+1 {
		t.Fatalf("sent: %d %v", len(h.got()), err)
	}
	// Given up 8 h before the other was sent; each kept NoticeKeep.
	now = now.Add(alerts.NoticeKeep - time.Minute)
	if n, err := s.ForgetNotices(ctx); n != 1 || err != nil {
		t.Fatalf("ForgetNotices: %d %v, want 1 (the notice given up)", n, err)
	}
	now = now.Add(2 * time.Minute)
	if n, err := s.ForgetNotices(ctx); n != 1 || err != nil {
		t.Fatalf("ForgetNotices: %d %v, want 1 (the notice sent)", n, err)
	}
	if n, err := s.ForgetNotices(ctx); n != 0 || err != nil {
		t.Fatalf("ForgetNotices again: %d %v", n, err)
	}
}

// testNoticeAdmin: the notices nobody was told of are listed for the
// Administration page (alerts.Service.Notices) and can be tried again by
// hand (RetryNotice, audited). A notice given up after its NoticeTries
// posts is listed with its last failure and when it was given up; one
// waiting longer than NoticeLate is listed as pending; a fresh one is
// not. On a server without a webhook every unsent notice is listed as
// "no_webhook" and a retry is a keyed conflict that writes nothing. A
// retry posts the notice at once, with its key; a sent notice or an
// unknown id is a keyed 404. Before, a notice given up was only logged.
func testNoticeAdmin(t *testing.T, ctx context.Context, db *storage.DB) {
	h := newNoticeHook(t)
	h.status.Store(http.StatusServiceUnavailable)
	start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	now := start
	s := noticeServer(t, db, h, &now)
	const admin = "ada"
	s.Escalate(ctx, map[string]any{"type": "vigil.withdrawal.trigger", "cell": 1})
	for range alerts.NoticeTries {
		if err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Hour) // past any delay
	}
	gaveUpAt := now.Add(-2 * time.Hour)
	s.Escalate(ctx, map[string]any{"type": "vigil.integrity.spike"}) // tried now and 20 min later
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	now = now.Add(20 * time.Minute)
	s.Escalate(ctx, map[string]any{"type": "vigil.incident.overdue", "incident_id": 7}) // fresh, tried once
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := s.Notices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		typ, state, err string
		tries           int
	}
	got := []row{}
	for _, v := range r.Notices {
		got = append(got, row{v.Type, v.State, v.LastError, v.Tries})
	}
	want := []row{{"vigil.integrity.spike", alerts.NoticePending, "status 503", 2}, {"vigil.withdrawal.trigger", alerts.NoticeGivenUp, "status 503", alerts.NoticeTries}}
	if !r.Webhook || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Notices: webhook %v %+v, want %+v", r.Webhook, got, want)
	}
	if g := r.Notices[1].GaveUp; g == nil || !g.Equal(gaveUpAt) {
		t.Errorf("given up at %v, want %v", g, gaveUpAt)
	}

	// Without a webhook: every unsent notice, nothing can post them.
	bare := alertService(t, db)
	bare.Now = s.Now
	r, err = bare.Notices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := []string{}
	for _, v := range r.Notices {
		states = append(states, v.Type+" "+v.State)
	}
	if w := "[vigil.incident.overdue no_webhook vigil.integrity.spike no_webhook vigil.withdrawal.trigger given_up]"; r.Webhook || fmt.Sprint(states) != w {
		t.Errorf("without a webhook: %v %v, want %s", r.Webhook, states, w)
	}
	if r.Notices[0].IncidentID != 7 {
		t.Errorf("incident %d, want 7", r.Notices[0].IncidentID)
	}
	given := r.Notices[2].ID
	if _, err := bare.RetryNotice(ctx, admin, given); !keyed(err, apperr.KindConflict, "alerts.refusal.no-webhook") {
		t.Errorf("retry without a webhook: %v, want the keyed conflict", err)
	}
	if n := len(auditActions(t, db, "alerts.notice.retry")); n != 0 {
		t.Errorf("%d retries audited, want 0", n)
	}

	// Retried by hand: posted at once with its key, audited.
	h.status.Store(0)
	v, err := s.RetryNotice(ctx, admin, given)
	if err != nil || v.State != alerts.NoticeSentState {
		t.Fatalf("retry: %+v %v", v, err)
	}
	posts := h.got()
	if last := posts[len(posts)-1]; last.kind != "vigil.withdrawal.trigger" || last.key != posts[0].key {
		t.Errorf("retry posted %+v, want the given-up notice under its key %s", last, posts[0].key)
	}
	if rs := auditActions(t, db, "alerts.notice.retry"); len(rs) != 1 || rs[0].Actor != "ada" || rs[0].Object != fmt.Sprintf("notice:%d", given) {
		t.Errorf("audit %+v", rs)
	}
	for _, id := range []int64{given, 999999} {
		if _, err := s.RetryNotice(ctx, admin, id); !keyed(err, apperr.KindNotFound, "alerts.refusal.no-notice") {
			t.Errorf("retry of %d: %v, want the keyed 404", id, err)
		}
	}
	r, _ = s.Notices(ctx)
	if len(r.Notices) != 1 || r.Notices[0].Type != "vigil.integrity.spike" {
		t.Errorf("after the retry: %+v", r.Notices)
	}
}

// testNoticeStopCut: a post cut because the server stops (its context
// ends while the webhook has not answered) is not counted as a try: the
// notice is due again at once, its tries as before, not given up nor
// delayed. Before, it counted as a failure of the receiver's.
func testNoticeStopCut(t *testing.T, ctx context.Context, db *storage.DB) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s := alertService(t, db)
	s.Now = func() time.Time { return now }
	s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	stop, cancel := context.WithCancel(ctx)
	s.EscalationURL = "https://hooks.example.org/escalate"
	s.HTTP = &http.Client{Transport: stopHook(cancel)}
	// Queued as Escalate does, without its background pass.
	if err := db.QueueNotice(ctx, &alerts.Notice{Key: "vigil-cut", Body: []byte(`{"type":"vigil.withdrawal.trigger"}`)}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendNotices(stop); err == nil {
		t.Error("SendNotices after the stop: no error")
	}
	ns, err := db.DueNotices(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Tries != 0 || ns[0].LastError != "" {
		t.Fatalf("after a post cut by the stop: due %+v, want the notice due now, 0 tries, no error", ns)
	}
}

// testNoticeStopDuringPoll: vigil serve stops (RunNotices' context ends)
// while its poll's post is under way and the webhook takes it: the post
// is let finish, so the notice is sent once and Drain, at the stop, posts
// nothing more. Before, the stop cut the post (a try handed back, due
// now) and Drain posted the notice a second time: CI's kill -9 test of
// the outbox (TestEscalationNoticeSurvivesKill9) saw three posts where
// two were due.
func testNoticeStopDuringPoll(t *testing.T, ctx context.Context, db *storage.DB) {
	h := newNoticeHook(t)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s := noticeServer(t, db, h, &now)
	if err := db.QueueNotice(ctx, &alerts.Notice{Key: "vigil-poll", Body: []byte(`{"type":"vigil.incident.overdue","notice_id":"vigil-poll"}`)}, now); err != nil {
		t.Fatal(err)
	}
	in, release := h.holdNext(t)
	run, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		s.RunNotices(run)
	}()
	<-in   // the poll's post is at the webhook
	stop() // the server stops
	<-ran
	release() // the webhook takes the post
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.got(); len(got) != 1 || got[0].key != "vigil-poll" {
		t.Errorf("posts %+v: want the notice once", got)
	}
	ns, err := db.UnsentNotices(ctx, now.Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 0 {
		t.Errorf("unsent after the stop: %+v, want none (the post was taken)", ns)
	}
}

// stopHook is a webhook that stops its server (cancel) while it is posted
// to, and answers when the request's context ends.
type stopHook context.CancelFunc

func (f stopHook) RoundTrip(r *http.Request) (*http.Response, error) {
	f()
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// keyed reports whether err is the catalog refusal key of kind.
func keyed(err error, kind apperr.Kind, key string) bool {
	e := apperr.As(err)
	return e != nil && e.Kind == kind && e.Key == key
}

// testNoticeRetryRace: a retry by hand and a pass of the outbox racing
// for one notice post it once. The retry takes the notice's claim as a
// pass does: while another poster holds it (its post under way), the
// retry is a keyed conflict (alerts.refusal.notice-busy) that writes
// nothing; while the retry's own post is under way, a pass that read the
// notice due just before cannot claim it, nor can another admin's retry.
// Before, the retry reset the notice's tries whatever its claim and
// posted it again (two posts).
func testNoticeRetryRace(t *testing.T, ctx context.Context, db *storage.DB) {
	for _, tc := range []struct {
		name      string
		passFirst bool // the pass's post is under way when the retry comes; else the retry's
	}{
		{"retry during the pass's post", true},
		{"pass during the retry's post", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newNoticeHook(t)
			h.status.Store(http.StatusServiceUnavailable)
			now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
			pass, admin := noticeServer(t, db, h, &now), noticeServer(t, db, h, &now)
			n := &alerts.Notice{Key: "vigil-race-" + fmt.Sprint(tc.passFirst), Body: []byte(`{"type":"vigil.withdrawal.trigger"}`)}
			if err := db.QueueNotice(ctx, n, now); err != nil {
				t.Fatal(err)
			}
			if _, err := pass.SendNotices(ctx); err != nil { // a first post refused: 1 try, due again in 30 s
				t.Fatal(err)
			}
			now = now.Add(time.Minute)
			h.status.Store(0)
			in, release := h.holdNext(t)
			type outcome struct {
				v   alerts.NoticeView
				err error
			}
			done := make(chan outcome, 1)
			if tc.passFirst {
				go func() { _, err := pass.SendNotices(ctx); done <- outcome{err: err} }()
				<-in
				if v, err := admin.RetryNotice(ctx, "ada", n.ID); !keyed(err, apperr.KindConflict, "alerts.refusal.notice-busy") {
					t.Errorf("retry while the pass posts: %+v %v, want the keyed conflict", v, err)
				}
				if rs := auditActions(t, db, "alerts.notice.retry"); len(rs) != 0 {
					t.Errorf("refused retry audited: %+v", rs)
				}
			} else {
				due, err := db.DueNotices(ctx, now, 10)
				if err != nil || len(due) != 1 {
					t.Fatalf("due %+v %v", due, err)
				}
				go func() { v, err := admin.RetryNotice(ctx, "ada", n.ID); done <- outcome{v, err} }()
				<-in
				if ok, err := db.ClaimNotice(ctx, n.ID, due[0].Tries, now, now.Add(alerts.NoticeLease)); ok || err != nil {
					t.Errorf("the pass claimed the notice the retry posts: %v %v", ok, err)
				}
				if _, err := pass.SendNotices(ctx); err != nil {
					t.Error(err)
				}
				if v, err := noticeServer(t, db, h, &now).RetryNotice(ctx, "bo", n.ID); !keyed(err, apperr.KindConflict, "alerts.refusal.notice-busy") {
					t.Errorf("a second retry during the first's post: %+v %v, want the keyed conflict", v, err)
				}
			}
			release()
			o := <-done
			if o.err != nil || (!tc.passFirst && o.v.State != alerts.NoticeSentState) {
				t.Fatalf("the post under way: %+v %v", o.v, o.err)
			}
			if got := h.got(); len(got) != 2 {
				t.Errorf("%d posts (one refused, then %+v), want 2: the notice posted once", len(got), got[1:])
			}
			if r, err := admin.Notices(ctx); err != nil || len(r.Notices) != 0 {
				t.Errorf("unsent after: %+v %v", r.Notices, err)
			}
		})
	}
}

// testNoticeRetrySoon: a notice whose first post failed is due again in
// 30 s (noticeDelay), within NoticeLease: retried by hand at once, it is
// posted (nobody holds it); one actually claimed by a pass (its post under
// way) is still refused as busy, and one whose claim's lease ran out (its
// server died mid-post) is taken. Before (migration 0062's claimed_until),
// the store told a claim from a short retry delay only by next_at, and
// refused the first « en cours d'envoi » for up to a minute.
func testNoticeRetrySoon(t *testing.T, ctx context.Context, db *storage.DB) {
	h := newNoticeHook(t)
	h.status.Store(http.StatusServiceUnavailable)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s := noticeServer(t, db, h, &now)
	queue := func(key string) *alerts.Notice {
		t.Helper()
		n := &alerts.Notice{Key: key, Body: []byte(`{"type":"vigil.incident.overdue","incident_id":7}`)}
		if err := db.QueueNotice(ctx, n, now); err != nil {
			t.Fatal(err)
		}
		return n
	}
	failed := queue("vigil-soon-failed")
	if _, err := s.SendNotices(ctx); err != nil { // refused: 1 try, due again in 30 s
		t.Fatal(err)
	}
	h.status.Store(0)
	if v, err := s.RetryNotice(ctx, "ada", failed.ID); err != nil || v.State != alerts.NoticeSentState {
		t.Errorf("retry of a notice due again in 30 s: %+v %v, want it posted", v, err)
	}

	claimed := queue("vigil-soon-claimed")
	if ok, err := db.ClaimNotice(ctx, claimed.ID, 0, now, now.Add(alerts.NoticeLease)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	for _, at := range []time.Duration{0, 30 * time.Second} {
		later := now.Add(at)
		if _, err := db.RetryNotice(ctx, "ada", claimed.ID, later, later.Add(alerts.NoticeLease)); !keyed(err, apperr.KindConflict, "alerts.refusal.notice-busy") {
			t.Errorf("retry %v into a pass's claim: %v, want the keyed conflict", at, err)
		}
	}
	later := now.Add(alerts.NoticeLease + time.Second) // the claimer died
	if n, err := db.RetryNotice(ctx, "ada", claimed.ID, later, later.Add(alerts.NoticeLease)); err != nil || n.Tries != 1 {
		t.Errorf("retry after the claim's lease: %+v %v, want it claimed anew", n, err)
	}
	if _, err := db.RetryNotice(ctx, "bo", claimed.ID, later, later.Add(alerts.NoticeLease)); !keyed(err, apperr.KindConflict, "alerts.refusal.notice-busy") {
		t.Errorf("a second retry into the first's claim: %v, want the keyed conflict", err)
	}
	if err := db.UnclaimNotice(ctx, claimed.ID, 1, later); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RetryNotice(ctx, "bo", claimed.ID, later, later.Add(alerts.NoticeLease)); err != nil {
		t.Errorf("retry of a notice handed back: %v", err)
	}
	if n := len(auditActions(t, db, "alerts.notice.retry")); n != 3 {
		t.Errorf("%d retries audited, want 3 (the refused ones not)", n)
	}
}

// testNoticeIncidentPage: an incident's page lists its undelivered
// escalation notice however many newer notices about other incidents wait
// unsent (a busy server, a webhook down for hours). Before, the page
// looked through the 200 newest unsent notices (Notices' list) only, and
// 201 newer ones hid it. A notice about incident 10·id (its id written
// after this one's) is not this incident's.
func testNoticeIncidentPage(t *testing.T, ctx context.Context, db *storage.DB) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
	s.Now = func() time.Time { return now }
	a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m1", From: "+243812345678", Message: "armed men at 1.5, 30.2"})
	if err != nil {
		t.Fatal(err)
	}
	id := a.IncidentID
	queue := func(key string, incident int64, at time.Time) {
		t.Helper()
		body := fmt.Sprintf(`{"incident_id":%d,"notice_id":%q,"type":"vigil.incident.overdue"}`, incident, key)
		if err := db.QueueNotice(ctx, &alerts.Notice{Key: key, Body: []byte(body)}, at); err != nil {
			t.Fatal(err)
		}
	}
	queue("vigil-mine", id, now.Add(-3*time.Hour))
	queue("vigil-tenfold", 10*id, now.Add(-2*time.Hour))
	for i := range 201 {
		queue(fmt.Sprint("vigil-other-", i), id+1000+int64(i), now.Add(-time.Hour+time.Duration(i)*time.Second))
	}
	p, err := s.IncidentPage(ctx, auth.Analyst, id, nil, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notices) != 1 || p.Notices[0].State != alerts.NoticeNoWebhook || !p.Notices[0].Created.Equal(now.Add(-3*time.Hour)) {
		t.Errorf("incident %d's page: notices %+v, want its one notice (no webhook) behind 201 newer ones", id, p.Notices)
	}
}

// testNoticeIncidentUpgrade: the notices queued before migration 0063
// (an incident's, sent or not, another's, one about no incident) get the
// incident their body names, so that an incident's page still finds its
// undelivered ones; a notice about no incident has none.
func testNoticeIncidentUpgrade(t *testing.T, ctx context.Context, db *storage.DB) {
	wipe(t, db)
	if err := db.MigrateTo(ctx, 62); err != nil {
		t.Fatal(err)
	}
	const at = "2026-12-06T04:40:00.000000Z"
	rows := []struct {
		key, body string
		sent      bool
		want      sql.NullInt64
	}{
		{"vigil-a", `{"incident_id":5,"notice_id":"vigil-a","type":"vigil.incident.escalated"}`, false, sql.NullInt64{Int64: 5, Valid: true}},
		{"vigil-b", `{"incident_id":50,"notice_id":"vigil-b","overdue":"triage","type":"vigil.incident.overdue"}`, false, sql.NullInt64{Int64: 50, Valid: true}},
		{"vigil-c", `{"incident_id":5,"notice_id":"vigil-c","type":"vigil.incident.overdue"}`, true, sql.NullInt64{Int64: 5, Valid: true}},
		{"vigil-d", `{"notice_id":"vigil-d","type":"vigil.withdrawal.trigger"}`, false, sql.NullInt64{}},
	}
	for _, r := range rows {
		sent := sql.NullString{String: at, Valid: r.sent}
		if _, err := db.Exec(ctx, db.SQL, `INSERT INTO alert_notices (notice_key, body, created, next_at, sent_at) VALUES (?, ?, ?, ?, ?)`, r.key, r.body, at, at, sent); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var got sql.NullInt64
		if err := db.QueryRow(ctx, db.SQL, `SELECT incident_id FROM alert_notices WHERE notice_key = ?`, r.key).Scan(&got); err != nil || got != r.want {
			t.Errorf("%s: incident %+v (%v), want %+v", r.key, got, err, r.want)
		}
	}
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		incident int64
		want     []string
	}{{5, []string{"vigil-a"}}, {50, []string{"vigil-b"}}, {0, nil}} {
		ns, err := db.IncidentNotices(ctx, c.incident, now, 10)
		var keys []string
		for _, n := range ns {
			keys = append(keys, n.Key)
		}
		if err != nil || !slices.Equal(keys, c.want) {
			t.Errorf("incident %d: notices %v (%v), want %v", c.incident, keys, err, c.want)
		}
	}
}

// testNoticeLegacyClaim: a notice a server older than migration 0062 had
// claimed when the database was upgraded (its post maybe under way: tries
// counted, next_at the end of its lease, no claimed_until) is held until
// its lease ends: a retry by hand is refused as busy meanwhile, not posted
// a second time alongside, and a pass takes it once the lease is over, so
// it is not lost either. A notice waiting for a later try is retried at
// once. Before, the retry took the held notice at once.
func testNoticeLegacyClaim(t *testing.T, ctx context.Context, db *storage.DB) {
	wipe(t, db)
	if err := db.MigrateTo(ctx, 61); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC().Truncate(time.Second) // the upgrade's own clock decides what a lease is
	held, waits := t0.Add(45*time.Second), t0.Add(time.Hour)
	ids := map[string]int64{}
	for _, r := range []struct {
		key   string
		tries int
		next  time.Time
	}{{"vigil-held", 1, held}, {"vigil-waits", 2, waits}} {
		id, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_notices (notice_key, body, created, tries, next_at) VALUES (?, ?, ?, ?, ?)`,
			r.key, `{"type":"vigil.incident.overdue","incident_id":7}`, t0.Add(-time.Hour).Format("2006-01-02T15:04:05.000000Z"), r.tries, r.next.Format("2006-01-02T15:04:05.000000Z"))
		if err != nil {
			t.Fatal(err)
		}
		ids[r.key] = id
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RetryNotice(ctx, "ada", ids["vigil-held"], t0, t0.Add(alerts.NoticeLease)); !keyed(err, apperr.KindConflict, "alerts.refusal.notice-busy") {
		t.Errorf("retry into an older server's claim: %v, want the keyed conflict", err)
	}
	if n, err := db.RetryNotice(ctx, "ada", ids["vigil-waits"], t0, t0.Add(alerts.NoticeLease)); err != nil || n.Tries != 1 {
		t.Errorf("retry of a notice waiting for its next try: %+v %v, want it claimed", n, err)
	}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{held.Add(-time.Second), false}, {held, true}} {
		ns, err := db.DueNotices(ctx, c.at, 10)
		due := false
		for _, n := range ns {
			due = due || n.ID == ids["vigil-held"]
		}
		if err != nil || due != c.want {
			t.Errorf("at %v: the held notice due %v (%v), want %v", c.at, due, err, c.want)
		}
	}
	if ok, err := db.ClaimNotice(ctx, ids["vigil-held"], 1, held, held.Add(alerts.NoticeLease)); !ok || err != nil {
		t.Errorf("a pass's claim once the lease is over: %v %v", ok, err)
	}
}
