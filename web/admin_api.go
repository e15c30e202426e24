package web

import (
	"net/http"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/surveys"
)

// Administration routes the browser's admin pages need and the other route
// files lack: the encryption keys' status and rotation, every user's API
// tokens, each intake channel's message count and last message, and who may
// submit to a survey form. Thin: decode, call the store or service, encode;
// admin role on every route; every change audited (documented in
// web/openapi.d/admin.json).
// adminKeys answers the ids of the keys that seal personal data and which
// one new data is sealed with (never the keys themselves).
func (s *Server) adminKeys(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	return reply(w, http.StatusOK)(svc.KeyStatus(), nil)
}

// adminKeysRotate makes a new active key and re-encrypts the alert
// network's sealed values with it (as `vigil keys rotate`), audited.
func (s *Server) adminKeysRotate(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	return reply(w, http.StatusOK)(svc.RotateKeys(r.Context(), mustUser(r).Name, s.Audit))
}

// adminTokens lists every user's API tokens (name, dates; never the secret).
func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Auth.AllTokens(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"tokens": out}, err)
}

// adminChannelStats counts the alerts each intake channel received, when
// the last arrived and the web-form posts its budget refused.
func (s *Server) adminChannelStats(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	out, err := svc.ChannelStats(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"channels": out}, err)
}

// adminEnumerators lists the users allowed to submit to a survey form.
func (s *Server) adminEnumerators(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	f, names, err := svc.Enumerators(r.Context(), r.PathValue("form"))
	return reply(w, http.StatusOK)(map[string]any{"form": f.FormID, "enumerators": names}, err)
}
