package alerts

import (
	"slices"
	"testing"
)

func TestSuggestCategory(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"DEMO ALERT: civilians attacked by ADF near Beni, Nord-Kivu on 2018-12-03, about 5 reported dead.", "attack_on_civilians"},
		{"DEMO ALERT : des civils attaqués par ADF près de Beni le 2018-12-03.", "attack_on_civilians"},
		{"fighting between Ex-Seleka and anti-Balaka near Bria on 2018-11-02. People are fleeing.", "displacement"},
		{"clashes between Government of Mali and JNIM near Mopti on 2018-10-01.", "armed_group_movement"},
		{"Affrontements entre X et Y près de Kidal. Boutiques fermées, routes vides.", "armed_group_movement"},
		{"Two women were raped near the water point, people are fleeing", "sexual_violence"},
		{"Une femme violée près du marché", "sexual_violence"},
		{"Violence near the market", "other"}, // "violence" is not "viol"
		{"Three children abducted on the road", "abduction"},
		{"enlèvement de deux commerçants", "abduction"},
		{"Shops looted in the night", "looting_property"},
		{"Rumour that the militia will come tomorrow", "threat_rumour"},
		{"Des menaces contre le chef du village", "threat_rumour"},
		{"", "other"},
		{"road closed", "other"},
	} {
		got := SuggestCategory(c.text)
		if got != c.want {
			t.Errorf("%q: %s, want %s", c.text, got, c.want)
		}
		if !slices.Contains(Categories, got) {
			t.Errorf("%q: %s is not a category", c.text, got)
		}
	}
}

// FuzzSuggestCategory: any text gets one of Categories, without a panic.
func FuzzSuggestCategory(f *testing.F) {
	for _, s := range []string{"civilians attacked near Beni", "Une femme violée", "ÉNLÈVEMENT", "\xff\xfe", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c := SuggestCategory(s); !slices.Contains(Categories, c) {
			t.Fatalf("%q: %s", s, c)
		}
	})
}
