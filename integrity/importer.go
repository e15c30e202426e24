package integrity

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Import limits.
const (
	MaxImportRows = 500000
	MaxLineBytes  = 1 << 20
	maxErrors     = 20
)

// Fields of the generic export layout, in order. A monitoring tool's own
// column names are mapped onto them by Aliases.
var Fields = []string{"id", "source", "kind", "text", "title", "lang", "author", "time", "url",
	"shares", "reactions", "views", "replies", "place", "lat", "lon", "media"}

// Aliases maps the column names of common monitoring exports (compared in
// lower case, letters and digits only) to the generic fields. An author's
// own "location" column is deliberately not mapped: items are placed by
// the places they name, never by where their author says they live.
var Aliases = map[string][]string{
	"id": {"id", "idstr", "postid", "tweetid", "messageid", "itemid", "contentid", "resourceid", "guid", "mentionid",
		"ccpostid", "documentid", "articleid"},
	"source": {"source", "platform", "network", "outlet", "station", "channel", "sitename", "domain", "sourcename",
		"pagetype", "mediatype", "sourcetype"},
	"kind":   {"kind"},
	"text":   {"text", "message", "content", "fulltext", "body", "snippet", "posttext", "tweet", "tweettext", "hitsentence", "openingtext", "description"},
	"title":  {"title", "headline", "linktext"},
	"lang":   {"lang", "language", "languagecode"},
	"author": {"author", "authorid", "authorusername", "authorhandle", "username", "user", "screenname", "userscreenname", "handle", "account", "accountname", "pagename", "influencer", "fromuser"},
	"time": {"time", "date", "datetime", "createdat", "created", "postcreated", "published", "publishedat", "publishdate", "timestamp",
		"posteddate", "alternatedateformat", "pubdate"},
	"url":       {"url", "link", "permalink", "posturl", "tweeturl", "articleurl", "expandedurl"},
	"shares":    {"shares", "share", "sharecount", "retweets", "retweetcount", "publicmetricsretweetcount", "reposts", "forwards", "forwardcount"},
	"reactions": {"reactions", "likes", "likecount", "favorites", "favoritecount", "favouritecount", "publicmetricslikecount", "reactioncount"},
	"views":     {"views", "viewcount", "impressions", "impressioncount", "publicmetricsimpressioncount", "videoviews", "playcount"},
	"replies":   {"replies", "replycount", "comments", "commentcount", "publicmetricsreplycount"},
	"place":     {"place", "placename", "locality", "town", "village", "mentionedplace"},
	"lat":       {"lat", "latitude"},
	"lon":       {"lon", "lng", "long", "longitude"},
	"media":     {"media", "mediaurl", "mediaurls", "image", "imageurl", "images", "video", "videourl", "attachments"},
}

var aliasOf = func() map[string]string {
	m := map[string]string{}
	for f, as := range Aliases {
		for _, a := range as {
			m[a] = f
		}
	}
	return m
}()

// normHeader folds a column name for alias lookup: lower case, letters and
// digits only ("Post Created" → "postcreated", "public_metrics.like_count"
// → "publicmetricslikecount").
func normHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimPrefix(h, "\ufeff")) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ImportOptions guides an export import.
type ImportOptions struct {
	// Source is the source of rows without a source column (e.g. the tool
	// or platform the export came from).
	Source string
	// Format is "csv" or "jsonl"; empty: by the file name, else by the
	// first byte ('{' means JSON lines).
	Format string
	// Now is the import time (rows without a time column get it).
	Now time.Time
}

// ImportError lists the located problems of a rejected export. ReadExport
// returns it wrapped as apperr bad input (see invalid).
type ImportError struct {
	File  string
	Lines []LineError
	More  bool // more problems than listed
	jsonl bool // the lines' fields are a JSON object's, not columns
}

// LineError is one problem of an export, on a line.
type LineError struct {
	Line  int             `json:"line"`
	Field string          `json:"field,omitempty"`
	Msg   string          `json:"error"`
	said  *apperr.Message // Msg as a catalog message, when it has one
}

func (e *ImportError) Error() string {
	var b strings.Builder
	for i, l := range e.Lines {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s:%d: ", e.File, l.Line)
		if l.Field != "" {
			b.WriteString(l.Field + ": ")
		}
		b.WriteString(l.Msg)
	}
	if e.More {
		b.WriteString("; … (more problems not listed)")
	}
	return b.String()
}

// Field names the first problem's place ("line 12").
func (e *ImportError) Field() string {
	if len(e.Lines) == 0 {
		return "file"
	}
	return "line " + strconv.Itoa(e.Lines[0].Line)
}

// ReadExport streams the rows of a monitoring export (CSV with a header
// row, or JSON lines) into validated items, calling fn for each. It reads
// the whole file and reports every problem (up to 20) by line; when any is
// found it returns an *ImportError and the caller must write nothing.
func (s *Service) ReadExport(r io.Reader, name string, opt ImportOptions, fn func(*Item) error) error {
	if opt.Now.IsZero() {
		opt.Now = s.now()
	}
	br := bufio.NewReaderSize(r, 64<<10)
	format := opt.Format
	if format == "" {
		lower := strings.ToLower(name)
		switch {
		case strings.HasSuffix(lower, ".jsonl"), strings.HasSuffix(lower, ".ndjson"), strings.HasSuffix(lower, ".json"):
			format = "jsonl"
		case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".tsv"):
			format = "csv"
		default:
			format = "csv"
			if b, err := br.Peek(64); len(b) > 0 && (err == nil || err == io.EOF) {
				if t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\ufeff")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
					format = "jsonl"
				}
			}
		}
	}
	ie := &ImportError{File: name, jsonl: format == "jsonl"}
	add := func(line int, err error) bool {
		if len(ie.Lines) >= maxErrors {
			ie.More = true
			return false
		}
		var fe *apperr.Error
		le := LineError{Line: line, Msg: err.Error()}
		m, ok := apperr.MessageOf(err)
		if errors.As(err, &fe) {
			le.Field, le.Msg = fe.Field, fe.Msg
			m, ok = fe.MsgSaid()
		}
		if ok {
			le.said = &m
		}
		ie.Lines = append(ie.Lines, le)
		return true
	}
	rows := 0
	row := func(line int, vals map[string]string) bool {
		rows++
		if rows > MaxImportRows {
			add(line, apperr.Textf("more than %d rows: split the file", MaxImportRows))
			return false
		}
		it, err := s.rowItem(vals, opt)
		if err == nil {
			err = s.Validate(it)
		}
		if err != nil {
			return add(line, err)
		}
		if len(ie.Lines) == 0 {
			if err := fn(it); err != nil {
				return add(line, err)
			}
		}
		return true
	}
	var err error
	switch format {
	case "csv":
		err = readCSVExport(br, name, opt, row, add)
	case "jsonl":
		err = readJSONLExport(br, row, add)
	default:
		return apperr.Fieldf(apperr.KindInvalid, "format", "%q is not csv or jsonl", format)
	}
	if err != nil {
		return err
	}
	if len(ie.Lines) == 0 && rows == 0 {
		m, _ := apperr.MessageOf(apperr.Text("no rows"))
		ie.Lines = []LineError{{Line: 1, Msg: "no rows", said: &m}}
	}
	if len(ie.Lines) > 0 {
		return ie.invalid()
	}
	return nil
}

// invalid is e as apperr's bad input naming the first problem's place
// (Field), its whole text the message; errors.As still finds e.
func (e *ImportError) invalid() error {
	ae := apperr.As(apperr.Wrap(apperr.KindInvalid, e.Field(), e))
	if m, ok := e.said(); ok && m.Text("en") == ae.Error() {
		ae.Key, ae.Args = m.Key, m.Args
	}
	return ae
}

// said is e's text as a catalog message: every line's place ("fichier
// f.csv, ligne 3, colonne shares : …" in French) and problem; false when a
// problem has no message.
func (e *ImportError) said() (apperr.Message, bool) {
	return apperr.ListSaid(apperr.KeyList, len(e.Lines), func(i int) (m apperr.Message, ok bool) {
		l := e.Lines[i]
		if l.said == nil {
			return m, false
		}
		switch {
		case l.Field == "":
			m, ok = apperr.Msg(apperr.KeyAtLine, e.File, l.Line, *l.said)
		case e.jsonl:
			m, ok = apperr.Msg("integrity.refusal.at-line-json", e.File, l.Line, l.Field, *l.said)
		default:
			m, ok = apperr.Msg(apperr.KeyAtLineField, e.File, l.Line, l.Field, *l.said)
		}
		if ok && e.More && i == len(e.Lines)-1 {
			m, ok = apperr.Msg(apperr.KeyListMore, m)
		}
		return m, ok
	})
}

func readCSVExport(br *bufio.Reader, name string, opt ImportOptions, row func(int, map[string]string) bool, add func(int, error) bool) error {
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if strings.HasSuffix(strings.ToLower(name), ".tsv") {
		cr.Comma = '\t'
	}
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			add(1, apperr.Textf("empty file: want a header row"))
		} else {
			add(1, csvErr(err))
		}
		return nil
	}
	cols := map[int]string{} // column index → field
	have := map[string]bool{}
	var unknown []string
	for i, h := range header {
		f, ok := aliasOf[normHeader(h)]
		if !ok || have[f] {
			if strings.TrimSpace(h) != "" {
				unknown = append(unknown, h)
			}
			continue
		}
		cols[i], have[f] = f, true
	}
	var missing error // the columns missing, said as a list
	for _, m := range []struct {
		miss bool
		what string
	}{
		{!have["text"] && !have["title"], "text (or message, content, full text …)"},
		{!have["id"] && !have["url"], "id (or url)"},
		{!have["source"] && opt.Source == "", "source (or platform …; or give the export's source)"},
	} {
		switch {
		case !m.miss:
		case missing == nil:
			missing = apperr.Text(m.what)
		default:
			missing = apperr.Textf("%v, %v", missing, apperr.Text(m.what))
		}
	}
	if missing != nil {
		sort.Strings(unknown)
		if len(unknown) > 0 {
			add(1, apperr.Textf("the header has no column for %v (columns not recognised: %s)", missing, strings.Join(unknown, ", ")))
		} else {
			add(1, apperr.Textf("the header has no column for %v", missing))
		}
		return nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
				if pe.StartLine != pe.Line {
					err = apperr.Textf("record from line %d: column %d: %v", pe.StartLine, pe.Column, apperr.CSVReason(pe.Err))
				}
			}
			add(line, csvErr(err))
			return nil
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		vals := make(map[string]string, len(cols))
		for i, f := range cols {
			if i < len(rec) {
				vals[f] = rec[i]
			}
		}
		if !row(line, vals) {
			return nil
		}
	}
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.Textf("column %d: %v", pe.Column, apperr.CSVReason(pe.Err))
	}
	return err
}

func readJSONLExport(br *bufio.Reader, row func(int, map[string]string) bool, add func(int, error) bool) error {
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			if !add(line, apperr.Textf("not a JSON object: %v", apperr.JSONReason(err))) {
				return nil
			}
			continue
		}
		if dec.More() {
			if !add(line, apperr.Textf("more than one JSON value on the line")) {
				return nil
			}
			continue
		}
		flat := map[string]string{}
		flatten("", obj, flat, 0)
		vals := map[string]string{}
		// Deterministic: a field takes the first alias present, in alias order.
		for f, as := range Aliases {
			for _, a := range as {
				if v, ok := flat[a]; ok {
					vals[f] = v
					break
				}
			}
		}
		if !row(line, vals) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			add(line+1, apperr.Textf("line longer than %d bytes", MaxLineBytes))
			return nil
		}
		return err
	}
	return nil
}

// flatten turns nested objects into normalised dotted keys; arrays of
// strings are joined with '|', media objects by their url.
func flatten(prefix string, v any, out map[string]string, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			flatten(prefix+normHeader(k), vv, out, depth+1)
		}
	case []any:
		var parts []string
		for _, e := range x {
			switch y := e.(type) {
			case string:
				parts = append(parts, y)
			case map[string]any:
				if u, ok := y["url"].(string); ok {
					parts = append(parts, u)
				}
			}
		}
		if len(parts) > 0 {
			out[prefix] = strings.Join(parts, "|")
		}
	case string:
		out[prefix] = x
	case json.Number:
		out[prefix] = x.String()
	case bool:
		out[prefix] = strconv.FormatBool(x)
	}
}

// rowItem builds an item from a row's generic fields.
func (s *Service) rowItem(v map[string]string, opt ImportOptions) (*Item, error) {
	it := &Item{Via: ViaImport, Kind: strings.ToLower(strings.TrimSpace(v["kind"]))}
	it.Source = strings.TrimSpace(v["source"])
	if it.Source == "" {
		it.Source = opt.Source
	}
	it.SourceID = strings.TrimSpace(v["id"])
	it.URL = strings.TrimSpace(v["url"])
	if it.SourceID == "" {
		it.SourceID = it.URL
	}
	it.Text = strings.TrimSpace(v["text"])
	if t := strings.TrimSpace(v["title"]); t != "" && !strings.Contains(it.Text, t) {
		if it.Text == "" {
			it.Text = t
		} else {
			it.Text = t + "\n" + it.Text
		}
	}
	it.Lang = strings.ToLower(strings.TrimSpace(v["lang"]))
	if it.Lang == "und" || it.Lang == "zxx" {
		it.Lang = ""
	}
	if len(it.Lang) > 2 && (it.Lang[2] == '-' || it.Lang[2] == '_') {
		it.Lang = it.Lang[:2] // fr-FR
	}
	it.Author = strings.TrimSpace(v["author"])
	if ts := strings.TrimSpace(v["time"]); ts != "" {
		t, err := ParseTime(ts)
		if err != nil {
			return nil, apperr.FieldErr(apperr.KindInvalid, "time", err)
		}
		it.Time = t
	} else {
		it.Time = opt.Now
	}
	for _, c := range []struct {
		f string
		p *int64
	}{{"shares", &it.Shares}, {"reactions", &it.Reactions}, {"views", &it.Views}, {"replies", &it.Replies}} {
		n, err := parseCount(v[c.f])
		if err != nil {
			return nil, apperr.FieldErr(apperr.KindInvalid, c.f, err)
		}
		*c.p = n
	}
	it.Place = strings.TrimSpace(v["place"])
	la, lo := strings.TrimSpace(v["lat"]), strings.TrimSpace(v["lon"])
	if la != "" || lo != "" {
		lat, err1 := strconv.ParseFloat(la, 64)
		lon, err2 := strconv.ParseFloat(lo, 64)
		if err1 != nil {
			return nil, apperr.Fieldf(apperr.KindInvalid, "lat", "%q is not a number", la)
		}
		if err2 != nil {
			return nil, apperr.Fieldf(apperr.KindInvalid, "lon", "%q is not a number", lo)
		}
		it.Lat, it.Lon = &lat, &lon
	}
	for _, m := range strings.FieldsFunc(v["media"], func(r rune) bool { return r == '|' || r == ',' || unicode.IsSpace(r) }) {
		it.Media = append(it.Media, m)
	}
	return it, nil
}

func parseCount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	clean := strings.NewReplacer(",", "", " ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if n, err := strconv.ParseInt(clean, 10, 64); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(clean, 64); err == nil && f == math.Trunc(f) && f >= 0 && f < 1e15 {
		return int64(f), nil
	}
	return 0, apperr.Textf("%q is not a whole number", s)
}

// timeLayouts are the date forms monitoring exports write.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"Mon Jan 02 15:04:05 -0700 2006", // Twitter v1 created_at
	time.RFC1123Z,
	"Mon, 02 Jan 2006 15:04:05", // RFC 1123 in GMT, the zone trimmed
}

// ParseTime reads a date-time in the forms exports use (RFC 3339, "YYYY-MM-DD
// hh:mm[:ss]" read as UTC, Twitter's created_at, RFC 1123, Unix seconds or
// milliseconds). A named zone other than UTC/GMT is refused (its offset is
// unknown).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, suf := range []string{" UTC", " GMT", " Z"} {
		s = strings.TrimSuffix(s, suf)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 {
		if len(s) >= 13 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return time.Time{}, apperr.Textf("%q is not a date (want e.g. 2024-03-01T14:05:00Z or 2024-03-01 14:05)", s)
}

// Import reads an export and stores its items in one transaction: new
// items analysed and filed into narratives, known ones (same source and
// id) with their engagement counts updated. On any problem nothing is
// written and the error is an *ImportError naming each line.
func (s *Service) Import(ctx context.Context, actor string, r io.Reader, name string, opt ImportOptions) (AddResult, error) {
	if opt.Source != "" {
		if err := checkLine("source", opt.Source, MaxShort, false); err != nil {
			return AddResult{}, err
		}
	}
	var items []*Item
	if err := s.ReadExport(r, name, opt, func(it *Item) error {
		items = append(items, it)
		return nil
	}); err != nil {
		return AddResult{}, err
	}
	return s.Add(ctx, actor, "integrity.items.import", IntakeFile(name), items)
}
