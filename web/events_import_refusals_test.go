package web

import (
	"os"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestEventsImportRefusalKeys: POST /api/v1/events/import answers a
// refused file with its English "error", line and field as always, and
// beside them the catalog key and arguments that say the same text
// (checked) and its French, for the page's language: broken copies of the
// real UCDP GED 23.1 file of the Central African Republic (a latitude, a
// date), real HXL files without coordinates or hashtags, an empty file
// and a bad query parameter; sent as the page sends them (a multipart
// form).
func TestEventsImportRefusalKeys(t *testing.T) {
	car, err := os.ReadFile(shareddata.Path(t, carFile))
	if err != nil {
		t.Fatal(err)
	}
	// Broken copies: the 500th row (on line 514) with a bad cell.
	badLat, line := shareddata.Broken(t, carFile, 500, "latitude", "95.5")
	badDate, _ := shareddata.Broken(t, carFile, 500, "date_start", "31/12/2018")
	hxlValid, err := os.ReadFile(shareddata.Path(t, "hxl/input-valid.csv"))
	if err != nil {
		t.Fatal(err)
	}
	hxlUntagged, err := os.ReadFile(shareddata.Path(t, "hxl/input-untagged.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if line != 514 {
		t.Fatalf("the 500th row starts on line %d", line)
	}
	e := newEnv(t)
	for _, c := range []struct {
		name, query string
		data        []byte
		status      int
		line        int
		key, en, fr string
	}{
		{"latitude", "", badLat, 400, 514, apperr.KeyAtLineField, "car.csv:514: latitude: 95.5 outside -90..90",
			"fichier car.csv, ligne 514, colonne latitude\u00a0: 95.5 hors de -90..90"},
		{"date", "", badDate, 400, 514, apperr.KeyAtLineField, `car.csv:514: date_start: "31/12/2018" is not a date (want YYYY-MM-DD)`,
			"fichier car.csv, ligne 514, colonne date_start\u00a0: «\u202f31/12/2018\u202f» n’est pas une date (attendu AAAA-MM-JJ)"},
		{"HXL without coordinates", "", hxlValid, 400, 0, apperr.KeyAtFile, "car.csv: no #geo+lat and #geo+lon (or #geo+coord) columns: an HXL event file needs coordinates",
			"fichier car.csv\u00a0: pas de colonnes #geo+lat et #geo+lon (ni #geo+coord)\u00a0: un fichier d’événements HXL a besoin de coordonnées"},
		{"HXL without hashtags", "?format=hxl", hxlUntagged, 400, 0, apperr.KeyAtFile,
			"car.csv: no HXL hashtag row (#date, #geo+lat, …) in the first 25 rows: the file is not HXL-tagged",
			"fichier car.csv\u00a0: aucune ligne de hashtags HXL (#date, #geo+lat, …) dans les 25 premières lignes\u00a0: le fichier n’est pas balisé en HXL"},
		{"empty", "", nil, 400, 0, apperr.KeyAtFile, "car.csv: empty file (0 bytes)", "fichier car.csv\u00a0: fichier vide (0 octet)"},
		{"format", "?format=xml", car, 400, 0, apperr.KeyField, `format: unknown format "xml" (want ged, acled, hxl or geojson)`,
			"format\u00a0: format inconnu «\u202fxml\u202f» (attendu ged, acled, hxl ou geojson)"},
	} {
		body, ctype := multipartFile(t, "file", "car.csv", c.data)
		got := keyedCase{name: c.name, method: "POST", path: "/api/v1/events/import" + c.query, body: string(body), opt: reqOpt{token: e.tokens["ana"], ctype: ctype},
			status: c.status, key: c.key, en: c.en, fr: c.fr}.send(t, e)
		if got.Line != c.line {
			t.Errorf("%s: line %d, want %d", c.name, got.Line, c.line)
		}
	}
	if n := len(e.allEvents(t, "", 1000)); n != 0 {
		t.Fatalf("refused files wrote %d events", n)
	}
}
