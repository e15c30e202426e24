package web

import (
	"context"
	"net/http"
	"time"
)

// HealthChecker says why the store cannot serve, or "" when it can
// (storage.DB.Unhealthy).
type HealthChecker interface {
	Unhealthy(ctx context.Context) string
}

// health answers 200 {"status":"ok"} when the database answers and can take
// a write within two seconds, 503 {"status":"unavailable","reason":…}
// otherwise: a database that can be read but not written (locked by another
// process, a read-only file, a standby) cannot take alerts, so a load
// balancer must not send gateways here. It needs no login and names no
// path or data.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	reason := "no database"
	if s.Health != nil {
		reason = s.Health.Unhealthy(ctx)
	}
	if reason != "" {
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": reason})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
