package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsReplyOnTimeline: a responder's SMS reply to a reporter is
// on the incident's timeline in the page's language: who replied, to which
// alert's reporter, through which gateway; neither the number nor the
// reply's text. Before, it was only in the audit log. A reply or a
// tipline answer that went by WhatsApp (a WhatsApp sender answered
// through its Twilio channel) says so; a tipline answer's line written
// before lines said how they went reads as by SMS, as it went. Before,
// the page said "by SMS" of a WhatsApp answer and showed a WhatsApp
// reply's line in English as stored. A reply's line ends with what became
// of its message (here still queued for the phone, then sent, live); a
// line naming no message (written by hand here) says nothing of it.
func TestE2EAlertsReplyOnTimeline(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	watch, stop := context.WithCancel(ctx0)
	defer stop()
	go svc.WatchStore(watch, 50*time.Millisecond) // as vigil serve runs it
	gw, err := svc.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia gateway", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx0, gw, alerts.Inbound{From: "+243811000001", Message: "Armed men near the market", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := svc.Reply(ctx0, &auth.User{Name: "rex.reply", Role: auth.Responder}, a.ID, "Patrol on its way")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(a.ID, 10)
	// Lines as the server writes them for a WhatsApp sender answered
	// through its Twilio channel, and a tipline answer's line as written
	// before lines said how they went (by SMS then).
	at := time.Now().UTC()
	if err := db.AddLog(ctx0, []alerts.LogEntry{
		{IncidentID: a.IncidentID, At: at, Actor: "rex.whatsapp", Kind: "reply", Text: "reply to the reporter of alert " + id + " sent by WhatsApp through Bunia Twilio"},
		{IncidentID: a.IncidentID, At: at, Actor: "ana.whatsapp", Kind: "answer", Text: "fact-check answer for narrative 7 sent by WhatsApp to 2 tipline senders through Bunia Twilio"},
		{IncidentID: a.IncidentID, At: at, Actor: "ana.before", Kind: "answer", Text: "fact-check answer for narrative 7 sent to 1 tipline sender through Bunia gateway"},
	}); err != nil {
		t.Fatal(err)
	}
	srv := serveE2E(t, &web.Server{DB: db, Alerts: svc}, "rex.e2e", auth.Responder)
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	for _, c := range []struct {
		actor string
		lines map[string]string
	}{
		{"rex.reply", map[string]string{
			"en": "reply to the reporter: SMS reply to the reporter of alert " + id + " queued on “Bunia gateway” — queued for the gateway",
			"fr": "réponse à la personne qui a signalé\u00a0: réponse par SMS à la personne qui a signalé l’alerte n°\u00a0" + id + ", mise en attente d’envoi sur «\u202fBunia gateway\u202f» — en file d’attente",
		}},
		{"rex.whatsapp", map[string]string{
			"en": "reply to the reporter: WhatsApp reply to the reporter of alert " + id + " queued on “Bunia Twilio”",
			"fr": "réponse à la personne qui a signalé\u00a0: réponse par WhatsApp à la personne qui a signalé l’alerte n°\u00a0" + id + ", mise en attente d’envoi sur «\u202fBunia Twilio\u202f»",
		}},
		{"ana.whatsapp", map[string]string{
			"en": "tipline answer: fact-check answer (narrative 7) sent by WhatsApp through “Bunia Twilio”; recipients: 2",
			"fr": "réponse aux signalements\u00a0: réponse de vérification (récit 7) envoyée par WhatsApp via «\u202fBunia Twilio\u202f»\u202f; destinataires\u00a0: 2",
		}},
		{"ana.before", map[string]string{
			"en": "tipline answer: fact-check answer (narrative 7) sent by SMS through “Bunia gateway”; recipients: 1",
			"fr": "réponse aux signalements\u00a0: réponse de vérification (récit 7) envoyée par SMS via «\u202fBunia gateway\u202f»\u202f; destinataires\u00a0: 1",
		}},
	} {
		seeTimelineLines(t, ctx, srv.URL, a.IncidentID, c.actor, c.lines, "811000", "Patrol")
	}
	// The reply box, on the page left open in French, names the way the
	// reply goes (its channel, by SMS), where it said "by SMS" of every
	// reply, WhatsApp and webhook ones included.
	label := `document.querySelector('label[for="alerts-reply-` + id + `"]')?.textContent`
	if err := poll(ctx, label+` === 'Répondre par Bunia gateway (SMS)'`, stepWait); err != nil {
		got, _ := js[string](ctx, label+` || '(no label)'`)
		t.Errorf("reply label %q, want %q: %v", got, "Répondre par Bunia gateway (SMS)", err)
	}
	// The phone takes the reply: the line says so while the page stays
	// open, told by the live stream (the store's change counter, as vigil
	// serve watches it), not at a reload. Before, it said « en file
	// d’attente » until another change to the queue.
	if _, err := db.MarkOutgoingSent(ctx0, gw.ID, []string{reply.UUID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	sent := `[...document.querySelectorAll('.alerts-timeline li')].some((li) => li.textContent.includes('rex.reply') && li.textContent.endsWith('» — envoyé'))`
	if err := poll(ctx, sent, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('.alerts-timeline')?.innerText || '(no timeline)'`)
		t.Errorf("after the phone took the reply, timeline %q, want the reply's line ending « — envoyé »: %v", got, err)
	}
}

// seeTimelineLines opens incident's page at base in English, then French,
// and waits for a timeline line by actor ending in the language's line of
// lines; none of the page's timeline may hold a string of hidden (a
// number, a reporter's or responder's words).
func seeTimelineLines(t *testing.T, ctx context.Context, base string, incident int64, actor string, lines map[string]string, hidden ...string) {
	t.Helper()
	for _, lang := range []string{"en", "fr"} {
		line := lines[lang]
		if err := openIn(ctx, base+"/#/alerts/incident/"+strconv.FormatInt(incident, 10), lang); err != nil {
			t.Fatal(err)
		}
		cond := `document.documentElement.lang === '` + lang + `' && [...document.querySelectorAll('.alerts-timeline li')].some((li) => li.textContent.includes(` + jsString(actor) + `) && li.textContent.endsWith(` + jsString(line) + `))`
		if err := poll(ctx, cond, stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('.alerts-timeline')?.innerText || '(no timeline)'`)
			t.Fatalf("%s: timeline %q, want a line by %s ending %q: %v", lang, got, actor, line, err)
		}
		got, _ := js[string](ctx, `document.querySelector('.alerts-timeline').innerText`)
		for _, h := range hidden {
			if strings.Contains(got, h) {
				t.Errorf("%s: %q on the timeline: %q", lang, h, got)
			}
		}
	}
}
