package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// contactsEnv is a server with the contacts service and one SMSSync channel.
func contactsEnv(t testing.TB) (*testEnv, alerts.Channel) {
	e := newEnv(t)
	k := testutil.Keys(t, "k1")
	as := alerts.NewService(e.db, k)
	ch, err := as.NewChannel(context.Background(), "admin", alerts.SMSSync, "Bunia phone", "bunia-phone-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	cs := contacts.NewService(e.db, k)
	cs.Channels = e.db
	e.s.Contacts = cs
	return e, ch
}

func TestContactsAPI(t *testing.T) {
	e, ch := contactsEnv(t)
	ana, vic, rex := e.tokens["ana"], e.tokens["vic"], e.tokens["rex"]
	call := func(tok, method, path, body string, want int) []byte {
		t.Helper()
		resp, b := e.do(nil, method, path, reqOpt{token: tok, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		return b
	}
	// Roles: analyst only.
	call("", "GET", "/api/v1/contacts", "", 401)
	call(vic, "GET", "/api/v1/contacts", "", 403)
	call(rex, "POST", "/api/v1/broadcasts", `{}`, 403)
	if b := call(ana, "GET", "/api/v1/contacts", "", 200); string(b) != "[]\n" && string(b) != "[]" {
		t.Fatalf("empty list: %s", b)
	}

	// Create: phone answered masked only.
	b := call(ana, "POST", "/api/v1/contacts", `{"phone":"+243 810 000 001","name":"Amani","language":"fr","groups":["can"],"lat":1.56,"lon":30.25,"consent_how":"verbal"}`, 201)
	if strings.Contains(string(b), "810000001") || strings.Contains(string(b), "Amani") || !strings.Contains(string(b), `"phone":"+•••••••••001 #`) {
		t.Fatalf("created: %s", b)
	}
	for _, c := range []struct{ body, field string }{
		{`{"phone":"12","consent_how":"x"}`, "phone"},
		{`{"phone":"+243810000002","language":"xx","consent_how":"x"}`, "language"},
		{`{"phone":"+243810000002"}`, "consent_how"},
		{`{"phone":"+243810000002","lat":95,"lon":1,"consent_how":"x"}`, "lat"},
		{`{"phone":"+243810000002","groups":["a,b"],"consent_how":"x"}`, "groups"},
	} {
		msg, field := jsonErr(t, call(ana, "POST", "/api/v1/contacts", c.body, 400))
		if field != c.field {
			t.Errorf("%s: field %q (%s), want %q", c.body, field, msg, c.field)
		}
	}
	call(ana, "POST", "/api/v1/contacts", `{"phone":"+243-810-000-001","consent_how":"x"}`, 409)

	// Edit (PATCH): roles as for the import; the new number answered
	// masked only; refusals name the field; re-opting in needs consent.
	var created contacts.Contact
	json.Unmarshal(b, &created)
	one := fmt.Sprintf("/api/v1/contacts/%d", created.ID)
	call("", "PATCH", one, `{}`, 401)
	call(rex, "PATCH", one, `{"language":"en"}`, 403)
	call(ana, "PATCH", "/api/v1/contacts/999", `{"language":"en"}`, 404)
	b = call(ana, "PATCH", one, `{"phone":"+243 810 000 055","name":"Amani K","language":"en","groups":["can"],"lat":1.56,"lon":30.25}`, 200)
	if strings.Contains(string(b), "810000055") || strings.Contains(string(b), "Amani") || !strings.Contains(string(b), `"phone":"+•••••••••055 #`) || !strings.Contains(string(b), `"language":"en"`) {
		t.Fatalf("edited: %s", b)
	}
	// A partial update: absent fields are kept, null clears the name
	// (groups and place cleared likewise: storetest contacts/edit).
	b = call(ana, "PATCH", one, `{"language":"fr"}`, 200)
	if !strings.Contains(string(b), `"groups":["can"]`) || !strings.Contains(string(b), `"lat":1.56`) || !strings.Contains(string(b), `"name":"A•••"`) || !strings.Contains(string(b), `"language":"fr"`) {
		t.Fatalf("PATCH language only: %s", b)
	}
	if b = call(ana, "PATCH", one, `{"name":null}`, 200); !strings.Contains(string(b), `"name":""`) || !strings.Contains(string(b), `"groups":["can"]`) || !strings.Contains(string(b), `"lat":1.56`) {
		t.Fatalf("PATCH clearing the name: %s", b)
	}
	for _, c := range []struct{ body, field string }{
		{`{"phone":"12"}`, "phone"},
		{`{"language":"xx"}`, "language"},
		{`{"lat":95,"lon":1}`, "lat"},
	} {
		if msg, field := jsonErr(t, call(ana, "PATCH", one, c.body, 400)); field != c.field {
			t.Errorf("PATCH %s: field %q (%s), want %q", c.body, field, msg, c.field)
		}
	}

	// Import: a bad row names FILE:LINE and writes nothing.
	bad := "phone,language,groups\n+243810000002,sw,can\n+243810000003,zz,can\n"
	msg, _ := jsonErr(t, call(ana, "POST", "/api/v1/contacts/import?name=djugu.csv&consent=verbal", bad, 400))
	if !strings.Contains(msg, "djugu.csv:3: language") {
		t.Fatalf("import error: %s", msg)
	}
	b = call(ana, "POST", "/api/v1/contacts/import?name=djugu.csv&consent=verbal", strings.Replace(bad, "zz", "en", 1), 201)
	if !strings.Contains(string(b), `"imported":2`) {
		t.Fatalf("import: %s", b)
	}
	var list []map[string]any
	json.Unmarshal(call(ana, "GET", "/api/v1/contacts", "", 200), &list)
	if len(list) != 3 {
		t.Fatalf("%d contacts", len(list))
	}

	// Gateways and a broadcast with its reach.
	if b := call(ana, "GET", "/api/v1/broadcasts/gateways", "", 200); !strings.Contains(string(b), `"Bunia phone"`) || strings.Contains(string(b), "bunia-phone-secret") || strings.Contains(string(b), `"secret"`) {
		t.Fatalf("gateways: %s", b)
	}
	b = call(ana, "POST", "/api/v1/broadcasts", fmt.Sprintf(`{"channel_id":%d,"group":"can","messages":{"fr":"Réunion demain","en":"Meeting tomorrow"}}`, ch.ID), 201)
	var bc contacts.Broadcast
	json.Unmarshal(b, &bc)
	if bc.Reach.Queued != 3 || bc.ID == 0 {
		t.Fatalf("broadcast: %s", b)
	}
	if b := call(ana, "GET", fmt.Sprintf("/api/v1/broadcasts/%d", bc.ID), "", 200); !strings.Contains(string(b), `"queued":3`) {
		t.Fatalf("get: %s", b)
	}
	call(ana, "GET", "/api/v1/broadcasts/999", "", 404)
	call(ana, "GET", "/api/v1/broadcasts/x", "", 400)
	for _, c := range []struct{ body, field string }{
		{`{"channel_id":999,"group":"can","messages":{"fr":"x"}}`, "channel_id"},
		{fmt.Sprintf(`{"channel_id":%d,"messages":{"fr":"x"}}`, ch.ID), "group"},
		{fmt.Sprintf(`{"channel_id":%d,"group":"can","messages":{}}`, ch.ID), "messages"},
		{fmt.Sprintf(`{"channel_id":%d,"lat":1,"lon":30,"radius_km":0,"messages":{"fr":"x"}}`, ch.ID), "radius_km"},
		{fmt.Sprintf(`{"channel_id":%d,"near_place":"Bunia","radius_km":5,"messages":{"fr":"x"}}`, ch.ID), "near_place"},
	} {
		if _, field := jsonErr(t, call(ana, "POST", "/api/v1/broadcasts", c.body, 400)); field != c.field {
			t.Errorf("%s: field %q, want %q", c.body, field, c.field)
		}
	}
	if b := call(ana, "GET", "/api/v1/broadcasts", "", 200); !strings.Contains(string(b), `"reach"`) {
		t.Fatalf("list: %s", b)
	}
	if strings.Contains(e.log.String(), "810000") {
		t.Fatal("a phone number reached the log")
	}
}

// FuzzContactsCreate: any body to the create endpoint answers 201, 400 or
// 409 (never 500), and no answer holds the number in clear.
func FuzzContactsCreate(f *testing.F) {
	f.Add(`{"phone":"+243810000001","name":"A","language":"fr","groups":["can"],"consent_how":"verbal"}`)
	f.Add(`{"phone":"+243810000001","lat":1e400,"lon":"x"}`)
	f.Add(`{"phone":"0000000","place":"Bunia","consent_how":"x"}`)
	e, _ := contactsEnv(f)
	tok := e.tokens["ana"]
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/contacts", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		resp, b := w.Result(), w.Body.Bytes()
		switch resp.StatusCode {
		case 201, 400, 409, 413:
		default:
			t.Fatalf("%q: %d %s", body, resp.StatusCode, b)
		}
		if resp.StatusCode == 201 && strings.Contains(string(b), `"phone":"+2`) {
			t.Fatalf("clear phone in answer: %s", b)
		}
	})
}

// TestContactsAPIKeptOptOut: a contact added for a number that replied
// STOP before it was a contact's is answered, and listed, opted out with
// that reply's date and words (the Contacts page's badge); the opt-in
// with a new consent clears it.
func TestContactsAPIKeptOptOut(t *testing.T) {
	e, _ := contactsEnv(t)
	ana := e.tokens["ana"]
	if _, err := e.s.Contacts.InboundSMS(context.Background(), "+243810000091", "ARRET"); err != nil {
		t.Fatal(err)
	}
	var c struct {
		ID         int64   `json:"id"`
		OptedOutAt *string `json:"opted_out_at"`
		OptOutHow  string  `json:"opt_out_how"`
	}
	resp, b := e.do(nil, "POST", "/api/v1/contacts", reqOpt{token: ana, body: `{"phone":"+243 810 000 091","language":"fr","consent_how":"verbal"}`})
	if resp.StatusCode != 201 || json.Unmarshal(b, &c) != nil || c.OptedOutAt == nil || c.OptOutHow == "" {
		t.Fatalf("created: %d %s, want 201 opted out", resp.StatusCode, b)
	}
	_, b = e.do(nil, "GET", "/api/v1/contacts", reqOpt{token: ana})
	if !strings.Contains(string(b), `"opted_out_at":"`+*c.OptedOutAt+`"`) {
		t.Fatalf("listed: %s, want opted out at %s", b, *c.OptedOutAt)
	}
	resp, b = e.do(nil, "PATCH", fmt.Sprintf("/api/v1/contacts/%d", c.ID), reqOpt{token: ana, body: `{"opt_in":true,"consent_how":"verbal, visit"}`})
	if resp.StatusCode != 200 || strings.Contains(string(b), "opted_out_at") {
		t.Fatalf("opt-in: %d %s, want 200 not opted out", resp.StatusCode, b)
	}
}
