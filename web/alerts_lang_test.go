package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// twimlSays is the TwiML that texts text back to the reporter.
func twimlSays(text string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>` + text + `</Message></Response>`
}

// TestTwilioAnswerLanguage: the SMS Twilio sends back to a reporter (the
// TwiML's <Message>) is in the reporter's language: the channel's, when an
// admin set one (PATCH lang); else the message's, when it is English or
// French; else the mission's (alerts.Service.Lang); an
// opt-out reply (STOP, ARRET) is confirmed, in its word's language when
// only one language has it; a busy store asks to send again in the same
// language.
func TestTwilioAnswerLanguage(t *testing.T) {
	dir := t.TempDir()
	e := newAlertsEnvAt(t, dir, sqlite.Options{BusyTimeout: 100 * time.Millisecond}, "ada")
	cs := contacts.NewService(e.db, e.svc.Keys)
	e.svc.Inbound = cs
	path := alerts.IntakePath(e.tw)
	n := 0
	post := func(body string) (int, string) {
		n++
		form := url.Values{"MessageSid": {"SM" + strconv.Itoa(n)}, "From": {"+243812345678"}, "To": {"+243990000000"}, "Body": {body}}
		sig := alerts.TwilioSignature("12345678", e.srv.URL+path, form)
		resp, b := e.do(nil, "POST", path, reqOpt{body: form.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": sig}})
		return resp.StatusCode, string(b)
	}
	en, fr := alerts.ReporterTexts["en"], alerts.ReporterTexts["fr"]
	// channel is the channel's own language (Administration → intake
	// channels, PATCH lang), which comes first; "" leaves the choice to
	// the message, then the mission.
	chanPath := "/api/v1/alerts/channels/" + strconv.FormatInt(e.tw.ID, 10)
	cases := []struct {
		name, channel, mission, body, want string
	}{
		{"English message", "", "fr", "Gunfire near the school this morning", en.Received},
		{"French message", "", "", "Des hommes armés ont attaqué le village ce matin", fr.Received},
		{"French message, English mission", "", "en", "Tirs près de l’école de Djugu", fr.Received},
		{"Swahili message, French mission", "", "fr", "Mapigano karibu na shule ya Djugu", fr.Received},
		{"Swahili message, English mission", "", "en", "Mapigano karibu na shule ya Djugu", en.Received},
		{"Swahili message, no mission language", "", "", "Mapigano karibu na shule ya Djugu", en.Received},
		{"ARRET: a French opt-out", "", "en", "ARRET", fr.OptedOut},
		{"arrêter: a French opt-out", "", "", "arrêter", fr.OptedOut},
		{"UNSUBSCRIBE: an English opt-out", "", "fr", "Unsubscribe", en.OptedOut},
		{"STOP, French mission", "", "fr", "STOP", fr.OptedOut},
		{"STOP, English mission", "", "en", "stop", en.OptedOut},
		{"French channel, English message", "fr", "en", "Gunfire near the school this morning", fr.Received},
		{"French channel, STOP", "fr", "en", "STOP", fr.OptedOut},
		{"English channel, French message", "en", "fr", "Des hommes armés ont attaqué le village ce matin", en.Received},
		{"English channel, ARRET", "en", "fr", "ARRET", en.OptedOut},
		{"channel language cleared, French message", "", "en", "Des hommes armés sont entrés dans le village", fr.Received},
	}
	lang := ""
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.channel != lang {
				resp, b := e.do(nil, "PATCH", chanPath, reqOpt{token: e.tokens["ada"], body: `{"lang":"` + tc.channel + `"}`})
				if resp.StatusCode != 200 || !strings.Contains(string(b), `"lang":"`+tc.channel+`"`) {
					t.Fatalf("PATCH lang %q: %d %s", tc.channel, resp.StatusCode, b)
				}
				lang = tc.channel
			}
			e.svc.Lang = tc.mission
			status, b := post(tc.body)
			if status != 200 || b != twimlSays(tc.want) {
				t.Fatalf("got %d %s\nwant %s", status, b, twimlSays(tc.want))
			}
		})
	}
	if resp, b := e.do(nil, "PATCH", chanPath, reqOpt{token: e.tokens["ada"], body: `{"lang":"sw"}`}); resp.StatusCode != 400 || !strings.Contains(string(b), `"field":"lang"`) {
		t.Errorf("PATCH lang sw: %d %s", resp.StatusCode, b)
	}
	for _, s := range []string{en.Received, fr.Received, en.Busy, fr.Busy, en.OptedOut, fr.OptedOut} {
		if s == "" {
			t.Fatal("an empty reporter text")
		}
	}

	// The store cannot take the message: the reporter is asked to send it
	// again, in the same language.
	if _, err := e.svc.Channel(context.Background(), e.tw.Key); err != nil { // cached, as on a running server
		t.Fatal(err)
	}
	release := holdWriteLock(t, dir)
	defer release()
	e.svc.Lang = "en"
	for _, tc := range []struct{ body, want string }{
		{"Des hommes armés ont attaqué le village ce matin", fr.Busy},
		{"Gunfire near the school this morning", en.Busy},
	} {
		if status, b := post(tc.body); status != 503 || b != twimlSays(tc.want) {
			t.Errorf("busy, %q: got %d %s\nwant %s", tc.body, status, b, twimlSays(tc.want))
		}
	}
}

// TestOptOutReplyInContactLanguage: STOP is an opt-out word in English and
// in French; from a contact's number, its confirmation is in the language
// the contact was registered with, not the mission's (a channel with a
// language of its own still comes first); so is a configured word of a
// language the service does not answer in (Swahili). A number that is no
// contact is answered in the mission's language.
func TestOptOutReplyInContactLanguage(t *testing.T) {
	e := newAlertsEnvAt(t, t.TempDir(), sqlite.Options{}, "ada")
	cs := contacts.NewService(e.db, e.svc.Keys)
	cs.OptOutWords = map[string][]string{"en": {"STOP"}, "fr": {"ARRET", "STOP"}, "sw": {"ACHA"}}
	e.svc.Inbound = cs
	ctx := context.Background()
	for phone, lang := range map[string]string{"+243812300001": "fr", "+243812300002": "en", "+243812300005": "fr"} {
		if _, err := cs.Create(ctx, "ada", contacts.Input{Phone: phone, Language: lang, ConsentHow: "verbal"}); err != nil {
			t.Fatal(err)
		}
	}
	path := alerts.IntakePath(e.tw)
	en, fr := alerts.ReporterTexts["en"], alerts.ReporterTexts["fr"]
	for i, tc := range []struct {
		from, mission, body, want string
	}{
		{"+243812300001", "en", "STOP", fr.OptedOut},
		{"+243812300002", "fr", "stop", en.OptedOut},
		{"+243812300003", "fr", "STOP", fr.OptedOut},
		{"+243812300004", "en", "STOP", en.OptedOut},
		// a configured word of a language the service does not answer in
		// (Swahili): the contact's language, else the mission's
		{"+243812300005", "en", "ACHA", fr.OptedOut},
		{"+243812300006", "fr", "acha", fr.OptedOut},
		{"+243812300007", "en", "acha", en.OptedOut},
	} {
		e.svc.Lang = tc.mission
		form := url.Values{"MessageSid": {"SMc" + strconv.Itoa(i)}, "From": {tc.from}, "To": {"+243990000000"}, "Body": {tc.body}}
		sig := alerts.TwilioSignature("12345678", e.srv.URL+path, form)
		resp, b := e.do(nil, "POST", path, reqOpt{body: form.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": sig}})
		if resp.StatusCode != 200 || string(b) != twimlSays(tc.want) {
			t.Errorf("%s %q (mission %s): got %d %s\nwant %s", tc.from, tc.body, tc.mission, resp.StatusCode, b, twimlSays(tc.want))
		}
	}
}
