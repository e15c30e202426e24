package apperr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// A refusal can carry its whole text as a message of a registered catalog
// (Error.Key and Error.Args), so that a user interface says it in its
// language while Error() stays the English text it has always been. A
// catalog's English is a fmt format; its French says the format's verbs,
// in order, as {0}, {1}…:
//
//	apperr.Register(apperr.Catalog{"x.not-count": {"%q is not a whole number", "{0} n'est pas un nombre entier"}})
//	apperr.Fieldf(apperr.KindInvalid, "shares", "%q is not a whole number", "many")
//	// shares: "many" is not a whole number; Key refusal.field, Args {0: shares, 1: …, 1.key: x.not-count, 1.0: "many"}
//
// An argument that is itself a message (an error carrying one) is nested:
// Args[n] is its English, Args[n+".key"] its key and its own arguments are
// under n+".". The position wrappers below (a field, a file's line) are
// apperr's own catalog. A page's dictionary holds the same entries
// (web/ui/i18n/refusals.*.json, written from Catalogs()).

// Catalog is messages by key: {English fmt format, French with {0}…}.
type Catalog map[string][2]string

// Message is a catalog message: its key and arguments.
type Message struct {
	Key  string
	Args map[string]string
}

type entry struct {
	format string // the English fmt format
	verbs  []string
	en, fr string // templates with {0}…; French {n:q} for a %q verb (quotedFrench)
}

var (
	catMu    sync.RWMutex
	entries  = map[string]entry{}
	byFormat = map[string]string{} // English format → key ("" when two keys share it)
)

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)

// The position wrappers (Fieldf, FieldErr, AtLine) and lists.
const (
	KeyField       = "refusal.field"
	KeyAtLine      = "refusal.at-line"
	KeyAtLineField = "refusal.at-line-field"
	KeyAtFile      = "refusal.at-file"       // line 0: the file as a whole
	KeyAtFileField = "refusal.at-file-field" // line 0, a column
	KeyLine        = "refusal.line"          // a line of an input without a file name (a form's XML)
	KeyLineField   = "refusal.line-field"    // the same, naming a field
	KeyList        = "refusal.list"
	KeyListMore    = "refusal.list-more"
	// KeyEmpty, KeyMissing and KeyNotNumber are the words of a field
	// given empty, not given or not a number, shared by the capabilities
	// whose checks say them (alerts, coverage, events, ingest, integrity).
	KeyEmpty     = "refusal.empty"
	KeyMissing   = "refusal.missing"
	KeyNotNumber = "refusal.not-number"
	// KeySentinel + a kind's name ("not-found", …): the sentinels' own
	// texts (ErrNotFound's "not found"), as a store returns them bare.
	KeySentinel = "refusal.kind."
)

func init() {
	Register(Catalog{
		KeyField:       {"%s: %v", "{0}\u00a0: {1}"},
		KeyAtLine:      {"%s:%d: %v", "fichier {0}, ligne {1}\u00a0: {2}"},
		KeyAtLineField: {"%s:%d: %s: %v", "fichier {0}, ligne {1}, colonne {2}\u00a0: {3}"},
		KeyLine:        {"line %d: %v", "ligne {0}\u00a0: {1}"},
		KeyLineField:   {"line %d: %s: %v", "ligne {0}, {1}\u00a0: {2}"},
		KeyList:        {"%v; %v", "{0}\u202f; {1}"},
		KeyListMore:    {"%v; … (more problems not listed)", "{0}\u202f; … (d’autres problèmes ne sont pas listés)"},
		KeyEmpty:       {"is empty", "est vide"},
		KeyMissing:     {"is missing", "est manquant"},
		KeyNotNumber:   {"%q is not a number", "{0} n’est pas un nombre"},
	})
	sentinels := Catalog{}
	for _, s := range []struct {
		e  *Error
		fr string
	}{{ErrInvalid, "invalide"}, {ErrNotFound, "introuvable"}, {ErrConflict, "conflit avec l’état actuel"},
		{ErrForbidden, "interdit"}, {ErrUnavailable, "indisponible"}} {
		s.e.Key = KeySentinel + strings.ReplaceAll(s.e.Msg, " ", "-")
		sentinels[s.e.Key] = [2]string{s.e.Msg, s.fr}
	}
	Register(sentinels)
	// A file as a whole: said only by key (AtLine at line 0), since
	// KeyField's English is the same "%s: %v".
	register(Catalog{
		KeyAtFile:      {"%s: %v", "fichier {0}\u00a0: {1}"},
		KeyAtFileField: {"%s: %s: %v", "fichier {0}, colonne {1}\u00a0: {2}"},
	}, false)
}

// Register adds c's messages and answers c; a key registered twice, a
// format with %% or an explicit argument index, or a French placeholder
// the format has no verb for panics (a programming error, found by any
// test).
func Register(c Catalog) Catalog { return register(c, true) }

// register is Register; byFmt false keeps c's formats from Textf and Text
// (its messages are made by key only).
func register(c Catalog, byFmt bool) Catalog {
	catMu.Lock()
	defer catMu.Unlock()
	for key, t := range c {
		if _, dup := entries[key]; dup {
			panic("apperr: message " + key + " registered twice")
		}
		if strings.Contains(t[0], "%%") || strings.Contains(t[0], "%[") {
			panic("apperr: message " + key + ": %% and %[n] are not supported")
		}
		e := entry{format: t[0], verbs: verbRE.FindAllString(t[0], -1), fr: t[1]}
		n := 0
		e.en = verbRE.ReplaceAllStringFunc(t[0], func(string) string { n++; return "{" + strconv.Itoa(n-1) + "}" })
		for _, m := range sayRE.FindAllStringSubmatch(t[1], -1) {
			if i, err := strconv.Atoi(m[1]); err != nil || i >= n {
				panic("apperr: message " + key + ": French placeholder " + m[0] + " has no verb")
			}
		}
		e.fr = quotedFrench(e.fr, e.verbs)
		entries[key] = e
		if !byFmt {
			continue
		}
		if k, seen := byFormat[t[0]]; seen {
			if k != "" && entries[k].fr != e.fr {
				byFormat[t[0]] = "" // the same English said two ways: only by key
			}
		} else {
			byFormat[t[0]] = key
		}
	}
	return c
}

// Catalogs answers every registered message as the pages say them:
// language → key → template with {0}….
func Catalogs() map[string]map[string]string {
	catMu.RLock()
	defer catMu.RUnlock()
	out := map[string]map[string]string{"en": {}, "fr": {}}
	for k, e := range entries {
		out["en"][k], out["fr"][k] = e.en, e.fr
	}
	return out
}

// Unsaid are the English formats registered by several keys with
// different French, sorted: Textf and Text find no message for them, so
// an error written with one is said in no language but English (a test
// of every catalog wants none).
func Unsaid() []string {
	catMu.RLock()
	defer catMu.RUnlock()
	var out []string
	for f, k := range byFormat {
		if k == "" {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// Keys are the registered keys with prefix, sorted.
func Keys(prefix string) []string {
	catMu.RLock()
	defer catMu.RUnlock()
	var ks []string
	for k := range entries {
		if strings.HasPrefix(k, prefix) {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// Known reports whether key is a registered message.
func Known(key string) bool {
	catMu.RLock()
	defer catMu.RUnlock()
	_, ok := entries[key]
	return ok
}

var placeholderRE = regexp.MustCompile(`\{(\w+)\}`)

// sayRE is a template's placeholder as Text fills it: {0}, or {0:q}, an
// argument Go quoted (%q) said without its quotes, or {0:qs}, a text
// holding Go-quoted values (a list: "idp" (3), "x" (1)) said with each in
// guillemets (Guillemets).
var sayRE = regexp.MustCompile(`\{(\w+)(:qs?)?\}`)

// quotedFrench is the French template fr with each argument of a %q verb
// (quoted by Go, "pw", as English writes it) in guillemets held by narrow
// no-break spaces instead, « pw », as {n:q} between them: Text and the
// page (web/ui/core/text.js fill) say {n:q} as the argument without Go's
// quotes (Unquoted).
func quotedFrench(fr string, verbs []string) string {
	return placeholderRE.ReplaceAllStringFunc(fr, func(ph string) string {
		i, err := strconv.Atoi(ph[1 : len(ph)-1])
		if err != nil || i >= len(verbs) || !strings.HasSuffix(verbs[i], "q") {
			return ph
		}
		return "«\u202f{" + strconv.Itoa(i) + ":q}\u202f»"
	})
}

// goEscapeRE is a quote or backslash Go escaped in a quoted text.
var goEscapeRE = regexp.MustCompile(`\\(["'\\])`)

// Unquoted is s, a text as Go's %q wrote it ("pw", 'x', or `p\w` with
// %#q), without its quotes and with the quotes and backslashes Go escaped
// inside it unescaped ("say \"hi\"" is say "hi"); other escapes (\n,
// \x00) stay as Go wrote them, visible. Anything else is s as it is. The
// page's text.js unquoted says the same.
func Unquoted(s string) string {
	if len(s) < 2 || s[0] != s[len(s)-1] || !strings.ContainsRune("\"'`", rune(s[0])) {
		return s
	}
	if s[0] == '`' {
		return s[1 : len(s)-1]
	}
	return goEscapeRE.ReplaceAllString(s[1:len(s)-1], "$1")
}

// Guillemets is s with each text Go quoted in it with %q ("idp") said in
// guillemets held by narrow no-break spaces, « idp » (Unquoted inside);
// a quote that opens no quoted text stays as it is. The page's text.js
// guillemets says the same (both tested on testdata/guillemets.json).
func Guillemets(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		q, err := strconv.QuotedPrefix(s[i:])
		if err != nil {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i] + "«\u202f" + Unquoted(q) + "\u202f»")
		s = s[i+len(q):]
	}
	b.WriteString(s)
	return b.String()
}

// Text is m in lang ("en" or "fr"; French falls back to English), its
// arguments filled, nested messages said in lang too.
func (m Message) Text(lang string) string { return m.text(lang, 0) }

func (m Message) text(lang string, depth int) string {
	catMu.RLock()
	e, ok := entries[m.Key]
	catMu.RUnlock()
	if !ok {
		return m.Key
	}
	s := e.en
	if lang == "fr" && e.fr != "" {
		s = e.fr
	}
	return sayRE.ReplaceAllStringFunc(s, func(ph string) string {
		g := sayRE.FindStringSubmatch(ph)
		n := g[1]
		if k := m.Args[n+".key"]; k != "" && depth < 64 {
			return Message{Key: k, Args: sub(m.Args, n+".")}.text(lang, depth+1)
		}
		if v, ok := m.Args[n]; ok {
			switch g[2] {
			case ":q":
				return Unquoted(v)
			case ":qs":
				return Guillemets(v)
			}
			return v
		}
		return ph
	})
}

// String is m's English, so that m can be given to a format (%s, %v) as
// an argument: Textf and Fieldf then nest it as a message.
func (m Message) String() string { return m.Text("en") }

// Err is an error whose text is m's English, carrying m.
func (m Message) Err() error { return &said{errors.New(m.Text("en")), m} }

// sub is the arguments under prefix, the prefix cut.
func sub(args map[string]string, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range args {
		if strings.HasPrefix(k, prefix) {
			out[k[len(prefix):]] = v
		}
	}
	return out
}

// Msg is the message key with the arguments a (as the key's English format
// takes them; an error or Message carrying a message is nested). ok is
// false for an unknown key or arguments the format does not take.
func Msg(key string, a ...any) (Message, bool) {
	catMu.RLock()
	e, ok := entries[key]
	catMu.RUnlock()
	if !ok || len(a) != len(e.verbs) {
		return Message{}, false
	}
	m := Message{Key: key, Args: map[string]string{}}
	for i, v := range a {
		n := strconv.Itoa(i)
		if in, ok := MessageOf(v); ok && strings.ContainsAny(e.verbs[i][len(e.verbs[i])-1:], "vsw") {
			m.Args[n], m.Args[n+".key"] = in.Text("en"), in.Key
			for k, x := range in.Args {
				m.Args[n+"."+k] = x
			}
			continue
		}
		verb := e.verbs[i]
		if strings.HasSuffix(verb, "w") {
			verb = verb[:len(verb)-1] + "v"
		}
		m.Args[n] = fmt.Sprintf(verb, v)
	}
	return m, true
}

// MustMsg is Msg for a key and arguments the code names itself: an unknown
// key or arguments its format does not take panic (a programming error,
// found by any test that reaches it).
func MustMsg(key string, a ...any) Message {
	m, ok := Msg(key, a...)
	if !ok {
		panic("apperr: message " + key + " unknown or given the wrong arguments")
	}
	return m
}

// ListSaid is n problems said as one message: item(i)'s messages, in
// order, each joined to the rest by the list message key (a format of two
// verbs, as KeyList's "%v; %v"), when every problem has one; false for
// none.
func ListSaid(key string, n int, item func(i int) (Message, bool)) (Message, bool) {
	var all Message
	for i := n - 1; i >= 0; i-- {
		m, ok := item(i)
		if ok && i < n-1 {
			m, ok = Msg(key, m, all)
		}
		if !ok {
			return Message{}, false
		}
		all = m
	}
	return all, n > 0
}

// Word is the message key, one without arguments, as an argument of a
// refusal's format (a status, a role), so that a page says it in its
// language (its English the word as the API writes it); fallback where
// key is not registered.
func Word(key string, fallback any) any {
	if m, ok := Msg(key); ok {
		return m
	}
	return fallback
}

// MessageOf is the message x says its whole text with: a Message, an
// *Error with a key, a Textf error, a value whose Said answers it (a list
// of problems); false for anything else.
func MessageOf(x any) (Message, bool) {
	switch v := x.(type) {
	case Message:
		return v, v.Key != ""
	case *Message:
		return *v, v != nil && v.Key != ""
	case *said:
		return v.m, true
	case *Error:
		if v != nil && v.Key != "" && Known(v.Key) && (Message{Key: v.Key, Args: v.Args}).Text("en") == v.Error() {
			return Message{Key: v.Key, Args: v.Args}, true
		}
	case interface{ Said() (Message, bool) }: // a list of problems (xform.Errors, xlsform.Errors)
		if m, ok := v.Said(); ok && Known(m.Key) && m.Text("en") == fmt.Sprint(v) {
			return m, true
		}
	}
	return Message{}, false
}

// WholeMessage is the catalog message that says err's whole text: err's
// own (MessageOf), or that of the *Error in its chain whose text is err's
// (an error a package wrapped without adding words); false for none.
func WholeMessage(err error) (Message, bool) {
	if m, ok := MessageOf(err); ok {
		return m, true
	}
	if e := As(err); e != nil && e.Error() == err.Error() {
		return e.Said()
	}
	return Message{}, false
}

// formatMsg is the message of fmt.Errorf(format, a...)'s text, when format
// is a registered message's (and only one's) English.
func formatMsg(text, format string, a ...any) (Message, bool) {
	catMu.RLock()
	key := byFormat[format]
	catMu.RUnlock()
	if key == "" {
		return Message{}, false
	}
	m, ok := Msg(key, a...)
	if !ok || m.Text("en") != text {
		return Message{}, false
	}
	return m, true
}

// said is fmt.Errorf's error that also says its text as a message.
type said struct {
	error
	m Message
}

func (s *said) Unwrap() error { return errors.Unwrap(s.error) }

// Textf is fmt.Errorf(format, a...) (%w wraps as it does), which also
// carries its text as a message when format is a registered message's
// English.
func Textf(format string, a ...any) error {
	err := fmt.Errorf(format, a...)
	if m, ok := formatMsg(err.Error(), format, a...); ok {
		return &said{err, m}
	}
	return err
}

// Text is errors.New(s), which also carries s as a message when s is a
// registered message's English (one without verbs).
func Text(s string) error {
	catMu.RLock()
	key := byFormat[s]
	catMu.RUnlock()
	if key != "" && !strings.Contains(s, "%") {
		return &said{errors.New(s), Message{Key: key}}
	}
	return errors.New(s)
}

// AtText is the error "file:line: field: " err (no "field: " when field
// is ""), said by the catalog (a French page: "fichier f.csv, ligne 3,
// colonne term : …") when err carries a message. Not an *Error: a
// caller gives it a kind (Wrap, FieldErr) or returns it as it is.
func AtText(file string, line int, field string, err error) error {
	var out error
	if field == "" {
		out = fmt.Errorf("%s:%d: %w", file, line, err)
	} else {
		out = fmt.Errorf("%s:%d: %s: %w", file, line, field, err)
	}
	why, ok := MessageOf(err)
	if e, isErr := err.(*Error); isErr && field == "" && e.Field != "" && !e.Whole && e.File == "" && e.Line == 0 && e.Scope == "" {
		field, why, ok = e.Field, Message{}, false // the error's own field, named as a column
		if m, said := e.MsgSaid(); said {
			why, ok = m, true
		}
	}
	if !ok {
		return out
	}
	m, ok := Msg(KeyAtLine, file, line, why)
	if field != "" {
		m, ok = Msg(KeyAtLineField, file, line, field, why)
	}
	if ok && m.Text("en") == out.Error() {
		return &said{out, m}
	}
	return out
}

// Say is an error of kind naming field ("" for none) whose whole text is
// the message key with a (its English; Whole).
func Say(kind Kind, field, key string, a ...any) *Error {
	m := MustMsg(key, a...)
	return &Error{Kind: kind, Field: field, Msg: m.Text("en"), Whole: true, Key: m.Key, Args: m.Args}
}

// Fieldf is Invalidf of kind: "field: " and the formatted message, which
// is said by the catalog when format is a registered message's English.
func Fieldf(kind Kind, field, format string, a ...any) *Error {
	return FieldErr(kind, field, Textf(format, a...))
}

// FieldErr is an error of kind naming field whose message is err's text
// ("field: " err), said by the catalog when err carries a message.
func FieldErr(kind Kind, field string, err error) *Error {
	e := &Error{Kind: kind, Field: field, Msg: err.Error()}
	if m, ok := MessageOf(err); ok {
		if field == "" {
			e.Key, e.Args = m.Key, m.Args
		} else if w, ok := Msg(KeyField, field, m); ok {
			e.Key, e.Args = w.Key, w.Args
		}
	}
	return e
}

// Said is e's whole text as a message, when e carries one that says
// exactly its text (a page may then say it in its language).
func (e *Error) Said() (Message, bool) { return MessageOf(e) }

// atLine gives c (at file:line now) the message of its text, when it had
// one for its text without the place.
func atLine(c *Error, was *Error, file string, line int) {
	c.Key, c.Args = "", nil
	if c.Scope != "" || file == "" || line < 0 {
		return
	}
	m, ok := was.Said()
	if !ok {
		return
	}
	var w Message
	switch field := m.Key == KeyField && !was.Whole; {
	case field && line == 0:
		w, ok = Msg(KeyAtFileField, file, was.Field, Message{Key: m.Args["1.key"], Args: sub(m.Args, "1.")})
	case field:
		w, ok = Msg(KeyAtLineField, file, line, was.Field, Message{Key: m.Args["1.key"], Args: sub(m.Args, "1.")})
	case line == 0:
		w, ok = Msg(KeyAtFile, file, m)
	default:
		w, ok = Msg(KeyAtLine, file, line, m)
	}
	if ok && w.Text("en") == c.Error() {
		c.Key, c.Args = w.Key, w.Args
	}
}

// MsgSaid is the message of e.Msg alone (without the field e's text names
// before it), when e says its text by one.
func (e *Error) MsgSaid() (Message, bool) {
	m, ok := e.Said()
	if !ok || e.Field == "" || e.Whole {
		return m, ok
	}
	if m.Key != KeyField {
		return Message{}, false
	}
	return Message{Key: m.Args["1.key"], Args: sub(m.Args, "1.")}, true
}

// csvErrs are the encoding/csv reader's errors by their catalog keys
// (CSVReason).
var csvErrs = []struct {
	key string
	err error
	fr  string
}{
	{"refusal.csv.bare-quote", csv.ErrBareQuote, "guillemet \" dans un champ sans guillemets"},
	{"refusal.csv.quote", csv.ErrQuote, "guillemet \" en trop ou manquant dans un champ entre guillemets"},
	{"refusal.csv.field-count", csv.ErrFieldCount, "nombre de champs incorrect"},
}

func init() {
	c := Catalog{
		// A *csv.ParseError's own words around its reason (CSVError).
		"refusal.csv.parse":        {"parse error on line %d, column %d: %v", "erreur de lecture à la ligne {0}, colonne {1}\u00a0: {2}"},
		"refusal.csv.record-parse": {"record on line %d; parse error on line %d, column %d: %v", "enregistrement commencé à la ligne {0}\u202f; erreur de lecture à la ligne {1}, colonne {2}\u00a0: {3}"},
		"refusal.csv.record":       {"record on line %d: %v", "enregistrement de la ligne {0}\u00a0: {1}"},
	}
	for _, e := range csvErrs {
		c[e.key] = [2]string{e.err.Error(), e.fr}
	}
	Register(c)
}

// CSVError is err (an encoding/csv reader's error) said by the catalog
// when it is a *csv.ParseError of one of the reader's reasons: its text
// as the reader wrote it, its place and reason in the page's language.
// Any other error is err as it is.
func CSVError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) || pe != err {
		return err
	}
	var out error
	switch why := CSVReason(pe.Err); {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		out = Textf("record on line %d: %v", pe.Line, why)
	case pe.StartLine != pe.Line:
		out = Textf("record on line %d; parse error on line %d, column %d: %v", pe.StartLine, pe.Line, pe.Column, why)
	default:
		out = Textf("parse error on line %d, column %d: %v", pe.Line, pe.Column, why)
	}
	if _, ok := MessageOf(out); !ok || out.Error() != err.Error() {
		return err
	}
	return out
}

// CSVReason is err (an encoding/csv ParseError's Err, or any error) said
// by the catalog when it is one of the reader's errors.
func CSVReason(err error) error {
	for _, e := range csvErrs {
		if errors.Is(err, e.err) && err.Error() == e.err.Error() {
			return &said{err, Message{Key: e.key}}
		}
	}
	return err
}

// Format is the message key's English fmt format ("" for an unknown key).
func Format(key string) string {
	catMu.RLock()
	defer catMu.RUnlock()
	return entries[key].format
}

// rereadFormat is a registered English format as a pattern that reads its
// arguments back from a text (Reread).
type rereadFormat struct {
	key   string
	re    *regexp.Regexp
	verbs []string
	words int // the format's own characters: longer is more specific
}

var (
	rereadMu      sync.Mutex
	rereadFormats []rereadFormat
	rereadCount   int // len(entries) when rereadFormats was made
)

// Reread is the registered message whose English is text, its arguments
// read back from it (an argument of a %v, %s or %w verb said as a message
// too when one says it), for a text stored as English only (a feed's last
// error): the message whose format has the most words of its own that
// says text exactly; false for none.
func Reread(text string) (Message, bool) { return reread(text, 0) }

func reread(text string, depth int) (Message, bool) {
	if depth > 8 {
		return Message{}, false
	}
	for _, f := range rereadTable() {
		g := f.re.FindStringSubmatch(text)
		if g == nil {
			continue
		}
		m := Message{Key: f.key, Args: map[string]string{}}
		for i, v := range g[1:] {
			n := strconv.Itoa(i)
			m.Args[n] = v
			if strings.ContainsAny(f.verbs[i][len(f.verbs[i])-1:], "vsw") {
				if in, ok := reread(v, depth+1); ok {
					m.Args[n+".key"] = in.Key
					for k, x := range in.Args {
						m.Args[n+"."+k] = x
					}
				}
			}
		}
		if m.Text("en") == text {
			return m, true
		}
	}
	return Message{}, false
}

// verbPattern is what fmt writes for verb, as a pattern's group: a
// number for %d, a Go-quoted text for %q, any text else.
func verbPattern(verb string) string {
	switch verb[len(verb)-1] {
	case 'd':
		return `([-+]?\d+)`
	case 'q':
		return `("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`)"
	}
	return `(.+?)`
}

// rereadTable is the registered formats said by Textf (one key each) as
// patterns, the most specific first; made again when a catalog was added.
func rereadTable() []rereadFormat {
	catMu.RLock()
	n := len(entries)
	catMu.RUnlock()
	rereadMu.Lock()
	defer rereadMu.Unlock()
	if rereadFormats != nil && rereadCount == n {
		return rereadFormats
	}
	catMu.RLock()
	var out []rereadFormat
	for format, key := range byFormat {
		// A format without words of its own ("%v, %v") would read any
		// text; a field's ("%s: %v") reads a field's name only.
		if key == "" || key != KeyField && !strings.ContainsFunc(verbRE.ReplaceAllString(format, ""), unicode.IsLetter) {
			continue
		}
		lits, verbs := verbRE.Split(format, -1), entries[key].verbs
		var b strings.Builder
		b.WriteString("^")
		words := 0
		for i, l := range lits {
			b.WriteString(regexp.QuoteMeta(l))
			words += len(l)
			switch {
			case i == 0 && key == KeyField:
				b.WriteString(`([\w.\[\]-]+)`) // a field's name, not any text before a colon
			case i < len(verbs):
				b.WriteString(verbPattern(verbs[i]))
			}
		}
		b.WriteString("$")
		out = append(out, rereadFormat{key: key, re: regexp.MustCompile(b.String()), verbs: verbs, words: words})
	}
	catMu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].words != out[j].words {
			return out[i].words > out[j].words
		}
		return out[i].key < out[j].key
	})
	rereadFormats, rereadCount = out, n
	return out
}
