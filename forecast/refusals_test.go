package forecast_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestRefusalMessages: a refresh asked for while one runs is refused as a
// conflict (409) said by its catalog message, in French "une actualisation
// des prévisions est déjà en cours"; every message of forecast.Refusals is
// said.
func TestRefusalMessages(t *testing.T) {
	// Something else computes forecasts (the demo's first computation):
	// Start refuses as it does while a refresh runs.
	r := &forecast.Refresher{Busy: func(context.Context) bool { return true }}
	_, err := r.Start(context.Background(), "user", "bob")
	if k, _ := apperr.KindOf(err); k != apperr.KindConflict || !errors.Is(err, forecast.ErrRefreshRunning) {
		t.Errorf("second start: %v (%v), want the conflict ErrRefreshRunning", err, k)
	}
	reached := map[string]bool{}
	apperrtest.SaidAll(t, reached, apperrtest.Case{Name: "running", Err: err, FR: "une actualisation des prévisions est déjà en cours"})
	fileRefusals(t, reached)
	apperrtest.Catalog(t, forecast.Refusals, reached)
}

// fileRefusals: every refusal of a file the backtest reads (a covariate
// CSV, a PRIO-GRID cell list, a UCDP GED CSV) is invalid input at the
// file's line (0: the file as a whole) naming the column at fault, its
// text the English below, said in French by its catalog message; the keys
// said are added to reached.
func fileRefusals(t *testing.T, reached map[string]bool) {
	p, err := forecast.NewPanel(forecast.PrioGrid, []int{1000, 1001}, []int{1, 1}, grid.MonthOf(2000, 1), grid.MonthOf(2000, 2))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := func(name, src string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cov := func(src string) error {
		_, err := forecast.ReadCovariates("b.csv", strings.NewReader(src), p)
		return err
	}
	cells := func(src string) error { _, err := forecast.ReadPrioCells(file("cells.csv", src)); return err }
	ged := func(src string) error {
		_, err := forecast.ReadUCDPCellMonths(file("u.csv", src), forecast.PrioGrid)
		return err
	}
	const gedHdr = "id,date_start,type_of_violence,latitude,longitude,best\n"
	const cellsHdr = "priogrid_gid,gwno_prio2014\n"
	for _, c := range []struct {
		name   string
		err    error
		file   string // the file named, dir/ cut
		line   int
		field  string
		en, fr string
	}{
		{"empty", cov(""), "b.csv", 0, "", "b.csv: empty file (want a header cell,month,… or cell,year,…)",
			"fichier b.csv\u00a0: fichier vide (il faut un en-tête cell,month,… ou cell,year,…)"},
		{"bad header", cov("gid,month,pop\n"), "b.csv", 1, "", "b.csv:1: header must be cell,month,NAME… or cell,year,NAME…",
			"fichier b.csv, ligne 1\u00a0: l’en-tête doit être cell,month,NOM… ou cell,year,NOM…"},
		{"period", cov("cell,week,pop\n"), "b.csv", 1, "", `b.csv:1: second column must be month or year, not "week"`,
			"fichier b.csv, ligne 1\u00a0: la deuxième colonne doit être month ou year, pas «\u202fweek\u202f»"},
		{"covariate name", cov("cell,month,pop,pop\n"), "b.csv", 1, "", `b.csv:1: covariate name "pop" empty or repeated`,
			"fichier b.csv, ligne 1\u00a0: nom de covariable «\u202fpop\u202f» vide ou répété"},
		{"cell id", cov("cell,month,pop\nx,2000-01,5\n"), "b.csv", 2, "cell", `b.csv:2: cell: "x" is not an integer cell id`,
			"fichier b.csv, ligne 2, colonne cell\u00a0: «\u202fx\u202f» n’est pas un identifiant de cellule entier"},
		{"unknown cell", cov("cell,month,pop\n1000,2000-01,5\n999,2000-01,1\n"), "b.csv", 3, "cell", "b.csv:3: cell: unknown cell 999 (not in the panel)",
			"fichier b.csv, ligne 3, colonne cell\u00a0: cellule 999 inconnue (absente du panel)"},
		{"year", cov("cell,year,pop\n1000,y2k,5\n"), "b.csv", 2, "year", `b.csv:2: year: "y2k" is not a year`,
			"fichier b.csv, ligne 2, colonne year\u00a0: «\u202fy2k\u202f» n’est pas une année"},
		{"month", cov("cell,month,pop\n1000,2000-13,5\n"), "b.csv", 2, "month", `b.csv:2: month: month "2000-13": want YYYY-MM`, ""},
		{"twice", cov("cell,month,pop\n1000,2000-01,5\n1000,2000-01,5\n"), "b.csv", 3, "", "b.csv:3: cell 1000 month 2000-01 given twice",
			"fichier b.csv, ligne 3\u00a0: cellule 1000, month 2000-01\u00a0: donnée deux fois"},
		{"not finite", cov("cell,month,pop\n1000,2000-01,NaN\n"), "b.csv", 2, "pop", `b.csv:2: pop: "NaN" is not a finite number`,
			"fichier b.csv, ligne 2, colonne pop\u00a0: «\u202fNaN\u202f» n’est pas un nombre fini"},
		{"missing month", cov("cell,month,pop\n1000,2000-01,5\n1001,2000-01,7\n1001,2000-02,8\n"), "b.csv", 0, "",
			"b.csv: cell 1000 has no row for month 2000-02 (every panel cell needs every month from 2000-01 to 2000-02)",
			"fichier b.csv\u00a0: la cellule 1000 n’a pas de ligne pour le mois 2000-02 (chaque cellule du panel a besoin de chaque mois de 2000-01 à 2000-02)"},
		{"missing year", cov("cell,year,pop\n1000,2000,5\n"), "b.csv", 0, "",
			"b.csv: cell 1001 has no row for year 2000 (every panel cell needs every year from 2000-01 to 2000-02)",
			"fichier b.csv\u00a0: la cellule 1001 n’a pas de ligne pour l’année 2000 (chaque cellule du panel a besoin de chaque année de 2000-01 à 2000-02)"},
		{"ragged", cov("cell,month,pop\n1000,2000-01\n"), "b.csv", 2, "", "b.csv:2: record on line 2: wrong number of fields",
			"fichier b.csv, ligne 2\u00a0: enregistrement de la ligne 2\u00a0: nombre de champs incorrect"},

		{"cells columns", cells("gid,name\n"), "cells.csv", 1, "", "cells.csv:1: need columns priogrid_gid and gwno_prio2014 (or gwno/country_id)",
			"fichier cells.csv, ligne 1\u00a0: il faut les colonnes priogrid_gid et gwno_prio2014 (ou gwno/country_id)"},
		{"bad gid", cells(cellsHdr + "62356,500\nx,500\n"), "cells.csv", 3, "priogrid_gid", `cells.csv:3: priogrid_gid: "x" is not a PRIO-GRID cell id`,
			"fichier cells.csv, ligne 3, colonne priogrid_gid\u00a0: «\u202fx\u202f» n’est pas un identifiant de cellule PRIO-GRID"},
		{"bad country", cells(cellsHdr + "62356,z\n"), "cells.csv", 2, "gwno_prio2014", `cells.csv:2: gwno_prio2014: "z" is not an integer code`,
			"fichier cells.csv, ligne 2, colonne gwno_prio2014\u00a0: «\u202fz\u202f» n’est pas un code entier"},
		{"repeated cell", cells(cellsHdr + "62356,500\n\n62356,500\n"), "cells.csv", 4, "priogrid_gid", "cells.csv:4: priogrid_gid: cell 62356 already listed on line 2",
			"fichier cells.csv, ligne 4, colonne priogrid_gid\u00a0: cellule 62356 déjà listée à la ligne 2"},
		{"short row", cells(cellsHdr + "62356,500\n62357\n"), "cells.csv", 3, "", "cells.csv:3: record on line 3: wrong number of fields",
			"fichier cells.csv, ligne 3\u00a0: enregistrement de la ligne 3\u00a0: nombre de champs incorrect"},
		{"bad quote", cells(cellsHdr + "62356,500\n62357,\"5\"00\n"), "cells.csv", 3, "", `cells.csv:3: parse error on line 3, column 9: extraneous or missing " in quoted-field`,
			"fichier cells.csv, ligne 3\u00a0: erreur de lecture à la ligne 3, colonne 9\u00a0: guillemet \" en trop ou manquant dans un champ entre guillemets"},
		{"no cells", cells(cellsHdr), "cells.csv", 0, "", "cells.csv: no cells", "fichier cells.csv\u00a0: aucune cellule"},

		{"missing column", ged("id,date_start\n"), "u.csv", 1, "", `u.csv:1: missing column "type_of_violence"`,
			"fichier u.csv, ligne 1\u00a0: colonne «\u202ftype_of_violence\u202f» manquante"},
		{"date", ged(gedHdr + "1,2001-02-03,3,1.0,20.0,5\n2,2001-02-30,3,1,20,1\n"), "u.csv", 3, "date_start", `u.csv:3: date_start: "2001-02-30": want YYYY-MM-DD`,
			"fichier u.csv, ligne 3, colonne date_start\u00a0: «\u202f2001-02-30\u202f»\u00a0: il faut AAAA-MM-JJ"},
		{"violence", ged(gedHdr + "1,2001-02-03,4,1.0,20.0,5\n"), "u.csv", 2, "type_of_violence", `u.csv:2: type_of_violence: "4": want 1, 2 or 3`,
			"fichier u.csv, ligne 2, colonne type_of_violence\u00a0: «\u202f4\u202f»\u00a0: il faut 1, 2 ou 3"},
		{"coordinates", ged(gedHdr + "1,2001-02-03,3,95,20.0,5\n"), "u.csv", 2, "latitude/longitude", `u.csv:2: latitude/longitude: "95","20.0" not valid coordinates`,
			"fichier u.csv, ligne 2, colonne latitude/longitude\u00a0: «\u202f95\u202f»,«\u202f20.0\u202f» ne sont pas des coordonnées valides"},
		{"count", ged(gedHdr + "1,2001-02-03,3,1,20.0,-5\n"), "u.csv", 2, "best", `u.csv:2: best: "-5" is not a count`,
			"fichier u.csv, ligne 2, colonne best\u00a0: «\u202f-5\u202f» n’est pas un nombre entier positif ou nul"},
		{"ged short row", ged(gedHdr + "1,2001-02-03,3,1.0,20.0,5\n2,2001-02-03,3\n"), "u.csv", 3, "", "u.csv:3: record on line 3: wrong number of fields", ""},
	} {
		e := apperr.As(c.err)
		if e == nil || e.Kind != apperr.KindInvalid || strings.TrimPrefix(e.File, dir+string(filepath.Separator)) != c.file || e.Line != c.line || e.Field != c.field ||
			strings.Replace(c.err.Error(), dir+string(filepath.Separator), "", 1) != c.en {
			t.Errorf("%s: %v (%+v), want invalid %q at %s line %d, field %q", c.name, c.err, e, c.en, c.file, c.line, c.field)
			continue
		}
		fr := c.fr
		if fr != "" && c.file != "b.csv" {
			fr = strings.Replace(fr, "fichier ", "fichier "+dir+string(filepath.Separator), 1)
		}
		for _, k := range apperrtest.Said(t, c.name, c.err, fr) {
			reached[k] = true
		}
	}
}
