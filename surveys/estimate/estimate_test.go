package estimate

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestDifferenceBetweenRounds(t *testing.T) {
	// Two "rounds": the apistrat sample (2000 scores, api00) against the
	// same schools' 1999 scores (api99) treated as an independent round.
	tab := loadAPI(t, "apistrat.csv")
	d := design(t, tab, TableSpec{Weights: "pw", Strata: "stype", FPC: []string{"fpc"}})
	a, err := d.Mean(floats(t, tab, "api99"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.Mean(floats(t, tab, "api00"), nil)
	if err != nil {
		t.Fatal(err)
	}
	df := Difference(a, b)
	if want := b.Value - a.Value; math.Abs(df.Value-want) > 1e-9 {
		t.Errorf("difference %v, want %v", df.Value, want)
	}
	if want := math.Hypot(a.SE, b.SE); math.Abs(df.SE-want) > 1e-9 {
		t.Errorf("SE %v, want %v", df.SE, want)
	}
	if math.Abs((df.CIHigh-df.CILow)/2-1.959963984540054*df.SE) > 1e-9 {
		t.Errorf("interval %v..%v not ±1.96 SE", df.CILow, df.CIHigh)
	}
	if df.Significant != (df.CILow > 0) {
		t.Errorf("significant=%v with interval %v..%v", df.Significant, df.CILow, df.CIHigh)
	}
	// A suppressed side suppresses the difference.
	a.Suppress = "fewer than 30 respondents (n=12)"
	if Difference(a, b).Suppress == "" {
		t.Error("difference with a suppressed round is shown")
	}
}

func TestSuppressionRule(t *testing.T) {
	tab := loadAPI(t, "apiclus1.csv")
	d := design(t, tab, TableSpec{Weights: "pw", Clusters: []string{"dnum"}, FPC: []string{"fpc"}})
	by, err := d.By(Mean, floats(t, tab, "api00"), strs(t, tab, "stype"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		group    string
		wantSupp bool
	}{
		{"E", false}, // 144 schools
		{"H", true},  // 14 schools
		{"M", true},  // 25 schools
	}
	for i, tc := range tests {
		e := DefaultRule.Apply(by[i])
		if e.Group != tc.group {
			t.Fatalf("group %d is %q, want %q", i, e.Group, tc.group)
		}
		if e.Suppressed() != tc.wantSupp {
			t.Errorf("%s (n=%d, cv=%.3f): suppressed=%v, want %v", e.Group, e.N, e.CV(), e.Suppressed(), tc.wantSupp)
		}
		b, _ := json.Marshal(e)
		if tc.wantSupp && strings.Contains(string(b), `"estimate"`) {
			t.Errorf("suppressed cell shows its estimate: %s", b)
		}
		if !tc.wantSupp && !strings.Contains(string(b), `"estimate"`) {
			t.Errorf("shown cell has no estimate: %s", b)
		}
	}
	// High CV: a rare indicator in a small sample.
	y := make([]float64, 40)
	y[0] = 1
	d2, _ := NewDesign(40, Spec{})
	e, _ := d2.Proportion(y, nil)
	if e = DefaultRule.Apply(e); !strings.Contains(e.Suppress, "coefficient of variation") {
		t.Errorf("p=1/40 (cv %.2f) not suppressed for its CV: %q", e.CV(), e.Suppress)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, csv string
		spec      TableSpec
		variable  string
		want      string
	}{
		{"empty", "", TableSpec{}, "y", "empty file"},
		{"header only", "y,w\n", TableSpec{}, "y", "no data rows"},
		{"missing column", "y,w\n1,2\n", TableSpec{Weights: "pw"}, "y", `no column "pw"`},
		{"bad number", "y,w\n1,2\n3,x\n", TableSpec{Weights: "w"}, "y", `line 3, column "w": "x" is not a number`},
		{"bad y", "y,w\n1,2\nabc,1\n", TableSpec{Weights: "w"}, "y", `line 3, column "y": "abc" is not a number`},
		{"negative weight", "y,w\n1,2\n3,-1\n", TableSpec{Weights: "w"}, "y", `line 3, column "w": weight -1 must be positive`},
		{"missing cluster", "y,c\n1,a\n3,\n", TableSpec{Clusters: []string{"c"}}, "y", `line 3, column "c": missing value`},
		{"ragged", "y,w\n1,2\n3\n", TableSpec{}, "y", "line 3"},
		{"fpc too small", "y,s,f\n1,a,1\n2,a,1\n", TableSpec{Strata: "s", FPC: []string{"f"}}, "y", "population of 1 units but 2 are sampled"},
		{"fpc per stage", "y,c,d,f\n1,a,x,5\n2,b,y,5\n", TableSpec{Clusters: []string{"c", "d"}, FPC: []string{"f"}}, "y", "one per cluster column"},
		{"lonely psu", "y,s\n1,a\n2,b\n3,b\n", TableSpec{Strata: "s"}, "y", `stratum "a" has only one sampled unit`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := func() error {
				tab, err := ReadCSV(strings.NewReader(tc.csv), "in.csv")
				if err != nil {
					return err
				}
				d, err := DesignFromTable(tab, tc.spec)
				if err != nil {
					return err
				}
				y, err := tab.Floats(tc.variable)
				if err != nil {
					return err
				}
				_, err = d.Mean(y, nil)
				return err
			}()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCalibrationErrors(t *testing.T) {
	d, _ := NewDesign(4, Spec{})
	cells := []string{"a", "a", "b", "b"}
	if _, err := d.PostStratify(Margin{Name: "sex", Cell: cells, Pop: map[string]float64{"a": 10}}); err == nil || !strings.Contains(err.Error(), `cell "b" is in the sample but not in the population`) {
		t.Errorf("missing population cell: %v", err)
	}
	if _, err := d.PostStratify(Margin{Name: "sex", Cell: cells, Pop: map[string]float64{"a": 10, "b": 5, "c": 3}}); err == nil || !strings.Contains(err.Error(), "population cells with no respondents: c") {
		t.Errorf("empty sample cell: %v", err)
	}
	p, err := d.PostStratify(Margin{Name: "sex", Cell: cells, Pop: map[string]float64{"a": 10, "b": 30}})
	if err != nil {
		t.Fatal(err)
	}
	if w := p.Weights(); w[0] != 5 || w[3] != 15 {
		t.Errorf("post-stratified weights %v", w)
	}
	if _, err := d.TrimWeights(5, 1, false); err == nil {
		t.Error("lower > upper accepted")
	}
	tr, err := p.TrimWeights(0, 10, true)
	if err != nil {
		t.Fatal(err)
	}
	checkTrimmed(t, tr, 0, 10, 40)
}

// checkTrimmed checks that every weight of d is within [lo, hi] and that
// they still sum to total.
func checkTrimmed(t *testing.T, d *Design, lo, hi, total float64) {
	t.Helper()
	var sum float64
	for _, w := range d.Weights() {
		sum += w
		if w < lo-1e-9 || w > hi+1e-9 {
			t.Errorf("weight %v outside [%v, %v] after strict trimming", w, lo, hi)
		}
	}
	if math.Abs(sum-total) > 1e-9 {
		t.Errorf("trimming changed the total weight to %v, want %v", sum, total)
	}
}

// TrimAroundMean trims to [m/ratio, m·ratio] around the mean weight m:
// weights 2, 2, 2, 2, 12 (mean 4) with ratio 2 become 3, 3, 3, 3, 8, as
// TrimWeights(2, 8) gives them.
func TestTrimAroundMean(t *testing.T) {
	d, err := NewDesign(5, Spec{Weights: []float64{2, 2, 2, 2, 12}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.TrimAroundMean(2)
	if err != nil {
		t.Fatal(err)
	}
	if w := got.Weights(); w[0] != 3 || w[3] != 3 || w[4] != 8 {
		t.Errorf("weights %v, want 3 3 3 3 8", w)
	}
	checkTrimmed(t, got, 2, 8, 20)
}

func TestQuantiles(t *testing.T) {
	// Values from R: qt(0.975, df), qnorm(0.975).
	for _, c := range []struct{ df, want float64 }{{1, 12.7062047361747}, {2, 4.30265272974946}, {5, 2.57058183661474}, {14, 2.1447866879178}, {30, 2.04227245630124}, {199, 1.97195654410054}, {0, 1.95996398454005}} {
		if got := qt(0.975, c.df); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("qt(0.975, %v) = %.15g, want %.15g", c.df, got, c.want)
		}
	}
}

func FuzzReadCSVEstimate(f *testing.F) {
	f.Add("y,w,c\n1,2,a\n3,4,b\n", "w", "c")
	f.Add("\"\",y,w\n\"1\",NA,1\n\"2\",5,1\n", "w", "")
	f.Add("y\n", "", "")
	f.Add("y,w\n1,0\n2,1e308\n3,1e308\n", "w", "")
	f.Fuzz(func(t *testing.T, data, wcol, ccol string) {
		tab, err := ReadCSV(strings.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// One row per data record, each with its line, in order.
		cr := csv.NewReader(strings.NewReader(data))
		recs, err := cr.ReadAll()
		if err != nil || tab.Len() != len(recs)-1 || len(tab.Columns) != len(recs[0]) {
			t.Fatalf("%d rows, %d columns from %d records (%v)", tab.Len(), len(tab.Columns), len(recs), err)
		}
		for i, l := range tab.Lines {
			if l < 2 || i > 0 && l <= tab.Lines[i-1] {
				t.Fatalf("lines %v", tab.Lines)
			}
		}
		again, err := ReadCSV(strings.NewReader(data), "fuzz.csv")
		if err != nil || !reflect.DeepEqual(again, tab) {
			t.Fatalf("read twice: %v", err)
		}
		spec := TableSpec{Weights: wcol, Lonely: LonelyRemove}
		if ccol != "" {
			spec.Clusters = []string{ccol}
		}
		d, err := DesignFromTable(tab, spec)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.csv") && !strings.Contains(err.Error(), "column") {
				t.Fatalf("design refusal names neither the file nor a column: %v", err)
			}
			return
		}
		for _, c := range tab.Columns {
			y, err := tab.Floats(c)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz.csv: line ") {
					t.Fatalf("column refusal names no line: %v", err)
				}
				continue
			}
			// A mean lies between the smallest and largest value; it and
			// a total are finite.
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range y {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
			if e, err := d.Mean(y, nil); err == nil && e.N > 0 && e.Suppress == "" {
				if tol := 1e-9 * math.Max(math.Abs(lo), math.Abs(hi)); !(e.Value >= lo-tol && e.Value <= hi+tol) {
					t.Fatalf("column %s: mean %v outside [%v, %v]", c, e.Value, lo, hi)
				}
			}
			if e, err := d.Total(y, nil); err == nil && e.N > 0 && math.IsNaN(e.Value) {
				t.Fatalf("column %s: total %+v", c, e)
			}
			g, _ := tab.Strings(c)
			_, _ = d.By(Mean, y, g)
		}
	})
}

func TestTableRows(t *testing.T) {
	cases := []struct {
		name, csv string
		want      []map[string]string
	}{
		{"all present", "a,b\n1,x\n2,y\n", []map[string]string{{"a": "1", "b": "x"}, {"a": "2", "b": "y"}}},
		{"missing left out", "a,b\n,x\nNA,\n", []map[string]string{{"b": "x"}, {}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ReadCSV(strings.NewReader(tc.csv), "in.csv")
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.Rows(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Rows() = %v, want %v", got, tc.want)
			}
		})
	}
}
