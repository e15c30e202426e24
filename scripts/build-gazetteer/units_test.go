package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// writeJSON writes v as JSON to a file of t's temporary directory.
func writeJSON(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadStatesGeoNamesNames: a town's unit is the one GeoNames names its
// admin-1 code for, the package's where it has one of that name, else a unit
// of GeoNames' name, and never a unit of another level named after the
// seat. Real units, towns and codes: country-state-city 3.2.1's rows,
// GeoNames' cities1000 towns and admin1CodesASCII.txt names. Before, Cape
// Town, Antsirabe, Béja and Nabeul had no unit (the package's Western Cape
// centre is 327 km from Cape Town; Madagascar's provinces were taken by the
// regions whose seats they are named after; the package names Béja's code
// Kassrine and lacks Nabeul), Antananarivo had the former province, Man the
// older region Dix-Huit Montagnes.
func TestReadStatesGeoNamesNames(t *testing.T) {
	states := []map[string]string{
		{"name": "Western Cape", "isoCode": "WC", "countryCode": "ZA", "latitude": "-33.22779180", "longitude": "21.85685860"},
		{"name": "Antananarivo Province", "isoCode": "T", "countryCode": "MG", "latitude": "-18.70514740", "longitude": "46.82528380"},
		{"name": "Kassrine", "isoCode": "31", "countryCode": "TN", "latitude": "35.17227160", "longitude": "8.83076260"},
		{"name": "Kasserine Governorate", "isoCode": "42", "countryCode": "TN", "latitude": "35.08091480", "longitude": "8.66005860"},
		{"name": "Dix-Huit Montagnes", "isoCode": "06", "countryCode": "CI", "latitude": "7.37623730", "longitude": "-7.43813550"},
		{"name": "Bas-Sassandra Region", "isoCode": "09", "countryCode": "CI", "latitude": "5.35679160", "longitude": "-6.74939930"},
		{"name": "Bas-Sassandra District", "isoCode": "BS", "countryCode": "CI", "latitude": "5.27983560", "longitude": "-6.15269850"},
		{"name": "Montagnes District", "isoCode": "MG", "countryCode": "CI", "latitude": "7.37623730", "longitude": "-7.43813550"},
	}
	cities := [][5]string{
		{"Cape Town", "ZA", "WC", "-33.92584000", "18.42322000"},
		{"Béja", "TN", "31", "36.72564000", "9.18169000"},
		{"Man", "CI", "06", "7.41251000", "-7.55383000"},
		{"San-Pédro", "CI", "BS", "4.76768000", "-6.65033000"},
		{"Sassandra", "CI", "BS", "4.95384000", "-6.08531000"},
	}
	geonames := map[string][]string{
		"ZAF.11": {"Western Cape"}, "MDG.11": {"Analamanga"}, "MDG.12": {"Vakinankaratra"},
		"TUN.17": {"Béja Governorate", "Beja Governorate"}, "TUN.19": {"Nabeul Governorate"},
		"CIV.76": {"Bas-Sassandra"}, "CIV.78": {"Montagnes"},
	}
	towns := []entry{
		{name: "Cape Town", country: "ZAF", a1code: "11", feature: "PPLA", lat: -33.92584, lon: 18.42322},
		{name: "Antananarivo", country: "MDG", a1code: "11", feature: "PPLC", lat: -18.91368, lon: 47.53613},
		{name: "Antsirabe", country: "MDG", a1code: "12", feature: "PPLA", lat: -19.86586, lon: 47.03333},
		{name: "Béja", country: "TUN", a1code: "17", feature: "PPLA", lat: 36.72564, lon: 9.18169},
		{name: "Nabeul", country: "TUN", a1code: "19", feature: "PPLA", lat: 36.45606, lon: 10.73763},
		{name: "Man", country: "CIV", a1code: "78", feature: "PPLA", lat: 7.41251, lon: -7.55383},
		{name: "San-Pédro", country: "CIV", a1code: "76", feature: "PPLA", lat: 4.74851, lon: -6.6363},
		{name: "Sassandra", country: "CIV", a1code: "76", feature: "PPL", lat: 4.95384, lon: -6.08531},
	}
	units, err := readStates(writeJSON(t, "state.json", states), writeJSON(t, "city.json", cities), towns, geonames)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Cape Town":    "Western Cape",
		"Antananarivo": "Analamanga",     // not the former Antananarivo Province
		"Antsirabe":    "Vakinankaratra", // none before
		"Béja":         "Béja",           // not the package's Kassrine
		"Nabeul":       "Nabeul",         // the package has no Nabeul
		"Man":          "Montagnes District",
		"San-Pédro":    "Bas-Sassandra District", // two units of GeoNames' name: the one the package lists the seat in
		"Sassandra":    "Bas-Sassandra District",
	}
	for _, tw := range towns {
		if tw.admin1 != want[tw.name] {
			t.Errorf("%s (%s.%s): unit %q, want %q", tw.name, tw.country, tw.a1code, tw.admin1, want[tw.name])
		}
	}
	var names []string
	for _, u := range units {
		names = append(names, u.country+" "+u.name)
	}
	if got, w := strings.Join(names, ", "), "CIV Bas-Sassandra District, CIV Montagnes District, MDG Analamanga, MDG Vakinankaratra, TUN Béja, TUN Nabeul, ZAF Western Cape"; got != w {
		t.Errorf("units %s, want %s", got, w)
	}
}

// TestFillAdmin1: a place that is not a town has the unit its source names
// where that is a unit of the gazetteer (its second-level unit first, then
// its first-level unit, either by GeoNames' name of a town's code), else the
// nearest named town's. Real UCDP GED rows: Kapedo ("Baringo county",
// "Tiaty constituency") is nearest to Kapsowar (Elgeyo-Marakwet), and had
// its unit before; Mogila ("Rift Valley province", "Turkana district") is
// in Turkana county; Kizuka ("Bururi province", "Rumonge commune") in
// Rumonge province since 2015.
func TestFillAdmin1(t *testing.T) {
	es := []entry{
		{kind: "admin1", name: "Baringo", country: "KEN", admin1: "Baringo"},
		{kind: "admin1", name: "Elgeyo-Marakwet", country: "KEN", admin1: "Elgeyo-Marakwet"},
		{kind: "admin1", name: "Turkana", country: "KEN", admin1: "Turkana"},
		{kind: "admin1", name: "Oromia", country: "ETH", admin1: "Oromia"},
		{kind: "admin1", name: "Bururi", country: "BDI", admin1: "Bururi"},
		{kind: "admin1", name: "Rumonge", country: "BDI", admin1: "Rumonge"},
		{kind: "town", name: "Kapsowar", country: "KEN", a1code: "14", admin1: "Elgeyo-Marakwet", lat: 0.9789, lon: 35.55854},
		{kind: "town", name: "Kabarnet", country: "KEN", a1code: "10", admin1: "Baringo", lat: 0.49194, lon: 35.74303},
		{kind: "town", name: "Lodwar", country: "KEN", a1code: "51", admin1: "Turkana", lat: 3.11988, lon: 35.59642},
		{kind: "town", name: "Jimma", country: "ETH", a1code: "51", admin1: "Oromia", lat: 7.67344, lon: 36.83441},
		{kind: "locality", name: "Kapedo", country: "KEN", admin1: "Baringo", admin2: "Tiaty constituency", lat: 1.16922, lon: 36.09549},
		{kind: "admin2", name: "Tiaty constituency", country: "KEN", admin1: "Baringo", admin2: "Tiaty constituency", lat: 1.16922, lon: 36.09549},
		{kind: "locality", name: "Mogila", country: "KEN", admin1: "Rift Valley", admin2: "Turkana", lat: 4.47556, lon: 34.38278},
		{kind: "locality", name: "Kizuka", country: "BDI", admin1: "Bururi", admin2: "Rumonge", lat: -3.85778, lon: 29.38694},
		{kind: "locality", name: "Ch'obi", country: "ETH", admin1: "Oromiya", admin2: "West Shewa zone", lat: 9.33333, lon: 37.95},
		{kind: "deployment", name: "Kapsowar camp", country: "KEN", lat: 1.0, lon: 35.56},
		{kind: "locality", name: "Elgon", country: "KEN", admin1: "Western", lat: 0.8, lon: 35.6},
	}
	geonames := map[string][]string{"KEN.14": {"Elegeyo-Marakwet"}, "ETH.51": {"Oromiya"}}
	fillAdmin1(es, unitNames(es, geonames))
	want := map[string]string{
		"Kapedo":             "Baringo",
		"Tiaty constituency": "Baringo",
		"Mogila":             "Turkana",
		"Kizuka":             "Rumonge",
		"Ch'obi":             "Oromia",
		"Kapsowar camp":      "Elgeyo-Marakwet", // names none: the nearest town's
		"Elgon":              "Elgeyo-Marakwet", // not a unit of the gazetteer: the nearest town's
	}
	wantUnits(t, es, want)
}

// TestReadGeoNamesAdmin1 reads the copy the builder ships and says the line
// of a bad row.
func TestReadGeoNamesAdmin1(t *testing.T) {
	m, err := readGeoNamesAdmin1("admin1CodesASCII_africa.txt")
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range map[string]string{"MDG.12": "Vakinankaratra", "TUN.19": "Nabeul Governorate", "KEN.14": "Elegeyo-Marakwet", "ZAF.11": "Western Cape"} {
		if got := m[k]; len(got) == 0 || got[0] != w {
			t.Errorf("%s: %q, want %q first", k, got, w)
		}
	}
	p := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(p, []byte("# header\nMG.12\tVakinankaratra\tVakinankaratra\t7670854\nMG13 Itasy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readGeoNamesAdmin1(p); err == nil || !strings.Contains(err.Error(), "bad.txt:3:") {
		t.Errorf("bad row: error %v, want one naming line 3", err)
	}
}

// TestFillTownAdmin1: a town no named group covers takes the unit of the
// named towns of its country within 50 km when they have one unit; not
// between units, alone, across a border, or under a split code.
// Coordinates of real towns (GeoNames cities1000).
func TestFillTownAdmin1(t *testing.T) {
	town := func(name, country, a1code, admin1 string, lat, lon float64) entry {
		return entry{name: name, kind: "town", country: country, a1code: a1code, admin1: admin1, lat: lat, lon: lon}
	}
	for _, c := range []struct {
		name string
		es   []entry
		want string // the first entry's unit after
	}{
		{"named neighbours of one unit", []entry{town("Kurametsi", "BWA", "", "", -23.4, 27.06667),
			town("Makwata", "BWA", "01", "Central District", -23.28, 26.85), town("Mahalapye", "BWA", "01", "Central District", -23.10487, 26.81421)}, "Central District"},
		{"between units", []entry{town("Nouakchott", "MRT", "", "", 18.08581, -15.9785),
			town("Tevragh Zeina", "MRT", "13", "Nouakchott-Ouest", 18.0994, -15.9779), town("Arafat", "MRT", "15", "Nouakchott-Sud", 18.05, -15.96)}, ""},
		{"alone (the nearest 84 km away)", []entry{town("Figuig (Centre)", "MAR", "", "", 32.10891, -1.22855),
			town("Bouarfa", "MAR", "02", "L'Oriental", 32.51165, -1.96216)}, ""},
		{"a neighbour of another country", []entry{town("Darkton", "SWZ", "", "", -26.23333, 31.03333),
			town("Barberton", "ZAF", "06", "Mpumalanga", -25.78695, 31.05311)}, ""},
		{"a split code", []entry{town("Ifatsy", "MDG", "23", "", -22.4, 47.75),
			town("Manato", "MDG", "25", "Atsimo-Atsinanana", -22.26, 47.88)}, ""},
		{"a named town keeps its unit", []entry{town("Makwata", "BWA", "01", "Central District", -23.28, 26.85),
			town("Mochudi", "BWA", "05", "Kgatleng District", -24.38, 26.15)}, "Central District"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fillTownAdmin1(c.es)
			if got := c.es[0].admin1; got != c.want {
				t.Errorf("%s: unit %q, want %q", c.es[0].name, got, c.want)
			}
		})
	}
}

// TestReadGeoPKOSudan: a Geo-PKO site is in the country of its point's
// first-level unit between Sudan and South Sudan (UNMIS's Juba, recorded
// "Sudan", is South Sudan's; UNISFA's Agok, in South Kordufan, Sudan's),
// in its record's elsewhere (Mobaye's cell is mostly DR Congo's, Ezo's
// the Central African Republic's; Kurmuk's point falls in Ethiopia's
// Benishangul-Gumuz) and without a unit.
func TestReadGeoPKOSudan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "geopko.csv")
	in := `"mission","location","country","latitude","longitude","adm1.name"
"UNMIS","Juba","Sudan",4.845972,31.601203,"Central Equatoria"
"UNMISS","Juba","South Sudan",4.845972,31.601203,"Central Equatoria"
"UNISFA","Agok","Sudan",9.357486,28.582579,"South Kordufan"
"MINUSCA","Mobaye","Central African Republic",4.31902,21.17861,"Basse-Kotto"
"UNMISS","Ezo","South Sudan",5.066667,27.45,"West Equatoria"
"UNMIS","Kurmuk","Sudan",10.55,34.283333,"Benshangul-Gumaz"
"UNMIS","Nowhere","Sudan",9.5,30.5,""
`
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	es, err := readGeoPKO(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.name+" "+e.country)
	}
	want := []string{"Juba SSD", "Agok SDN", "Mobaye CAF", "Ezo SSD", "Kurmuk SDN", "Nowhere SDN"}
	if !slices.Equal(got, want) {
		t.Errorf("sites %q, want %q", got, want)
	}
}

// TestReadGeoPKOCountries: every country spelling of Geo-PKO's files is
// read (its "DRC" as DR Congo: before, the generator dropped all of
// MONUC's and MONUSCO's sites, Bunia, Beni, Goma among them), a site of a
// country outside Africa or of UNMEE's "Ethiopia/Eritrea", which the
// record cannot place in one country, is left out, and a spelling the
// generator does not know is an error naming the file, line and value.
func TestReadGeoPKOCountries(t *testing.T) {
	tests := []struct {
		name, rows string
		want       []string
		err        string
	}{
		{name: "every spelling", rows: `"MONUSCO","Bunia","DRC",1.5667,30.25,"Ituri"
"MONUSCO","Goma","DRC",-1.679444,29.233889,"Nord-Kivu"
"MINUSMA","Gao","Mali",16.2667,-0.05,"Gao"
"MINUSCA","Bria","Central African Republic",6.5333,21.9833,"Haute-Kotto"
"UNSOM","Mogadishu","Somalia",2.0333,45.35,"Banadir"
"UNOCI","Bouaké","Ivory Coast",7.6833,-5.0333,""
"MINURSO","Smara","Western Sahara",26.7333,-11.6833,""
"UNIFIL","Naqoura","Lebanon",33.1181,35.1392,""
"UNMEE","Adigrat","Ethiopia/Eritrea",14.2772,39.4619,""
`, want: []string{"Bunia COD", "Goma COD", "Gao MLI", "Bria CAF", "Mogadishu SOM", "Bouaké CIV", "Smara ESH"}},
		{name: "unknown spelling", rows: `"MONUSCO","Bunia","DRC",1.5667,30.25,"Ituri"
"MONUSCO","Beni","Congo-Kinshasa",0.4911,29.4731,"Nord-Kivu"
`, err: `geopko.csv:3: unknown country "Congo-Kinshasa"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "geopko.csv")
			in := `"mission","location","country","latitude","longitude","adm1.name"` + "\n" + tt.rows
			if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
				t.Fatal(err)
			}
			es, err := readGeoPKO(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.name+" "+e.country)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sites %q, want %q", got, tt.want)
			}
		})
	}
}

// TestReadGeoPKOSharedData: the generator knows every country spelling of
// the real Geo-PKO files (the deployments it reads and the v2.3 summary of
// all missions), and reads the deployments' DR Congo sites.
func TestReadGeoPKOSharedData(t *testing.T) {
	for _, f := range []string{"geopko/geopko_v2x_deployments_6countries_1994_2020.csv", "geopko/geopko_v2.3_frontmap_1994_2024.csv"} {
		es, err := readGeoPKO(shareddata.Path(t, f))
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, e := range es {
			n[e.country]++
		}
		for _, c := range []string{"COD", "SDN", "SSD", "MLI", "CAF", "SOM"} {
			if n[c] == 0 {
				t.Errorf("%s: no sites in %s (%v)", f, c, n)
			}
		}
	}
}

// TestFillAdmin1GeoPKOUnits: a Geo-PKO site has the unit Geo-PKO puts its
// point in (adm1.name) where that is one of the gazetteer's (Rutshuru's
// Nord-Kivu); where it is one of DR Congo's provinces before 2015, split
// since (Orientale, Katanga …), the nearest named town's among the units
// it was split into: Mambasa (Orientale) is nearest to Beni in Nord-Kivu,
// but in Ituri, as Bunia. A site no such town is near has no unit, never
// Geo-PKO's former province (a site at Kanuka's point, in Katanga, not
// listed in siteUnits as Kanuka now is). Real Geo-PKO v2.x rows and
// GeoNames towns.
func TestFillAdmin1GeoPKOUnits(t *testing.T) {
	es := []entry{
		{kind: "admin1", name: "Nord-Kivu", country: "COD", admin1: "Nord-Kivu"},
		{kind: "admin1", name: "Ituri", country: "COD", admin1: "Ituri"},
		{kind: "admin1", name: "Haut-Katanga", country: "COD", admin1: "Haut-Katanga"},
		{kind: "town", name: "Beni", country: "COD", a1code: "11", admin1: "Nord-Kivu", lat: 0.49113, lon: 29.47306},
		{kind: "town", name: "Bunia", country: "COD", a1code: "17", admin1: "Ituri", lat: 1.55941, lon: 30.25224},
		{kind: "deployment", name: "Mambasa", country: "COD", admin1: "Orientale", lat: 1.3622, lon: 29.03596},
		{kind: "deployment", name: "Rutshuru", country: "COD", admin1: "Nord-Kivu", lat: -1.18417, lon: 29.44889},
		{kind: "deployment", name: "Kanuka (not listed)", country: "COD", admin1: "Katanga", lat: -8.16699, lon: 27.20908},
	}
	fillAdmin1(es, unitNames(es, nil))
	want := map[string]string{"Mambasa": "Ituri", "Rutshuru": "Nord-Kivu", "Kanuka (not listed)": ""}
	wantUnits(t, es, want)
}

// TestFillAdmin1SiteUnits: a Geo-PKO site listed in siteUnits has the unit
// of its territory or locality, whatever Geo-PKO's former unit or the
// nearest town says: Aru (Geo-PKO: Orientale) is nearest to Watsa in
// Haut-Uélé but in Ituri's Aru territory; Pweto (Katanga) has no town
// within 150 km but is the seat of Haut-Katanga's Pweto territory;
// Forobaranga is nearest to Zalingei (Central Darfur) but in West Darfur.
// A site not listed keeps the nearest town's unit. Real Geo-PKO v2.x rows
// and GeoNames towns.
func TestFillAdmin1SiteUnits(t *testing.T) {
	es := []entry{
		{kind: "admin1", name: "Ituri", country: "COD", admin1: "Ituri"},
		{kind: "admin1", name: "Haut-Uélé", country: "COD", admin1: "Haut-Uélé"},
		{kind: "admin1", name: "Haut-Katanga", country: "COD", admin1: "Haut-Katanga"},
		{kind: "admin1", name: "Central Darfur", country: "SDN", admin1: "Central Darfur"},
		{kind: "admin1", name: "West Darfur", country: "SDN", admin1: "West Darfur"},
		{kind: "town", name: "Watsa", country: "COD", a1code: "16", admin1: "Haut-Uélé", lat: 3.03716, lon: 29.53551},
		{kind: "town", name: "Zalingei", country: "SDN", a1code: "61", admin1: "Central Darfur", lat: 12.90918, lon: 23.47058},
		{kind: "deployment", name: "Aru", country: "COD", admin1: "Orientale", lat: 2.86667, lon: 30.85},
		{kind: "deployment", name: "Dungu", country: "COD", admin1: "Orientale", lat: 3.61667, lon: 28.56667},
		{kind: "deployment", name: "Pweto", country: "COD", admin1: "Katanga", lat: -8.46667, lon: 28.9},
		{kind: "deployment", name: "Forobaranga", country: "SDN", lat: 12.11667, lon: 22.6},
		{kind: "deployment", name: "Nertiti", country: "SDN", lat: 12.96325, lon: 24.04764},
	}
	fillAdmin1(es, unitNames(es, nil))
	want := map[string]string{"Aru": "Ituri", "Dungu": "Haut-Uélé", "Pweto": "Haut-Katanga", "Forobaranga": "West Darfur", "Nertiti": "Central Darfur"}
	wantUnits(t, es, want)
}

// TestSiteUnitsAreUnits: every unit siteUnits and townUnits name is one of the
// gazetteer's (the shipped file's admin1 rows), so a misspelling cannot
// slip a unit the gazetteer lacks into the labels.
func TestSiteUnitsAreUnits(t *testing.T) {
	f, err := os.Open("../../demo/data/gazetteer_africa.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := geotext.LoadGazetteer(zr, "gazetteer_africa.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]bool{}
	for _, p := range g.Places {
		if p.Kind == "admin1" {
			units[p.Country+"|"+p.Name] = true
		}
	}
	for k, u := range siteUnits {
		country, _, _ := strings.Cut(k, "|")
		if !units[country+"|"+u] {
			t.Errorf("siteUnits[%q] = %q: not a unit of the gazetteer", k, u)
		}
	}
	// townUnits' too; Western Sahara's are Morocco's, where they are
	// administered (the territory has no units of its own).
	for k, u := range townUnits {
		country, _, _ := strings.Cut(k, "|")
		if country == "ESH" {
			country = "MAR"
		}
		if !units[country+"|"+u] {
			t.Errorf("townUnits[%q] = %q: not a unit of the gazetteer", k, u)
		}
	}
}

// wantUnits checks the unit of each entry want names.
func wantUnits(t *testing.T, es []entry, want map[string]string) {
	t.Helper()
	for _, e := range es {
		if w, ok := want[e.name]; ok && e.admin1 != w {
			t.Errorf("%s %s (%s): unit %q, want %q", e.kind, e.name, e.country, e.admin1, w)
		}
	}
}

// TestSetTownUnits: a town townUnits lists has its unit whatever its
// GeoNames code gave (Bongandanga: Sud-Ubangi's code, in Mongala; Manakara:
// the split MG.23's, none), Madagascar's new regions are added at their
// seats and Mongala is moved to its seat, Western Sahara's towns take the region they are administered in
// (one of Morocco's units), and a table row that names no town is an
// error. Real GeoNames towns.
func TestSetTownUnits(t *testing.T) {
	town := func(name, country, a1code, admin1 string, lat, lon float64) entry {
		return entry{name: name, kind: "town", country: country, a1code: a1code, admin1: admin1, lat: lat, lon: lon}
	}
	all := func() []entry {
		var es []entry
		for k := range townUnits {
			country, name, _ := strings.Cut(k, "|")
			es = append(es, town(name, country, "", "", 0, 0))
		}
		return es
	}
	admins := []entry{
		{kind: "admin1", name: "Mongala", country: "COD", lat: 2.18771, lon: 22.46827}, {kind: "admin1", name: "Sud-Ubangi", country: "COD"},
		{kind: "admin1", name: "Lomami", country: "COD"}, {kind: "admin1", name: "Laâyoune-Sakia El Hamra", country: "MAR"},
		{kind: "admin1", name: "Dakhla-Oued Ed-Dahab", country: "MAR"}, {kind: "admin1", name: "Nouakchott-Ouest", country: "MRT"},
		{kind: "admin1", name: "Moka District", country: "MUS"}, {kind: "admin1", name: "Hhohho District", country: "SWZ"},
		{kind: "admin1", name: "Southern District", country: "BWA"}, {kind: "admin1", name: "L'Oriental", country: "MAR"},
	}
	es := all()
	for i := range es {
		switch es[i].name {
		case "Bongandanga":
			es[i] = town("Bongandanga", "COD", "28", "Sud-Ubangi", 1.50695, 21.0726)
		case "Manakara":
			es[i] = town("Manakara", "MDG", "23", "", -22.14862, 48.01055)
		case "Lisala":
			es[i] = town("Lisala", "COD", "02", "Équateur", 2.15127, 21.51672)
		}
	}
	got, err := setTownUnits(es, slices.Clone(admins))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Bongandanga": "Mongala", "Lisala": "Mongala", "Manakara": "Fitovinany", "Laayoune": "Laâyoune-Sakia El Hamra", "Vohimanitra": "Fitovinany", "Mananjary": "Vatovavy"}
	wantUnits(t, es, want)
	var added []string
	for _, a := range got[len(admins):] {
		added = append(added, fmt.Sprintf("%s %s %.2f,%.2f", a.country, a.name, a.lat, a.lon))
	}
	if w := []string{"MDG Fitovinany -22.15,48.01", "MDG Vatovavy 0.00,0.00"}; !slices.Equal(added, w) {
		t.Errorf("units added %q, want %q", added, w)
	}
	if a := got[0]; a.name != "Mongala" || a.lat != 2.15127 || a.lon != 21.51672 {
		t.Errorf("Mongala at %.5f,%.5f (Bumba's before), want its seat Lisala's", a.lat, a.lon)
	}

	for name, tc := range map[string]struct {
		es     []entry
		admins []entry
		err    string
	}{
		"a row names no town": {es: all()[1:], admins: admins, err: "no such town"},
		"not a unit": {es: all(), admins: slices.DeleteFunc(slices.Clone(admins), func(a entry) bool { return a.name == "Nouakchott-Ouest" }),
			err: `not a unit of MRT`},
	} {
		t.Run(name, func(t *testing.T) {
			// all()[1:] drops one row's town.
			if _, err := setTownUnits(tc.es, slices.Clone(tc.admins)); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want one saying %q", err, tc.err)
			}
		})
	}
}

// TestFillAdmin1AbyeiArea: UNISFA's Geo-PKO sites in the Abyei Area (the
// 2009 award's boundaries) have it as their unit, whether the nearest town
// gives none or West Kordofan (Diffra); Sudan's sites outside it (Kadugli)
// and South Sudan's within its box (Rumamier, which Geo-PKO puts in
// Warrap, south of the 1956 line) do not. Geo-PKO and GeoNames points.
func TestFillAdmin1AbyeiArea(t *testing.T) {
	es := []entry{
		{kind: "admin1", name: "West Kordofan", country: "SDN", admin1: "West Kordofan"},
		{kind: "admin1", name: "South Kordofan", country: "SDN", admin1: "South Kordofan"},
		{kind: "town", name: "Al Mijlad", country: "SDN", a1code: "62", admin1: "West Kordofan", lat: 11.03333, lon: 27.73333},
		{kind: "town", name: "Kadugli", country: "SDN", a1code: "50", admin1: "South Kordofan", lat: 11.01111, lon: 29.71833},
		{kind: "deployment", name: "Abyei", country: "SDN", lat: 9.59525, lon: 28.43493},
		{kind: "deployment", name: "Agok", country: "SDN", lat: 9.35749, lon: 28.58258},
		{kind: "deployment", name: "Diffra", country: "SDN", lat: 10.04463, lon: 28.40232},
		{kind: "deployment", name: "Kadugli", country: "SDN", lat: 11.01111, lon: 29.71833},
		{kind: "deployment", name: "Rumamier", country: "SSD", lat: 9.27067, lon: 28.38046},
	}
	fillAdmin1(es, unitNames(es, nil))
	want := map[string]string{"Abyei": "Abyei Area", "Agok": "Abyei Area", "Diffra": "Abyei Area", "Rumamier": ""}
	wantUnits(t, es, want)
	if es[7].admin1 != "South Kordofan" {
		t.Errorf("Kadugli site: unit %q, want South Kordofan", es[7].admin1)
	}
}
