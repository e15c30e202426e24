package geotext_test

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestHXLVectors runs libhxl's coordinate test vectors (hxl/geo-vectors.csv).
func TestHXLVectors(t *testing.T) {
	rows := shareddata.CSV(t, "hxl/geo-vectors.csv")
	if len(rows) < 30 {
		t.Fatalf("only %d vectors", len(rows))
	}
	for _, r := range rows[1:] {
		in, fail, fn := r[0], r[3] == "true", r[4]
		t.Run(fn+"/"+in, func(t *testing.T) {
			var lat, lon float64
			var err error
			switch fn {
			case "parse_lat":
				lat, err = geotext.ParseLat(in)
			case "parse_lon":
				lon, err = geotext.ParseLon(in)
			case "parse_coord":
				var c geotext.Coord
				c, err = geotext.ParseCoord(in)
				lat, lon = c.Lat, c.Lon
			}
			if fail {
				if err == nil {
					t.Fatalf("accepted: %v %v", lat, lon)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r[1] != "" {
				want, _ := strconv.ParseFloat(r[1], 64)
				if math.Abs(want-lat) >= 5e-7 {
					t.Errorf("lat %v, want %v", lat, want)
				}
			}
			if r[2] != "" {
				want, _ := strconv.ParseFloat(r[2], 64)
				if math.Abs(want-lon) >= 5e-7 {
					t.Errorf("lon %v, want %v", lon, want)
				}
			}
		})
	}
}

func TestFindCoords(t *testing.T) {
	tests := []struct {
		text     string
		lat, lon float64
		maxPrec  float64 // precision must be at most this (metres)
	}{
		{"Gunfire at -1.2921, 36.8219 now", -1.2921, 36.8219, 12},
		{"armed men 1°17′23″S 36°49′E moving north", -(1 + 17.0/60 + 23.0/3600), 36 + 49.0/60, 1900},
		{"position 1°17'S 36°49'E", -(1 + 17.0/60), 36 + 49.0/60, 1900},
		{"N45:30:30 E12:10:00 village burning", 45 + 30.0/60 + 30.0/3600, 12 + 10.0/60, 32},
		{"help S 1.29 E 36.82", -1.29, 36.82, 1200},
		{"at 45N30 / 75W30.", 45.5, -75.5, 1900},
		{"we are at 12.5 S, 30.25 E (near river)", -12.5, 30.25, 11200},
		{"coords: 8.4110 20.6476", 8.411, 20.6476, 12},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			ms := geotext.FindCoords(tc.text)
			if len(ms) != 1 {
				t.Fatalf("found %d matches: %+v", len(ms), ms)
			}
			m := ms[0]
			if math.Abs(m.Lat-tc.lat) > 1e-6 || math.Abs(m.Lon-tc.lon) > 1e-6 {
				t.Fatalf("got %v,%v want %v,%v (%q)", m.Lat, m.Lon, tc.lat, tc.lon, m.Text)
			}
			if m.PrecisionM <= 0 || m.PrecisionM > tc.maxPrec {
				t.Errorf("precision %v m, want ≤ %v", m.PrecisionM, tc.maxPrec)
			}
		})
	}
}

func TestFindCoordsIgnoresNumbers(t *testing.T) {
	for _, text := range []string{
		"20 people 3 villages attacked",
		"call 0812 345 678",
		"at 14:30 today, 2 dead",
		"price 2.5 3.5",
		"",
		"NSEW",
	} {
		if ms := geotext.FindCoords(text); len(ms) != 0 {
			t.Errorf("%q: found %+v", text, ms)
		}
	}
}

func TestParseCoordErrors(t *testing.T) {
	for _, in := range []string{"91, 10", "45.5,181.5", "N45 N46", "45 60 00, 10", "-45 S, 10 E", "abc", "1.2.3, 4", "45"} {
		if c, err := geotext.ParseCoord(in); err == nil {
			t.Errorf("%q accepted as %+v", in, c)
		}
	}
}

func loadTestGazetteer(t *testing.T) *geotext.Gazetteer {
	f, err := os.Open("testdata/gazetteer.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := geotext.LoadGazetteer(f, "testdata/gazetteer.csv")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestResolve(t *testing.T) {
	g := loadTestGazetteer(t)
	tests := []struct {
		text   string
		status geotext.Status
		place  string
		ncand  int
	}{
		{"Attaque à NDELE cette nuit", geotext.Resolved, "Ndélé", 0},
		{"attack near n'délé", geotext.Resolved, "Ndélé", 0},
		{"men with guns in bunya market", geotext.Resolved, "Bunia", 0},
		{"shooting in Beni Boikene", geotext.Resolved, "Beni Boikene", 0},
		{"shooting in Beni", geotext.Resolved, "Beni", 0},
		{"trouble at the Mission", geotext.Ambiguous, "", 2},
		{"road from Bunia to Zemio blocked", geotext.Ambiguous, "", 2},
		{"something happening somewhere", geotext.Unresolved, "", 0},
		{"near Bunia at 1.2345, 30.1234", geotext.Resolved, "", 0},
		{"at 1.2345, 30.1234 or 2.5000, 31.0000", geotext.Ambiguous, "", 2},
		// The same place named twice is one place: by the same name, in
		// another case or spelling of it, or by one of its other names.
		{"Attack in Bunia. Bunia is calm again", geotext.Resolved, "Bunia", 0},
		{"Attaque à NDELE ; les gens de N'Délé fuient", geotext.Resolved, "Ndélé", 0},
		{"Men in Bunia market, shots heard all over Bunya", geotext.Resolved, "Bunia", 0},
		// Two different places stay ambiguous, named twice or not: two
		// places that share a name, and two names of different places.
		{"trouble at the Mission, more trouble at the Mission", geotext.Ambiguous, "", 2},
		{"shooting in Beni Boikene, people fled to Beni", geotext.Ambiguous, "", 2},
		{"Bunia, Zemio and Bunia again", geotext.Ambiguous, "", 2},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			r := geotext.Resolve(tc.text, g)
			if r.Status != tc.status {
				t.Fatalf("status %s (%s), want %s", r.Status, r.Reason, tc.status)
			}
			// A confidence holds its % with a narrow no-break space (U+202F),
			// as the French pages that show the reason want it.
			if strings.Contains(r.Reason, " %") {
				t.Errorf("reason %q: a plain space before %%", r.Reason)
			}
			// Each name the text gave is quoted apart ("bunia", "zemio"),
			// never the list as one quoted text with escaped quotes inside.
			if strings.Contains(r.Reason, `\"`) {
				t.Errorf("reason %q: names quoted as one text", r.Reason)
			}
			switch r.Status {
			case geotext.Resolved:
				if r.Location.Place != tc.place {
					t.Errorf("place %q want %q", r.Location.Place, tc.place)
				}
			default:
				if r.Reason == "" {
					t.Error("no reason given")
				}
				if len(r.Candidates) != tc.ncand {
					t.Errorf("%d candidates, want %d: %+v", len(r.Candidates), tc.ncand, r.Candidates)
				}
			}
		})
	}
	if r := geotext.Resolve("Bunia", nil); r.Status != geotext.Unresolved {
		t.Errorf("nil gazetteer: %+v", r)
	}
}

func TestLoadGazetteerErrors(t *testing.T) {
	tests := []struct{ csv, want string }{
		{"", "empty file"},
		{"name,lat\nA,1\n", `no "lon" column`},
		{"name,lat,lon\nA,1,2\nB,95,2\n", "g.csv:3: column lat"},
		{"name,lat,lon\n,1,2\n", "g.csv:2: column name: empty"},
		{"name,lat,lon\nA,1,x\n", "g.csv:2: column lon"},
		{"name,lat,lon\n", "no places"},
		// FuzzGazetteer/22215176ffb6f867: a CSV error on a data row
		// (unterminated quote) panicked in FieldPos before the error check.
		{"nAme,lAt,lon\n\"", "g.csv:2: parse error on line 2"},
		// a read error names the line of the bad row
		{"name,lat,lon\nA,1,2\n\nB,\"1\"x,2\n", `g.csv:4: parse error on line 4, column 5: extraneous or missing " in quoted-field`},
	}
	for _, tc := range tests {
		_, err := geotext.LoadGazetteer(strings.NewReader(tc.csv), "g.csv")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.csv, err, tc.want)
		}
	}
}

// TestGeoPKOPlaces builds a gazetteer from the real Geo-PKO deployment
// locations and resolves messages naming them.
func TestGeoPKOPlaces(t *testing.T) {
	rows := shareddata.CSV(t, "geopko/geopko_v2.3_frontmap_1994_2024.csv")
	var b strings.Builder
	b.WriteString("name,lat,lon,admin0\n")
	seen := map[string]bool{}
	w := csv.NewWriter(&b)
	for _, r := range rows[1:] {
		k := r[3] + "|" + r[4] + "|" + r[5]
		if seen[k] || r[4] == "" || r[4] == "NA" {
			continue
		}
		seen[k] = true
		w.Write([]string{r[3], r[4], r[5], r[2]})
	}
	w.Flush()
	g, err := geotext.LoadGazetteer(strings.NewReader(b.String()), "geopko")
	if err != nil {
		t.Fatal(err)
	}
	r := geotext.Resolve("groupe armé vu près de BOSSEMBELE ce matin", g)
	if r.Status != geotext.Resolved || r.Location.Place != "Bossembélé" || math.Abs(r.Location.Lat-5.251686) > 1e-6 {
		t.Fatalf("%+v", r)
	}
	// Bangui appears with two coordinate readings ~1.2 km apart: a human
	// must choose, nothing is averaged or picked silently.
	r = geotext.Resolve("Bangui", g)
	if r.Status != geotext.Ambiguous || len(r.Candidates) < 2 {
		t.Fatalf("%+v", r)
	}
}

func FuzzParseCoord(f *testing.F) {
	for _, s := range []string{"-1.2921, 36.8219", "1°17′23″S 36°49′E", "N45:30:30 E12:10:00", "S 1.29 E 36.82", "45N30 / 75W30", "91 00 00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := geotext.ParseCoord(s)
		if err == nil && (c.Lat < -90 || c.Lat > 90 || c.Lon < -180 || c.Lon > 180 || math.IsNaN(c.Lat) || math.IsNaN(c.Lon)) {
			t.Fatalf("%q -> out of range %+v", s, c)
		}
		for _, m := range geotext.FindCoords(s) {
			if m.Lat < -90 || m.Lat > 90 || m.Lon < -180 || m.Lon > 180 {
				t.Fatalf("%q -> out of range %+v", s, m)
			}
		}
		geotext.Resolve(s, nil)
	})
}

// TestCountryNamed: a country is found by code, English or French name,
// another spelling, and UCDP's name with a former name in brackets.
func TestCountryNamed(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"DR Congo (Zaire)", "COD"}, {"RD Congo", "COD"}, {"cod", "COD"}, {"République démocratique du Congo", "COD"},
		{"Central African Republic", "CAF"}, {"Somalie", "SOM"}, {"  Mali ", "MLI"}, {"Ivory Coast", "CIV"},
		{"Narnia", ""}, {"", ""}, {"(Zaire)", ""},
	} {
		got := ""
		if x := geotext.CountryNamed(c.in); x != nil {
			got = x.ISO3
		}
		if got != c.want {
			t.Errorf("CountryNamed(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCountriesIn: English or French country names in brackets (as
// Describe and the stored location notes write them) are said in the
// language asked for;
// other brackets and texts are kept.
func TestCountriesIn(t *testing.T) {
	for _, c := range []struct{ in, lang, want string }{
		{"place name: Bangui (Central African Republic), confidence 95 %", "fr", "place name: Bangui (République centrafricaine), confidence 95 %"},
		{"2 places match \"Djugu\" (Djugu, Ituri (DR Congo) 60 %; Djugu (Sudan) 40 %)", "fr", "2 places match \"Djugu\" (Djugu, Ituri (RD Congo) 60 %; Djugu (Soudan) 40 %)"},
		{"Bangui (Central African Republic)", "en", "Bangui (Central African Republic)"},
		{"Goma (12.3000, 4.5000); (Narnia) (CAR) (", "fr", "Goma (12.3000, 4.5000); (Narnia) (CAR) ("},
		{"Gao (Mali)", "fr", "Gao (Mali)"},
		{"Bangui (République centrafricaine)", "en", "Bangui (Central African Republic)"},
		{"Bunia, Ituri (RD Congo)", "fr", "Bunia, Ituri (RD Congo)"},
		// the first-level unit before the country is said in lang too,
		// by the country's own units (Centre is Burkina Faso's own name)
		{"near Afgooye, Lower Shebelle (Somalia), 19 km", "fr", "near Afgooye, Bas-Shabelle (Somalie), 19 km"},
		{"près d’Afgooye, Bas-Shabelle (Somalie)", "en", "près d’Afgooye, Lower Shebelle (Somalia)"},
		{"Kutum, North Darfur (Sudan)", "fr", "Kutum, Darfour-Nord (Soudan)"},
		{"Ouagadougou, Centre (Burkina Faso)", "en", "Ouagadougou, Centre (Burkina Faso)"},
		{"Kampala, Centre (Ouganda)", "en", "Kampala, Central (Uganda)"},
		{"Lower Shebelle (Somalia); Blue Nile (Sudan)", "fr", "Bas-Shabelle (Somalie); Nil Bleu (Soudan)"},
		// a note stored with the Abyei Area in Sudan names both countries
		{"Agok, Abyei Area (Sudan)", "fr", "Agok, zone d’Abyei (Soudan / Soudan du Sud)"},
		{"near Agok, Abyei Area (South Sudan)", "en", "near Agok, Abyei Area (Sudan / South Sudan)"},
		{"Agok, zone d’Abyei (Soudan / Soudan du Sud)", "en", "Agok, Abyei Area (Sudan / South Sudan)"},
		{"", "fr", ""},
	} {
		if got := geotext.CountriesIn(c.in, c.lang); got != c.want {
			t.Errorf("CountriesIn(%q, %q) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}

// TestPlaceLabelText: a point is named after its place, "near"/"près de"
// it beyond 3 km, with French elision before a vowel ("près d'Afgooye").
func TestPlaceLabelText(t *testing.T) {
	cases := []struct {
		name, admin1, country string
		distM                 float64
		en, fr                string
	}{
		{"Djugu", "Ituri", "COD", 12000, "near Djugu, Ituri (DR Congo)", "près de Djugu, Ituri (RD Congo)"},
		{"Afgooye", "Lower Shebelle", "SOM", 19000, "near Afgooye, Lower Shebelle (Somalia)", "près d’Afgooye, Bas-Shabelle (Somalie)"},
		{"Éloko", "", "CAF", 5000, "near Éloko (Central African Republic)", "près d’Éloko (République centrafricaine)"},
		{"Isiro", "Haut-Uélé", "COD", 1000, "Isiro, Haut-Uélé (DR Congo)", "Isiro, Haut-Uélé (RD Congo)"},
		{"Yei", "Central Equatoria", "SSD", 8000, "near Yei, Central Equatoria (South Sudan)", "près de Yei, Équatoria-Central (Soudan du Sud)"},
		{"Kutum", "North Darfur", "SDN", 500, "Kutum, North Darfur (Sudan)", "Kutum, Darfour-Nord (Soudan)"},
		{"Gulu", "Northern", "UGA", 500, "Gulu, Northern (Uganda)", "Gulu, Nord (Ouganda)"},
		// The Abyei Area is neither Sudan's nor South Sudan's alone,
		// whatever code its source gave it.
		{"Agok", "Abyei Area", "SDN", 500, "Agok, Abyei Area (Sudan / South Sudan)", "Agok, zone d’Abyei (Soudan / Soudan du Sud)"},
		{"Agok", "Abyei Area", "SSD", 5000, "near Agok, Abyei Area (Sudan / South Sudan)", "près d’Agok, zone d’Abyei (Soudan / Soudan du Sud)"},
	}
	for _, c := range cases {
		l := geotext.PlaceLabel{Place: geotext.Place{Name: c.name, Admin1: c.admin1, Country: c.country}, DistanceM: c.distM}
		if got := l.Text("en"); got != c.en {
			t.Errorf("%s en: %q, want %q", c.name, got, c.en)
		}
		if got := l.Text("fr"); got != c.fr {
			t.Errorf("%s fr: %q, want %q", c.name, got, c.fr)
		}
	}
}

// TestResolveFrenchElision: a French article or preposition elided before a
// place name (« près d'Ippy », « l’attaque d’Alindao », « jusqu'à Ippy »)
// does not hide the name: Fold alone read « d'Ippy » as one word "dippy"
// and found no place. A name that begins with one (L'Oriental) is found
// written either way; N' and M' stay part of a name (N'Délé).
func TestResolveFrenchElision(t *testing.T) {
	const csv = "name,alternate_names,lat,lon\n" +
		"Ippy,,6.25,21.2\n" +
		"Alindao,,5.03,21.21\n" +
		"Ndélé,Ndele;N'Délé,8.41,20.65\n" +
		"L'Oriental,Oriental,34.0,-2.0\n" +
		"Dimbi,,1.0,2.0\n"
	g, err := geotext.LoadGazetteer(strings.NewReader(csv), "elision.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ text, place string }{
		{"Des hommes armés près d'Ippy cette nuit", "Ippy"},
		{"l’attaque d’Alindao a fait des morts", "Alindao"},
		{"les gens fuient jusqu'à Ippy", "Ippy"},
		{"D'IPPY : tirs entendus", "Ippy"},
		{"attaque près de N'Délé", "Ndélé"},
		{"les gens de n’délé fuient", "Ndélé"},
		{"violences à L'Oriental", "L'Oriental"},
		{"violences dans l’Oriental", "L'Oriental"},
		{"la route de Dimbi", "Dimbi"},
	} {
		r := geotext.Resolve(c.text, g)
		if r.Status != geotext.Resolved || r.Location.Place != c.place {
			t.Errorf("%q: %s %q (%s), want %q", c.text, r.Status, r.Location.Place, r.Reason, c.place)
		}
		// Found by its own spelling, not as a misspelling of "dippy".
		ms := g.Match(c.text, nil)
		if len(ms) != 1 || ms[0].Edits != 0 || len(ms[0].Candidates) == 0 || ms[0].Candidates[0].Place.Name != c.place {
			t.Errorf("%q: mentions %+v, want %q spelled exactly", c.text, ms, c.place)
		}
	}
}
