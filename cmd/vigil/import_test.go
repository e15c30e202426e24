package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/storage/sqlite"
)

func runImportCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = runImport(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// TestImportCommand runs `vigil import` end to end on a data directory.
func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	ok := filepath.Join("..", "..", "ingest", "testdata", "cases", "ged17-ok.csv")
	bad := filepath.Join("..", "..", "ingest", "testdata", "cases", "ged-bad-lat.csv")

	// --check writes nothing.
	out, _, err := runImportCmd(t, "--data", data, "--check", "--json", ok)
	if err != nil {
		t.Fatal(err)
	}
	var c events.Counts
	if err := json.Unmarshal([]byte(out), &c); err != nil || c != (events.Counts{Inserted: 3}) {
		t.Fatalf("--check --json printed %q (%v)", out, err)
	}
	if n := countEvents(t, data); n != 0 {
		t.Fatalf("--check wrote %d events", n)
	}

	// Flags after the file name work too; --json prints exactly the counts.
	out, stderr, err := runImportCmd(t, ok, "--data", data, "--json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != `{"inserted":3,"updated":0,"unchanged":0,"inconsistent_estimates":0}` {
		t.Fatalf("--json printed %q", out)
	}
	if stderr != "" {
		t.Errorf("stderr is not a terminal, yet got %q", stderr)
	}
	out, _, err = runImportCmd(t, "--data", data, ok)
	if err != nil || !strings.Contains(out, "0 inserted, 0 updated, 3 unchanged") {
		t.Fatalf("re-import: %q %v", out, err)
	}

	// A bad file in a list: the good one before it is imported, the bad
	// one writes nothing and the error names file, line and column.
	_, _, err = runImportCmd(t, "--data", data, "--source", "second", ok, bad)
	if err == nil || !strings.Contains(err.Error(), "ged-bad-lat.csv:3: latitude: 95.5 outside -90..90") {
		t.Fatalf("bad file: %v", err)
	}
	if n := countEvents(t, data); n != 6 {
		t.Fatalf("store has %d events, want 6 (3 per good import, none from the bad file)", n)
	}
	// Each import that wrote is audited (not --check, not the bad file).
	db, err := sqlite.Open(context.Background(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := db.AuditLog(context.Background(), audit.Filter{Action: "events.import"})
	db.Close()
	if err != nil || len(recs) != 3 || recs[0].Object != "events:ged17-ok.csv" || !strings.HasPrefix(recs[0].Actor, "cli") ||
		recs[2].Detail != "3 inserted, 0 updated, 0 unchanged, 0 inconsistent estimates, 0 repaired" {
		t.Fatalf("audit entries %+v (%v), want 3 events.import", recs, err)
	}

	// Usage errors.
	if _, _, err := runImportCmd(t, "--data", data); err == nil {
		t.Error("no file accepted")
	}
	if _, _, err := runImportCmd(t, "--data", data, "--format", "xlsx", ok); err == nil {
		t.Error("--format xlsx accepted")
	}
	if _, _, err := runImportCmd(t, "--data", data, filepath.Join(data, "missing.csv")); err == nil {
		t.Error("missing file accepted")
	}
}

// TestImportRealGEDAsPublished: the official UCDP GED 23.1 file for the
// Central African Republic, unmodified, imports with the plain command; its
// 19 rows whose estimates break low <= best <= high are stored as published
// and reported; --strict refuses the file at the first of them.
func TestImportRealGEDAsPublished(t *testing.T) {
	path := shareddata.Path(t, "ucdp/ged231_car_1989_2018.csv")
	data := t.TempDir()

	_, _, err := runImportCmd(t, "--data", data, "--strict", path)
	if err == nil || !strings.Contains(err.Error(), path+":151: low: low estimate 7 is greater than high 6") {
		t.Fatalf("--strict: %v, want the first inconsistent row (line 151, id 255999: best 7, low 7, high 6)", err)
	}
	if n := countEvents(t, data); n != 0 {
		t.Fatalf("--strict refusal wrote %d events", n)
	}

	out, _, err := runImportCmd(t, "--data", data, "--json", path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != `{"inserted":1458,"updated":0,"unchanged":0,"inconsistent_estimates":19}` {
		t.Fatalf("--json printed %q", out)
	}
	db, err := sqlite.Open(context.Background(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := db.Events(context.Background(), events.Filter{Source: "ucdp-ged", Limit: 2000})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range page {
		if e.SourceID == "255999" { // published as best 7, low 7, high 6
			found = true
			if e.Best != 7 || e.Low != 7 || e.High != 6 {
				t.Errorf("event 255999 stored as best %d, low %d, high %d; UCDP published 7, 7, 6", e.Best, e.Low, e.High)
			}
		}
	}
	if !found {
		t.Error("event 255999 not stored")
	}

	out, _, err = runImportCmd(t, "--data", data, path)
	if err != nil {
		t.Fatal(err)
	}
	want := path + ": 0 inserted, 0 updated, 1458 unchanged\n" +
		path + ": 19 rows with inconsistent low/best/high estimates kept as published (aggregates use best; --strict refuses them)\n"
	if out != want {
		t.Fatalf("summary:\n%s\nwant:\n%s", out, want)
	}

	if _, _, err := runImportCmd(t, "--data", data, "--strict", "--repair-estimates", path); err == nil {
		t.Error("--strict with --repair-estimates accepted")
	}
}

func countEvents(t *testing.T, data string) int {
	t.Helper()
	db, err := sqlite.Open(context.Background(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProgressBarOnlyOnTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if newProgressBar(f, "x") != nil {
		t.Error("progress bar on a regular file")
	}
	if newProgressBar(&bytes.Buffer{}, "x") != nil {
		t.Error("progress bar on a buffer")
	}
}
