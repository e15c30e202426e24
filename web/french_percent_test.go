package web

import (
	"fmt"
	"regexp"
	"sort"
	"testing"
)

// spaceBeforePercent is a space before a % sign that is not the narrow
// no-break space (U+202F): a plain space, which lets the line break between
// a number and its %, or a no-break space (U+00A0), wider than French
// typography sets it.
var spaceBeforePercent = regexp.MustCompile(`[ \t\x{a0}]%`)

// TestFrenchPercentSpace: in all the French TestFrenchApostrophes reads (the
// pages' dictionaries, the refusal catalogs, the performance reasons, the
// web form, the SMS replies, the login page, the fact-check page, what ODK
// Collect is told), a % sign follows its number with a narrow no-break
// space (U+202F): « 95 % », never a plain space. « l’intervalle à 90 % »
// of the risk legend (risk.fr.json) could break between 90 and %.
// TestFrenchColumnPercent (web/ui) checked only the column headings.
func TestFrenchPercentSpace(t *testing.T) {
	var bad []string
	for where, s := range frenchTexts(t) {
		if spaceBeforePercent.MatchString(s) {
			bad = append(bad, fmt.Sprintf("%s: %q", where, s))
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s (write U+202F before %%)", b)
	}
}
