package viewschallenge

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/vigil-project/vigil/events"
)

// MonthID is the challenge's month number: (year − 1980)·12 + month.
func MonthID(year, month int) int { return (year-1980)*12 + month }

// MonthLabel writes a month_id as YYYY-MM.
func MonthLabel(id int) string {
	y, m := (id-1)/12+1980, (id-1)%12+1
	return fmt.Sprintf("%04d-%02d", y, m)
}

// HistoryFromEvents sums the best fatality estimate of the events of one
// type of violence per country and month, zero-filled over every month from
// the first to the last event of the file (of any type) for every country
// that has an event of any type. Countries are keyed by their Gleditsch–Ward
// number when the source gives one, otherwise by their position in the
// sorted list of names; names maps the key back to the name.
func HistoryFromEvents(es []events.Event, violence events.ViolenceType) (h History, names map[int]string, err error) {
	if len(es) == 0 {
		return nil, nil, errors.New("no events")
	}
	byName := map[string]int{}
	numeric := true
	for _, e := range es {
		if _, ok := byName[e.Country]; ok {
			continue
		}
		byName[e.Country] = 0
		if _, err := strconv.Atoi(e.CountryCode); err != nil {
			numeric = false
		}
	}
	sorted := slices.Sorted(maps.Keys(byName))
	names = map[int]string{}
	for i, n := range sorted {
		byName[n] = i + 1
	}
	id := func(e events.Event) int {
		if numeric {
			v, _ := strconv.Atoi(e.CountryCode)
			return v
		}
		return byName[e.Country]
	}
	first, last := 1<<30, -1<<30
	for _, e := range es {
		m := MonthID(e.DateStart.Year(), int(e.DateStart.Month()))
		first, last = min(first, m), max(last, m)
		names[id(e)] = e.Country
	}
	if len(names) != len(byName) {
		return nil, nil, errors.New("two country names share one country code")
	}
	h = History{}
	for c := range names {
		for m := first; m <= last; m++ {
			h.set(c, m, 0)
		}
	}
	for _, e := range es {
		if e.Violence != violence {
			continue
		}
		c, m := id(e), MonthID(e.DateStart.Year(), int(e.DateStart.Month()))
		h[c][m] += float64(max(e.Best, 0))
	}
	return h, names, nil
}

// ReplayOptions configure Replay.
type ReplayOptions struct {
	// History is how many months up to the cutoff the forecaster sees
	// (the challenge's files give 12 months of rows and 6 lags: 18).
	History int
	Methods []string // e.g. "auto", "poisson-last", "zero"
	Seed    uint64
}

// WindowScores are every method's scores on one replayed window.
type WindowScores struct {
	Cutoff int               `json:"cutoff"`
	Label  string            `json:"cutoff_month"`
	N      int               `json:"n"`
	Chosen string            `json:"auto_method,omitempty"`
	Scores map[string]Scores `json:"scores"`
}

// Replay cuts a challenge-shaped window out of a longer history: the
// forecaster sees only months cutoff−History+1 … cutoff, forecasts months
// cutoff+3 … cutoff+14 with each method through Forecast, and each forecast
// is scored with Score against the history's values for those months
// (months the history does not have are not scored).
func Replay(ctx context.Context, h History, cutoff int, opt ReplayOptions) (WindowScores, error) {
	if opt.History < MinHistory {
		return WindowScores{}, fmt.Errorf("history of %d months: need at least %d", opt.History, MinHistory)
	}
	if len(opt.Methods) == 0 {
		return WindowScores{}, errors.New("no methods to replay")
	}
	win := History{}
	act := map[Key]float64{}
	for c, s := range h {
		for m := cutoff - opt.History + 1; m <= cutoff; m++ {
			if v, ok := s[m]; ok {
				win.set(c, m, v)
			}
		}
	}
	for c := range win {
		for t := cutoff + FirstStep; t <= cutoff+LastStep; t++ {
			if v, ok := h[c][t]; ok {
				act[Key{t, c}] = v
			}
		}
	}
	if len(win) == 0 {
		return WindowScores{}, fmt.Errorf("cutoff %s: no data in the %d months up to the cutoff", MonthLabel(cutoff), opt.History)
	}
	if len(act) == 0 {
		return WindowScores{}, fmt.Errorf("cutoff %s: no observed months between %s and %s to score", MonthLabel(cutoff), MonthLabel(cutoff+FirstStep), MonthLabel(cutoff+LastStep))
	}
	out := WindowScores{Cutoff: cutoff, Label: MonthLabel(cutoff), N: len(act), Scores: map[string]Scores{}}
	for _, method := range opt.Methods {
		fc := map[Key][]float64{}
		used, err := Forecast(ctx, win, cutoff, Options{Method: method, Seed: opt.Seed}, func(r Row) error {
			k := Key{r.Month, r.Country}
			if _, ok := act[k]; ok {
				fc[k] = append(fc[k], r.Outcome)
			}
			return nil
		})
		if err != nil {
			return WindowScores{}, fmt.Errorf("cutoff %s, %s: %w", MonthLabel(cutoff), method, err)
		}
		if method == "auto" || method == "" {
			out.Chosen = used
		}
		s, err := Score(fc, act)
		if err != nil {
			return WindowScores{}, fmt.Errorf("cutoff %s, %s: %w", MonthLabel(cutoff), method, err)
		}
		out.Scores[method] = s
	}
	return out, nil
}

// Pool averages each method's scores over windows, weighting each window by
// its number of scored country-months, and counts for each method the
// windows in which its mean CRPS is lower than that of ref.
func Pool(ws []WindowScores, ref string) (pooled map[string]Scores, wins map[string]int) {
	pooled, wins = map[string]Scores{}, map[string]int{}
	for _, w := range ws {
		for m, s := range w.Scores {
			p := pooled[m]
			n := float64(s.N)
			p.CRPS += s.CRPS * n
			p.Ignorance += s.Ignorance * n
			p.Interval += s.Interval * n
			p.N += s.N
			p.Draws = s.Draws
			pooled[m] = p
			if r, ok := w.Scores[ref]; ok && m != ref && s.CRPS < r.CRPS {
				wins[m]++
			}
		}
	}
	for m, p := range pooled {
		n := float64(p.N)
		p.CRPS /= n
		p.Ignorance /= n
		p.Interval /= n
		pooled[m] = p
	}
	return pooled, wins
}
