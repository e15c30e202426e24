package geotext_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: every refusal of the place API's requests (a place
// search, a gazetteer upload) carries its whole text as a catalog message
// (Refusals): English as the API always said it, the field named, French
// another text with nothing left unfilled; every message is said.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	var x *geotext.Index // the checks come before the index is used
	search := func(q url.Values) error { _, err := x.SearchQuery(ctx, q); return err }
	upload := func(in geotext.GazetteerUpload) error { _, err := x.ImportUpload(ctx, "test", in); return err }
	reached := map[string]bool{}
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "no name", Err: search(url.Values{"q": {"  "}}), FR: "q\u00a0: donnez un nom de lieu à chercher"},
		apperrtest.Case{Name: "long name", Err: search(url.Values{"q": {strings.Repeat("a", 201)}}), FR: "q\u00a0: au plus 200 octets"},
		apperrtest.Case{Name: "limit", Err: search(url.Values{"q": {"Goma"}, "limit": {"0"}}), FR: "limit\u00a0: «\u202f0\u202f»\u00a0: attendu de 1 à 50"},
		apperrtest.Case{Name: "long file name", Err: upload(geotext.GazetteerUpload{Name: strings.Repeat("a", 201), Data: "name\n"}), FR: "name\u00a0: au plus 200 octets"},
		apperrtest.Case{Name: "empty file", Err: upload(geotext.GazetteerUpload{Data: " \n"}), FR: "data\u00a0: le CSV est vide"},
	)
	// A gazetteer's rows (the Administration page's upload), each at its
	// line and column, a coordinate's reason said too.
	load := func(csv string) error { _, err := geotext.LoadGazetteer(strings.NewReader(csv), "f.csv"); return err }
	row := func(r string) error { return load("name,lat,lon,country,population\n" + r + "\n") }
	lat := func(v string) error { return row("Bunia," + v + ",30.25") }
	lon := func(v string) error { return row("Bunia,1.56," + v) }
	apperrtest.SaidAll(t, reached,
		apperrtest.Case{Name: "gazetteer empty", Err: load(""), FR: "fichier f.csv\u00a0: fichier vide, une ligne d’en-tête est attendue"},
		apperrtest.Case{Name: "gazetteer header", Err: load("name,lat\n"), FR: "fichier f.csv, ligne 1\u00a0: l’en-tête n’a pas de colonne «\u202flon\u202f» (colonnes\u00a0: name,lat)"},
		apperrtest.Case{Name: "gazetteer header quote", Err: load("na\"me,lat,lon\n"), FR: "f.csv\u00a0: erreur de lecture à la ligne 1, colonne 3\u00a0: guillemet \" dans un champ sans guillemets"},
		apperrtest.Case{Name: "gazetteer no places", Err: load("name,lat,lon\n"), FR: "fichier f.csv\u00a0: aucun lieu après l’en-tête"},
		apperrtest.Case{Name: "no name", Err: row(",1,2"), FR: "fichier f.csv, ligne 2, colonne name\u00a0: vide"},
		apperrtest.Case{Name: "long name", Err: row(strings.Repeat("a", 201) + ",1,2"), FR: "fichier f.csv, ligne 2, colonne name\u00a0: plus de 200 octets"},
		apperrtest.Case{Name: "country", Err: row("Bunia,1,2,Narnia"), FR: "fichier f.csv, ligne 2, colonne country\u00a0: «\u202fNarnia\u202f» n’est ni un code ni un nom de pays connu"},
		apperrtest.Case{Name: "population", Err: row("Bunia,1,2,COD,-5"), FR: "fichier f.csv, ligne 2, colonne population\u00a0: «\u202f-5\u202f» n’est pas un nombre d’habitants"},
		apperrtest.Case{Name: "latitude range", Err: lat("95"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202f95\u202f»\u00a0: latitude 95 hors de l’intervalle [-90, 90]"},
		apperrtest.Case{Name: "longitude range", Err: lon("-200"), FR: "fichier f.csv, ligne 2, colonne lon\u00a0: «\u202f-200\u202f»\u00a0: longitude -200 hors de l’intervalle [-180, 180]"},
		apperrtest.Case{Name: "hemisphere of a latitude", Err: lat("E 1"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202fE 1\u202f»\u00a0: l’hémisphère E ne convient pas à une latitude"},
		apperrtest.Case{Name: "hemisphere of a longitude", Err: lon("N 30"), FR: "fichier f.csv, ligne 2, colonne lon\u00a0: «\u202fN 30\u202f»\u00a0: l’hémisphère N ne convient pas à une longitude"},
		apperrtest.Case{Name: "sign", Err: lat("1-2"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: signe «\u202f-\u202f» au milieu de «\u202f1-2\u202f»"},
		apperrtest.Case{Name: "two hemispheres", Err: lat("N 1 S"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: deux lettres d’hémisphère dans «\u202fN 1 S\u202f»"},
		apperrtest.Case{Name: "unexpected", Err: lat("1x"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202fx\u202f» inattendu dans «\u202f1x\u202f»"},
		apperrtest.Case{Name: "no degrees", Err: lat("N"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202fN\u202f»\u00a0: attendu des degrés, éventuellement des minutes et des secondes"},
		apperrtest.Case{Name: "minus and south", Err: lat("-1 S"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202f-1 S\u202f» a à la fois un signe moins et l’hémisphère S"},
		apperrtest.Case{Name: "not a number", Err: lat("1..2"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202f1..2\u202f» n’est pas un nombre"},
		apperrtest.Case{Name: "decimals", Err: lat("1.5 30"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202f1.5 30\u202f»\u00a0: seule la dernière partie peut avoir des décimales"},
		apperrtest.Case{Name: "minutes", Err: lat("1 60"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202f1 60\u202f»\u00a0: les minutes doivent être inférieures à 60"},
		apperrtest.Case{Name: "label query", Err: func() error { _, err := x.LabelQuery(ctx, url.Values{"lat": {"1"}, "lon": {"E"}}); return err }(),
			FR: "lon\u00a0: «\u202fE\u202f»\u00a0: attendu des degrés, éventuellement des minutes et des secondes"},
		apperrtest.Case{Name: "seconds", Err: lat("1 2 60"), FR: "fichier f.csv, ligne 2, colonne lat\u00a0: «\u202f1 2 60\u202f»\u00a0: les secondes doivent être inférieures à 60"},
	)
	for k := range reached {
		if !strings.HasPrefix(k, "geotext.") && !strings.HasPrefix(k, "refusal.csv.") && k != "refusal.field" && k != "refusal.not-number" && !strings.HasSuffix(k, ".refusal.empty") &&
			k != "integrity.refusal.at-most-bytes" && k != "refusal.query.bytes" {
			t.Errorf("said by %s", k)
		}
	}
	reached["geotext.refusal.at-most-bytes"] = true // the English of another catalog's message too (said by whichever registered first)
	reached["geotext.refusal.empty"] = true         // likewise
	apperrtest.Catalog(t, geotext.Refusals, reached)
}
