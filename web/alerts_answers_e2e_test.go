package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/integrity"
)

// TestE2EAlertsAnswerOnTimeline: the fact-check answer sent to a tipline
// message's sender is on its incident's timeline, in the page's language:
// who answered, how many recipients, through which channel, and no
// number (a responder's page: below responder the timeline keeps only its
// public kinds, alerts/queue.go publicLog). Before, it showed only as counts on the check and in the audit
// log. The answer is sent as the Verify page sends it: an analyst's POST
// to the check's answers.
func TestE2EAlertsAnswerOnTimeline(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	srv, s, tip := tiplineServer(t, "rex.e2e", auth.Responder) // tipline_check_e2e_test.go
	al, integ := s.Alerts, s.Integrity
	a, err := al.Receive(ctx0, tip, alerts.Inbound{From: "+243811000001", Message: "On dit que le pont saute ce soir", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	its, err := integ.Items(ctx0, integrity.ItemFilter{})
	if err != nil || len(its) != 1 || its[0].Narrative == 0 {
		t.Fatalf("tipline items %+v %v", its, err)
	}
	n := its[0].Narrative
	publishFalse(t, integ, "ana.check", n, "The bridge will be blown up tonight", "The bridge is open.", "Le pont est ouvert.")
	sp := func(s string) *string { return &s }
	if _, err := integ.UpdateCheck(ctx0, "ana.check", n, integrity.CheckUpdate{State: sp(integrity.CheckResponsePlanned)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Auth.CreateUser(ctx0, "test", "ana.check", auth.Analyst, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.Auth.CreateToken(ctx0, "test", "ana.check", "answers", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/integrity/narratives/%d/check/answers", srv.URL, n), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var res integrity.AnswerResult
	if err := json.Unmarshal(b, &res); resp.StatusCode != 200 || err != nil || res.Sent != 1 {
		t.Fatalf("answers: %d %s", resp.StatusCode, b)
	}
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	seeTimelineLines(t, ctx, srv.URL, a.IncidentID, "ana.check", map[string]string{
		// Each answer's line says what became of its message (8d07da1).
		"en": fmt.Sprintf("tipline answer: fact-check answer (narrative %d) sent by SMS through “Bunia tipline”; recipients: 1 — queued for the gateway", n),
		"fr": fmt.Sprintf("réponse aux signalements\u00a0: réponse de vérification (récit %d) envoyée par SMS via «\u202fBunia tipline\u202f»\u202f; destinataires\u00a0: 1 — en file d’attente", n),
	}, "811000")
}
