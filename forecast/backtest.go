package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigil-project/vigil/forecast/metrics"
	"github.com/vigil-project/vigil/grid"
)

// BacktestConfig is a walk-forward evaluation over test months From…To.
type BacktestConfig struct {
	Config
	From, To   grid.Month // target months evaluated
	RefitEvery int        // months between refits (0: 12, yearly)
	Draws      int        // stratified draws per cell for CRPS (0: 100)
}

// Result is one model's scores over the backtest.
type Result struct {
	Model      string  `json:"model"`
	Target     string  `json:"target"`
	Grid       string  `json:"grid"`
	Horizon    int     `json:"horizon"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Months     int     `json:"months"`
	Cells      int     `json:"cells"`
	Rows       int     `json:"rows"`
	Positives  int     `json:"positives"`
	Brier      float64 `json:"brier"`
	BrierSkill float64 `json:"brier_skill"` // vs climatology (base rate known at each origin)
	LogLoss    float64 `json:"log_loss"`
	AUROC      float64 `json:"auroc"`
	AUPR       float64 `json:"aupr"`
	MSELog1p   float64 `json:"mse_log1p"`
	CRPS       float64 `json:"crps"`
	// Mean over months of the share of the month's events in the top 5%
	// and 10% of cells by predicted probability.
	Capture5    float64                  `json:"capture_top5"`
	Capture10   float64                  `json:"capture_top10"`
	Calibration []metrics.CalibrationBin `json:"calibration"`
	// Capture curve: share of events captured in the top k% of cells, k=1…100.
	CaptureCurve []float64 `json:"capture_curve,omitempty"`
}

// Backtest is the outcome of a walk-forward run.
type Backtest struct {
	Results []Result `json:"results"`
	Timing  Timing   `json:"-"`
	Refits  int      `json:"refits"`
}

type acc struct {
	p, clim, exp, act []float64
	y                 []bool
	crps              float64
	cap5, cap10       float64
	capN              int
	curve             []float64
}

// RunBacktest evaluates the learned model and every baseline on each month
// T in From…To, predicting T from data up to T−Horizon only. The learned
// model is refitted every RefitEvery months with the data known at the
// refit's origin.
func RunBacktest(ctx context.Context, f *Features, bc BacktestConfig) (*Backtest, error) {
	if err := bc.Config.fill(); err != nil {
		return nil, err
	}
	if bc.RefitEvery <= 0 {
		bc.RefitEvery = 12
	}
	if bc.Draws <= 0 {
		bc.Draws = 100
	}
	p := f.P
	h := grid.Month(bc.Horizon)
	if bc.To < bc.From {
		return nil, fmt.Errorf("--to %s is before --from %s", bc.To, bc.From)
	}
	if bc.To > p.Last() {
		return nil, fmt.Errorf("test month %s is beyond the data: the last month with events data is %s", bc.To, p.Last())
	}
	if bc.From-h < p.First {
		return nil, fmt.Errorf("%w: the first test month %s needs data up to %s, before the panel's first month %s", ErrNoTraining, bc.From, bc.From-h, p.First)
	}
	models := append([]string{ModelGBT}, Baselines...)
	accs := make([]acc, len(models))
	for k := range accs {
		accs[k].curve = make([]float64, 100)
	}
	bt := &Backtest{}
	var L *Learned
	row := make([]float64, len(f.Names()))
	n := len(p.Cells)
	probs := make([][]float64, len(models))
	for k := range probs {
		probs[k] = make([]float64, n)
	}
	evs := make([]float64, n)
	var lastFit grid.Month
	for T := bc.From; T <= bc.To; T++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		origin := T - h
		if L == nil || origin-lastFit >= grid.Month(bc.RefitEvery) {
			var err error
			st := time.Now()
			L, err = Train(f, origin, bc.Config)
			if err != nil {
				return nil, err
			}
			lastFit = origin
			bt.Refits++
			bt.Timing.Features += L.Timing.Features
			bt.Timing.Fit += L.Timing.Fit
			if bc.Progress != nil {
				fmt.Fprintf(bc.Progress, "backtest: refit with data to %s: %d rows, %d trees, base rate %.4f (%.1fs)\n",
					origin, L.Rows, len(L.Clf.Trees), L.BaseRate, time.Since(st).Seconds())
			}
		}
		st := time.Now()
		clim := float64(0)
		{
			// climatology known at the origin: share of cell-months with an
			// event up to the origin
			m := int(origin - p.First)
			tot := 0
			for i := range p.Cells {
				tot += f.anyCum(i, m)
			}
			clim = float64(tot) / float64(n*(m+1))
		}
		for i := range p.Cells {
			y, deaths := f.TargetAt(i, T)
			c, _ := p.At(f.Target, i, T)
			evs[i] = float64(c)
			for k, name := range models {
				var pr Prediction
				var err error
				if name == ModelGBT {
					pr, err = L.Predict(i, origin, row)
				} else {
					pr, err = f.Baseline(name, i, origin)
				}
				if err != nil {
					return nil, err
				}
				a := &accs[k]
				a.p = append(a.p, pr.Prob)
				a.y = append(a.y, y)
				a.clim = append(a.clim, clim)
				a.exp = append(a.exp, pr.Expected)
				a.act = append(a.act, deaths)
				probs[k][i] = pr.Prob
				var cr float64
				if pr.poisson {
					cr, err = metrics.CRPSPoisson(pr.Expected, deaths)
				} else {
					cr, err = metrics.CRPSSample(pr.Draws(bc.Draws), deaths)
				}
				if err != nil {
					return nil, fmt.Errorf("%s cell %d %s: %v", name, pr.Cell, T, err)
				}
				a.crps += cr
			}
		}
		for k := range models {
			a := &accs[k]
			if c, err := metrics.CaptureCurve(probs[k], evs, curveFracs); err == nil {
				a.cap5 += c[4]
				a.cap10 += c[9]
				a.capN++
				for q := range c {
					a.curve[q] += c[q]
				}
			}
		}
		bt.Timing.Predict += time.Since(st)
		if bc.Progress != nil {
			fmt.Fprintf(bc.Progress, "backtest: %s done (%d/%d)\n", T, int(T-bc.From)+1, int(bc.To-bc.From)+1)
		}
	}
	for k, name := range models {
		a := &accs[k]
		r := Result{Model: name, Target: TypeNames[f.Target], Grid: gridName(p.Grid), Horizon: bc.Horizon,
			From: bc.From.String(), To: bc.To.String(), Months: int(bc.To-bc.From) + 1, Cells: n, Rows: len(a.y)}
		for _, v := range a.y {
			if v {
				r.Positives++
			}
		}
		if r.Positives == 0 {
			return nil, fmt.Errorf("no %s events in the test months %s…%s: the metrics are undefined", TypeNames[f.Target], bc.From, bc.To)
		}
		var err error
		if r.Brier, err = metrics.Brier(a.p, a.y); err != nil {
			return nil, err
		}
		bcl, _ := metrics.Brier(a.clim, a.y)
		if bcl > 0 {
			r.BrierSkill = 1 - r.Brier/bcl
		}
		r.LogLoss, _ = metrics.LogLoss(a.p, a.y)
		if r.AUROC, err = metrics.AUROC(a.p, a.y); err != nil {
			r.AUROC = 0.5 // only one class present
		}
		r.AUPR, _ = metrics.AUPR(a.p, a.y)
		r.MSELog1p, _ = metrics.MSELog1p(a.exp, a.act)
		r.CRPS = a.crps / float64(len(a.y))
		if a.capN > 0 {
			r.Capture5 = a.cap5 / float64(a.capN)
			r.Capture10 = a.cap10 / float64(a.capN)
			r.CaptureCurve = make([]float64, 100)
			for q := range a.curve {
				r.CaptureCurve[q] = a.curve[q] / float64(a.capN)
			}
		}
		r.Calibration, _ = metrics.Calibration(a.p, a.y, 10)
		for _, v := range []float64{r.Brier, r.BrierSkill, r.LogLoss, r.AUROC, r.AUPR, r.MSELog1p, r.CRPS} {
			if bad(v) {
				return nil, errors.New("backtest: a metric is not finite")
			}
		}
		bt.Results = append(bt.Results, r)
	}
	return bt, nil
}

var curveFracs = func() []float64 {
	f := make([]float64, 100)
	for i := range f {
		f[i] = float64(i+1) / 100
	}
	return f
}()

func gridName(g Grid) string {
	if g.Country {
		return "country"
	}
	if g.Size == 0.5 {
		return "priogrid"
	}
	return fmt.Sprintf("ops-%g", g.Size)
}

// BestBaseline returns the baseline with the highest AUPR.
func (b *Backtest) BestBaseline() Result {
	best := Result{AUPR: math.Inf(-1)}
	for _, r := range b.Results {
		if r.Model != ModelGBT && r.AUPR > best.AUPR {
			best = r
		}
	}
	return best
}
