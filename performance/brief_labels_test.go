package performance

import (
	"regexp"
	"strings"
	"testing"
)

// TestBriefLabelsFrenchPercent: the brief's French labels write a % with a
// narrow no-break space (U+202F) before it, as LocalNumber writes numbers
// (the PDF draws it as U+00A0): « Fourchette / intervalle à 95 % » had a
// plain space, so the heading could break between 95 and %. The French
// reasons are checked with every other French text by web's
// TestFrenchShippedSpaces.
func TestBriefLabelsFrenchPercent(t *testing.T) {
	plain := regexp.MustCompile(`[ \t\x{a0}]%`)
	n := 0
	for key, l := range briefLabels {
		if !strings.Contains(l[1], "%") {
			continue
		}
		n++
		if plain.MatchString(l[1]) {
			t.Errorf("briefLabels[%q] French %q: a plain space before %%, want U+202F", key, l[1])
		}
	}
	if n == 0 {
		t.Error("no French brief label with a % (the test reads the wrong table?)")
	}
}

// TestBriefLabelsFrenchSigns: the brief's French labels hold « : » to its
// word with a no-break space (U+00A0) and « ; », « ! », « ? » with a
// narrow one (U+202F), as web's TestFrenchShippedSpaces wants of the
// pages' texts: « Carte : risque prévu … » had a plain space, so a line
// of the brief could begin with the colon.
func TestBriefLabelsFrenchSigns(t *testing.T) {
	plain := regexp.MustCompile(`[ \t][:;!?]|\x{202f}:|\x{a0}[;!?]`)
	for key, l := range briefLabels {
		if m := plain.FindString(l[1]); m != "" {
			t.Errorf("briefLabels[%q] French %q: %q, want U+00A0 before : and U+202F before ; ! ?", key, l[1], m)
		}
	}
}
