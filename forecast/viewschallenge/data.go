// Package viewschallenge is Vigil's entry to the VIEWS prediction challenge.
//
// It implements Vigil's entry to the VIEWS prediction-challenge setting at
// country-month level: reading the challenge's feature and actuals files,
// forecasting 1,000 draws of state-based fatalities (ged_sb) per country for
// months cutoff+3 … cutoff+14, and scoring a forecast the way the challenge
// does (mean sample CRPS, ignorance score on the challenge's bins, 90% interval
// score).
//
// The forecaster chooses its method by a fixed rule: every candidate is
// scored on pseudo-windows built only from months at or before the cutoff,
// and the forecast is the equal mixture of the EnsembleSize candidates with
// the lowest mean CRPS (see Validate and Forecast).
package viewschallenge

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
)

// History is the observed monthly ged_sb of each country, keyed by VIEWS
// country_id then month_id.
type History map[int]map[int]float64

// Months returns the range of months present.
func (h History) Months() (first, last int) {
	first, last = math.MaxInt, math.MinInt
	for _, s := range h {
		for m := range s {
			first = min(first, m)
			last = max(last, m)
		}
	}
	return first, last
}

// Countries returns the country ids in order.
func (h History) Countries() []int {
	out := make([]int, 0, len(h))
	for c := range h {
		out = append(out, c)
	}
	sort.Ints(out)
	return out
}

func (h History) set(c, m int, v float64) {
	s := h[c]
	if s == nil {
		s = map[int]float64{}
		h[c] = s
	}
	s[m] = v
}

// csvReader opens a CSV, reads its header and returns a column index.
type csvReader struct {
	name string
	r    *csv.Reader
	col  map[string]int
}

func newCSV(name string, rd io.Reader, required ...string) (*csvReader, error) {
	r := csv.NewReader(rd)
	r.ReuseRecord = true
	r.FieldsPerRecord = 0
	hdr, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, bad(name, 0, "", "empty file (want a header with %s)", strings.Join(required, ", "))
		}
		return nil, apperr.AtLine(name, csvread.Line(r, err), apperr.FieldErr(apperr.KindInvalid, "", apperr.CSVError(err)))
	}
	col := map[string]int{}
	for i, h := range hdr {
		h = csvread.Name(h)
		col[h] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return nil, bad(name, 1, "", "missing column %q", c)
		}
	}
	return &csvReader{name: name, r: r, col: col}, nil
}

// each calls fn with every record to the end of the file, its line number
// and its country-month (key); the first error stops it.
func (c *csvReader) each(fn func(rec []string, line int, k Key) error) error {
	return csvread.Each(c.r, c.name, func(rec []string, line int) error {
		k, err := c.key(rec, line)
		if err != nil {
			return err
		}
		return fn(rec, line, k)
	})
}

func (c *csvReader) int(rec []string, line int, name string) (int, error) {
	s := strings.TrimSpace(rec[c.col[name]])
	v, err := strconv.Atoi(s)
	if err != nil {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1e9 {
			return int(f), nil
		}
		return 0, bad(c.name, line, name, "%q is not an integer", s)
	}
	return v, nil
}

func (c *csvReader) count(rec []string, line int, name string) (float64, error) {
	s := strings.TrimSpace(rec[c.col[name]])
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, bad(c.name, line, name, "%q is not a number", s)
	}
	if v < 0 {
		return 0, bad(c.name, line, name, "%v is negative", v)
	}
	return v, nil
}

// ReadFeatures reads a challenge features file (columns month_id,
// country_id, ged_sb and optionally ged_sb_tlag_1 … ged_sb_tlag_k, which
// fill months before the file's first month) into h. Values given directly
// win over values implied by lags; two direct rows for the same
// country-month are an error. An empty or NA lag is skipped (the month is
// unknown); the outcome column itself must be a number.
func ReadFeatures(name string, rd io.Reader, h History) error {
	return ReadFeaturesColumn(name, rd, h, "ged_sb")
}

// missing reports an empty or NA cell (allowed in lag columns only).
func missing(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "na", "nan", "null":
		return true
	}
	return false
}

// ReadFeaturesColumn is ReadFeatures for another outcome column of the
// features file (e.g. ged_os, with its lags ged_os_tlag_k).
func ReadFeaturesColumn(name string, rd io.Reader, h History, column string) error {
	c, err := newCSV(name, rd, "month_id", "country_id", column)
	if err != nil {
		return err
	}
	var lags []int
	for k := 1; k <= 36; k++ {
		if _, ok := c.col[column+"_tlag_"+strconv.Itoa(k)]; ok {
			lags = append(lags, k)
		}
	}
	direct := map[[2]int]int{}
	implied := map[[2]int]float64{}
	err = c.each(func(rec []string, line int, k Key) error {
		m, cid := k.Month, k.Country
		if m < 1 || m > 2000 {
			return bad(name, line, "month_id", "%d is outside 1..2000", m)
		}
		v, err := c.count(rec, line, column)
		if err != nil {
			return err
		}
		if prev, dup := direct[[2]int{cid, m}]; dup {
			return bad(name, line, "", "country %d month %d already given on line %d", cid, m, prev)
		}
		direct[[2]int{cid, m}] = line
		h.set(cid, m, v)
		for _, lag := range lags {
			name := column + "_tlag_" + strconv.Itoa(lag)
			if missing(rec[c.col[name]]) {
				continue // a lag before the country existed: unknown, not zero
			}
			lv, err := c.count(rec, line, name)
			if err != nil {
				return err
			}
			implied[[2]int{cid, m - lag}] = lv
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(direct) == 0 {
		return bad(name, 0, "", "no data rows")
	}
	for k, v := range implied {
		if _, ok := h[k[0]][k[1]]; !ok {
			h.set(k[0], k[1], v)
		}
	}
	return nil
}

// ReadFeatureFiles reads several features files into one History.
func ReadFeatureFiles(paths ...string) (History, error) {
	return ReadFeatureFilesColumn("ged_sb", paths...)
}

// ReadFeatureFilesColumn is ReadFeatureFiles for another outcome column.
func ReadFeatureFilesColumn(column string, paths ...string) (History, error) {
	h := History{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		err = ReadFeaturesColumn(p, f, h, column)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Key is a country-month.
type Key struct{ Month, Country int }

// key reads a record's month_id and country_id.
func (c *csvReader) key(rec []string, line int) (Key, error) {
	m, err := c.int(rec, line, "month_id")
	if err != nil {
		return Key{}, err
	}
	cid, err := c.int(rec, line, "country_id")
	if err != nil {
		return Key{}, err
	}
	return Key{m, cid}, nil
}

// ReadActuals reads month_id,country_id,ged_sb.
func ReadActuals(name string, rd io.Reader) (map[Key]float64, error) {
	c, err := newCSV(name, rd, "month_id", "country_id", "ged_sb")
	if err != nil {
		return nil, err
	}
	out := map[Key]float64{}
	lines := map[Key]int{}
	err = c.each(func(rec []string, line int, k Key) error {
		v, err := c.count(rec, line, "ged_sb")
		if err != nil {
			return err
		}
		if prev, dup := lines[k]; dup {
			return bad(name, line, "", "country %d month %d already given on line %d", k.Country, k.Month, prev)
		}
		lines[k] = line
		out[k] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, bad(name, 0, "", "no data rows")
	}
	return out, nil
}

// ReadForecast reads month_id,country_id,draw,outcome into draws per
// country-month. Every country-month must have the same number of draws and
// draw numbers must not repeat.
func ReadForecast(name string, rd io.Reader) (map[Key][]float64, error) {
	c, err := newCSV(name, rd, "month_id", "country_id", "draw", "outcome")
	if err != nil {
		return nil, err
	}
	out := map[Key][]float64{}
	seen := map[[3]int]int{}
	var order []Key        // country-months in the order the file gives them
	first := map[Key]int{} // the line of each one's first draw
	err = c.each(func(rec []string, line int, k Key) error {
		m, cid := k.Month, k.Country
		d, err := c.int(rec, line, "draw")
		if err != nil {
			return err
		}
		v, err := c.count(rec, line, "outcome")
		if err != nil {
			return err
		}
		sk := [3]int{m, cid, d}
		if prev, dup := seen[sk]; dup {
			return bad(name, line, "draw", "draw %d of country %d month %d already given on line %d", d, cid, m, prev)
		}
		seen[sk] = line
		if _, ok := first[k]; !ok {
			first[k] = line
			order = append(order, k)
		}
		out[k] = append(out[k], v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, bad(name, 0, "", "no data rows")
	}
	// Every country-month has as many draws as the file's first: one that
	// has not is refused at the line of its first draw.
	k0 := order[0]
	for _, k := range order[1:] {
		if len(out[k]) != len(out[k0]) {
			return nil, bad(name, first[k], "draw", "country %d month %d has %d draws, but country %d month %d (from line %d) has %d",
				k.Country, k.Month, len(out[k]), k0.Country, k0.Month, first[k0], len(out[k0]))
		}
	}
	return out, nil
}

// Add puts actuals into the history; a country-month already present with
// a different value is an error.
func (h History) Add(act map[Key]float64) error {
	for k, v := range act {
		if old, ok := h[k.Country][k.Month]; ok && old != v {
			return fmt.Errorf("country %d month %d: %v here but %v in the history", k.Country, k.Month, v, old)
		}
		h.set(k.Country, k.Month, v)
	}
	return nil
}
