package coverage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/coverage/mclp"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestRefusalMessages: every refusal the Coverage, Responsiveness and
// Administration pages can meet from the coverage service carries its
// whole text as a catalog message (the API's key and args): the
// parameters and bodies of its requests, nothing stored to answer from, a
// try, plan or cut the model or the optimiser (mclp) refuses, the rainy
// seasons, a deployments file (CSV, Geo-PKO, GeoJSON) or a population
// layer refused at its line, a scenario the store refuses. English is the
// error as it always read, French what a French page shows; every message
// of coverage.Refusals and mclp.Refusals is said by one.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	// The reference grid: the Central African Republic's cells where the
	// tests put sites.
	gid := func(lat, lon float64) int {
		g, err := grid.PrioGID(lat, lon)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	var ref []coverage.Cell
	for _, p := range [][2]float64{{4.3947, 18.5582}, {6.5423, 21.9863}, {5, 20}} {
		lat, lon, _ := grid.PrioCenter(gid(p[0], p[1]))
		ref = append(ref, coverage.Cell{GID: gid(p[0], p[1]), Country: "Central African Republic", Lat: lat, Lon: lon})
	}
	s := coverage.NewService(db, nil, coverage.NewCells(ref))
	q := func(v string) url.Values { x, _ := url.ParseQuery(v); return x }
	second := func(_ any, err error) error { return err }
	reached := map[string]bool{}
	said := func(cases ...apperrtest.Case) {
		t.Helper()
		for _, c := range cases {
			if k, ok := apperr.KindOf(c.Err); ok && k != apperr.KindInvalid && k != apperr.KindNotFound {
				t.Errorf("%s: %v is %v, want invalid input or not found", c.Name, c.Err, k)
			}
		}
		apperrtest.SaidAll(t, reached, cases...)
	}
	type C = apperrtest.Case
	scenario := func(sc coverage.ScenarioJSON) error { return second(s.SaveScenarioJSON(ctx, "ana", sc)) }
	body := json.RawMessage(`{}`)

	// Requests and answers with nothing stored.
	said(
		C{Name: "no month", Err: second(coverage.MonthParam("month", "")), FR: "month est requis (AAAA-MM)"},
		C{Name: "bad month", Err: second(coverage.MonthParam("from", "2019-13")), FR: "from\u00a0: mois «\u202f2019-13\u202f»\u00a0: attendu AAAA-MM"},
		C{Name: "limit", Err: second(s.GapQuery(ctx, q("month=latest&limit=0"))), FR: "limit «\u202f0\u202f»\u00a0: attendu 1..5000"},
		C{Name: "scenario id", Err: second(s.ScenarioByID(ctx, "x")), FR: "l’identifiant de scénario «\u202fx\u202f» n’est pas un entier positif"},
		C{Name: "time limit", Err: second(s.PlanSites(ctx, coverage.PlanInput{Month: "2020-01", TimeLimit: 31})), FR: "time_limit_seconds 31\u00a0: attendu 0 < t ≤ 30"},
		C{Name: "candidates", Err: second(s.PlanSites(ctx, coverage.PlanInput{Month: "2020-01", Candidates: make([]coverage.Candidate, 50001)})), FR: "au plus 50 000 sites candidats"},
		C{Name: "try lat", Err: second(s.TrySite(ctx, coverage.TryInput{Month: "2020-01", Lat: 91})), FR: "latitude 91 hors de -90..90"},
		C{Name: "scenario id set", Err: scenario(coverage.ScenarioJSON{ID: 1, Month: "2020-01", Body: body}), FR: "id, created_by et created_at sont fixés par le serveur"},
		C{Name: "scenario body", Err: scenario(coverage.ScenarioJSON{Name: "x", Kind: "plan", Month: "2020-01"}), FR: "body doit être le JSON d’un résultat plan, try ou cut"},
		C{Name: "scenario name", Err: scenario(coverage.ScenarioJSON{Name: " ", Kind: "plan", Month: "2020-01", Body: body}), FR: "name\u00a0: doit faire de 1 à 200 caractères"},
		C{Name: "scenario name control", Err: scenario(coverage.ScenarioJSON{Name: "a\tb", Kind: "plan", Month: "2020-01", Body: body}),
			FR: "name\u00a0: contient un caractère de contrôle (U+0009) à la position 2"},
		C{Name: "scenario kind", Err: scenario(coverage.ScenarioJSON{Name: "x", Kind: "map", Month: "2020-01", Body: body}), FR: "kind\u00a0: «\u202fmap\u202f»\u00a0: attendu plan, try ou cut"},
		C{Name: "scenario empty body", Err: second(s.SaveScenario(ctx, "ana", &coverage.Scenario{Name: "x", Kind: "plan", Month: grid.MonthOf(2020, 1)})), FR: "body\u00a0: est vide"},
		C{Name: "population name", Err: second(s.UploadPopulation(ctx, "ana", coverage.PopulationUpload{Name: strings.Repeat("a", 201)})), FR: "name\u00a0: au plus 200 caractères"},
		C{Name: "population name control", Err: second(s.UploadPopulation(ctx, "ana", coverage.PopulationUpload{Name: "a\x01"})),
			FR: "name\u00a0: contient un caractère de contrôle (U+0001) à la position 2"},
		C{Name: "format", Err: second(s.ImportDeployments(ctx, "ana", "xls", "", "x")), FR: "format «\u202fxls\u202f»\u00a0: attendu csv, geojson ou geopko"},
		C{Name: "no deployments", Err: second(s.Responsiveness(ctx, 0, 0)), FR: "aucun déploiement enregistré"},
		C{Name: "no data", Err: second(s.GapReport(ctx, 0, 5)), FR: "aucun déploiement ni événement enregistré"},
		C{Name: "no population", Err: s.DeletePopulation(ctx, "ana"), FR: "aucune couche de population chargée"},
		C{Name: "no scenario", Err: second(s.Scenario(ctx, 99)), FR: "aucun scénario 99"},
		C{Name: "no seasons", Err: second(s.SetSeasons(ctx, "ana", nil)), FR: "rainy_months\u00a0: indiquez au moins un pays"},
	)

	// A deployments file, refused at its line (nothing stored).
	const head = "id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility,cost\n"
	const row = "a,MINUSCA,permanent,4.39,18.55,2017-01,2017-12,100,0,0,10,90,infantry,vehicle,5"
	csvRow := func(col, v string) string {
		cols, vals := strings.Split(strings.TrimSpace(head), ","), strings.Split(row, ",")
		for i := range cols {
			if cols[i] == col {
				vals[i] = v
			}
		}
		return head + strings.Join(vals, ",") + "\n"
	}
	imp := func(format, data string) error {
		return second(s.ImportDeployments(ctx, "ana", format, "d."+format, data))
	}
	said(
		C{Name: "no deployments in the file", Err: imp("csv", head), FR: "aucun déploiement dans le fichier"},
		C{Name: "empty file", Err: imp("csv", ""), FR: "fichier d.csv, ligne 1\u00a0: impossible de lire la ligne d’en-tête\u00a0: le fichier est vide"},
		C{Name: "header", Err: imp("csv", "id,\"mission\"x\n"),
			FR: "fichier d.csv, ligne 1\u00a0: impossible de lire la ligne d’en-tête\u00a0: erreur de lecture à la ligne 1, colonne 12\u00a0: guillemet \" en trop ou manquant dans un champ entre guillemets"},
		C{Name: "missing column", Err: imp("csv", "a,b\n1,2\n"), FR: "fichier d.csv, ligne 1, colonne id\u00a0: colonne manquante"},
		C{Name: "bare quote", Err: imp("csv", head+strings.Replace(row, "MINUSCA", `MINUSCA"`, 1)+"\n"),
			FR: "fichier d.csv, ligne 2\u00a0: erreur de lecture à la ligne 2, colonne 10\u00a0: guillemet \" dans un champ sans guillemets"},
		C{Name: "id empty", Err: imp("csv", csvRow("id", "")), FR: "fichier d.csv, ligne 2, colonne id\u00a0: est vide"},
		C{Name: "lat empty", Err: imp("csv", csvRow("lat", "")), FR: "fichier d.csv, ligne 2, colonne lat\u00a0: est vide"},
		C{Name: "lat not a number", Err: imp("csv", csvRow("lat", "x")), FR: "fichier d.csv, ligne 2, colonne lat\u00a0: «\u202fx\u202f» n’est pas un nombre fini"},
		C{Name: "start", Err: imp("csv", csvRow("start", "2017")), FR: "fichier d.csv, ligne 2, colonne start\u00a0: «\u202f2017\u202f»\u00a0: attendu AAAA-MM ou AAAA-MM-JJ"},
		C{Name: "start month", Err: imp("csv", csvRow("start", "2017-13")), FR: "fichier d.csv, ligne 2, colonne start\u00a0: mois «\u202f2017-13\u202f»\u00a0: attendu AAAA-MM"},
		C{Name: "military", Err: imp("csv", csvRow("military", "1.5")), FR: "fichier d.csv, ligne 2, colonne military\u00a0: «\u202f1.5\u202f» n’est pas un effectif entier"},
		C{Name: "mission", Err: imp("csv", csvRow("mission", "")), FR: "fichier d.csv, ligne 2, colonne mission\u00a0: est vide"},
		C{Name: "latitude", Err: imp("csv", csvRow("lat", "95")), FR: "fichier d.csv, ligne 2, colonne lat\u00a0: latitude 95 hors de -90..90"},
		C{Name: "kind", Err: imp("csv", csvRow("kind", "fort")), FR: "fichier d.csv, ligne 2, colonne kind\u00a0: «\u202ffort\u202f»\u00a0: attendu l’un de [permanent cob tob patrol_base police_post]"},
		C{Name: "mobility", Err: imp("csv", csvRow("mobility", "bike")), FR: "fichier d.csv, ligne 2, colonne mobility\u00a0: «\u202fbike\u202f»\u00a0: attendu foot, vehicle ou air"},
		C{Name: "end before start", Err: imp("csv", csvRow("end", "2016-01")), FR: "fichier d.csv, ligne 2, colonne end\u00a0: 2016-01 est avant le début 2017-01"},
		C{Name: "negative", Err: imp("csv", csvRow("police", "-1")), FR: "fichier d.csv, ligne 2, colonne police\u00a0: -1 est négatif"},
		C{Name: "women and men", Err: imp("csv", csvRow("women", "50")), FR: "fichier d.csv, ligne 2, colonne women\u00a0: femmes 50 + hommes 90 dépassent l’effectif 100"},
		C{Name: "cost", Err: imp("csv", csvRow("cost", "-2")), FR: "fichier d.csv, ligne 2, colonne cost\u00a0: -2 doit être un nombre fini ≥ 0"},
		C{Name: "unit", Err: imp("csv", csvRow("units", "tanks")), FR: "fichier d.csv, ligne 2, colonne units\u00a0: type d’unité inconnu «\u202ftanks\u202f» (attendu " + strings.Join(coverage.UnitTypes, ", ") + ")"},
		C{Name: "duplicate id", Err: imp("csv", csvRow("id", "a")+row+"\n"), FR: "fichier d.csv, ligne 3, colonne id\u00a0: identifiant «\u202fa\u202f» en double (ligne 2)"},
		C{Name: "start missing", Err: (&coverage.Deployment{Mission: "M", Lat: 1, Lon: 1}).Validate(nil), FR: "start\u00a0: est manquant"},
	)
	// A site outside a configured grid.
	far := coverage.NewCells([]coverage.Cell{{GID: 1, Country: "X", Lat: -89.75, Lon: -179.75}})
	said(C{Name: "outside the grid", Err: second(coverage.ReadCSV(strings.NewReader(csvRow("id", "a")), "d.csv", far)),
		FR: "fichier d.csv, ligne 2, colonne lat\u00a0: le site en 4.3900,18.5500 (cellule PRIO-GRID 135758) est hors de la grille chargée (1 cellules)"})

	const pko = "mission,year,month,latitude,longitude,no.troops,fpu.no\n"
	said(
		C{Name: "Geo-PKO year", Err: imp("geopko", pko+"M,x,1,1,1,1,0\n"), FR: "fichier d.geopko, ligne 2, colonne year\u00a0: «\u202fx\u202f» n’est pas une année"},
		C{Name: "Geo-PKO month", Err: imp("geopko", pko+"M,2017,13,1,1,1,0\n"), FR: "fichier d.geopko, ligne 2, colonne month\u00a0: «\u202f13\u202f» n’est pas un mois de 1 à 12"},
		C{Name: "Geo-PKO latitude", Err: imp("geopko", pko+"M,2017,1,,1,1,0\n"), FR: "fichier d.geopko, ligne 2, colonne latitude\u00a0: «\u202f\u202f» n’est pas un nombre"},
		C{Name: "Geo-PKO longitude", Err: imp("geopko", pko+"M,2017,1,1,east,1,0\n"), FR: "fichier d.geopko, ligne 2, colonne longitude\u00a0: «\u202feast\u202f» n’est pas un nombre"},
		C{Name: "Geo-PKO troops", Err: imp("geopko", pko+"M,2017,1,1,1,1.5,0\n"), FR: "fichier d.geopko, ligne 2, colonne no.troops\u00a0: «\u202f1.5\u202f» n’est pas un effectif entier"},
		C{Name: "Geo-PKO police", Err: imp("geopko", pko+"M,2017,1,1,1,1,many\n"), FR: "fichier d.geopko, ligne 2, colonne fpu.no\u00a0: «\u202fmany\u202f» n’est pas un nombre fini"},
	)
	feature := func(id string) string {
		return `{"type":"Feature","geometry":{"type":"Point","coordinates":[18.55,4.39]},"properties":{"id":"` + id + `","mission":"M","start":"2017-01","end":"2017-12"}}`
	}
	fc := func(fs ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
	}
	said(
		C{Name: "GeoJSON syntax", Err: imp("geojson", `{"type":`), FR: "d.geojson\u00a0: GeoJSON invalide\u00a0: fin inattendue\u00a0: le JSON est incomplet"},
		C{Name: "GeoJSON type", Err: imp("geojson", `{"type":"Feature"}`), FR: "d.geojson\u00a0: type «\u202fFeature\u202f»\u00a0: attendu FeatureCollection"},
		C{Name: "GeoJSON geometry", Err: imp("geojson", fc(`{"type":"Feature"}`)), FR: "d.geojson\u00a0: entité 0, champ geometry\u00a0: attendu un Point avec [lon, lat]"},
		C{Name: "GeoJSON field", Err: imp("geojson", fc(feature(""))), FR: "d.geojson\u00a0: entité 0, champ id\u00a0: est vide"},
		C{Name: "GeoJSON duplicate", Err: imp("geojson", fc(feature("a"), feature("a"))), FR: "d.geojson\u00a0: entité 1, champ id\u00a0: identifiant «\u202fa\u202f» en double (entité 0)"},
	)

	// A population layer, at its line.
	cells := coverage.NewCells(ref[:1]) // cell 135758
	pop := func(data string) error {
		return second(coverage.ReadPopulation(strings.NewReader(data), "p.csv", cells))
	}
	// A place in the cell, one far from it, a name and a P-code in two cells.
	here, _ := grid.PrioGID(0.1, 0.1)
	hlat, hlon, _ := grid.PrioCenter(135758)
	gaz, err := geotext.LoadGazetteer(strings.NewReader(fmt.Sprintf("name,lat,lon,country,pcode\nHere,%v,%v,CAF,CF1\nFar,0.1,0.1,CAF,CF2\nTwice,%v,%v,CAF,CF9\nTwice,0.1,0.1,CAF,CF9\n", hlat, hlon, hlat, hlon)), "g.csv")
	if err != nil || here != 129961 {
		t.Fatal(err, here)
	}
	popIn := func(data string) error {
		return second(coverage.ReadPopulationIn(strings.NewReader(data), "p.csv", cells, func() (*geotext.Gazetteer, error) { return gaz, nil }))
	}
	said(
		C{Name: "population empty", Err: pop(""), FR: "fichier p.csv, ligne 1\u00a0: fichier vide\u00a0: attendu un en-tête gid,population[,friction] ou gid,year,population[,friction]"},
		C{Name: "population header", Err: pop("gid,\"population\"x\n"),
			FR: "fichier p.csv, ligne 1\u00a0: impossible de lire l’en-tête\u00a0: erreur de lecture à la ligne 1, colonne 16\u00a0: guillemet \" en trop ou manquant dans un champ entre guillemets"},
		C{Name: "population column twice", Err: pop("gid,population,gid\n"), FR: "fichier p.csv, ligne 1\u00a0: la colonne «\u202fgid\u202f» apparaît deux fois"},
		C{Name: "population no location column", Err: pop("name,population\n"), FR: "fichier p.csv, ligne 1\u00a0: colonne de localisation manquante\u00a0: gid (ou priogrid_gid, cell), lat et lon, pcode ou place"},
		C{Name: "population no population", Err: pop("gid,people\n"), FR: "fichier p.csv, ligne 1\u00a0: colonne population manquante"},
		C{Name: "population gid", Err: pop("gid,population\nx,1\n"), FR: "fichier p.csv, ligne 2\u00a0: gid «\u202fx\u202f» n’est pas un entier"},
		C{Name: "population cell", Err: pop("gid,population\n7,1\n"), FR: "fichier p.csv, ligne 2\u00a0: gid 7 n’est pas une cellule de la grille d’analyse (1 cellules)"},
		C{Name: "population year", Err: pop("gid,year,population\n135758,1800,1\n"), FR: "fichier p.csv, ligne 2\u00a0: year «\u202f1800\u202f» doit être un entier de 1900 à 2100"},
		C{Name: "population value", Err: pop("gid,population\n135758,-1\n"), FR: "fichier p.csv, ligne 2\u00a0: population «\u202f-1\u202f» doit être un nombre de 0 à 1e9"},
		C{Name: "population friction", Err: pop("gid,population,friction\n135758,1,0\n"), FR: "fichier p.csv, ligne 2\u00a0: friction «\u202f0\u202f» doit être un nombre de 1 à 100 (ou vide)"},
		C{Name: "population again in a year", Err: pop("gid,year,population\n135758,2020,1\n135758,2020,2\n"), FR: "fichier p.csv, ligne 3\u00a0: gid 135758 year 2020 déjà donné à la ligne 2"},
		C{Name: "population again", Err: pop("gid,population\n135758,1\n135758,2\n"), FR: "fichier p.csv, ligne 3\u00a0: gid 135758 déjà donné à la ligne 2"},
		C{Name: "population no rows", Err: pop("gid,population\n"), FR: "p.csv\u00a0: aucune ligne après l’en-tête"},
		C{Name: "population no location", Err: popIn("lat,lon,population\n,,1\n"), FR: "fichier p.csv, ligne 2\u00a0: aucune localisation\u00a0: indiquez gid, lat et lon, pcode ou place"},
		C{Name: "population position", Err: popIn("lat,lon,population\n91,0,1\n"), FR: "fichier p.csv, ligne 2\u00a0: lat «\u202f91\u202f», lon «\u202f0\u202f» n’est pas une position (latitude de -90 à 90, longitude de -180 à 180)"},
		C{Name: "population position off the grid", Err: popIn("lat,lon,population\n0.1,0.1,1\n"), FR: "fichier p.csv, ligne 2\u00a0: lat 0.1, lon 0.1 est dans la cellule 129961, qui n’est pas une cellule de la grille d’analyse (1 cellules)"},
		C{Name: "population place off the grid", Err: popIn("place,population\nFar,1\n"), FR: "fichier p.csv, ligne 2\u00a0: «\u202fFar\u202f» est dans la cellule 129961, qui n’est pas une cellule de la grille d’analyse (1 cellules)"},
		C{Name: "population place twice", Err: popIn("place,population\nHere,1\nhere,2\n"), FR: "fichier p.csv, ligne 3\u00a0: «\u202fhere\u202f» déjà donné à la ligne 2"},
		C{Name: "population country", Err: popIn("place,country,population\nHere,Atlantis,1\n"), FR: "fichier p.csv, ligne 2\u00a0: le pays «\u202fAtlantis\u202f» n’est pas un pays connu de Vigil\u00a0: indiquez son code ISO (p. ex. COD)"},
		C{Name: "population unknown place", Err: popIn("place,population\nNowhere,1\n"),
			FR: "fichier p.csv, ligne 2\u00a0: le lieu «\u202fNowhere\u202f» n’est pas dans le répertoire géographique\u00a0: indiquez sa lat et sa lon ou son P-code, ou ajoutez-le au répertoire (Administration → Noms de lieux)"},
		C{Name: "population ambiguous place", Err: popIn("place,population\nTwice,1\n"),
			FR: "fichier p.csv, ligne 2\u00a0: le lieu «\u202fTwice\u202f» est ambigu\u00a0: 2 lieux portent ce nom (Twice (CAF); Twice (CAF))\u00a0: ajoutez une colonne country (code ISO) ou indiquez sa lat et sa lon ou son P-code"},
		C{Name: "population unknown P-code", Err: popIn("pcode,population\nXX1,1\n"),
			FR: "fichier p.csv, ligne 2\u00a0: le P-code «\u202fXX1\u202f» n’est pas dans le répertoire géographique\u00a0: importez la liste de lieux de la mission avec ses P-codes (Administration → Noms de lieux) ou indiquez lat et lon"},
		C{Name: "population ambiguous P-code", Err: popIn("pcode,population\nCF9,1\n"), FR: "fichier p.csv, ligne 2\u00a0: le P-code «\u202fCF9\u202f» est ambigu\u00a0: 2 lieux le portent (Twice (CAF); Twice (CAF))\u00a0: indiquez plutôt lat et lon"},
		C{Name: "population too many rows", Err: second(coverage.ReadPopulation(manyRows("gid,population\n", coverage.MaxPopulationRows+1, "%d,1\n"), "p.csv", nil)),
			FR: "fichier p.csv, ligne 2000002\u00a0: plus de 2000000 lignes"},
	)

	// Rainy seasons.
	said(
		C{Name: "country name", Err: coverage.CheckSeasons(map[string][]int{" ": {1}}, nil), FR: "rainy_months\u00a0: le nom de pays «\u202f \u202f» doit faire de 1 à 100 caractères"},
		C{Name: "season month", Err: coverage.CheckSeasons(map[string][]int{"Mali": {13}}, nil), FR: "rainy_months.Mali\u00a0: mois 13 hors de 1–12"},
		C{Name: "season month twice", Err: coverage.CheckSeasons(map[string][]int{"Mali": {6, 6}}, nil), FR: "rainy_months.Mali\u00a0: mois 6 donné deux fois"},
		C{Name: "season country", Err: coverage.CheckSeasons(map[string][]int{"Atlantis": {1}}, []string{"Mali"}), FR: "rainy_months.Atlantis\u00a0: pays inconnu «\u202fAtlantis\u202f» (pays de la grille\u00a0: Mali)"},
	)

	// With deployments in the Central African Republic (2014-09 to 2018-12;
	// one without personnel in 2019-06): the model's refusals.
	if _, err := s.ImportDeployments(ctx, "ana", "csv", "sites.csv", sitesCSV+"z,MINUSCA,permanent,4.39,18.56,2019-06,2019-06,0,0,0,0,0,,vehicle\n"); err != nil {
		t.Fatal(err)
	}
	try := func(in coverage.TryInput) error {
		in.Month, in.Lat, in.Lon = "2017-06", 5, 20
		return second(s.TrySite(ctx, in))
	}
	plan := func(in coverage.PlanInput) error { in.Month = "2017-06"; return second(s.PlanSites(ctx, in)) }
	cut := func(in coverage.CutInput) error { return second(s.CutSites(ctx, in)) }
	site := func(c coverage.Candidate) []coverage.Candidate {
		c.ID = "c1"
		if c.Lat == 0 {
			c.Lat, c.Lon = 5, 20
		}
		return []coverage.Candidate{c}
	}
	said(
		C{Name: "to before from", Err: second(s.Responsiveness(ctx, grid.MonthOf(2017, 5), grid.MonthOf(2017, 1))), FR: "la fin de la période (2017-01) précède son début (2017-05)"},
		C{Name: "60 years", Err: second(s.Responsiveness(ctx, grid.MonthOf(1950, 1), grid.MonthOf(2017, 1))), FR: "au plus 60 ans à la fois"},
		C{Name: "try mobility", Err: try(coverage.TryInput{Mobility: "bike"}), FR: "mobilité «\u202fbike\u202f»\u00a0: attendu foot, vehicle ou air"},
		C{Name: "weight", Err: try(coverage.TryInput{Weight: "people"}), FR: "poids «\u202fpeople\u202f»\u00a0: attendu risk_population, risk ou population"},
		C{Name: "weight without population", Err: try(coverage.TryInput{Weight: "population"}), FR: "le poids «\u202fpopulation\u202f» demande une couche de population"},
		C{Name: "candidate", Err: plan(coverage.PlanInput{P: 1, Candidates: site(coverage.Candidate{Lat: 95})}), FR: "site candidat 0 (c1)\u00a0: latitude 95 hors de -90..90"},
		C{Name: "candidate mobility", Err: plan(coverage.PlanInput{P: 1, Candidates: site(coverage.Candidate{Mobility: "bike"})}), FR: "site candidat 0 (c1)\u00a0: mobilité inconnue «\u202fbike\u202f»"},
		C{Name: "no p nor budget", Err: plan(coverage.PlanInput{}), FR: "mclp\u00a0: indiquez p > 0 nouveaux sites, un budget > 0, ou les deux"},
		C{Name: "p negative", Err: plan(coverage.PlanInput{P: -1}), FR: "mclp\u00a0: p = -1\u00a0: doit être ≥ 0"},
		C{Name: "budget negative", Err: plan(coverage.PlanInput{P: 1, Budget: -1}), FR: "mclp\u00a0: budget -1\u00a0: doit être un nombre fini ≥ 0"},
		C{Name: "p too large", Err: plan(coverage.PlanInput{P: 2, Candidates: site(coverage.Candidate{})}), FR: "mclp\u00a0: p = 2 dépasse le nombre de sites candidats non fixés (1)"},
		C{Name: "no candidates", Err: plan(coverage.PlanInput{Budget: 1, Candidates: []coverage.Candidate{}}), FR: "mclp\u00a0: aucun site candidat (tous les sites sont fixés)"},
		C{Name: "budget too small", Err: plan(coverage.PlanInput{Budget: 1, Candidates: site(coverage.Candidate{Cost: 5})}), FR: "mclp\u00a0: le budget 1 ne suffit pas\u00a0: le site candidat le moins cher coûte 5"},
		C{Name: "candidate cost", Err: plan(coverage.PlanInput{P: 1, Candidates: site(coverage.Candidate{Cost: -1})}), FR: "mclp\u00a0: site c1\u00a0: le coût -1 doit être un nombre fini ≥ 0"},
		C{Name: "share", Err: cut(coverage.CutInput{Month: "2017-06", Share: 2}), FR: "réduction 2\u00a0: attendu une fraction entre 0 et 1 (p. ex. 0.26)"},
		C{Name: "basis", Err: cut(coverage.CutInput{Month: "2017-06", Share: 0.2, Basis: "budget"}), FR: "base «\u202fbudget\u202f»\u00a0: attendu personnel ou cost"},
		C{Name: "no active site", Err: cut(coverage.CutInput{Month: "2020-01", Share: 0.2}), FR: "aucun déploiement actif en 2020-01"},
		C{Name: "no cost to cut", Err: cut(coverage.CutInput{Month: "2017-06", Share: 0.2, Basis: "cost"}), FR: "les sites actifs n’ont aucun coût à réduire"},
		C{Name: "no personnel to cut", Err: cut(coverage.CutInput{Month: "2019-06", Share: 0.2}), FR: "les sites actifs n’ont aucun effectif à réduire"},
		C{Name: "season country", Err: second(s.SetSeasons(ctx, "ana", map[string][]int{"Atlantis": {1}})),
			FR: "pays inconnu «\u202fAtlantis\u202f» (pays de la grille\u00a0: Central African Republic)"},
		C{Name: "season country twice", Err: second(s.SetSeasons(ctx, "ana", map[string][]int{"Central African Republic": {6}, "CAF": {7}})), FR: ""},
	)
	apperrtest.Catalog(t, coverage.Refusals, reached)
	apperrtest.Catalog(t, mclp.Refusals, reached)
}

// manyRows is header and then n rows, each row's format given its number
// (1…n).
func manyRows(header string, n int, row string) io.Reader {
	var b strings.Builder
	b.WriteString(header)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, row, i)
	}
	return strings.NewReader(b.String())
}
