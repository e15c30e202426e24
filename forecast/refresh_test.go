package forecast

import (
	"context"
	"errors"
	"github.com/vigil-project/vigil/internal/apperr"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// refreshStore is an events store of synthetic cell-months that records the
// runs saved.
type refreshStore struct {
	events.Store // nil: only CellMonths is used
	cms          []events.CellMonth
	fail         error // CellMonths' error
	saveFail     error // SaveForecast's error

	mu    sync.Mutex
	runs  []Run
	cells [][]CellRisk
	actor []string
}

func (s *refreshStore) CellMonths(ctx context.Context, f events.Filter, size float64) ([]events.CellMonth, error) {
	if s.fail != nil {
		return nil, s.fail
	}
	return s.cms, nil
}

func (s *refreshStore) SaveForecast(ctx context.Context, actor string, run Run, cells []CellRisk) (int64, error) {
	if s.saveFail != nil {
		return 0, s.saveFail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs = append(s.runs, run)
	s.cells = append(s.cells, cells)
	s.actor = append(s.actor, actor)
	return int64(len(s.runs)), nil
}

// synthCellMonths: 36 cells, 48 months, one-sided violence in some.
func synthCellMonths() []events.CellMonth {
	var out []events.CellMonth
	x := uint32(7)
	for m := range 48 {
		for i := range 36 {
			x = x*1664525 + 1013904223
			if i%7 == 0 && x%3 == 0 || x%29 == 0 {
				cm := events.CellMonth{Cell: (200+i/6)*grid.PrioCols + 400 + i%6, Month: grid.MonthOf(2000, 1) + grid.Month(m)}
				cm.Counts[events.OneSided] = 1
				cm.Deaths[events.OneSided] = int(x % 9)
				out = append(out, cm)
			}
		}
	}
	return out
}

func TestRefresher(t *testing.T) {
	ctx := context.Background()
	st := &refreshStore{cms: synthCellMonths()}
	jobs := []Job{{Load: LoadOptions{Grid: "priogrid"}, Target: OS, Horizons: []int{1, 2}, BacktestMonths: 3}}
	r := &Refresher{Store: st, Jobs: jobs}
	if s := r.Status(); s.Running || !s.LastOK.IsZero() {
		t.Fatalf("status before any refresh: %+v", s)
	}
	s, err := r.Start(ctx, "user", "ana")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Running || s.Steps != 2+3+2 || s.Trigger != "user" || s.By != "ana" {
		t.Fatalf("status at start: %+v", s)
	}
	// a second start while running is refused (unless the first already ended)
	if _, err := r.Start(ctx, "user", "bob"); err != nil && !errors.Is(err, ErrRefreshRunning) {
		t.Fatal(err)
	}
	if err := r.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	// a refused second start changed nothing; an accepted one ran again
	if err := r.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	s = r.Status()
	if s.Running || s.Error != "" || s.LastOK.IsZero() || s.Step != s.Steps || len(st.cells) == 0 || s.Stored != len(st.cells[len(st.cells)-1]) || s.Stored == 0 {
		t.Fatalf("status after: %+v", s)
	}
	if len(st.runs) == 0 || st.runs[0].Grid != "priogrid" || len(st.runs[0].Backtest) == 0 || st.actor[0] != "ana" {
		t.Fatalf("saved runs %+v by %v", st.runs, st.actor)
	}
	if st.runs[0].Origin != grid.MonthOf(2003, 12) {
		t.Errorf("origin %s, want 2003-12", st.runs[0].Origin)
	}

	// a failing store: the error is reported, the last success kept
	st.fail = errors.New("store closed")
	if _, err := r.Start(ctx, "schedule", ""); err != nil {
		t.Fatal(err)
	}
	if err := r.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	f := r.Status()
	if f.Error != "priogrid forecast: store closed" || f.FailedJob != "priogrid" || f.LastOK != s.LastOK || f.Running {
		t.Fatalf("status after a failure: %+v", f)
	}

	// something else computing: Start refuses
	r.Busy = func(context.Context) bool { return true }
	if _, err := r.Start(ctx, "user", "ana"); !errors.Is(err, ErrRefreshRunning) {
		t.Fatalf("start while busy: %v", err)
	}
}

// TestRefreshFailureStep: a failed refresh names the step that failed
// (reading the events, saving the forecast), so that the page says it in
// its words, and its cause as a catalog message when one says it.
func TestRefreshFailureStep(t *testing.T) {
	keyed := apperr.Say(apperr.KindUnavailable, "", "refusal.forecast.running")
	for _, tc := range []struct {
		name             string
		load, save       error
		step, error, key string
	}{
		{"events", errors.New("store closed"), nil, StepLoad, "priogrid forecast: store closed", ""},
		{"save", nil, errors.New("disk full"), StepSave, "priogrid forecast: disk full", ""},
		{"save, said", nil, keyed, StepSave, "priogrid forecast: " + keyed.Error(), "refusal.forecast.running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := &refreshStore{cms: synthCellMonths(), fail: tc.load, saveFail: tc.save}
			r := &Refresher{Store: st, Jobs: []Job{{Load: LoadOptions{Grid: "priogrid"}, Target: OS, Horizons: []int{1}}}}
			if _, err := r.Start(ctx, "user", "ana"); err != nil {
				t.Fatal(err)
			}
			if err := r.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			f := r.Status()
			if f.Error != tc.error || f.FailedJob != "priogrid" || f.FailedStep != tc.step || f.CauseKey != tc.key {
				t.Errorf("status %+v: want error %q, step %q, cause key %q", f, tc.error, tc.step, tc.key)
			}
		})
	}
}

// The schedule starts refreshes on its own and reports its interval and
// next run.
func TestRefresherSchedule(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &refreshStore{cms: synthCellMonths()}
	r := &Refresher{Store: st, Jobs: []Job{{Load: LoadOptions{Grid: "priogrid"}, Target: OS, Horizons: []int{1}}}}
	go r.Schedule(ctx, 20*time.Millisecond)
	for {
		s := r.Status()
		if !s.LastOK.IsZero() {
			if s.Trigger != "schedule" || s.Every != 0 && s.Next.IsZero() {
				t.Fatalf("status %+v", s)
			}
			break
		}
		if s.Error != "" {
			t.Fatal(s.Error)
		}
		time.Sleep(5 * time.Millisecond)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.runs) == 0 || st.actor[0] != "refresh" {
		t.Fatalf("runs %d by %v", len(st.runs), st.actor)
	}
}

// countingVersion is an events version the test moves, counting reads.
type countingVersion struct {
	mu        sync.Mutex
	v         int64
	reads     int
	readsSeen chan int
}

func (c *countingVersion) read(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	select {
	case c.readsSeen <- c.reads:
	default:
	}
	return c.v, nil
}

func (c *countingVersion) bump() {
	c.mu.Lock()
	c.v++
	c.mu.Unlock()
}

// waitReads waits until the version was read n more times.
func (c *countingVersion) waitReads(t *testing.T, n int) {
	t.Helper()
	c.mu.Lock()
	want := c.reads + n
	c.mu.Unlock()
	for got := range c.readsSeen {
		if got >= want {
			return
		}
	}
}

// An import (the events version moving) starts a refresh once the version
// holds for one interval; an unchanged version starts none.
func TestRefresherWatchImports(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &refreshStore{cms: synthCellMonths()}
	r := &Refresher{Store: st, Jobs: []Job{{Load: LoadOptions{Grid: "priogrid"}, Target: OS, Horizons: []int{1}}}}
	ver := &countingVersion{v: 7, readsSeen: make(chan int, 1)}
	go r.WatchImports(ctx, ver.read, time.Millisecond)
	ver.waitReads(t, 6)
	if s := r.Status(); s.Running || !s.Started.IsZero() {
		t.Fatalf("no import, yet a refresh: %+v", s)
	}
	ver.bump() // an import
	for {
		s := r.Status()
		if !s.LastOK.IsZero() {
			if s.Trigger != "import" || s.By != "" {
				t.Fatalf("status after the import's refresh: %+v", s)
			}
			break
		}
		if s.Error != "" {
			t.Fatal(s.Error)
		}
		ver.waitReads(t, 1)
	}
	// the same version again: no second refresh
	ver.waitReads(t, 6)
	st.mu.Lock()
	runs := len(st.runs)
	st.mu.Unlock()
	if s := r.Status(); runs != 1 || s.Running {
		t.Errorf("%d runs (running %v) after one import, want 1", runs, s.Running)
	}
}
