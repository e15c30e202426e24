package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// TestWebFormClosed: a web form link that names no open form (a wrong key,
// another kind's channel) answers 404 with the form's page saying so in its
// language (?lang=, the post's lang field, else Accept-Language), with no
// form to fill, instead of the API's JSON {"error":"unknown channel"} that
// a reporter's browser showed as it was.
func TestWebFormClosed(t *testing.T) {
	e := newAlertsEnv(t, "ana")
	for _, c := range []struct {
		name, method, path, body string
		hdr                      map[string]string
		want                     string
	}{
		{"wrong key, French", "GET", "/intake/web/nope?lang=fr", "", nil, alerts.WebFormTexts["fr"].Closed},
		{"wrong key, English", "GET", "/intake/web/nope", "", nil, alerts.WebFormTexts["en"].Closed},
		{"browser in French", "GET", "/intake/web/nope", "", map[string]string{"Accept-Language": "fr-CD,fr;q=0.9"}, alerts.WebFormTexts["fr"].Closed},
		{"an SMS channel's key", "GET", "/intake/web/" + e.sms.Key + "?lang=fr", "", nil, alerts.WebFormTexts["fr"].Closed},
		{"post, French", "POST", "/intake/web/nope", "message=x&lang=fr", nil, alerts.WebFormTexts["fr"].Closed},
	} {
		resp, b := e.do(nil, c.method, c.path, reqOpt{body: c.body, ctype: formType, hdr: c.hdr})
		page := html.UnescapeString(string(b))
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(page, c.want) || strings.Contains(page, "<form") {
			t.Errorf("%s: %d %s\n%s", c.name, resp.StatusCode, resp.Header.Get("Content-Type"), page)
		}
	}
	for lang, tx := range alerts.WebFormTexts {
		if tx.Closed == "" || (lang != "en" && tx.Closed == alerts.WebFormTexts["en"].Closed) {
			t.Errorf("%s: closed form text %q", lang, tx.Closed)
		}
	}
}
