package ui

import (
	"strings"
	"testing"
)

// TestCSVHintsSayHeaders: each hint that lists a CSV file's columns by
// their English names says they are the file's column headers; in French
// also that they stay in English as the file must have them (a French
// reader took « phone, name … » for words to translate).
func TestCSVHintsSayHeaders(t *testing.T) {
	hints := []struct{ dict, key string }{
		{"contacts", "contacts.import.hint"},
		{"contacts", "contacts.empty.body"},
		{"dataimport", "admin.data.deployHeader"},
		{"dataimport", "admin.data.deployColumns"},
		{"admin", "admin.margins.format"},
		{"admin", "admin.places.help"},
		{"coverage", "coverage.pop.format"},
		{"integrity", "integrity.lexicon.importHint"},
	}
	for _, h := range hints {
		for _, c := range []struct{ lang, headers, english string }{{"en", "column headers", ""}, {"fr", "en-têtes de colonnes", "en anglais"}} {
			s := strings.ToLower(readDict(t, h.dict+"."+c.lang+".json")[h.key])
			if !strings.Contains(s, c.headers) || !strings.Contains(s, c.english) {
				t.Errorf("%s.%s.json %s: %q does not say the columns are the file's headers (%q, %q)", h.dict, c.lang, h.key, s, c.headers, c.english)
			}
		}
	}
}
