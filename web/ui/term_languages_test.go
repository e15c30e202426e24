package ui

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/integrity/langid"
)

// TestTermLanguagesAreLangid: the lexicon form's languages (integrity.js
// TERM_LANGUAGES) are the ones the language identifier answers, each
// named in both dictionaries: a term matches only items of its language.
func TestTermLanguagesAreLangid(t *testing.T) {
	src, err := os.ReadFile("integrity.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const TERM_LANGUAGES = \[([^\]]*)\]`).FindSubmatch(src)
	if m == nil {
		t.Fatal("integrity.js: no TERM_LANGUAGES")
	}
	var got []string
	for _, q := range strings.Split(string(m[1]), ",") {
		got = append(got, strings.Trim(strings.TrimSpace(q), `'`))
	}
	if !slices.Equal(got, langid.Languages) {
		t.Errorf("TERM_LANGUAGES %v, want langid.Languages %v", got, langid.Languages)
	}
	for _, lang := range []string{"en", "fr"} {
		d := readDict(t, "languages."+lang+".json")
		for _, c := range got {
			if d["language."+c] == "" {
				t.Errorf("languages.%s.json has no name for %q", lang, c)
			}
		}
	}
}
