package viewschallenge

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

type window struct {
	name     string
	features []string
	actuals  string
	cutoff   int
	zero     float64 // reference mean CRPS of the zero forecast
	poisson  float64 // reference mean CRPS of "last historical value, Poisson"
}

var windows = []window{
	{"2019", []string{"views/cm_features_to_oct2018.csv"}, "views/cm_actuals_2019.csv", 466, 22.638, 9.644},
	{"2020", []string{"views/cm_features_to_oct2019.csv"}, "views/cm_actuals_2020.csv", 478, 21.894, 13.698},
}

func run(t *testing.T, w window, method string) Scores {
	t.Helper()
	var paths []string
	for _, f := range w.features {
		paths = append(paths, shareddata.Path(t, f))
	}
	h, err := ReadFeatureFiles(paths...)
	if err != nil {
		t.Fatal(err)
	}
	af := shareddata.Open(t, w.actuals)
	act, err := ReadActuals(w.actuals, af)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	s, used := forecastScore(t, h, w.cutoff, method, act, &log)
	t.Logf("%s %s: CRPS %.3f IGN %.3f MIS %.3f\n%s", w.name, used, s.CRPS, s.Ignorance, s.Interval, log.String())
	return s
}

// forecastScore is vigil views forecast (seed 1) then vigil views score:
// h forecast from cutoff with method (its progress on log, if any), scored
// on the country-months of act. It answers the scores and the method used.
func forecastScore(t *testing.T, h History, cutoff int, method string, act map[Key]float64, log io.Writer) (Scores, string) {
	t.Helper()
	fc := map[Key][]float64{}
	used, err := Forecast(context.Background(), h, cutoff, Options{Method: method, Seed: 1, Log: log}, func(r Row) error {
		if k := (Key{r.Month, r.Country}); hasKey(act, k) {
			fc[k] = append(fc[k], r.Outcome)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Score(fc, act)
	if err != nil {
		t.Fatal(err)
	}
	return s, used
}

// The scorer reproduces the challenge's published benchmarks, and the
// automatic method beats "last value, Poisson" on both windows.
func TestChallengeWindows(t *testing.T) {
	for _, w := range windows {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			z := run(t, w, "zero")
			if math.Abs(z.CRPS-w.zero) > 0.0005 {
				t.Errorf("zero forecast CRPS %.4f, reference %.3f", z.CRPS, w.zero)
			}
			p := run(t, w, "poisson-last")
			// 1,000 Poisson draws: the sample CRPS differs from the
			// reference's own draws by a few hundredths.
			if math.Abs(p.CRPS-w.poisson) > 0.05 {
				t.Errorf("poisson-last CRPS %.4f, reference %.3f", p.CRPS, w.poisson)
			}
			a := run(t, w, "auto")
			if a.CRPS >= 0.95*w.poisson {
				t.Errorf("auto CRPS %.3f does not beat poisson-last %.3f by 5%%", a.CRPS, w.poisson)
			}
			fmt.Printf("window %s: zero %.3f poisson-last %.3f auto %.3f (IGN %.3f/%.3f/%.3f, MIS %.1f/%.1f/%.1f)\n",
				w.name, z.CRPS, p.CRPS, a.CRPS, z.Ignorance, p.Ignorance, a.Ignorance, z.Interval, p.Interval, a.Interval)
		})
	}
}

// Months after the cutoff in the features never influence the forecast.
func TestNoFutureLeak(t *testing.T) {
	base := "month_id,country_id,ged_sb\n"
	var a, b strings.Builder
	a.WriteString(base)
	b.WriteString(base)
	for m := 100; m <= 130; m++ {
		fmt.Fprintf(&a, "%d,1,%d\n", m, m%7)
		fmt.Fprintf(&b, "%d,1,%d\n", m, m%7)
	}
	for m := 131; m <= 140; m++ {
		fmt.Fprintf(&b, "%d,1,%d\n", m, 100000)
	}
	get := func(src string) []Row {
		h := History{}
		if err := ReadFeatures("x.csv", strings.NewReader(src), h); err != nil {
			t.Fatal(err)
		}
		var rows []Row
		if _, err := Forecast(context.Background(), h, 130, Options{Seed: 3}, func(r Row) error { rows = append(rows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	ra, rb := get(a.String()), get(b.String())
	if len(ra) != 12*NDraws || len(ra) != len(rb) {
		t.Fatalf("rows %d and %d, want %d", len(ra), len(rb), 12*NDraws)
	}
	for i := range ra {
		if ra[i] != rb[i] {
			t.Fatalf("row %d differs with future data present: %+v vs %+v", i, ra[i], rb[i])
		}
	}
	if ra[0].Month != 133 || ra[len(ra)-1].Month != 144 {
		t.Errorf("months %d…%d, want 133…144", ra[0].Month, ra[len(ra)-1].Month)
	}
}

// TestBadFiles: every refusal of a challenge file is invalid input at the
// file's line (0: the file as a whole) naming the column at fault, its
// whole text a catalog message (Refusals): English as below, French as a
// page would say it; every message is said by one.
func TestBadFiles(t *testing.T) {
	cases := []struct {
		name, kind, src, en, fr string
		line                    int
		field                   string
	}{
		{"no header", "features", "", "f.csv: empty file (want a header with month_id, country_id, ged_sb)",
			"fichier f.csv\u00a0: fichier vide (il faut un en-tête avec month_id, country_id, ged_sb)", 0, ""},
		{"missing column", "features", "month_id,country_id\n1,2\n", `f.csv:1: missing column "ged_sb"`,
			"fichier f.csv, ligne 1\u00a0: colonne «\u202fged_sb\u202f» manquante", 1, ""},
		{"non-numeric", "features", "month_id,country_id,ged_sb\n1,2,x\n", `f.csv:2: ged_sb: "x" is not a number`,
			"fichier f.csv, ligne 2, colonne ged_sb\u00a0: «\u202fx\u202f» n’est pas un nombre", 2, "ged_sb"},
		{"negative", "actuals", "month_id,country_id,ged_sb\n1,2,3\n1,3,-1\n", "f.csv:3: ged_sb: -1 is negative",
			"fichier f.csv, ligne 3, colonne ged_sb\u00a0: -1 est négatif", 3, "ged_sb"},
		{"duplicate", "actuals", "month_id,country_id,ged_sb\n1,2,3\n1,2,3\n", "f.csv:3: country 2 month 1 already given on line 2",
			"fichier f.csv, ligne 3\u00a0: pays 2, mois 1\u00a0: déjà donné à la ligne 2", 3, ""},
		{"duplicate features", "features", "month_id,country_id,ged_sb\n1,2,3\n1,2,3\n", "f.csv:3: country 2 month 1 already given on line 2",
			"fichier f.csv, ligne 3\u00a0: pays 2, mois 1\u00a0: déjà donné à la ligne 2", 3, ""},
		{"bad month", "features", "month_id,country_id,ged_sb\nabc,2,3\n", `f.csv:2: month_id: "abc" is not an integer`,
			"fichier f.csv, ligne 2, colonne month_id\u00a0: «\u202fabc\u202f» n’est pas un nombre entier", 2, "month_id"},
		{"month out of range", "features", "month_id,country_id,ged_sb\n2001,2,3\n", "f.csv:2: month_id: 2001 is outside 1..2000",
			"fichier f.csv, ligne 2, colonne month_id\u00a0: 2001 n’est pas entre 1 et 2000", 2, "month_id"},
		{"no rows", "actuals", "month_id,country_id,ged_sb\n", "f.csv: no data rows", "fichier f.csv\u00a0: aucune ligne de données", 0, ""},
		{"no forecast rows", "forecast", "month_id,country_id,draw,outcome\n", "f.csv: no data rows", "fichier f.csv\u00a0: aucune ligne de données", 0, ""},
		{"ragged", "forecast", "month_id,country_id,draw,outcome\n1,2,0,1\n1,2\n", "f.csv:3: record on line 3: wrong number of fields",
			"fichier f.csv, ligne 3\u00a0: enregistrement de la ligne 3\u00a0: nombre de champs incorrect", 3, ""},
		{"dup draw", "forecast", "month_id,country_id,draw,outcome\n1,2,0,1\n1,2,0,1\n", "f.csv:3: draw: draw 0 of country 2 month 1 already given on line 2",
			"fichier f.csv, ligne 3, colonne draw\u00a0: tirage 0 du pays 2, mois 1\u00a0: déjà donné à la ligne 2", 3, "draw"},
		{"uneven draws", "forecast", "month_id,country_id,draw,outcome\n1,2,0,1\n1,2,1,1\n1,3,0,1\n1,4,0,1\n1,4,1,1\n",
			"f.csv:4: draw: country 3 month 1 has 1 draws, but country 2 month 1 (from line 2) has 2",
			"fichier f.csv, ligne 4, colonne draw\u00a0: le pays 3, mois 1 a 1 tirages, mais le pays 2, mois 1 (à partir de la ligne 2) en a 2", 4, "draw"},
		{"nan", "forecast", "month_id,country_id,draw,outcome\n1,2,0,NaN\n", `f.csv:2: outcome: "NaN" is not a number`,
			"fichier f.csv, ligne 2, colonne outcome\u00a0: «\u202fNaN\u202f» n’est pas un nombre", 2, "outcome"},
		// ScoreFiles: a forecast and actuals (after "|") whose country-months differ
		{"no forecast for an actual", "score", "month_id,country_id,draw,outcome\n1,2,0,1\n|month_id,country_id,ged_sb\n1,2,0\n1,3,0\n",
			"f.csv: no forecast for country 3 month 1 in the actuals", "fichier f.csv\u00a0: aucune prévision pour le pays 3, mois 1, qui est dans les valeurs observées", 0, ""},
		// CompareFiles: the features (cutoff|features) a benchmark is
		// refused from, with compareFC and compareAct (months 14)
		{"cutoff before the features", "compare", "5|month_id,country_id,ged_sb\n10,1,3\n10,2,0\n",
			"f.csv: cutoff month 5 is before the first month in the features (10)", "fichier f.csv\u00a0: le mois de coupure 5 est avant le premier mois des variables (10)", 0, ""},
		{"a country after the cutoff", "compare", "11|month_id,country_id,ged_sb\n10,1,3\n12,2,0\n",
			"f.csv: country 2 has no months at or before the cutoff 11", "fichier f.csv\u00a0: le pays 2 n’a aucun mois jusqu’au mois de coupure 11", 0, ""},
		{"an actual's country without features", "compare", "0|month_id,country_id,ged_sb\n11,1,3\n",
			"f.csv: no poisson-last forecast for country 2 month 14 of the actuals: no history of the country here, or the month is not 3 to 14 months after the cutoff 11",
			"fichier f.csv\u00a0: aucune prévision poisson-last pour le pays 2, mois 14 des valeurs observées\u00a0: pas d’historique du pays ici, ou le mois n’est pas 3 à 14 mois après le mois de coupure 11", 0, ""},
		{"an actual's month out of the window", "compare", "0|month_id,country_id,ged_sb\n12,1,3\n12,2,0\n",
			"f.csv: no poisson-last forecast for country 1 month 14 of the actuals: no history of the country here, or the month is not 3 to 14 months after the cutoff 12",
			"fichier f.csv\u00a0: aucune prévision poisson-last pour le pays 1, mois 14 des valeurs observées\u00a0: pas d’historique du pays ici, ou le mois n’est pas 3 à 14 mois après le mois de coupure 12", 0, ""},
		{"too many countries", "compare", "0|" + manyCountries(MaxBenchmarkCountries+1),
			"f.csv: 1001 countries: the benchmark is forecast for at most 1000", "fichier f.csv\u00a0: 1001 pays\u00a0: la référence est prévue pour 1000 pays au plus", 0, ""},
		{"no actual for a forecast", "score-actuals", "month_id,country_id,draw,outcome\n1,2,0,1\n2,2,0,1\n|month_id,country_id,ged_sb\n1,2,0\n",
			"f.csv: forecast for country 2 month 2 has no actual", "fichier f.csv\u00a0: la prévision pour le pays 2, mois 2 n’a pas de valeur observée", 0, ""},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		var err error
		switch c.kind {
		case "features":
			err = ReadFeatures("f.csv", strings.NewReader(c.src), History{})
		case "actuals":
			_, err = ReadActuals("f.csv", strings.NewReader(c.src))
		case "forecast":
			_, err = ReadForecast("f.csv", strings.NewReader(c.src))
		case "score", "score-actuals": // the file named f.csv is the one refused
			fc, act, _ := strings.Cut(c.src, "|")
			names := map[bool][2]string{false: {"f.csv", "a.csv"}, true: {"g.csv", "f.csv"}}[c.kind == "score-actuals"]
			_, err = ScoreFiles(names[0], strings.NewReader(fc), names[1], strings.NewReader(act))
		case "compare":
			cutoff, feats, _ := strings.Cut(c.src, "|")
			in := CompareInput{ForecastName: "g.csv", Forecast: strings.NewReader(compareFC), ActualsName: "a.csv", Actuals: strings.NewReader(compareAct),
				FeaturesName: "f.csv", Features: strings.NewReader(feats)}
			in.Cutoff, _ = strconv.Atoi(cutoff)
			_, err = CompareFiles(context.Background(), in)
		}
		e := apperr.As(err)
		if err == nil || err.Error() != c.en || e == nil || e.Kind != apperr.KindInvalid || e.File != "f.csv" || e.Line != c.line || e.Field != c.field {
			t.Errorf("%s: error %v (%+v), want invalid %q at line %d, field %q", c.name, err, e, c.en, c.line, c.field)
			continue
		}
		for _, k := range apperrtest.Said(t, c.name, err, c.fr) {
			reached[k] = true
		}
	}
	// Forecast's own refusal of an empty history, which no file reaches
	// (a features file has rows).
	_, err := Forecast(context.Background(), History{}, 10, Options{Method: "zero"}, nil)
	for _, k := range apperrtest.Said(t, "no countries", err, "aucun pays dans les variables") {
		reached[k] = true
	}
	apperrtest.Catalog(t, Refusals, reached)
}

// compareFC and compareAct are a forecast and its actuals for countries 1
// and 2 in month 14 (a cutoff of 11).
const (
	compareFC  = "month_id,country_id,draw,outcome\n14,1,0,2\n14,1,1,4\n14,2,0,0\n14,2,1,1\n"
	compareAct = "month_id,country_id,ged_sb\n14,1,3\n14,2,0\n"
)

// manyCountries is a features file of n countries in month 11.
func manyCountries(n int) string {
	var b strings.Builder
	b.WriteString("month_id,country_id,ged_sb\n")
	for c := 1; c <= n; c++ {
		fmt.Fprintf(&b, "11,%d,0\n", c)
	}
	return b.String()
}

// TestCompareFiles: the forecast's scores are ScoreFiles'; the zero
// benchmark is the zero forecast scored on the actuals, and poisson-last
// what Forecast draws from the features (seed 1, as vigil views forecast
// does) scored on them, from the cutoff given or else the features' last
// month; each with the forecast's relative difference, none where the
// benchmark scores 0.
func TestCompareFiles(t *testing.T) {
	feats := "month_id,country_id,ged_sb,ged_sb_tlag_1\n10,1,2,5\n11,1,6,2\n10,2,0,0\n11,2,1,0\n"
	fcScores, err := ScoreFiles("g.csv", strings.NewReader(compareFC), "a.csv", strings.NewReader(compareAct))
	if err != nil {
		t.Fatal(err)
	}
	act, _ := ReadActuals("a.csv", strings.NewReader(compareAct))
	want := func(method string, cutoff int) Scores { // as vigil views forecast then score
		h := History{}
		if err := ReadFeatures("f.csv", strings.NewReader(feats), h); err != nil {
			t.Fatal(err)
		}
		s, _ := forecastScore(t, h, cutoff, method, act, nil)
		return s
	}
	for _, c := range []struct {
		name          string
		features      bool
		cutoff, month int
	}{{"actuals only", false, 0, 0}, {"the features' last month", true, 0, 11}, {"a cutoff given", true, 10, 10}} {
		in := CompareInput{ForecastName: "g.csv", Forecast: strings.NewReader(compareFC), ActualsName: "a.csv", Actuals: strings.NewReader(compareAct), Cutoff: c.cutoff}
		if c.features {
			in.FeaturesName, in.Features = "f.csv", strings.NewReader(feats)
		}
		got, err := CompareFiles(context.Background(), in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Scores != fcScores || got.Cutoff != c.month {
			t.Errorf("%s: forecast %+v cutoff %d, want %+v cutoff %d", c.name, got.Scores, got.Cutoff, fcScores, c.month)
		}
		methods := []string{"zero"}
		if c.features {
			methods = append(methods, "poisson-last")
		}
		if len(got.Benchmarks) != len(methods) {
			t.Fatalf("%s: benchmarks %+v, want %v", c.name, got.Benchmarks, methods)
		}
		for i, m := range methods {
			b := got.Benchmarks[i]
			cutoff := c.month
			if cutoff == 0 { // zero draws nothing: any cutoff
				cutoff = 11
			}
			w := want(m, cutoff)
			if b.Method != m || b.Scores != w || b.Draws != NDraws {
				t.Errorf("%s: %s %+v, want %+v", c.name, b.Method, b.Scores, w)
			}
			if r := b.Relative.CRPS; r == nil || math.Abs(*r-(fcScores.CRPS/w.CRPS-1)) > 1e-12 {
				t.Errorf("%s: %s relative CRPS %v, want %v", c.name, m, r, fcScores.CRPS/w.CRPS-1)
			}
		}
	}
	// Actuals all zero: the zero benchmark's CRPS and interval score are 0,
	// and the forecast's are not relative to them.
	zeroAct := "month_id,country_id,ged_sb\n14,1,0\n14,2,0\n"
	got, err := CompareFiles(context.Background(), CompareInput{ForecastName: "g.csv", Forecast: strings.NewReader(compareFC), ActualsName: "a.csv", Actuals: strings.NewReader(zeroAct)})
	if err != nil || got.Benchmarks[0].CRPS != 0 || got.Benchmarks[0].Relative.CRPS != nil || got.Benchmarks[0].Relative.Interval != nil || got.Benchmarks[0].Relative.Ignorance == nil {
		t.Errorf("zero actuals: %+v, %v; want a zero benchmark's CRPS of 0, no relative CRPS or interval score", got, err)
	}
}

// Lags may be empty or NA (months before a country existed): they are
// skipped, not read as zero; a bad lag value is still an error.
func TestFeatureLags(t *testing.T) {
	h := History{}
	src := "month_id,country_id,ged_sb,ged_sb_tlag_1,ged_sb_tlag_2\n10,1,4,3,NA\n10,2,0,,\n"
	if err := ReadFeatures("f.csv", strings.NewReader(src), h); err != nil {
		t.Fatal(err)
	}
	want := History{1: {9: 3, 10: 4}, 2: {10: 0}}
	if fmt.Sprint(h) != fmt.Sprint(want) {
		t.Errorf("history %v, want %v", h, want)
	}
	err := ReadFeatures("f.csv", strings.NewReader("month_id,country_id,ged_sb,ged_sb_tlag_1\n10,1,4,x\n"), History{})
	if err == nil || err.Error() != `f.csv:2: ged_sb_tlag_1: "x" is not a number` {
		t.Errorf("bad lag: %v", err)
	}
}

func TestScoreMismatch(t *testing.T) {
	fc := map[Key][]float64{{1, 1}: {0, 1}}
	if _, err := Score(fc, map[Key]float64{{1, 2}: 3}); err == nil || !strings.Contains(err.Error(), "no forecast for country 2 month 1") {
		t.Errorf("missing forecast: %v", err)
	}
	if _, err := Score(fc, map[Key]float64{{1, 1}: 3, {2, 1}: 0}); err == nil {
		t.Error("missing forecast month accepted")
	}
	s, err := Score(fc, map[Key]float64{{1, 1}: 1})
	if err != nil {
		t.Fatal(err)
	}
	// draws {0,1}, y=1: mean|X−y| = 1/2, mean|X−X′| = 1/2 → 1/4
	if math.Abs(s.CRPS-0.25) > 1e-12 || s.N != 1 {
		t.Errorf("score %+v", s)
	}
}

func FuzzReadFeatures(f *testing.F) {
	f.Add("month_id,country_id,ged_sb,ged_sb_tlag_1\n455,1,3,2\n456,1,0,3\n")
	f.Add("month_id,country_id,ged_sb\n1,1,1e308\n")
	f.Fuzz(func(t *testing.T, src string) {
		h := History{}
		if err := ReadFeatures("f.csv", strings.NewReader(src), h); err != nil {
			return
		}
		for _, s := range h {
			for _, v := range s {
				if math.IsNaN(v) || v < 0 {
					t.Fatalf("value %v accepted", v)
				}
			}
		}
	})
}

func FuzzReadForecast(f *testing.F) {
	f.Add("month_id,country_id,draw,outcome\n469,1,0,3\n469,1,1,0\n")
	f.Add("month_id,country_id,draw,outcome,extra\n469,1,0,3,x\n470,2,0,1e3,y\n470,2,1,0.5,z\n469,1,1,2,w\n")
	f.Add("month_id,country_id,draw,outcome\n469,1,0,3\n469,1,0,4\n")
	f.Fuzz(func(t *testing.T, src string) {
		fc, err := ReadForecast("f.csv", strings.NewReader(src))
		if err != nil {
			// A refusal is invalid input naming the file, and the line at
			// fault unless the file as a whole is (empty, no rows).
			e := apperr.As(err)
			if e == nil || e.Kind != apperr.KindInvalid || e.File != "f.csv" || !strings.HasPrefix(err.Error(), "f.csv") ||
				(e.Line < 1 && !strings.HasSuffix(err.Error(), ": no data rows") && !strings.Contains(err.Error(), ": empty file")) {
				t.Fatalf("error names no line: %v", err)
			}
			return
		}
		// Every country-month has the same number n ≥ 1 of draws, each a
		// finite count ≥ 0, and the file held n rows for each.
		cr := csv.NewReader(strings.NewReader(src))
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		n, rows := -1, 0
		ones := map[Key]float64{}
		for k, d := range fc {
			if n == -1 {
				n = len(d)
			}
			if len(d) != n || n < 1 {
				t.Fatalf("%v: %d draws, others %d", k, len(d), n)
			}
			for _, v := range d {
				if !(v >= 0) || math.IsInf(v, 0) {
					t.Fatalf("%v: draw %v accepted", k, v)
				}
			}
			rows += len(d)
			ones[k] = 1
		}
		if rows != len(recs)-1 {
			t.Fatalf("%d draws from %d rows", rows, len(recs)-1)
		}
		again, err := ReadForecast("f.csv", strings.NewReader(src))
		if err != nil || !reflect.DeepEqual(again, fc) {
			t.Fatalf("read twice: %v", err)
		}
		// Written as a forecast file, the draws read the same.
		var buf bytes.Buffer
		buf.WriteString("month_id,country_id,draw,outcome\n")
		for k, d := range fc {
			for i, v := range d {
				fmt.Fprintf(&buf, "%d,%d,%d,%s\n", k.Month, k.Country, i, strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
		back, err := ReadForecast("f.csv", &buf)
		if err != nil || !reflect.DeepEqual(back, fc) {
			t.Fatalf("round trip: %v", err)
		}
		s, err := Score(fc, ones)
		if err != nil || s.N != len(fc) || s.Draws != n || !(s.CRPS >= 0) || math.IsInf(s.CRPS, 0) || math.IsNaN(s.Ignorance) || math.IsNaN(s.Interval) {
			t.Fatalf("score %+v, %v", s, err)
		}
	})
}
