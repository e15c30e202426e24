// Package textcsv streams text items out of a CSV file by column name, with
// errors that name the file, the line and what is wrong (apperr invalid input).
package textcsv

import (
	"encoding/csv"
	"errors"
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
			return nil, refuse(name, 1, "empty file: want a header row")
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
			return nil, refuse(name, 1, "missing column %q (header has %s)", c, strings.Join(header, ","))
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

// locate is the CSV reader's err at its line of the file (the reader's
// reason said by the catalog: apperr.CSVReason).
func locate(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.AtLine(name, pe.Line, apperr.FieldErr(apperr.KindInvalid, "", apperr.CSVReason(pe.Err)))
	}
	return apperr.At(name, 0, "", err.Error())
}

// Refusals are the reader's refusals of a file's header as catalog
// messages (the English they have always been written with, and their
// French); a record the CSV reader refuses is said by apperr's.
var Refusals = apperr.Register(apperr.Catalog{
	"textcsv.refusal.empty":  {"empty file: want a header row", "fichier vide\u00a0: une ligne d’en-tête est attendue"},
	"textcsv.refusal.column": {"missing column %q (header has %s)", "colonne {0} manquante (l’en-tête contient {1})"},
})

// refuse is invalid input at line of file name, its text the catalog
// message format with a.
func refuse(name string, line int, format string, a ...any) error {
	_ = Refusals // registered before any refusal is made
	return apperr.AtLine(name, line, apperr.Fieldf(apperr.KindInvalid, "", format, a...))
}
