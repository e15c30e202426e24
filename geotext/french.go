package geotext

import "strings"

// frenchIn is the preposition French puts before each country of
// Countries to say "in" (by ISO3): "en" for a feminine name or one
// starting with a vowel, "au" for a masculine one, "aux" for a plural one,
// "à" for some islands and city states.
var frenchIn = map[string]string{
	"DZA": "en", "AGO": "en", "BEN": "au", "BWA": "au", "BFA": "au", "BDI": "au",
	"CPV": "à", "CMR": "au", "CAF": "en", "TCD": "au", "COM": "aux", "COG": "au",
	"COD": "en", "CIV": "en", "DJI": "à", "EGY": "en", "GNQ": "en", "ERI": "en",
	"SWZ": "en", "ETH": "en", "GAB": "au", "GMB": "en", "GHA": "au", "GIN": "en",
	"GNB": "en", "KEN": "au", "LSO": "au", "LBR": "au", "LBY": "en", "MDG": "à",
	"MWI": "au", "MLI": "au", "MRT": "en", "MUS": "à", "MAR": "au", "MOZ": "au",
	"NAM": "en", "NER": "au", "NGA": "au", "RWA": "au", "STP": "à", "SEN": "au",
	"SYC": "aux", "SLE": "en", "SOM": "en", "ZAF": "en", "SSD": "au", "SDN": "au",
	"TZA": "en", "TGO": "au", "TUN": "en", "UGA": "en", "ESH": "au", "ZMB": "en",
	"ZWE": "au",
	// hosts of peace operations outside Africa that the performance
	// framework names (not in Countries: they have no gazetteer here)
	"HTI": "en", "COL": "en", "CYP": "à", "XKX": "au", "LBN": "au", "SYR": "en",
	"ISR": "en", "IRQ": "en", "YEM": "au", "AFG": "en", "IND": "en", "PAK": "au",
}

// FrenchIn is name after French "in": a country CountryNamed knows with
// its preposition ("en Somalie", "au Mali", "aux Comores", "à
// Madagascar"; a name starting "République" is feminine whatever the
// country: "en République du Congo" but "au Congo"), anything else — an
// admin-1 unit — as « dans la zone Ituri » (inAdmin). The name is written
// as given.
func FrenchIn(name string) string {
	c := CountryNamed(name)
	if c == nil {
		return FrenchInCode("", name)
	}
	return FrenchInCode(c.ISO3, name)
}

// FrenchInCode is FrenchIn for the area of ISO3 code iso3 named name (the
// performance framework's areas, which include hosts outside Africa:
// "en Haïti", "au Liban"); "ALL", the whole of the data named « toutes
// les zones », is « dans l’ensemble des zones » (« aucun incident dans
// toutes les zones » read as "not in every area"); another code it has no
// preposition for (an admin-1 unit) is « dans la zone NAME » (inAdmin).
func FrenchInCode(iso3, name string) string {
	p := frenchIn[strings.ToUpper(iso3)]
	switch {
	case (iso3 == "" || strings.EqualFold(iso3, "ALL")) && name == "toutes les zones":
		return "dans l’ensemble des zones"
	case p == "":
		return inAdmin(name)
	case strings.HasPrefix(Fold(name), "republique"):
		return "en " + name
	}
	return p + " " + name
}

// inAdmin is an admin-1 unit (or any other name that is no country) after
// French "in": « dans la zone Ituri ». Each province takes its own article
// and preposition (« en Ituri », « dans le Nord-Kivu », « dans la
// Haute-Kotto »), which no table here knows; the apposition after « la
// zone » needs none and reads right for any name, as the pages name areas
// (« Zone »). web/ui/core/text.js frenchIn says the same.
// A unit French names as a zone already (« zone d’Abyei », « zone de
// l’Ouest ») is « dans la zone d’Abyei ».
func inAdmin(name string) string {
	if rest, ok := strings.CutPrefix(name, "zone "); ok {
		return "dans la zone " + rest
	}
	if rest, ok := strings.CutPrefix(name, "Zone "); ok {
		return "dans la zone " + rest
	}
	return "dans la zone " + name
}
