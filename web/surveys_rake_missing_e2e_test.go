package web_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestE2ESurveySettingsRakeMissing: in the settings panel, an indicator of
// a select_multiple question saved as taking one answer is refused in the
// page's language, naming indicators[N].multiple and marking that
// checkbox, nothing stored; the choice of what a respondent without an
// answer to a weighting question does is offered in English and French
// (refuse, the default, or leave out), saved, shown again, and the
// analysis then says in French how many were left out. With axe.
func TestE2ESurveySettingsRakeMissing(t *testing.T) {
	t.Parallel()
	srv, b, sb := newSettingsBrowser(t, "survey-rake-missing-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe, stored, set, click, msg := sb.axe, sb.stored, sb.set, sb.click, settingsMsg

	// One respondent without a region (an older form version, say):
	// stored sealed as Submit seals answers.
	f, err := srv.DB.FormByFormID(context.Background(), starter.FormID)
	if err != nil {
		t.Fatal(err)
	}
	answers, _ := json.Marshal(map[string]string{"round": "R1", "consent": "yes", "sex": "female", "age_group": "25_34", "displacement": "resident",
		"q_safety": "safe", "q_trust": "somewhat", "q_report": "yes", "q_violence": "no", "q_sources": "radio_un"})
	id := "uuid:e2e-no-region"
	sealed, err := srv.Server.Surveys.Keys.Seal(answers, []byte("surveys.answers:"+starter.FormID+"/"+id))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.DB.PutSubmission(context.Background(), "e", surveys.StoredSubmission{FormID: f.ID, InstanceID: id, FormVersion: f.Version, XMLSealed: sealed, AnswersSealed: sealed, Enumerator: "e", Received: time.Now().UTC()}, nil, nil); err != nil {
		t.Fatal(err)
	}

	step("surveys page", navigate(srv.URL+"/#/surveys"))
	wait("estimates", `document.querySelector('#surveys-indicator option')`)
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	click(`#surveys-settings summary`)
	wait("settings fr", `document.documentElement.lang === 'fr' && document.getElementById('surveys-set-ind-4-multiple')?.checked && document.getElementById('surveys-set-rake-missing')?.value === 'refuse'`+
		` && document.querySelector('#surveys-set-rake-missing option[value=leave_out]').textContent === 'Les laisser de côté dans les estimations, en les comptant'`)

	// hears_un_radio (q_sources, select_multiple) as taking one answer: refused.
	before := stored()
	click(`#surveys-set-ind-4-multiple`)
	click(`#surveys-set-save`)
	wait("multiple refused", msg+`.includes('indicators[4].multiple\u00a0: la question «\u202fq_sources\u202f» admet plusieurs réponses (select_multiple)') && document.getElementById('surveys-set-ind-4-multiple').getAttribute('aria-invalid') === 'true'`)
	if got := stored(); got != before {
		t.Errorf("stored %s after the refusal, want %s", got, before)
	}
	b.rec.take() // the refusal's 400, expected
	click(`#surveys-set-ind-4-multiple`)

	// Raking on the region, respondents without one left out.
	set("surveys-set-margins", "census")
	wait("dimensions", `document.querySelector('#surveys-set-rake input[value=region]')`)
	click(`#surveys-set-rake input[value=region]`)
	set("surveys-set-rake-missing", "leave_out")
	click(`#surveys-set-save`)
	wait("saved, one left out", msg+`.startsWith('Paramètres enregistrés') && document.getElementById('surveys-out')?.textContent.includes('1 personne interrogée laissée de côté dans les estimations\u00a0: pas de réponse à Région (division administrative 1), nécessaire pour la pondération.')`)
	st, err := srv.DB.Settings(context.Background(), starter.FormID)
	if err != nil || st.RakeMissing != surveys.RakeLeaveOut || len(st.RakeOn) != 1 || !st.Indicators[4].Multiple {
		t.Errorf("stored %+v (%v), want rake_missing leave_out, raking on region, indicator 4 multiple", st, err)
	}
	axe("left out, fr")
	if _, err := js[bool](ctx, `(Vigil.setLang('en'), true)`); err != nil {
		t.Fatal(err)
	}
	wait("en", `document.documentElement.lang === 'en' && document.getElementById('surveys-set-rake-missing').value === 'leave_out'`+
		` && document.querySelector('#surveys-set-rake-missing option[value=refuse]').textContent === 'Refuse the analysis (default)'`+
		` && document.getElementById('surveys-out').textContent.includes('1 respondent left out of the estimates: no answer to Region (admin area 1), needed to weight the answers.')`)
	axe("left out, en")
	done("en")
}
