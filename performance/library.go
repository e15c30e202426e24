package performance

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Param is one parameter of an indicator.
type Param struct {
	Name    string   `json:"name"`
	Doc     string   `json:"doc"`
	Default string   `json:"default,omitempty"`
	Values  []string `json:"values,omitempty"` // allowed values (nil: free text)
}

// Definition is one indicator of the library.
type Definition struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameFR string `json:"name_fr"`
	Unit   string `json:"unit"`
	// Direction is the usual way the indicator improves (a framework can
	// say otherwise).
	Direction Direction `json:"direction"`
	Doc       string    `json:"doc"`
	Params    []Param   `json:"params,omitempty"`
	// Disaggregations are the dimensions values can be broken down by
	// (besides area and period).
	Disaggregations []string `json:"disaggregations,omitempty"`
	// AreaLess indicators are not computed by country (the whole grid,
	// a survey's own areas).
	AreaLess bool `json:"area_less,omitempty"`
	// Sources are the kinds of data it reads.
	Sources []string `json:"sources"`

	compute func(e *Engine, ctx context.Context, r Request) ([]Value, error)
}

// Request asks for one indicator over one period and area.
type Request struct {
	Indicator string
	Period    Period
	Area      Area
	Params    map[string]string
	// By is a disaggregation dimension of the indicator ("" = none): one
	// value per group.
	By string
}

// library is every indicator: the literal list of each file's indicators.
var library = slices.Concat(
	coverageIndicators(),  // ind_coverage.go
	responseIndicators(),  // ind_coverage.go
	eventIndicators(),     // ind_events.go
	otherIndicators(),     // ind_other.go
	integrityIndicators(), // ind_integrity.go
	manualIndicators(),    // manual.go
)

// Library returns the indicators, sorted by id.
func Library() []Definition {
	out := append([]Definition(nil), library...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns an indicator definition by id.
func Lookup(id string) (Definition, bool) {
	for _, d := range library {
		if d.ID == id {
			return d, true
		}
	}
	return Definition{}, false
}

// check validates a request's parameters and disaggregation against the
// definition, filling defaults.
func (d Definition) check(r *Request) error {
	params := map[string]string{}
	for _, p := range d.Params {
		if p.Default != "" {
			params[p.Name] = p.Default
		}
	}
	for k, v := range r.Params {
		i := slices.IndexFunc(d.Params, func(p Param) bool { return p.Name == k })
		if i < 0 {
			var names []string
			for _, p := range d.Params {
				names = append(names, p.Name)
			}
			if len(names) == 0 {
				return invalid(k, "err.no-params", "id", d.ID)
			}
			return invalid(k, "err.no-param", "id", d.ID, "param", fmt.Sprintf("%q", k), "params", strings.Join(names, ", "))
		}
		if vs := d.Params[i].Values; vs != nil && !slices.Contains(vs, v) {
			return invalid(k, "err.one-of", "v", fmt.Sprintf("%q", v), "values", strings.Join(vs, ", "))
		}
		params[k] = v
	}
	for _, p := range d.Params {
		if p.Default == "" && p.Values == nil && params[p.Name] == "" && strings.HasPrefix(p.Doc, "required") {
			return invalid(p.Name, "err.needs-param", "id", d.ID, "param", p.Name)
		}
	}
	if r.By != "" && !slices.Contains(d.Disaggregations, r.By) {
		if len(d.Disaggregations) == 0 {
			return invalid("by", "err.no-breakdown", "id", d.ID)
		}
		return invalid("by", "fw.no-disagg", "id", d.ID, "by", fmt.Sprintf("%q", r.By), "dims", strings.Join(d.Disaggregations, ", "))
	}
	r.Params = params
	return nil
}

// Compute computes one indicator: one value, or one per group of r.By.
// Bad parameters are apperr bad input naming the parameter; missing data is a value with NoData.
func (e *Engine) Compute(ctx context.Context, r Request) ([]Value, error) {
	d, ok := Lookup(r.Indicator)
	if !ok {
		return nil, invalid("indicator", "err.unknown-indicator", "indicator", fmt.Sprintf("%q", r.Indicator))
	}
	if r.Period.From == 0 || r.Period.To < r.Period.From {
		return nil, invalid("period", "err.period-missing")
	}
	if r.Area.Code == "" {
		r.Area = AllAreas
	}
	if err := d.check(&r); err != nil {
		return nil, err
	}
	vs, err := d.compute(e, ctx, r)
	if err != nil {
		return nil, err
	}
	at := e.now()
	for i := range vs {
		v := &vs[i]
		v.Indicator, v.Period, v.Area, v.AreaName = d.ID, r.Period.String(), r.Area.Code, r.Area.Name
		if v.Unit == "" {
			v.Unit = d.Unit
		}
		if len(r.Params) > 0 {
			v.Params = r.Params
		}
		if v.Coverage.PeriodMonths == 0 {
			v.Coverage.PeriodMonths = r.Period.Months()
		}
		v.Prov.Engine, v.Prov.ComputedAt = EngineVersion, at
		if v.NoData {
			v.Value, v.Low, v.High, v.CILow, v.CIHigh = nil, nil, nil, nil, nil
		}
		roundValue(v)
	}
	return vs, nil
}

// noData is a value that says why there is none.
func noData(m Msg, srcs ...Source) Value {
	v := Value{Prov: Provenance{Sources: srcs}}
	withReason(&v, m)
	return v
}

// overlap returns the months of p inside [from, to].
func overlap(p Period, from, to int) int {
	a, b := max(int(p.From), from), min(int(p.To), to)
	if b < a {
		return 0
	}
	return b - a + 1
}

// Decimals are the places values are given to, by unit, so that every
// copy of a number (API, CLI, brief) shows the same digits: shares 4
// (0.3085, shown 30.85%), months and minutes 1, counts whole with their
// Poisson bounds to 2.
func decimals(unit string) int {
	switch unit {
	case "share":
		return 4
	case "months", "minutes", "hours":
		return 1
	case "AUPR difference":
		return 4
	}
	return 2
}

func roundValue(v *Value) {
	d := decimals(v.Unit)
	for _, p := range []**float64{&v.Value, &v.Low, &v.High, &v.CILow, &v.CIHigh} {
		if *p != nil {
			x := roundTo(**p, d)
			*p = &x
		}
	}
}

func roundTo(x float64, d int) float64 {
	s := strconv.FormatFloat(x, 'f', d, 64)
	y, _ := strconv.ParseFloat(s, 64)
	return y
}
