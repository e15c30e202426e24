package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLoginPageStoredLanguage: the login page opens in the language the
// app last chose on this browser (the vigil_lang_pref cookie), before the
// browser's Accept-Language, and posts it as chosen; ?lang= still comes
// first, and a cookie of no known language is ignored.
func TestLoginPageStoredLanguage(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, url, pref, want string
		chosen                bool
	}{
		{"no cookie: the browser's", "/login", "", "en", false},
		{"stored fr on an English browser", "/login", "fr", "fr", true},
		{"?lang= before the stored", "/login?lang=en", "fr", "en", true},
		{"unknown stored", "/login", "xx", "en", false},
	} {
		r := httptest.NewRequest("GET", c.url, nil)
		r.Header.Set("Accept-Language", "en-GB,en;q=0.9")
		if c.pref != "" {
			r.AddCookie(&http.Cookie{Name: langPrefCookie, Value: c.pref})
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		body := w.Body.String()
		if !strings.Contains(body, `<html lang="`+c.want+`">`) {
			t.Errorf("%s: page not in %q (status %d)", c.name, c.want, w.Code)
		}
		if got := strings.Contains(body, `name="lang" value="`+c.want+`"`); got != c.chosen {
			t.Errorf("%s: the form posts its language: %v, want %v", c.name, got, c.chosen)
		}
	}
}

// TestLoginPageLanguageSwitcher: the login page's language switcher marks
// the page's own language as current (aria-current, not a link) and links
// to the other one only.
func TestLoginPageLanguageSwitcher(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ url, current, currentName, other string }{
		{"/login?lang=en", "en", "English", `<a href="/login?lang=fr" hreflang="fr" lang="fr">Français</a>`},
		{"/login?lang=fr", "fr", "Français", `<a href="/login?lang=en" hreflang="en" lang="en">English</a>`},
	} {
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, httptest.NewRequest("GET", c.url, nil))
		body := w.Body.String()
		if want := `<span aria-current="true" lang="` + c.current + `">` + c.currentName + `</span>`; !strings.Contains(body, want) {
			t.Errorf("%s: no current language %s in the switcher", c.url, want)
		}
		if strings.Contains(body, `href="/login?lang=`+c.current) {
			t.Errorf("%s: the current language is a link", c.url)
		}
		if !strings.Contains(body, c.other) {
			t.Errorf("%s: no link %s", c.url, c.other)
		}
	}
}
