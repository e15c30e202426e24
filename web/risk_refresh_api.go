package web

import (
	"context"
	"net/http"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/forecast"
)

// ForecastRefresher recomputes the stored forecasts in the background
// (forecast.Refresher): the risk layer's "refresh now" and its progress.
type ForecastRefresher interface {
	Status() forecast.RefreshStatus
	Start(ctx context.Context, trigger, by string) (forecast.RefreshStatus, error)
	// Grids are the grids a refresh computes (forecast.GridPrio, and
	// forecast.GridCountry when the server has a PRIO-GRID cell list).
	Grids() []string
}

// refreshGrids is what the risk service's refusals say a browser user can
// do (risk.Service.Refreshes): the grids the server's refresh computes,
// nil without one. It reads s.Forecasts when asked.
func (s *Server) refreshGrids() []string {
	if s.Forecasts == nil {
		return nil
	}
	return append([]string{}, s.Forecasts.Grids()...)
}

// refreshJSON is the status with whether refreshes are available here.
func refreshJSON(st forecast.RefreshStatus, available bool) map[string]any {
	return map[string]any{"available": available, "status": st}
}

// riskRefreshStatus answers GET /api/v1/risk/refresh.
func (s *Server) riskRefreshStatus(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.Forecasts == nil {
		writeJSON(w, http.StatusOK, refreshJSON(forecast.RefreshStatus{}, false))
		return nil
	}
	writeJSON(w, http.StatusOK, refreshJSON(s.Forecasts.Status(), true))
	return nil
}

// riskRefreshStart answers POST /api/v1/risk/refresh: 202 with the
// status, 409 while a refresh runs.
func (s *Server) riskRefreshStart(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.Forecasts == nil {
		return sayError(http.StatusServiceUnavailable, "refusal.http.no-forecasts")
	}
	by := ""
	if u, ok := auth.UserFrom(r.Context()); ok {
		by = u.Name
	}
	st, err := s.Forecasts.Start(r.Context(), "user", by)
	if err != nil { // forecast.ErrRefreshRunning is a conflict: 409
		return err
	}
	writeJSON(w, http.StatusAccepted, refreshJSON(st, true))
	return nil
}
