package web

import (
	"strings"
	"testing"
)

// TestFactCheckMissingInLanguage: a reader who follows a fact-check link
// that names no published fact-check (a mistyped or withdrawn address)
// gets a page saying so in the page's language (?lang=, else
// Accept-Language), with the link to all fact-checks, not the API's JSON.
func TestFactCheckMissingInLanguage(t *testing.T) {
	e := newCheckEnv(t)
	for _, c := range []struct {
		name, path, accept, lang, want, feed string
	}{
		{"unknown address, French link", "/factcheck/" + strings.Repeat("0", 24) + "?lang=fr", "en", "fr", "aucune vérification publiée à cette adresse", "Toutes les vérifications (flux Atom)"},
		{"unknown address, French browser", "/factcheck/" + strings.Repeat("0", 24), "fr-FR,fr;q=0.9", "fr", "aucune vérification publiée à cette adresse", "Toutes les vérifications (flux Atom)"},
		{"not an address, French browser", "/factcheck/nope", "fr", "fr", "aucune vérification publiée à cette adresse", "Toutes les vérifications (flux Atom)"},
		{"unknown address, English", "/factcheck/" + strings.Repeat("0", 24), "en-GB", "en", "no such fact-check", "All fact-checks (Atom feed)"},
		{"not an address, English link", "/factcheck/nope?lang=en", "fr", "en", "no such fact-check", "All fact-checks (Atom feed)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, b := e.do(nil, "GET", c.path, reqOpt{hdr: map[string]string{"Accept-Language": c.accept}})
			page := string(b)
			if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(page, `<html lang="`+c.lang+`">`) ||
				!strings.Contains(page, "<p>"+c.want+"</p>") || !strings.Contains(page, c.feed) || !strings.Contains(page, "/factcheck/feed.atom") {
				t.Fatalf("%d %s\n%s\nwant 404, a %s page saying %q", resp.StatusCode, resp.Header.Get("Content-Type"), page, c.lang, c.want)
			}
		})
	}
}
