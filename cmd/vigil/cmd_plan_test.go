package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestPlanMCLPSpopt runs `vigil plan mclp --json` on the spopt San Francisco
// instance converted to the D/S/M files.
func TestPlanMCLPSpopt(t *testing.T) {
	src := shareddata.Path(t, "spopt/SF_network_distance_candidateStore_16_censusTract_205_new.csv")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var d, s, m strings.Builder
	d.WriteString("id,weight\n")
	s.WriteString("id,cost,fixed\n")
	m.WriteString("demand_id,site_id,distance\n")
	seenD, seenS := map[string]bool{}, map[string]bool{}
	for _, r := range recs[1:] {
		if !seenD[r[2]] {
			seenD[r[2]] = true
			fmt.Fprintf(&d, "%s,%s\n", r[2], r[3])
		}
		if !seenS[r[1]] {
			seenS[r[1]] = true
			fmt.Fprintf(&s, "%s,1,0\n", r[1])
		}
		fmt.Fprintf(&m, "%s,%s,%s\n", r[2], r[1], r[0])
	}
	for n, c := range map[string]string{"D.csv": d.String(), "S.csv": s.String(), "M.csv": m.String()} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"mclp", "--demand", filepath.Join(dir, "D.csv"), "--sites", filepath.Join(dir, "S.csv"),
		"--distances", filepath.Join(dir, "M.csv"), "--radius", "5000", "--p", "4", "--json"}
	var out, errb bytes.Buffer
	if err := runPlan(context.Background(), args, nil, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	var res struct {
		Objective, Coverage, UpperBound, Gap float64
		Chosen                               []string
	}
	var raw map[string]any
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"objective", "coverage", "chosen", "upper_bound", "gap"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out.String())
		}
	}
	_ = json.Unmarshal(out.Bytes(), &res)
	slices.Sort(res.Chosen)
	if res.Objective != 875247 || res.Gap != 0 || !slices.Equal(res.Chosen, []string{"Store_11", "Store_12", "Store_15", "Store_2"}) {
		t.Errorf("got %+v", res)
	}

	// p larger than the candidate list is a clear error.
	args[len(args)-2] = "17"
	err = runPlan(context.Background(), args, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "p = 17 is larger than the 16 candidate sites") {
		t.Errorf("p=17: %v", err)
	}
}
