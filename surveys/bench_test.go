package surveys

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-project/vigil/surveys/estimate"
)

// bench50k builds 50,000 responses by resampling the rows of the real
// stratified API sample (apistrat.csv) with replacement (fixed seed), with
// weights pw × 200/50,000 so that they still add up to the 6,194 schools,
// and 20 indicators and 6 breakdowns over its answers.
func bench50k(tb testing.TB) ([]map[string]string, Plan) {
	src := apiRows(tb, "apistrat.csv")
	rng := rand.New(rand.NewPCG(6, 2026))
	const n = 50_000
	band := func(r map[string]string, f string, cut float64) string {
		v, err := strconv.ParseFloat(r[f], 64)
		if err != nil {
			return ""
		}
		if v >= cut {
			return "high"
		}
		return "low"
	}
	quart := func(r map[string]string, f string, cuts ...float64) string {
		v, err := strconv.ParseFloat(r[f], 64)
		if err != nil {
			return ""
		}
		q := 0
		for _, c := range cuts {
			if v >= c {
				q++
			}
		}
		return fmt.Sprintf("q%d", q+1)
	}
	bands := []struct {
		f   string
		cut float64
	}{{"api00", 700}, {"api99", 650}, {"meals", 50}, {"ell", 25}, {"growth", 30}, {"mobility", 15}, {"full", 85}, {"emer", 10}, {"avg.ed", 3}, {"enroll", 500}, {"pct.resp", 80}, {"pcttest", 99}}
	rows := make([]map[string]string, n)
	for i := range rows {
		s := src[rng.IntN(len(src))]
		r := make(map[string]string, len(s)+16)
		for k, v := range s {
			r[k] = v
		}
		pw, _ := strconv.ParseFloat(s["pw"], 64)
		r["w"] = strconv.FormatFloat(pw*float64(len(src))/n, 'g', -1, 64)
		for _, b := range bands {
			r[b.f+"_band"] = band(s, b.f, b.cut)
		}
		r["ell_q"] = quart(s, "ell", 5, 15, 35)
		rows[i] = r
	}
	var inds []Indicator
	for _, f := range []string{"sch.wide", "comp.imp", "both", "awards", "yr.rnd"} {
		inds = append(inds, Indicator{ID: f, Field: f, Values: []string{"Yes"}})
	}
	for _, v := range []string{"E", "M", "H"} {
		inds = append(inds, Indicator{ID: "stype_" + v, Field: "stype", Values: []string{v}})
	}
	for _, b := range bands {
		inds = append(inds, Indicator{ID: b.f + "_high", Field: b.f + "_band", Values: []string{"high"}})
	}
	pop, err := ReadPopulation(strings.NewReader(populationCSV(tb, "stype", "sch.wide", "awards")), "apipop margins")
	if err != nil {
		tb.Fatal(err)
	}
	return rows, Plan{
		Indicators: inds,
		Breakdowns: []string{"stype", "cname", "awards", "sch.wide", "yr.rnd", "ell_q"},
		Design:     estimate.TableSpec{Weights: "w", Strata: "stype"},
		Population: pop,
		RakeOn:     []string{"stype", "sch.wide", "awards"},
		TrimRatio:  5,
	}
}

// BenchmarkAnalyze50k: 20 indicators × 6 breakdowns (plus overall) over
// 50,000 resampled responses, raked on three margins and trimmed, from
// the rows to the suppressed tables.
func BenchmarkAnalyze50k(b *testing.B) {
	rows, plan := bench50k(b)
	if len(plan.Indicators) != 20 || len(plan.Breakdowns) != 6 {
		b.Fatalf("%d indicators × %d breakdowns", len(plan.Indicators), len(plan.Breakdowns))
	}
	var cells int
	var ru0, ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	ops := 0
	for b.Loop() {
		ops++
		a, err := Analyze(rows, plan)
		if err != nil {
			b.Fatal(err)
		}
		cells = 0
		for _, r := range a.Results {
			cells++
			for _, by := range r.By {
				cells += len(by)
			}
		}
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()-ru0.Utime.Nano()-ru0.Stime.Nano()) / time.Duration(ops)
	b.ReportMetric(float64(cells), "estimates/op")
	// CPU time used per analysis (all threads): on a shared machine the
	// wall time also counts waiting for the CPU.
	b.ReportMetric(cpu.Seconds(), "cpu-s/op")
}
