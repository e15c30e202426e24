package web

import (
	"context"
	"net/http"
)

// The demo marker: what in this store is demo material, so the UI can say
// so (a banner), and whether the demo forecasts are still being computed
// (Server.Demo, demo.Status).

// demoStatus answers GET /api/v1/demo.
func (s *Server) demoStatus(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(s.Demo.Answer(r.Context()))
}

// SaveDemoScenario saves the demo's coverage scenario (see
// coverage.Service.DemoScenario) and returns its name.
func (s *Server) SaveDemoScenario(ctx context.Context, actor string) (string, error) {
	return s.Coverage.DemoScenario(ctx, actor)
}
