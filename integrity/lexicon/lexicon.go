// Package lexicon matches per-mission term lists in text and explains each match.
//
// It matches per-mission term lists (hateful or inflammatory terms with their
// variants, language, meaning, targeted group and severity) in text,
// insensitive to case, accents and common spelling variants, and explains every
// match.
package lexicon

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/vigil-project/vigil/integrity/fold"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvsafe"
)

// Entry is one term of a lexicon.
type Entry struct {
	Term     string
	Variants []string
	Language string // ISO 639-1 code or "" for any
	Meaning  string
	// MeaningCode names a meaning Vigil wrote (the starter lexicon's, see
	// Meanings) rather than a mission; "" for a mission's own words. With
	// it, MeaningPct is the figure its sentence gives (a percentage).
	MeaningCode string
	MeaningPct  int
	Group       string // targeted group, if any
	Severity    int    // 1 low, 2 medium, 3 high
	Source      string // where the entry comes from
}

// Match is one occurrence of an entry in a text.
type Match struct {
	Entry   *Entry
	Matched string // the text as written
	Start   int    // byte offsets in the text
	End     int
}

// Explain says why the text matched, e.g. "matched 'X' (term 'Y') — meaning …".
func (m Match) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "matched '%s'", m.Matched)
	if !strings.EqualFold(m.Matched, m.Entry.Term) {
		fmt.Fprintf(&b, " (term '%s')", m.Entry.Term)
	}
	if m.Entry.Meaning != "" {
		fmt.Fprintf(&b, " — meaning %s", m.Entry.Meaning)
	}
	if m.Entry.Group != "" {
		fmt.Fprintf(&b, "; targets %s", m.Entry.Group)
	}
	fmt.Fprintf(&b, "; severity %s", severityName[m.Entry.Severity])
	return b.String()
}

var severityName = map[int]string{1: "low", 2: "medium", 3: "high"}

// token is one word of a text with its matching key and byte range.
type token struct {
	key        string
	start, end int
}

var leet = map[rune]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's'}

// tokens splits text into words and reduces each to its key: lower case,
// accents folded, leetspeak digits read as letters inside words that have
// letters, and runs of the same letter collapsed ("fooool" = "fol" = "fool").
func tokens(text string) []token {
	var out []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		if k := key(text[start:end]); k != "" {
			out = append(out, token{k, start, end})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '@' || r == '$' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

func key(word string) string {
	f := fold.String(word)
	hasLetter := false
	for _, r := range f {
		if unicode.IsLetter(r) {
			hasLetter = true
			break
		}
	}
	var b strings.Builder
	var prev rune = -1
	for _, r := range f {
		if hasLetter {
			if l, ok := leet[r]; ok {
				r = l
			}
		}
		if r == '@' || r == '$' {
			continue
		}
		if r == prev && unicode.IsLetter(r) {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

type node struct {
	next    map[string]*node
	entries []*Entry
}

// Lexicon is a compiled term list. It is safe for concurrent matching.
type Lexicon struct {
	Entries []*Entry
	root    *node
}

// New compiles entries; each term and variant is one or more words.
func New(entries []Entry) *Lexicon {
	l := &Lexicon{root: &node{}}
	for i := range entries {
		e := entries[i]
		l.Entries = append(l.Entries, &e)
	}
	for _, e := range l.Entries {
		for _, form := range append([]string{e.Term}, e.Variants...) {
			ts := tokens(form)
			if len(ts) == 0 {
				continue
			}
			n := l.root
			for _, t := range ts {
				if n.next == nil {
					n.next = map[string]*node{}
				}
				c := n.next[t.key]
				if c == nil {
					c = &node{}
					n.next[t.key] = c
				}
				n = c
			}
			dup := false
			for _, x := range n.entries {
				dup = dup || x == e
			}
			if !dup {
				n.entries = append(n.entries, e)
			}
		}
	}
	return l
}

// Match finds the entries in text. At each word the longest term starting
// there wins; matching resumes after it. Entries whose language is set and
// differs from lang are skipped unless lang is "".
func (l *Lexicon) Match(text, lang string) []Match {
	ts := tokens(text)
	var out []Match
	for i := 0; i < len(ts); {
		n := l.root
		bestEnd := -1
		var best []*Entry
		for j := i; j < len(ts); j++ {
			n = n.next[ts[j].key]
			if n == nil {
				break
			}
			var ok []*Entry
			for _, e := range n.entries {
				if lang == "" || e.Language == "" || e.Language == lang {
					ok = append(ok, e)
				}
			}
			if len(ok) > 0 {
				bestEnd, best = j, ok
			}
		}
		if bestEnd < 0 {
			i++
			continue
		}
		s, e := ts[i].start, ts[bestEnd].end
		for _, en := range best {
			out = append(out, Match{Entry: en, Matched: text[s:e], Start: s, End: e})
		}
		i = bestEnd + 1
	}
	return out
}

// Header is the CSV layout ReadCSV expects (in any column order; variants,
// meaning, group, language, source, meaning_code and meaning_pct may be
// empty or absent).
var Header = []string{"term", "variants", "language", "meaning", "group", "severity", "source", "meaning_code", "meaning_pct"}

// The meanings Vigil writes itself for the starter lexicon (the studies'
// term lists give none), by code: the English sentence stored as the
// meaning; a page shows the code's sentence in its own language, with the
// figure (MeaningPct) as {pct}.
const (
	MeaningNgram   = "ngram"   // a Davidson et al. n-gram, with the share of hateful tweets containing it
	MeaningKeyword = "keyword" // an MLMA search keyword
)

// meaningFormats are the English sentences of the meaning codes.
var meaningFormats = map[string]string{
	MeaningNgram:   "n-gram found in hateful tweets (%d%% of the tweets containing it were labelled hateful)",
	MeaningKeyword: "keyword used to collect hateful tweets: a slur, a spelling of one, or a contested topic (not harmful by itself)",
}

// GeneratedMeaning is the English sentence of a meaning code with its
// figure; false for an unknown code.
func GeneratedMeaning(code string, pct int) (string, bool) {
	f, ok := meaningFormats[code]
	if !ok {
		return "", false
	}
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(f, pct), true
	}
	return f, true
}

// CheckMeaning checks a meaning code and its figure against the meaning
// text, and returns them as stored: a known code with an empty meaning
// gets its sentence; a meaning that is not the code's sentence (an analyst
// wrote over it) is kept as written and loses the code. An unknown code or
// a figure outside 0–100 is an apperr.Invalid naming the field.
func CheckMeaning(meaning, code string, pct int) (string, string, int, error) {
	if code == "" {
		if pct != 0 {
			return "", "", 0, apperr.Fieldf(apperr.KindInvalid, "meaning_pct", "%d without a meaning_code", pct)
		}
		return meaning, "", 0, nil
	}
	if pct < 0 || pct > 100 {
		return "", "", 0, apperr.Fieldf(apperr.KindInvalid, "meaning_pct", "%d is not a percentage 0–100", pct)
	}
	gen, ok := GeneratedMeaning(code, pct)
	switch {
	case !ok:
		return "", "", 0, apperr.Fieldf(apperr.KindInvalid, "meaning_code", "%q is not one of %s, %s", code, MeaningNgram, MeaningKeyword)
	case meaning == "":
		return gen, code, pct, nil
	case meaning != gen:
		return meaning, "", 0, nil
	}
	return meaning, code, pct, nil
}

// ReadCSV imports a lexicon. Variants are separated by '|'. Severity is
// 1–3 or low / medium / high (empty means low). Every error names the file
// and line; on error no entry is returned.
func ReadCSV(r io.Reader, name string) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, apperr.AtText(name, 1, "", apperr.Textf("empty file: want a header with %s", strings.Join(Header, ",")))
		}
		return nil, csvErr(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["term"]; !ok {
		return nil, apperr.AtText(name, 1, "", apperr.Textf("missing column %q", "term"))
	}
	var out []Entry
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return csvsafe.Unguard(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		if len(rec) != len(header) {
			return nil, apperr.AtText(name, line, "", apperr.Textf("wrong number of fields: %d, header has %d", len(rec), len(header)))
		}
		e := Entry{Term: get("term"), Language: strings.ToLower(get("language")), Meaning: get("meaning"), Group: get("group"), Source: get("source")}
		if e.Term == "" {
			return nil, apperr.AtText(name, line, "term", apperr.Text("empty"))
		}
		if len(tokens(e.Term)) == 0 {
			return nil, apperr.AtText(name, line, "term", apperr.Textf("%q has no letters or digits", e.Term))
		}
		if v := get("variants"); v != "" {
			for _, x := range strings.Split(v, "|") {
				if x = strings.TrimSpace(x); x != "" {
					e.Variants = append(e.Variants, x)
				}
			}
		}
		if e.Language != "" && (len(e.Language) != 2 || strings.IndexFunc(e.Language, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0) {
			return nil, apperr.AtText(name, line, "language", apperr.Textf("%q is not a two-letter code", e.Language))
		}
		sev, err := parseSeverity(get("severity"))
		if err != nil {
			return nil, apperr.AtText(name, line, "severity", err)
		}
		e.Severity = sev
		pct := 0
		if p := get("meaning_pct"); p != "" {
			if pct, err = strconv.Atoi(p); err != nil {
				return nil, apperr.AtText(name, line, "meaning_pct", apperr.Textf("%q is not a whole number", p))
			}
		}
		if e.Meaning, e.MeaningCode, e.MeaningPct, err = CheckMeaning(e.Meaning, get("meaning_code"), pct); err != nil {
			return nil, apperr.AtText(name, line, "", err)
		}
		k := e.Language + "\x00" + strings.Join(keys(e.Term), " ")
		if prev, dup := seen[k]; dup {
			return nil, apperr.AtText(name, line, "term", apperr.Textf("%q repeats line %d", e.Term, prev))
		}
		seen[k] = line
		out = append(out, e)
	}
	return out, nil
}

func keys(s string) []string {
	var out []string
	for _, t := range tokens(s) {
		out = append(out, t.key)
	}
	return out
}

func parseSeverity(s string) (int, error) {
	switch strings.ToLower(s) {
	case "", "low", "1":
		return 1, nil
	case "medium", "2":
		return 2, nil
	case "high", "3":
		return 3, nil
	}
	if _, err := strconv.Atoi(s); err == nil {
		return 0, apperr.Textf("%s out of range 1–3", s)
	}
	return 0, apperr.Textf("%q is not 1–3 or low/medium/high", s)
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.AtText(name, pe.Line, "", apperr.CSVReason(pe.Err))
	}
	return fmt.Errorf("%s: %v", name, err)
}

// WriteCSV writes entries in ReadCSV's layout, its cells guarded from
// spreadsheets' formulas (csvsafe; ReadCSV takes the guard off).
func WriteCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	cw.Write(Header)
	sorted := append([]Entry(nil), entries...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Language < sorted[j].Language })
	for _, e := range sorted {
		pct := ""
		if e.MeaningCode != "" && strings.Contains(meaningFormats[e.MeaningCode], "%d") {
			pct = strconv.Itoa(e.MeaningPct)
		}
		cw.Write(csvsafe.Row([]string{e.Term, strings.Join(e.Variants, "|"), e.Language, e.Meaning, e.Group, strconv.Itoa(e.Severity), e.Source, e.MeaningCode, pct}))
	}
	cw.Flush()
	return cw.Error()
}
