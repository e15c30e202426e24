package estimate

import (
	"fmt"
	"math"
)

// Request is one estimate asked of a table: what the command line and the
// API take.
type Request struct {
	Design   TableSpec
	Kind     Kind
	Variable string
	// Value is the level counted by a proportion (rows whose Variable
	// equals Value count 1, other non-missing rows 0).
	Value string
	// By names the domain column ("" for the whole sample only).
	By string
	// Rule is the small-cell rule applied to every estimate.
	Rule Rule
	// Level is the confidence level (default 0.95).
	Level float64
	// Calibrate lists population margins, each over one column of the
	// table: one post-stratifies, several rake (R's rake defaults).
	Calibrate []ColumnMargin
	// TrimRatio, above 1, trims calibrated weights to
	// [mean/TrimRatio, mean×TrimRatio] (R trimWeights, repeated until none
	// is outside).
	TrimRatio float64
}

// ColumnMargin is a population margin over a table column.
type ColumnMargin struct {
	Column string
	Pop    map[string]float64
}

// Result holds a request's estimates: the whole sample first, then one per
// domain.
type Result struct {
	Rows      int        `json:"rows"`
	Statistic string     `json:"statistic"`
	Variable  string     `json:"variable"`
	Value     string     `json:"value,omitempty"`
	By        string     `json:"by,omitempty"`
	Overall   Estimate   `json:"overall"`
	Groups    []Estimate `json:"groups,omitempty"`
}

// Indicator returns 1 where col equals value, 0 where it holds another
// value and NaN where it is missing.
func Indicator(col []string, value string) []float64 {
	y := make([]float64, len(col))
	for i, v := range col {
		switch {
		case v == "":
			y[i] = math.NaN()
		case v == value:
			y[i] = 1
		}
	}
	return y
}

// Run computes the request over t.
func Run(t *Table, req Request) (*Result, error) {
	if req.Variable == "" {
		return nil, fmt.Errorf("no variable to estimate")
	}
	d, err := DesignFromTable(t, req.Design)
	if err != nil {
		return nil, err
	}
	if req.Level != 0 {
		if !(req.Level > 0 && req.Level < 1) {
			return nil, fmt.Errorf("confidence level %v must be between 0 and 1", req.Level)
		}
		d.Level = req.Level
	}
	var y []float64
	if req.Kind == Proportion {
		col, err := t.Strings(req.Variable)
		if err != nil {
			return nil, err
		}
		y = Indicator(col, req.Value)
	} else if y, err = t.Floats(req.Variable); err != nil {
		return nil, err
	}
	if len(req.Calibrate) > 0 {
		var ms []Margin
		for _, cm := range req.Calibrate {
			cells, err := t.Strings(cm.Column)
			if err != nil {
				return nil, err
			}
			for i, c := range cells {
				if c == "" {
					return nil, fmt.Errorf("%s: line %d, column %q: missing value, needed to calibrate", t.Name, t.Lines[i], cm.Column)
				}
			}
			ms = append(ms, Margin{Name: cm.Column, Cell: cells, Pop: cm.Pop})
		}
		if len(ms) == 1 {
			d, err = d.PostStratify(ms[0])
		} else {
			d, _, err = d.Rake(ms, RakeOptions{})
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
	}
	if req.TrimRatio > 1 {
		if d, err = d.TrimAroundMean(req.TrimRatio); err != nil {
			return nil, err
		}
	}
	res := &Result{Rows: t.Len(), Statistic: req.Kind.String(), Variable: req.Variable, Value: req.Value, By: req.By}
	all, err := d.Estimate(req.Kind, y, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name, err)
	}
	res.Overall = req.Rule.Apply(all)
	if req.By != "" {
		g, err := t.Strings(req.By)
		if err != nil {
			return nil, err
		}
		by, err := d.By(req.Kind, y, g)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		for _, e := range by {
			res.Groups = append(res.Groups, req.Rule.Apply(e))
		}
	}
	return res, nil
}
