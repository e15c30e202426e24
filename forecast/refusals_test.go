package forecast_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: a refresh asked for while one runs is refused as a
// conflict (409) said by its catalog message, in French "une actualisation
// des prévisions est déjà en cours"; every message of forecast.Refusals is
// said.
func TestRefusalMessages(t *testing.T) {
	// Something else computes forecasts (the demo's first computation):
	// Start refuses as it does while a refresh runs.
	r := &forecast.Refresher{Busy: func(context.Context) bool { return true }}
	_, err := r.Start(context.Background(), "user", "bob")
	if k, _ := apperr.KindOf(err); k != apperr.KindConflict || !errors.Is(err, forecast.ErrRefreshRunning) {
		t.Errorf("second start: %v (%v), want the conflict ErrRefreshRunning", err, k)
	}
	reached := map[string]bool{}
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "running", Err: err, FR: "une actualisation des prévisions est déjà en cours"})
	apperrtest.Catalog(t, forecast.Refusals, reached)
}
