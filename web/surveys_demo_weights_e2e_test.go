package web_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestE2ESurveyDemoWeightsOff: when vigil serve --demo could not weight
// the demo survey's answers (the API's checks refused the raking, here
// demo margins without age_group), the Surveys page showed unweighted
// estimates and nothing said why. It now says, over the demo form's
// estimates, that the answers are not weighted and the refusal's reason,
// in English and French (the refusal said by its key from the demo
// marker); once a weighting is chosen, the notice is gone. With axe.
func TestE2ESurveyDemoWeightsOff(t *testing.T) {
	t.Parallel()
	srv, b, sb := newSettingsBrowser(t, "survey-demo-weights-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	bg := context.Background()
	// The demo's refusal as demo.SurveyWeights records it.
	for k, v := range map[string]string{
		demo.StateSurvey:        demo.Done,
		demo.StateSurveyWeights: demo.WeightsRefused,
		demo.StateSurveyWeightsRefusal: `{"error":"rake_on: population margins \"demo_population_synthetic\" have no dimension \"age_group\" (dimensions: region)","field":"rake_on",` +
			`"key":"surveys.refusal.rake-dim","args":{"0":"\"demo_population_synthetic\"","1":"\"age_group\"","2":"region"}}`,
	} {
		if err := srv.DB.SetDemoState(bg, k, v); err != nil {
			t.Fatal(err)
		}
	}
	notice := `document.getElementById('surveys-demo-weights')?.textContent || ''`
	step("surveys page", navigate(srv.URL+"/#/surveys"))
	wait("notice en", notice+` === '⚠ Demo: these answers are not weighted to the demo population: weighting them was refused when the demo started`+
		` (rake_on: population margins "demo_population_synthetic" have no dimension "age_group" (dimensions: region)). Choose a weighting in the analysis settings.'`)
	sb.axe("demo weights off, en")
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	wait("notice fr", notice+` === '⚠ Démo\u00a0: ces réponses ne sont pas pondérées sur la population de la démo\u00a0: leur pondération a été refusée au démarrage de la démo`+
		` (rake_on\u00a0: les marges de population «\u202fdemo_population_synthetic\u202f» n’ont pas de dimension «\u202fage_group\u202f» (dimensions\u00a0: region)). Choisissez une pondération dans les paramètres de l’analyse.'`)
	sb.axe("demo weights off, fr")

	// Weighted (by the user, here through the store): nothing to say.
	st := starter.Settings()
	st.Margins, st.RakeOn = "census", []string{"region"}
	if err := srv.DB.SaveSettings(bg, "test", starter.FormID, st); err != nil {
		t.Fatal(err)
	}
	step("again", navigate(srv.URL+"/#/performance"))
	step("surveys again", navigate(srv.URL+"/#/surveys"))
	wait("weighted, no notice", `(document.getElementById('surveys-meta')?.textContent || '').includes('post-stratification sur') && !document.getElementById('surveys-demo-weights')`)
	done("fr")
}
