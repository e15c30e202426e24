package estimate

import (
	"fmt"
	"math"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TableSpec names the design columns of a Table (any may be empty).
type TableSpec struct {
	Weights  string   // weight column
	Strata   string   // first-stage stratum column
	Clusters []string // cluster columns, outermost first
	FPC      []string // one fpc column per stage
	Lonely   LonelyPSU
}

// DesignFromTable builds the design a TableSpec describes over t. Missing
// design values are errors naming the line and column.
func DesignFromTable(t *Table, s TableSpec) (*Design, error) {
	var spec Spec
	spec.LonelyPSU = s.Lonely
	need := func(col string, vals []string) error {
		for i, v := range vals {
			if v == "" {
				return apperr.Textf("%s: line %d, column %q: missing value in a design column", t.Name, t.Lines[i], col)
			}
		}
		return nil
	}
	nums := func(col string, what apperr.Message, positive bool) ([]float64, error) {
		f, err := t.Floats(col)
		if err != nil {
			return nil, err
		}
		for i, v := range f {
			if math.IsNaN(v) {
				return nil, apperr.Textf("%s: line %d, column %q: missing %s", t.Name, t.Lines[i], col, what)
			}
			if v < 0 || (positive && v == 0) {
				return nil, apperr.Textf("%s: line %d, column %q: %s %v must be positive", t.Name, t.Lines[i], col, what, v)
			}
		}
		return f, nil
	}
	var err error
	if s.Weights != "" {
		if spec.Weights, err = nums(s.Weights, apperr.MustMsg("estimate.refusal.weight"), false); err != nil {
			return nil, err
		}
	}
	if s.Strata != "" {
		if spec.Strata, err = t.Strings(s.Strata); err != nil {
			return nil, err
		}
		if err := need(s.Strata, spec.Strata); err != nil {
			return nil, err
		}
	}
	for _, c := range s.Clusters {
		v, err := t.Strings(c)
		if err != nil {
			return nil, err
		}
		if err := need(c, v); err != nil {
			return nil, err
		}
		spec.Clusters = append(spec.Clusters, v)
	}
	for _, c := range s.FPC {
		v, err := nums(c, apperr.MustMsg("estimate.refusal.fpc"), true)
		if err != nil {
			return nil, err
		}
		spec.FPC = append(spec.FPC, v)
	}
	if len(spec.FPC) > 0 && len(spec.FPC) != max(1, len(spec.Clusters)) {
		return nil, apperr.Textf("%d fpc columns (%s) for %d sampling stages: give one per cluster column", len(s.FPC), strings.Join(s.FPC, ","), max(1, len(s.Clusters)))
	}
	d, err := NewDesign(t.Len(), spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	return d, nil
}
