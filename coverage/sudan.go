package coverage

import (
	"strings"

	"github.com/vigil-project/vigil/geotext"
)

// pointCountry is the country of a Geo-PKO site recorded in country,
// whose point Geo-PKO places in the first-level unit adm1 ("" if none)
// and which lies in cell (ok false: not in the grid). Geo-PKO names
// UNMIS's sites (before South Sudan's independence in July 2011) and
// UNISFA's "Sudan" wherever they are; between Sudan and South Sudan the
// unit decides (geotext.SudanUnitCountry, both ways). Without a unit of
// either, a "Sudan" site in a cell mostly South Sudan's is in South Sudan
// (the record cannot say; the cell is the best left). Any other country
// is the record's: Geo-PKO's points near a border can fall across it
// (Goma's in Rwanda's Western province), its countries do not.
func pointCountry(country, adm1 string, cell Cell, ok bool) string {
	key := CountryKey(country)
	if key != "SDN" && key != "SSD" {
		return country
	}
	switch geotext.SudanUnitCountry(adm1) {
	case "SSD":
		return "South Sudan"
	case "SDN":
		return "Sudan"
	}
	if strings.TrimSpace(adm1) != "" {
		return country // a unit of a third country (Kurmuk's in Ethiopia)
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
