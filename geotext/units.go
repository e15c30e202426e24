package geotext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unitsFR are the French names of the first-level units of the shipped
// gazetteer (demo/data/gazetteer_africa.csv.gz, its admin1_name column)
// whose name there is not the one French writes, by country (ISO 3166
// alpha-3) and the gazetteer's name. A unit French writes as the
// gazetteer does (Nord-Kivu, Ituri, Ouham, Tombouctou, Jonglei, Kassala)
// is not listed: UnitName gives its name as it is.
//
// Sources, in this order: the French names the countries use themselves
// (Cameroon's regions, Côte d'Ivoire's districts, Benin's and the Congo's
// departments, the DR Congo's provinces, Rwanda's provinces, Madagascar's
// Haute Matsiatra, Mauritius's districts); the French documents of the UN
// and OCHA (Darfour-Nord, Kordofan-Sud, Nil Bleu, Équatoria-Central,
// Haut-Nil, Bas-Shabelle, Moyen-Djouba); the titles of French Wikipedia's
// articles on each unit where neither has one (Cap-Oriental, État-Libre,
// Mashonaland oriental, Matabeleland septentrional, Haut-Ghana oriental,
// Mer Rouge septentrionale, Nouvelle-Vallée, Sinaï Nord); the French
// exonyms of the cities that name a unit (Alger, Le Caire, Alexandrie,
// Assouan, Louxor, Addis-Abeba, Syrte, Koufra, Mourzouk, Sebha).
//
// The generic word the gazetteer adds in English (Department, District,
// County, Municipality, region) is left out, as French names the unit
// (« Alibori », « Bomi »); a unit named only by a point of the compass
// (Uganda's Northern region, Zambia's Eastern province) is named as
// Cameroon's are in French: Nord, Est, Centre. One English name is one
// French name in every country (TestUnitNamesOneFrench), so that a name
// alone, without its country, has its French name.
//
// Units kept in English because French writes them so: Gambia's
// divisions (Central River, Lower River, North Bank, Upper River, West
// Coast: « division de Lower River »), Kenya's counties (Tana River, West
// Pokot, Trans Nzoia, Homa Bay), Nigeria's states (Cross River, Rivers),
// Ghana's Bono East and Western North, Zambia's Copperbelt.
var unitsFR = map[string]map[string]string{
	"BEN": {"Alibori Department": "Alibori", "Atakora Department": "Atacora", "Atlantique Department": "Atlantique",
		"Borgou Department": "Borgou", "Collines Department": "Collines", "Donga Department": "Donga",
		"Kouffo Department": "Couffo", "Littoral Department": "Littoral", "Mono Department": "Mono",
		"Ouémé Department": "Ouémé", "Plateau Department": "Plateau", "Zou Department": "Zou"},
	"BWA": {"Central District": "Centre", "City of Francistown": "Francistown", "Ghanzi District": "Ghanzi",
		"Kgalagadi District": "Kgalagadi", "Kgatleng District": "Kgatleng", "Kweneng District": "Kweneng",
		"North-East District": "Nord-Est", "North-West District": "Nord-Ouest", "South-East District": "Sud-Est",
		"Southern District": "Sud"},
	"CIV": {"Bas-Sassandra District": "Bas-Sassandra", "Comoé District": "Comoé", "Denguélé District": "Denguélé",
		"Gôh-Djiboua District": "Gôh-Djiboua", "Lagunes region": "Lagunes", "Montagnes District": "Montagnes",
		"Sassandra-Marahoué District": "Sassandra-Marahoué", "Woroba District": "Woroba"},
	"CMR": {"East": "Est", "Far North": "Extrême-Nord", "North": "Nord", "Northwest": "Nord-Ouest",
		"South": "Sud", "Southwest": "Sud-Ouest", "West": "Ouest"},
	"COD": {"Kasaï Central": "Kasaï-Central", "Kasaï Oriental": "Kasaï-Oriental", "Kongo Central": "Kongo-Central"},
	"COG": {"Bouenza Department": "Bouenza", "Cuvette Department": "Cuvette", "Cuvette-Ouest Department": "Cuvette-Ouest",
		"Kouilou Department": "Kouilou", "Likouala Department": "Likouala", "Lékoumou Department": "Lékoumou",
		"Niari Department": "Niari", "Plateaux Department": "Plateaux", "Pool Department": "Pool",
		"Sangha Department": "Sangha"},
	"CPV": {"Maio Municipality": "Maio", "Ribeira Brava Municipality": "Ribeira Brava"},
	"DZA": {"Algiers": "Alger", "Tipasa": "Tipaza", "Naama": "Naâma"},
	"EGY": {"Alexandria": "Alexandrie", "Aswan": "Assouan", "Asyut": "Assiout", "Beni Suef": "Beni Souef",
		"Cairo": "Le Caire", "Damietta": "Damiette", "Faiyum": "Fayoum", "Giza": "Gizeh", "Ismailia": "Ismaïlia",
		"Kafr el-Sheikh": "Kafr el-Cheikh", "Luxor": "Louxor", "New Valley": "Nouvelle-Vallée",
		"North Sinai": "Sinaï Nord", "Port Said": "Port-Saïd", "Red Sea": "Mer Rouge", "Sharqia": "Charqiya",
		"South Sinai": "Sinaï Sud"},
	"ERI": {"Northern Red Sea": "Mer Rouge septentrionale", "Southern Red Sea": "Mer Rouge méridionale"},
	"ETH": {"Addis Ababa": "Addis-Abeba", "Southern Nations": "Nations, nationalités et peuples du Sud"},
	"GHA": {"Central": "Centre", "Eastern": "Est", "Greater Accra": "Grand Accra", "North East": "Nord-Est",
		"Northern": "Nord", "Savannah": "Savane", "Upper East": "Haut-Ghana oriental",
		"Upper West": "Haut-Ghana occidental", "Western": "Ouest"},
	"GNQ": {"Bioko Norte": "Bioko-Nord", "Bioko Sur": "Bioko-Sud"},
	"KEN": {"Nairobi City": "Nairobi"},
	"LBR": {"Bomi County": "Bomi", "Bong County": "Bong", "Gbarpolu County": "Gbarpolu", "Grand Bassa County": "Grand Bassa",
		"Grand Cape Mount County": "Grand Cape Mount", "Grand Gedeh County": "Grand Gedeh", "Grand Kru County": "Grand Kru",
		"Lofa County": "Lofa", "Margibi County": "Margibi", "Maryland County": "Maryland",
		"Montserrado County": "Montserrado", "River Cess County": "River Cess", "River Gee County": "River Gee",
		"Sinoe County": "Sinoe"},
	"LBY": {"Al Buţnān": "Butnan", "Al Wahat District": "Al Wahat", "Derna District": "Derna", "Ghat District": "Ghat",
		"Jabal al Akhdar": "Djebel Akhdar", "Jabal al Gharbi District": "Djebel Gharbi", "Jufra": "Djoufra",
		"Kufra District": "Koufra", "Marj District": "Marj", "Misrata District": "Misrata", "Murzuq District": "Mourzouk",
		"Nalut District": "Nalout", "Sabha District": "Sebha", "Sirte District": "Syrte", "Tripoli District": "Tripoli",
		"Wadi al Hayaa District": "Wadi al Hayaa", "Wadi al Shatii District": "Wadi al Shatii",
		"Zawiya District": "Zaouïa"},
	"LSO": {"Berea District": "Berea", "Butha-Buthe District": "Butha-Buthe", "Leribe District": "Leribe",
		"Mafeteng District": "Mafeteng", "Maseru District": "Maseru", "Mohale's Hoek District": "Mohale’s Hoek",
		"Mokhotlong District": "Mokhotlong", "Qacha's Nek District": "Qacha’s Nek", "Quthing District": "Quthing",
		"Thaba-Tseka District": "Thaba-Tseka"},
	"MAR": {"Marrakesh-Safi": "Marrakech-Safi", "L'Oriental": "L’Oriental"},
	"MDG": {"Alaotra Mangoro": "Alaotra-Mangoro", "Upper Matsiatra": "Haute Matsiatra"},
	"MUS": {"Flacq District": "Flacq", "Grand Port District": "Grand Port", "Moka District": "Moka",
		"Pamplemousses District": "Pamplemousses", "Plaines Wilhems District": "Plaines-Wilhems",
		"Port Louis District": "Port-Louis", "Rivière Noire District": "Rivière Noire",
		"Rivière du Rempart District": "Rivière du Rempart", "Savanne District": "Savanne"},
	"MWI": {"Central": "Centre", "Northern": "Nord", "Southern": "Sud"},
	"NAM": {"Kavango East": "Kavango-Est", "Kavango West": "Kavango-Ouest"},
	"NGA": {"Abuja Federal Capital Territory": "Territoire fédéral d’Abuja"},
	"RWA": {"Eastern": "Est", "Kigali district": "Kigali", "Northern": "Nord", "Southern": "Sud", "Western": "Ouest"},
	// The Abyei Area, a special administrative area whose status between
	// Sudan and South Sudan is not settled (its sites are SDN in the
	// gazetteer, from Geo-PKO): « zone d’Abyei », lower case within a
	// phrase as French writes « la zone d’Abyei »; see AreaCountry.
	"SDN": {"Abyei Area": "zone d’Abyei", "Blue Nile": "Nil Bleu", "Central Darfur": "Darfour-Central",
		"East Darfur": "Darfour-Oriental", "North Darfur": "Darfour-Nord", "North Kordofan": "Kordofan-Nord",
		"Northern": "Nord", "Red Sea": "Mer Rouge", "River Nile": "Nil", "South Darfur": "Darfour-Sud",
		"South Kordofan": "Kordofan-Sud", "West Darfur": "Darfour-Occidental", "West Kordofan": "Kordofan-Occidental",
		"White Nile": "Nil Blanc"},
	"SLE": {"Eastern": "Est", "North West": "Nord-Ouest", "Northern": "Nord", "Southern": "Sud", "Western Area": "zone de l’Ouest"},
	"SOM": {"Lower Juba": "Bas-Djouba", "Lower Shebelle": "Bas-Shabelle", "Middle Juba": "Moyen-Djouba",
		"Middle Shebelle": "Moyen-Shabelle"},
	"SSD": {"Central Equatoria": "Équatoria-Central", "Eastern Equatoria": "Équatoria-Oriental", "Lakes": "Lacs",
		"Northern Bahr el Ghazal": "Bahr el Ghazal du Nord", "Unity": "Unité", "Upper Nile": "Haut-Nil",
		"Western Bahr el Ghazal": "Bahr el Ghazal occidental", "Western Equatoria": "Équatoria-Occidental"},
	"SWZ": {"Hhohho District": "Hhohho", "Lubombo District": "Lubombo", "Manzini District": "Manzini",
		"Shiselweni District": "Shiselweni"},
	"TUN": {"Kebili": "Kébili", "Kef": "Le Kef", "Medenine": "Médenine"},
	"TZA": {"Pemba North": "Pemba Nord", "Pemba South": "Pemba Sud", "Zanzibar North": "Zanzibar Nord",
		"Zanzibar South": "Zanzibar Sud", "Zanzibar West": "Zanzibar Ouest"},
	"UGA": {"Central": "Centre", "Eastern": "Est", "Northern": "Nord", "Western": "Ouest"},
	"ZAF": {"Eastern Cape": "Cap-Oriental", "Free State": "État-Libre", "North West": "Nord-Ouest",
		"Northern Cape": "Cap-du-Nord", "Western Cape": "Cap-Occidental"},
	"ZMB": {"Central": "Centre", "Eastern": "Est", "Northern": "Nord", "Northwestern": "Nord-Ouest",
		"Southern": "Sud", "Western": "Ouest"},
	"ZWE": {"Mashonaland Central": "Mashonaland central", "Mashonaland East": "Mashonaland oriental",
		"Mashonaland West": "Mashonaland occidental", "Matabeleland North": "Matabeleland septentrional",
		"Matabeleland South": "Matabeleland méridional"},
}

// unitFrench is unitsFR by name alone, for the names that come without
// their country (an event's admin1, a broadcast's area).
var unitFrench = func() map[string]string {
	m := map[string]string{}
	for _, units := range unitsFR {
		for en, fr := range units {
			m[en] = fr
		}
	}
	return m
}()

// unitGeneric are the words a source adds after a unit's name ("North
// Darfur state" in UCDP GED, "Kufra District"), tried without them when
// the whole name is not one of unitsFR's.
var unitGeneric = []string{" state", " province", " region", " district", " county", " department", " division", " governorate", " municipality"}

// UnitName is a first-level unit's name in lang ("fr": French, unitsFR),
// also when a source writes it with a generic word after it ("North
// Darfur state": Darfour-Nord); the name as given otherwise, and for
// every unit whose name French writes the same (Nord-Kivu, Ituri).
func UnitName(name, lang string) string {
	if len(lang) < 2 || !strings.EqualFold(lang[:2], "fr") {
		return name
	}
	if f, ok := unitFrench[name]; ok {
		return f
	}
	low := strings.ToLower(name)
	for _, g := range unitGeneric {
		if strings.HasSuffix(low, g) {
			if f, ok := unitFrench[strings.TrimSpace(name[:len(name)-len(g)])]; ok {
				return f
			}
		}
	}
	return name
}

// unitEnglish is the gazetteer's name of the unit of country iso3 whose
// French name is fr ("" when fr is none of unitsFR's).
func unitEnglish(iso3, fr string) string {
	for en, f := range unitsFR[iso3] {
		if f == fr {
			return en
		}
	}
	return ""
}

// abyeiCountries names the Abyei Area's country: its status between Sudan
// and South Sudan is not settled, so a place there is named with both,
// never one ("Agok, Abyei Area (Sudan / South Sudan)", « Agok, zone
// d’Abyei (Soudan / Soudan du Sud) »). Its codes are Sudan's, as the
// gazetteer records the area's places (Geo-PKO's "Sudan").
var abyeiCountries = &Country{ISO2: "SD", ISO3: "SDN", EN: "Sudan / South Sudan", FR: "Soudan / Soudan du Sud"}

// AreaCountry is the country to name for a place in the first-level unit
// admin1 of the country of ISO code code: CountryByCode's, except in the
// Abyei Area (abyeiCountries), whatever code the source gave it; nil for
// a code it does not know.
func AreaCountry(admin1, code string) *Country {
	if unitFold(strings.TrimSuffix(strings.TrimSpace(admin1), " Area")) == "abyei" || admin1 == "zone d’Abyei" {
		return abyeiCountries
	}
	return CountryByCode(code)
}

// upperFirst is s with its first letter in upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
