package ui

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestStatusWordsAgree: an incident's status is said in two places, the
// alerts page's own labels (alerts.status.*) and the server's refusals that
// name a status (alerts.refusal.status.*, regenerated from alerts.Refusals
// into refusals.*.json). The two are kept as copies so that a refusal says
// a status exactly as the page labels it; this test keeps them equal in
// French. (In English a refusal names the status as the API writes it,
// "false", since its text is the server's error, unchanged.)
func TestStatusWordsAgree(t *testing.T) {
	read := func(name string) map[string]string {
		b, err := os.ReadFile("i18n/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	for _, lang := range []string{"fr"} {
		page, refusals := read("alerts."+lang+".json"), read("refusals."+lang+".json")
		n := 0
		for k, said := range refusals {
			s, ok := strings.CutPrefix(k, "alerts.refusal.status.")
			if !ok {
				continue
			}
			n++
			if label := page["alerts.status."+s]; label != said {
				t.Errorf("%s: status %s is %q in a refusal but %q on the alerts page", lang, s, said, label)
			}
		}
		if n < 8 {
			t.Errorf("%s: %d status words in the refusals, want the 8 statuses", lang, n)
		}
	}
}
