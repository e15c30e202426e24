package web

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	post := func(e *testEnv, path, body, fr string) keyedCase {
		return keyedCase{method: "POST", path: path, body: body, opt: reqOpt{token: e.tokens["ana"]}, status: 400, fr: fr}
	}
	checkKeyed(t, ie, []keyedCase{
		post(ie, "/api/v1/integrity/import?name=x.csv", "id,source,text,shares\n1,x,hi,lots\n", "fichier x.csv, ligne 2, colonne shares\u00a0: «\u202flots\u202f» n’est pas un nombre entier"),
		post(ie, "/api/v1/integrity/terms/import?name=l.csv", "term,severity\nx,4\n", "fichier l.csv, ligne 2, colonne severity\u00a0: 4 hors de l’intervalle 1–3"),
		post(ie, "/api/v1/integrity/feeds", `{"url":"gopher://x"}`, "url\u00a0: «\u202fgopher://x\u202f» n’est pas une URL http(s)"),
		{method: "GET", path: "/api/v1/integrity/checks?state=pending", opt: reqOpt{token: ie.tokens["vic"]}, status: 400, fr: "state\u00a0: «\u202fpending\u202f» n’est pas l’un de all, new, monitoring, verifying, rated, response_planned, responded, closed"},
		post(ie, "/api/v1/integrity/narratives/1/check", `{"state":"responded"}`, "state\u00a0: une vérification ne peut pas passer de l’état « Nouveau » à l’état « Réponse envoyée » (états permis\u00a0: « En veille », « En vérification », « Clos »)"),
	})
	checkKeyed(t, ce, []keyedCase{
		post(ce, "/api/v1/contacts/import?name=c.csv&consent=verbal", "phone,language\n+243810000002,zz\n", ""),
		post(ce, "/api/v1/contacts", `{"phone":"12","consent_how":"x"}`, "phone\u00a0: un numéro de téléphone a de 6 à 15 chiffres, celui-ci en a 2"),
		post(ce, "/api/v1/broadcasts", `{"channel_id":`+strconv.FormatInt(ch.ID, 10)+`,"group":"can"}`, "messages\u00a0: écrivez le message (au moins une langue)"),
	})
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
	ana := reqOpt{token: e.tokens["ana"]}
	big := `{"url":"` + strings.Repeat("x", maxIntegrityJSON) + `"}`
	checkKeyed(t, e, []keyedCase{
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{"url": x}`, opt: ana, status: 400, fr: "JSON invalide\u00a0: caractère 'x' invalide là où une valeur devait commencer"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{"url": "http://a.example/f.xml",`, opt: ana, status: 400, fr: "JSON invalide\u00a0: fin inattendue\u00a0: le JSON est incomplet"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{"adress": "http://a.example/f.xml"}`, opt: ana, status: 400, fr: "JSON invalide\u00a0: json\u00a0: champ inconnu «\u202fadress\u202f»"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{"url": 7}`, opt: ana, status: 400, fr: "JSON invalide\u00a0: json\u00a0: champ url\u00a0: un nombre ne convient pas, il faut une chaîne"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{"url": tru}`, opt: ana, status: 400, fr: "JSON invalide\u00a0: caractère '}' invalide dans le littéral true (attendu 'e')"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{} {}`, opt: ana, status: 400, fr: "JSON invalide\u00a0: des données suivent l’objet"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: `url=x`, opt: reqOpt{token: ana.token, ctype: "text/plain"}, status: 415, fr: "le Content-Type doit être application/json"},
		{method: "POST", path: "/api/v1/integrity/feeds", body: big, opt: ana, status: 413, fr: "corps de la requête de plus de " + strconv.Itoa(maxIntegrityJSON) + " octets"},
		{method: "GET", path: "/api/v1/events?bbox=1,2,3", opt: ana, status: 400, fr: "bbox\u00a0: attendu ouest,sud,est,nord (4 nombres), reçu 3 valeurs"},
		{method: "GET", path: "/api/v1/events?from=2020-13", opt: ana, status: 400, fr: "from\u00a0: «\u202f2020-13\u202f» n’est pas une date (AAAA-MM-JJ ou AAAA-MM)"},
		{method: "GET", path: "/api/v1/events?from=2020-03&to=2020-02", opt: ana, status: 400, fr: "to (2020-02-29) est avant from (2020-03-01)"},
		{method: "GET", path: "/api/v1/events?limit=0", opt: ana, status: 400, fr: "limit\u00a0: «\u202f0\u202f» doit être un entier de 1 à 5000"},
		{method: "GET", path: "/api/v1/events?type=rain", opt: ana, status: 400, fr: "type\u00a0: type de violence inconnu «\u202frain\u202f» (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)"},
		{method: "GET", path: "/api/v1/events?colour=red", opt: ana, status: 400, fr: "paramètre «\u202fcolour\u202f» inconnu (permis\u00a0: bbox, from, to, type, country, source, cursor, limit)"},
		{method: "GET", path: "/api/v1/events?limit=1&limit=2", opt: ana, status: 400, fr: "paramètre «\u202flimit\u202f» donné 2 fois"},
		{method: "GET", path: "/api/v1/grid?from=2020", opt: ana, status: 400, fr: "from\u00a0: «\u202f2020\u202f» n’est pas un mois (AAAA-MM)"},
		{method: "GET", path: "/api/v1/clusters?zoom=3&country=,", opt: ana, status: 400, fr: "country\u00a0: aucun pays n’est nommé dans «\u202f,\u202f»"},
		{method: "GET", path: "/api/v1/events/x", opt: ana, status: 400, fr: "id\u00a0: «\u202fx\u202f» n’est pas un entier positif"},
		{method: "POST", path: "/api/v1/integrity/items/x/author", opt: ana, status: 400, fr: "id\u00a0: «\u202fx\u202f» n’est pas un entier positif"},
		{method: "GET", path: "/api/v1/contacts", opt: ana, status: 503, fr: "le service des contacts n’est pas configuré"},
		{method: "GET", path: "/api/v1/performance/frameworks", opt: ana, status: 503, fr: "le service de performance n’est pas configuré"},
		{method: "GET", path: "/api/v1/surveys/forms", opt: ana, status: 503, fr: "les enquêtes ne sont pas configurées sur ce serveur"},
		{method: "POST", path: "/api/v1/risk/refresh", opt: ana, status: 503, fr: "ce serveur ne calcule pas de prévisions"},
		{method: "GET", path: "/api/v1/radio/factchecks/x", opt: ana, status: 503, fr: "les scripts radio ne sont pas configurés"},
	})
}

// TestFrenchQuotedArguments: every catalog message that quotes an
// argument with %q ("pw" in English) says it in French in guillemets held
// by narrow no-break spaces, « pw », not in Go's straight quotes (« le
// formulaire "pw" » before); English keeps Go's quotes. The dictionary the
// page says them from (refusals.fr.json) holds the same guillemets around
// {n:q}, which web/ui/core/text.js fill says as Go's Text does
// (web/ui/testdata/text_test.mjs).
func TestFrenchQuotedArguments(t *testing.T) {
	verb := regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)
	const arg = `a "b"`
	quoted, french := strconv.Quote(arg), "«\u202f"+arg+"\u202f»"
	fr := apperr.Catalogs()["fr"]
	n := 0
	for key, tmpl := range fr {
		verbs := verb.FindAllString(apperr.Format(key), -1)
		m := apperr.Message{Key: key, Args: map[string]string{}}
		var qs []int
		for i, v := range verbs {
			m.Args[strconv.Itoa(i)] = "v" + strconv.Itoa(i)
			if strings.HasSuffix(v, "q") {
				m.Args[strconv.Itoa(i)] = fmt.Sprintf(v, arg)
				qs = append(qs, i)
			}
		}
		if len(qs) == 0 {
			continue
		}
		n++
		en, said := m.Text("en"), m.Text("fr")
		if !strings.Contains(en, quoted) {
			t.Errorf("%s: English %q lost Go's quotes", key, en)
		}
		if strings.Contains(said, `"a`) || strings.Contains(said, "`a") {
			t.Errorf("%s: French %q says a quoted argument in straight quotes", key, said)
		}
		for _, i := range qs {
			ph := "{" + strconv.Itoa(i)
			if !strings.Contains(tmpl, ph+"}") && !strings.Contains(tmpl, ph+":q}") {
				continue // the French does not say this argument
			}
			if !strings.Contains(tmpl, "«\u202f"+ph+":q}\u202f»") {
				t.Errorf("%s: refusals.fr.json %q: argument %d is not «\u202f%s:q}\u202f»", key, tmpl, i, ph)
			}
		}
		if !strings.Contains(said, french) {
			t.Errorf("%s: French %q, want the argument as %s", key, said, french)
		}
	}
	if n < 100 {
		t.Errorf("%d messages quote an argument, want the catalogs' (over 100)", n)
	}
}
