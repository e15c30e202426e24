package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// alertService returns an alert service on db with a new random key.
func alertService(t *testing.T, db *storage.DB) *alerts.Service {
	k, _ := keyring(t, "k1", "k1")
	return alerts.NewService(db, k)
}

// alertChannel returns an alert service on db and a new channel on it.
func alertChannel(t *testing.T, db *storage.DB, kind alerts.Kind, name, secret string) (*alerts.Service, alerts.Channel) {
	t.Helper()
	s := alertService(t, db)
	ch, err := s.NewChannel(context.Background(), "admin", kind, name, secret, "")
	if err != nil {
		t.Fatal(err)
	}
	return s, ch
}

func testAlerts(t *testing.T, open Opener) {
	ctx := context.Background()
	t.Run("IntakeDedupeGroupAudit", func(t *testing.T) {
		db := open(t)
		s := alertService(t, db)
		clock := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return clock }
		ch, err := s.NewChannel(ctx, "admin", alerts.SMSSync, "Djugu phone", "s3cret-gw", "vital interest")
		if err != nil {
			t.Fatal(err)
		}
		// The secret is not stored in clear.
		raw, err := db.ChannelByKey(ctx, ch.Key)
		if err != nil || strings.Contains(string(raw.SecretSealed), "s3cret-gw") || len(raw.SecretSealed) == 0 {
			t.Fatalf("secret at rest: %q %v", raw.SecretSealed, err)
		}
		loaded, err := s.Channel(ctx, ch.Key)
		if err != nil || loaded.Secret != "s3cret-gw" {
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
		if _, err := s.Reveal(ctx, &auth.User{Name: "vic", Role: auth.Viewer}, a1.ID, "curious"); err != apperr.ErrForbidden {
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
		p1, err := s.PublishCAP(ctx, "rita", a1.IncidentID, "")
		if err != nil {
			t.Fatal(err)
		}
		p2, err := s.PublishCAP(ctx, "rita", a1.IncidentID, "")
		if err != nil {
			t.Fatal(err)
		}
		dec, err := capxml.Decode(strings.NewReader(string(p2.XML)))
		if err != nil || dec.MsgType != "Update" || !strings.Contains(*dec.References, p1.Identifier) {
			t.Fatalf("%+v %v", dec, err)
		}
		if strings.Contains(string(p2.XML), "Armed men") || strings.Contains(string(p2.XML), "243") {
			t.Fatal("reporter content in CAP")
		}
		// Each publication is found by its identifier (with or without
		// ".xml"), as published; an unknown one is not found.
		for _, id := range []string{p1.Identifier, p2.Identifier + ".xml"} {
			doc, err := s.CAPDocument(ctx, id)
			want := p1.XML
			if id != p1.Identifier {
				want = p2.XML
			}
			if err != nil {
				t.Fatalf("CAPDocument(%s): %v", id, err)
			}
			if string(doc.Body) != string(want) {
				t.Fatalf("CAPDocument(%s): %d bytes, want the published %d", id, len(doc.Body), len(want))
			}
		}
		if _, err := s.CAPDocument(ctx, p1.Identifier+"x"); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("CAPDocument of an unknown identifier: %v, want not found", err)
		}
		if _, err := s.PublishCAP(ctx, "rita", a3.IncidentID, ""); err == nil {
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
		bodies := alertstest.EscalationHook(t, s)
		n, err := s.EscalateOverdue(ctx)
		if err != nil || n != 2 { // a3 and a4 incidents
			t.Fatalf("escalated %d %v", n, err)
		}
		if hooks := bodies(); len(hooks) != 2 || !strings.Contains(hooks[0], `"overdue":"triage"`) || strings.Contains(strings.Join(hooks, ""), "243") || strings.Contains(strings.Join(hooks, ""), "burning") {
			t.Fatalf("webhook calls: %v", hooks)
		}
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
		if !a.Anonymised || len(a.PhoneSealed) != 0 || len(a.MessageSealed) == 0 || s.View(a, auth.Responder).Message != "Armed men at 1.5625, 30.2484 now" {
			t.Fatalf("%+v", a)
		}
		if _, err := s.Reveal(ctx, u, a1.ID, "again"); err == nil {
			t.Fatal("revealed a purged reporter")
		}
	})
	t.Run("ConcurrentGroupCommit", func(t *testing.T) {
		db := open(t)
		s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
		inParallel(t, 8, func(w int) error {
			for i := 0; i < 50; i++ {
				// every message twice: retries must be stored once
				for r := 0; r < 2; r++ {
					_, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: itoa(int64(w*1000 + i)), From: "+1", Message: "m"})
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
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
		ch, _ := s.NewChannel(ctx, "admin", alerts.Twilio, "tw", "tok-secret", "consent")
		a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "SM1", From: "+15550001", Name: "Amina", Message: "men with guns near the school",
			Location: "behind Amina's house, Mudzipela"})
		if err != nil {
			t.Fatal(err)
		}
		old := k.Active()
		if _, err := k.Rotate(); err != nil {
			t.Fatal(err)
		}
		// channel secret, phone, name, message, alert location text and
		// note, incident location text and note.
		n, err := s.Reseal(ctx, "admin")
		if err != nil || n != 8 {
			t.Fatalf("resealed %d %v", n, err)
		}
		st, _ := db.Alert(ctx, a.ID)
		for what, c := range map[string][]byte{"phone": st.PhoneSealed, "message": st.MessageSealed, "location text": st.Location.TextSealed, "location note": st.Location.NoteSealed} {
			if id, err := crypt.KeyID(c); err != nil || id == old {
				t.Fatalf("%s still sealed with the old key (%q, %v)", what, id, err)
			}
		}
		in, _ := db.Incident(ctx, a.IncidentID)
		if id, err := crypt.KeyID(in.Location.TextSealed); err != nil || id == old {
			t.Fatalf("incident location still sealed with the old key (%q, %v)", id, err)
		}
		rv, err := s.Reveal(ctx, &auth.User{Name: "a", Role: auth.Admin}, a.ID, "test")
		if err != nil || rv.Phone != "+15550001" || rv.Name != "Amina" || rv.Message != "men with guns near the school" || rv.Location.Text != "behind Amina's house, Mudzipela" {
			t.Fatalf("%+v %v", rv, err)
		}
		if v := s.ViewIncident(in, auth.Responder); v.Location.Text != "behind Amina's house, Mudzipela" {
			t.Fatalf("incident after rotation: %+v", v.Location)
		}
	})
	t.Run("TextSealedAtRest", func(t *testing.T) { testAlertTextSealed(t, ctx, open(t)) })
	t.Run("LegacyClearTextSealed", func(t *testing.T) { testAlertLegacyText(t, ctx, open(t)) })
	t.Run("QueueVersion", func(t *testing.T) { testAlertQueueVersion(t, ctx, open(t)) })
	t.Run("PollOldestFirst", func(t *testing.T) { testAlertPoll(t, ctx, open(t)) })
	t.Run("CategorySexLocation", func(t *testing.T) { testIncidentTriageFields(t, ctx, open(t)) })
	t.Run("ChannelTipline", func(t *testing.T) { testChannelTipline(t, ctx, open(t)) })
	t.Run("ChannelLang", func(t *testing.T) { testChannelLang(t, ctx, open(t)) })
	t.Run("ChannelAdmin", func(t *testing.T) { testChannelAdmin(t, ctx, open(t)) })
	t.Run("ChannelRemoveRace", func(t *testing.T) { testChannelRemoveRace(t, ctx, open(t)) })
	t.Run("ChannelPatchOneChange", func(t *testing.T) { testChannelPatchOneChange(t, ctx, open(t)) })
	t.Run("ChannelUseCounted", func(t *testing.T) { testChannelUseCounted(t, ctx, open(t)) })
	t.Run("EscalateByHand", func(t *testing.T) { testEscalateByHand(t, ctx, open(t)) })
	t.Run("IntakeCounted", func(t *testing.T) { testAlertIntake(t, ctx, open(t)) })
	t.Run("IntakeUpgrade", func(t *testing.T) { testAlertIntakeUpgrade(t, ctx, open(t)) })
	t.Run("IncidentRequestID", func(t *testing.T) { testIncidentRequestID(t, ctx, open(t)) })
	t.Run("IncidentRequestIDForgotten", func(t *testing.T) { testIncidentRequestForgotten(t, ctx, open(t)) })
	t.Run("NoticeOutbox", func(t *testing.T) { testNoticeOutbox(t, ctx, open(t)) })
	t.Run("NoticeServers", func(t *testing.T) { testNoticeServers(t, ctx, open(t)) })
	t.Run("NoticeRetries", func(t *testing.T) { testNoticeRetries(t, ctx, open(t)) })
	t.Run("NoticeRetrySpan", func(t *testing.T) { testNoticeRetrySpan(t, ctx, open(t)) })
	t.Run("NoticeAdmin", func(t *testing.T) { testNoticeAdmin(t, ctx, open(t)) })
	t.Run("NoticeStopCut", func(t *testing.T) { testNoticeStopCut(t, ctx, open(t)) })
	t.Run("NoticeStopDuringPoll", func(t *testing.T) { testNoticeStopDuringPoll(t, ctx, open(t)) })
	t.Run("NoticeRetryRace", func(t *testing.T) { testNoticeRetryRace(t, ctx, open(t)) })
	t.Run("NoticeRetrySoon", func(t *testing.T) { testNoticeRetrySoon(t, ctx, open(t)) })
	t.Run("NoticeIncidentPage", func(t *testing.T) { testNoticeIncidentPage(t, ctx, open(t)) })
	t.Run("NoticeIncidentUpgrade", func(t *testing.T) { testNoticeIncidentUpgrade(t, ctx, open(t)) })
	t.Run("NoticeLegacyClaim", func(t *testing.T) { testNoticeLegacyClaim(t, ctx, open(t)) })
	t.Run("EscalationHookShared", func(t *testing.T) { testEscalationHookShared(t, ctx, open(t)) })
	t.Run("AddLog", func(t *testing.T) { testAlertAddLog(t, ctx, open(t)) })
	t.Run("ReplyLog", func(t *testing.T) { testAlertReplyLog(t, ctx, open(t)) })
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// rawText reads the clear and sealed free-text columns of one row as they
// are on disk.
type rawText struct {
	clear  []string
	sealed [][]byte
}

func readRaw(t *testing.T, db *storage.DB, table string, id int64) rawText {
	t.Helper()
	cols := []string{"loc_text", "loc_note"}
	if table == "alerts" {
		cols = append(cols, "message")
	}
	r := rawText{clear: make([]string, len(cols)), sealed: make([][]byte, len(cols))}
	var dst []any
	q := "SELECT "
	for i, c := range cols {
		if i > 0 {
			q += ", "
		}
		q += c + ", " + c + "_sealed"
		dst = append(dst, &r.clear[i], &r.sealed[i])
	}
	if err := db.QueryRow(context.Background(), db.SQL, q+" FROM "+table+" WHERE id = ?", id).Scan(dst...); err != nil {
		t.Fatalf("%s %d: %v", table, id, err)
	}
	return r
}

// notClear fails unless every clear column of the row is empty and every
// sealed one is ciphertext not containing any of words.
func (r rawText) notClear(t *testing.T, what string, words ...string) {
	t.Helper()
	for i, c := range r.clear {
		if c != "" {
			t.Fatalf("%s: clear column %d holds %q", what, i, c)
		}
		if len(r.sealed[i]) == 0 {
			continue
		}
		if _, err := crypt.KeyID(r.sealed[i]); err != nil {
			t.Fatalf("%s: sealed column %d is not ciphertext: %v", what, i, err)
		}
		for _, w := range words {
			if strings.Contains(string(r.sealed[i]), w) {
				t.Fatalf("%s: %q readable in sealed column %d", what, w, i)
			}
		}
	}
}

func testAlertTextSealed(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.Web, "form", "")
	const msg, where = "Kabila's men took Jeanne from the well at 1.5625, 30.2484", "well behind the Mbuyi compound"
	a, err := s.Receive(ctx, ch, alerts.Inbound{Message: msg, Location: where, From: "+243811111111"})
	if err != nil {
		t.Fatal(err)
	}
	// The alert answered to the caller still carries the text.
	if a.Message != msg || a.Location.Text != where {
		t.Fatalf("receive answer: %+v", a)
	}
	// Two different coordinates: ambiguous, and the note quotes them.
	b, err := s.Receive(ctx, ch, alerts.Inbound{Message: "fighting at 1.5625, 30.2484 and at 2.5000, 29.1000 — Jeanne saw it"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Location.Status != "ambiguous" || b.Location.Note == "" {
		t.Fatalf("want an ambiguous location with a note: %+v", b.Location)
	}
	words := []string{"Kabila", "Jeanne", "Mbuyi", "well", "fighting", "1.5625"}
	readRaw(t, db, "alerts", a.ID).notClear(t, "alert a", words...)
	readRaw(t, db, "alerts", b.ID).notClear(t, "alert b", words...)
	readRaw(t, db, "alert_incidents", a.IncidentID).notClear(t, "incident of a", words...)
	readRaw(t, db, "alert_incidents", b.IncidentID).notClear(t, "incident of b", words...)
	if r := readRaw(t, db, "alerts", a.ID); len(r.sealed[2]) == 0 || len(r.sealed[0]) == 0 {
		t.Fatal("message or location text not stored at all")
	}

	// Reads return the clear text to responders, nothing to viewers.
	st, err := db.Alert(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Message != "" || st.Location.Text != "" {
		t.Fatalf("store returned clear text it should not have: %+v", st)
	}
	for _, tc := range []struct {
		role        auth.Role
		msg, where  string
		noteVisible bool
	}{{auth.Viewer, "", "", false}, {auth.Responder, msg, where, true}, {auth.Admin, msg, where, true}} {
		v := s.View(st, tc.role)
		if v.Message != tc.msg || v.Location.Text != tc.where {
			t.Fatalf("%s view: message %q location %q", tc.role, v.Message, v.Location.Text)
		}
		vb, _ := db.Alert(ctx, b.ID)
		if got := s.View(vb, tc.role).Location.Note; (got != "") != tc.noteVisible || strings.Contains(got, "cannot decrypt") {
			t.Fatalf("%s view of the note: %q", tc.role, got)
		}
		in, err := db.Incident(ctx, a.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.ViewIncident(in, tc.role).Location.Text; got != tc.where {
			t.Fatalf("%s incident location text %q", tc.role, got)
		}
	}
	all, err := db.Alerts(ctx, alerts.AlertFilter{})
	if err != nil || len(all) != 2 || s.View(all[1], auth.Responder).Message != msg {
		t.Fatalf("list: %d %v", len(all), err)
	}

	// Moving an alert to a new incident copies its sealed location.
	moved, err := s.MoveAlert(ctx, &auth.User{Name: "rita", Role: auth.Responder}, b.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	readRaw(t, db, "alert_incidents", moved.ID).notClear(t, "moved-to incident", words...)
	if moved.Location.Note != b.Location.Note {
		t.Fatalf("moved incident note %q, want %q", moved.Location.Note, b.Location.Note)
	}

	// The store refuses an alert whose text is not sealed, rather than
	// writing it in clear.
	err = db.ReceiveAlerts(ctx, []*alerts.Alert{{ChannelID: ch.ID, Message: "clear", ReceivedAt: time.Now(), Location: alerts.Location{Status: "unresolved"}}}, alerts.DefaultGrouping)
	if err == nil || !strings.Contains(err.Error(), "not sealed") {
		t.Fatalf("clear message stored: %v", err)
	}
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM alerts WHERE message <> '' OR loc_text <> '' OR loc_note <> ''`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows with clear text (%v)", n, err)
	}
}

// testAlertLegacyText writes rows the way versions before migration 0011
// did (text in the clear columns, nothing sealed) and checks the Go step
// converts them, once, in one transaction.
func testAlertLegacyText(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "old gw", "x-secret")
	const at = "2026-11-01T10:00:00.000000Z"
	legacy := []struct{ msg, text, note string }{
		{"Soldiers beat Pascal Ilunga at the Bule checkpoint", "Bule checkpoint", "2 places match \"Bule\": Bule (1.9, 30.4); Bule (2.1, 30.6)"},
		{"help us, they are in Mongbwalu church", "", "no coordinates and no known place name in the message"},
		{"fire at 1.5, 30.2", "1.5, 30.2", ""},
	}
	var alertIDs, incIDs []int64
	for i, l := range legacy {
		inc, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_incidents (status, loc_status, loc_text, loc_note, first_at, last_at, alert_count, updated_at)
			VALUES ('received', 'unresolved', ?, ?, ?, ?, 1, ?)`, l.text, l.note, at, at, at)
		if err != nil {
			t.Fatal(err)
		}
		id, err := db.InsertID(ctx, db.SQL, `INSERT INTO alerts (channel_id, incident_id, gateway_id, message, received_at, loc_status, loc_text, loc_note)
			VALUES (?, ?, ?, ?, ?, 'unresolved', ?, ?)`, ch.ID, inc, "old-"+itoa(int64(i)), l.msg, at, l.text, l.note)
		if err != nil {
			t.Fatal(err)
		}
		alertIDs, incIDs = append(alertIDs, id), append(incIDs, inc)
	}
	words := []string{"Pascal", "Ilunga", "Bule", "Mongbwalu", "fire"}

	// A failure half way (the second value does not seal) changes nothing.
	calls := 0
	_, err := db.SealClearText(ctx, "test", func(clear, aad string) ([]byte, error) {
		if calls++; calls == 2 {
			return nil, errors.New("disk full")
		}
		return s.Keys.SealString(clear, aad)
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("failing seal: %v", err)
	}
	if r := readRaw(t, db, "alerts", alertIDs[0]); r.clear[2] != legacy[0].msg || len(r.sealed[2]) != 0 {
		t.Fatalf("a failed conversion left a change: %+v", r)
	}

	n, err := s.SealStoredText(ctx, "system:upgrade")
	if err != nil || n != 6 { // 3 alerts, 3 incidents
		t.Fatalf("converted %d rows, want 6 (%v)", n, err)
	}
	for i, id := range alertIDs {
		readRaw(t, db, "alerts", id).notClear(t, "legacy alert", words...)
		readRaw(t, db, "alert_incidents", incIDs[i]).notClear(t, "legacy incident", words...)
		a, err := db.Alert(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		v := s.View(a, auth.Responder)
		if v.Message != legacy[i].msg || v.Location.Text != legacy[i].text || v.Location.Note != legacy[i].note {
			t.Fatalf("legacy alert %d reads %+v", i, v)
		}
		if vv := s.View(a, auth.Viewer); vv.Message != "" || vv.Location.Text != "" || vv.Location.Note != "" {
			t.Fatalf("viewer sees legacy text: %+v", vv)
		}
		in, _ := db.Incident(ctx, incIDs[i])
		if vi := s.ViewIncident(in, auth.Responder); vi.Location.Text != legacy[i].text || vi.Location.Note != legacy[i].note {
			t.Fatalf("legacy incident %d reads %+v", i, vi.Location)
		}
	}
	// Idempotent: a second run converts nothing and audits nothing more.
	if n, err := s.SealStoredText(ctx, "system:upgrade"); err != nil || n != 0 {
		t.Fatalf("second run converted %d (%v)", n, err)
	}
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.seal_text"})
	if err != nil || len(recs) != 1 || strings.Contains(recs[0].Detail, "Pascal") {
		t.Fatalf("audit: %+v %v", recs, err)
	}
	// Converted rows rotate like the others.
	if _, err := s.Reseal(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	a, _ := db.Alert(ctx, alertIDs[0])
	if s.View(a, auth.Responder).Message != legacy[0].msg {
		t.Fatal("legacy alert unreadable after reseal")
	}
	// A retry of an old message is still recognised by its message_id.
	again, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "old-0", Message: legacy[0].msg})
	if err != nil || !again.Duplicate || again.ID != alertIDs[0] {
		t.Fatalf("retry of a legacy message: %+v %v", again, err)
	}
}

func testAlertQueueVersion(t *testing.T, ctx context.Context, db *storage.DB) {
	s := alertService(t, db)
	v0, err := db.QueueVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := s.NewChannel(ctx, "admin", alerts.SMSSync, "gw", "x-secret", "")
	a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "q1", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	v1, _ := db.QueueVersion(ctx)
	if v1 <= v0 {
		t.Fatalf("new alert: version %d → %d", v0, v1)
	}
	if _, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "q1", Message: "m"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.QueueVersion(ctx); v != v1 {
		t.Fatalf("a gateway retry changed the version %d → %d", v1, v)
	}
	p := "high"
	if _, err := s.UpdateIncident(ctx, &auth.User{Name: "r", Role: auth.Responder}, a.IncidentID, alerts.Update{Priority: &p}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.QueueVersion(ctx); v <= v1 {
		t.Fatalf("incident update: version %d → %d", v1, v)
	}
}

// testIncidentTriageFields: category and reporter sex are stored, validated
// (the error names the field and nothing is written), logged, audited and
// counted; a location set by hand keeps its place name, precision and the
// setter's role.
func testIncidentTriageFields(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
	a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "c1", Message: "armed men took two girls"})
	if err != nil {
		t.Fatal(err)
	}
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	str := func(v string) *string { return &v }
	f64 := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name  string
		up    alerts.Update
		field string
	}{
		{"unknown category", alerts.Update{Category: str("riot")}, "category"},
		{"category case", alerts.Update{Category: str("Abduction")}, "category"},
		{"unknown sex", alerts.Update{ReporterSex: str("f")}, "reporter_sex"},
		{"place without coordinates", alerts.Update{Place: str("Djugu")}, "lat"},
		{"zero precision", alerts.Update{Lat: f64(1.9), Lon: f64(30.5), PrecisionM: f64(0)}, "precision_m"},
	} {
		_, err := s.UpdateIncident(ctx, rex, a.IncidentID, c.up)
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: %v, want a field error on %s", c.name, err, c.field)
		}
	}
	if in, _ := db.Incident(ctx, a.IncidentID); in.Category != "" || in.ReporterSex != "" || in.Location.Lat != nil {
		t.Fatalf("a refused update wrote: %+v", in)
	}
	in, err := s.UpdateIncident(ctx, rex, a.IncidentID, alerts.Update{Category: str("abduction"), ReporterSex: str("female"),
		Lat: f64(1.9167), Lon: f64(30.5), Place: str("Djugu, Ituri"), PrecisionM: f64(5000)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := db.Incident(ctx, a.IncidentID)
	for _, v := range []alerts.Incident{in, got} {
		if v.Category != "abduction" || v.ReporterSex != "female" || v.Location.Status != "manual" || v.Location.Place != "Djugu, Ituri" ||
			v.Location.PrecisionM != 5000 || v.Location.SetBy != "responder" || v.Location.Lat == nil || *v.Location.Lat != 1.9167 {
			t.Fatalf("stored: %+v", v)
		}
	}
	// Viewers get the category, not the reporter's sex.
	if v := s.ViewIncident(got, auth.Viewer); v.Category != "abduction" || v.ReporterSex != "" || v.Location.SetBy != "responder" {
		t.Fatalf("viewer: %+v", v)
	}
	tl, _ := db.Timeline(ctx, a.IncidentID)
	kinds := map[string]string{}
	for _, l := range tl {
		kinds[l.Kind] = l.Text
	}
	if kinds["category"] != "abduction" || kinds["reporter_sex"] != "female" || !strings.Contains(kinds["location"], "Djugu, Ituri") {
		t.Fatalf("timeline: %+v", tl)
	}
	recs, _ := db.AuditLog(ctx, audit.Filter{Action: "alerts.incident.update"})
	if len(recs) != 1 || !strings.Contains(recs[0].Detail, "category") || !strings.Contains(recs[0].Detail, "reporter_sex") || !strings.Contains(recs[0].Detail, "location") {
		t.Fatalf("audit: %+v", recs)
	}
	// Clearing is allowed; stats count categorised and not.
	b, _ := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "c2", Message: "people leaving Fataki"})
	if _, err := s.UpdateIncident(ctx, rex, b.IncidentID, alerts.Update{Category: str("displacement"), ReporterSex: str("not_asked")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateIncident(ctx, rex, b.IncidentID, alerts.Update{ReporterSex: str("")}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "c3", Message: "?"})
	first, err := db.FirstAlerts(ctx, []int64{a.IncidentID, b.IncidentID, c.IncidentID + 1000})
	if err != nil || len(first) != 2 || first[a.IncidentID].ID != a.ID || first[b.IncidentID].ID != b.ID {
		t.Fatalf("first alerts: %+v %v", first, err)
	}
	ins, err := db.Incidents(ctx, alerts.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	br := alerts.Breakdowns(ins)
	if br.ByCategory["abduction"] != 1 || br.ByCategory["displacement"] != 1 || br.ByCategory["none"] != 1 || br.ByCategory["other"] != 0 ||
		br.ByReporterSex["female"] != 1 || br.ByReporterSex["none"] != 2 || br.ByReporterSex["not_asked"] != 0 {
		t.Fatalf("breakdown: %+v", br)
	}
}

// testEscalateByHand: an open incident escalated by hand keeps its first
// escalation's time, writes a timeline line and an audit entry in the
// officer's name, and bumps the queue's counter; a closed incident is a
// keyed conflict and an unknown one not found, both writing nothing.
func testEscalateByHand(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "Djugu phone", "s3cret-gw")
	a, err := s.Receive(ctx, ch, alerts.Inbound{From: "+243812345678", Message: "Armed men at 1.5625, 30.2484", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	v0, _ := db.QueueVersion(ctx)
	for i, at := range []time.Time{t0, t0.Add(time.Minute)} {
		in, err := db.EscalateIncident(ctx, "rex", a.IncidentID, fmt.Sprintf("escalated by hand: reason %d", i), at, nil)
		if err != nil || in.EscalatedAt == nil || !in.EscalatedAt.Equal(t0) || !in.UpdatedAt.Equal(at) {
			t.Fatalf("escalation %d: %+v %v", i, in, err)
		}
	}
	if v, _ := db.QueueVersion(ctx); v != v0+2 {
		t.Errorf("queue version %d, want %d", v, v0+2)
	}
	tl, _ := db.Timeline(ctx, a.IncidentID)
	var got []string
	for _, l := range tl {
		if l.Kind == "escalate" {
			got = append(got, l.Actor+" "+l.Text)
		}
	}
	if strings.Join(got, "|") != "rex escalated by hand: reason 0|rex escalated by hand: reason 1" {
		t.Errorf("timeline %q", got)
	}
	rs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.incident.escalate"})
	if err != nil || len(rs) != 2 || rs[0].Actor != "rex" || rs[0].Detail != "escalated by hand: reason 1" || rs[0].Object != fmt.Sprintf("incident:%d", a.IncidentID) {
		t.Fatalf("audit %+v %v", rs, err)
	}
	u := &auth.User{Name: "rex", Role: auth.Responder}
	for _, st := range []alerts.Status{alerts.False, alerts.Closed} {
		if _, err := s.UpdateIncident(ctx, u, a.IncidentID, alerts.Update{Status: &st}); err != nil {
			t.Fatal(err)
		}
	}
	v1, _ := db.QueueVersion(ctx)
	_, err = db.EscalateIncident(ctx, "rex", a.IncidentID, "escalated by hand: late", t0.Add(time.Hour), nil)
	if e := apperr.As(err); e == nil || e.Kind != apperr.KindConflict || e.Key != "alerts.refusal.escalate-closed" {
		t.Errorf("closed incident: %v", err)
	}
	if _, err := db.EscalateIncident(ctx, "rex", a.IncidentID+100, "escalated by hand: x", t0, nil); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown incident: %v", err)
	}
	rs, _ = db.AuditLog(ctx, audit.Filter{Action: "alerts.incident.escalate"})
	if v, _ := db.QueueVersion(ctx); v != v1 || len(rs) != 2 {
		t.Errorf("refusals wrote: version %d→%d, %d audit entries", v1, v, len(rs))
	}
	// The automatic escalation read the incident open; it was marked a
	// false alert since: MarkEscalated's UPDATE checks the status itself.
	b, err := s.Receive(ctx, ch, alerts.Inbound{From: "+243812345679", Message: "people leaving Fataki", GatewayID: "2"})
	if err != nil {
		t.Fatal(err)
	}
	st := alerts.False
	if _, err := s.UpdateIncident(ctx, u, b.IncidentID, alerts.Update{Status: &st}); err != nil {
		t.Fatal(err)
	}
	v1, _ = db.QueueVersion(ctx)
	if ok, err := db.MarkEscalated(ctx, b.IncidentID, "triage overdue: 2h0m0s since first alert", t0, nil); ok || err != nil {
		t.Errorf("MarkEscalated of a false alert: %v %v", ok, err)
	}
	if in, _ := db.Incident(ctx, b.IncidentID); in.EscalatedAt != nil {
		t.Errorf("false alert escalated at %v", in.EscalatedAt)
	}
	rs, _ = db.AuditLog(ctx, audit.Filter{Action: "alerts.incident.escalate"})
	if v, _ := db.QueueVersion(ctx); v != v1 || len(rs) != 2 {
		t.Errorf("refusals wrote: version %d→%d, %d audit entries", v1, v, len(rs))
	}
}

// testAlertIntake: an alert taken by telephone or in person keeps its
// intake, and AlertCounts counts each channel's alerts by intake (with the
// last one's time) from a time on.
func testAlertIntake(t *testing.T, ctx context.Context, db *storage.DB) {
	s, web := alertChannel(t, db, alerts.Web, "Liaison", "")
	sms, err := s.NewChannel(ctx, "admin", alerts.SMSSync, "Djugu phone", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	clock := t0
	s.Now = func() time.Time { return clock }
	for i, c := range []struct {
		ch            alerts.Channel
		intake, typed string
		actor, line   string // of its audit entry, of its timeline line
	}{{web, "", "", "intake", "system"}, {web, alerts.IntakePhone, "rex", "rex", "rex"}, {web, alerts.IntakePhone, "cla", "cla", "cla"}, {sms, "", "", "intake", "system"}} {
		clock = t0.Add(time.Duration(i) * time.Hour)
		a, err := s.Receive(ctx, c.ch, alerts.Inbound{Message: fmt.Sprintf("alert %d at 1.5625, 30.2484", i), GatewayID: fmt.Sprint(i), Intake: c.intake, TypedBy: c.typed})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.Alert(ctx, a.ID); err != nil || got.Intake != c.intake {
			t.Fatalf("alert %d: intake %q %v, want %q", i, got.Intake, err, c.intake)
		}
		// An alert typed in is received in the name of who typed it.
		rs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.receive", Object: fmt.Sprintf("alert:%d", a.ID)})
		if err != nil || len(rs) != 1 || rs[0].Actor != c.actor {
			t.Errorf("alert %d: audit %+v %v, want actor %q", i, rs, err, c.actor)
		}
		tl, _ := db.Timeline(ctx, a.IncidentID)
		if n := len(tl); n == 0 || tl[n-1].Kind != "alert" || tl[n-1].Actor != c.line {
			t.Errorf("alert %d: timeline %+v, want its line by %q", i, tl, c.line)
		}
	}
	str := func(cs []alerts.AlertCount) string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%d/%s:%d@%s", c.ChannelID, c.Intake, c.N, c.Last.Format("15:04")))
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		since time.Time
		want  string
	}{
		{time.Time{}, fmt.Sprintf("%d/:1@05:00 %d/phone:2@07:00 %d/:1@08:00", web.ID, web.ID, sms.ID)},
		{t0.Add(90 * time.Minute), fmt.Sprintf("%d/phone:1@07:00 %d/:1@08:00", web.ID, sms.ID)},
		{t0.Add(9 * time.Hour), ""},
	} {
		got, err := db.AlertCounts(ctx, c.since)
		if err != nil || str(got) != c.want {
			t.Errorf("since %v: %s %v, want %s", c.since, str(got), err, c.want)
		}
	}
}

// testAlertIntakeUpgrade: the alerts stored before migration 0059 read with
// no intake, but those the Alerts page's form typed in (web channel, client
// id "phone-…") read as taken by telephone or in person.
func testAlertIntakeUpgrade(t *testing.T, ctx context.Context, db *storage.DB) {
	wipe(t, db)
	if err := db.MigrateTo(ctx, 57); err != nil {
		t.Fatal(err)
	}
	const at = "2026-12-06T04:40:00.000000Z"
	chans := map[string]int64{}
	for _, k := range []string{"web", "smssync"} {
		id, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_channels (chan_key, kind, name, legal_basis, created) VALUES (?, ?, ?, 'consent', ?)`, "key-"+k, k, k+" channel", at)
		if err != nil {
			t.Fatal(err)
		}
		chans[k] = id
	}
	inc, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_incidents (status, loc_status, first_at, last_at, alert_count, updated_at) VALUES ('received', 'unresolved', ?, ?, 3, ?)`, at, at, at)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{}
	for _, a := range []struct{ kind, gateway, intake string }{
		{"web", "phone-mhx2k1-4f9a0c1b", alerts.IntakePhone}, // the form's client id
		{"web", "", ""},            // the public web form
		{"smssync", "phone-7", ""}, // a gateway's own id
	} {
		id, err := db.InsertID(ctx, db.SQL, `INSERT INTO alerts (channel_id, incident_id, gateway_id, message, received_at, loc_status) VALUES (?, ?, ?, '', ?, 'unresolved')`,
			chans[a.kind], inc, sql.NullString{String: a.gateway, Valid: a.gateway != ""}, at)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = a.intake
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for id, intake := range want {
		if a, err := db.Alert(ctx, id); err != nil || a.Intake != intake {
			t.Errorf("alert %d: intake %q %v, want %q", id, a.Intake, err, intake)
		}
	}
}
