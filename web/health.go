package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vigil-project/vigil/storage"
)

// health answers 200 {"status":"ok"} when the database answers and can take
// a write within two seconds, 503 {"status":"unavailable","reason":…}
// otherwise: a database that can be read but not written (locked by another
// process, a read-only file, a standby) cannot take alerts, so a load
// balancer must not send gateways here. It needs no login and names no
// path or data.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	reason := ""
	switch {
	case s.DB == nil:
		reason = "no database"
	case s.DB.SQL.PingContext(ctx) != nil:
		reason = "the database does not answer"
	default:
		if err := s.DB.CheckWritable(ctx); err != nil {
			switch {
			case storage.IsReadOnly(err):
				reason = "the database is read-only"
			case storage.IsBusy(err), errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil:
				reason = "the database is locked by another process (cannot be written)"
			default:
				reason = "the database cannot be written"
			}
		}
	}
	if reason != "" {
		w.Header().Set("Retry-After", retryAfter)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": reason})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
