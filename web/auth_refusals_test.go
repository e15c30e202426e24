package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// keyedCase is a request and the refusal the API must answer it with: its
// status and the French its catalog key and arguments say ("": any text
// but the English), the English being the answer's "error".
type keyedCase struct {
	name, method, path, body string
	opt                      reqOpt
	client                   *http.Client
	status                   int
	fr                       string
	key                      string // the catalog key, when checked
	en                       string // the English "error", when checked
}

// keyedAnswer is a refusal as the API answers it: its English "error", the
// line of a file refused at one, and the catalog key and arguments that
// say it (said).
type keyedAnswer struct {
	Error, Key string
	Line       int
	Args       map[string]string
}

// said is the answer's catalog message, to say in a language.
func (a keyedAnswer) said() apperr.Message { return apperr.Message{Key: a.Key, Args: a.Args} }

// checkKeyed sends each case to e and checks its answer (keyedCase.send).
func checkKeyed(t *testing.T, e *testEnv, cases []keyedCase) {
	t.Helper()
	for _, c := range cases {
		c.send(t, e)
	}
}

// send sends c's request to e and checks the answer (check).
func (c keyedCase) send(t *testing.T, e *testEnv) keyedAnswer {
	t.Helper()
	o := c.opt
	if c.body != "" {
		o.body = c.body
	}
	resp, b := e.do(c.client, c.method, c.path, o)
	return c.check(t, resp.StatusCode, b)
}

// check reports an answer (its status and body) that is not c's refusal:
// another status, no key, a key whose English is not the answer's
// "error", another French than c's (or the English), another key or
// English than c's when given. It answers the refusal as read.
func (c keyedCase) check(t *testing.T, status int, body []byte) keyedAnswer {
	t.Helper()
	name := c.method + " " + c.path
	switch {
	case c.method == "": // an answer not sent by send
		name = c.name
	case c.name != "":
		name = c.name + ": " + name
	}
	var v keyedAnswer
	if err := json.Unmarshal(body, &v); err != nil || status != c.status || v.Key == "" {
		t.Errorf("%s: %d %s, want %d with a key", name, status, body, c.status)
		return v
	}
	m := v.said()
	en, fr := m.Text("en"), m.Text("fr")
	if en != v.Error || fr == en || (c.fr != "" && fr != c.fr) || (c.key != "" && v.Key != c.key) || (c.en != "" && v.Error != c.en) {
		t.Errorf("%s: error %q, key %s: %q / %q; want the key's English to be the error, and (where given) the error %q, key %s, French %q",
			name, v.Error, v.Key, en, fr, c.en, c.key, c.fr)
	}
	return v
}

// TestAuthRefusalKeys: the refusals of a credential, of a role that may
// not, and of the Administration page's users and tokens answer their
// English "error" and status as always, and beside them the catalog key
// that says it in French (a role as the pages name it: « analyste »).
func TestAuthRefusalKeys(t *testing.T) {
	e := newEnv(t)
	ada := e.client()
	csrf := e.login(ada, "ada")
	as := func(o reqOpt) reqOpt {
		if o.hdr == nil {
			o.hdr = map[string]string{csrfHeader: csrf}
		}
		return o
	}
	admin := func(name, method, path, body string, status int, fr string) keyedCase {
		return keyedCase{name: name, method: method, path: path, body: body, opt: as(reqOpt{}), client: ada, status: status, fr: fr}
	}
	checkKeyed(t, e, []keyedCase{
		{name: "no credential", method: "GET", path: "/api/v1/me", status: 401, fr: "connexion requise"},
		{name: "session ended", method: "GET", path: "/api/v1/me", opt: reqOpt{hdr: map[string]string{"Cookie": sessionCookie + "=nope"}}, status: 401,
			fr: "session expirée ou terminée\u00a0: reconnectez-vous"},
		{name: "basic", method: "GET", path: "/api/v1/me", opt: reqOpt{hdr: map[string]string{"Authorization": "Basic eDp5"}}, status: 401,
			fr: "l’en-tête Authorization doit avoir la forme « Bearer JETON »"},
		{name: "bad token", method: "GET", path: "/api/v1/me", opt: reqOpt{token: "vgl_nope"}, status: 401, fr: "jeton invalide, expiré ou révoqué"},
		{name: "no CSRF", method: "POST", path: "/api/v1/tokens", body: `{"name":"x"}`, client: ada, status: 403,
			fr: "jeton CSRF manquant (envoyez l’en-tête X-CSRF-Token donné par GET /api/v1/me)"},
		{name: "wrong CSRF", method: "POST", path: "/api/v1/tokens", body: `{"name":"x"}`, opt: reqOpt{hdr: map[string]string{csrfHeader: "forged"}}, client: ada,
			status: 403, fr: "jeton CSRF incorrect"},
		{name: "role", method: "POST", path: "/api/v1/integrity/import?name=x.csv", body: "x", opt: reqOpt{token: e.tokens["vic"]}, status: 403,
			fr: "il faut le rôle « analyste »"},
		{name: "admin role", method: "GET", path: "/api/v1/users", opt: reqOpt{token: e.tokens["ana"]}, status: 403, fr: "il faut le rôle « administrateur »"},

		admin("name taken", "POST", "/api/v1/users", `{"name":"vic","role":"viewer","password":"correct horse battery"}`, 409,
			"un utilisateur nommé «\u202fvic\u202f» existe déjà"),
		admin("name", "POST", "/api/v1/users", `{"name":"a b","role":"viewer","password":"correct horse battery"}`, 400,
			"name\u00a0: «\u202fa b\u202f»\u00a0: le caractère en position 2, une espace, n’est pas permis (lettres, chiffres, . _ @ -)"),
		admin("password", "POST", "/api/v1/users", `{"name":"bo","role":"viewer","password":"short"}`, 400,
			"password\u00a0: le mot de passe doit compter au moins 10 caractères"),
		admin("role unknown", "PATCH", "/api/v1/users/vic", `{"role":"boss"}`, 400, "rôle inconnu «\u202fboss\u202f» (attendu viewer, responder, analyst ou admin)"),
		admin("disable oneself", "PATCH", "/api/v1/users/ada", `{"disabled":true}`, 400, "vous ne pouvez pas désactiver votre propre compte"),
		admin("demote oneself", "PATCH", "/api/v1/users/ada", `{"role":"viewer"}`, 400, "vous ne pouvez pas retirer votre propre rôle d’administrateur"),
		admin("no user", "PATCH", "/api/v1/users/nobody", `{"disabled":true}`, 404, "aucun utilisateur nommé «\u202fnobody\u202f»"),
		admin("token days", "POST", "/api/v1/tokens", `{"name":"x","ttl_days":4000}`, 400, "la durée (ttl_days) doit être de 0 (sans expiration) à 3650 jours"),
		admin("token user", "POST", "/api/v1/tokens", `{"name":"x","user":"nobody"}`, 400, "aucun utilisateur nommé «\u202fnobody\u202f»"),
		admin("token name", "POST", "/api/v1/tokens", `{"name":"a\u0001"}`, 400, "name\u00a0: le nom du jeton contient un caractère de contrôle (U+0001) à la position 2"),
		admin("no token", "DELETE", "/api/v1/tokens/99", "", 404, "vous n’avez pas de jeton 99"),
		{name: "token for another", method: "POST", path: "/api/v1/tokens", body: `{"name":"x","user":"ada"}`, opt: reqOpt{token: e.tokens["vic"]}, status: 403,
			fr: "seul un administrateur peut créer des jetons pour un autre utilisateur"},
	})
}

// TestEdgeRefusalKeys: the HTTP edge's own refusals answer their English
// "error" and status as always, with the catalog key that says them in
// French: a path no route answers, a method a route does not take, a UI
// file that is not there, a broadcast id that is not a number, a margins
// upload of another type, a web form post over its limit; a body over an
// upload's own limit (overLimit) is said by its key too.
func TestEdgeRefusalKeys(t *testing.T) {
	e, _ := contactsEnv(t)
	ana := reqOpt{token: e.tokens["ana"]}
	checkKeyed(t, e, []keyedCase{
		{name: "no route", method: "GET", path: "/api/v1/nope", opt: ana, status: 404, fr: "aucune route ne répond à GET /api/v1/nope"},
		{name: "method", method: "DELETE", path: "/api/v1/me", opt: ana, status: 405, fr: "méthode DELETE non permise sur /api/v1/me (permises\u00a0: GET, HEAD)"},
		{name: "no file", method: "GET", path: "/ui/nope.js", status: 404, fr: "aucun fichier /ui/nope.js"},
		{name: "broadcast id", method: "GET", path: "/api/v1/broadcasts/x", opt: ana, status: 400, fr: "ce n’est pas l’identifiant d’une diffusion"},
		{name: "login form", method: "POST", path: "/login", body: "name=%zz&password=x", opt: reqOpt{ctype: formType}, status: 400, key: "refusal.http.login-form",
			fr: "le formulaire de connexion est illisible (détail technique\u00a0: séquence d’échappement d’URL invalide — invalid URL escape \"%zz\")"},
	})
	sa := newSAEnv(t)
	checkKeyed(t, sa.testEnv, []keyedCase{
		{name: "margins type", method: "PUT", path: "/api/v1/surveys/margins/m", body: `{}`, opt: reqOpt{token: sa.tokens["ana"]}, status: 415,
			fr: "le Content-Type doit être text/csv"},
	})
	ae := newAlertsEnv(t, "ana")
	checkKeyed(t, ae.testEnv, []keyedCase{
		// (The web form answers its own page instead: TestWebFormErrorsInLanguage.)
		{name: "webhook too large", method: "POST", path: alerts.IntakePath(ae.hook), body: "text=" + strings.Repeat("x", alerts.MaxBodyBytes),
			opt: reqOpt{ctype: formType, hdr: map[string]string{"X-Vigil-Secret": "hooktok-1"}}, status: 413, fr: "corps de la requête de plus de 65536 octets"},
	})
	for key, fr := range map[string]string{
		"refusal.http.export-large":  "export de plus de 9 octets\u00a0: découpez-le",
		"refusal.http.lexicon-large": "lexique de plus de 9 octets",
		"refusal.http.margins-large": "marges de plus de 9 octets",
	} {
		err := overLimit(fmt.Errorf("reading: %w", &http.MaxBytesError{Limit: 9}), key, 9)
		e := httpError(httptest.NewRecorder(), err)
		if m := (apperr.Message{Key: e.Key, Args: e.Args}); e.Status != 413 || e.Key != key || m.Text("en") != e.Msg || m.Text("fr") != fr {
			t.Errorf("%s: %+v, French %q, want 413 and %q", key, e, m.Text("fr"), fr)
		}
	}
	apperrtest.Catalog(t, Refusals, nil)
}

// TestLoginRefusalsFrench: the login page's refusals (a wrong password, a
// field left empty, a form that expired, a lock-out after five failures)
// are said in the form's language, with their statuses.
func TestLoginRefusalsFrench(t *testing.T) {
	e := newEnv(t)
	fr := loginTexts["fr"]
	post := func(cl *http.Client, name, password, csrf string) (int, string) {
		resp, b := e.do(cl, "POST", "/login", reqOpt{body: form("name", name, "password", password, "csrf", csrf, "lang", "fr"), ctype: formType})
		return resp.StatusCode, html.UnescapeString(string(b))
	}
	cl := e.client()
	for _, c := range []struct {
		name, user, password string
		csrf                 bool // send the form's token
		status               int
		want                 string
	}{
		{"wrong password", "ana", "wrong password", true, 401, fr.BadLogin},
		{"no password", "ana", "", true, 400, fr.Missing},
		{"expired form", "ana", testPassword, false, 403, fr.BadCSRF},
		{"wrong password again", "ana", "wrong password", true, 401, fr.BadLogin},
		{"wrong password 3", "ana", "wrong password", true, 401, fr.BadLogin},
		{"wrong password 4", "ana", "wrong password", true, 401, fr.BadLogin},
		{"wrong password 5", "ana", "wrong password", true, 401, fr.BadLogin},
		{"locked out", "ana", testPassword, true, 429, fr.RateLimited},
	} {
		tok := "forged"
		if c.csrf {
			tok = e.loginForm(cl, "?lang=fr")
		}
		status, page := post(cl, c.user, c.password, tok)
		if status != c.status || !strings.Contains(page, c.want) || !strings.Contains(page, `lang="fr"`) {
			t.Errorf("%s: %d, want %d and %q in the French page", c.name, status, c.status, c.want)
		}
	}
	// A form the server cannot read (a password longer than the form's
	// 64 KiB, a broken escape): a browser gets the login page again, the
	// refusal in its language (the form's lang when it could be read, else
	// the browser's: none of a body too large is read), never the API's
	// JSON.
	for _, c := range []struct{ name, body, lang, want string }{
		{"too large", form("lang", "en", "name", "ana", "password", strings.Repeat("x", maxFormBodyBytes)), "fr-CH, fr;q=0.9",
			"le formulaire de connexion est illisible (détail technique\u00a0: corps de la requête trop volumineux — http: request body too large)"},
		{"broken escape", "lang=fr&name=%zz", "en", "le formulaire de connexion est illisible (détail technique\u00a0: séquence d’échappement d’URL invalide — invalid URL escape \"%zz\")"},
		{"broken escape, English", "name=%zz&lang=en", "fr", `cannot read the login form: invalid URL escape "%zz"`},
	} {
		resp, b := e.do(e.client(), "POST", "/login", reqOpt{body: c.body, ctype: formType,
			hdr: map[string]string{"Accept": "text/html,application/xhtml+xml", "Accept-Language": c.lang}})
		page := html.UnescapeString(string(b))
		if resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(page, `id="login-form"`) ||
			!strings.Contains(page, `<p class="error" role="alert" id="login-error">`+c.want+`</p>`) {
			t.Errorf("%s: %d %s, want 400 and the login page saying %q", c.name, resp.StatusCode, page, c.want)
		}
	}
}
