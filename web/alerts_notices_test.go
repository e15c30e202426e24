package web

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
	"github.com/vigil-project/vigil/audit"
)

// TestAlertNoticesAPI: an admin sees the escalation notices nobody was
// told of (GET /api/v1/alerts/notices: given up, with the failure and
// when) and tries one again (POST …/{id}/retry: CSRF, audited, posted at
// once); other roles are refused, as are a retry without CSRF, of an
// unknown notice (keyed 404), on a server without a webhook (keyed 409,
// the notices then listed as waiting for one) and of a notice being posted
// (keyed 409). Before, a notice given up
// was only logged: no route showed it.
func TestAlertNoticesAPI(t *testing.T) {
	ctx := context.Background()
	e := newAlertsEnv(t, "ada", "rex")
	now := time.Now().UTC()
	e.svc.Now = func() time.Time { return now }
	hook := alertstest.RefusingHook(t, e.svc, http.StatusBadGateway)
	alertstest.GiveUpNotice(t, e.svc, map[string]any{"type": "vigil.incident.overdue", "incident_id": 42}, &now)

	ada := e.client()
	csrf := e.login(ada, "ada")
	var list alerts.NoticeReport
	resp, b := e.do(ada, "GET", "/api/v1/alerts/notices", reqOpt{})
	if resp.StatusCode != 200 || json.Unmarshal(b, &list) != nil {
		t.Fatalf("list: %d %s", resp.StatusCode, b)
	}
	if !list.Webhook || len(list.Notices) != 1 || list.Notices[0].State != alerts.NoticeGivenUp || list.Notices[0].IncidentID != 42 ||
		list.Notices[0].LastError != "status 502" || list.Notices[0].GaveUp == nil {
		t.Fatalf("list: %s", b)
	}
	id := list.Notices[0].ID
	retry := "/api/v1/alerts/notices/" + i64s(id) + "/retry"
	session := reqOpt{hdr: map[string]string{csrfHeader: csrf}}
	checkKeyed(t, e.testEnv, []keyedCase{
		{name: "responder lists", method: "GET", path: "/api/v1/alerts/notices", opt: reqOpt{token: e.tokens["rex"]}, status: 403},
		{name: "responder retries", method: "POST", path: retry, opt: reqOpt{token: e.tokens["rex"]}, status: 403},
		{name: "no CSRF", method: "POST", path: retry, client: ada, status: 403},
		{name: "unknown notice", method: "POST", path: "/api/v1/alerts/notices/999/retry", opt: session, client: ada, status: 404,
			key: "alerts.refusal.no-notice", fr: "l’avis 999 n’attend pas d’être envoyé (déjà envoyé, ou inexistant)"},
		{name: "bad id", method: "POST", path: "/api/v1/alerts/notices/x/retry", opt: session, client: ada, status: 400},
	})
	retried := func() int {
		rs, err := e.server.Audit.AuditLog(ctx, audit.Filter{Action: "alerts.notice.retry"})
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	if n := retried(); n != 0 || hook.Posts.Load() != alerts.NoticeTries {
		t.Fatalf("refusals wrote %d audit entries, %d posts", n, hook.Posts.Load())
	}

	// Without a webhook: listed as waiting for one; a retry is refused.
	hookURL := e.svc.EscalationURL
	e.svc.EscalationURL = ""
	resp, b = e.do(ada, "GET", "/api/v1/alerts/notices", reqOpt{})
	if resp.StatusCode != 200 || json.Unmarshal(b, &list) != nil || list.Webhook {
		t.Fatalf("list without a webhook: %d %s", resp.StatusCode, b)
	}
	checkKeyed(t, e.testEnv, []keyedCase{{name: "no webhook", method: "POST", path: retry, opt: session, client: ada, status: 409,
		key: "alerts.refusal.no-webhook", fr: "aucun webhook de remontée n’est défini (dans Administration → Avis de remontée, ou par vigil serve --alerts-escalation-url)\u00a0: l’avis ne peut pas être envoyé"}})

	e.svc.EscalationURL = hookURL
	hook.Status.Store(0)

	// A notice a pass is posting (claimed, not settled): the retry is
	// refused, nothing written (storetest Alerts/NoticeRetryRace races them).
	busy := &alerts.Notice{Key: "vigil-busy", Body: []byte(`{"type":"vigil.integrity.spike"}`)}
	if err := e.svc.Store.QueueNotice(ctx, busy, now); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.svc.Store.ClaimNotice(ctx, busy.ID, 0, now, now.Add(alerts.NoticeLease)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	checkKeyed(t, e.testEnv, []keyedCase{{name: "being posted", method: "POST", path: "/api/v1/alerts/notices/" + i64s(busy.ID) + "/retry", opt: session, client: ada, status: 409,
		key: "alerts.refusal.notice-busy", fr: "l’avis " + i64s(busy.ID) + " est en cours d’envoi\u00a0: rien n’a été modifié\u202f; regardez de nouveau dans une minute"}})
	if n := retried(); n != 0 || hook.Posts.Load() != alerts.NoticeTries {
		t.Fatalf("refused retry: %d audit entries, %d posts", n, hook.Posts.Load())
	}

	var v alerts.NoticeView
	resp, b = e.do(ada, "POST", retry, session)
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || v.State != alerts.NoticeSentState {
		t.Fatalf("retry: %d %s", resp.StatusCode, b)
	}
	if n := retried(); n != 1 || hook.Posts.Load() != alerts.NoticeTries+1 {
		t.Fatalf("retry: %d audit entries, %d posts", n, hook.Posts.Load())
	}
	resp, b = e.do(ada, "GET", "/api/v1/alerts/notices", reqOpt{})
	if json.Unmarshal(b, &list) != nil || len(list.Notices) != 0 {
		t.Fatalf("after the retry: %d %s", resp.StatusCode, b)
	}
}
