package viewschallenge

import (
	"context"
	"io"
	"math"

	"github.com/vigil-project/vigil/internal/apperr"
)

// The challenge's two benchmarks, as `vigil views forecast --method` names
// them: zero for every country-month, and a Poisson draw around each
// country's last value before the cutoff.
const (
	BenchmarkZero    = "zero"
	BenchmarkPoisson = "poisson-last"
)

// DefaultSeed is the seed `vigil views forecast` draws with unless told
// otherwise (--seed), so that a benchmark scored here is the one the
// command writes.
const DefaultSeed = 1

// MaxBenchmarkCountries is the most countries of a features file the
// benchmark is forecast for: Forecast keeps their draws in memory (12
// months × NDraws per country, about 100 KB), and the challenge has fewer
// than 250.
const MaxBenchmarkCountries = 1000

// Relative is a forecast's relative difference to a benchmark per score,
// forecast ÷ benchmark − 1 (−0.098: 9.8% lower, so better); nil where
// the benchmark scores 0.
type Relative struct {
	CRPS      *float64 `json:"crps"`
	Ignorance *float64 `json:"ignorance"`
	Interval  *float64 `json:"interval_score_90"`
}

// Benchmark is a benchmark forecast's scores on the same country-months as
// the forecast it is compared with, and that forecast's difference to them.
type Benchmark struct {
	Method string `json:"method"`
	Scores
	Relative Relative `json:"relative"`
}

// Comparison is a forecast's scores (Scores, as ScoreFiles answers them)
// beside the challenge's benchmarks on its actuals: always zero, and
// poisson-last when the features were given (Cutoff is then the month
// they were forecast from).
type Comparison struct {
	Scores
	Cutoff     int         `json:"cutoff,omitempty"`
	Benchmarks []Benchmark `json:"benchmarks"`
}

// CompareInput are the files CompareFiles reads, each named in its
// refusals. Features is optional (nil: no poisson-last benchmark); Cutoff
// 0 is the last month the features give.
type CompareInput struct {
	ForecastName, ActualsName, FeaturesName string
	Forecast, Actuals, Features             io.Reader
	Cutoff                                  int
}

// CompareFiles scores the forecast against the actuals as ScoreFiles does
// and then the challenge's benchmarks on the same country-months, as
// `vigil views forecast --method zero|poisson-last` (seed DefaultSeed)
// followed by `vigil views score` would: the zero forecast needs only the
// actuals, poisson-last the features and the cutoff. A refusal names the
// file, its line (0: the file as a whole) and column.
func CompareFiles(ctx context.Context, in CompareInput) (Comparison, error) {
	f, err := ReadForecast(in.ForecastName, in.Forecast)
	if err != nil {
		return Comparison{}, err
	}
	act, err := ReadActuals(in.ActualsName, in.Actuals)
	if err != nil {
		return Comparison{}, err
	}
	sc, err := score(f, act, in.ForecastName, in.ActualsName)
	if err != nil {
		return Comparison{}, err
	}
	out := Comparison{Scores: sc}
	zero, _ := MethodByName(BenchmarkZero)
	draws := zero.Draws(nil, NDraws, nil) // the same NDraws zeros for every country-month
	zfc := make(map[Key][]float64, len(act))
	for k := range act {
		zfc[k] = draws
	}
	zs, err := score(zfc, act, "", in.ActualsName)
	if err != nil {
		return Comparison{}, err
	}
	out.Benchmarks = append(out.Benchmarks, compared(BenchmarkZero, sc, zs))
	if in.Features == nil {
		return out, nil
	}
	h := History{}
	if err := ReadFeatures(in.FeaturesName, in.Features, h); err != nil {
		return Comparison{}, err
	}
	if out.Cutoff = in.Cutoff; out.Cutoff == 0 {
		_, out.Cutoff = h.Months()
	}
	ps, err := benchmark(ctx, h, out.Cutoff, BenchmarkPoisson, act, in.FeaturesName)
	if err != nil {
		return Comparison{}, err
	}
	out.Benchmarks = append(out.Benchmarks, compared(BenchmarkPoisson, sc, ps))
	return out, nil
}

// benchmark forecasts every country of h with method exactly as `vigil
// views forecast` does (Forecast, seed DefaultSeed: the draws of a country
// depend on the countries before it) and scores the forecast on the
// actuals' country-months. A country-month of the
// actuals it cannot forecast (a country without features, a month not 3
// to 14 months after the cutoff) is refused in the features file.
func benchmark(ctx context.Context, h History, cutoff int, method string, act map[Key]float64, featName string) (Scores, error) {
	if len(h) > MaxBenchmarkCountries {
		return Scores{}, bad(featName, 0, "", "%d countries: the benchmark is forecast for at most %d", len(h), MaxBenchmarkCountries)
	}
	for _, k := range sortedKeys(act) {
		if _, ok := h[k.Country]; !ok || k.Month < cutoff+FirstStep || k.Month > cutoff+LastStep {
			return Scores{}, bad(featName, 0, "", "no %s forecast for country %d month %d of the actuals: no history of the country here, or the month is not 3 to 14 months after the cutoff %d",
				method, k.Country, k.Month, cutoff)
		}
	}
	fc := make(map[Key][]float64, len(act))
	_, err := Forecast(ctx, h, cutoff, Options{Method: method, Seed: DefaultSeed}, func(r Row) error {
		if k := (Key{r.Month, r.Country}); hasKey(act, k) {
			fc[k] = append(fc[k], r.Outcome)
		}
		return nil
	})
	if err != nil {
		return Scores{}, apperr.AtLine(featName, 0, err)
	}
	return score(fc, act, featName, "")
}

func hasKey(act map[Key]float64, k Key) bool { _, ok := act[k]; return ok }

// compared is benchmark b's scores and forecast f's difference to them.
func compared(method string, f, b Scores) Benchmark {
	rel := func(f, b float64) *float64 {
		if b == 0 {
			return nil
		}
		r := f/b - 1
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil
		}
		return &r
	}
	return Benchmark{Method: method, Scores: b, Relative: Relative{
		CRPS: rel(f.CRPS, b.CRPS), Ignorance: rel(f.Ignorance, b.Ignorance), Interval: rel(f.Interval, b.Interval)}}
}
