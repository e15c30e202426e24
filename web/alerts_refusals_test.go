package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestAlertsRefusalKeys: the alert network's API answers a refusal with its
// English "error" and status as always, and beside them the catalog key and
// arguments that say the same text (checked) and its French: a query, a
// missing incident (the store's bare "not found"), a transition, an empty
// reply, an event of an unverified incident; a server without the alert
// network or without an events store.
func TestAlertsRefusalKeys(t *testing.T) {
	e := newAlertsEnv(t, "ana")
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Attack at the market", "s3cret"), ctype: formCT})
	_, b := e.do(nil, "GET", "/api/v1/alerts", reqOpt{token: e.tokens["ana"]})
	var as []alerts.Alert
	if err := json.Unmarshal(b, &as); err != nil || len(as) != 1 {
		t.Fatalf("alerts: %s %v", b, err)
	}
	id, inc := i64s(as[0].ID), i64s(as[0].IncidentID)
	type answer struct {
		Error, Field, Key string
		Args              map[string]string
	}
	check := func(name string, status, wantStatus int, body []byte, key, fr string) {
		t.Helper()
		var got answer
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: %s %v", name, body, err)
		}
		m := apperr.Message{Key: got.Key, Args: got.Args}
		if status != wantStatus || got.Key != key || m.Text("en") != got.Error || m.Text("fr") != fr {
			t.Errorf("%s: %d %+v: English %q, French %q (want %d, %s, %q)", name, status, got, m.Text("en"), m.Text("fr"), wantStatus, key, fr)
		}
	}
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		key, fr                  string
	}{
		{"limit", "GET", "/api/v1/alerts?limit=0", "", 400, "alerts.refusal.limit", "0 n'est pas entre 1 et 1000"},
		{"queue status", "GET", "/api/v1/alerts/incidents?status=done", "", 400, "alerts.refusal.status", `statut inconnu "done"`},
		{"weeks", "GET", "/api/v1/alerts/stats?weeks=0", "", 400, "alerts.refusal.weeks", "doit être entre 1 et 520"},
		{"no incident", "GET", "/api/v1/alerts/incidents/99", "", 404, "alerts.refusal.not-found", "introuvable"},
		{"no alert", "POST", "/api/v1/alerts/99/reply", `{"message":"x"}`, 404, "alerts.refusal.not-found", "introuvable"},
		{"transition", "PATCH", "/api/v1/alerts/incidents/" + inc, `{"status":"closed"}`, 409, apperr.KeyField,
			"status : impossible de passer du statut « reçu » au statut « clos »"},
		{"empty reply", "POST", "/api/v1/alerts/" + id + "/reply", `{"message":" "}`, 400, apperr.KeyField, "message : est vide"},
		{"event", "POST", "/api/v1/alerts/incidents/" + inc + "/event", `{}`, 400, apperr.KeyField,
			"status : seuls les incidents vérifiés deviennent des événements (celui-ci a le statut « reçu »)"},
		{"move", "POST", "/api/v1/alerts/" + id + "/move", `{"incident":` + inc + `}`, 400, apperr.KeyField, "incident : l'alerte est déjà dans cet incident"},
	} {
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: e.tokens["ana"], body: c.body})
		check(c.name, resp.StatusCode, c.status, b, c.key, c.fr)
	}
	// A server without the alert network, or without an events store.
	bare := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	_, err := bare.alertsSvc()
	w := httptest.NewRecorder()
	bare.serveError(w, httptest.NewRequest("GET", "/api/v1/alerts", nil), err)
	check("not configured", w.Code, 503, w.Body.Bytes(), "alerts.refusal.not-configured", "le réseau d'alerte n'est pas configuré sur ce serveur")
	w = httptest.NewRecorder()
	r := httptest.NewRequest("POST", "/api/v1/alerts/incidents/"+inc+"/event", nil)
	bare.serveError(w, r, bare.incidentEvent(w, r, e.svc, as[0].IncidentID))
	check("no events store", w.Code, 503, w.Body.Bytes(), "alerts.refusal.no-events", "aucune base d'événements sur ce serveur")
}
