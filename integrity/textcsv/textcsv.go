// Package textcsv streams text items out of a CSV file by column name, with
// errors that name the file, the line and what is wrong (apperr invalid input).
package textcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Reader reads the named columns of a CSV file with a header row.
type Reader struct {
	name string
	cr   *csv.Reader
	idx  []int
	line int
}

// Row is one record: Fields holds the requested columns in the order asked.
type Row struct {
	Line   int // line of the record's start in the file
	Fields []string
}

// NewReader reads the header of r (named name in errors) and checks that
// every wanted column is present. An optional column (given as "?name")
// yields "" when the header lacks it.
func NewReader(r io.Reader, name string, columns ...string) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, apperr.At(name, 1, "", "empty file: want a header row")
		}
		return nil, locate(name, err)
	}
	pos := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[h]; !dup {
			pos[h] = i
		}
	}
	rd := &Reader{name: name, cr: cr, idx: make([]int, len(columns))}
	for i, c := range columns {
		opt := strings.HasPrefix(c, "?")
		c = strings.TrimPrefix(c, "?")
		j, ok := pos[c]
		if !ok {
			if opt {
				rd.idx[i] = -1
				continue
			}
			return nil, apperr.At(name, 1, "", fmt.Sprintf("missing column %q (header has %s)", c, strings.Join(header, ",")))
		}
		rd.idx[i] = j
	}
	return rd, nil
}

// Next returns the next record, or io.EOF at the end.
func (r *Reader) Next() (Row, error) {
	rec, err := r.cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		return Row{}, locate(r.name, err)
	}
	line, _ := r.cr.FieldPos(0)
	row := Row{Line: line, Fields: make([]string, len(r.idx))}
	for i, j := range r.idx {
		if j >= 0 {
			row.Fields[i] = rec[j]
		}
	}
	return row, nil
}

func locate(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.At(name, pe.Line, "", pe.Err.Error())
	}
	return apperr.At(name, 0, "", err.Error())
}
