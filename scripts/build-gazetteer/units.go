package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/geotext"
)

// unit is a first-level unit of country-state-city's state.json.
type unit struct {
	Name, IsoCode, CountryCode string
	Latitude, Longitude        string
}

// group is the towns GeoNames gives one admin-1 code.
type group struct {
	country, code string
	lat, lon      float64 // median of its towns
	seat          *entry
	towns         []int
	state         int // index into the units, -1
}

// unitCodes indexes units by ISO2 country and code ("UG|W").
func unitCodes(units []unit) map[string]int {
	m := map[string]int{}
	for i, u := range units {
		m[u.CountryCode+"|"+u.IsoCode] = i
	}
	return m
}

// readGeoNamesAdmin1 reads GeoNames' admin1CodesASCII.txt (tab-separated
// rows of code "MG.12", name, ASCII name, geonameid): the names of each
// code of the gazetteer's countries, keyed by ISO3 country and code
// ("MDG.12"), the name first.
func readGeoNamesAdmin1(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue // the copy's header: source and licence
		}
		f := strings.Split(line, "\t")
		cc, code, ok := strings.Cut(f[0], ".")
		if len(f) < 3 || !ok || code == "" || f[1] == "" {
			return nil, fmt.Errorf("%s:%d: want code CC.X, name, ASCII name", path, i+1)
		}
		c := geotext.CountryByCode(cc)
		if c == nil {
			continue
		}
		names := []string{f[1]}
		if f[2] != f[1] && f[2] != "" {
			names = append(names, f[2])
		}
		out[c.ISO3+"."+code] = names
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no codes of the gazetteer's countries", path)
	}
	return out, nil
}

// unitTown is one town of country-state-city's city.json with its unit.
type unitTown struct {
	state    int // index into the units
	lat, lon float64
}

// readUnitTowns reads country-state-city's city.json (rows of name, ISO2
// country, unit code, latitude, longitude): the towns of each unit, keyed
// by ISO3 country and folded name.
func readUnitTowns(path string, codes map[string]int) (map[string][]unitTown, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows [][5]string
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string][]unitTown{}
	for _, r := range rows {
		c := geotext.CountryByCode(r[1])
		si, ok := codes[r[1]+"|"+r[2]]
		la, e1 := strconv.ParseFloat(r[3], 64)
		lo, e2 := strconv.ParseFloat(r[4], 64)
		if c == nil || !ok || e1 != nil || e2 != nil {
			continue
		}
		k := c.ISO3 + "|" + geotext.Fold(r[0])
		out[k] = append(out[k], unitTown{state: si, lat: la, lon: lo})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no African towns with a unit", path)
	}
	return out, nil
}

// listedUnit is the unit the package lists the town t in (its rows of the
// same name within 10 km), -1 when it has none or rows in several units.
func listedUnit(t entry, listed map[string][]unitTown) int {
	si := -1
	for _, u := range listed[t.country+"|"+geotext.Fold(t.name)] {
		if geotext.Distance(t.lat, t.lon, u.lat, u.lon) >= 10000 {
			continue
		}
		if si >= 0 && u.state != si {
			return -1
		}
		si = u.state
	}
	return si
}

// namer names GeoNames admin-1 groups with the package's units.
type namer struct {
	units     []unit
	codes     map[string]int // unitCodes
	towns     []entry
	listed    map[string][]unitTown // readUnitTowns
	groups    map[string][]*group   // by ISO3 country
	taken     map[int]bool          // units already given to a group
	sameCodes map[string]bool       // countries whose GeoNames codes are the package's
	geonames  map[string][]string   // GeoNames' own names of each code ("MDG.12"), readGeoNamesAdmin1
}

func newNamer(units []unit, towns []entry, listed map[string][]unitTown, groups map[string]*group, taken map[int]bool, geonames map[string][]string) *namer {
	n := &namer{units: units, codes: unitCodes(units), towns: towns, listed: listed, groups: map[string][]*group{}, taken: taken, sameCodes: map[string]bool{}, geonames: geonames}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		g := groups[k]
		n.groups[g.country] = append(n.groups[g.country], g)
	}
	// A country's codes are the package's when every group whose code is a
	// unit's code lies near that unit (Uganda's W is the Western Region in
	// both); elsewhere GeoNames' codes are of another scheme (FIPS) and
	// name other units (Kenya's 14 is Elgeyo-Marakwet, the package's Kilifi).
	for c, gs := range n.groups {
		same, some := true, false
		for _, g := range gs {
			if si, has := n.codes[countryISO2(c)+"|"+g.code]; has {
				some = true
				same = same && n.near(si, g)
			}
		}
		n.sameCodes[c] = some && same
	}
	return n
}

// countryISO2 is the two-letter code of an ISO3 country.
func countryISO2(iso3 string) string { return geotext.CountryByCode(iso3).ISO2 }

// at is the group's seat, else the middle of its towns.
func (g *group) at() (float64, float64) {
	if g.seat != nil {
		return g.seat.lat, g.seat.lon
	}
	return g.lat, g.lon
}

// near says whether unit si lies near group g's seat (or middle): the
// middle of the towns the package lists in it within 200 km, where it lists
// some, and its package centre within 200 km, or 250 km when its listed
// towns are near (a large unit's centre can lie far from its seat: the
// package lists all five towns of Libya's Jabal al Gharbi in it, its centre
// 212 km south of the seat Gharyan), unless the centre is on another
// continent (some are); false when neither is known, or when the unit is one
// of badUnits.
func (n *namer) near(si int, g *group) bool {
	if badUnits[n.units[si].CountryCode+"|"+n.units[si].IsoCode] {
		return false
	}
	lat, lon := g.at()
	var las, los []float64
	for _, us := range n.listed {
		for _, u := range us {
			if u.state == si {
				las, los = append(las, u.lat), append(los, u.lon)
			}
		}
	}
	listed := len(las) > 0
	if listed && geotext.Distance(lat, lon, median(las), median(los)) >= 200000 {
		return false
	}
	limit := 200000.0
	if listed {
		limit = 250000
	}
	la, e1 := strconv.ParseFloat(n.units[si].Latitude, 64)
	lo, e2 := strconv.ParseFloat(n.units[si].Longitude, 64)
	if e1 == nil && e2 == nil {
		if d := geotext.Distance(lat, lon, la, lo); d < 1500000 {
			return d < limit
		}
	}
	return listed
}

// badUnits are units of the package whose code and name disagree, so that
// its town list cannot name them: "Kassrine" (placed at Kasserine, which is
// TN-42) has Béja's code TN-31, and the package lists Béja's towns in it.
var badUnits = map[string]bool{"TN|31": true}

// The rules that name a GeoNames admin-1 group with one of the package's
// units, strongest first; each is tried on every group before the next.
const (
	byGeoNamesName = iota // the unit named as GeoNames names the group's code ("Somali Region" for ET.52 Somali)
	byCode                // the unit whose code is the group's, where the country's codes are the package's
	bySeatListed          // the unit the package lists the group's seat town in
	byTownsListed         // the unit it lists most of the group's towns in (two thirds of those it lists, at least two)
	bySeatName            // the unit named as the seat ("Gao Region" for Gao), where GeoNames names no unit for the code
	byNearest             // the unit whose centre is within 100 km of the seat, no other nearly as near, where GeoNames names none
	rules
)

// sameName says whether two units' names are one, but for their kind
// ("Somali Region", "Somali"), spaces and hyphens ("Northwestern Province",
// "North-Western"; "Taita–Taveta", "Taita Taveta").
func sameName(a, b string) bool { return squashKey(a) == squashKey(b) }

// squashKey is nameKey without spaces.
func squashKey(s string) string { return strings.ReplaceAll(nameKey(s), " ", "") }

// name is the unit rule gives group g (-1 for none). A unit GeoNames names
// the group's code for is taken wherever it lies (two sources agree); the
// next three rules' units must lie near the group (namer.near): codes mean other units
// in some countries and the package lists some towns under codes of
// another scheme (Kenya's Iten under Kilifi's code 14).
// They come before the seat's name, as a unit named after a seat may be a
// level down: the district of Mbarara is not Uganda's Western Region,
// whose seat Mbarara is.
func (n *namer) name(rule int, g *group) int {
	ok := func(si int) bool { return si >= 0 && !n.taken[si] && n.near(si, g) }
	c := geotext.CountryByCode(g.country)
	switch rule {
	case byGeoNamesName:
		// One unit only: Côte d'Ivoire's package has both the 2011 district
		// and the older region of one name (Bas-Sassandra District and
		// Region); the rules below tell which.
		found := -1
		for si, u := range n.units {
			if geotext.CountryByCode(u.CountryCode) != c {
				continue
			}
			for _, name := range n.geonames[g.country+"."+g.code] {
				if sameName(u.Name, name) {
					if found >= 0 && found != si {
						return -1
					}
					found = si
				}
			}
		}
		if found >= 0 && !n.taken[found] {
			return found
		}
	case byCode:
		if si, has := n.codes[c.ISO2+"|"+g.code]; has && n.sameCodes[g.country] && ok(si) {
			return si
		}
	case bySeatListed:
		if g.seat != nil {
			if si := listedUnit(*g.seat, n.listed); ok(si) {
				return si
			}
		}
	case byTownsListed:
		count, of := map[int]int{}, 0
		for _, i := range g.towns {
			if si := listedUnit(n.towns[i], n.listed); si >= 0 {
				count[si]++
				of++
			}
		}
		best := -1
		for si, k := range count {
			if k >= 2 && 3*k >= 2*of && (best < 0 || k > count[best] || k == count[best] && si < best) {
				best = si
			}
		}
		if ok(best) {
			return best
		}
	case bySeatName:
		if n.geonames[g.country+"."+g.code] != nil {
			return -1 // Madagascar's Analamanga (seat Antananarivo) is not the former Antananarivo Province
		}
		for si, u := range n.units {
			if g.seat != nil && !n.taken[si] && geotext.CountryByCode(u.CountryCode) == c && nameKey(u.Name) == nameKey(g.seat.name) {
				return si
			}
		}
	case byNearest:
		if g.seat == nil || n.geonames[g.country+"."+g.code] != nil {
			return -1
		}
		nearest, bd, second := -1, math.Inf(1), math.Inf(1)
		for si, u := range n.units {
			la, e1 := strconv.ParseFloat(u.Latitude, 64)
			lo, e2 := strconv.ParseFloat(u.Longitude, 64)
			if geotext.CountryByCode(u.CountryCode) != c || e1 != nil || e2 != nil {
				continue
			}
			if d := geotext.Distance(g.seat.lat, g.seat.lon, la, lo); d < bd {
				nearest, bd, second = si, d, bd
			} else if d < second {
				second = d
			}
		}
		if nearest >= 0 && !n.taken[nearest] && bd < 100000 && second > 1.5*bd {
			return nearest
		}
	}
	return -1
}
