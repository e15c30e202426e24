package web

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TestRefusalDictionaries: ui/i18n/refusals.{en,fr}.json are the catalog
// messages the server's refusals carry (apperr's position wrappers, the
// integrity, lexicon, contacts and alerts refusals: apperr.Catalogs), so that
// Vigil.errText says a refusal's key in the page's language. go test
// ./web -run TestRefusalDictionaries -update rewrites them.
func TestRefusalDictionaries(t *testing.T) {
	cats := apperr.Catalogs()
	for _, lang := range []string{"en", "fr"} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(cats[lang]); err != nil {
			t.Fatal(err)
		}
		path := "ui/i18n/refusals." + lang + ".json"
		if *updateGolden {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(have, b.Bytes()) {
			t.Errorf("%s is not the registered catalogs (%v): go test ./web -run TestRefusalDictionaries -update", path, err)
		}
	}
}

// TestRefusalFormatsSaid: no English of two catalogs is said in two
// French ways (such a format is found by no Textf or Text: its errors go
// unsaid, e.g. "is missing" when coverage said "est manquant" and events
// "est absent"); one of them should use the other's message. A format
// with no words of its own (only verbs and punctuation: apperr's place of
// a column and integrity's of a JSON field, "%s:%d: %s: %v"; apperr's words
// of a Go type by its kind, "%s") is made by key, never found by its text.
func TestRefusalFormatsSaid(t *testing.T) {
	verb := regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)
	for _, f := range apperr.Unsaid() {
		if !strings.ContainsFunc(verb.ReplaceAllString(f, ""), unicode.IsLetter) {
			continue
		}
		t.Errorf("%q is registered with two French texts: one key should say it", f)
	}
}

// TestRefusalKeys: the API answers an integrity, lexicon, feed, contacts
// or broadcast refusal with its catalog message beside its text ("key",
// "args"): the message's English is the answer's "error", its French
// another text (what the page shows on the French page).
func TestRefusalKeys(t *testing.T) {
	ie := newIntegrityEnv(t)
	ce, ch := contactsEnv(t)
	if resp, b := ie.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ie.tokens["ana"], body: integrityExport}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b) // narrative 1 for its check
	}
	cases := []struct {
		env          *testEnv
		method, path string
		body, fr     string
	}{
		{ie, "POST", "/api/v1/integrity/import?name=x.csv", "id,source,text,shares\n1,x,hi,lots\n", `fichier x.csv, ligne 2, colonne shares : "lots" n'est pas un nombre entier`},
		{ie, "POST", "/api/v1/integrity/terms/import?name=l.csv", "term,severity\nx,4\n", "fichier l.csv, ligne 2, colonne severity : 4 hors de l'intervalle 1–3"},
		{ie, "POST", "/api/v1/integrity/feeds", `{"url":"gopher://x"}`, `url : "gopher://x" n'est pas une URL http(s)`},
		{ie, "POST", "/api/v1/integrity/narratives/1/check", `{"state":"responded"}`, "state : une vérification ne peut pas passer de l'état « Nouveau » à l'état « Réponse envoyée » (états permis : « En veille », « En vérification », « Clos »)"},
		{ce, "POST", "/api/v1/contacts/import?name=c.csv&consent=verbal", "phone,language\n+243810000002,zz\n", ""},
		{ce, "POST", "/api/v1/contacts", `{"phone":"12","consent_how":"x"}`, "phone : un numéro de téléphone a de 6 à 15 chiffres, celui-ci en a 2"},
		{ce, "POST", "/api/v1/broadcasts", `{"channel_id":` + strconv.FormatInt(ch.ID, 10) + `,"group":"can"}`, "messages : écrivez le message (au moins une langue)"},
	}
	for _, c := range cases {
		resp, b := c.env.do(nil, c.method, c.path, reqOpt{token: c.env.tokens["ana"], body: c.body})
		var v struct {
			Error, Key string
			Args       map[string]string
		}
		if err := json.Unmarshal(b, &v); err != nil || resp.StatusCode != 400 || v.Key == "" {
			t.Errorf("%s %s: %d %s, want 400 with a key", c.method, c.path, resp.StatusCode, b)
			continue
		}
		m := apperr.Message{Key: v.Key, Args: v.Args}
		if en, fr := m.Text("en"), m.Text("fr"); en != v.Error || fr == en || (c.fr != "" && fr != c.fr) {
			t.Errorf("%s %s: %q / %q, want the error %q and %q", c.method, c.path, en, fr, v.Error, c.fr)
		}
	}
}

// TestSharedRefusalKeys: the checks every endpoint shares answer their
// refusals with a catalog message too: a JSON body the decoder refused
// (decodeJSON: malformed, an unknown field, a wrong type, trailing data,
// another Content-Type, too large), a query parameter (internal/query,
// the event filter: dates, months, limits, boxes, countries, types), a
// path id and a service the server was built without (503). The message's English is the answer's "error" (unchanged), its
// French what a French page shows.
func TestSharedRefusalKeys(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := e.tokens["ana"]
	big := `{"url":"` + strings.Repeat("x", maxIntegrityJSON) + `"}`
	for _, c := range []struct {
		method, path, body, ctype string
		status                    int
		fr                        string
	}{
		{"POST", "/api/v1/integrity/feeds", `{"url": x}`, "", 400, "JSON invalide : caractère 'x' invalide là où une valeur devait commencer"},
		{"POST", "/api/v1/integrity/feeds", `{"url": "http://a.example/f.xml",`, "", 400, "JSON invalide : fin inattendue : le JSON est incomplet"},
		{"POST", "/api/v1/integrity/feeds", `{"adress": "http://a.example/f.xml"}`, "", 400, `JSON invalide : json : champ inconnu "adress"`},
		{"POST", "/api/v1/integrity/feeds", `{"url": 7}`, "", 400, "JSON invalide : json : champ url : un nombre ne convient pas, il faut une chaîne"},
		{"POST", "/api/v1/integrity/feeds", `{"url": tru}`, "", 400, "JSON invalide : caractère '}' invalide dans le littéral true (attendu 'e')"},
		{"POST", "/api/v1/integrity/feeds", `{} {}`, "", 400, "JSON invalide : des données suivent l'objet"},
		{"POST", "/api/v1/integrity/feeds", `url=x`, "text/plain", 415, "le Content-Type doit être application/json"},
		{"POST", "/api/v1/integrity/feeds", big, "", 413, "corps de la requête de plus de " + strconv.Itoa(maxIntegrityJSON) + " octets"},
		{"GET", "/api/v1/events?bbox=1,2,3", "", "", 400, "bbox : attendu ouest,sud,est,nord (4 nombres), reçu 3 valeurs"},
		{"GET", "/api/v1/events?from=2020-13", "", "", 400, `from : "2020-13" n'est pas une date (AAAA-MM-JJ ou AAAA-MM)`},
		{"GET", "/api/v1/events?from=2020-03&to=2020-02", "", "", 400, "to (2020-02-29) est avant from (2020-03-01)"},
		{"GET", "/api/v1/events?limit=0", "", "", 400, `limit : "0" doit être un entier de 1 à 5000`},
		{"GET", "/api/v1/events?type=rain", "", "", 400, `type : type de violence inconnu "rain" (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)`},
		{"GET", "/api/v1/events?colour=red", "", "", 400, `paramètre "colour" inconnu (permis : bbox, from, to, type, country, source, cursor, limit)`},
		{"GET", "/api/v1/events?limit=1&limit=2", "", "", 400, `paramètre "limit" donné 2 fois`},
		{"GET", "/api/v1/grid?from=2020", "", "", 400, `from : "2020" n'est pas un mois (AAAA-MM)`},
		{"GET", "/api/v1/clusters?zoom=3&country=,", "", "", 400, `country : aucun pays n'est nommé dans ","`},
		{"GET", "/api/v1/events/x", "", "", 400, `id : "x" n'est pas un entier positif`},
		{"POST", "/api/v1/integrity/items/x/author", "", "", 400, `id : "x" n'est pas un entier positif`},
		{"GET", "/api/v1/contacts", "", "", 503, "le service des contacts n'est pas configuré"},
		{"GET", "/api/v1/performance/frameworks", "", "", 503, "le service de performance n'est pas configuré"},
		{"GET", "/api/v1/surveys/forms", "", "", 503, "les enquêtes ne sont pas configurées sur ce serveur"},
		{"POST", "/api/v1/risk/refresh", "", "", 503, "ce serveur ne calcule pas de prévisions"},
		{"GET", "/api/v1/radio/factchecks/x", "", "", 503, "les scripts radio ne sont pas configurés"},
	} {
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: ana, body: c.body, ctype: c.ctype})
		var v struct {
			Error, Key string
			Args       map[string]string
		}
		if err := json.Unmarshal(b, &v); err != nil || resp.StatusCode != c.status || v.Key == "" {
			t.Errorf("%s %s: %d %s, want %d with a key", c.method, c.path, resp.StatusCode, b, c.status)
			continue
		}
		m := apperr.Message{Key: v.Key, Args: v.Args}
		if en, fr := m.Text("en"), m.Text("fr"); en != v.Error || fr != c.fr {
			t.Errorf("%s %s: %q / %q, want the error %q and %q", c.method, c.path, en, fr, v.Error, c.fr)
		}
	}
}
