package ui

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFrenchColumnPercent: a French column heading holds a number and its
// « % » together with a narrow no-break space (U+202F). « Fourchette /
// intervalle à 95 % » broke between 95 and % in the Performance table's
// narrow column (seen in the screenshot pass at 1366×768). Headings are
// the keys with ".col." in every French dictionary.
func TestFrenchColumnPercent(t *testing.T) {
	files, err := filepath.Glob("i18n/*.fr.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no French dictionary (%v)", err)
	}
	col := regexp.MustCompile(`\.col\.`)
	plain := regexp.MustCompile(`[0-9}] %`)
	n := 0
	for _, f := range files {
		for k, v := range readDict(t, filepath.Base(f)) {
			if !col.MatchString(k) || !strings.Contains(v, "%") {
				continue
			}
			n++
			if plain.MatchString(v) {
				t.Errorf("%s %s: %q: a plain space before %%, want U+202F", filepath.Base(f), k, v)
			}
		}
	}
	if n == 0 {
		t.Error("no French column heading with a % (the test reads the wrong keys?)")
	}
}
