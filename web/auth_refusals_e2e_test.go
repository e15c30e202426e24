package web_test

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAuthRefusalsFrench: the Administration page's refusals of a new
// user are said in the page's language: a name with a space and a name
// already taken show the catalog's French on the French page
// ("un utilisateur nommé … existe déjà") and the server's English on the
// English one. The app that cannot start because the server refused its
// first request (GET /api/v1/me, here answered by the server's refusal of
// a path no route answers) says so in the page's language too.
func TestE2EAuthRefusalsFrench(t *testing.T) {
	t.Parallel()
	db, _ := web.OpenTestStore(t)
	srv := serveE2E(t, &web.Server{DB: db}, "ada.e2e", auth.Admin)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for _, c := range []struct {
		lang, add          string // the page's language and its add button
		badName, nameTaken string // the refusals shown
	}{
		{"en", "Add user", `Failed: Name: "a b": the character at position 2, a space, is not allowed (letters, digits, . _ @ -)`,
			`Failed: a user named "ada.e2e" already exists`},
		{"fr", "Ajouter", "Échec\u00a0: Nom\u00a0: «\u202fa b\u202f»\u00a0: le caractère en position 2, une espace, n’est pas permis (lettres, chiffres, . _ @ -)",
			"Échec\u00a0: un utilisateur nommé «\u202fada.e2e\u202f» existe déjà"},
	} {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=users", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && document.querySelector('#admin-user-form button[type=submit]')?.textContent === `+q(c.add)+` && !!document.querySelector('#admin-users')`, stepWait); err != nil {
			t.Fatalf("%s: users tab: %v", c.lang, err)
		}
		for _, s := range []struct{ name, want string }{{"a b", c.badName}, {"ada.e2e", c.nameTaken}} {
			if err := do(ctx, chromedp.SetValue(css("#admin-user-name"), s.name), click(css("#admin-user-form button[type=submit]"))); err != nil {
				t.Fatal(err)
			}
			shown := `document.querySelector('#admin-user-form').parentElement.querySelector('.notice.error')?.textContent`
			if err := poll(ctx, shown+` === `+q(s.want), stepWait); err != nil {
				got, _ := js[string](ctx, shown+` || ''`)
				t.Fatalf("%s: user %q: shown %q, want %q", c.lang, s.name, got, s.want)
			}
		}
	}
	// The app's first request refused: every new page of this browser asks
	// /api/v1/nope instead of /api/v1/me (the server answers 404 with its
	// catalog key).
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `{
			const real = window.fetch;
			window.fetch = (url, opts) => real(url === '/api/v1/me' ? '/api/v1/nope' : url, opts);
		}`}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, want string }{
		{"en", "This page failed to open: no such route: GET /api/v1/nope"},
		{"fr", "Cette page n’a pas pu s’ouvrir\u00a0: aucune route ne répond à GET /api/v1/nope"},
	} {
		if err := openIn(ctx, srv.URL+"/", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && document.querySelector('#main p.error')?.textContent === `+q(c.want), stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('#main')?.textContent || ''`)
			t.Fatalf("%s: the app that cannot start shows %q, want %q", c.lang, got, c.want)
		}
	}
}
