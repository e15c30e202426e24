package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/contacts"
)

// TestBroadcastFailuresAPI: GET /api/v1/broadcasts/{id}/failures answers
// a broadcast's failed messages grouped by reason, most frequent first,
// keyed for the pages, with Twilio's words and never the recipients'
// numbers; analysts only; a bad id is a JSON 400 naming the field, an
// unknown one a JSON 404.
func TestBroadcastFailuresAPI(t *testing.T) {
	// Twilio refuses +243810000001 and 2 (invalid, naming them), is down for 3.
	e := newTwilioEnv(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		to := r.PostForm.Get("To")
		w.Header().Set("Content-Type", "application/json")
		switch to {
		case "+243810000003":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"code":21211,"message":"The 'To' number %s is not a valid phone number.","status":400}`, to)
		}
	})
	ctx, cs, tw := context.Background(), e.cs, e.tw
	ana := e.tokens["ana"]
	call := func(tok, path string, want int) []byte {
		t.Helper()
		resp, b := e.call("GET", path, reqOpt{token: tok}, want)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %s: Content-Type %q, want JSON", path, ct)
		}
		return b
	}
	g := contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 50, AccountSID: e.sid, From: "+15005550006", SendURL: e.api.URL}
	if _, err := cs.SetGateway(ctx, "admin", g); err != nil {
		t.Fatal(err)
	}
	importGroupWeb(t, cs, "f", "+243810000001", "+243810000002", "+243810000003")
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: tw.ID, Audience: contacts.Audience{Group: "f"}, Messages: map[string]string{"fr": "Bonjour"}})
	if err != nil {
		t.Fatal(err)
	}
	tw.Secret = "tw-token"
	if _, err := cs.Drain(ctx, tw, g); err != nil {
		t.Fatal(err)
	}

	path := fmt.Sprintf("/api/v1/broadcasts/%d/failures", b.ID)
	body := call(ana, path, 200)
	var f contacts.Failures
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	want := `[{twilio:21211 contacts.fail.twilio.21211 2 false} {server-error:503 contacts.fail.server-error 1 true}]`
	var got []string
	for _, r := range f.Reasons {
		got = append(got, fmt.Sprintf("{%s %s %d %v}", r.Code, r.Key, r.Count, r.Retry))
	}
	if "["+strings.Join(got, " ")+"]" != want || f.Failed != 2 || f.Retrying != 1 || f.BroadcastID != b.ID {
		t.Errorf("failures %s\nwant reasons %s, 2 failed, 1 retrying", body, want)
	}
	if f.Reasons[0].GatewaySaid != "The 'To' number [number] is not a valid phone number." || f.Reasons[0].Args["code"] != 21211 {
		t.Errorf("Twilio's words: %+v", f.Reasons[0])
	}
	if regexp.MustCompile(`81000000|\d{6}`).Match(body) {
		t.Errorf("a phone number in the answer: %s", body)
	}
	// reason is said in ?lang= (the pages' dictionaries), English by
	// default and for a language Vigil does not have; the rest is the same.
	for _, c := range []struct{ query, first, second string }{
		{"", "Twilio refused: not a valid phone number (error 21211)", "Gateway fault (HTTP 503)"},
		{"?lang=en", "Twilio refused: not a valid phone number (error 21211)", "Gateway fault (HTTP 503)"},
		{"?lang=xx", "Twilio refused: not a valid phone number (error 21211)", "Gateway fault (HTTP 503)"},
		{"?lang=fr", "Twilio a refusé\u00a0: numéro de téléphone invalide (erreur 21211)", "Panne de la passerelle (HTTP 503)"},
	} {
		var l contacts.Failures
		if err := json.Unmarshal(call(ana, path+c.query, 200), &l); err != nil || len(l.Reasons) != 2 {
			t.Fatalf("%q: %+v %v", c.query, l, err)
		}
		if l.Reasons[0].Reason != c.first || l.Reasons[1].Reason != c.second {
			t.Errorf("%q: reasons %q, %q; want %q, %q", c.query, l.Reasons[0].Reason, l.Reasons[1].Reason, c.first, c.second)
		}
		l.Reasons[0].Reason, l.Reasons[1].Reason = f.Reasons[0].Reason, f.Reasons[1].Reason
		if fmt.Sprint(l) != fmt.Sprint(f) {
			t.Errorf("%q: %+v\nwant as in English but the reasons: %+v", c.query, l, f)
		}
	}
	// Roles, bad and unknown ids.
	call("", path, 401)
	call(e.tokens["vic"], path, 403)
	call(e.tokens["rex"], path, 403)
	if _, field := jsonErr(t, call(ana, "/api/v1/broadcasts/x/failures", 400)); field != "id" {
		t.Errorf("bad id: field %q, want id", field)
	}
	call(ana, "/api/v1/broadcasts/99999/failures", 404)
	call(ana, "/api/v1/broadcasts/99999999999999999999/failures", 400)
}

// importGroupWeb imports phones into group, each with verbal consent.
func importGroupWeb(t *testing.T, cs *contacts.Service, group string, phones ...string) {
	t.Helper()
	var rows []contacts.Row
	for _, p := range phones {
		rows = append(rows, contacts.Row{Where: "t.csv", Input: contacts.Input{Phone: p, Language: "fr", Groups: []string{group}, ConsentHow: "verbal"}})
	}
	if _, err := cs.Import(context.Background(), "analyst", rows); err != nil {
		t.Fatal(err)
	}
}

// TestSayReasons: a reason's words in French are its key's, its {names}
// filled in; a key the dictionary lacks keeps the English; English is left
// as the service wrote it.
func TestSayReasons(t *testing.T) {
	for _, c := range []struct {
		lang string
		in   contacts.Reason
		want string
	}{
		{"fr", contacts.Reason{Key: "contacts.fail.timeout", Args: map[string]int{"s": 20}, Reason: "Gateway did not answer in 20 s"}, "La passerelle n’a pas répondu en 20\u00a0s"},
		{"fr", contacts.Reason{Key: "contacts.fail.twilio", Args: map[string]int{"code": 21999}, Reason: "x"}, "Twilio a refusé ou n’a pas pu remettre le message (erreur 21999)"},
		{"fr", contacts.Reason{Key: "contacts.fail.no-such-key", Reason: "Gateway's own reason"}, "Gateway's own reason"},
		{"en", contacts.Reason{Key: "contacts.fail.timeout", Args: map[string]int{"s": 20}, Reason: "as written"}, "as written"},
	} {
		rs := []contacts.Reason{c.in}
		if err := sayReasons(rs, c.lang); err != nil || rs[0].Reason != c.want {
			t.Errorf("%s %s: %q (%v), want %q", c.lang, c.in.Key, rs[0].Reason, err, c.want)
		}
	}
}
