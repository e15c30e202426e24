// Package csvread holds the small pieces every line-numbered CSV reader in
// Vigil shares: header names without a byte-order mark, columns by name,
// the line of a record or parse error, and errors that name file:line and
// the column (internal/apperr).
package csvread

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// Name is a header cell as a column name: surrounding space and a UTF-8
// byte-order mark (which spreadsheet programs put before the first cell)
// removed.
func Name(h string) string { return strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) }

// Columns maps each lower-cased header Name to its index; a repeated name
// keeps its last index.
func Columns(head []string) map[string]int {
	col := make(map[string]int, len(head))
	for i, h := range head {
		col[strings.ToLower(Name(h))] = i
	}
	return col
}

// Line is the 1-based line of the record cr just read, or of err when it is
// a *csv.ParseError; 0 for any other error.
func Line(cr *csv.Reader, err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	if err != nil {
		return 0
	}
	line, _ := cr.FieldPos(0)
	return line
}

// Err is bad input at file:line in column col ("" for the whole record):
// an apperr invalid-input error whose text is "file:line: col: msg".
func Err(file string, line int, col, msg string) error {
	return apperr.At(file, line, col, msg)
}

// Each reads cr to the end of its input, calling fn with every record and
// its Line. A read error stops it with Err(file, line, "", the error's
// text), said by the catalog (apperr.CSVError: in French on a French
// page); an error from fn stops it and is returned as it is.
func Each(cr *csv.Reader, file string, fn func(rec []string, line int) error) error {
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line := Line(cr, err)
		if err != nil {
			return apperr.AtLine(file, line, apperr.FieldErr(apperr.KindInvalid, "", apperr.CSVError(err)))
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

// Field is rec[i] without surrounding space, or "" when rec has no field i.
func Field(rec []string, i int) string {
	if i >= 0 && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}
