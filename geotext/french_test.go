package geotext

import "testing"

// TestFrenchIn: a country after French "in" takes en, au, aux or à by its
// name's gender and number; an area that is not a country is « dans la
// zone NAME », the whole of the data « dans l’ensemble des zones ».
func TestFrenchIn(t *testing.T) {
	// name → its preposition ("dans": not a country)
	want := map[string]string{
		"République centrafricaine": "en", "RD Congo": "en", "République démocratique du Congo": "en",
		"Mali": "au", "Soudan": "au", "Somalie": "en", "Soudan du Sud": "au", "Tchad": "au",
		"Comores": "aux", "Madagascar": "à", "Ouganda": "en", "Éthiopie": "en", "Burkina Faso": "au",
		"Congo": "au", "République du Congo": "en", "Maurice": "à", "Ituri": "dans la zone", "Nord-Kivu": "dans la zone",
	}
	for name, p := range want {
		if got := FrenchIn(name); got != p+" "+name {
			t.Errorf("FrenchIn(%q) = %q, want %q", name, got, p+" "+name)
		}
	}
	if got := FrenchIn("toutes les zones"); got != "dans l’ensemble des zones" {
		t.Errorf("FrenchIn(toutes les zones) = %q", got)
	}
	for _, c := range Countries {
		if frenchIn[c.ISO3] == "" {
			t.Errorf("%s (%s): no French preposition", c.ISO3, c.FR)
		}
	}
	if len(frenchIn) != len(Countries)+12 {
		t.Errorf("%d prepositions for %d countries and 12 hosts outside Africa", len(frenchIn), len(Countries))
	}
}

// TestFrenchInCode: by code, the hosts outside Africa the performance
// framework names take their preposition too; the whole of the data
// ("ALL") is « dans l’ensemble des zones »; another (an admin-1 unit) is
// « dans la zone Ituri ».
func TestFrenchInCode(t *testing.T) {
	for _, c := range []struct{ code, name, want string }{
		{"HTI", "Haïti", "en Haïti"}, {"LBN", "Liban", "au Liban"}, {"CYP", "Chypre", "à Chypre"},
		{"AFG", "Afghanistan", "en Afghanistan"}, {"xkx", "Kosovo", "au Kosovo"},
		{"MLI", "Mali", "au Mali"}, {"COG", "République du Congo", "en République du Congo"},
		{"ALL", "toutes les zones", "dans l’ensemble des zones"}, {"", "Ituri", "dans la zone Ituri"}, {"", "Nord-Kivu", "dans la zone Nord-Kivu"},
	} {
		if got := FrenchInCode(c.code, c.name); got != c.want {
			t.Errorf("FrenchInCode(%q, %q) = %q, want %q", c.code, c.name, got, c.want)
		}
	}
}
