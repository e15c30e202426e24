package storetest

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/cap"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/storage"
)

func init() { Register("Alerts", testAlerts) }

func alertService(t *testing.T, db *storage.DB) *alerts.Service {
	key := make([]byte, 32)
	rand.Read(key)
	k, err := crypt.New(map[string][]byte{"k1": key}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	return alerts.NewService(db, k)
}

func testAlerts(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("IntakeDedupeGroupAudit", func(t *testing.T) {
		db := open(t)
		s := alertService(t, db)
		clock := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return clock }
		ch, err := s.NewChannel(ctx, "admin", alerts.SMSSync, "Djugu phone", "s3cret", "vital interest")
		if err != nil {
			t.Fatal(err)
		}
		// The secret is not stored in clear.
		raw, err := db.ChannelByKey(ctx, ch.Key)
		if err != nil || strings.Contains(string(raw.SecretSealed), "s3cret") || len(raw.SecretSealed) == 0 {
			t.Fatalf("secret at rest: %q %v", raw.SecretSealed, err)
		}
		loaded, err := s.Channel(ctx, ch.Key)
		if err != nil || loaded.Secret != "s3cret" {
			t.Fatalf("%+v %v", loaded, err)
		}
		a1, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m1", From: "+243812345678", Message: "Armed men at 1.5625, 30.2484 now"})
		if err != nil {
			t.Fatal(err)
		}
		// Retry of the same message: stored once.
		again, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m1", From: "+243812345678", Message: "Armed men at 1.5625, 30.2484 now"})
		if err != nil || !again.Duplicate || again.ID != a1.ID {
			t.Fatalf("retry: %+v %v", again, err)
		}
		// 2 km away, 1 h later: same incident. 50 km away: a new one.
		clock = clock.Add(time.Hour)
		a2, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m2", From: "+243899999999", Message: "shooting 1.5800, 30.2484"})
		if err != nil {
			t.Fatal(err)
		}
		a3, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m3", From: "+243899999999", Message: "houses burning 2.0000, 30.2484"})
		if err != nil {
			t.Fatal(err)
		}
		a4, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "m4", Message: "help, they are coming"})
		if err != nil {
			t.Fatal(err)
		}
		if a2.IncidentID != a1.IncidentID || a3.IncidentID == a1.IncidentID || a4.IncidentID == a1.IncidentID || a4.IncidentID == a3.IncidentID {
			t.Fatalf("grouping: %d %d %d %d", a1.IncidentID, a2.IncidentID, a3.IncidentID, a4.IncidentID)
		}
		if a4.Location.Status != "unresolved" || a4.Location.Note == "" {
			t.Fatalf("unlocated alert not flagged: %+v", a4.Location)
		}
		all, err := db.Alerts(ctx, alerts.AlertFilter{})
		if err != nil || len(all) != 4 {
			t.Fatalf("%d alerts %v", len(all), err)
		}
		for _, a := range all {
			if strings.Contains(string(a.PhoneSealed), "2438") {
				t.Fatal("phone in clear at rest")
			}
		}
		in, err := db.Incident(ctx, a1.IncidentID)
		if err != nil || in.AlertCount != 2 || in.Status != alerts.Received {
			t.Fatalf("%+v %v", in, err)
		}
		recs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.receive"})
		if err != nil || len(recs) != 4 {
			t.Fatalf("audit: %d %v", len(recs), err)
		}
		for _, r := range recs {
			if strings.Contains(r.Detail, "+243") || strings.Contains(r.Detail, "Armed") {
				t.Fatal("personal data in audit detail")
			}
		}

		// Views: viewer sees nothing of the reporter and a rounded location;
		// responder sees the mask; reveal is audited.
		v := s.View(all[3], auth.Viewer)
		if v.PhoneMasked != "" || v.Phone != "" || *v.Location.Lat != 1.6 {
			t.Fatalf("viewer view: %+v lat %v", v, *v.Location.Lat)
		}
		r := s.View(all[3], auth.Responder)
		if r.PhoneMasked != "+••••••••••78" || r.Phone != "" || *r.Location.Lat != 1.5625 {
			t.Fatalf("responder view: %+v", r)
		}
		if _, err := s.Reveal(ctx, &auth.User{Name: "vic", Role: auth.Viewer}, a1.ID, "curious"); err != alerts.ErrForbidden {
			t.Fatalf("viewer reveal: %v", err)
		}
		rv, err := s.Reveal(ctx, &auth.User{Name: "rita", Role: auth.Responder}, a1.ID, "call back to confirm")
		if err != nil || rv.Phone != "+243812345678" {
			t.Fatalf("%+v %v", rv, err)
		}
		recs, _ = db.AuditLog(ctx, audit.Filter{Action: "alerts.reporter.reveal"})
		if len(recs) != 1 || recs[0].Actor != "rita" || recs[0].Object != "alert:"+itoa(a1.ID) {
			t.Fatalf("reveal audit: %+v", recs)
		}

		// A wrongly grouped alert moves to its own incident, then back.
		mover := &auth.User{Name: "rita", Role: auth.Responder}
		moved, err := s.MoveAlert(ctx, mover, a2.ID, 0)
		if err != nil || moved.AlertCount != 1 || moved.ID == a1.IncidentID {
			t.Fatalf("move to new: %+v %v", moved, err)
		}
		if in, _ := db.Incident(ctx, a1.IncidentID); in.AlertCount != 1 {
			t.Fatalf("source count %d", in.AlertCount)
		}
		back, err := s.MoveAlert(ctx, mover, a2.ID, a1.IncidentID)
		if err != nil || back.AlertCount != 2 || !back.LastAt.Equal(a2.ReceivedAt) {
			t.Fatalf("move back: %+v %v", back, err)
		}
		if _, err := s.MoveAlert(ctx, mover, a2.ID, 9999); err == nil {
			t.Fatal("moved to a missing incident")
		}
		if mv, _ := db.AuditLog(ctx, audit.Filter{Action: "alerts.alert.move"}); len(mv) != 2 {
			t.Fatalf("%d move audits", len(mv))
		}

		// Triage workflow with timers.
		u := &auth.User{Name: "rita", Role: auth.Responder}
		st := func(s alerts.Status) *alerts.Status { return &s }
		str := func(s string) *string { return &s }
		clock = clock.Add(10 * time.Minute)
		if _, err := s.UpdateIncident(ctx, u, a1.IncidentID, alerts.Update{Status: st(alerts.Dispatched)}); err == nil {
			t.Fatal("received → dispatched allowed")
		}
		if _, err := s.UpdateIncident(ctx, u, a1.IncidentID, alerts.Update{Priority: str("urgent")}); err == nil {
			t.Fatal("bad priority accepted")
		}
		in, err = s.UpdateIncident(ctx, u, a1.IncidentID, alerts.Update{Status: st(alerts.Triaged), Priority: str("high"), Assignee: str("rita"), Note: "called CLA"})
		if err != nil {
			t.Fatal(err)
		}
		if in.TimeToTriage == nil || *in.TimeToTriage != (70*time.Minute).Seconds() {
			t.Fatalf("time to triage %v", in.TimeToTriage)
		}
		clock = clock.Add(20 * time.Minute)
		for _, to := range []alerts.Status{alerts.Verified, alerts.Dispatched} {
			if in, err = s.UpdateIncident(ctx, u, a1.IncidentID, alerts.Update{Status: st(to), Title: str("Attack on Bunia market")}); err != nil {
				t.Fatal(err)
			}
		}
		if in.TimeToResponse == nil || *in.TimeToResponse != (90*time.Minute).Seconds() {
			t.Fatalf("time to response %v", in.TimeToResponse)
		}
		tl, err := db.Timeline(ctx, a1.IncidentID)
		if err != nil || len(tl) < 6 {
			t.Fatalf("timeline %d %v", len(tl), err)
		}
		ups, _ := db.AuditLog(ctx, audit.Filter{Action: "alerts.incident.update"})
		if len(ups) != 3 {
			t.Fatalf("%d update audits", len(ups))
		}

		// CAP publication, then an update referencing it.
		p1, err := s.PublishCAP(ctx, "rita", a1.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := s.PublishCAP(ctx, "rita", a1.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := cap.Decode(strings.NewReader(string(p2.XML)))
		if err != nil || dec.MsgType != "Update" || !strings.Contains(*dec.References, p1.Identifier) {
			t.Fatalf("%+v %v", dec, err)
		}
		if strings.Contains(string(p2.XML), "Armed men") || strings.Contains(string(p2.XML), "243") {
			t.Fatal("reporter content in CAP")
		}
		if _, err := s.PublishCAP(ctx, "rita", a3.IncidentID); err == nil {
			t.Fatal("unverified incident published")
		}

		// A verified incident becomes a conflict event (twice: same event).
		ev, err := s.ToEvent(ctx, "ana", a1.IncidentID, db, events.OneSided, 2)
		if err != nil {
			t.Fatal(err)
		}
		ev2, err := s.ToEvent(ctx, "ana", a1.IncidentID, db, events.OneSided, 3)
		if err != nil || ev2.ID != ev.ID {
			t.Fatalf("second conversion: %+v %v", ev2, err)
		}
		stored, err := db.Event(ctx, ev.ID)
		if err != nil || stored.Source != "vigil-alerts" || stored.Best != 3 || stored.Lat != 1.5625 {
			t.Fatalf("%+v %v", stored, err)
		}
		if in, _ := db.Incident(ctx, a1.IncidentID); in.EventID != ev.ID {
			t.Fatalf("incident event id %d", in.EventID)
		}
		if _, err := s.ToEvent(ctx, "ana", a3.IncidentID, db, events.OneSided, 0); err == nil {
			t.Fatal("unverified incident became an event")
		}

		// Escalation: a3's and a4's incidents are still received after 90
		// min; the webhook hears about each once, without personal data.
		var hookMu sync.Mutex
		var hooks []string
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			hookMu.Lock()
			hooks = append(hooks, string(b))
			hookMu.Unlock()
		}))
		defer hook.Close()
		s.EscalationURL = hook.URL
		n, err := s.EscalateOverdue(ctx)
		if err != nil || n != 2 { // a3 and a4 incidents
			t.Fatalf("escalated %d %v", n, err)
		}
		hookMu.Lock()
		if len(hooks) != 2 || !strings.Contains(hooks[0], `"overdue":"triage"`) || strings.Contains(strings.Join(hooks, ""), "243") || strings.Contains(strings.Join(hooks, ""), "burning") {
			t.Fatalf("webhook calls: %v", hooks)
		}
		hookMu.Unlock()
		if in, _ := s.Store.Incident(ctx, a4.IncidentID); s.ViewIncident(in, auth.Responder).Overdue != "triage" || in.EscalatedAt == nil {
			t.Fatalf("overdue not shown: %+v", in)
		}
		if n, _ := s.EscalateOverdue(ctx); n != 0 {
			t.Fatalf("escalated twice: %d", n)
		}

		// Outbox for SMSSync task=send.
		m, err := s.Reply(ctx, u, a1.ID, "We are sending a patrol.")
		if err != nil {
			t.Fatal(err)
		}
		box, err := s.Outbox(ctx, ch.ID)
		if err != nil || len(box) != 1 || box[0].To != "+243812345678" {
			t.Fatalf("%+v %v", box, err)
		}
		done, err := db.MarkOutgoingSent(ctx, ch.ID, []string{m.UUID, "unknown"}, clock)
		if err != nil || len(done) != 1 {
			t.Fatalf("%v %v", done, err)
		}
		if box, _ := s.Outbox(ctx, ch.ID); len(box) != 0 {
			t.Fatal("sent message still pending")
		}

		// Retention: purge reporters older than 1 day.
		clock = clock.Add(48 * time.Hour)
		n, err = s.Purge(ctx, "system", 1)
		if err != nil || n != 3 { // a4 had no phone
			t.Fatalf("purged %d %v", n, err)
		}
		a, _ := db.Alert(ctx, a1.ID)
		if !a.Anonymised || len(a.PhoneSealed) != 0 || a.Message == "" {
			t.Fatalf("%+v", a)
		}
		if _, err := s.Reveal(ctx, u, a1.ID, "again"); err == nil {
			t.Fatal("revealed a purged reporter")
		}
	})
	t.Run("ConcurrentGroupCommit", func(t *testing.T) {
		db := open(t)
		s := alertService(t, db)
		ch, err := s.NewChannel(ctx, "admin", alerts.SMSSync, "gw", "x", "")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					// every message twice: retries must be stored once
					for r := 0; r < 2; r++ {
						_, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: itoa(int64(w*1000 + i)), From: "+1", Message: "m"})
						if err != nil {
							errs <- err
						}
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		all, _ := db.Alerts(ctx, alerts.AlertFilter{Limit: 1000})
		if len(all) != 400 {
			t.Fatalf("%d alerts, want 400", len(all))
		}
	})
	t.Run("Rotation", func(t *testing.T) {
		db := open(t)
		dir := t.TempDir()
		t.Setenv(crypt.EnvVar, "")
		k, err := crypt.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		s := alerts.NewService(db, k)
		ch, _ := s.NewChannel(ctx, "admin", alerts.Twilio, "tw", "tok", "consent")
		a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "SM1", From: "+15550001", Name: "Amina", Message: "x"})
		if err != nil {
			t.Fatal(err)
		}
		old := k.Active()
		if _, err := k.Rotate(); err != nil {
			t.Fatal(err)
		}
		n, err := s.Reseal(ctx, "admin")
		if err != nil || n != 3 {
			t.Fatalf("resealed %d %v", n, err)
		}
		st, _ := db.Alert(ctx, a.ID)
		if id, _ := crypt.KeyID(st.PhoneSealed); id == old {
			t.Fatal("still sealed with the old key")
		}
		rv, err := s.Reveal(ctx, &auth.User{Name: "a", Role: auth.Admin}, a.ID, "test")
		if err != nil || rv.Phone != "+15550001" || rv.Name != "Amina" {
			t.Fatalf("%+v %v", rv, err)
		}
	})
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
