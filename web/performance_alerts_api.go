package web

import (
	"net/http"

	"github.com/vigil-project/vigil/performance"
)

// perfAckAlert answers POST /api/v1/performance/alerts/{cell}/{month}/ack
// with {note}: the leadership alert for the withdrawal at cell in month is
// acknowledged by the caller (who, when and the note are kept, audited);
// 404 for no such alert, 409 when it was acknowledged before.
func (s *Server) perfAckAlert(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	cell, err := pathInt(r, "cell")
	if err != nil {
		return err
	}
	var req struct {
		Note string `json:"note"`
	}
	if err := decodeJSON(w, r, 16<<10, &req); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.AcknowledgeAlert(r.Context(), actorName(r), int(cell), r.PathValue("month"), req.Note))
}
