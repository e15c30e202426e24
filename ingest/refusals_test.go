package ingest_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: every refusal of an event file a user can meet in
// Administration → Import data (the file as a whole, a CSV or GeoJSON
// row's cell, an event's own checks, the import's options) keeps the
// English the API and the CLI have always said and carries its whole text
// as a catalog message, placed at its file, line and column, said in
// French; every message of ingest.Refusals is said by one.
func TestRefusalMessages(t *testing.T) {
	const ged = "id,date_start,type_of_violence,latitude,longitude,best,low,high\n"
	const acled = "event_id_cnty,event_date,event_type,latitude,longitude,fatalities\n"
	fc := func(features string) string { return `{"type": "FeatureCollection", "features": [` + features + `]}` }
	point := func(props string) string {
		return `{"type": "Feature", "id": 1, "geometry": {"type": "Point", "coordinates": [29.5, 1.5]}, "properties": {` + props + `}}`
	}
	// 2,100 rows of valid UTF-8 (more than the 64 KiB the format is told
	// from), then one that is not.
	var long strings.Builder
	long.WriteString(ged)
	for i := range 2100 {
		fmt.Fprintf(&long, "%d,2020-01-02,1,1.5,29.5,3,2,5\n", i+1)
	}
	long.WriteString("9999,2020-01-02,1,1.5,29.5,3,2,5\xff\n")

	type file struct {
		name, data string
		opt        ingest.Options
	}
	cases := []struct {
		name string
		in   file
		en   string
		fr   string
	}{
		// The file as a whole.
		{"empty", file{"e.csv", "", ingest.Options{}}, "e.csv: empty file (0 bytes)", "fichier e.csv\u00a0: fichier vide (0 octet)"},
		{"binary", file{"b.csv", "id\n1\x00", ingest.Options{}}, "b.csv:2: not a text file (binary byte 0x00 at offset 4)",
			"fichier b.csv, ligne 2\u00a0: ce n’est pas un fichier texte (octet binaire 0x00 à la position 4)"},
		{"format", file{"x.csv", "a,b\n1,2\n", ingest.Options{}}, "x.csv:1: cannot tell the format (not UCDP GED, ACLED, HXL-tagged CSV or GeoJSON); name it with --format",
			"fichier x.csv, ligne 1\u00a0: format non reconnu (ni UCDP GED, ni ACLED, ni CSV balisé HXL, ni GeoJSON)\u00a0: choisissez-le dans la liste « Format » (--format en ligne de commande)"},
		{"no events", file{"g.csv", ged, ingest.Options{}}, "g.csv: no events in the file", "fichier g.csv\u00a0: aucun événement dans le fichier"},
		{"duplicate", file{"g.csv", ged + "7,2020-01-02,1,1.5,29.5,3,2,5\n7,2020-01-03,1,1.5,29.5,3,2,5\n", ingest.Options{}},
			`g.csv:3: id: duplicate id "7" (first on line 2)`, "fichier g.csv, ligne 3, colonne id\u00a0: identifiant «\u202f7\u202f» en double (déjà à la ligne 2)"},
		{"strict", file{"g.csv", ged + "7,2020-01-02,1,1.5,29.5,3,4,5\n", ingest.Options{Strict: true}},
			"g.csv:2: best: best estimate 3 outside low..high 4..5 (refused by --strict; without it such rows are kept as published and counted)",
			"fichier g.csv, ligne 2, colonne best\u00a0: la meilleure estimation 3 est hors de l’intervalle basse..haute 4..5 (refusé en mode strict\u202f; sinon, ces lignes sont gardées telles que publiées et comptées)"},

		// CSV.
		{"blank lines", file{"g.csv", "\n\n", ingest.Options{Format: ingest.GED}}, "g.csv: empty file", "fichier g.csv\u00a0: fichier vide"},
		{"GED without header", file{"g.csv", "1,2,3\n", ingest.Options{Format: ingest.GED}}, "g.csv:1: no header row, and 3 columns instead of the 49 of the UCDP GED layout",
			"fichier g.csv, ligne 1\u00a0: pas de ligne d’en-tête, et 3 colonnes au lieu des 49 du format UCDP GED"},
		{"ACLED without header", file{"a.csv", "1,2,3\n", ingest.Options{Format: ingest.ACLED}}, "a.csv:1: no header row, and 3 columns instead of the 31 of the ACLED export layout",
			"fichier a.csv, ligne 1\u00a0: pas de ligne d’en-tête, et 3 colonnes au lieu des 31 du format export ACLED"},
		{"bare quote", file{"g.csv", ged + "7,2020\"-01-02,1,1.5,29.5,3,2,5\n", ingest.Options{}}, `g.csv:2: malformed CSV at character 7: bare " in non-quoted-field`,
			"fichier g.csv, ligne 2\u00a0: CSV mal formé au caractère 7\u00a0: guillemet \" dans un champ sans guillemets"},
		{"columns", file{"g.csv", ged + "7,2020-01-02\n", ingest.Options{}}, "g.csv:2: wrong number of columns: 2, the header has 8",
			"fichier g.csv, ligne 2\u00a0: nombre de colonnes incorrect\u00a0: 2, l’en-tête en a 8"},
		{"UTF-8", file{"g.csv", long.String(), ingest.Options{}}, "g.csv:2102: high: not valid UTF-8 text",
			"fichier g.csv, ligne 2102, colonne high\u00a0: ce n’est pas du texte UTF-8 valide"},
		{"whole", file{"g.csv", ged + "7,2020-01-02,1,1.5,29.5,x,2,5\n", ingest.Options{}}, `g.csv:2: best: "x" is not a whole number`,
			"fichier g.csv, ligne 2, colonne best\u00a0: «\u202fx\u202f» n’est pas un nombre entier"},
		{"empty cell", file{"g.csv", ged + "7,2020-01-02,1,1.5,29.5,,2,5\n", ingest.Options{}}, "g.csv:2: best: is empty", "fichier g.csv, ligne 2, colonne best\u00a0: est vide"},
		{"number", file{"g.csv", ged + "7,2020-01-02,1,north,29.5,3,2,5\n", ingest.Options{}}, `g.csv:2: latitude: "north" is not a number`,
			"fichier g.csv, ligne 2, colonne latitude\u00a0: «\u202fnorth\u202f» n’est pas un nombre"},
		{"date", file{"g.csv", ged + "7,yesterday,1,1.5,29.5,3,2,5\n", ingest.Options{}}, `g.csv:2: date_start: "yesterday" is not a date (want YYYY-MM-DD)`,
			"fichier g.csv, ligne 2, colonne date_start\u00a0: «\u202fyesterday\u202f» n’est pas une date (attendu AAAA-MM-JJ)"},
		{"GED column", file{"g.csv", "id,date_start,type_of_violence,latitude,longitude\n", ingest.Options{}},
			`g.csv:1: no "best" column in the header (a UCDP GED file needs id, date_start, latitude, longitude, type_of_violence and best)`,
			"fichier g.csv, ligne 1\u00a0: pas de colonne «\u202fbest\u202f» dans l’en-tête (un fichier UCDP GED a besoin de id, date_start, latitude, longitude, type_of_violence et best)"},
		{"GED date column", file{"g.csv", "id,type_of_violence,latitude,longitude,best\n", ingest.Options{}},
			`g.csv:1: no "date_start" column (nor year, month and day) in the header`,
			"fichier g.csv, ligne 1\u00a0: pas de colonne « date_start » (ni year, month et day) dans l’en-tête"},
		{"GED year month day", file{"g.csv", "id,year,month,day,type_of_violence,latitude,longitude,best\n7,2020,13,1,1,1.5,29.5,3\n", ingest.Options{}},
			"g.csv:2: month: year 2020 month 13 day 1 is not a date", "fichier g.csv, ligne 2, colonne month\u00a0: année 2020, mois 13, jour 1\u00a0: ce n’est pas une date"},
		{"GED type", file{"g.csv", ged + "7,2020-01-02,5,1.5,29.5,3,2,5\n", ingest.Options{}},
			`g.csv:2: type_of_violence: unknown violence type "5" (UCDP GED uses 1 state-based, 2 non-state, 3 one-sided)`,
			"fichier g.csv, ligne 2, colonne type_of_violence\u00a0: type de violence inconnu «\u202f5\u202f» (UCDP GED utilise 1 state-based, 2 non-state, 3 one-sided)"},
		{"ACLED column", file{"a.csv", "event_id_cnty,event_date,event_type,latitude,longitude\n", ingest.Options{}},
			`a.csv:1: no "fatalities" column in the header (an ACLED file needs event_id_cnty, event_date, event_type, latitude, longitude and fatalities)`,
			"fichier a.csv, ligne 1\u00a0: pas de colonne «\u202ffatalities\u202f» dans l’en-tête (un fichier ACLED a besoin de event_id_cnty, event_date, event_type, latitude, longitude et fatalities)"},
		{"ACLED type", file{"a.csv", acled + "XYZ1,2020-01-02,Parade,1.5,29.5,0\n", ingest.Options{}},
			`a.csv:2: event_type: unknown violence type: ACLED event type "Parade" (want Battles, Violence against civilians, Explosions/Remote violence, Riots, Protests or Strategic developments)`,
			"fichier a.csv, ligne 2, colonne event_type\u00a0: type de violence inconnu\u00a0: type d’événement ACLED «\u202fParade\u202f» (attendu Battles, Violence against civilians, Explosions/Remote violence, Riots, Protests ou Strategic developments)"},
		{"ACLED empty type", file{"a.csv", acled + "XYZ1,2020-01-02,,1.5,29.5,0\n", ingest.Options{}}, "a.csv:2: event_type: is empty", "fichier a.csv, ligne 2, colonne event_type\u00a0: est vide"},

		// HXL.
		{"HXL without hashtags", file{"h.csv", "a,b\n1,2\n", ingest.Options{Format: ingest.HXL}},
			"h.csv: no HXL hashtag row (#date, #geo+lat, …) in the first 25 rows: the file is not HXL-tagged",
			"fichier h.csv\u00a0: aucune ligne de hashtags HXL (#date, #geo+lat, …) dans les 25 premières lignes\u00a0: le fichier n’est pas balisé en HXL"},
		{"HXL date column", file{"h.csv", "#geo+lat,#geo+lon\n1,2\n", ingest.Options{}},
			"h.csv: no #date column: an HXL event file needs #date (or #date+start), #geo+lat and #geo+lon (or #geo+coord)",
			"fichier h.csv\u00a0: pas de colonne #date\u00a0: un fichier d’événements HXL a besoin de #date (ou #date+start), #geo+lat et #geo+lon (ou #geo+coord)"},
		{"HXL coordinate columns", file{"h.csv", "#date,#geo+lat\n2020-01-02,1\n", ingest.Options{}},
			"h.csv: no #geo+lat and #geo+lon (or #geo+coord) columns: an HXL event file needs coordinates",
			"fichier h.csv\u00a0: pas de colonnes #geo+lat et #geo+lon (ni #geo+coord)\u00a0: un fichier d’événements HXL a besoin de coordonnées"},
		{"HXL pair", file{"h.csv", "#date,#geo+coord\n2020-01-02,here\n", ingest.Options{}}, `h.csv:2: #geo+coord: "here" is not a coordinate pair (want lat,lon)`,
			"fichier h.csv, ligne 2, colonne #geo+coord\u00a0: «\u202fhere\u202f» n’est pas une paire de coordonnées (attendu lat,lon)"},
		{"HXL pair without longitude", file{"h.csv", "#date,#geo+coord\n2020-01-02,\"5,\"\n", ingest.Options{}}, "h.csv:2: #geo+coord: longitude is empty",
			"fichier h.csv, ligne 2, colonne #geo+coord\u00a0: longitude vide"},
		{"HXL latitude range", file{"h.csv", "#date,#geo+lat,#geo+lon\n2020-01-02,95,10\n", ingest.Options{}}, "h.csv:2: #geo+lat: latitude 95 outside -90..90",
			"fichier h.csv, ligne 2, colonne #geo+lat\u00a0: latitude 95 hors de -90..90"},
		{"HXL latitude range, degrees", file{"h.csv", "#date,#geo+lat,#geo+lon\n2020-01-02,95N,10\n", ingest.Options{}}, `h.csv:2: #geo+lat: latitude "95N" outside -90..90`,
			"fichier h.csv, ligne 2, colonne #geo+lat\u00a0: latitude «\u202f95N\u202f» hors de -90..90"},
		{"HXL not a latitude", file{"h.csv", "#date,#geo+lat,#geo+lon\n2020-01-02,north,10\n", ingest.Options{}}, `h.csv:2: #geo+lat: "north" is not a latitude`,
			"fichier h.csv, ligne 2, colonne #geo+lat\u00a0: «\u202fnorth\u202f» n’est pas une latitude"},
		{"HXL two hemispheres", file{"h.csv", "#date,#geo+lat,#geo+lon\n2020-01-02,1,5E10W\n", ingest.Options{}},
			`h.csv:2: #geo+lon: "5E10W" is not a longitude (more than one hemisphere letter)`,
			"fichier h.csv, ligne 2, colonne #geo+lon\u00a0: «\u202f5E10W\u202f» n’est pas une longitude (plus d’une lettre d’hémisphère)"},
		{"HXL sign and hemisphere", file{"h.csv", "#date,#geo+lat,#geo+lon\n2020-01-02,-5 30 S,10\n", ingest.Options{}},
			`h.csv:2: #geo+lat: "-5 30 S" is not a latitude (both a sign and a hemisphere)`,
			"fichier h.csv, ligne 2, colonne #geo+lat\u00a0: «\u202f-5 30 S\u202f» n’est pas une latitude (à la fois un signe et un hémisphère)"},
		{"HXL minutes", file{"h.csv", "#date,#geo+lat,#geo+lon\n2020-01-02,5 70 N,10\n", ingest.Options{}},
			`h.csv:2: #geo+lat: "5 70 N" is not a latitude (minutes and seconds must be below 60)`,
			"fichier h.csv, ligne 2, colonne #geo+lat\u00a0: «\u202f5 70 N\u202f» n’est pas une latitude (les minutes et les secondes doivent être inférieures à 60)"},
		{"HXL type", file{"h.csv", "#date,#geo+lat,#geo+lon,#event+type\n2020-01-02,1,10,parade\n", ingest.Options{}},
			`h.csv:2: #event+type: unknown violence type "parade" (want state-based, non-state, one-sided, other-violence, non-violent or UCDP code 1–3)`,
			"fichier h.csv, ligne 2, colonne #event+type\u00a0: type de violence inconnu «\u202fparade\u202f» (attendu state-based, non-state, one-sided, other-violence, non-violent ou le code UCDP 1–3)"},

		// GeoJSON.
		{"GeoJSON array", file{"g.geojson", "[1]", ingest.Options{}}, "g.geojson:1: not a GeoJSON FeatureCollection (want a JSON object)",
			"fichier g.geojson, ligne 1\u00a0: ce n’est pas une FeatureCollection GeoJSON (attendu un objet JSON)"},
		{"GeoJSON type", file{"g.geojson", `{"type": "Feature"}`, ingest.Options{}}, `g.geojson:1: type: "Feature": want FeatureCollection`,
			"fichier g.geojson, ligne 1, colonne type\u00a0: «\u202fFeature\u202f»\u00a0: attendu FeatureCollection"},
		{"GeoJSON features", file{"g.geojson", `{"type": "FeatureCollection", "features": {}}`, ingest.Options{}}, "g.geojson:1: features: is not an array",
			"fichier g.geojson, ligne 1, colonne features\u00a0: n’est pas un tableau"},
		{"GeoJSON syntax", file{"g.geojson", fc("x"), ingest.Options{}}, "g.geojson:1: malformed JSON: invalid character 'x' looking for beginning of value",
			"fichier g.geojson, ligne 1\u00a0: JSON mal formé\u00a0: caractère 'x' invalide là où une valeur devait commencer"},
		{"GeoJSON cut", file{"g.geojson", `{"type": "FeatureCollection", "features": [`, ingest.Options{}}, "g.geojson:1: unexpected end of file (truncated JSON)",
			"fichier g.geojson, ligne 1\u00a0: fin de fichier inattendue (JSON tronqué)"},
		{"GeoJSON type a number", file{"g.geojson", `{"type": 5}`, ingest.Options{}}, "g.geojson:1: is a number in JSON, want a string",
			"fichier g.geojson, ligne 1\u00a0: est un nombre en JSON, attendu une chaîne"},
		{"GeoJSON feature type a number", file{"g.geojson", fc(`{"type": 5}`), ingest.Options{}}, "g.geojson:1: type: is a number in JSON, want a string",
			"fichier g.geojson, ligne 1, colonne type\u00a0: est un nombre en JSON, attendu une chaîne"},
		{"GeoJSON without type", file{"g.geojson", `{"features": []}`, ingest.Options{}}, `g.geojson: type: missing "type": "FeatureCollection"`,
			"fichier g.geojson, colonne type\u00a0: il manque \"type\": \"FeatureCollection\""},
		{"GeoJSON after", file{"g.geojson", fc(point(`"date_start": "2020-01-02", "type_of_violence": 1, "best": 3`)) + "\n5", ingest.Options{}},
			"g.geojson:2: unexpected data after the FeatureCollection: 5", "fichier g.geojson, ligne 2\u00a0: données inattendues après la FeatureCollection\u00a0: 5"},
		{"GeoJSON feature", file{"g.geojson", fc(`{"type": "Place"}`), ingest.Options{}}, `g.geojson:1: type: "Place": want Feature`,
			"fichier g.geojson, ligne 1, colonne type\u00a0: «\u202fPlace\u202f»\u00a0: attendu Feature"},
		{"GeoJSON null geometry", file{"g.geojson", fc(`{"type": "Feature", "geometry": null}`), ingest.Options{}}, "g.geojson:1: geometry: is null: an event needs a Point",
			"fichier g.geojson, ligne 1, colonne geometry\u00a0: est null\u00a0: un événement a besoin d’un Point"},
		{"GeoJSON line", file{"g.geojson", fc(`{"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}}`), ingest.Options{}},
			`g.geojson:1: geometry.type: "LineString": want Point`, "fichier g.geojson, ligne 1, colonne geometry.type\u00a0: «\u202fLineString\u202f»\u00a0: attendu Point"},
		{"GeoJSON one coordinate", file{"g.geojson", fc(`{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1]}}`), ingest.Options{}},
			"g.geojson:1: geometry.coordinates: want [longitude, latitude]", "fichier g.geojson, ligne 1, colonne geometry.coordinates\u00a0: attendu [longitude, latitude]"},
		{"GeoJSON coordinate", file{"g.geojson", fc(`{"type": "Feature", "geometry": {"type": "Point", "coordinates": ["east", 1]}}`), ingest.Options{}},
			`g.geojson:1: geometry.coordinates: "east" is not a number`, "fichier g.geojson, ligne 1, colonne geometry.coordinates\u00a0: «\u202feast\u202f» n’est pas un nombre"},
		{"GeoJSON property", file{"g.geojson", fc(point(`"Best": {"n": 3}`)), ingest.Options{}}, "g.geojson:1: properties.best: is a JSON object or array, want a string or number",
			"fichier g.geojson, ligne 1, colonne properties.best\u00a0: est un objet ou un tableau JSON, attendu une chaîne ou un nombre"},
		{"GeoJSON whole", file{"g.geojson", fc(point(`"date_start": "2020-01-02", "type_of_violence": 1, "best": 2.5`)), ingest.Options{}},
			`g.geojson:1: properties.best: "2.5" is not a whole number`, "fichier g.geojson, ligne 1, colonne properties.best\u00a0: «\u202f2.5\u202f» n’est pas un nombre entier"},
		{"GeoJSON date", file{"g.geojson", fc(point(`"event_date": "soon", "type_of_violence": 1, "best": 2`)), ingest.Options{}},
			`g.geojson:1: properties.event_date: "soon" is not a date (want YYYY-MM-DD)`,
			"fichier g.geojson, ligne 1, colonne properties.event_date\u00a0: «\u202fsoon\u202f» n’est pas une date (attendu AAAA-MM-JJ)"},
		{"GeoJSON no date", file{"g.geojson", fc(point(`"type_of_violence": 1, "best": 2`)), ingest.Options{}}, "g.geojson:1: properties.date_start: is missing",
			"fichier g.geojson, ligne 1, colonne properties.date_start\u00a0: est manquant"},

		// An event's own checks, in the file's terms.
		{"latitude", file{"g.csv", ged + "7,2020-01-02,1,95.5,29.5,3,2,5\n", ingest.Options{}}, "g.csv:2: latitude: 95.5 outside -90..90",
			"fichier g.csv, ligne 2, colonne latitude\u00a0: 95.5 hors de -90..90"},
		{"longitude", file{"a.csv", acled + "XYZ1,2020-01-02,Riots,1.5,200,0\n", ingest.Options{}}, "a.csv:2: longitude: 200 outside -180..180",
			"fichier a.csv, ligne 2, colonne longitude\u00a0: 200 hors de -180..180"},
		{"year", file{"g.csv", ged + "7,1850-01-02,1,1.5,29.5,3,2,5\n", ingest.Options{}}, "g.csv:2: date_start: year 1850 out of range 1900..2200",
			"fichier g.csv, ligne 2, colonne date_start\u00a0: année 1850 hors de l’intervalle 1900..2200"},
		{"end before start", file{"g.csv", "id,date_start,date_end,type_of_violence,latitude,longitude,best\n7,2020-01-02,2020-01-01,1,1.5,29.5,3\n", ingest.Options{}},
			"g.csv:2: date_end: 2020-01-01 is before date_start 2020-01-02", "fichier g.csv, ligne 2, colonne date_end\u00a0: 2020-01-01 est antérieure à date_start 2020-01-02"},
		{"negative", file{"g.csv", ged + "7,2020-01-02,1,1.5,29.5,-3,-3,5\n", ingest.Options{}}, "g.csv:2: best: fatalities cannot be negative",
			"fichier g.csv, ligne 2, colonne best\u00a0: le nombre de morts ne peut pas être négatif"},
		{"civilians", file{"g.csv", "id,date_start,type_of_violence,latitude,longitude,best,deaths_civilians\n7,2020-01-02,1,1.5,29.5,3,-2\n", ingest.Options{}},
			"g.csv:2: deaths_civilians: cannot be negative", "fichier g.csv, ligne 2, colonne deaths_civilians\u00a0: ne peut pas être négatif"},
		{"strict low above high", file{"h.csv", "#date,#geo+lat,#geo+lon,#affected+killed+min,#affected+killed,#affected+killed+max\n2020-01-02,1,10,6,5,4\n", ingest.Options{Strict: true}},
			"h.csv:2: #affected+killed+min: low estimate 6 is greater than high 4 (refused by --strict; without it such rows are kept as published and counted)",
			"fichier h.csv, ligne 2, colonne #affected+killed+min\u00a0: l’estimation basse 6 dépasse l’estimation haute 4 (refusé en mode strict\u202f; sinon, ces lignes sont gardées telles que publiées et comptées)"},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		opt := c.in.opt
		opt.Check = true
		_, err := ingest.Import(context.Background(), nil, c.in.name, strings.NewReader(c.in.data), opt)
		if err == nil || err.Error() != c.en {
			t.Errorf("%s: %v, want %q", c.name, err, c.en)
			continue
		}
		apperrtest.SaidAll(t, reached, apperrtest.Case{Name: c.name, Err: err, FR: c.fr})
	}

	// The import's options (QueryOptions: the API's query).
	for _, c := range []struct{ q, en, fr string }{
		{"format=xml", `format: unknown format "xml" (want ged, acled, hxl or geojson)`, "format\u00a0: format inconnu «\u202fxml\u202f» (attendu ged, acled, hxl ou geojson)"},
		{"check=yes", `check: "yes" is not true or false`, "check\u00a0: «\u202fyes\u202f» n’est ni true ni false"},
		{"strict=true&repair=1", "strict and repair cannot be combined", "strict et repair ne peuvent pas aller ensemble"},
		{"source=" + strings.Repeat("s", 101), "source: a name of at most 100 bytes on one line", "source\u00a0: un nom d’au plus 100 octets sur une seule ligne"},
	} {
		q, _ := url.ParseQuery(c.q)
		_, err := ingest.QueryOptions(q)
		if err == nil || err.Error() != c.en {
			t.Errorf("%s: %v, want %q", c.q, err, c.en)
			continue
		}
		apperrtest.SaidAll(t, reached, apperrtest.Case{Name: c.q, Err: err, FR: c.fr})
	}
	apperrtest.Catalog(t, ingest.Refusals, reached)
}
