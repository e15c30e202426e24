package ui

import (
	"os"
	"strings"
	"testing"
)

// TestWalk26Words: words a francophone adviser read wrong on the demo
// (walked 2026-12-07), in both languages.
//   - A broadcast whose messages had all gone out still said « 6 en file
//     d’attente, 1 envoyé, … 5 en échec »: the count is of the messages
//     queued, not of those still waiting (« mis en file d’attente »).
//   - The risk explanation said « violences contre les civils à deux
//     cellules » (two cells away: how far is that?), and put an unexplained
//     number after each reason (« (+4,16) »).
func TestWalk26Words(t *testing.T) {
	fr, en := readDict(t, "contacts.fr.json"), readDict(t, "contacts.en.json")
	for _, k := range []string{"contacts.reach.text", "contacts.reach.full"} {
		if !strings.HasPrefix(fr[k], "{queued} mis en file d’attente, ") {
			t.Errorf("fr %s = %q: want « {queued} mis en file d’attente, … »", k, fr[k])
		}
		if !strings.HasPrefix(en[k], "{queued} queued, ") {
			t.Errorf("en %s = %q", k, en[k])
		}
	}
	rfr, ren := readDict(t, "risk.fr.json"), readDict(t, "risk.en.json")
	if s := rfr["risk.feat.ring2_sum12"]; !strings.Contains(s, "km") {
		t.Errorf("fr risk.feat.ring2_sum12 = %q: say how far two cells are", s)
	}
	if s := ren["risk.feat.ring2_sum12"]; !strings.Contains(s, "km") {
		t.Errorf("en risk.feat.ring2_sum12 = %q: say how far two cells are", s)
	}
	for lang, d := range map[string]map[string]string{"fr": rfr, "en": ren} {
		if d["risk.whyWeight"] == "" {
			t.Errorf("%s: no risk.whyWeight saying what the number after each reason is", lang)
		}
	}
	js, err := os.ReadFile("risk.js")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), "t('risk.whyWeight')") {
		t.Error("risk.js does not show risk.whyWeight under the reasons")
	}
}
