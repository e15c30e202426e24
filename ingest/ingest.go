// Package ingest reads conflict event files and imports them.
//
// It reads conflict event files — UCDP GED CSV, ACLED CSV, HXL-tagged CSV and
// GeoJSON FeatureCollections — as streams of events.Event and imports them into
// an events.Store, one transaction per file. Nothing is held in memory whole:
// rows are parsed, validated and upserted one at a time (only the set of ids
// seen so far is kept, to reject duplicates). A file with any bad row imports
// nothing, and the error names the file, the line and the column: "file:line:
// column: what is wrong".
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Format names an input format.
type Format string

const (
	Auto    Format = ""
	GED     Format = "ged"
	ACLED   Format = "acled"
	HXL     Format = "hxl"
	GeoJSON Format = "geojson"
)

// ParseFormat accepts "", "auto", "ged", "acled", "hxl" or "geojson".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "auto":
		return Auto, nil
	case Auto, GED, ACLED, HXL, GeoJSON:
		return f, nil
	case "ucdp", "ucdp-ged":
		return GED, nil
	case "json":
		return GeoJSON, nil
	}
	return "", apperr.Textf("unknown format %q (want ged, acled, hxl or geojson)", s)
}

// Options control an import.
type Options struct {
	Format Format // Auto detects it from the content
	// Source overrides the events' source name (default "ucdp-ged",
	// "acled", "hxl:<file name>" or "geojson:<file name>").
	Source string
	// Check validates every row and reports what an import would do, then
	// rolls back: nothing is written. With a nil store only validation runs
	// and every valid row counts as Inserted.
	Check bool
	// A row whose fatality estimates break low ≤ best ≤ high is stored as
	// published and counted in Counts.InconsistentEstimates, unless Strict
	// or RepairEstimates says otherwise. Real UCDP GED releases have such
	// rows (19 of the 1,458 rows of GED 23.1 for the Central African
	// Republic; 43 of the 11,503 in the shared GED 21.1 extract, e.g. id
	// 255999: best 7, low 7, high 6). Every aggregate uses best alone.
	//
	// Strict refuses the file at the first such row instead, naming its
	// line and column.
	Strict bool
	// RepairEstimates widens low and high around best in such rows (low =
	// min, high = max of the three) instead of keeping them as published;
	// they are counted in Counts.Repaired. For callers that need ordered
	// estimates; it cannot be combined with Strict.
	RepairEstimates bool
	// Progress, if set, is called with the number of bytes read so far.
	Progress func(bytesRead int64)
	// Audit, if set, is written to the audit log in the import's own
	// transaction once every row is in (its Detail gets the counts), so
	// the entry exists if and only if the events were written. The
	// store's upserter must implement Auditor. Not written by Check.
	Audit *audit.Entry
}

// Auditor is an events.Upserter that can write an audit entry in the
// import's transaction (storage's does).
type Auditor interface {
	Audit(ctx context.Context, e audit.Entry) error
}

// parser yields events one at a time.
type parser interface {
	// next returns the next event and the line it starts on, or io.EOF.
	next() (*events.Event, int, error)
	// column names, in the file's own terms, the event field a
	// validation error names (the Field of their apperr.Error).
	column(field string) string
}

// ImportFile imports one file (see Import).
func ImportFile(ctx context.Context, store events.Store, path string, opt Options) (events.Counts, error) {
	f, err := os.Open(path)
	if err != nil {
		return events.Counts{}, err
	}
	defer f.Close()
	return Import(ctx, store, path, f, opt)
}

// Import reads one file from r (name is used in errors and the default
// source name) and upserts its events into store in one transaction.
//
// When the store takes batches (events.BatchUpserter), the file is read,
// parsed and validated by a second goroutine, a batch or two ahead of the
// store writing the previous one: on two cores parsing then costs the
// import next to no time (docs/benchmarks/events.md). Batches reach the
// store in file order; the first error, from either side, ends the import
// and nothing is written.
func Import(ctx context.Context, store events.Store, name string, r io.Reader, opt Options) (events.Counts, error) {
	var counts events.Counts
	if opt.Strict && opt.RepairEstimates {
		return counts, errors.New("ingest: Strict and RepairEstimates cannot be combined")
	}
	p, err := open(name, r, opt)
	if err != nil {
		return counts, err
	}
	run := func(u events.Upserter) error {
		counts = events.Counts{}
		rd := &reader{name: name, p: p, opt: opt, seen: map[string]int{}}
		var err error
		if bu, ok := u.(events.BatchUpserter); ok {
			err = rd.pipeline(ctx, bu, &counts)
		} else {
			err = rd.oneByOne(ctx, u, &counts)
		}
		counts.InconsistentEstimates, counts.Repaired = rd.counts.InconsistentEstimates, rd.counts.Repaired
		if err != nil {
			return err
		}
		if len(rd.seen) == 0 {
			return at(name, 0, "", apperr.Text("no events in the file"))
		}
		if opt.Check {
			return errCheckDone
		}
		return audited(ctx, u, name, opt.Audit, counts)
	}
	if store == nil {
		if !opt.Check {
			return counts, errors.New("ingest: no store to import into")
		}
		err = run(nil)
	} else {
		err = store.Import(ctx, run)
	}
	if errors.Is(err, errCheckDone) {
		err = nil
	}
	if err != nil {
		return events.Counts{}, err
	}
	return counts, nil
}

// audited writes entry (if any) with the counts through u.
func audited(ctx context.Context, u events.Upserter, name string, entry *audit.Entry, c events.Counts) error {
	if entry == nil {
		return nil
	}
	a, ok := u.(Auditor)
	if !ok {
		return errors.New("ingest: the store cannot audit an import")
	}
	e := *entry
	if e.Object == "" {
		e.Object = "events:" + name
	}
	e.Detail = strings.TrimSpace(fmt.Sprintf("%s %d inserted, %d updated, %d unchanged, %d inconsistent estimates, %d repaired",
		e.Detail, c.Inserted, c.Updated, c.Unchanged, c.InconsistentEstimates, c.Repaired))
	return a.Audit(ctx, e)
}

// reader turns a parser's rows into checked events: the estimates policy
// of Options, validation, and duplicate ids.
type reader struct {
	name   string
	p      parser
	opt    Options
	seen   map[string]int // id -> line of first occurrence
	counts events.Counts  // InconsistentEstimates and Repaired
}

// next returns the next checked event and its line, or io.EOF.
func (rd *reader) next() (*events.Event, int, error) {
	e, line, err := rd.p.next()
	if err != nil {
		return nil, line, err
	}
	err = e.ValidatePublished()
	if err == nil && !e.EstimatesConsistent() {
		switch {
		case rd.opt.Strict:
			err = e.CheckEstimates()
		case rd.opt.RepairEstimates:
			e.Low, e.High = min(e.Low, e.Best, e.High), max(e.Low, e.Best, e.High)
			rd.counts.Repaired++
		default:
			rd.counts.InconsistentEstimates++
		}
	}
	if err != nil {
		var fe *apperr.Error
		if errors.As(err, &fe) {
			var why error = errors.New(fe.Msg)
			if m, ok := fe.MsgSaid(); ok {
				why = m.Err()
			}
			if rd.opt.Strict && (fe.Field == "low" || fe.Field == "best") && !strings.Contains(fe.Msg, "negative") {
				why = apperr.Textf("%v (refused by --strict; without it such rows are kept as published and counted)", why)
			}
			return nil, line, at(rd.name, line, rd.p.column(fe.Field), why)
		}
		return nil, line, apperr.At(rd.name, line, "", err.Error())
	}
	if first, dup := rd.seen[e.SourceID]; dup {
		return nil, line, at(rd.name, line, rd.p.column("id"), apperr.Textf("duplicate id %q (first on line %d)", e.SourceID, first))
	}
	// A copy: e.SourceID shares its memory with the whole CSV record.
	rd.seen[strings.Clone(e.SourceID)] = line
	return e, line, nil
}

// oneByOne upserts event by event (u nil: validation only, every event
// counts as inserted).
func (rd *reader) oneByOne(ctx context.Context, u events.Upserter, counts *events.Counts) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		e, line, err := rd.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if u == nil {
			counts.Inserted++
			continue
		}
		res, err := u.Upsert(ctx, e)
		if err != nil {
			return storeErr(rd.name, line, err)
		}
		counts.Add(res)
	}
}

// batch is importBatch checked events and the line of the first, or the
// error that ended the file.
type batch struct {
	es   []*events.Event
	line int
	err  error
}

// pipeline reads batches in a second goroutine while bu stores the
// previous ones. It returns only once that goroutine has stopped.
func (rd *reader) pipeline(ctx context.Context, bu events.BatchUpserter, counts *events.Counts) error {
	out := make(chan batch, 2)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(out)
		send := func(b batch) bool {
			select {
			case out <- b:
				return true
			case <-stop:
				return false
			}
		}
		var b batch
		for {
			if err := ctx.Err(); err != nil {
				send(batch{err: err})
				return
			}
			e, line, err := rd.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				send(batch{err: err})
				return
			}
			if len(b.es) == 0 {
				b.line = line
			}
			if b.es = append(b.es, e); len(b.es) == importBatch {
				if !send(b) {
					return
				}
				b = batch{}
			}
		}
		if len(b.es) > 0 {
			send(b)
		}
	}()
	err := func() error {
		for b := range out {
			if b.err != nil {
				return b.err
			}
			res, err := bu.UpsertBatch(ctx, b.es)
			if err != nil {
				return storeErr(rd.name, b.line, err)
			}
			for _, r := range res {
				counts.Add(r)
			}
		}
		return nil
	}()
	close(stop)
	<-done
	return err
}

// storeErr places the store's refusal of the events from line at that
// line: its bad input (a count the store cannot hold) keeps its field and
// message; any other failure becomes its text, still wrapping err so that
// a store that is busy or read-only is known as such (the store's
// transaction then answers it as apperr.KindUnavailable, not the file's
// fault).
func storeErr(name string, line int, err error) error {
	if apperr.IsInvalid(err) {
		return apperr.AtLine(name, line, err)
	}
	e := apperr.At(name, line, "", err.Error())
	e.Err = err
	return e
}

// importBatch is how many events go to the store at once when it supports
// events.BatchUpserter.
const importBatch = 400

var errCheckDone = errors.New("check done: roll back")

// sniffSize is how much of a file is looked at to tell its format.
const sniffSize = 64 << 10

// open sniffs the input (empty, binary, encoding, format) and returns the
// parser for it.
func open(name string, r io.Reader, opt Options) (parser, error) {
	if opt.Progress != nil {
		r = &progressReader{r: r, fn: opt.Progress}
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, apperr.At(name, 0, "", err.Error())
	}
	if len(head) == 0 {
		return nil, at(name, 0, "", apperr.Text("empty file (0 bytes)"))
	}
	if i := binaryAt(head); i >= 0 {
		return nil, at(name, 1+bytes.Count(head[:i], []byte{'\n'}), "", apperr.Textf("not a text file (binary byte 0x%02x at offset %d)", head[i], i))
	}
	var in io.Reader = br
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		head = head[3:]
	}
	if !utf8Valid(head) {
		// Not UTF-8: read as ISO-8859-1 (Windows exports, libhxl's latin-1 fixture).
		in = &latin1Reader{r: br}
		head = latin1ToUTF8(head)
	}
	format := opt.Format
	if format == Auto {
		if format, err = detect(name, head); err != nil {
			return nil, err
		}
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	switch format {
	case GED:
		return newGED(name, in, head, sourceOr(opt.Source, "ucdp-ged"))
	case ACLED:
		return newACLED(name, in, head, sourceOr(opt.Source, "acled"))
	case HXL:
		return newHXL(name, in, head, sourceOr(opt.Source, "hxl:"+base))
	case GeoJSON:
		return newGeoJSON(name, in, sourceOr(opt.Source, "geojson:"+base))
	}
	return nil, fmt.Errorf("ingest: unknown format %q", format)
}

func sourceOr(s, def string) string {
	if s = strings.TrimSpace(s); s != "" {
		return s
	}
	return def
}

// binaryAt returns the offset of the first byte that cannot be in a text
// file (NUL or a C0 control other than tab, CR, LF, FF), or -1.
func binaryAt(b []byte) int {
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return i
		}
		if c == 0x7f {
			return i
		}
	}
	return -1
}

// utf8Valid reports whether the start of a file is UTF-8 (an incomplete
// sequence cut off at the end is allowed).
func utf8Valid(head []byte) bool { return utf8.Valid(trimPartialRune(head)) }

// trimPartialRune drops an incomplete UTF-8 sequence cut off at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// detect tells the format from the first bytes of a file.
func detect(name string, head []byte) (Format, error) {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return GeoJSON, nil
	}
	recs := sniffRecords(head, 25)
	for _, rec := range recs {
		if isHashtagRow(rec) {
			return HXL, nil
		}
	}
	if len(recs) > 0 {
		h := map[string]bool{}
		for _, c := range recs[0] {
			h[normHeader(c)] = true
		}
		switch {
		case h["event_id_cnty"] || (h["event_type"] && h["fatalities"]):
			return ACLED, nil
		case h["type_of_violence"] || (h["best"] && h["latitude"]):
			return GED, nil
		case len(recs[0]) == len(gedColumns):
			return GED, nil // headerless 49-column GED
		case len(recs[0]) == len(acledColumns):
			return ACLED, nil
		}
	}
	return "", at(name, 1, "", apperr.Text("cannot tell the format (not UCDP GED, ACLED, HXL-tagged CSV or GeoJSON); name it with --format"))
}

type progressReader struct {
	r  io.Reader
	n  int64
	fn func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if n > 0 {
		p.fn(p.n)
	}
	return n, err
}

// latin1Reader transcodes ISO-8859-1 to UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if cap(l.buf) == 0 {
			l.buf = make([]byte, 16<<10)
		}
		n, err := l.r.Read(l.buf[:cap(l.buf)])
		l.out = append(l.out[:0], latin1ToUTF8(l.buf[:n])...)
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}

func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
