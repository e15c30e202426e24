package web

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"testing"

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
		{ie, "POST", "/api/v1/integrity/narratives/1/check", `{"state":"responded"}`, `state : une vérification ne peut pas passer de "new" à "responded" (permis : monitoring, verifying, closed)`},
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
