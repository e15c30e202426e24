package web_test

import (
	"testing"
)

// TestE2EAdminEnumeratorServerURL: the form's enumerators panel told the
// information-management officer that enumerators log in to ODK Collect
// with « the address of this server » without giving it; it is the one
// setting Collect cannot guess. The panel now shows the server's address,
// as Collect takes it (no path), in English and French.
func TestE2EAdminEnumeratorServerURL(t *testing.T) {
	srv, b := newPerfBrowser(t, "admin-enum-url-") // startFullServer: an admin and the starter form
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	step("forms tab", navigate(srv.URL+"/#/admin?tab=forms"))
	enum := `[...document.querySelectorAll('main button')].find((b) => (b.getAttribute('aria-label') || '').endsWith('vigil_perception') && b.getAttribute('aria-expanded') !== null)`
	// The panel opens with its button, pressed again whenever the forms
	// list is redrawn (a language switch redraws it, the panel closed).
	open := `((b) => { if (b && b.getAttribute('aria-expanded') === 'false') b.click(); return false; })(` + enum + `)`
	wait("forms", enum)
	axe := axeCheck(t, ctx)
	cases := []struct{ lang, help string }{
		{"en", "In ODK Collect (Settings → Project settings → Server), enumerators enter this server's address as the Server URL: " + srv.URL + " then their Vigil user name and password."},
		{"fr", "Dans ODK Collect (Paramètres → Paramètres du projet → Serveur), les enquêteurs saisissent comme URL du serveur l’adresse de ce serveur : " + srv.URL + " puis leur nom d’utilisateur et leur mot de passe Vigil."},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("enumerators "+c.lang, `document.documentElement.lang === '`+c.lang+`' && (document.getElementById('admin-enum-url')?.textContent === `+jsString(srv.URL)+` || `+open+`)`)
		if got, _ := js[string](ctx, `document.getElementById('admin-enum-help').textContent`); got != c.help {
			t.Errorf("%s: enumerators help %q, want %q", c.lang, got, c.help)
		}
		axe("enumerators, " + c.lang)
	}
	done("fr")
}
