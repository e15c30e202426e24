package web

import (
	"net/http"

	"github.com/vigil-project/vigil/alerts"
)

// alertsStream answers GET /api/v1/alerts/stream with the live triage
// queue as text/event-stream (alerts.Service.Stream).
func (s *Server) alertsStream(w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
	out := streamWriter{w, http.NewResponseController(w)}
	err := svc.Stream(r.Context(), out, func() {
		h := w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
		w.WriteHeader(http.StatusOK)
	})
	return err // ErrTooManyStreams is apperr's unavailable: 503
}

// streamWriter is an answer's body with its flush and write deadline.
type streamWriter struct {
	http.ResponseWriter
	*http.ResponseController
}
