package ui

import (
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/vigil-project/vigil/geotext"
)

// TestTextJS runs the unit tests of core/text.js (plural forms and
// placeholders of Vigil.t, Go durations of Vigil.durations) with node's
// test runner: testdata/text_test.mjs. Without node it skips, except in CI
// (CI=true), where it fails.
func TestTextJS(t *testing.T) { nodeTest(t, "testdata/text_test.mjs") }

// TestVigilJS runs the unit tests of core/vigil.js's words (Vigil.duration,
// Vigil.errText) with the shipped dictionaries: testdata/vigil_test.mjs,
// likewise.
func TestVigilJS(t *testing.T) { nodeTest(t, "testdata/vigil_test.mjs") }

// TestAlertsJS runs the unit tests of alerts.js's words for a reply's
// delivery (deliveryText) with the shipped dictionaries:
// testdata/alerts_test.mjs, likewise.
func TestAlertsJS(t *testing.T) { nodeTest(t, "testdata/alerts_test.mjs") }

// TestCoverageJS runs the unit tests of coverage.js's reading of the
// coverage layer (layerFeatures: the quiet cells sent in columns rebuilt
// as features): testdata/coverage_test.mjs, likewise.
func TestCoverageJS(t *testing.T) { nodeTest(t, "testdata/coverage_test.mjs") }

// TestAdminJS runs the unit tests of admin.js's audit log: the action
// list's families and their filtering, the objects the store names:
// testdata/admin_test.mjs, likewise.
func TestAdminJS(t *testing.T) { nodeTest(t, "testdata/admin_test.mjs") }

// TestSurveysJS tests surveys.js's "who is unheard" words (interlocutors'
// dimensions, the dissimilarity indices' separator in English and French):
// testdata/surveys_test.mjs, likewise.
func TestSurveysJS(t *testing.T) { nodeTest(t, "testdata/surveys_test.mjs") }

// TestIntegrityJS tests integrity_learn.js's place words (a first-level
// area's French name): testdata/integrity_test.mjs, likewise.
func TestIntegrityJS(t *testing.T) { nodeTest(t, "testdata/integrity_test.mjs") }

// TestBroadcastJS tests broadcast_form.js's words for a broadcast (cells
// named by place, a scheduled one that reaches no one now, one due to no
// one): testdata/broadcast_test.mjs, likewise.
func TestBroadcastJS(t *testing.T) { nodeTest(t, "testdata/broadcast_test.mjs") }

// TestPerformanceJS tests performance.js's withdrawal watch words (the
// risk's source said once, the alert column's agreement):
// testdata/performance_test.mjs, likewise.
func TestPerformanceJS(t *testing.T) { nodeTest(t, "testdata/performance_test.mjs") }

// nodeTest runs file with node's test runner; without node it skips, except
// in CI (CI=true), where it fails.
func nodeTest(t *testing.T, file string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not found: the UI's JavaScript unit tests need it")
		}
		t.Skip("node not found")
	}
	out, err := exec.Command(node, "--test", file).CombinedOutput()
	if err != nil {
		t.Fatalf("node --test %s: %v\n%s", file, err, out)
	}
}

// TestFrenchInJS: the page's table of French prepositions before a country
// (core/text.js FRENCH_IN) says what geotext.FrenchIn says for each
// country of the gazetteer, and names no other.
func TestFrenchInJS(t *testing.T) {
	src, err := os.ReadFile("core/text.js")
	if err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)const FRENCH_IN = \{(.*?)\};`).FindSubmatch(src)
	if table == nil {
		t.Fatal("core/text.js: no FRENCH_IN table")
	}
	js := map[string]string{}
	for _, m := range regexp.MustCompile(`([A-Z]{3}): '([^']+)'`).FindAllSubmatch(table[1], -1) {
		js[string(m[1])] = string(m[2])
	}
	for _, c := range geotext.Countries {
		if want := geotext.FrenchIn(c.FR); js[c.ISO3]+" "+c.FR != want {
			t.Errorf("%s: core/text.js says %q, geotext.FrenchIn %q", c.ISO3, js[c.ISO3]+" "+c.FR, want)
		}
	}
	for code, p := range js { // the hosts outside Africa too
		if want := geotext.FrenchInCode(code, "X"); p+" X" != want {
			t.Errorf("%s: core/text.js says %q, geotext.FrenchInCode %q", code, p+" X", want)
		}
	}
	if len(js) != len(geotext.Countries)+12 {
		t.Errorf("core/text.js: %d countries, the gazetteer %d and 12 hosts outside Africa", len(js), len(geotext.Countries))
	}
}
