package auth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: every refusal of a credential and of the
// Administration page's users and tokens carries its whole text as a
// catalog message (Refusals; apperr Key and Args as the API answers them):
// English as the error always read, French another text with nothing left
// unfilled; every message is said by one. A role is said as the pages
// name it.
func TestRefusalMessages(t *testing.T) {
	svc, session, _, _ := newAPIService(t)
	ctx := context.Background()
	ada := &User{ID: 1, Name: "ada", Role: Admin}
	vic := &User{ID: 2, Name: "vic", Role: Viewer}
	auth := func(c Credentials) func() error {
		return func() error {
			_, _, err := svc.Authenticate(ctx, c)
			var ua *Unauthenticated
			if errors.As(err, &ua) {
				// The web edge answers it by its key (a 401).
				if m, ok := apperr.Msg(ua.Key); ok && m.Text("en") == ua.Msg {
					return m.Err()
				}
			}
			return err
		}
	}
	csrf := func(v string) func() string { return func() string { return v } }
	add := func(r UserRequest) func() error {
		return func() error { _, err := svc.AddUser(ctx, ada, r); return err }
	}
	change := func(by *User, name string, r UserChangeRequest) func() error {
		return func() error { _, err := svc.ChangeUser(ctx, by, name, r); return err }
	}
	token := func(by *User, r TokenRequest) func() error {
		return func() error { _, err := svc.IssueToken(ctx, by, r); return err }
	}
	str := func(s string) *string { return &s }
	yes := true
	pw := "correct horse battery"
	if _, err := svc.AddUser(ctx, ada, UserRequest{Name: "olga", Role: "analyst", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeUser(ctx, ada, "olga", UserChangeRequest{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		err  func() error
		fr   string // the whole French text, when checked
	}{
		{"no credential", auth(Credentials{}), "connexion requise"},
		{"session ended", auth(Credentials{Session: "nope"}), "session expirée ou terminée\u00a0: reconnectez-vous"},
		{"basic", auth(Credentials{Authorization: "Basic dmljOnB3"}), "l’en-tête Authorization doit avoir la forme « Bearer JETON »"},
		{"token unknown", auth(Credentials{Authorization: "Bearer " + TokenPrefix + "x"}), "jeton invalide, expiré ou révoqué"},
		{"CSRF missing", auth(Credentials{Session: session, Unsafe: true, CSRF: csrf("")}),
			"jeton CSRF manquant (envoyez l’en-tête X-CSRF-Token donné par GET /api/v1/me)"},
		{"CSRF wrong", auth(Credentials{Session: session, Unsafe: true, CSRF: csrf("x")}), "jeton CSRF incorrect"},

		{"name empty", add(UserRequest{Name: "", Role: "viewer", Password: pw}), "name\u00a0: le nom est vide"},
		{"name long", add(UserRequest{Name: strings.Repeat("n", 65), Role: "viewer", Password: pw}), "name\u00a0: le nom dépasse 64 caractères"},
		{"name space", add(UserRequest{Name: "a b", Role: "viewer", Password: pw}),
			"name\u00a0: «\u202fa b\u202f»\u00a0: le caractère en position 2, une espace, n’est pas permis (lettres, chiffres, . _ @ -)"},
		{"name bang", add(UserRequest{Name: "a!b", Role: "viewer", Password: pw}),
			"name\u00a0: «\u202fa!b\u202f»\u00a0: le caractère en position 2, «\u202f!\u202f», n’est pas permis (lettres, chiffres, . _ @ -)"},
		{"name tab", add(UserRequest{Name: "a\tb", Role: "viewer", Password: pw}),
			"name\u00a0: «\u202fa\\tb\u202f»\u00a0: le caractère en position 2, U+0009, n’est pas permis (lettres, chiffres, . _ @ -)"},
		{"name no-break space", add(UserRequest{Name: "a\u00a0b", Role: "viewer", Password: pw}),
			"name\u00a0: «\u202fa\\u00a0b\u202f»\u00a0: le caractère en position 2, U+00A0, n’est pas permis (lettres, chiffres, . _ @ -)"},
		{"role", add(UserRequest{Name: "bo", Role: "boss", Password: pw}), "role\u00a0: rôle inconnu «\u202fboss\u202f» (attendu viewer, responder, analyst ou admin)"},
		{"password not UTF-8", add(UserRequest{Name: "bo", Role: "viewer", Password: "\xff" + pw}), "password\u00a0: le mot de passe n’est pas de l’UTF-8 valide"},
		{"password short", add(UserRequest{Name: "bo", Role: "viewer", Password: "short"}), "password\u00a0: le mot de passe doit compter au moins 10 caractères"},
		{"password long", add(UserRequest{Name: "bo", Role: "viewer", Password: strings.Repeat("p", MaxPasswordLen+1)}),
			"password\u00a0: le mot de passe doit faire au plus 1024 octets"},
		{"name taken", add(UserRequest{Name: "vic", Role: "viewer", Password: pw}), "un utilisateur nommé «\u202fvic\u202f» existe déjà"},

		{"change role", change(ada, "vic", UserChangeRequest{Role: str("boss")}), "rôle inconnu «\u202fboss\u202f» (attendu viewer, responder, analyst ou admin)"},
		{"change password", change(ada, "vic", UserChangeRequest{Password: str("short")}), "password\u00a0: le mot de passe doit compter au moins 10 caractères"},
		{"disable oneself", change(ada, "ada", UserChangeRequest{Disabled: &yes}), "vous ne pouvez pas désactiver votre propre compte"},
		{"demote oneself", change(ada, "ada", UserChangeRequest{Role: str("analyst")}), "vous ne pouvez pas retirer votre propre rôle d’administrateur"},
		{"change nobody", change(ada, "nobody", UserChangeRequest{Disabled: &yes}), "aucun utilisateur nommé «\u202fnobody\u202f»"},

		{"token for another", token(vic, TokenRequest{User: "ada", Name: "x"}), "seul un administrateur peut créer des jetons pour un autre utilisateur"},
		{"token days", token(vic, TokenRequest{Name: "x", TTLDays: -1}), "la durée (ttl_days) doit être de 0 (sans expiration) à 3650 jours"},
		{"token for nobody", token(ada, TokenRequest{User: "nobody", Name: "x"}), "aucun utilisateur nommé «\u202fnobody\u202f»"},
		{"token for a disabled user", token(ada, TokenRequest{User: "olga", Name: "x"}), "user\u00a0: l’utilisateur olga est désactivé"},
		{"token name long", token(vic, TokenRequest{Name: strings.Repeat("t", MaxTokenName+1)}), "name\u00a0: le nom du jeton dépasse 100 octets"},
		{"token name control", token(vic, TokenRequest{Name: "a\tb"}), "name\u00a0: le nom du jeton contient un caractère de contrôle (U+0009) à la position 2"},
		{"revoke none", func() error { return svc.WithdrawToken(ctx, vic, 99) }, "vous n’avez pas de jeton 99"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	// Every role is said as the pages name it (the web edge's refusal of
	// a role that may not: "this needs the analyst role").
	apperrtest.Words(t, reached, "role", RoleWord, Roles...)
	apperrtest.Catalog(t, Refusals, reached)
}
