package surveys

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/surveys/estimate"
)

// apiRows reads a shared API data file as response rows (one map per row,
// missing values left out, as Service.Rows gives them).
func apiRows(t testing.TB, name string) []map[string]string {
	t.Helper()
	f := shareddata.Open(t, "survey/"+name)
	tab, err := estimate.ReadCSV(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return tab.Rows()
}

// populationCSV aggregates apipop into a margins CSV over dims.
func populationCSV(t testing.TB, dims ...string) string {
	t.Helper()
	pop := apiRows(t, "apipop.csv")
	count := map[string]int{}
	for _, r := range pop {
		var k []string
		for _, d := range dims {
			v := r[d]
			if v == "" {
				v = "NA"
			}
			k = append(k, v)
		}
		count[strings.Join(k, ",")]++
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(strings.Join(dims, ",") + ",population\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s,%d\n", k, count[k])
	}
	return b.String()
}

type golden struct{ est, se, lo, hi float64 }

// rGoldens reads surveys/estimate/testdata/r/goldens.csv rows by
// "case/statistic/variable/by/group".
func rGoldens(t testing.TB) map[string]golden {
	t.Helper()
	f, err := os.Open("estimate/testdata/r/goldens.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := estimate.ReadCSV(f, "goldens.csv")
	if err != nil {
		t.Fatal(err)
	}
	s := func(c string) []string { v, _ := tab.Strings(c); return v }
	n := func(c string) []float64 { v, _ := tab.Floats(c); return v }
	cs, st, va, by, gr := s("case"), s("statistic"), s("variable"), s("by"), s("group")
	es, se, lo, hi := n("estimate"), n("se"), n("ci_low"), n("ci_high")
	out := map[string]golden{}
	for i := range cs {
		out[cs[i]+"/"+st[i]+"/"+va[i]+"/"+by[i]+"/"+gr[i]] = golden{es[i], se[i], lo[i], hi[i]}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1e-9, math.Abs(b)) }
