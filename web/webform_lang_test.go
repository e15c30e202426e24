package web

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// TestWebFormErrorsInLanguage: every refusal of the public alert form is
// its page again, saying why in the page's language and naming the field
// by the page's own words: a refused field (empty, too long, not UTF-8),
// a body too large to read (413) and one that is not a form (400), which
// were JSON in English; the language is the form's lang field, else its
// action's ?lang=, else Accept-Language.
func TestWebFormErrorsInLanguage(t *testing.T) {
	e := newAlertsEnv(t)
	e.svc.Throttle = nil // 18 posts from one client: the budget is TestWebFormThrottle's
	c := e.client()
	path := alerts.IntakePath(e.webform)
	errRE := regexp.MustCompile(`(?s)<p class="err" role="alert">(.*?)</p>`)
	actionRE := regexp.MustCompile(`<form method="post" action="([^"]*)"`)
	cases := []struct {
		name, body string
		status     int
		en, fr     string
	}{
		{"empty message", url.Values{"message": {" "}}.Encode(), 400, "What is happening: is empty", "Ce qui se passe\u00a0: est vide"},
		{"long message", url.Values{"message": {strings.Repeat("a", 5000)}}.Encode(), 400,
			"What is happening: is 5000 bytes, the limit is 4096", "Ce qui se passe\u00a0: fait 5000 octets, la limite est 4096"},
		{"not UTF-8", url.Values{"message": {"bad \xff"}}.Encode(), 400, "What is happening: is not valid UTF-8", "Ce qui se passe\u00a0: n’est pas de l’UTF-8 valide"},
		{"long place", url.Values{"message": {"x"}, "location": {strings.Repeat("a", 5000)}}.Encode(), 400,
			"Where: is 5000 bytes, the limit is 1000", "Où\u00a0: fait 5000 octets, la limite est 1000"},
		{"too large", url.Values{"message": {strings.Repeat("a", 70000)}}.Encode(), 413, alerts.WebFormTexts["en"].TooLarge, alerts.WebFormTexts["fr"].TooLarge},
		{"not a form", "message=%zz", 400, alerts.WebFormTexts["en"].Unreadable, alerts.WebFormTexts["fr"].Unreadable},
	}
	for _, tc := range cases {
		for _, l := range []struct{ name, page, accept, want string }{
			{"French page", "fr", "en", tc.fr},
			{"English page", "en", "fr", tc.en},
			{"French browser", "", "fr-FR,fr;q=0.9", tc.fr},
		} {
			t.Run(tc.name+"/"+l.name, func(t *testing.T) {
				q := ""
				if l.page != "" {
					q = "?lang=" + l.page
				}
				hdr := map[string]string{"Accept-Language": l.accept}
				_, page := e.do(c, "GET", path+q, reqOpt{hdr: hdr})
				tok := csrfField.FindStringSubmatch(string(page))[1]
				action := html.UnescapeString(actionRE.FindStringSubmatch(string(page))[1])
				body := tc.body + "&csrf=" + tok
				if l.page != "" && !strings.HasPrefix(tc.body, "message=%") {
					body += "&lang=" + l.page
				}
				resp, b := e.do(c, "POST", action, reqOpt{body: body, ctype: formCT, hdr: hdr})
				m := errRE.FindStringSubmatch(string(b))
				if resp.StatusCode != tc.status || m == nil || html.UnescapeString(m[1]) != l.want {
					t.Fatalf("%d %.300s\nwant %d with %q", resp.StatusCode, b, tc.status, l.want)
				}
			})
		}
	}
	if n := e.count(t); n != 0 {
		t.Fatalf("%d alerts stored from refused posts", n)
	}
}
