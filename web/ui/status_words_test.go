package ui

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// readDict is the dictionary i18n/name (key → text).
func readDict(t *testing.T, name string) map[string]string {
	t.Helper()
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

// TestStatusWordsAgree: an incident's status is said in two places, the
// alerts page's own labels (alerts.status.*) and the server's refusals that
// name a status (alerts.refusal.status.*, regenerated from alerts.Refusals
// into refusals.*.json); a user's role likewise, the pages' role.* (fr.json)
// and the refusals that name a role (auth.refusal.role.*, from
// auth.Refusals: "il faut le rôle « analyste »"). The two are kept as
// copies so that a refusal says a status or a role exactly as the page
// labels it; this test keeps them equal in French. (In English a refusal
// names the word as the API writes it, "false", since its text is the
// server's error, unchanged.)
func TestStatusWordsAgree(t *testing.T) {
	for _, c := range []struct {
		what, page, pagePrefix, refusalPrefix string
		n                                     int
		quoted                                bool // the refusal says the label in guillemets
	}{
		{"status", "alerts", "alerts.status.", "alerts.refusal.status.", 8, false},
		{"role", "", "role.", "auth.refusal.role.", 4, false},
		{"check state", "verify", "verify.state.", "integrity.refusal.state.", 7, true},
	} {
		for _, lang := range []string{"fr"} {
			file := lang + ".json"
			if c.page != "" {
				file = c.page + "." + file
			}
			page, refusals := readDict(t, file), readDict(t, "refusals."+lang+".json")
			n := 0
			for k, said := range refusals {
				s, ok := strings.CutPrefix(k, c.refusalPrefix)
				if !ok {
					continue
				}
				n++
				label := page[c.pagePrefix+s]
				if c.quoted {
					label = "«\u202f" + label + "\u202f»" // a narrow no-break space inside, as the French catalogs write guillemets
				}
				if label != said {
					t.Errorf("%s: %s %s is %q in a refusal but %q on the page (%s)", lang, c.what, s, said, label, file)
				}
			}
			if n < c.n {
				t.Errorf("%s: %d %s words in the refusals, want %d", lang, n, c.what, c.n)
			}
		}
	}
}
