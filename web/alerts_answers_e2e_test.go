package web_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsAnswerOnTimeline: the fact-check answer sent to a tipline
// message's sender is on its incident's timeline, in the page's language:
// who answered, how many recipients, through which channel, and no
// number (a responder's page: below responder the timeline keeps only its
// public kinds, alerts/queue.go publicLog). Before, it showed only as counts on the check and in the audit
// log.
func TestE2EAlertsAnswerOnTimeline(t *testing.T) {
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	tip, err := svc.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia tipline", "s3cret-gw", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx0, tip, alerts.Inbound{From: "+243811000001", Message: "On dit que le pont saute ce soir", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.NoteAnswers(ctx0, "ana.check", 12, []int64{a.ID}); err != nil {
		t.Fatal(err)
	}
	srv := serveE2E(t, &web.Server{DB: db, Alerts: svc}, "rex.e2e", auth.Responder)
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	seeTimelineLines(t, ctx, srv.URL, a.IncidentID, "ana.check", map[string]string{
		"en": "tipline answer: fact-check answer (narrative 12) sent by SMS through “Bunia tipline”; recipients: 1",
		"fr": "réponse aux signalements : réponse de vérification (récit 12) envoyée par SMS via «\u202fBunia tipline\u202f» ; destinataires : 1",
	}, "811000")
}
