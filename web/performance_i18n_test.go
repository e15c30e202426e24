package web

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/vigil-project/vigil/performance"
)

// TestPerformanceDimNames: every breakdown an indicator of the library
// offers is named in English and French (perf.dim.<by>), since the
// indicator page lists them in its 'Broken down by' selector and captions.
func TestPerformanceDimNames(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		raw, err := os.ReadFile("ui/i18n/performance." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var dict map[string]string
		if err := json.Unmarshal(raw, &dict); err != nil {
			t.Fatal(err)
		}
		for _, d := range performance.Library() {
			for _, by := range d.Disaggregations {
				if dict["perf.dim."+by] == "" {
					t.Errorf("%s: no perf.dim.%s (a breakdown of %s)", lang, by, d.ID)
				}
			}
		}
	}
}
