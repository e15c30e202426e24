package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/grid"
)

// The demo marker: what in this store is demo material, so the UI can say
// so (a banner), and whether the demo forecasts are still being computed.
// demoStatus answers GET /api/v1/demo.
func (s *Server) demoStatus(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if s.DB == nil {
		writeJSON(w, http.StatusOK, map[string]any{"demo": false})
		return nil
	}
	st, err := s.DB.DemoState(r.Context())
	if err != nil {
		return err
	}
	forecasts := map[string]string{}
	for grid, k := range map[string]string{"country": demo.StateForecastCtr, "priogrid": demo.StateForecastPG} {
		if v, ok := st[k]; ok {
			forecasts[grid] = v
		}
	}
	out := map[string]any{
		"demo":                      len(st) > 0,
		"events_are_real":           st[demo.StateEvents] == demo.Done,
		"alerts_are_demo":           st[demo.StateAlerts] == demo.Done,
		"survey_responses_are_demo": st[demo.StateSurvey] == demo.Done,
		"margins_are_demo":          st[demo.StateSurvey] == demo.Done,
		"scenario_is_demo":          st[demo.StateScenario] == demo.Done,
		"forecasts":                 forecasts,
		"computing":                 st[demo.StateForecastCtr] == demo.Computing || st[demo.StateForecastPG] == demo.Computing,
		"state":                     st,
		"attribution":               demo.Attribution,
	}
	if len(st) > 0 {
		out["alert_channel"] = demo.AlertChannelName
		out["survey_form"] = "vigil_perception"
		out["survey_rounds"] = []string{"DEMO-R1", "DEMO-R2"}
		out["margins"] = demo.MarginsName
		out["notice"] = "Demo: the events and deployments are real (UCDP GED, Geo-PKO); the alerts, incidents, survey responses, population margins and the saved coverage scenario are synthetic demo material."
		out["notice_fr"] = "Démo : les événements et les déploiements sont réels (UCDP GED, Geo-PKO) ; les alertes, incidents, réponses à l'enquête, marges de population et le scénario de couverture enregistré sont des données de démonstration synthétiques."
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// SaveDemoScenario saves the demo's coverage scenario: a temporary
// operating base tried (as the coverage planner's "try") at the centre of
// the worst coverage gap of the last month with both deployments and
// events. Its name says it is demo material.
func (s *Server) SaveDemoScenario(ctx context.Context, actor string) (string, error) {
	r, err := http.NewRequestWithContext(ctx, "GET", "/", nil)
	if err != nil {
		return "", err
	}
	in, err := s.covLoad(r, 0)
	if err != nil {
		return "", err
	}
	_, mo := coverage.Span(in.deps)
	var last grid.Month
	for _, x := range in.inc {
		last = max(last, x.Month)
	}
	if last != 0 && (mo == 0 || last < mo) {
		mo = last
	}
	if mo == 0 {
		return "", fmt.Errorf("demo scenario: no deployments or events stored")
	}
	if in, err = s.covLoadRisk(r, mo); err != nil {
		return "", err
	}
	// The worst gap within 300 km of a mission's site that month (not
	// in a country where no mission is).
	var gaps []coverage.CellMonth
	for _, g := range coverage.Gaps(in.model.Month(in.deps, mo, in.risk), 0) {
		if g.NearestKM > 0 && g.NearestKM < 300 {
			gaps = append(gaps, g)
			break
		}
	}
	if len(gaps) == 0 {
		return "", fmt.Errorf("demo scenario: no coverage gap in %s near a site", mo)
	}
	lat, lon, err := grid.Regular{Size: 0.5}.Center(gaps[0].Cell)
	if err != nil {
		return "", err
	}
	res, err := in.model.Try(in.deps, in.risk, mo, "", coverage.Candidate{ID: "proposed", Lat: lat, Lon: lon, Mobility: coverage.Vehicle})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(res)
	if err != nil {
		return "", err
	}
	where := fmt.Sprintf("cell %d", gaps[0].Cell)
	if p := s.placeLabeler(ctx)(lat, lon); p != nil {
		where = p.Label
	}
	name := fmt.Sprintf("DEMO: a temporary base %s (vehicle patrols), %s", where, mo)
	if len(name) > 200 {
		name = name[:200]
	}
	if _, err := s.DB.SaveScenario(ctx, actor, &coverage.Scenario{Name: name, Kind: "try", Month: mo, Body: body}); err != nil {
		return "", err
	}
	return name, nil
}
