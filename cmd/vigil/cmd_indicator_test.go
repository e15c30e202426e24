package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/internal/testutil/golden"
	"github.com/vigil-project/vigil/storage/sqlite"
)

var (
	perfDemoOnce sync.Once
	perfDemoDir  string
	perfDemoErr  error
)

// perfDemoData returns a data directory with the embedded demo data (UCDP
// events and Geo-PKO deployments) loaded, shared by the performance
// command tests (loading takes a few seconds).
func perfDemoData(t *testing.T) string {
	t.Helper()
	perfDemoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vigil-perf-demo-")
		if err != nil {
			perfDemoErr = err
			return
		}
		perfDemoDir = dir
		ctx := context.Background()
		db, err := sqlite.Open(ctx, dir, sqlite.Options{})
		if err != nil {
			perfDemoErr = err
			return
		}
		defer db.Close()
		perfDemoErr = demo.Load(ctx, db, demoDeployments)
	})
	if perfDemoErr != nil {
		t.Fatal(perfDemoErr)
	}
	return perfDemoDir
}

var hashRE = regexp.MustCompile(`"sha256": "[0-9a-f]{64}"`)

var updateGolden = flag.Bool("update-perf", false, "rewrite the performance commands' golden files")

// checkGolden compares out with testdata/NAME (rewritten with -update-perf).
func checkGolden(t *testing.T, name, out string) {
	t.Helper()
	// Content hashes of the inputs change whenever the importers change
	// what they keep of a row; performance's own tests check the hash.
	out = hashRE.ReplaceAllString(out, `"sha256": "(hash)"`)
	golden.Check(t, filepath.Join("testdata", name), []byte(out), *updateGolden)
}

func runPerfCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	c, ok := findCommand(args[0])
	if !ok {
		t.Fatalf("no command %q", args[0])
	}
	err := c.run(context.Background(), args[1:], strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

const fixedTime = "2026-01-01T00:00:00Z"

// TestIndicatorValueGolden computes the demo's civilian deaths through the
// command, for one country by code and by French name, and for every area.
func TestIndicatorValueGolden(t *testing.T) {
	data := perfDemoData(t)
	cases := []struct {
		golden string
		args   []string
	}{
		{"indicator_cod_2018.json", []string{"--country", "COD", "--period", "2018", "--type", "3", "--json"}},
		{"indicator_cod_2018.json", []string{"--country", "république démocratique du congo", "--period", "2018", "--json"}},
		{"indicator_all_2017q3.json", []string{"--period", "2017-Q3", "--json"}},
		{"indicator_nodata_2019.json", []string{"--country", "Mali", "--period", "2019", "--json"}},
		{"indicator_by_type.txt", []string{"--indicator", "deaths", "--country", "CAF", "--period", "2014-01..2014-06", "--by", "type"}},
	}
	for _, c := range cases {
		args := append([]string{"indicator", "value", "--data", data, "--computed-at", fixedTime}, c.args...)
		if !slices.Contains(c.args, "--indicator") {
			args = append(args, "--indicator", "civilian-deaths")
		}
		out, errs, err := runPerfCmd(t, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, errs)
		}
		checkGolden(t, c.golden, out)
	}
}

// TestIndicatorBadInput: every bad flag is a usage error naming the value.
func TestIndicatorBadInput(t *testing.T) {
	data := perfDemoData(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--indicator", "civilian-deaths", "--period", "2019-13"}, `period "2019-13": month "13" outside 01–12`},
		{[]string{"--indicator", "civilian-deaths", "--period", "2019", "--country", "Narnia"}, `country "Narnia": unknown`},
		{[]string{"--indicator", "nope", "--period", "2019"}, `unknown indicator "nope"`},
		{[]string{"--indicator", "civilian-deaths", "--period", "2019", "--type", "7"}, `type: "7": want one of 1, 2, 3, all`},
		{[]string{"--indicator", "civilian-deaths", "--period", "2019", "--by", "sex"}, `cannot be disaggregated by "sex"`},
		{[]string{"--period", "2019"}, "--indicator is required"},
	}
	for _, c := range cases {
		_, errs, err := runPerfCmd(t, append([]string{"indicator", "value", "--data", data}, c.args...)...)
		var ue usageError
		if err == nil || !errorsAs(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v (%s), want usage error with %q", c.args, err, errs, c.want)
		}
	}
}

func errorsAs(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	if ok {
		*ue = u
	}
	return ok
}

// TestPerfCommandsHelp: every performance command's -h exits 0.
func TestPerfCommandsHelp(t *testing.T) {
	for _, args := range [][]string{{"indicator", "-h"}, {"indicator", "list", "-h"}, {"indicator", "value", "-h"}, {"brief", "-h"}, {"watch", "-h"}, {"watch", "withdrawals", "-h"}} {
		if code := run(args, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

// TestIndicatorFrameworkStatus checks a results framework and prints its
// status on the demo data; a framework with an unknown indicator is
// refused naming the row and column.
func TestIndicatorFrameworkStatus(t *testing.T) {
	data := perfDemoData(t)
	fw := filepath.Join("..", "..", "performance", "testdata", "framework.csv")
	out, errs, err := runPerfCmd(t, "indicator", "status", "--data", data, "--file", fw, "--period", "2018", "--computed-at", fixedTime)
	if err != nil {
		t.Fatalf("%v %s", err, errs)
	}
	checkGolden(t, "framework_status_2018.txt", out)
	// The table says values as people read them, in the table's
	// language: a share as a percentage to two decimals, as the page and
	// the reason beside it write it ("39.87%", not "0.3987 share" nor
	// "39.9%"), units and
	// places in words, an exact value without an interval of no width.
	for _, c := range []struct {
		lang      string
		want, not []string
	}{
		{"en", []string{"39.87%", "50%", "422 deaths", "Democratic Republic of the Congo", "All areas", "off track", "no data"}, []string{"0.3987", "share", "COD", "0.5 ", "∞–∞", "39.9%"}},
		{"fr", []string{"39,87\u202f%", "50\u202f%", "422 décès", "République démocratique du Congo", "Toutes les zones", "hors trajectoire", "pas de données", "intervalle à 95\u202f%"}, []string{"0.3987", "share", "COD", "deaths", "off track", "∞–∞", "\u00a0%", "39,9\u202f%"}},
	} {
		out, errs, err := runPerfCmd(t, "indicator", "status", "--data", data, "--file", fw, "--period", "2018", "--lang", c.lang, "--computed-at", fixedTime)
		if err != nil {
			t.Fatalf("%s: %v %s", c.lang, err, errs)
		}
		if bad := testutil.Words(out, c.want, c.not); bad != "" {
			t.Errorf("%s: the status table\n%s%s", c.lang, bad, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("objective_id,result_id,indicator_id,indicator\no,r,i,civilian-killings\n"), 0o644)
	_, _, err = runPerfCmd(t, "indicator", "framework", "--file", bad)
	if err == nil || !strings.Contains(err.Error(), "bad.csv:2: column indicator: unknown indicator \"civilian-killings\"") {
		t.Errorf("bad framework: %v", err)
	}
}

// TestIndicatorListIntegrity: vigil indicator list shows the
// information-integrity indicators with their parameters and breakdowns,
// in text and JSON.
func TestIndicatorListIntegrity(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"indicator", "list"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"harmful-speech-share — Harmful-speech share of monitored content (share; lower is better)",
		"--param min_score=…  classifier score at or above which an item counts as harmful (default 0.5)",
		"--by lang | source | kind",
		"integrity-response-hours — Time from a claim's first sighting to a published response (hours; lower is better)",
		"--param to=…  published: the fact-check page went out; responded: the check reached 'responded' (default published)",
		"--by rating",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("indicator list lacks %q", want)
		}
	}
	out.Reset()
	if code := run([]string{"indicator", "list", "--json"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errb.String())
	}
	var lib []struct {
		ID      string   `json:"id"`
		Sources []string `json:"sources"`
		Params  []struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	if err := json.Unmarshal(out.Bytes(), &lib); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, d := range lib {
		if (d.ID == "harmful-speech-share" || d.ID == "integrity-response-hours") && len(d.Params) > 0 && len(d.Sources) == 1 && d.Sources[0] == "integrity" {
			found++
		}
	}
	if found != 2 {
		t.Errorf("%d integrity indicators with params in the JSON list, want 2", found)
	}
}
