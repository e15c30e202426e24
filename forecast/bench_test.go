package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/vigil-project/vigil/forecast/metrics"
	"github.com/vigil-project/vigil/grid"
)

// AfricaCells is the size of the continent-wide PRIO-GRID panel the issue's
// performance target names (about 10,700 land cells).
const AfricaCells = 10700

// tilePanel builds a panel of n cells from the real six-country panel by
// repeating it side by side (each copy shifted 130 columns, 65°, east, so
// copies do not touch and neighbourhoods stay intact), copying the events;
// the last copy is partial. We do not have UCDP data for all of Africa, so
// this keeps the real spatial and temporal structure at the right size.
func tilePanel(tb testing.TB, base *Panel, n int) *Panel {
	tb.Helper()
	var cells, cty []int
	var src []int
	for k := 0; len(cells) < n; k++ {
		for i, c := range base.Cells {
			if len(cells) == n {
				break
			}
			row, col := grid.PrioRowCol(c)
			col = (col-1+130*k)%grid.PrioCols + 1
			cells = append(cells, (row-1)*grid.PrioCols+col)
			cty = append(cty, base.Country[i]+1000*k)
			src = append(src, i)
		}
	}
	p, err := NewPanel(PrioGrid, cells, cty, base.First, base.Last())
	if err != nil {
		tb.Fatal(err)
	}
	nm := p.NMonths
	for j, i := range src {
		for t := range NTypes {
			copy(p.Counts[t][j*nm:(j+1)*nm], base.Counts[t][i*nm:(i+1)*nm])
			copy(p.Deaths[t][j*nm:(j+1)*nm], base.Deaths[t][i*nm:(i+1)*nm])
		}
	}
	return p
}

// BenchmarkBacktestAfrica: a 36-month walk-forward backtest (2016-01 …
// 2018-12, horizon 1, yearly refits) over ~10,700 PRIO-GRID cells with data
// since 1989. Reports the features / fit / predict+score split in seconds.
func BenchmarkBacktestAfrica(b *testing.B) {
	p := tilePanel(b, realPanel(b), AfricaCells)
	b.ResetTimer()
	for range b.N {
		f := NewFeatures(p, OS, nil)
		bt, err := RunBacktest(context.Background(), f, BacktestConfig{Config: Config{Target: OS, Horizon: 1, Seed: 1},
			From: grid.MonthOf(2016, 1), To: grid.MonthOf(2018, 12)})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(bt.Timing.Features.Seconds(), "features-s")
		b.ReportMetric(bt.Timing.Fit.Seconds(), "fit-s")
		b.ReportMetric(bt.Timing.Predict.Seconds(), "predict+score-s")
		b.ReportMetric(float64(len(p.Cells)), "cells")
		b.ReportMetric(bt.Results[0].AUPR, "gbt-AUPR")
	}
}

// BenchmarkScoreMonth scores one month of forecasts for ~10,700 cells: Brier,
// log loss, AUROC, AUPR, calibration, the capture curve and CRPS of the
// hurdle predictive distribution (100 stratified draws per cell).
func BenchmarkScoreMonth(b *testing.B) {
	n := AfricaCells
	p := make([]float64, n)
	y := make([]bool, n)
	ev := make([]float64, n)
	preds := make([]Prediction, n)
	deaths := make([]float64, n)
	for i := range n {
		p[i] = math.Mod(float64(i)*0.618033988749, 1) * 0.2
		y[i] = i%97 == 0 || (p[i] > 0.19 && i%3 == 0)
		if y[i] {
			ev[i] = 1 + float64(i%4)
			deaths[i] = float64(i % 23)
		}
		preds[i] = Prediction{Prob: p[i], Mu: 1.2, Sigma: 1.1}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := metrics.Brier(p, y); err != nil {
			b.Fatal(err)
		}
		metrics.LogLoss(p, y)
		metrics.AUROC(p, y)
		metrics.AUPR(p, y)
		metrics.Calibration(p, y, 10)
		metrics.CaptureCurve(p, ev, curveFracs)
		for i := range preds {
			if _, err := metrics.CRPSSample(preds[i].Draws(100), deaths[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
