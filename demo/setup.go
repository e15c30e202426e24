package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/storage"
)

// Names of the kinds of demo material recorded in the store
// (storage.DemoState) and answered by GET /api/v1/demo.
const (
	StateEvents      = "events"
	StateAlerts      = "alerts"
	StateSurvey      = "survey"
	StateScenario    = "scenario"
	StateScenarioFR  = "scenario:fr" // the scenario of an older Vigil given its French name
	StateForecastCtr = "forecast:osv:country"
	StateForecastPG  = "forecast:osv:priogrid"
	Done             = "done"
	Computing        = "computing"
)

// Options of Setup and Forecasts.
type Options struct {
	Progress io.Writer      // progress lines (nil: none)
	Keys     *crypt.Keyring // seals demo alert and survey text (required)
	User     string         // the demo login that acts (audit log)
	Now      time.Time      // demo alert dates end here (zero: time.Now)
	// BacktestMonths of the cell forecast (0: 12, as vigil forecast).
	BacktestMonths int
	// BaseURL is the server's public URL, written in the demo fact-check's
	// answers to the tipline senders ("": http://localhost:8080).
	BaseURL string
}

func (o *Options) printf(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// Setup loads, into a fresh store, every kind of demo material not yet
// recorded there: the real events (then the extra loaders, such as the
// deployments), the demo alert channel with its alerts and incidents, and
// the starter survey with its synthetic responses and margins, the
// interlocutor log's synthetic meetings (LoadInterlocutors), and the
// Integrity area's demo material (LoadIntegrity). Each kind is
// recorded when done, so that a later start loads nothing again. Forecasts
// are computed by Forecasts.
func Setup(ctx context.Context, db *storage.DB, opt Options, extra ...Loader) error {
	if opt.Keys == nil {
		return fmt.Errorf("demo setup: no keys")
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	state, err := db.DemoState(ctx)
	if err != nil {
		return err
	}
	if state[StateEvents] != Done {
		n, err := db.Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			t0 := time.Now()
			opt.printf("Loading the demo data: real UCDP GED events and Geo-PKO deployments (see the attribution in the UI)…")
			if err := Load(ctx, db, extra...); err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
			opt.printf("demo: events and deployments loaded (%.1fs)", time.Since(t0).Seconds())
		}
		if err := db.SetDemoState(ctx, StateEvents, Done); err != nil {
			return err
		}
	}
	if state[StateAlerts] != Done {
		t0 := time.Now()
		a, in, err := LoadAlerts(ctx, db, opt.Keys, opt.User, opt.Now)
		if err != nil {
			return err
		}
		opt.printf("demo: %d DEMO alerts (synthetic, from real UCDP events) in %d incidents (%.1fs)", a, in, time.Since(t0).Seconds())
		if err := db.SetDemoState(ctx, StateAlerts, Done); err != nil {
			return err
		}
	}
	if state[StateSurvey] != Done {
		t0 := time.Now()
		n, err := LoadSurvey(ctx, db, opt.Keys, opt.User)
		if err != nil {
			return err
		}
		opt.printf("demo: starter perception survey with %d synthetic responses and population margins (%.1fs)", n, time.Since(t0).Seconds())
		if err := db.SetDemoState(ctx, StateSurvey, Done); err != nil {
			return err
		}
	}
	if state[StateInterlocutors] != Done {
		t0 := time.Now()
		n, err := LoadInterlocutors(ctx, db, opt.Keys, opt.User)
		if err != nil {
			return err
		}
		opt.printf("demo: %d synthetic DEMO meetings in the interlocutor log (%.1fs)", n, time.Since(t0).Seconds())
		if err := db.SetDemoState(ctx, StateInterlocutors, Done); err != nil {
			return err
		}
	}
	// Demo settings stored by an older Vigil weighted by nothing: weight
	// them to the demo margins (once).
	if changed, refused, err := SurveyWeights(ctx, db, opt.Keys, opt.User); err != nil {
		return err
	} else if refused != nil {
		opt.printf("demo: warning: the starter survey's answers are not weighted to the demo population margins: raking them on %s was refused: %v", strings.Join(SurveyRakeOn, ", "), refused)
	} else if changed {
		opt.printf("demo: the starter survey's answers are now weighted to the demo population margins (raked on %s)", strings.Join(SurveyRakeOn, ", "))
	}
	if state[StateIntegrity] != Done {
		t0 := time.Now()
		base := opt.BaseURL
		if base == "" {
			base = "http://localhost:8080"
		}
		c, err := LoadIntegrity(ctx, db, opt.Keys, opt.User, base, opt.Now)
		if err != nil {
			return err
		}
		opt.printf("demo: %d DEMO integrity items (synthetic, from real UCDP events) in %d narratives, %d tipline messages, %d answers queued (%.1fs)",
			c.Items, c.Narratives, c.Tipline, c.Answered, time.Since(t0).Seconds())
		if err := db.SetDemoState(ctx, StateIntegrity, Done); err != nil {
			return err
		}
	}
	return nil
}

// ForecastsPending reports whether Forecasts has work left.
func ForecastsPending(ctx context.Context, db *storage.DB) (bool, error) {
	st, err := db.DemoState(ctx)
	if err != nil {
		return false, err
	}
	return st[StateForecastCtr] != Done || st[StateForecastPG] != Done, nil
}

// Forecasts computes the forecasts the UI's risk layer shows, as `vigil
// forecast` does (one-sided violence, horizons 1–6): per country, then per
// PRIO-GRID cell with a 12-month backtest; each is skipped when already
// recorded, and recorded as computing while it runs.
func Forecasts(ctx context.Context, db *storage.DB, opt Options) error {
	state, err := db.DemoState(ctx)
	if err != nil {
		return err
	}
	cells, err := os.CreateTemp("", "vigil-demo-cells-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(cells.Name())
	r, err := Open(PrioGridCells)
	if err != nil {
		return err
	}
	_, err = io.Copy(cells, r)
	r.Close()
	if cerr := cells.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	jobs := forecast.RefreshJobs(cells.Name()) // country, then cell
	if opt.BacktestMonths > 0 {
		jobs[1].BacktestMonths = opt.BacktestMonths
	}
	for k, name := range []string{StateForecastCtr, StateForecastPG} {
		job := struct {
			name string
			opt  forecast.LoadOptions
			j    forecast.Job
		}{name, jobs[k].Load, jobs[k]}
		if state[job.name] == Done {
			continue
		}
		if err := db.SetDemoState(ctx, job.name, Computing); err != nil {
			return err
		}
		t0 := time.Now()
		opt.printf("demo: computing the %s forecast…", job.opt.Grid)
		n, err := forecast.RunJob(ctx, db, job.j, "demo:"+opt.User, nil)
		if err != nil {
			_ = db.SetDemoState(context.WithoutCancel(ctx), job.name, "failed: "+err.Error())
			return fmt.Errorf("demo %s forecast: %w", job.opt.Grid, err)
		}
		opt.printf("demo: %d %s forecasts stored (%.1fs)", n, job.opt.Grid, time.Since(t0).Seconds())
		if err := db.SetDemoState(ctx, job.name, Done); err != nil {
			return err
		}
	}
	return nil
}
