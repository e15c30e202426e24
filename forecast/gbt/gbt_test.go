package gbt

import (
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic: y = 1 iff x0 > 0.5 and x1 > 0.3 (an interaction a single
// split cannot express); x2 is noise.
func synth(n int, seed uint64) *Data {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &Data{F: 3}
	for range n {
		x := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		y := 0.0
		if x[0] > 0.5 && x[1] > 0.3 {
			y = 1
		}
		d.X = append(d.X, x...)
		d.Y = append(d.Y, y)
	}
	return d
}

func TestLogisticLearnsInteraction(t *testing.T) {
	tr, te := synth(4000, 1), synth(1000, 2)
	p := DefaultParams(Logistic)
	p.EarlyStop = 0
	p.Trees = 60
	m, err := Fit(tr, nil, p)
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for i := range te.N() {
		pr := m.Predict(te.X[i*3 : i*3+3])
		if (pr > 0.5) != (te.Y[i] == 1) {
			wrong++
		}
	}
	if wrong > 30 {
		t.Errorf("%d of 1000 misclassified", wrong)
	}
}

func TestSquaredFitsStep(t *testing.T) {
	d := &Data{F: 1}
	for i := range 200 {
		x := float64(i) / 200
		y := 1.0
		if x > 0.5 {
			y = 5
		}
		d.X = append(d.X, x)
		d.Y = append(d.Y, y)
	}
	p := DefaultParams(Squared)
	p.Subsample = 1
	p.EarlyStop = 0
	m, err := Fit(d, nil, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ x, want float64 }{{0.1, 1}, {0.9, 5}} {
		if got := m.Predict([]float64{c.x}); math.Abs(got-c.want) > 0.01 {
			t.Errorf("f(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// Contributions add up to the raw score, and training-time (binned) leaf
// lookups agree with prediction on raw values.
func TestContributionsSum(t *testing.T) {
	tr := synth(2000, 3)
	m, err := Fit(tr, synth(500, 4), DefaultParams(Logistic))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.ValidLoss) == 0 {
		t.Fatal("no validation losses recorded")
	}
	for i := range 50 {
		x := tr.X[i*3 : i*3+3]
		b, c := m.Contributions(x)
		s := b
		for _, v := range c {
			s += v
		}
		if math.Abs(s-m.Raw(x)) > 1e-9 {
			t.Fatalf("row %d: bias+contributions %v, raw %v", i, s, m.Raw(x))
		}
		if math.Abs(c[2]) > math.Abs(c[0])+math.Abs(c[1]) {
			t.Errorf("row %d: noise feature contributes %v more than signal %v %v", i, c[2], c[0], c[1])
		}
	}
}

func TestEarlyStopTruncates(t *testing.T) {
	p := DefaultParams(Logistic)
	p.Trees = 500
	p.EarlyStop = 5
	m, err := Fit(synth(1000, 5), synth(300, 6), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Trees) >= 500 {
		t.Errorf("kept %d trees; early stopping never triggered", len(m.Trees))
	}
	best := math.Inf(1)
	for _, l := range m.ValidLoss {
		best = math.Min(best, l)
	}
	if m.ValidLoss[len(m.Trees)-1] != best {
		t.Errorf("kept %d trees, not the best validation loss", len(m.Trees))
	}
}

func TestRejectsBadData(t *testing.T) {
	cases := map[string]*Data{
		"nan feature":  {X: []float64{math.NaN()}, F: 1, Y: []float64{0}},
		"shape":        {X: []float64{1, 2, 3}, F: 2, Y: []float64{0}},
		"bad label":    {X: []float64{1}, F: 1, Y: []float64{2}},
		"neg weight":   {X: []float64{1}, F: 1, Y: []float64{1}, W: []float64{-1}},
		"no rows":      {X: nil, F: 1, Y: nil},
		"zero weights": {X: []float64{1}, F: 1, Y: []float64{1}, W: []float64{0}},
	}
	for name, d := range cases {
		if _, err := Fit(d, nil, DefaultParams(Logistic)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPlatt(t *testing.T) {
	// raw scores twice too confident: true p = σ(raw/2)
	rng := rand.New(rand.NewPCG(9, 9))
	var raw []float64
	var y []bool
	for range 20000 {
		r := rng.NormFloat64() * 3
		raw = append(raw, r)
		y = append(y, rng.Float64() < sigmoid(r/2))
	}
	pl := FitPlatt(raw, y, nil)
	if math.Abs(pl.A-0.5) > 0.05 || math.Abs(pl.B) > 0.05 {
		t.Errorf("Platt %+v, want A≈0.5 B≈0", pl)
	}
	if id := FitPlatt([]float64{1, 2}, []bool{true, true}, nil); id.A != 1 || id.B != 0 {
		t.Errorf("one-class calibration %+v, want identity", id)
	}
}

func TestFitLogistic(t *testing.T) {
	// y ~ Bernoulli(σ(−1 + 2·x1 − 0.5·x2))
	rng := rand.New(rand.NewPCG(4, 4))
	var x [][]float64
	var y []bool
	for range 40000 {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		x = append(x, []float64{a, b})
		y = append(y, rng.Float64() < sigmoid(-1+2*a-0.5*b))
	}
	c := FitLogistic(x, y, nil)
	want := []float64{-1, 2, -0.5}
	for i := range want {
		if math.Abs(c[i]-want[i]) > 0.06 {
			t.Errorf("coefficients %v, want ≈ %v", c, want)
			break
		}
	}
}
