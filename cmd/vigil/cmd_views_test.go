package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
)

func TestSpreadMulti(t *testing.T) {
	got := spreadMulti([]string{"--features", "a.csv", "b.csv", "--cutoff", "466", "--out", "x"}, "features")
	want := []string{"--features", "a.csv", "--features", "b.csv", "--cutoff", "466", "--out", "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("spreadMulti = %v, want %v", got, want)
	}
}

func TestParseHorizons(t *testing.T) {
	for in, want := range map[string][]int{"1-3": {1, 2, 3}, "3,6,12": {3, 6, 12}, "3-5,14": {3, 4, 5, 14}} {
		got, err := parseHorizons(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseHorizons(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"0", "1-40", "a", "3-1", ""} {
		if _, err := parseHorizons(bad); err == nil {
			t.Errorf("parseHorizons(%q) accepted", bad)
		}
	}
}

// The documented VIEWS commands: the zero forecast reproduces the
// challenge's reference CRPS through the command line.
func TestViewsCommands(t *testing.T) {
	feats := shareddata.Path(t, "views/cm_features_to_oct2018.csv")
	acts := shareddata.Path(t, "views/cm_actuals_2019.csv")
	out := filepath.Join(t.TempDir(), "f.csv")
	var so, se bytes.Buffer
	if code := run([]string{"views", "forecast", "--features", feats, "--cutoff", "466", "--method", "zero", "--out", out}, nil, &so, &se); code != 0 {
		t.Fatalf("views forecast: exit %d: %s", code, se.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\n"); lines != 1+2292*1000 {
		t.Errorf("forecast has %d lines, want header + 2,292,000", lines)
	}
	so.Reset()
	if code := run([]string{"views", "score", "--forecast", out, "--actuals", acts, "--json"}, nil, &so, &se); code != 0 {
		t.Fatalf("views score: exit %d: %s", code, se.String())
	}
	var s struct{ CRPS float64 }
	if err := json.Unmarshal(so.Bytes(), &s); err != nil || s.CRPS < 22.6375 || s.CRPS > 22.6385 {
		t.Errorf("zero forecast CRPS %v (%v), reference 22.638", s.CRPS, err)
	}
	// bad input: line-numbered message, exit 1
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("month_id,country_id,draw,outcome\n469,1,0,x\n"), 0o644)
	se.Reset()
	if code := run([]string{"views", "score", "--forecast", bad, "--actuals", acts}, nil, &so, &se); code != 1 || !strings.Contains(se.String(), `bad.csv:2: outcome: "x" is not a number`) {
		t.Errorf("bad forecast: exit %d, %q", code, se.String())
	}
	if code := run([]string{"views", "forecast", "--cutoff", "466"}, nil, &so, &se); code != 2 {
		t.Errorf("missing flags: exit %d, want 2", code)
	}
}

func TestBacktestCommandErrors(t *testing.T) {
	ucdp := shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv")
	var so, se bytes.Buffer
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"backtest", "--ucdp", ucdp, "--from", "2019-01", "--to", "2019-02"}, 1, "beyond the data"},
		{[]string{"backtest", "--ucdp", ucdp, "--from", "1989-03", "--to", "1989-04"}, 1, "no training data"},
		{[]string{"backtest", "--ucdp", ucdp, "--from", "2018-13", "--to", "2019-02"}, 2, "--from"},
		{[]string{"backtest", "--ucdp", ucdp, "--target", "rain", "--from", "2018-01", "--to", "2018-02"}, 2, "unknown target"},
		{[]string{"backtest", "--ucdp", ucdp, "--grid", "ops", "--cell-size", "0.3", "--from", "2018-01", "--to", "2018-02"}, 1, "must divide 0.5"},
	}
	for _, c := range cases {
		se.Reset()
		if code := run(c.args, nil, &so, &se); code != c.code || !strings.Contains(se.String(), c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args[3:], code, se.String(), c.code, c.want)
		}
	}
}

// vigil views replay: the documented secondary check (VIEWS ged_os, cutoff
// 466) through the command line, and its usage errors.
func TestViewsReplayCommand(t *testing.T) {
	f18 := shareddata.Path(t, "views/cm_features_to_oct2018.csv")
	f19 := shareddata.Path(t, "views/cm_features_to_oct2019.csv")
	var so, se bytes.Buffer
	if code := run([]string{"views", "replay", "--features", f18, f19, "--column", "ged_os", "--cutoffs", "466", "--methods", "auto,poisson-last", "--json"}, nil, &so, &se); code != 0 {
		t.Fatalf("views replay: exit %d: %s", code, se.String())
	}
	var r struct {
		Windows []struct{ N int }
		Pooled  map[string]struct{ CRPS float64 }
		Wins    map[string]int `json:"wins_against_ref"`
	}
	if err := json.Unmarshal(so.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Windows) != 1 || r.Windows[0].N != 1910 {
		t.Errorf("windows %+v, want one with 191 countries × 10 months", r.Windows)
	}
	if a, p := r.Pooled["auto"].CRPS, r.Pooled["poisson-last"].CRPS; !(a > 0 && a < p) || r.Wins["auto"] != 1 {
		t.Errorf("ged_os: auto %.3f vs Poisson-last %.3f, wins %v (docs/benchmarks/views.md: 1.534 vs 2.204)", a, p, r.Wins)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"views", "replay", "--cutoffs", "466"}, 2, "exactly one history source"},
		{[]string{"views", "replay", "--features", f18, "--years", "2019"}, 2, "--years"},
		{[]string{"views", "replay", "--features", f18, "--cutoffs", "466", "--years", "2019-2019"}, 2, "exactly one of"},
		{[]string{"views", "replay", "--features", f18, "--cutoffs", "x"}, 2, "not a month_id"},
		{[]string{"views", "replay", "--features", f18, "--column", "nope", "--cutoffs", "466"}, 1, `missing column "nope"`},
		{[]string{"views", "replay", "--features", f18, "--cutoffs", "466"}, 1, "no observed months"},
		{[]string{"views", "replay", "--ucdp", f18, "--type", "4", "--cutoffs", "466"}, 2, "--type 4"},
	} {
		se.Reset()
		if code := run(tc.args, nil, &so, &se); code != tc.code || !strings.Contains(se.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", tc.args[2:], code, se.String(), tc.code, tc.want)
		}
	}
}
