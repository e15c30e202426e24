package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
)

// TestE2EAdminRolesExplained: an administrator adding a user chose among
// « lecteur, intervenant, analyste, administrateur » with nothing saying
// what each may do. The Users tab now says it under the form, in English
// and in French, axe clean.
func TestE2EAdminRolesExplained(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv, _, _ := startAlertsServer(t, "admin.e2e", auth.Admin, nil)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/admin?tab=users", "")
	if err := do(ctx, navigate(srv.URL+"/#/admin?tab=users"), chromedp.WaitVisible(css(`#admin-user-form`))); err != nil {
		t.Fatal(err)
	}
	axe := axeCheck(t, ctx)
	cases := []struct{ lang, viewer, admin string }{
		{"en", "viewer — reads the map, risk, coverage, performance, alert and integrity pages; reporters' phone numbers stay hidden.",
			"administrator — also users, intake channels, survey forms, encryption keys and the audit log."},
		{"fr", "lecteur — consulte la carte et les pages risque, couverture, performance, alertes et intégrité\u202f; les numéros des auteurs d’alertes restent masqués.",
			"administrateur — aussi les utilisateurs, les canaux de réception, les formulaires d’enquête, les clés de chiffrement et le journal d’audit."},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		items := `[...document.querySelectorAll('#admin-roles li')].map((li) => li.textContent)`
		if err := poll(ctx, items+`.length === 4 && `+items+`[0] === `+jsString(c.viewer)+` && `+items+`[3] === `+jsString(c.admin), stepWait); err != nil {
			got, _ := js[[]string](ctx, items)
			t.Errorf("%s: roles explained %q: %v", c.lang, got, err)
		}
		axe("users tab, " + c.lang)
	}
}
