package coverage

import (
	"strings"
	"unicode"

	"github.com/vigil-project/vigil/geotext"
)

// Geo-PKO names UNMIS's sites (before South Sudan's independence in July
// 2011) and UNISFA's "Sudan" wherever they are, so the recorded country
// does not say which of today's two countries a site is in. Its
// adm1.name column does: each point's first-level unit, by point in
// polygon. The units of each country, as Geo-PKO and other sources spell
// them, folded by unitFold (the ten states of South Sudan before 2015,
// which Geo-PKO uses, and the eighteen of Sudan; Abyei is in South
// Kordufan for Geo-PKO).
var (
	southSudanUnits = foldSet("Central Equatoria", "East Equatoria", "West Equatoria", "Jonglei", "Jungoli", "Lakes",
		"North Bahr-al-Ghazal", "West Bahr-al-Ghazal", "Unity", "Upper Nile", "Warrap", "Warap")
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

// pointCountry is the country of a Geo-PKO site recorded in country,
// whose point Geo-PKO places in the first-level unit adm1 ("" if none)
// and which lies in cell (ok false: not in the grid). Between Sudan and
// South Sudan the unit decides (both ways); without a unit of either, a
// "Sudan" site in a cell mostly South Sudan's is in South Sudan (the
// record cannot say, the cell is the best left). Any other country is the
// record's: Geo-PKO's points near a border can fall across it (Goma's in
// Rwanda's Western province), its countries do not.
func pointCountry(country, adm1 string, cell Cell, ok bool) string {
	key := CountryKey(country)
	if key != "SDN" && key != "SSD" {
		return country
	}
	switch u := unitFold(adm1); {
	case southSudanUnits[u]:
		return "South Sudan"
	case sudanUnits[u]:
		return "Sudan"
	case u != "":
		return country
	}
	if key == "SDN" && ok && cell.Key == "SSD" {
		return "South Sudan"
	}
	return country
}

// knownKey is the key of country name when geotext knows it (ok false
// otherwise, also for "").
func knownKey(name string) (string, bool) {
	if c := geotext.CountryNamed(strings.TrimSpace(name)); c != nil {
		return c.ISO3, true
	}
	return "", false
}

// siteKey is the country key of site d: its own country, as its record
// names it, not its cell's, which is the country holding most of the
// cell (the Bangui cell is mostly across the Ubangi in DR Congo); a site
// whose country is not recorded, or not known, takes its cell's (ok
// false: neither). keys memoises the recorded names.
func (m *Model) siteKey(d *Deployment, keys map[string]string) (string, bool) {
	if d.Country != "" {
		k, seen := keys[d.Country]
		if !seen {
			k, _ = knownKey(d.Country)
			keys[d.Country] = k
		}
		if k != "" {
			return k, true
		}
	}
	if c, ok := m.Cells.Get(d.Cell); ok {
		return c.Key, true
	}
	return "", false
}
