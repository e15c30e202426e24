package estimate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
	"io"
	"math"
	"strconv"
	"strings"
)

// Table is a rectangular data set read from CSV: one string column per
// header name. Empty cells and R's NA are missing values.
type Table struct {
	Name    string   // file name, for error messages
	Columns []string // header, in order
	Lines   []int    // file line of each row
	cols    map[string][]string
}

// MaxTableRows bounds the rows ReadCSV accepts.
const MaxTableRows = 5_000_000

// ReadCSV reads a CSV file with a header row. name is used in errors. A
// header cell left empty (R's row-name column) gets the name "_row".
func ReadCSV(r io.Reader, name string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file (no header row)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	t := &Table{Name: name, cols: map[string][]string{}}
	for j, h := range header {
		h = csvread.Name(h)
		if h == "" {
			h = "_row"
			if j > 0 {
				h = fmt.Sprintf("_col%d", j+1)
			}
		}
		if _, dup := t.cols[h]; dup {
			return nil, fmt.Errorf("%s: line 1: column %q appears twice", name, h)
		}
		t.cols[h] = nil
		t.Columns = append(t.Columns, h)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: line %d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(t.Lines) >= MaxTableRows {
			return nil, fmt.Errorf("%s: more than %d rows", name, MaxTableRows)
		}
		for j, h := range t.Columns {
			t.cols[h] = append(t.cols[h], strings.TrimSpace(rec[j]))
		}
		t.Lines = append(t.Lines, line)
	}
	if len(t.Lines) == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", name)
	}
	return t, nil
}

// NewTable builds a table from rows of named values (e.g. survey
// responses); columns are the union of the keys in the order given.
func NewTable(name string, columns []string, rows []map[string]string) *Table {
	t := &Table{Name: name, Columns: append([]string(nil), columns...), cols: map[string][]string{}}
	for _, c := range columns {
		col := make([]string, len(rows))
		for i, r := range rows {
			col[i] = strings.TrimSpace(r[c])
		}
		t.cols[c] = col
	}
	t.Lines = make([]int, len(rows))
	for i := range t.Lines {
		t.Lines[i] = i + 2
	}
	return t
}

// NewTableColumns builds a table of n rows from columns of values,
// values[j] (of length n) the column named columns[j], as NewTable does
// from rows: the values must be trimmed of spaces already. The columns
// are kept, not copied.
func NewTableColumns(name string, n int, columns []string, values [][]string) *Table {
	t := &Table{Name: name, Columns: append([]string(nil), columns...), cols: map[string][]string{}}
	for j, c := range columns {
		t.cols[c] = values[j]
	}
	t.Lines = make([]int, n)
	for i := range t.Lines {
		t.Lines[i] = i + 2
	}
	return t
}

// Len is the number of data rows.
func (t *Table) Len() int { return len(t.Lines) }

// Has reports whether the table has the column.
func (t *Table) Has(col string) bool { _, ok := t.cols[col]; return ok }

// Strings returns a column; missing values (empty, NA) are "".
func (t *Table) Strings(col string) ([]string, error) {
	return parseColumn(t, col, "", func(v string, _ int) (string, error) { return v, nil })
}

// Floats returns a numeric column; missing values are NaN. A value that is
// not a number is an error naming the line and column.
func (t *Table) Floats(col string) ([]float64, error) {
	return parseColumn(t, col, math.NaN(), func(v string, line int) (float64, error) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, apperr.Textf("%s: line %d, column %q: %q is not a number", t.Name, line, col, v)
		}
		return f, nil
	})
}

// parseColumn converts t's column col with parse (given the value and its line),
// a missing value (empty, NA) becoming na.
func parseColumn[T any](t *Table, col string, na T, parse func(v string, line int) (T, error)) ([]T, error) {
	c, ok := t.cols[col]
	if !ok {
		return nil, t.missingColumn(col)
	}
	out := make([]T, len(c))
	for i, v := range c {
		if isNA(v) {
			out[i] = na
			continue
		}
		x, err := parse(v, t.Lines[i])
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// Rows returns the table's rows as answer maps, one per row, column to
// value, with missing values (empty, NA) left out.
func (t *Table) Rows() []map[string]string {
	rows := make([]map[string]string, t.Len())
	for i := range rows {
		rows[i] = map[string]string{}
	}
	for _, c := range t.Columns {
		v, _ := t.Strings(c)
		for i := range rows {
			if v[i] != "" {
				rows[i][c] = v[i]
			}
		}
	}
	return rows
}

// Line returns the file line of row i.
func (t *Table) Line(i int) int { return t.Lines[i] }

func (t *Table) missingColumn(col string) error {
	return fmt.Errorf("%s: no column %q (columns: %s)", t.Name, col, strings.Join(t.Columns, ", "))
}

func isNA(v string) bool { return v == "" || v == "NA" }
