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
		// a unit whose French name is a zone already is not « la zone zone d’Abyei »
		{"", "zone d’Abyei", "dans la zone d’Abyei"}, {"", "Zone de l’Ouest", "dans la zone de l’Ouest"},
	} {
		if got := FrenchInCode(c.code, c.name); got != c.want {
			t.Errorf("FrenchInCode(%q, %q) = %q, want %q", c.code, c.name, got, c.want)
		}
	}
}

// TestUnitName: a first-level unit the gazetteer names in English has its
// French name on French pages, also as a source writes it with a generic
// word ("North Darfur state"); a unit French writes the same, and every
// unit in English, is as given.
func TestUnitName(t *testing.T) {
	for _, c := range []struct{ name, lang, want string }{
		{"North Darfur", "fr", "Darfour-Nord"},
		{"North Darfur state", "fr", "Darfour-Nord"},
		{"South Kordofan", "fr-FR", "Kordofan-Sud"},
		{"Blue Nile", "fr", "Nil Bleu"},
		{"Lower Shebelle", "fr", "Bas-Shabelle"},
		{"Middle Juba", "fr", "Moyen-Djouba"},
		{"Central Equatoria", "fr", "Équatoria-Central"},
		{"Upper Nile", "fr", "Haut-Nil"},
		{"Far North", "fr", "Extrême-Nord"},
		{"Northern", "fr", "Nord"},
		{"Abyei Area", "fr", "zone d’Abyei"},
		{"Alibori Department", "fr", "Alibori"},
		{"Kufra District", "fr", "Koufra"},
		{"Ituri", "fr", "Ituri"},
		{"Haut-Uélé", "fr", "Haut-Uélé"},
		{"Ouham", "fr", "Ouham"},
		{"Nord-Kivu province", "fr", "Nord-Kivu province"},
		{"North Darfur", "en", "North Darfur"},
		{"North Darfur", "", "North Darfur"},
		{"", "fr", ""},
	} {
		if got := UnitName(c.name, c.lang); got != c.want {
			t.Errorf("UnitName(%q, %q) = %q, want %q", c.name, c.lang, got, c.want)
		}
	}
}

// TestUnitNamesOneFrench: an English unit name is one French name in
// every country (UnitName, given a name without its country, needs it),
// and within a country no French name is another unit's English one
// (CountriesIn reads French names back by country).
func TestUnitNamesOneFrench(t *testing.T) {
	seen := map[string]string{}
	for iso3, units := range unitsFR {
		if CountryByCode(iso3) == nil {
			t.Errorf("%s: not a country of Countries", iso3)
		}
		for en, fr := range units {
			if f, ok := seen[en]; ok && f != fr {
				t.Errorf("%q is %q in one country, %q in another", en, f, fr)
			}
			seen[en] = fr
			if _, ok := units[fr]; ok {
				t.Errorf("%s: %q is another unit's English name", iso3, fr)
			}
			if fr == en || fr == "" {
				t.Errorf("%s: %q: French name %q", iso3, en, fr)
			}
		}
	}
}
