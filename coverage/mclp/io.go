package mclp

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Input is an instance read from files, before the radius and p are applied.
type Input struct {
	DemandIDs []string
	Weights   []float64
	SiteIDs   []string
	Costs     []float64
	Fixed     []bool
	Pairs     []Pair // reachable (demand, site) pairs with their distance
	demandIdx map[string]int
	siteIdx   map[string]int
}

// Pair is one line of the distance file.
type Pair struct {
	Demand, Site int
	Distance     float64
}

// Problem builds the MCLP with coverage distance ≤ radius (as spopt does).
func (in *Input) Problem(radius float64, p int, budget float64) (*Problem, error) {
	if !(radius >= 0) || math.IsInf(radius, 0) {
		return nil, fmt.Errorf("radius %v: must be a finite number ≥ 0", radius)
	}
	covers := make([][]int32, len(in.SiteIDs))
	for _, pr := range in.Pairs {
		if pr.Distance <= radius {
			covers[pr.Site] = append(covers[pr.Site], int32(pr.Demand))
		}
	}
	return &Problem{
		DemandIDs: in.DemandIDs, Weights: in.Weights,
		SiteIDs: in.SiteIDs, Costs: in.Costs, Fixed: in.Fixed,
		Covers: covers, P: p, Budget: budget,
	}, nil
}

// ReadFiles reads the demand (id,weight), sites (id[,cost,fixed]) and
// distances (demand_id,site_id,distance) files.
func ReadFiles(demand, sites, distances string) (*Input, error) {
	in := &Input{}
	for _, f := range []struct {
		path string
		read func(io.Reader, string) error
	}{{demand, in.ReadDemand}, {sites, in.ReadSites}, {distances, in.ReadDistances}} {
		fh, err := os.Open(f.path)
		if err != nil {
			return nil, err
		}
		err = f.read(bufio.NewReader(fh), f.path)
		fh.Close()
		if err != nil {
			return nil, err
		}
	}
	return in, nil
}

// csvRows calls fn for every record with its line number, skipping a header
// line when isHeader says the first record is one.
func csvRows(r io.Reader, name string, minFields, maxFields int, isHeader func([]string) bool, fn func(line int, rec []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line := csvread.Line(cr, err)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return apperr.At(name, pe.Line, "", pe.Err.Error())
			}
			return apperr.At(name, line, "", err.Error())
		}
		if len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if first {
			first = false
			if isHeader(rec) {
				continue
			}
		}
		if len(rec) < minFields || len(rec) > maxFields {
			if minFields == maxFields {
				return apperr.At(name, line, "", fmt.Sprintf("%d fields, want %d", len(rec), minFields))
			}
			return apperr.At(name, line, "", fmt.Sprintf("%d fields, want %d to %d", len(rec), minFields, maxFields))
		}
		for k := range rec {
			rec[k] = strings.TrimSpace(rec[k])
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

func parseNum(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// headerIf recognises a header line by its first column's name.
func headerIf(names ...string) func([]string) bool {
	return func(rec []string) bool {
		if len(rec) == 0 {
			return false
		}
		first := strings.ToLower(csvread.Name(rec[0]))
		return slices.Contains(names, first)
	}
}

// ReadDemand reads id,weight lines (an optional header line is skipped).
func (in *Input) ReadDemand(r io.Reader, name string) error {
	in.demandIdx = map[string]int{}
	in.DemandIDs, in.Weights = nil, nil
	return csvRows(r, name, 2, 2, headerIf("id", "demand_id", "demand"), func(line int, rec []string) error {
		id := rec[0]
		if id == "" {
			return apperr.At(name, line, "id", "is empty")
		}
		if _, dup := in.demandIdx[id]; dup {
			return apperr.At(name, line, "id", fmt.Sprintf("duplicate demand id %q", id))
		}
		w, err := parseNum(rec[1])
		if err != nil {
			return apperr.At(name, line, "weight", err.Error())
		}
		if w < 0 {
			return apperr.At(name, line, "weight", fmt.Sprintf("%v is negative", w))
		}
		in.demandIdx[id] = len(in.DemandIDs)
		in.DemandIDs = append(in.DemandIDs, id)
		in.Weights = append(in.Weights, w)
		return nil
	})
}

// ReadSites reads id[,cost[,fixed]] lines; cost defaults to 1, fixed to 0.
func (in *Input) ReadSites(r io.Reader, name string) error {
	in.siteIdx = map[string]int{}
	in.SiteIDs, in.Costs, in.Fixed = nil, nil, nil
	isHeader := headerIf("id", "site_id", "site")
	return csvRows(r, name, 1, 3, isHeader, func(line int, rec []string) error {
		id := rec[0]
		if id == "" {
			return apperr.At(name, line, "id", "is empty")
		}
		if _, dup := in.siteIdx[id]; dup {
			return apperr.At(name, line, "id", fmt.Sprintf("duplicate site id %q", id))
		}
		cost := 1.0
		if len(rec) >= 2 && rec[1] != "" {
			c, err := parseNum(rec[1])
			if err != nil {
				return apperr.At(name, line, "cost", err.Error())
			}
			if c < 0 {
				return apperr.At(name, line, "cost", fmt.Sprintf("%v is negative", c))
			}
			cost = c
		}
		fixed := false
		if len(rec) == 3 {
			switch strings.ToLower(rec[2]) {
			case "", "0", "false", "no":
			case "1", "true", "yes":
				fixed = true
			default:
				return apperr.At(name, line, "fixed", fmt.Sprintf("%q: want 1 (existing site) or 0", rec[2]))
			}
		}
		in.siteIdx[id] = len(in.SiteIDs)
		in.SiteIDs = append(in.SiteIDs, id)
		in.Costs = append(in.Costs, cost)
		in.Fixed = append(in.Fixed, fixed)
		return nil
	})
}

// ReadDistances reads demand_id,site_id,distance lines. Demand and sites must
// have been read first; unknown ids are errors.
func (in *Input) ReadDistances(r io.Reader, name string) error {
	in.Pairs = nil
	seen := map[[2]int]int{}
	return csvRows(r, name, 3, 3, headerIf("demand_id", "demand", "id"), func(line int, rec []string) error {
		d, ok := in.demandIdx[rec[0]]
		if !ok {
			return apperr.At(name, line, "demand_id", fmt.Sprintf("unknown demand id %q (not in the demand file)", rec[0]))
		}
		s, ok := in.siteIdx[rec[1]]
		if !ok {
			return apperr.At(name, line, "site_id", fmt.Sprintf("unknown site id %q (not in the sites file)", rec[1]))
		}
		dist, err := parseNum(rec[2])
		if err != nil {
			return apperr.At(name, line, "distance", err.Error())
		}
		if dist < 0 {
			return apperr.At(name, line, "distance", fmt.Sprintf("%v is negative", dist))
		}
		k := [2]int{d, s}
		if prev, dup := seen[k]; dup {
			return apperr.At(name, line, "", fmt.Sprintf("pair (%s, %s) already given on line %d", rec[0], rec[1], prev))
		}
		seen[k] = line
		in.Pairs = append(in.Pairs, Pair{d, s, dist})
		return nil
	})
}

// WriteLP writes the problem as a CPLEX-LP-format MILP (readable by CBC,
// GLPK, HiGHS): maximise Σ w_i y_i subject to y_i ≤ Σ_{j covers i} x_j,
// Σ_{free j} x_j ≤ P, Σ c_j x_j ≤ Budget, x_j = 1 for fixed sites, x binary,
// 0 ≤ y ≤ 1. Variables are named y<i> and x<j> by index.
func WriteLP(w io.Writer, p *Problem) error {
	bw := bufio.NewWriter(w)
	sitesOf := make([][]int, len(p.Weights))
	for j, cv := range p.Covers {
		for _, i := range cv {
			sitesOf[i] = append(sitesOf[i], j)
		}
	}
	term := func(n *int, s string) {
		if *n > 0 && *n%8 == 0 {
			bw.WriteString("\n   ")
		}
		bw.WriteString(s)
		*n++
	}
	fmt.Fprintln(bw, "\\ MCLP written by vigil")
	fmt.Fprintln(bw, "Maximize")
	bw.WriteString(" obj:")
	n := 0
	for i, wt := range p.Weights {
		if wt != 0 {
			term(&n, fmt.Sprintf(" + %s y%d", strconv.FormatFloat(wt, 'g', -1, 64), i))
		}
	}
	if n == 0 {
		bw.WriteString(" 0 y0")
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "Subject To")
	for i := range p.Weights {
		fmt.Fprintf(bw, " c%d: y%d", i, i)
		n = 1
		for _, j := range sitesOf[i] {
			term(&n, fmt.Sprintf(" - x%d", j))
		}
		fmt.Fprintln(bw, " <= 0")
	}
	if p.P > 0 {
		bw.WriteString(" card:")
		n = 0
		for j := range p.Covers {
			if !p.fixed(j) {
				term(&n, fmt.Sprintf(" + x%d", j))
			}
		}
		fmt.Fprintf(bw, " <= %d\n", p.P)
	}
	if p.Budget > 0 {
		bw.WriteString(" budget:")
		n = 0
		for j := range p.Covers {
			if !p.fixed(j) {
				term(&n, fmt.Sprintf(" + %s x%d", strconv.FormatFloat(p.cost(j), 'g', -1, 64), j))
			}
		}
		fmt.Fprintf(bw, " <= %s\n", strconv.FormatFloat(p.Budget, 'g', -1, 64))
	}
	for j := range p.Covers {
		if p.fixed(j) {
			fmt.Fprintf(bw, " f%d: x%d = 1\n", j, j)
		}
	}
	fmt.Fprintln(bw, "Bounds")
	for i := range p.Weights {
		fmt.Fprintf(bw, " 0 <= y%d <= 1\n", i)
	}
	fmt.Fprintln(bw, "Binary")
	n = 0
	for j := range p.Covers {
		term(&n, fmt.Sprintf(" x%d", j))
	}
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "End")
	return bw.Flush()
}
