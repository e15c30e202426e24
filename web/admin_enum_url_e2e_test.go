package web_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// TestE2EAdminEnumeratorServerURL: the form's enumerators panel told the
// information-management officer that enumerators log in to ODK Collect
// with « the address of this server » without giving it; it is the one
// setting Collect cannot guess. The panel now shows the server's address,
// as Collect takes it (no path), in English and French.
//
// A language switch drew the forms list again with the panel closed and
// the user chosen in it lost: the panel, opened once in English, stays
// open in French with the same user chosen.
func TestE2EAdminEnumeratorServerURL(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "admin-enum-url-") // startFullServer: an admin and the starter form
	if _, err := srv.Server.Auth.CreateUser(context.Background(), "test", "enum.amina", auth.Viewer, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	step("forms tab", navigate(srv.URL+"/#/admin?tab=forms"))
	enum := `[...document.querySelectorAll('main button')].find((b) => (b.getAttribute('aria-label') || '').endsWith('vigil_perception') && b.getAttribute('aria-expanded') !== null)`
	wait("forms", enum)
	if _, err := js[bool](ctx, `(`+enum+`.click(), true)`); err != nil {
		t.Fatal(err)
	}
	wait("panel", `document.getElementById('admin-enum-url') && document.querySelector('#admin-enum-user option[value="enum.amina"]')`)
	if _, err := js[bool](ctx, `((s) => { s.value = 'enum.amina'; s.dispatchEvent(new Event('change')); return true; })(document.getElementById('admin-enum-user'))`); err != nil {
		t.Fatal(err)
	}
	axe := axeCheck(t, ctx)
	cases := []struct{ lang, help, title string }{
		{"en", "In ODK Collect (Settings → Project settings → Server), enumerators enter this server's address as the Server URL: " + srv.URL + " then their Vigil user name and password.", "Enumerators"},
		{"fr", "Dans ODK Collect (Paramètres → Paramètres du projet → Serveur), les enquêteurs saisissent comme URL du serveur l’adresse de ce serveur\u00a0: " + srv.URL + " puis leur nom d’utilisateur et leur mot de passe Vigil.", "Enquêteurs"},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		// The panel is there again without its button pressed again.
		wait("enumerators "+c.lang, `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#admin-enumerators h3')?.textContent.startsWith(`+jsString(c.title)+`) && document.getElementById('admin-enum-url')?.textContent === `+jsString(srv.URL))
		if got, _ := js[string](ctx, `document.getElementById('admin-enum-help').textContent`); got != c.help {
			t.Errorf("%s: enumerators help %q, want %q", c.lang, got, c.help)
		}
		if got, _ := js[string](ctx, `document.getElementById('admin-enum-user').value`); got != "enum.amina" {
			t.Errorf("%s: user chosen %q, want enum.amina (kept across the language switch)", c.lang, got)
		}
		if got, _ := js[string](ctx, enum+`.getAttribute('aria-expanded')`); got != "true" {
			t.Errorf("%s: enumerators button aria-expanded %q, want true", c.lang, got)
		}
		axe("enumerators, " + c.lang)
	}
	done("fr")
}
