package surveys

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// frame is answers held as columns, for the analyses: one column per
// answer key, each a code per row (uint32) into the column's distinct
// values, and the rows selected, in order. A map per row held about 600
// bytes for the dozen fields an analysis reads; a column holds 4 bytes
// per row and field, and each distinct answer once (a form's choices
// repeat from one answer to the next). Selecting rows (a round, some
// days, the respondents) makes a new frame over the same columns.
type frame struct {
	cols map[string]*column
	sel  []int32 // the rows, in order: indexes into the columns' codes
	n    int     // the columns' rows, selected or not
}

// column is one answer key's values: codes[row] is 0 where the row has no
// such key, else 1 + the index of its value in vals.
type column struct {
	codes []uint32
	vals  []string
	index map[string]uint32 // vals' codes, while rows are added
}

func newColumn(n int) *column {
	return &column{codes: make([]uint32, 0, n), index: map[string]uint32{}}
}

// add appends a row's value (ok false: the row has no such key).
func (c *column) add(v string, ok bool) {
	if !ok {
		c.codes = append(c.codes, 0)
		return
	}
	code, seen := c.index[v]
	if !seen {
		c.vals = append(c.vals, v)
		code = uint32(len(c.vals))
		c.index[v] = code
	}
	c.codes = append(c.codes, code)
}

// done lets the index go once every row is added.
func (c *column) done() { c.index = nil }

// mapCodes is f of each distinct value, by code (index 0: no key, f not
// called, zero).
func mapCodes[T any](c *column, f func(v string) T) []T {
	out := make([]T, len(c.vals)+1)
	for i, v := range c.vals {
		out[i+1] = f(v)
	}
	return out
}

// frameOf holds rows as a frame (every key of every row).
func frameOf(rows []map[string]string) *frame { return frameOfKeys(rows, columns(rows)) }

// frameOfKeys holds rows as a frame of the keys given only.
func frameOfKeys(rows []map[string]string, keys []string) *frame {
	f := &frame{cols: map[string]*column{}, sel: make([]int32, len(rows)), n: len(rows)}
	for i := range f.sel {
		f.sel[i] = int32(i)
	}
	for _, k := range keys {
		c := newColumn(len(rows))
		for _, r := range rows {
			v, ok := r[k]
			c.add(v, ok)
		}
		c.done()
		f.cols[k] = c
	}
	return f
}

// len is the number of rows selected.
func (f *frame) len() int { return len(f.sel) }

// value is selected row i's answer to key ("" when it has none).
func (f *frame) value(i int, key string) string {
	c := f.cols[key]
	if c == nil {
		return ""
	}
	if code := c.codes[f.sel[i]]; code > 0 {
		return c.vals[code-1]
	}
	return ""
}

// has reports whether some selected row has key.
func (f *frame) has(key string) bool {
	c := f.cols[key]
	if c == nil {
		return false
	}
	for _, r := range f.sel {
		if c.codes[r] > 0 {
			return true
		}
	}
	return false
}

// strings is the selected rows' answers to key ("" where none), with
// trim applied to each distinct value.
func (f *frame) strings(key string, trim bool) []string {
	out := make([]string, len(f.sel))
	c := f.cols[key]
	if c == nil {
		return out
	}
	vals := mapCodes(c, func(v string) string {
		if trim {
			return strings.TrimSpace(v)
		}
		return v
	})
	for i, r := range f.sel {
		out[i] = vals[c.codes[r]]
	}
	return out
}

// where is the frame of the selected rows for which keep (given the
// row's index into the columns) is true; f itself when all are kept.
func (f *frame) where(keep func(r int32) bool) *frame {
	var sel []int32
	for i, r := range f.sel {
		if keep(r) {
			if sel != nil {
				sel = append(sel, r)
			}
			continue
		}
		if sel == nil {
			sel = append(make([]int32, 0, len(f.sel)), f.sel[:i]...)
		}
	}
	if sel == nil {
		return f
	}
	return &frame{cols: f.cols, sel: sel, n: f.n}
}

// is is a test of a key's trimmed answer, by code ("" where the row has
// no such key).
func (f *frame) is(key string, test func(v string) bool) func(r int32) bool {
	c := f.cols[key]
	if c == nil {
		none := test("")
		return func(int32) bool { return none }
	}
	ok := mapCodes(c, func(v string) bool { return test(strings.TrimSpace(v)) })
	ok[0] = test("")
	return func(r int32) bool { return ok[c.codes[r]] }
}

// round is FilterRound of the frame.
func (f *frame) round(field, round string) *frame {
	if round == "" {
		return f
	}
	return f.where(f.is(field, func(v string) bool { return v == round }))
}

// rounds is Rounds of the frame.
func (f *frame) rounds(field string) []string {
	c := f.cols[field]
	if c == nil {
		return []string{}
	}
	seen := make([]bool, len(c.vals)+1)
	for _, r := range f.sel {
		seen[c.codes[r]] = true
	}
	set := map[string]bool{}
	for code, v := range c.vals {
		if v = strings.TrimSpace(v); seen[code+1] && v != "" {
			set[v] = true
		}
	}
	return SortedKeys(set)
}

// received is FilterReceived of the frame.
func (f *frame) received(from, to string) *frame {
	if from == "" && to == "" {
		return f
	}
	c := f.cols[KeyReceived]
	if c == nil {
		return &frame{cols: f.cols, sel: []int32{}, n: f.n}
	}
	in := mapCodes(c, func(v string) bool {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return false
		}
		day := t.UTC().Format(time.DateOnly)
		return (from == "" || day >= from) && (to == "" || day <= to)
	})
	return f.where(func(r int32) bool { return in[c.codes[r]] })
}

// addCells is addCells of the frame: each row's PRIO-GRID cell from its
// geopoint answer, under CellField.
func (f *frame) addCells(geo string) {
	c := f.cols[geo]
	if geo == "" || c == nil {
		return
	}
	gids := mapCodes(c, func(v string) string {
		p := strings.Fields(v)
		if len(p) < 2 {
			return ""
		}
		lat, err1 := strconv.ParseFloat(p[0], 64)
		lon, err2 := strconv.ParseFloat(p[1], 64)
		if err1 != nil || err2 != nil {
			return ""
		}
		if gid, err := grid.PrioGID(lat, lon); err == nil {
			return strconv.Itoa(gid)
		}
		return ""
	})
	old := f.cols[CellField]
	cells := newColumn(len(c.codes))
	for r, code := range c.codes {
		if g := gids[code]; g != "" {
			cells.add(g, true)
		} else if old != nil && old.codes[r] > 0 {
			cells.add(old.vals[old.codes[r]-1], true)
		} else {
			cells.add("", false)
		}
	}
	cells.done()
	f.cols[CellField] = cells
}

// readFrame reads a form's answers as rowsKeeping does (audited, a batch
// at a time through the store's AnswerStream), into a frame of the keys
// in keep only, its rows oldest first.
func (s *Service) readFrame(ctx context.Context, actor, formID, purpose string, keep map[string]bool) (*frame, error) {
	read := s.readAll
	if as, ok := s.Store.(AnswerStream); ok && !readWhole {
		read = as.EachSubmissionAnswer
	}
	keys := SortedKeys(keep)
	f := &frame{cols: make(map[string]*column, len(keys))}
	cols := make([]*column, len(keys))
	for j, k := range keys {
		cols[j] = newColumn(0)
		f.cols[k] = cols[j]
	}
	var ids []int64
	count := func(n int) {
		for _, c := range cols {
			c.codes = make([]uint32, 0, n)
		}
		ids = make([]int64, 0, n)
	}
	scratch := map[string]string{}
	row := func() map[string]string { clear(scratch); return scratch }
	add := func(id int64, r map[string]string) {
		for j, k := range keys {
			v, ok := r[k]
			cols[j].add(v, ok)
		}
		ids = append(ids, id)
	}
	err := s.answers(ctx, actor, formID, purpose, read, count, row, add)
	if errors.Is(err, ErrNoForm) {
		return nil, refuseField(apperr.KindNotFound, "", "no form %q", formID)
	} else if err != nil {
		return nil, err
	}
	for _, c := range cols {
		c.done()
	}
	f.sel, f.n = make([]int32, len(ids)), len(ids)
	for i := range f.sel {
		f.sel[i] = int32(i)
	}
	if !slices.IsSorted(ids) { // oldest first: by the submissions' ids
		slices.SortFunc(f.sel, func(a, b int32) int { return cmp.Compare(ids[a], ids[b]) })
	}
	return f, nil
}
