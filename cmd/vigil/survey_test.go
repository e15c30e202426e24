package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/surveys/estimate"
)

func runSurveyCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runCmd(t, runSurvey, "", args...)
}

// surveyEstimate is the overall estimate of `vigil survey estimate --json`.
type surveyEstimate struct {
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	CILow    float64 `json:"ci_low"`
	CIHigh   float64 `json:"ci_high"`
}

// surveyOverall runs `vigil survey` with args (an estimate with --json) and
// returns the overall estimate it prints.
func surveyOverall(t *testing.T, args ...string) surveyEstimate {
	t.Helper()
	out, err := runSurveyCmd(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Overall surveyEstimate `json:"overall"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return res.Overall
}

// TestSurveyEstimateCommand runs the command on the API data and checks the
// figures R's survey package prints for the same designs.
func TestSurveyEstimateCommand(t *testing.T) {
	clus1 := shareddata.Path(t, "survey/apiclus1.csv")
	clus2 := shareddata.Path(t, "survey/apiclus2.csv")
	strat := shareddata.Path(t, "survey/apistrat.csv")
	tests := []struct {
		name string
		args []string
		want []string // substrings of the table
	}{
		{"dclus1 mean", []string{"--csv", clus1, "--weights", "pw", "--cluster", "dnum", "--fpc", "fpc", "--mean", "api00"},
			[]string{"644.1694", "23.54224"}},
		{"dclus1 total", []string{"--csv", clus1, "--weights", "pw", "--cluster", "dnum", "--fpc", "fpc", "--total", "enroll"},
			[]string{"3404940", "932235"}},
		{"dstrat mean", []string{"--csv", strat, "--weights", "pw", "--strata", "stype", "--fpc", "fpc", "--mean", "api00"},
			[]string{"662.2874", "9.408941"}},
		{"dclus2 two-stage", []string{"--csv", clus2, "--cluster", "dnum,snum", "--fpc", "fpc1,fpc2", "--mean", "api00"},
			[]string{"670.8118", "30.09"}},
		{"domains with suppression", []string{"--csv", clus1, "--weights", "pw", "--cluster", "dnum", "--fpc", "fpc", "--mean", "api00", "--by", "stype"},
			[]string{"stype=E", "648.8681", "stype=H", "suppressed stype=H: fewer than 30 respondents (n=14)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runSurveyCmd(t, append([]string{"estimate"}, tc.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// JSON, proportion with a logit interval: R svyciprop(~I(sch.wide=="Yes"), dstrat).
	if o := surveyOverall(t, "estimate", "--csv", strat, "--weights", "pw", "--strata", "stype", "--fpc", "fpc", "--prop", "sch.wide=Yes", "--json"); o.Estimate < 0.8279 || o.Estimate > 0.8280 || o.SE <= 0 || !(o.CILow < o.Estimate && o.Estimate < o.CIHigh) {
		t.Errorf("proportion %+v", o)
	}
}

func TestSurveyEstimateBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.csv", "")
	good := write("good.csv", "y,w,g\n1,2,a\n2,2,b\n3,1,a\n")
	badNum := write("bad.csv", "y,w\n1,2\n2,two\n")
	tests := []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"no csv", []string{"--mean", "y"}, "--csv FILE is required", true},
		{"no statistic", []string{"--csv", good}, "exactly one of", true},
		{"two statistics", []string{"--csv", good, "--mean", "y", "--total", "y"}, "exactly one of", true},
		{"bad prop", []string{"--csv", good, "--prop", "y"}, "want VAR=VALUE", true},
		{"empty file", []string{"--csv", empty, "--mean", "y"}, "empty.csv: empty file", false},
		{"missing column", []string{"--csv", good, "--mean", "z"}, `no column "z"`, false},
		{"missing weight column", []string{"--csv", good, "--weights", "pw", "--mean", "y"}, `no column "pw"`, false},
		{"non-numeric", []string{"--csv", badNum, "--weights", "w", "--mean", "y"}, `bad.csv: line 3, column "w": "two" is not a number`, false},
		{"missing file", []string{"--csv", filepath.Join(dir, "nope.csv"), "--mean", "y"}, "nope.csv", false},
		{"bad lonely", []string{"--csv", good, "--mean", "y", "--lonely-psu", "x"}, "--lonely-psu", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runSurveyCmd(t, append([]string{"estimate"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if _, isUsage := err.(usageError); isUsage != tc.usage {
				t.Errorf("usage error = %v, want %v", isUsage, tc.usage)
			}
		})
	}
	if _, err := runSurveyCmd(t, "frobnicate"); err == nil {
		t.Error("unknown subcommand accepted")
	}
}

// apipopMargins writes apipop's counts over dims as a margins CSV.
func apipopMargins(t *testing.T, dims ...string) string {
	t.Helper()
	tab, err := readFile(shareddata.Path(t, "survey/apipop.csv"), estimate.ReadCSV)
	if err != nil {
		t.Fatal(err)
	}
	cols := make([][]string, len(dims))
	for j, d := range dims {
		if cols[j], err = tab.Strings(d); err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	var keys []string
	for i := 0; i < tab.Len(); i++ {
		var k []string
		for j := range dims {
			k = append(k, strconv.Quote(cols[j][i]))
		}
		key := strings.Join(k, ",")
		if count[key] == 0 {
			keys = append(keys, key)
		}
		count[key]++
	}
	var b strings.Builder
	b.WriteString(strings.Join(dims, ",") + ",population\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s,%d\n", k, count[k])
	}
	p := filepath.Join(t.TempDir(), "margins.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSurveyEstimateRaked rakes apiclus1 to apipop's school-type and
// schoolwide-target margins from the command line and compares with R's
// rake() golden (dclus1r in surveys/estimate/testdata/r/goldens.csv).
func TestSurveyEstimateRaked(t *testing.T) {
	clus1 := shareddata.Path(t, "survey/apiclus1.csv")
	margins := apipopMargins(t, "stype", "sch.wide")
	o := surveyOverall(t, "estimate", "--csv", clus1, "--weights", "pw", "--cluster", "dnum", "--fpc", "fpc", "--mean", "api00", "--margins", margins, "--rake-on", "stype,sch.wide", "--json")
	// R: svymean(~api00, rake(dclus1, list(~stype, ~sch.wide), ...)).
	const wantEst, wantSE = 641.230246862209, 23.7036412402377
	if d := o.Estimate - wantEst; d > 1e-6 || d < -1e-6 {
		t.Errorf("raked mean %v, R %v", o.Estimate, wantEst)
	}
	if d := o.SE - wantSE; d > 1e-6 || d < -1e-6 {
		t.Errorf("raked SE %v, R %v", o.SE, wantSE)
	}
	if _, err := runSurveyCmd(t, "estimate", "--csv", clus1, "--mean", "api00", "--margins", margins); err == nil || !strings.Contains(err.Error(), "go together") {
		t.Errorf("--margins without --rake-on: %v", err)
	}
	if _, err := runSurveyCmd(t, "estimate", "--csv", clus1, "--mean", "api00", "--margins", margins, "--rake-on", "cname"); err == nil || !strings.Contains(err.Error(), `no dimension "cname"`) {
		t.Errorf("unknown margin: %v", err)
	}
}

func TestSurveyUnheardAndProtectCommands(t *testing.T) {
	clus1 := shareddata.Path(t, "survey/apiclus1.csv")
	margins := apipopMargins(t, "cname", "stype")
	out, err := runSurveyCmd(t, "unheard", "--csv", clus1, "--margins", margins, "--area", "cname")
	if err != nil {
		t.Fatal(err)
	}
	// San Bernardino has 362 of California's 6,194 schools and none in the
	// 15 sampled districts.
	if !strings.Contains(out, "San Bernardino") || !strings.Contains(out, "unheard") || !strings.Contains(out, "dissimilarity index cname") {
		t.Errorf("unheard output:\n%s", out)
	}
	if _, err := runSurveyCmd(t, "unheard", "--csv", clus1, "--margins", margins, "--area", "county"); err == nil || !strings.Contains(err.Error(), `no dimension "county"`) {
		t.Errorf("bad area: %v", err)
	}
	var stdout, stderr bytes.Buffer
	err = runSurvey(context.Background(), []string{"protect", "--csv", clus1, "--qi", "cname,stype,awards", "--k", "5", "--drop", "name,sname,dname,cds", "--weight", "pw", "--hxl"}, nil, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2+183 || !strings.HasPrefix(lines[1], "#") {
		t.Errorf("protected export: %d lines, hashtags %q", len(lines), lines[1])
	}
	if !strings.Contains(stderr.String(), "k=5") || strings.Contains(stdout.String(), "San Leandro High") {
		t.Errorf("report %q, or a dropped column exported", stderr.String())
	}
	if _, err := runSurveyCmd(t, "protect", "--csv", clus1, "--qi", "nope"); err == nil || !strings.Contains(err.Error(), `no column "nope"`) {
		t.Errorf("bad qi: %v", err)
	}
}
