package web

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TestRefusalDictionaries: ui/i18n/refusals.{en,fr}.json are the catalog
// messages the server's refusals carry (apperr's position wrappers, the
// integrity, lexicon and contacts refusals: apperr.Catalogs), so that
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
