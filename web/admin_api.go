package web

import (
	"fmt"
	"net/http"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
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
	ids := svc.Keys.IDs()
	if ids == nil {
		ids = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": svc.Keys.Active(), "keys": ids})
	return nil
}

// adminKeysRotate makes a new active key, saves the key file and re-encrypts
// the alert network's sealed values with it (as `vigil keys rotate`). Old
// keys stay in the key file so other sealed data still opens.
func (s *Server) adminKeysRotate(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	u := mustUser(r)
	id, err := svc.Keys.Rotate()
	if err != nil {
		// Keys from the environment (VIGIL_KEYS) cannot be rotated here.
		return errorf(http.StatusConflict, "%v", err)
	}
	if err := s.Audit.Record(r.Context(), audit.Entry{Actor: u.Name, Action: "keys.rotate", Object: "key:" + id, Detail: "new active key"}); err != nil {
		return err
	}
	n, err := svc.Reseal(r.Context(), u.Name)
	if err != nil {
		return fmt.Errorf("new key %s is active but re-encryption failed (rotate again): %w", id, err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": id, "keys": svc.Keys.IDs(), "resealed": n})
	return nil
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
