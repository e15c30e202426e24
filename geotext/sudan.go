package geotext

import (
	"strings"
	"unicode"
)

// Geo-PKO names UNMIS's sites (before South Sudan's independence in July
// 2011) and UNISFA's "Sudan" wherever they are, so its recorded country
// does not say which of today's two countries a site is in. Its
// adm1.name column does: each point's first-level unit, by point in
// polygon. The units of each country, as Geo-PKO and other sources spell
// them, folded by unitFold: the ten states of South Sudan before 2015,
// which Geo-PKO uses (and the two older regions wholly in it, which UCDP
// GED names), and the eighteen of Sudan (Abyei is in South Kordufan for
// Geo-PKO).
var (
	southSudanUnits = foldSet("Central Equatoria", "East Equatoria", "West Equatoria", "Jonglei", "Jungoli", "Lakes",
		"North Bahr-al-Ghazal", "West Bahr-al-Ghazal", "Unity", "Upper Nile", "Warrap", "Warap",
		"Equatoria", "Bahr al Ghazal") // the regions of 1919–1994, as GED names some
	sudanUnits = foldSet("Khartoum", "Al Jazirah", "Gezira", "Jazira", "White Nile", "Blue Nile", "Sennar", "Sinnar",
		"Gedaref", "Gadarif", "Al Qadarif", "Kassala", "Red Sea", "River Nile", "Nahr an Nil", "Northern",
		"North Kordufan", "North Kordofan", "South Kordufan", "South Kordofan", "West Kordufan", "West Kordofan",
		"North Darfur", "South Darfur", "West Darfur", "Central Darfur", "East Darfur")
)

func foldSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[unitFold(n)] = true
	}
	return m
}

// unitFold folds a unit name so spellings compare equal: letters only,
// lower case, "Eastern" as "East" (and so for the other points of the
// compass), without "al"/"el" and "state" ("Northern Bahr el Ghazal
// State" is "North Bahr-al-Ghazal").
func unitFold(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "al", "el", "state":
			continue
		case "eastern", "western", "northern", "southern":
			w = strings.TrimSuffix(w, "ern")
		}
		b.WriteString(w)
	}
	return b.String()
}

// SudanUnitCountry is the country (ISO 3166-1 alpha-3) of a first-level
// unit of Sudan ("SDN") or South Sudan ("SSD") named adm1, in any of the
// spellings above; "" for any other name.
func SudanUnitCountry(adm1 string) string {
	switch u := unitFold(adm1); {
	case u == "":
		return ""
	case southSudanUnits[u]:
		return "SSD"
	case sudanUnits[u]:
		return "SDN"
	}
	return ""
}
