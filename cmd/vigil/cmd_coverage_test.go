package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
)

func runCovCmd(t *testing.T, fn func(context.Context, []string, *strings.Reader, *bytes.Buffer, *bytes.Buffer) error, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := fn(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String() + errb.String(), err
}

func coverageCmd(ctx context.Context, args []string, in *strings.Reader, out, errb *bytes.Buffer) error {
	return runCoverage(ctx, args, in, out, errb)
}

func deployCmd(ctx context.Context, args []string, in *strings.Reader, out, errb *bytes.Buffer) error {
	return runDeploy(ctx, args, in, out, errb)
}

// TestCoverageCheckCommand runs the real check on Geo-PKO + UCDP files.
func TestCoverageCheckCommand(t *testing.T) {
	geo := shareddata.Path(t, "geopko/geopko_v2x_deployments_6countries_1994_2020.csv")
	ucdp := shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv")
	cells := shareddata.Path(t, "priogrid/priogrid_cells_6countries_gwno2014.csv")
	out, err := runCovCmd(t, coverageCmd, "check", "--geopko", geo, "--ucdp", ucdp, "--cells", cells, "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var rep struct {
		Onsets    int
		PriorYear []struct {
			WithViolence    int     `json:"with_violence"`
			WithoutViolence int     `json:"without_violence"`
			ShareWith       float64 `json:"share_with"`
			ShareWithout    float64 `json:"share_without"`
		} `json:"prior_year"`
		ByMission []struct{ Group string } `json:"by_mission"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %.300s", err, out)
	}
	if rep.Onsets == 0 || len(rep.PriorYear) != 2 || rep.PriorYear[0].WithViolence == 0 || rep.PriorYear[0].WithoutViolence == 0 || len(rep.ByMission) < 5 {
		t.Errorf("report %+v", rep)
	}
}

// TestDeployImportAndGaps imports a native CSV into a data directory and
// asks for gaps, a TOB and a cut; a bad file imports nothing.
func TestDeployImportAndGaps(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	good := writeTemp(t, dir, "sites.csv", "id,mission,kind,lat,lon,start,end,military,mobility\n"+
		"bangui,MINUSCA,permanent,4.3947,18.5582,2017-01,2017-12,1200,vehicle\n"+
		"bria,MINUSCA,cob,6.5423,21.9863,2017-01,2017-12,150,vehicle\n")
	bad := writeTemp(t, dir, "bad.csv", "id,mission,kind,lat,lon,start,end,military,mobility\n"+
		"x,MINUSCA,tob,4.3947,18.5582,2017-01,2017-12,10,foot\n"+
		"y,MINUSCA,tob,4.3947,18.5582,2017-05,2017-01,10,foot\n")
	if out, err := runCovCmd(t, deployCmd, "import", "--data", data, bad); err == nil || !strings.Contains(err.Error(), "bad.csv:3: end: 2017-01 is before start 2017-05") {
		t.Fatalf("bad import: %v %s", err, out)
	}
	out, err := runCovCmd(t, deployCmd, "import", "--data", data, good)
	if err != nil || !strings.Contains(out, "2 deployments (2 new, 0 updated)") {
		t.Fatalf("import: %v %s", err, out)
	}
	out, err = runCovCmd(t, deployCmd, "list", "--data", data, "--month", "2017-06")
	if err != nil || strings.Count(out, "MINUSCA") != 2 {
		t.Fatalf("list: %v %s", err, out)
	}
	// No events stored: every risk is 0, so there are no gaps, and a TOB plan
	// has nothing to gain — but the commands work.
	out, err = runCovCmd(t, coverageCmd, "gaps", "--data", data, "--month", "2017-06")
	if err != nil || !strings.Contains(out, "cells covered") {
		t.Fatalf("gaps: %v %s", err, out)
	}
	out, err = runCovCmd(t, coverageCmd, "cut", "--data", data, "--month", "2017-06", "--share", "0.26")
	if err != nil || !strings.Contains(out, "targeted") || !strings.Contains(out, "thinning") {
		t.Fatalf("cut: %v %s", err, out)
	}
	if _, err := runCovCmd(t, coverageCmd, "cut", "--data", data, "--month", "2017-06", "--share", "2"); err == nil {
		t.Error("share 2 accepted")
	}
	if _, err := runCovCmd(t, coverageCmd, "gaps", "--data", data); err == nil {
		t.Error("gaps without --month accepted")
	}
}
