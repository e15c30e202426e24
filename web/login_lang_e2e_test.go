package web_test

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/web"
)

// TestE2ELoginLanguage: the language chosen on the login page is the app's
// after the login, on a browser that speaks another (this one is English):
// a user who picks « Français » there is met by the French app, and one who
// picks English after that by the English app. A login page whose language
// was only guessed from the browser (GET / without a session goes to
// /login) leaves the app's own choice alone.
func TestE2ELoginLanguage(t *testing.T) {
	t.Parallel()
	db, _ := web.OpenTestStore(t)
	srv := serveE2E(t, &web.Server{DB: db}, "amina.e2e", auth.Analyst)
	ctx, _ := newBrowser(t, 1280, 900)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for _, c := range []struct {
		what, login, lang, nav string // the login page opened, the app's language and its map's name after
	}{
		{"Français chosen", "/login?lang=fr", "fr", "Carte"},
		{"English chosen", "/login?lang=en", "en", "Map"},
		{"French chosen again", "/login?lang=fr", "fr", "Carte"},
		{"guessed from the browser (English)", "/", "fr", "Carte"}, // the app keeps French
	} {
		if err := do(ctx, chromedp.Navigate(srv.URL+c.login), chromedp.WaitVisible(css(`#login-form`))); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		// The login page's French writes its apostrophes curly, as the app does.
		if label, _ := js[string](ctx, `document.querySelector('label[for=name]').textContent`); label != map[string]string{"fr": "Nom d’utilisateur", "en": "User name"}[c.lang] && c.login != "/" {
			t.Errorf("%s: user name label %q", c.what, label)
		}
		if straight, _ := js[bool](ctx, `document.documentElement.lang === 'fr' && document.body.innerText.includes("'")`); straight {
			t.Errorf("%s: a straight apostrophe on the French login page", c.what)
		}
		if err := do(ctx, chromedp.SendKeys(css(`#name`), srv.User), chromedp.SendKeys(css(`#password`), srv.Password),
			click(css(`#login-submit`)), chromedp.WaitVisible(css(`#nav-map`))); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if err := pollAcrossReloads(ctx, `document.documentElement.lang === `+q(c.lang)+` && document.querySelector('#nav-map')?.textContent === `+q(c.nav), stepWait); err != nil {
			got, _ := js[string](ctx, `document.documentElement.lang + ' ' + (document.querySelector('#nav-map')?.textContent || '(no map link)')`)
			t.Fatalf("%s: the app after the login is %q, want %s %q (%v)", c.what, got, c.lang, c.nav, err)
		}
		if left, _ := js[string](ctx, `document.cookie`); left != "" {
			t.Errorf("%s: cookies left for scripts after the app opened: %q", c.what, left)
		}
		if err := do(ctx, click(css(`#logout`)), chromedp.WaitVisible(css(`#login-form`))); err != nil {
			t.Fatalf("%s: logout: %v", c.what, err)
		}
	}
}
