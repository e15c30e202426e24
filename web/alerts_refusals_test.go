package web

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

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
	a := oneSMSAlert(t, e, "ana")
	id, inc := i64s(a.ID), i64s(a.IncidentID)
	ana := func(name, method, path, body string, status int, key, fr string) keyedCase {
		return keyedCase{name: name, method: method, path: path, body: body, opt: reqOpt{token: e.tokens["ana"]}, status: status, key: key, fr: fr}
	}
	checkKeyed(t, e.testEnv, []keyedCase{
		ana("limit", "GET", "/api/v1/alerts?limit=0", "", 400, "alerts.refusal.limit", "0 n’est pas entre 1 et 1000"),
		ana("queue status", "GET", "/api/v1/alerts/incidents?status=done", "", 400, "alerts.refusal.status", "statut inconnu «\u202fdone\u202f»"),
		ana("weeks", "GET", "/api/v1/alerts/stats?weeks=0", "", 400, "alerts.refusal.weeks", "doit être entre 1 et 520"),
		ana("no incident", "GET", "/api/v1/alerts/incidents/99", "", 404, "alerts.refusal.not-found", "introuvable"),
		ana("no alert", "POST", "/api/v1/alerts/99/reply", `{"message":"x"}`, 404, "alerts.refusal.not-found", "introuvable"),
		ana("transition", "PATCH", "/api/v1/alerts/incidents/"+inc, `{"status":"closed"}`, 409, apperr.KeyField,
			"status\u00a0: impossible de passer du statut « reçu » au statut « clos »"),
		ana("empty reply", "POST", "/api/v1/alerts/"+id+"/reply", `{"message":" "}`, 400, apperr.KeyField, "message\u00a0: est vide"),
		ana("event", "POST", "/api/v1/alerts/incidents/"+inc+"/event", `{}`, 400, apperr.KeyField,
			"status\u00a0: seuls les incidents vérifiés deviennent des événements (celui-ci a le statut « reçu »)"),
		ana("move", "POST", "/api/v1/alerts/"+id+"/move", `{"incident":`+inc+`}`, 400, apperr.KeyField, "incident\u00a0: l’alerte est déjà dans cet incident"),
	})
	// A server without the alert network, or without an events store.
	bare := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	_, err := bare.alertsSvc()
	w := httptest.NewRecorder()
	bare.serveError(w, httptest.NewRequest("GET", "/api/v1/alerts", nil), err)
	keyedCase{name: "not configured", status: 503, key: "alerts.refusal.not-configured", fr: "le réseau d’alerte n’est pas configuré sur ce serveur"}.check(t, w.Code, w.Body.Bytes())
	w = httptest.NewRecorder()
	r := httptest.NewRequest("POST", "/api/v1/alerts/incidents/"+inc+"/event", nil)
	bare.serveError(w, r, bare.incidentEvent(w, r, e.svc, a.IncidentID))
	keyedCase{name: "no events store", status: 503, key: "alerts.refusal.no-events", fr: "aucune base d’événements sur ce serveur"}.check(t, w.Code, w.Body.Bytes())
}
