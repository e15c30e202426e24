package alerts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// formCase is a post of the web form and how it must be answered.
type formCase struct {
	name     string
	posts    int   // posts from the same client before this one
	fail     error // the store's failure
	cookie   string
	message  string
	lang     string
	want     alerts.FormOutcome // 0: received
	wantMsg  string
	wantWait bool
	tipline  bool // the channel is a tipline
}

func TestPostWebForm(t *testing.T) {
	busy := apperr.Unavailable("database is locked", nil)
	for _, tc := range []formCase{
		{name: "received", cookie: "tok", message: "armed men at the market", lang: "en"},
		{name: "no cookie", message: "x", lang: "en", want: alerts.FormExpired, wantMsg: alerts.WebFormTexts["en"].Expired},
		{name: "wrong token", cookie: "other", message: "x", lang: "fr", want: alerts.FormExpired, wantMsg: alerts.WebFormTexts["fr"].Expired},
		// The alert form asks « What is happening? » and « Where? »: its
		// refusals name those fields so (they said « Your message », « The
		// place »).
		{name: "empty message", cookie: "tok", lang: "en", want: alerts.FormInvalid, wantMsg: "What is happening: is empty"},
		{name: "empty message, French", cookie: "tok", lang: "fr", want: alerts.FormInvalid, wantMsg: "Ce qui se passe\u00a0: est vide"},
		// A tipline's form asks « What did you hear or see? »: its refusal
		// names that field so, not as the alert form's message.
		{name: "tipline, empty message", tipline: true, cookie: "tok", lang: "en", want: alerts.FormInvalid, wantMsg: "What you heard or saw: is empty"},
		{name: "tipline, empty message, French", tipline: true, cookie: "tok", lang: "fr", want: alerts.FormInvalid, wantMsg: "Ce que vous avez entendu ou vu\u00a0: est vide"},
		{name: "tipline, message too long", tipline: true, cookie: "tok", message: strings.Repeat("x", 5000), lang: "fr", want: alerts.FormInvalid,
			wantMsg: "Ce que vous avez entendu ou vu\u00a0: fait 5000 octets, la limite est 4096"},
		{name: "store busy", cookie: "tok", message: "x", lang: "fr", fail: busy, want: alerts.FormBusy,
			wantMsg: "Votre alerte n’a pas été reçue\u00a0: le service est occupé. Veuillez appuyer de nouveau sur Envoyer dans quelques minutes.", wantWait: true},
		{name: "over the client's budget", posts: alerts.ThrottleClientBurst, cookie: "tok", message: "x", lang: "en",
			want: alerts.FormThrottled, wantMsg: alerts.WebFormTexts["en"].Busy, wantWait: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, st := newGatewayService(t, tc.fail)
			c := alerts.Channel{ID: 9, Kind: alerts.Web, Key: "web", Tipline: tc.tipline}
			post := alerts.WebFormPost{IP: "192.0.2.7", CSRFCookie: tc.cookie, CSRF: "tok", Lang: tc.lang, In: alerts.Inbound{Message: tc.message}}
			for range tc.posts {
				svc.AdmitWebPost(context.Background(), post.IP, c.ID)
			}
			ref, no, err := svc.PostWebForm(context.Background(), c, post)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == 0 {
				if no != nil || ref == 0 || len(st.received) != 1 {
					t.Fatalf("refused %+v (ref %d, %d stored)", no, ref, len(st.received))
				}
				return
			}
			if no == nil || no.Outcome != tc.want || no.Msg != tc.wantMsg || (no.Wait > 0) != tc.wantWait || len(st.received) != 0 {
				t.Fatalf("refusal %+v (%d stored), want %v %q (wait %v)", no, len(st.received), tc.want, tc.wantMsg, tc.wantWait)
			}
		})
	}
}
