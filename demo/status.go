package demo

import (
	"context"
	"encoding/json"
)

// StateStore reads what the demo stored (storage.DB.DemoState).
type StateStore interface {
	DemoState(ctx context.Context) (map[string]string, error)
}

// Status tells the UI what in a store is demo material (for its banner)
// and whether the demo forecasts are still being computed.
type Status struct {
	Store StateStore // nil: no database, hence no demo
}

// Answer returns the demo marker: which data are real, which synthetic,
// the forecasts' state and, for a demo store, the notice in English and
// French.
func (s *Status) Answer(ctx context.Context) (map[string]any, error) {
	if s == nil || s.Store == nil {
		return map[string]any{"demo": false}, nil
	}
	st, err := s.Store.DemoState(ctx)
	if err != nil {
		return nil, err
	}
	forecasts := map[string]string{}
	for grid, k := range map[string]string{"country": StateForecastCtr, "priogrid": StateForecastPG} {
		if v, ok := st[k]; ok {
			forecasts[grid] = v
		}
	}
	out := map[string]any{
		"demo":                      len(st) > 0,
		"events_are_real":           st[StateEvents] == Done,
		"alerts_are_demo":           st[StateAlerts] == Done,
		"survey_responses_are_demo": st[StateSurvey] == Done,
		"margins_are_demo":          st[StateSurvey] == Done,
		"scenario_is_demo":          st[StateScenario] == Done,
		"forecasts":                 forecasts,
		"computing":                 st[StateForecastCtr] == Computing || st[StateForecastPG] == Computing,
		"state":                     st,
		"attribution":               Attribution,
	}
	// The demo's weighting of its survey answers, refused (SurveyWeights):
	// the refusal as the API answers one, for the Surveys page to say.
	var refused refusal
	if st[StateSurveyWeights] == WeightsRefused && json.Unmarshal([]byte(st[StateSurveyWeightsRefusal]), &refused) == nil {
		out["survey_weights_refused"] = map[string]any{"error": refused.Error, "field": refused.Field, "key": refused.Key, "args": refused.Args}
	}
	if len(st) > 0 {
		out["alert_channel"] = AlertChannelName
		out["survey_form"] = "vigil_perception"
		out["survey_rounds"] = []string{"DEMO-R1", "DEMO-R2"}
		out["margins"] = MarginsName
		out["notice"] = "Demo: the events and deployments are real (UCDP GED, Geo-PKO); the alerts, incidents, survey responses, population margins, integrity posts, interlocutor log meetings and the saved coverage scenario are synthetic demo material."
		out["notice_fr"] = "Démo\u00a0: les événements et les déploiements sont réels (UCDP GED, Geo-PKO)\u202f; les alertes, incidents, réponses à l’enquête, marges de population, publications d’intégrité, rencontres du registre des interlocuteurs et le scénario de couverture enregistré sont des données de démonstration synthétiques."
	}
	return out, nil
}
