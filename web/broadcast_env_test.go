package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
)

// twilioEnv is a contactsEnv with the alerts service on the server, a
// Twilio channel (token "tw-token") and a fake of Twilio's Messages API
// that answers with twilio: what the broadcast API tests share.
type twilioEnv struct {
	*testEnv
	as  *alerts.Service
	cs  *contacts.Service
	tw  alerts.Channel
	sid string           // the account SID the tests set
	api *httptest.Server // the fake Twilio
}

func newTwilioEnv(t *testing.T, twilio http.HandlerFunc) twilioEnv {
	t.Helper()
	e, _ := contactsEnv(t)
	cs := e.s.Contacts
	as := alerts.NewService(e.db, cs.Keys)
	e.s.Alerts = as
	cs.BaseURL = e.srv.URL
	tw, err := as.NewChannel(context.Background(), "admin", alerts.Twilio, "Twilio", "tw-token", "")
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(twilio)
	t.Cleanup(api.Close)
	return twilioEnv{testEnv: e, as: as, cs: cs, tw: tw, sid: "AC" + strings.Repeat("b", 32), api: api}
}

// call asks path with o and fails the test unless the answer's status is
// want.
func (e twilioEnv) call(method, path string, o reqOpt, want int) (*http.Response, []byte) {
	e.t.Helper()
	resp, b := e.do(nil, method, path, o)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	return resp, b
}
