package geotext

import "strings"

// Country is one country's codes and its English and French names.
type Country struct {
	ISO2, ISO3 string
	EN, FR     string
	Alt        []string // other spellings people write (EN and FR)
}

// Countries lists the countries of Africa the shipped gazetteer covers, with
// English and French names (the UN's short forms).
var Countries = []Country{
	{"DZ", "DZA", "Algeria", "Algérie", nil},
	{"AO", "AGO", "Angola", "Angola", nil},
	{"BJ", "BEN", "Benin", "Bénin", nil},
	{"BW", "BWA", "Botswana", "Botswana", nil},
	{"BF", "BFA", "Burkina Faso", "Burkina Faso", nil},
	{"BI", "BDI", "Burundi", "Burundi", nil},
	{"CV", "CPV", "Cabo Verde", "Cabo Verde", []string{"Cape Verde", "Cap-Vert"}},
	{"CM", "CMR", "Cameroon", "Cameroun", nil},
	{"CF", "CAF", "Central African Republic", "République centrafricaine", []string{"CAR", "RCA", "Centrafrique"}},
	{"TD", "TCD", "Chad", "Tchad", nil},
	{"KM", "COM", "Comoros", "Comores", nil},
	{"CG", "COG", "Congo", "Congo", []string{"Republic of the Congo", "République du Congo", "Congo-Brazzaville"}},
	{"CD", "COD", "DR Congo", "RD Congo", []string{"Democratic Republic of the Congo", "République démocratique du Congo", "RDC", "DRC", "Congo-Kinshasa"}},
	{"CI", "CIV", "Côte d'Ivoire", "Côte d'Ivoire", []string{"Ivory Coast"}},
	{"DJ", "DJI", "Djibouti", "Djibouti", nil},
	{"EG", "EGY", "Egypt", "Égypte", nil},
	{"GQ", "GNQ", "Equatorial Guinea", "Guinée équatoriale", nil},
	{"ER", "ERI", "Eritrea", "Érythrée", nil},
	{"SZ", "SWZ", "Eswatini", "Eswatini", []string{"Swaziland"}},
	{"ET", "ETH", "Ethiopia", "Éthiopie", nil},
	{"GA", "GAB", "Gabon", "Gabon", nil},
	{"GM", "GMB", "Gambia", "Gambie", nil},
	{"GH", "GHA", "Ghana", "Ghana", nil},
	{"GN", "GIN", "Guinea", "Guinée", nil},
	{"GW", "GNB", "Guinea-Bissau", "Guinée-Bissau", nil},
	{"KE", "KEN", "Kenya", "Kenya", nil},
	{"LS", "LSO", "Lesotho", "Lesotho", nil},
	{"LR", "LBR", "Liberia", "Libéria", nil},
	{"LY", "LBY", "Libya", "Libye", nil},
	{"MG", "MDG", "Madagascar", "Madagascar", nil},
	{"MW", "MWI", "Malawi", "Malawi", nil},
	{"ML", "MLI", "Mali", "Mali", nil},
	{"MR", "MRT", "Mauritania", "Mauritanie", nil},
	{"MU", "MUS", "Mauritius", "Maurice", nil},
	{"MA", "MAR", "Morocco", "Maroc", nil},
	{"MZ", "MOZ", "Mozambique", "Mozambique", nil},
	{"NA", "NAM", "Namibia", "Namibie", nil},
	{"NE", "NER", "Niger", "Niger", nil},
	{"NG", "NGA", "Nigeria", "Nigéria", nil},
	{"RW", "RWA", "Rwanda", "Rwanda", nil},
	{"ST", "STP", "Sao Tome and Principe", "Sao Tomé-et-Principe", nil},
	{"SN", "SEN", "Senegal", "Sénégal", nil},
	{"SC", "SYC", "Seychelles", "Seychelles", nil},
	{"SL", "SLE", "Sierra Leone", "Sierra Leone", nil},
	{"SO", "SOM", "Somalia", "Somalie", nil},
	{"ZA", "ZAF", "South Africa", "Afrique du Sud", nil},
	{"SS", "SSD", "South Sudan", "Soudan du Sud", []string{"Sud-Soudan"}},
	{"SD", "SDN", "Sudan", "Soudan", nil},
	{"TZ", "TZA", "Tanzania", "Tanzanie", nil},
	{"TG", "TGO", "Togo", "Togo", nil},
	{"TN", "TUN", "Tunisia", "Tunisie", nil},
	{"UG", "UGA", "Uganda", "Ouganda", nil},
	{"EH", "ESH", "Western Sahara", "Sahara occidental", nil},
	{"ZM", "ZMB", "Zambia", "Zambie", nil},
	{"ZW", "ZWE", "Zimbabwe", "Zimbabwe", nil},
}

var countryByCode = func() map[string]*Country {
	m := map[string]*Country{}
	for i := range Countries {
		c := &Countries[i]
		m[c.ISO2], m[c.ISO3] = c, c
	}
	return m
}()

// CountryByCode returns the country of an ISO 3166 alpha-2 or alpha-3 code
// (any case), or nil.
func CountryByCode(code string) *Country {
	return countryByCode[strings.ToUpper(strings.TrimSpace(code))]
}

// CountryNamed returns the country named s — its ISO code, its English or
// French name or another spelling, in any case and with or without
// accents, also with a former name in brackets as UCDP GED writes it
// ("DR Congo (Zaire)") — or nil.
func CountryNamed(s string) *Country {
	if c := CountryByCode(s); c != nil {
		return c
	}
	if c := countryByName(s); c != nil {
		return c
	}
	if i := strings.IndexByte(s, '('); i > 0 {
		return countryByName(s[:i])
	}
	return nil
}

// FrenchName is the French name of the country named name (see
// CountryNamed), or "" for a country it does not know.
func FrenchName(name string) string {
	if c := CountryNamed(name); c != nil {
		return c.FR
	}
	return ""
}

// Name is the country's name in lang ("fr" for French, English otherwise).
func (c *Country) Name(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "fr") {
		return c.FR
	}
	return c.EN
}

var countryByLabel = func() map[string]*Country { // by its English and its French name, as written
	m := map[string]*Country{abyeiCountries.EN: abyeiCountries, abyeiCountries.FR: abyeiCountries}
	for i := range Countries {
		m[Countries[i].EN], m[Countries[i].FR] = &Countries[i], &Countries[i]
	}
	return m
}()

// CountriesIn is s with each country written in brackets by its English
// or French name, as Place.Describe writes it ("Djugu, Ituri (DR Congo)"),
// named in lang instead ("fr": "(RD Congo)"), and the first-level unit
// of that country written just before it too (« Afgooye, Bas-Shabelle
// (Somalie) »; a place of the Abyei Area names both countries,
// AreaCountry). Texts stored in one language (an alert's location note, a
// place chosen on a French page) are so shown in the reader's; other
// brackets are left as they are.
func CountriesIn(s, lang string) string {
	var b strings.Builder
	for {
		j := strings.IndexByte(s, ')')
		if j < 0 {
			break
		}
		i := strings.LastIndexByte(s[:j], '(') // the innermost brackets
		before, inner := s[:i+1], s[i+1:j]
		if c := countryByLabel[inner]; c != nil && i >= 0 {
			before, c = unitIn(s[:i], c, lang)
			inner = c.Name(lang)
		}
		b.WriteString(before)
		b.WriteString(inner)
		b.WriteByte(')')
		s = s[j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// unitIn is text before a country c in brackets, "… UNIT (", with UNIT —
// what follows the last comma, semicolon or colon, or the whole text —
// named in lang where it is one of c's first-level units in English or
// in French; and the country to name (AreaCountry's: both in the Abyei
// Area).
func unitIn(text string, c *Country, lang string) (string, *Country) {
	head, unit := "", strings.TrimSuffix(text, " ")
	if k := strings.LastIndexAny(unit, ",;:("); k >= 0 {
		head, unit = unit[:k+1], unit[k+1:]
	}
	lead := unit[:len(unit)-len(strings.TrimLeft(unit, " "))]
	unit = unit[len(lead):]
	if a := AreaCountry(unit, c.ISO3); a == abyeiCountries {
		c = a // whichever country a note gave it
	}
	en := unit
	if _, ok := unitsFR[c.ISO3][unit]; !ok {
		en = unitEnglish(c.ISO3, unit)
	}
	if en == "" {
		return text + "(", c
	}
	name := en
	if strings.HasPrefix(strings.ToLower(lang), "fr") {
		name = unitsFR[c.ISO3][en]
		if head == "" {
			name = upperFirst(name)
		}
	}
	return head + lead + name + text[len(strings.TrimSuffix(text, " ")):] + "(", c
}
