package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testIncidentRequestID: a change to an incident sent with the client's id
// (alerts.Update.RequestID) is made once, however often it is sent again,
// also when sent several times at once: one timeline line per note and
// status change, one audit record, the queue's counter moved once; the
// repeat answers the incident. The same id with another change is a keyed
// conflict on request_id that writes nothing; another user's id is theirs;
// an id over the limit is refused naming request_id.
func testIncidentRequestID(t *testing.T, ctx context.Context, db *storage.DB) {
	s, a := incidentToUpdate(t, ctx, db)
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	ana := &auth.User{Name: "ana", Role: auth.Responder}
	triaged := alerts.Triaged
	notes := func() (n, status int) {
		t.Helper()
		tl, err := db.Timeline(ctx, a.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range tl {
			switch l.Kind {
			case "note":
				n++
			case "status":
				status++
			}
		}
		return n, status
	}
	audits := func() int {
		t.Helper()
		rs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.incident.update"})
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	steps := []struct {
		name                  string
		u                     *auth.User
		up                    alerts.Update
		kind                  apperr.Kind
		field                 string
		notes, status, audits int
	}{
		{"a note", rex, alerts.Update{Note: "called the CLA", RequestID: "note-1"}, 0, "", 1, 0, 1},
		{"the note again", rex, alerts.Update{Note: "called the CLA", RequestID: "note-1"}, 0, "", 1, 0, 1},
		{"its id with another note", rex, alerts.Update{Note: "called the CLA twice", RequestID: "note-1"}, apperr.KindConflict, "request_id", 1, 0, 1},
		{"another user's same id", ana, alerts.Update{Note: "called the CLA", RequestID: "note-1"}, 0, "", 2, 0, 2},
		{"a status change", rex, alerts.Update{Status: &triaged, RequestID: "status-1"}, 0, "", 2, 1, 3},
		{"the status change again", rex, alerts.Update{Status: &triaged, RequestID: "status-1"}, 0, "", 2, 1, 3},
		{"an id over the limit", rex, alerts.Update{Note: "x", RequestID: strings.Repeat("x", alerts.MaxRequestIDBytes+1)}, apperr.KindInvalid, "request_id", 2, 1, 3},
		{"a note without id", rex, alerts.Update{Note: "called the CLA"}, 0, "", 3, 1, 4},
	}
	for _, c := range steps {
		v0, _ := db.QueueVersion(ctx)
		in, err := s.UpdateIncident(ctx, c.u, a.IncidentID, c.up)
		if c.field != "" {
			e := apperr.As(err)
			if e == nil || e.Field != c.field || e.Kind != c.kind {
				t.Errorf("%s: %v, want a refusal (kind %v) naming %s", c.name, err, c.kind, c.field)
			}
			if v, _ := db.QueueVersion(ctx); v != v0 {
				t.Errorf("%s: refused, but the queue version moved %d → %d", c.name, v0, v)
			}
		} else if err != nil || in.ID != a.IncidentID {
			t.Errorf("%s: %+v %v", c.name, in, err)
		}
		if n, st := notes(); n != c.notes || st != c.status {
			t.Errorf("%s: %d notes and %d status lines in the timeline, want %d and %d", c.name, n, st, c.notes, c.status)
		}
		if n := audits(); n != c.audits {
			t.Errorf("%s: %d audit records, want %d", c.name, n, c.audits)
		}
	}
	// Sent eight times at once (a resend racing the first): made once.
	inParallel(t, 8, func(int) error {
		_, err := s.UpdateIncident(ctx, rex, a.IncidentID, alerts.Update{Note: "patrol sent", RequestID: "note-2"})
		return err
	})
	tl, _ := db.Timeline(ctx, a.IncidentID)
	n := 0
	for _, l := range tl {
		if l.Kind == "note" && l.Text == "patrol sent" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("a note sent 8 times at once with one id: %d timeline lines, want 1", n)
	}
}

// testIncidentRequestForgotten: the request ids of incident changes
// (alert_incident_requests, a row per change) are deleted once older than
// alerts.RequestIDKeep (Service.ForgetRequests, the server's hourly
// housekeeping); a younger one is kept and still stops its change being
// made twice. Before, the table was never trimmed.
func testIncidentRequestForgotten(t *testing.T, ctx context.Context, db *storage.DB) {
	s, a := incidentToUpdate(t, ctx, db)
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	now := time.Now().UTC()
	ages := []struct {
		id   string
		age  time.Duration
		kept bool
	}{
		{"old", alerts.RequestIDKeep + time.Hour, false},
		{"just-old", alerts.RequestIDKeep + time.Minute, false},
		{"young", alerts.RequestIDKeep - time.Hour, true},
		{"today", time.Minute, true},
	}
	for _, c := range ages {
		s.Now = func() time.Time { return now.Add(-c.age) }
		if _, err := s.UpdateIncident(ctx, rex, a.IncidentID, alerts.Update{Note: "note " + c.id, RequestID: c.id}); err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
	}
	s.Now = func() time.Time { return now }
	n, err := s.ForgetRequests(ctx)
	if err != nil || n != 2 {
		t.Fatalf("ForgetRequests: %d %v, want 2 forgotten", n, err)
	}
	if n, err := s.ForgetRequests(ctx); err != nil || n != 0 {
		t.Errorf("ForgetRequests again: %d %v, want 0", n, err)
	}
	// A kept id with another change is a conflict; a forgotten one is free.
	for _, c := range ages {
		_, err := s.UpdateIncident(ctx, rex, a.IncidentID, alerts.Update{Note: "another note " + c.id, RequestID: c.id})
		if e := apperr.As(err); c.kept != (e != nil && e.Kind == apperr.KindConflict && e.Field == "request_id") || (!c.kept && err != nil) {
			t.Errorf("%s (kept %v): %v", c.id, c.kept, err)
		}
	}
}

// incidentToUpdate is a service on db and an alert it took, whose incident
// the tests change.
func incidentToUpdate(t *testing.T, ctx context.Context, db *storage.DB) (*alerts.Service, *alerts.Alert) {
	t.Helper()
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
	a, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: "r1", Message: "armed men at the market"})
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}
