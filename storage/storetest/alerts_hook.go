package storetest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testEscalationHookShared: the escalation webhook set in the browser on
// one server (migration 0071) is in force on every server on the
// database at its next post, over their flag's URL, without a restart:
// the notices that failed against the old URL (waiting or given up) are
// posted to it at once, a notice being posted (claimed) is left to its
// poster. Its URL is sealed (no clear text on disk), opens after a key
// rotation, and set, change and removal are audited with the scheme and
// host only; once removed, the flag's URL is in force again. Before, the
// webhook was the flag's alone: changing it meant restarting each server.
func testEscalationHookShared(t *testing.T, ctx context.Context, db *storage.DB) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	down := newNoticeHook(t)
	down.status.Store(http.StatusBadGateway)
	good := newNoticeHook(t)
	a := noticeServer(t, db, down, &now) // a server with the flag, its webhook down
	b := noticeServer(t, db, down, &now) // another server, the same flag
	b.Keys = a.Keys
	for _, kind := range []string{"vigil.test.waiting", "vigil.test.claimed"} {
		a.Escalate(ctx, map[string]any{"type": kind})
	}
	if err := a.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	given := &alerts.Notice{Key: "vigil-given", Body: []byte(`{"type":"vigil.test.given"}`)}
	if err := db.QueueNotice(ctx, given, now); err != nil {
		t.Fatal(err)
	}
	if err := db.NoticeFailed(ctx, given.ID, "status 502", now, time.Time{}); err != nil {
		t.Fatal(err)
	}
	ns, err := db.UnsentNotices(ctx, now, 10)
	if err != nil || len(ns) != 3 {
		t.Fatalf("unsent before: %v %+v", err, ns)
	}
	// Claim the "claimed" one, as a pass under way on a third server.
	for _, n := range ns {
		if strings.Contains(string(n.Body), "claimed") {
			if ok, err := db.ClaimNotice(ctx, n.ID, n.Tries, now.Add(time.Hour), now.Add(time.Hour+alerts.NoticeLease)); !ok || err != nil {
				t.Fatalf("claim: %v %v", ok, err)
			}
		}
	}
	now = now.Add(time.Hour + time.Second)

	const secret = "/services/T0/SECRETPATH?token=SECRETQUERY"
	v, err := b.SetEscalationHook(ctx, "ada", alerts.HookRequest{URL: good.srv.URL + secret})
	if err != nil || v.Source != alerts.HookSetHere || v.Shown != good.srv.URL+"/…" || strings.Contains(v.Shown, "SECRET") {
		t.Fatalf("set: %v %+v", err, v)
	}
	var sealed []byte
	if err := db.QueryRow(ctx, db.SQL, `SELECT url_sealed FROM alert_escalation_hook`).Scan(&sealed); err != nil || len(sealed) == 0 || strings.Contains(string(sealed), "SECRET") {
		t.Fatalf("stored %v %q", err, sealed)
	}
	// Server a, never told, posts the waiting and given-up notices to the
	// new URL (or b's pass, which the change started, does: each once); the
	// claimed one stays its poster's.
	for _, s := range []*alerts.Service{a, b} {
		if err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var kinds []string
	for _, p := range good.got() {
		kinds = append(kinds, p.kind)
	}
	if strings.Join(kinds, ",") != "vigil.test.waiting,vigil.test.given" && strings.Join(kinds, ",") != "vigil.test.given,vigil.test.waiting" {
		t.Fatalf("the new webhook got %v", kinds)
	}

	// Resealed with the others (a key rotation): it still opens.
	if _, err := a.Reseal(ctx, "ada"); err != nil {
		t.Fatal(err)
	}
	var resealed []byte
	if err := db.QueryRow(ctx, db.SQL, `SELECT url_sealed FROM alert_escalation_hook`).Scan(&resealed); err != nil || string(resealed) == string(sealed) {
		t.Fatalf("not resealed: %v", err)
	}
	if r, err := a.TestEscalationHook(ctx, "ada"); err != nil || !r.OK || r.Status != http.StatusNoContent {
		t.Fatalf("test after a rotation: %v %+v", err, r)
	}

	// Changed, then removed: the flag's is in force again.
	if _, err := a.SetEscalationHook(ctx, "bo", alerts.HookRequest{URL: "https://ops.example.org/hook?token=SECRET"}); err != nil {
		t.Fatal(err)
	}
	if v, err := b.RemoveEscalationHook(ctx, "ada"); err != nil || v.Source != alerts.HookSetFlag {
		t.Fatalf("remove: %v %+v", err, v)
	}
	if _, err := b.RemoveEscalationHook(ctx, "ada"); !keyed(err, apperr.KindNotFound, "alerts.refusal.hook-none-here") {
		t.Fatalf("remove again: %v", err)
	}
	if _, err := db.EscalationHook(ctx); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("after removal: %v", err)
	}
	for action, want := range map[string]string{"alerts.hook.set": "webhook " + good.srv.URL + "/…",
		"alerts.hook.change": "webhook https://ops.example.org/…", "alerts.hook.remove": "webhook https://ops.example.org/…"} {
		rs := auditActions(t, db, action)
		if len(rs) != 1 || rs[0].Detail != want || rs[0].Object != "escalation-hook" {
			t.Errorf("%s audited %+v, want one with %q", action, rs, want)
		}
	}
	if rs := auditActions(t, db, "alerts.hook.test"); len(rs) != 1 || !strings.HasSuffix(rs[0].Detail, "set here; answered HTTP 204") {
		t.Errorf("test audited %+v", rs)
	}
}
