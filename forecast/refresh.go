package forecast

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/syncx"
)

// A Job is one forecast a refresh recomputes, as `vigil forecast` does:
// the panel's options, the target type (OS, SB, NS), the horizons and
// the backtest months at horizon 1 (0: none).
type Job struct {
	Load           LoadOptions
	Target         int
	Horizons       []int
	BacktestMonths int
}

// RefreshJobs are the forecasts the UI's risk layer shows (one-sided
// violence, horizons 1–6): per country when cellsFile (the PRIO-GRID cell
// list that gives each event's country) is set, then per PRIO-GRID cell
// with a 12-month backtest.
func RefreshJobs(cellsFile string) []Job {
	hs := []int{1, 2, 3, 4, 5, 6}
	var jobs []Job
	if cellsFile != "" {
		jobs = append(jobs, Job{Load: LoadOptions{Grid: "country", CellsFile: cellsFile, Neighbours: true}, Target: OS, Horizons: hs})
	}
	return append(jobs, Job{Load: LoadOptions{Grid: "priogrid"}, Target: OS, Horizons: hs, BacktestMonths: 12})
}

// RefreshStore is what a refresh reads (the events) and writes (the runs).
type RefreshStore interface {
	events.Store
	SaveForecast(ctx context.Context, actor string, run Run, cells []CellRisk) (int64, error)
}

// RunJob computes one job on the store's events and saves it as actor's
// run; progress (nil: none) receives the models' progress lines. It
// returns the number of forecasts stored.
// An error names its step (StepOf).
func RunJob(ctx context.Context, st RefreshStore, job Job, actor string, progress interface{ Write([]byte) (int, error) }) (int, error) {
	g, err := job.Load.ParseGrid()
	if err != nil {
		return 0, atStep(StepLoad, err)
	}
	p, cov, err := Load(ctx, st, job.Load)
	if err != nil {
		return 0, atStep(StepLoad, err)
	}
	f := NewFeatures(p, job.Target, cov)
	cfg := Config{Target: job.Target, Seed: 1, Progress: progress}
	run := Run{Target: TypeNames[job.Target], Grid: g.Name(), CellSize: g.Size, Origin: p.Last(), Model: ModelGBT, Units: PanelUnits(p)}
	if job.BacktestMonths > 0 {
		bc := BacktestConfig{Config: cfg, From: p.Last() - Month(job.BacktestMonths-1), To: p.Last()}
		bc.Horizon = 1
		bt, err := RunBacktest(ctx, f, bc)
		if err != nil {
			return 0, atStep(StepBacktest, fmt.Errorf("backtest: %w", err))
		}
		run.Backtest = bt.Results
	}
	cells, err := Forecast(ctx, f, job.Horizons, cfg)
	if err != nil {
		return 0, atStep(StepTrain, err)
	}
	if _, err := st.SaveForecast(ctx, actor, run, cells); err != nil {
		return 0, atStep(StepSave, err)
	}
	return len(cells), nil
}

// A job's steps, as an error of RunJob names them (StepOf) and
// RefreshStatus.FailedStep reports the one that failed.
const (
	StepLoad     = "load"     // reading the events (and a cell list) into the grid's panel
	StepBacktest = "backtest" // scoring the model on the last months
	StepTrain    = "train"    // training the model and forecasting
	StepSave     = "save"     // storing the forecast
)

// stepError is a job's error at its step; its text is the error's.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func atStep(step string, err error) error { return &stepError{step, err} }

// StepOf is the step a RunJob error names, and its cause (the error
// without the step's own prefix); "" when it names none.
func StepOf(err error) (step string, cause error) {
	var se *stepError
	if !errors.As(err, &se) {
		return "", err
	}
	cause = se.err
	if w := errors.Unwrap(cause); w != nil && se.step == StepBacktest {
		cause = w
	}
	return se.step, cause
}

// RefreshStatus is what a Refresher reports: whether a refresh runs, its
// progress in steps (a job's load, each backtest month, each horizon
// trained, its save), and how the last one ended.
type RefreshStatus struct {
	Running  bool      `json:"running"`
	Trigger  string    `json:"trigger,omitempty"` // "schedule", "import" or "user"
	By       string    `json:"by,omitempty"`      // the user who started it
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"` // of the last refresh
	Step     int       `json:"step"`
	Steps    int       `json:"steps"`
	Grid     string    `json:"grid,omitempty"`  // the job running: priogrid, country
	Stored   int       `json:"stored"`          // forecasts stored by the last (or this) refresh
	Error    string    `json:"error,omitempty"` // the last refresh's error, in English
	// FailedJob is the job (grid) whose error ended the last refresh:
	// "country" or "priogrid", for the UI's own words.
	FailedJob string `json:"failed_job,omitempty"`
	// FailedStep is the step of that job that failed (StepLoad,
	// StepBacktest, StepTrain, StepSave), for the UI's own words: what
	// failed and what to do.
	FailedStep string `json:"failed_step,omitempty"`
	// CauseKey and CauseArgs say the error's cause (its text after the
	// job and step) as a catalog message when one says it (a cell list's
	// refusal at its line, a database that is busy or read-only), so
	// that the page says it in its language.
	CauseKey  string            `json:"cause_key,omitempty"`
	CauseArgs map[string]string `json:"cause_args,omitempty"`
	LastOK    time.Time         `json:"last_ok,omitzero"`
	// Every is the schedule's interval in seconds (0: none); Next the
	// next scheduled refresh.
	Every int64     `json:"every_seconds"`
	Next  time.Time `json:"next,omitzero"`
}

// ErrRefreshRunning is Start's answer while a refresh runs (a conflict:
// the API answers 409).
var ErrRefreshRunning = refusal(apperr.KindConflict, "refusal.forecast.running")

// A Refresher recomputes the stored forecasts in the background, one
// refresh at a time: when asked (Start), and every interval (Schedule).
type Refresher struct {
	Store RefreshStore
	Jobs  []Job
	// Busy, when set, says that something else computes forecasts (the
	// demo's first computation): Start refuses and the schedule waits.
	Busy func(ctx context.Context) bool

	mu   sync.Mutex
	st   RefreshStatus
	done chan struct{} // closed when the running refresh ends
}

// Grids are the grids a refresh computes (its jobs' LoadOptions.Grid:
// GridCountry only with a cell list, see RefreshJobs).
func (r *Refresher) Grids() []string {
	var gs []string
	for _, j := range r.Jobs {
		g := j.Load.Grid
		if g == "" {
			g = GridPrio
		}
		gs = append(gs, g)
	}
	return gs
}

// Status returns the current status.
func (r *Refresher) Status() RefreshStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st
}

// Start begins a refresh in the background unless one runs (then
// ErrRefreshRunning) and returns the status at its start. trigger says
// why ("user", "schedule", "import"), by who asked (audit: the runs are
// saved as by's). ctx bounds the refresh, not the call.
func (r *Refresher) Start(ctx context.Context, trigger, by string) (RefreshStatus, error) {
	if r.Busy != nil && r.Busy(ctx) {
		return r.Status(), ErrRefreshRunning
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.st.Running {
		return r.st, ErrRefreshRunning
	}
	steps := 0
	for _, j := range r.Jobs {
		steps += 2 + j.BacktestMonths + len(j.Horizons)
	}
	r.st.Running, r.st.Trigger, r.st.By = true, trigger, by
	r.st.Started, r.st.Step, r.st.Steps, r.st.Stored, r.st.Error, r.st.FailedJob, r.st.Grid = time.Now().UTC(), 0, steps, 0, "", "", ""
	r.st.FailedStep, r.st.CauseKey, r.st.CauseArgs = "", "", nil
	r.done = make(chan struct{})
	go r.run(context.WithoutCancel(ctx), by, r.done)
	return r.st, nil
}

// Wait blocks until the running refresh (if any) ends or ctx is done.
func (r *Refresher) Wait(ctx context.Context) error {
	r.mu.Lock()
	d := r.done
	r.mu.Unlock()
	return syncx.WaitClosed(ctx, d)
}

func (r *Refresher) run(ctx context.Context, by string, done chan struct{}) {
	defer close(done)
	actor := "refresh"
	if by != "" {
		actor = by
	}
	var err error
	failed := ""
	stored := 0
	for _, j := range r.Jobs {
		r.mu.Lock()
		r.st.Grid = j.Load.Grid
		r.st.Step++ // the load
		r.mu.Unlock()
		var n int
		n, err = RunJob(ctx, r.Store, j, actor, stepCounter{r})
		if err != nil {
			err, failed = fmt.Errorf("%s forecast: %w", j.Load.Grid, err), j.Load.Grid
			break
		}
		stored += n
		r.mu.Lock()
		r.st.Step++ // the save
		r.st.Stored = stored
		r.mu.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.Running, r.st.Grid = false, ""
	r.st.Finished = time.Now().UTC()
	if err != nil {
		r.st.Error, r.st.FailedJob = err.Error(), failed
		step, cause := StepOf(err)
		r.st.FailedStep = step
		if m, ok := apperr.WholeMessage(cause); ok {
			r.st.CauseKey, r.st.CauseArgs = m.Key, m.Args
		}
		return
	}
	r.st.Step = r.st.Steps
	r.st.LastOK = r.st.Finished
}

// stepCounter counts the models' progress lines that end a step: a
// backtest month done, a horizon trained.
type stepCounter struct{ r *Refresher }

func (c stepCounter) Write(p []byte) (int, error) {
	n := bytes.Count(p, []byte(" done (")) + bytes.Count(p, []byte(" trained ("))
	if n > 0 {
		c.r.mu.Lock()
		c.r.st.Step = min(c.r.st.Step+n, c.r.st.Steps-1)
		c.r.mu.Unlock()
	}
	return len(p), nil
}

// Schedule starts a refresh every interval until ctx ends (a refresh
// still running at a tick is left to finish). An interval ≤ 0 does
// nothing.
func (r *Refresher) Schedule(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	r.mu.Lock()
	r.st.Every = int64(every / time.Second)
	r.st.Next = time.Now().Add(every).UTC()
	r.mu.Unlock()
	onTick(ctx, every, func() {
		r.mu.Lock()
		r.st.Next = time.Now().Add(every).UTC()
		r.mu.Unlock()
		_, _ = r.Start(ctx, "schedule", "")
	})
}

// onTick calls fn every interval until ctx ends.
func onTick(ctx context.Context, every time.Duration, fn func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

// WatchImports starts a refresh (trigger "import") after the events
// change: version — the store's events version, which every import that
// changes events bumps, in any process (vigil import beside vigil serve,
// an incident made an event in the UI) — is read every interval, and a
// new version that held for one interval (an import of several files has
// ended) starts a refresh. While a refresh runs (or Busy) the change waits
// for the next tick. The version when WatchImports is called is the
// baseline: the data the stored forecasts were made on. An interval ≤ 0
// does nothing.
func (r *Refresher) WatchImports(ctx context.Context, version func(context.Context) (int64, error), every time.Duration) {
	if every <= 0 {
		return
	}
	seen, err := version(ctx)
	if err != nil {
		seen = -1
	}
	pending := int64(-1) // a new version read once, waiting one interval
	onTick(ctx, every, func() {
		v, err := version(ctx)
		switch {
		case err != nil || v == seen:
			pending = -1
		case v != pending:
			pending = v
		default:
			if _, err := r.Start(ctx, "import", ""); err == nil {
				seen, pending = v, -1
			}
		}
	})
}
