package estimate

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Kind is the statistic estimated.
type Kind int

const (
	// Mean is the weighted mean (R svymean).
	Mean Kind = iota
	// Proportion is the mean of a 0/1 indicator with a logit-interval CI
	// (R svyciprop(method="logit")).
	Proportion
	// Total is the weighted total (R svytotal).
	Total
)

func (k Kind) String() string {
	switch k {
	case Mean:
		return "mean"
	case Proportion:
		return "proportion"
	case Total:
		return "total"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Estimate is one design-based estimate.
type Estimate struct {
	Group    string  // domain label ("" for the whole sample)
	Kind     Kind    // statistic
	Value    float64 // the estimate
	SE       float64 // standard error (Taylor linearisation)
	CILow    float64 // confidence interval
	CIHigh   float64
	Level    float64 // confidence level of the interval
	Deff     float64 // design effect (NaN when undefined)
	N        int     // respondents (unweighted) in the domain with a value
	PopSize  float64 // sum of their weights (estimated population)
	DF       int     // design degrees of freedom of the domain
	Suppress string  // why the cell is suppressed ("" if shown)
}

// CV is the coefficient of variation SE/|Value|.
func (e Estimate) CV() float64 { return e.SE / math.Abs(e.Value) }

// Suppressed reports whether the estimate must not be shown.
func (e Estimate) Suppressed() bool { return e.Suppress != "" }

// MarshalJSON writes the estimate; a suppressed cell carries no numbers
// but its count and the reason, and undefined values are null.
func (e Estimate) MarshalJSON() ([]byte, error) {
	num := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	type out struct {
		Group      string   `json:"group,omitempty"`
		Kind       string   `json:"statistic"`
		N          int      `json:"n"`
		Suppressed bool     `json:"suppressed"`
		Reason     string   `json:"reason,omitempty"`
		Value      *float64 `json:"estimate,omitempty"`
		SE         *float64 `json:"se,omitempty"`
		CILow      *float64 `json:"ci_low,omitempty"`
		CIHigh     *float64 `json:"ci_high,omitempty"`
		Level      float64  `json:"level,omitempty"`
		Deff       *float64 `json:"deff,omitempty"`
		PopSize    *float64 `json:"population,omitempty"`
		DF         int      `json:"df,omitempty"`
	}
	o := out{Group: e.Group, Kind: e.Kind.String(), N: e.N, Suppressed: e.Suppressed(), Reason: e.Suppress}
	if !e.Suppressed() {
		o.Value, o.SE, o.CILow, o.CIHigh = num(e.Value), num(e.SE), num(e.CILow), num(e.CIHigh)
		o.Level, o.Deff, o.PopSize, o.DF = e.Level, num(e.Deff), num(e.PopSize), e.DF
	}
	return json.Marshal(o)
}

// Rule is the small-cell rule: estimates from fewer than MinN respondents
// or with a coefficient of variation above MaxCV are suppressed.
type Rule struct {
	MinN  int
	MaxCV float64
}

// DefaultRule suppresses cells with fewer than 30 respondents or a CV above
// 30%.
var DefaultRule = Rule{MinN: 30, MaxCV: 0.30}

// Apply marks e suppressed when it breaks the rule. A zero Rule suppresses
// nothing.
func (r Rule) Apply(e Estimate) Estimate {
	switch {
	case r.MinN > 0 && e.N < r.MinN:
		e.Suppress = fmt.Sprintf("fewer than %d respondents (n=%d)", r.MinN, e.N)
	case r.MaxCV > 0 && !(e.CV() <= r.MaxCV):
		e.Suppress = fmt.Sprintf("coefficient of variation above %.0f%%", r.MaxCV*100)
	}
	return e
}

// Mean estimates the mean of y over the domain (nil: the whole sample);
// NaN values of y are missing and leave the domain.
func (d *Design) Mean(y []float64, domain []bool) (Estimate, error) {
	return d.estimate(Mean, y, domain)
}

// Total estimates the total of y over the domain.
func (d *Design) Total(y []float64, domain []bool) (Estimate, error) {
	return d.estimate(Total, y, domain)
}

// Proportion estimates the share of rows with y = 1 among the domain's rows
// with a value (y must be 0, 1 or NaN), with a logit interval on the
// design degrees of freedom.
func (d *Design) Proportion(y []float64, domain []bool) (Estimate, error) {
	return d.estimate(Proportion, y, domain)
}

// Estimate computes a statistic of kind k.
func (d *Design) Estimate(k Kind, y []float64, domain []bool) (Estimate, error) {
	return d.estimate(k, y, domain)
}

func (d *Design) estimate(k Kind, y []float64, domain []bool) (Estimate, error) {
	if len(y) != d.n {
		return Estimate{}, fmt.Errorf("estimate: %d values for a design of %d rows", len(y), d.n)
	}
	if domain != nil && len(domain) != d.n {
		return Estimate{}, fmt.Errorf("estimate: domain has %d rows for a design of %d rows", len(domain), d.n)
	}
	var rows []int32
	if domain == nil {
		rows = make([]int32, d.n)
		for i := range rows {
			rows[i] = int32(i)
		}
	} else {
		for i, in := range domain {
			if in {
				rows = append(rows, int32(i))
			}
		}
	}
	return d.estimateRows(k, y, rows)
}

// estimateRows estimates over the domain made of rows (ascending).
func (d *Design) estimateRows(k Kind, y []float64, rows []int32) (Estimate, error) {
	if k == Proportion {
		for _, i := range rows {
			if v := y[i]; !math.IsNaN(v) && v != 0 && v != 1 {
				return Estimate{}, fmt.Errorf("estimate: row %d: a proportion needs 0/1 values, got %v", i+1, v)
			}
		}
	}
	level := d.Level
	if level <= 0 || level >= 1 {
		level = 0.95
	}
	e := Estimate{Kind: k, Level: level, Deff: math.NaN()}
	// R's degf(design) of the domain, before missing values are dropped.
	e.DF = d.degfRows(rows)
	var psum, wy float64
	nobs := 0
	nn := make([]int32, 0, len(rows)) // rows with a value
	for _, i := range rows {
		if math.IsNaN(y[i]) {
			continue
		}
		nn = append(nn, i)
		w := d.w[i]
		psum += w
		wy += w * y[i]
		if w != 0 {
			nobs++
		}
	}
	if math.IsInf(psum, 0) || math.IsInf(wy, 0) { // the mean would be NaN or infinite
		return Estimate{}, apperr.Text("the weights and values are too large: their weighted sum is beyond 1.8e308")
	}
	e.N, e.PopSize = nobs, psum
	if nobs == 0 || psum == 0 {
		e.Value, e.SE, e.CILow, e.CIHigh = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return e, nil
	}
	mean := wy / psum
	zv := make([]float64, len(nn))
	var ssq float64 // Σ w (y-ȳ)²
	for j, i := range nn {
		w := d.w[i]
		dev := y[i] - mean
		ssq += w * dev * dev
		if k == Total {
			zv[j] = w * y[i]
		} else {
			zv[j] = w * dev / psum
		}
	}
	var v float64
	var err error
	if fv := d.fast(); fv != nil {
		v, err = fv.variance(d, nn, zv)
	} else {
		z := getBuf(d.n)
		clear(z)
		for j, i := range nn {
			z[i] = zv[j]
		}
		v, err = d.varTotal(z)
		putBuf(z)
	}
	if err != nil {
		return Estimate{}, err
	}
	e.SE = math.Sqrt(v)
	// Design effect against simple random sampling without replacement of
	// the same size (R deff=TRUE).
	if nobs > 1 && psum > float64(nobs) {
		svyvar := ssq / psum * float64(nobs) / float64(nobs-1)
		vsrs := svyvar * (psum - float64(nobs)) / (psum * float64(nobs))
		if k == Total {
			vsrs *= psum * psum
		}
		if vsrs > 0 {
			e.Deff = v / vsrs
		}
	}
	switch k {
	case Total:
		e.Value = wy
	default:
		e.Value = mean
	}
	alpha := 1 - level
	if k == Proportion {
		p := mean
		if p <= 0 || p >= 1 {
			e.CILow, e.CIHigh = p, p
		} else {
			eta := math.Log(p / (1 - p))
			se := e.SE / (p * (1 - p))
			t := qt(1-alpha/2, float64(e.DF))
			e.CILow = 1 / (1 + math.Exp(-(eta - t*se)))
			e.CIHigh = 1 / (1 + math.Exp(-(eta + t*se)))
		}
	} else {
		zq := qnorm(1 - alpha/2)
		e.CILow, e.CIHigh = e.Value-zq*e.SE, e.Value+zq*e.SE
	}
	return e, nil
}

var bufPool sync.Pool

// getBuf returns a scratch slice of n float64 (contents undefined).
func getBuf(n int) []float64 {
	if b, ok := bufPool.Get().(*[]float64); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]float64, n)
}

func putBuf(b []float64) { bufPool.Put(&b) }

// By estimates the statistic in each domain defined by group (R svyby):
// rows whose group is "" belong to no domain. Domains are returned in
// sorted order of their labels.
func (d *Design) By(k Kind, y []float64, group []string) ([]Estimate, error) {
	if len(group) != d.n {
		return nil, fmt.Errorf("by: %d group values for a design of %d rows", len(group), d.n)
	}
	return d.ByGroups(k, y, NewGroups(group))
}

// codes numbers distinct strings densely, in the order they are first seen.
type codes struct {
	id     map[string]int32
	labels []string // labels[c] is the string numbered c
}

// of returns the number of s, giving s the next number when it is new.
func (c *codes) of(s string) int32 {
	if id, ok := c.id[s]; ok {
		return id
	}
	if c.id == nil {
		c.id = map[string]int32{}
	}
	id := int32(len(c.labels))
	c.id[s] = id
	c.labels = append(c.labels, s)
	return id
}

// Groups partitions rows into labelled domains; build it once and use it
// for many estimates with ByGroups.
type Groups struct {
	n       int
	labels  []string
	members [][]int32
}

// NewGroups groups rows by label ("" belongs to no group), labels sorted.
func NewGroups(group []string) *Groups {
	var groups codes
	code := make([]int32, len(group))
	for i, g := range group {
		if g == "" {
			code[i] = -1
			continue
		}
		code[i] = groups.of(g)
	}
	labels := groups.labels
	order := make([]int, len(labels))
	for j := range order {
		order[j] = j
	}
	sort.Slice(order, func(a, b int) bool { return labels[order[a]] < labels[order[b]] })
	rank := make([]int32, len(labels))
	for r, j := range order {
		rank[j] = int32(r)
	}
	g := &Groups{n: len(group), labels: make([]string, len(labels)), members: make([][]int32, len(labels))}
	for j, l := range labels {
		g.labels[rank[j]] = l
	}
	for i, c := range code {
		if c >= 0 {
			r := rank[c]
			g.members[r] = append(g.members[r], int32(i))
		}
	}
	return g
}

// Labels returns the group labels in order.
func (g *Groups) Labels() []string { return g.labels }

// ByGroups estimates the statistic in each group, in parallel.
func (d *Design) ByGroups(k Kind, y []float64, g *Groups) ([]Estimate, error) {
	if g.n != d.n || len(y) != d.n {
		return nil, fmt.Errorf("by: groups over %d rows and %d values for a design of %d rows", g.n, len(y), d.n)
	}
	out := make([]Estimate, len(g.labels))
	errs := make([]error, len(g.labels))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for j, l := range g.labels {
		wg.Add(1)
		sem <- struct{}{}
		go func(j int, l string) {
			defer wg.Done()
			defer func() { <-sem }()
			e, err := d.estimateRows(k, y, g.members[j])
			e.Group = l
			out[j], errs[j] = e, err
		}(j, l)
	}
	wg.Wait()
	for j, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("group %q: %w", g.labels[j], err)
		}
	}
	return out, nil
}

// Diff is the change from round a to round b (b - a) of an estimate from two
// independent samples, with SE = sqrt(SE_a² + SE_b²) and a normal interval.
// It is suppressed when either side is.
type Diff struct {
	Group    string
	From, To Estimate
	Value    float64
	SE       float64
	CILow    float64
	CIHigh   float64
	// Significant is true when the interval excludes zero.
	Significant bool
	Suppress    string
}

// Difference computes the change between two independent rounds.
func Difference(a, b Estimate) Diff {
	level := b.Level
	if level <= 0 || level >= 1 {
		level = 0.95
	}
	df := Diff{Group: b.Group, From: a, To: b, Value: b.Value - a.Value, SE: math.Sqrt(a.SE*a.SE + b.SE*b.SE)}
	zq := qnorm(1 - (1-level)/2)
	df.CILow, df.CIHigh = df.Value-zq*df.SE, df.Value+zq*df.SE
	df.Significant = df.CILow > 0 || df.CIHigh < 0
	switch {
	case a.Suppressed():
		df.Suppress = "first round suppressed: " + a.Suppress
	case b.Suppressed():
		df.Suppress = "second round suppressed: " + b.Suppress
	}
	return df
}
