package performance

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/vigil-project/vigil/geotext"
)

// Area is where an indicator is computed: a country (ISO 3166-1 alpha-3
// code) or all areas of the data (Code "ALL").
type Area struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameFR string `json:"name_fr"`
	GW     int    `json:"gwno,omitempty"` // Gleditsch–Ward number (UCDP, PRIO-GRID)
}

// AllAreas is the whole of the data.
var AllAreas = Area{Code: "ALL", Name: "All areas", NameFR: "Toutes les zones"}

// IsAll reports whether a is the whole of the data.
func (a Area) IsAll() bool { return a.Code == AllAreas.Code }

// Label is the area's name in lang ("fr" or English).
func (a Area) Label(lang string) string {
	if lang == "fr" && a.NameFR != "" {
		return a.NameFR
	}
	return a.Name
}

// InSentence is the area's name inside a sentence: the whole of the data
// in lower case ("no incident in all areas …", "aucun incident dans toutes
// les zones …"), a country as Label. Messages (Msg.Text) name areas so.
func (a Area) InSentence(lang string) string {
	l := a.Label(lang)
	if a.IsAll() && l != "" {
		return strings.ToLower(l[:1]) + l[1:]
	}
	return l
}

// In is the area after "in" in a sentence ({in_area} in the reasons'
// catalog): "in Mali", "in all areas"; in French a country with its
// preposition ("au Mali", "en République centrafricaine", "aux Comores":
// geotext.FrenchInCode, by the area's code), the whole of the data with "dans" ("dans toutes les
// zones").
func (a Area) In(lang string) string {
	if lang == "fr" {
		return geotext.FrenchInCode(a.Code, a.InSentence(lang))
	}
	return "in " + a.InSentence(lang)
}

// country is one row of the country table: code, GW number, English and
// French names, and the other spellings the data uses (UCDP GED's
// "DR Congo (Zaire)", Geo-PKO's "DRC" …).
type country struct {
	iso     string
	gw      int
	en, fr  string
	aliases []string
}

// countries holds the hosts of peace operations since 1989 and their
// neighbours. Add a row to support another country.
var countries = []country{
	{"COD", 490, "Democratic Republic of the Congo", "République démocratique du Congo", []string{"DR Congo (Zaire)", "DR Congo", "DRC", "RDC", "Zaire", "Congo, Democratic Republic of the", "Congo-Kinshasa", "Congo Kinshasa", "Democratic Republic of Congo"}},
	{"CAF", 482, "Central African Republic", "République centrafricaine", []string{"CAR", "RCA", "Centrafrique"}},
	{"SSD", 626, "South Sudan", "Soudan du Sud", []string{"Sud-Soudan", "Republic of South Sudan"}},
	{"SDN", 625, "Sudan", "Soudan", []string{"Republic of the Sudan", "Abyei"}},
	{"MLI", 432, "Mali", "Mali", nil},
	{"SOM", 520, "Somalia", "Somalie", nil},
	{"COG", 484, "Republic of the Congo", "République du Congo", []string{"Congo", "Congo-Brazzaville", "Congo Brazzaville"}},
	{"TCD", 483, "Chad", "Tchad", nil},
	{"CMR", 471, "Cameroon", "Cameroun", nil},
	{"NGA", 475, "Nigeria", "Nigéria", nil},
	{"NER", 436, "Niger", "Niger", nil},
	{"BFA", 439, "Burkina Faso", "Burkina Faso", nil},
	{"CIV", 437, "Côte d'Ivoire", "Côte d'Ivoire", []string{"Ivory Coast", "Cote D'ivoire"}},
	{"LBR", 450, "Liberia", "Libéria", nil},
	{"SLE", 451, "Sierra Leone", "Sierra Leone", nil},
	{"GIN", 438, "Guinea", "Guinée", nil},
	{"GNB", 404, "Guinea-Bissau", "Guinée-Bissau", nil},
	{"SEN", 433, "Senegal", "Sénégal", nil},
	{"MRT", 435, "Mauritania", "Mauritanie", nil},
	{"UGA", 500, "Uganda", "Ouganda", nil},
	{"RWA", 517, "Rwanda", "Rwanda", nil},
	{"BDI", 516, "Burundi", "Burundi", nil},
	{"TZA", 510, "Tanzania", "Tanzanie", []string{"United Republic of Tanzania"}},
	{"KEN", 501, "Kenya", "Kenya", nil},
	{"ETH", 530, "Ethiopia", "Éthiopie", nil},
	{"ERI", 531, "Eritrea", "Érythrée", nil},
	{"DJI", 522, "Djibouti", "Djibouti", nil},
	{"LBY", 620, "Libya", "Libye", nil},
	{"EGY", 651, "Egypt", "Égypte", nil},
	{"MOZ", 541, "Mozambique", "Mozambique", nil},
	{"AGO", 540, "Angola", "Angola", nil},
	{"ZMB", 551, "Zambia", "Zambie", nil},
	{"ESH", 0, "Western Sahara", "Sahara occidental", nil},
	{"HTI", 41, "Haiti", "Haïti", nil},
	{"COL", 100, "Colombia", "Colombie", nil},
	{"CYP", 352, "Cyprus", "Chypre", nil},
	{"XKX", 347, "Kosovo", "Kosovo", nil},
	{"LBN", 660, "Lebanon", "Liban", nil},
	{"SYR", 652, "Syria", "Syrie", []string{"Syrian Arab Republic"}},
	{"ISR", 666, "Israel", "Israël", nil},
	{"IRQ", 645, "Iraq", "Irak", nil},
	{"YEM", 678, "Yemen", "Yémen", []string{"Yemen (North Yemen)"}},
	{"AFG", 700, "Afghanistan", "Afghanistan", nil},
	{"IND", 750, "India", "Inde", nil},
	{"PAK", 770, "Pakistan", "Pakistan", nil},
}

var (
	areaOnce  sync.Once
	areaByKey map[string]Area // folded name, ISO3 or GW number → area
)

func areaIndex() map[string]Area {
	areaOnce.Do(func() {
		areaByKey = map[string]Area{}
		for _, c := range countries {
			a := Area{Code: c.iso, Name: c.en, NameFR: c.fr, GW: c.gw}
			for _, k := range append([]string{c.iso, c.en, c.fr}, c.aliases...) {
				if _, dup := areaByKey[fold(k)]; !dup {
					areaByKey[fold(k)] = a
				}
			}
			if c.gw != 0 {
				areaByKey[strconv.Itoa(c.gw)] = a
			}
		}
	})
	return areaByKey
}

// fold lower-cases s, drops accents and turns punctuation into single
// spaces, so "République Démocratique du Congo" and "republique
// democratique du congo" match.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if f, ok := accentFold[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		if r == '\'' || r == '’' {
			continue // d'Ivoire = divoire
		}
		space = true
	}
	return b.String()
}

var accentFold = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a',
	'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y',
}

// ParseArea resolves an ISO 3166-1 alpha-3 code, a Gleditsch–Ward number
// or a country name in English or French (any case, with or without
// accents; the spellings of UCDP GED and Geo-PKO too); "all" or "" is
// AllAreas. Errors name the value.
func ParseArea(s string) (Area, error) {
	k := fold(s)
	switch {
	case strings.TrimSpace(s) == "" || k == "all" || k == fold(AllAreas.Name) || k == fold(AllAreas.NameFR):
		return AllAreas, nil
	case k == "":
		return Area{}, refuse("err.country-blank", "country", fmt.Sprintf("%q", s))
	}
	if a, ok := areaIndex()[k]; ok {
		return a, nil
	}
	return Area{}, refuse("err.country-unknown", "country", fmt.Sprintf("%q", s))
}

// AreaCode is the ISO 3166-1 alpha-3 code of the country s names (as
// ParseArea reads it); ok is false for "all" and for what names no
// country in the table.
func AreaCode(s string) (code string, ok bool) {
	a, err := ParseArea(s)
	if err != nil || a.IsAll() {
		return "", false
	}
	return a.Code, true
}

// areaOf maps a country field of the data (a name, an ISO3 code or a GW
// number) to its area; ok is false for a country not in the table.
func areaOf(field string) (Area, bool) {
	a, ok := areaIndex()[fold(field)]
	return a, ok
}

// sortAreas orders areas by code.
func sortAreas(as []Area) {
	sort.Slice(as, func(i, j int) bool { return as[i].Code < as[j].Code })
}
