package web

import (
	"context"
	"net/http"
	"time"
)

func init() {
	addRoutes(func(s *Server) {
		s.public("GET /healthz", s.health)
	})
}

// health answers 200 {"status":"ok"} when the database answers within two
// seconds, 503 otherwise. It needs no login and says nothing else.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if s.DB == nil || s.DB.SQL.PingContext(ctx) != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
