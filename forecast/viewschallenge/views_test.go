package viewschallenge

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

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
	fc := map[Key][]float64{}
	var log bytes.Buffer
	used, err := Forecast(context.Background(), h, w.cutoff, Options{Method: method, Seed: 1, Log: &log}, func(r Row) error {
		k := Key{r.Month, r.Country}
		fc[k] = append(fc[k], r.Outcome)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Score(fc, act)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s %s: CRPS %.3f IGN %.3f MIS %.3f\n%s", w.name, used, s.CRPS, s.Ignorance, s.Interval, log.String())
	return s
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

func TestBadFiles(t *testing.T) {
	cases := []struct {
		name, kind, src, want string
	}{
		{"no header", "features", "", "empty file"},
		{"missing column", "features", "month_id,country_id\n1,2\n", `missing column "ged_sb"`},
		{"non-numeric", "features", "month_id,country_id,ged_sb\n1,2,x\n", "line 2: column ged_sb"},
		{"negative", "actuals", "month_id,country_id,ged_sb\n1,2,3\n1,3,-1\n", "line 3: column ged_sb: -1 is negative"},
		{"duplicate", "actuals", "month_id,country_id,ged_sb\n1,2,3\n1,2,3\n", "line 3: country 2 month 1 already given on line 2"},
		{"bad month", "features", "month_id,country_id,ged_sb\nabc,2,3\n", "line 2: column month_id"},
		{"ragged", "forecast", "month_id,country_id,draw,outcome\n1,2,0,1\n1,2\n", "line 3"},
		{"dup draw", "forecast", "month_id,country_id,draw,outcome\n1,2,0,1\n1,2,0,1\n", "line 3: draw 0"},
		{"uneven draws", "forecast", "month_id,country_id,draw,outcome\n1,2,0,1\n1,2,1,1\n1,3,0,1\n", "draws"},
		{"nan", "forecast", "month_id,country_id,draw,outcome\n1,2,0,NaN\n", "line 2: column outcome"},
	}
	for _, c := range cases {
		var err error
		switch c.kind {
		case "features":
			err = ReadFeatures("f.csv", strings.NewReader(c.src), History{})
		case "actuals":
			_, err = ReadActuals("f.csv", strings.NewReader(c.src))
		case "forecast":
			_, err = ReadForecast("f.csv", strings.NewReader(c.src))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "f.csv") {
			t.Errorf("%s: error %v, want f.csv … %q", c.name, err, c.want)
		}
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
	if err == nil || !strings.Contains(err.Error(), "f.csv: line 2: column ged_sb_tlag_1") {
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
			// A refusal names the file, and the line or the country-month at fault.
			msg := err.Error()
			if !strings.HasPrefix(msg, "f.csv: ") || !(strings.Contains(msg, ": line ") || strings.Contains(msg, ": country ") ||
				strings.HasSuffix(msg, ": no data rows") || strings.Contains(msg, ": empty file")) {
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
