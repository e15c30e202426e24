package web

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/vigil-project/vigil/performance"
)

// goWords are what encoding/json says of Go in a wrong type's error: its
// struct's name and its types' ("FeedInput.url", "of type string").
var goWords = regexp.MustCompile(`Go |unmarshal|FeedInput|ItemInput|Framework|Target|float64|int64|\[\]`)

// TestJSONTypeRefusals: a body with a value of the wrong type is refused
// in JSON words, through the real API: the field named by its JSON path
// as the decoder gives it (a field at the top, in an object, in a list of
// objects), the value and what the field wants in JSON words, never a Go
// struct or type name, in English ("error") and in French (the key's),
// by apperr's catalog (integrity) and by performance's.
func TestJSONTypeRefusals(t *testing.T) {
	ie, pe := newIntegrityEnv(t), perfEnv(t)
	const fw = "/api/v1/performance/frameworks/MINUSCA"
	target := `{"objectives":[{"id":"x","title":"X","results":[{"id":"r","title":"R","indicators":[{"id":"i","indicator":"deaths","area":"CAF","unit":"deaths","direction":"lower","targets":[{"period":"2017","value":"many"}]}]}]}]}`
	for _, c := range []struct {
		env           *testEnv
		method, path  string
		body, en, fr  string
		catalogOfPerf bool
	}{
		{ie, "POST", "/api/v1/integrity/feeds", `{"url": 7}`,
			"invalid JSON: json: field url: cannot use a number here, want a string",
			"JSON invalide\u00a0: json\u00a0: champ url\u00a0: un nombre ne convient pas, il faut une chaîne", false},
		{ie, "POST", "/api/v1/integrity/items", `{"text": "x", "media": [1]}`,
			"invalid JSON: json: field media: cannot use a number here, want a string",
			"JSON invalide\u00a0: json\u00a0: champ media\u00a0: un nombre ne convient pas, il faut une chaîne", false},
		{ie, "POST", "/api/v1/integrity/items", `{"text": "x", "shares": "lots"}`,
			"invalid JSON: json: field shares: cannot use a string here, want an integer",
			"JSON invalide\u00a0: json\u00a0: champ shares\u00a0: une chaîne ne convient pas, il faut un entier", false},
		{ie, "POST", "/api/v1/integrity/items", `{"text": "x", "media": "a.jpg"}`,
			"invalid JSON: json: field media: cannot use a string here, want an array of strings",
			"JSON invalide\u00a0: json\u00a0: champ media\u00a0: une chaîne ne convient pas, il faut un tableau de chaînes", false},
		{ie, "POST", "/api/v1/integrity/feeds", `["http://a.example/f.xml"]`,
			"invalid JSON: json: top-level value: cannot use an array here, want an object",
			"JSON invalide\u00a0: json\u00a0: valeur de premier niveau\u00a0: un tableau ne convient pas, il faut un objet", false},
		{pe, "PUT", fw, target,
			"invalid JSON: json: field objectives.results.indicators.targets.value: cannot use a string here, want a number",
			"JSON invalide\u00a0: json\u00a0: champ objectives.results.indicators.targets.value\u00a0: une chaîne ne convient pas, il faut un nombre", true},
		{pe, "PUT", fw, `{"objectives": {}}`,
			"invalid JSON: json: field objectives: cannot use an object here, want an array of objects",
			"JSON invalide\u00a0: json\u00a0: champ objectives\u00a0: un objet ne convient pas, il faut un tableau d’objets", true},
	} {
		resp, b := c.env.do(nil, c.method, c.path, reqOpt{token: c.env.tokens["ana"], body: c.body})
		var v keyedAnswer
		if err := json.Unmarshal(b, &v); err != nil || resp.StatusCode != 400 || v.Key == "" {
			t.Errorf("%s %s %s: %d %s, want 400 with a key", c.method, c.path, c.body, resp.StatusCode, b)
			continue
		}
		en, fr := v.said().Text("en"), v.said().Text("fr")
		if c.catalogOfPerf {
			m := performance.Msg{Code: v.Key, Args: v.Args}
			en, fr = m.Text("en"), m.Text("fr")
		}
		if v.Error != c.en || en != c.en || fr != c.fr || goWords.MatchString(v.Error) || goWords.MatchString(fr) {
			t.Errorf("%s %s %s:\n error %q\n key %s: %q / %q\n want %q / %q", c.method, c.path, c.body, v.Error, v.Key, en, fr, c.en, c.fr)
		}
	}
}
