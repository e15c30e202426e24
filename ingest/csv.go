package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
)

// table reads a delimited text file record by record.
type table struct {
	file  string
	cr    *csv.Reader
	ncol  int            // expected fields per record; 0 = any
	index map[string]int // normalised header name -> field index
	names []string       // field index -> header name as written

	pending     []string // a first data row read while looking for a header
	pendingLine int
}

func newTable(file string, in io.Reader, head []byte) *table {
	cr := csv.NewReader(in)
	cr.Comma = sniffDelim(head)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &table{file: file, cr: cr, index: map[string]int{}}
}

// setHeader records the column names of a header row.
func (t *table) setHeader(rec []string) {
	t.names = make([]string, len(rec))
	for i, c := range rec {
		t.names[i] = strings.TrimSpace(c)
		k := normHeader(c)
		if _, dup := t.index[k]; !dup && k != "" {
			t.index[k] = i
		}
	}
	t.ncol = len(rec)
}

// headerOrLayout reads the first record: if any of its cells is one of the
// marker column names it is the header row; otherwise the file has no header,
// must have exactly the columns of the named layout, and its first record is
// data that read returns first. It returns the line of that first record.
// The layout's name is a string or a message (apperr.Message).
func (t *table) headerOrLayout(layout any, columns []string, markers ...string) (int, error) {
	first, line, err := t.read()
	if err == io.EOF {
		return 0, at(t.file, 0, "", apperr.Text("empty file"))
	}
	if err != nil {
		return line, err
	}
	for _, c := range first {
		k := normHeader(c)
		for _, m := range markers {
			if k == m {
				t.setHeader(first)
				return line, nil
			}
		}
	}
	if len(first) != len(columns) {
		return line, at(t.file, line, "", apperr.Textf("no header row, and %d columns instead of the %d of the %s layout", len(first), len(columns), layout))
	}
	t.setHeader(columns)
	t.pending, t.pendingLine = append([]string(nil), first...), line
	return line, nil
}

// read returns the next record and the line it starts on, or io.EOF.
// Blank lines are skipped by encoding/csv.
func (t *table) read() ([]string, int, error) {
	if t.pending != nil {
		rec, line := t.pending, t.pendingLine
		t.pending = nil
		return rec, line, nil
	}
	rec, err := t.cr.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.Line, at(t.file, pe.Line, "", apperr.Textf("malformed CSV at character %d: %v", pe.Column, apperr.CSVReason(pe.Err)))
		}
		return nil, 0, apperr.At(t.file, 0, "", err.Error())
	}
	line, _ := t.cr.FieldPos(0)
	if t.ncol > 0 && len(rec) != t.ncol {
		return nil, line, at(t.file, line, "", apperr.Textf("wrong number of columns: %d, the header has %d", len(rec), t.ncol))
	}
	for i, c := range rec {
		if !utf8.ValidString(c) {
			return nil, line, at(t.file, line, t.name(i), apperr.Text("not valid UTF-8 text"))
		}
	}
	return rec, line, nil
}

func (t *table) name(i int) string {
	if i < len(t.names) && t.names[i] != "" {
		return t.names[i]
	}
	return fmt.Sprintf("column %d", i+1)
}

// col returns the index of the first of the names present, or -1.
func (t *table) col(names ...string) int {
	for _, n := range names {
		if i, ok := t.index[n]; ok {
			return i
		}
	}
	return -1
}

func normHeader(s string) string {
	s = strings.ToLower(csvread.Name(s))
	return strings.Join(strings.Fields(s), "_")
}

// sniffDelim picks ',', '\t' or ';' by which is most frequent on the first line.
func sniffDelim(head []byte) rune {
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	best, n := ',', bytes.Count(line, []byte{','})
	for _, d := range []rune{'\t', ';'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

// sniffRecords parses up to n records from the start of a file, ignoring
// errors (the last one may be cut off).
func sniffRecords(head []byte, n int) [][]string {
	cr := csv.NewReader(bytes.NewReader(head))
	cr.Comma = sniffDelim(head)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out [][]string
	for len(out) < n {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		out = append(out, rec)
	}
	return out
}

// nextEvent reads the next record as a row and starts its event: the
// source, the id in column id (none when id < 0) and civilian deaths
// unknown. The row carries the record's line also with an error.
func (t *table) nextEvent(source string, id int) (*row, *events.Event, error) {
	rec, line, err := t.read()
	r := &row{t: t, rec: rec, line: line}
	if err != nil {
		return r, nil, err
	}
	return r, &events.Event{Source: source, SourceID: r.str(id), Civilian: -1}, nil
}

// row is one record being converted; the first conversion error is kept.
type row struct {
	t    *table
	rec  []string
	line int
	err  error
}

func (r *row) fail(i int, format string, args ...any) { r.failErr(i, apperr.Textf(format, args...)) }

// failErr is fail with err's text (and message).
func (r *row) failErr(i int, err error) {
	if r.err == nil {
		r.err = at(r.t.file, r.line, r.t.name(i), err)
	}
}

// str returns field i trimmed, or "" when i < 0.
func (r *row) str(i int) string {
	if i < 0 || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// integer parses field i as a whole number ("3" or "3.0"); empty gives def.
func (r *row) integer(i int, def int) int {
	s := r.str(i)
	if s == "" {
		return def
	}
	if v, err := strconv.Atoi(s); err == nil {
		return v
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return int(f)
	}
	r.failErr(i, say("ingest.refusal.whole", s))
	return def
}

// float parses field i as a number; empty is an error.
func (r *row) float(i int) float64 {
	s := r.str(i)
	if s == "" {
		r.fail(i, "is empty")
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		r.fail(i, "%q is not a number", s)
		return 0
	}
	return f
}

// date parses field i; empty gives the zero time.
func (r *row) date(i int) time.Time {
	s := r.str(i)
	if s == "" {
		return time.Time{}
	}
	t, err := parseDate(s)
	if err != nil {
		r.failErr(i, err)
	}
	return t
}

var dateLayouts = []string{
	"2006-01-02",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05.000",
	"02 January 2006",
	"2 January 2006",
	"02-January-2006",
	"2 Jan 2006",
	"02 Jan 2006",
	"January 2, 2006",
	"2006/01/02",
}

// parseDate reads the date formats conflict data comes in and returns the
// UTC day (time part dropped).
func parseDate(s string) (time.Time, error) {
	if t, ok := parseISODate(s); ok {
		return t, nil
	}
	return parseDateLayouts(s)
}

// parseDateLayouts is parseDate without its fast path.
func parseDateLayouts(s string) (time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, apperr.Textf("%q is not a date (want YYYY-MM-DD)", s)
}

// parseISODate is the fast path of parseDate for what UCDP GED writes,
// "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" (or with a T), taken only when the
// whole value is valid; anything else goes through the layouts.
func parseISODate(s string) (time.Time, bool) {
	if len(s) != 10 && len(s) != 19 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := num(0, 4), num(5, 2), num(8, 2)
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	if len(s) == 19 {
		if s[10] != ' ' && s[10] != 'T' || s[13] != ':' || s[16] != ':' {
			return time.Time{}, false
		}
		if h, mi, se := num(11, 2), num(14, 2), num(17, 2); h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 {
			return time.Time{}, false
		}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April, 29 February of a common year
		return time.Time{}, false
	}
	return t, true
}
