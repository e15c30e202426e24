package web_test

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
)

// The defects found by walking the demo in French as a mission planner and
// administrator (notes s25-walk-admin.md), each checked where it was seen.

// TestE2EWalk25AdminUsers: the users' tab in French, by keyboard. A user
// name left empty is refused in the page's words, naming the field (the
// browser said « Please fill out this field. »); a password reset done,
// its button says again what it does (it still said « Appuyez de nouveau
// pour confirmer »), and the password's note has one colon (« Mot de
// passe : Il n’est affiché qu’une seule fois : copiez-le… »); a user disabled, the focus stays on that user's row,
// on the button that now re-enables it (it fell to the page's body when
// the list was drawn again).
func TestE2EWalk25AdminUsers(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "admin.walk25", "correct horse battery"
	srv := startDemoServer(t, user, auth.Admin, pw)
	if _, err := srv.Server.Auth.CreateUser(t.Context(), "test", "marie.dupont", auth.Analyst, pw); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768, "/#/admin?tab=users", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#admin-users')`, stepWait); err != nil {
		t.Fatal(err)
	}
	said, _ := js[string](ctx, `(document.querySelector('#admin-user-form').requestSubmit(), document.querySelector('#admin-user-name').validationMessage)`)
	if want := "Nom d’utilisateur\u00a0: à renseigner"; said != want {
		t.Errorf("empty user name: the browser says %q, want %q", said, want)
	}
	row := `[...document.querySelectorAll('#admin-users tr')].find((r) => r.cells[0]?.textContent === 'marie.dupont')`
	if _, err := js[bool](ctx, `(() => { const b = [...`+row+`.querySelectorAll('button')].find((b) => b.textContent === 'Réinitialiser le mot de passe'); b.click(); b.click(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('.shown-once')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if once, _ := text(ctx, ".shown-once p"); once != "Mot de passe\u00a0: affiché une seule fois, copiez-le maintenant." {
		t.Errorf("the new password's note %q, want one colon and no capital after it", once)
	}
	if labels, _ := js[string](ctx, `[...`+row+`.querySelectorAll('button')].map((b) => b.textContent).join(' | ')`); labels != "Désactiver | Réinitialiser le mot de passe" {
		t.Errorf("after the reset, the row's buttons say %q", labels)
	}
	if _, err := js[bool](ctx, `(() => { const b = [...`+row+`.querySelectorAll('button')].find((b) => b.textContent === 'Désactiver'); b.focus(); b.click(); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, ``+row+`?.textContent.includes('Réactiver')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.activeElement?.textContent === 'Réactiver' && `+row+`.contains(document.activeElement)`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.activeElement?.outerHTML.slice(0, 80)`)
		t.Errorf("after disabling marie.dupont, the focus is on %q, want its row's « Réactiver »", got)
	}
}

// TestE2EWalk25AuditNames: the audit log reads a name holding a comma
// whole, in the page's words (a channel's creation read « name "DEMO
// tipline, fictitious senders / …" » in French: the comma split it), and names the
// demo's terms in French (« 3 termes de the demo's DEMO terms »).
func TestE2EWalk25AuditNames(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "admin.walk25a", "correct horse battery"
	srv := startDemoServer(t, user, auth.Admin, pw)
	if _, err := srv.Server.Alerts.AddChannel(t.Context(), user, alerts.ChannelRequest{Kind: "web", Name: "Ligne de Bria, Ouham", LegalBasis: "consent"}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768, "/#/admin?tab=audit", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelectorAll('#admin-audit tbody tr').length > 0`, stepWait); err != nil {
		t.Fatal(err)
	}
	// The demo's records are on later pages: the filter keeps them.
	for _, c := range []struct{ action, want string }{
		{"alerts.channel.create", "type\u00a0: Formulaire web, nom «\u202fLigne de Bria, Ouham\u202f», base légale\u00a0: consentement"},
		{"integrity.terms.import", "3 termes des termes DEMO de la démonstration"},
	} {
		if _, err := js[bool](ctx, `(document.querySelector('#admin-audit-action').value = '`+c.action+`', document.querySelector('#admin-audit-form').requestSubmit(), true)`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `[...document.querySelectorAll('#admin-audit tbody tr')].length > 0 && [...document.querySelectorAll('#admin-audit tbody tr')].every((r) => r.textContent.includes('`+c.action+`'))`, stepWait); err != nil {
			t.Fatal(err)
		}
		details, _ := js[string](ctx, `[...document.querySelectorAll('#admin-audit tbody tr')].map((r) => r.cells[4].textContent).join(' | ')`)
		if !strings.Contains(details, c.want) {
			t.Errorf("%s: details %q, want one holding %q", c.action, details, c.want)
		}
	}
}

// TestE2EWalk25MapClusterCount: a cluster of the French map writes its
// count with French digit grouping, as the summary beside it does
// (« 2 574 », not « 2574 »).
func TestE2EWalk25MapClusterCount(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/map?c=3.1439,21.3717&z=4", "fr")
	big := `[...document.querySelectorAll('#map .cluster')].filter((c) => Number(c.dataset.count) >= 1000)`
	if err := poll(ctx, `document.documentElement.lang === 'fr' && `+big+`.length > 0`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, _ := js[string](ctx, big+`.map((c) => c.dataset.count + '=' + c.textContent).join('|')`)
	for _, p := range strings.Split(got, "|") {
		n, label, _ := strings.Cut(p, "=")
		if want := n[:len(n)-3] + "\u202f" + n[len(n)-3:]; len(n) == 4 && label != want {
			t.Errorf("cluster of %s events: %q, want %q", n, label, want)
		}
	}
}

// TestE2EWalk25PlaceCoordinates: a place found in the administration's
// gazetteer gives its position with French decimal commas (it read
// « 5.768, 20.676 » on the French page).
func TestE2EWalk25PlaceCoordinates(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "admin.walk25p", "correct horse battery"
	srv := startDemoServer(t, user, auth.Admin, pw)
	ctx, _ := loggedInBrowserAt(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768, "/#/admin?tab=places", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#admin-places-q')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(document.querySelector('#admin-places-q').value = 'Bambari', document.querySelector('#admin-places-q').form.requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-places-hits tbody tr')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if at, _ := js[string](ctx, `document.querySelector('#admin-places-hits tbody tr').cells[3].textContent`); at != "5,768\u202f; 20,676" {
		t.Errorf("Bambari's position %q, want « 5,768 ; 20,676 »", at)
	}
}
