package performance

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// The package's refusals said by catalog messages (Reasons' err.* and
// fw.* entries): each error keeps the English text it has always had,
// which is its message's English, and carries the message (apperr Key and
// Args, FieldErr.Why) for a page to say it in its language. fwErr and
// refuse (framework.go) make a plain one.

// msgOf is the catalog message that says err's whole text: a refusal made
// by refuse, an apperr error with a key, a framework's FieldErr with one;
// nil when err has none, or when the message's English is not err's text
// (an argument that happens to be a catalog code).
func msgOf(err error) *Msg {
	var m *Msg
	switch e := err.(type) {
	case fwErr:
		m = &e.m
	case *apperr.Error:
		if e.Key != "" {
			m = &Msg{Code: e.Key, Args: e.Args}
		}
	case *FieldErr:
		m = e.Message()
	}
	if m == nil || m.Text("en") != err.Error() {
		return nil
	}
	return m
}

// keyed gives ae the message m as its key and arguments, when m says ae's
// whole text.
func keyed(ae *apperr.Error, m Msg) *apperr.Error {
	if m.Text("en") == ae.Error() {
		ae.Key, ae.Args = m.Code, m.Args
	}
	return ae
}

// invalid is bad input naming field ("field: message", as apperr.Invalid
// writes it), said by the catalog message code with its arguments (name,
// value pairs as msg takes them).
func invalid(field, code string, kv ...any) *apperr.Error {
	return invalidErr(field, refuse(code, kv...))
}

// invalidErr is apperr.Invalid(field, err's text), keyed by err's message
// with the field (err.field) when err has one.
func invalidErr(field string, err error) *apperr.Error {
	ae := apperr.Invalid(field, err.Error())
	if m := msgOf(err); m != nil {
		keyed(ae, msg("err.field", "field", field, "field_why", m))
	}
	return ae
}

// refused is bad input whose message names its field itself
// (apperr.Refuse), said by the catalog message code.
func refused(field, code string, kv ...any) *apperr.Error {
	m := msg(code, kv...)
	return keyed(apperr.Refuse(apperr.KindInvalid, field, "%s", m.Text("en")), m)
}

// within is err in a context: text is the whole English (err's own text
// at its end), said by the message code with kv and err's message as its
// argument whyArg when err has one. An apperr error in err keeps its kind
// and field (the text is whole); another stays in the chain.
func within(err error, text, code, whyArg string, kv ...any) error {
	var m *Msg
	if w := msgOf(err); w != nil {
		if x := msg(code, append(kv, whyArg, *w)...); x.Text("en") == text {
			m = &x
		}
	}
	if ae := apperr.As(err); ae != nil {
		out := &apperr.Error{Kind: ae.Kind, Field: ae.Field, Msg: text, Err: err, Whole: true}
		if m != nil {
			out.Key, out.Args = m.Code, m.Args
		}
		return out
	}
	if m != nil {
		return fwErr{*m}
	}
	return fmt.Errorf("%s%w", strings.TrimSuffix(text, err.Error()), err)
}

// storeErr is err of kind as a Store returns it (apperr.Wrap: the domain
// error stays in the chain), said by m.
func storeErr(kind apperr.Kind, err error, m Msg) error {
	ae := apperr.As(apperr.Wrap(kind, "", err))
	return keyed(ae, m)
}

// NoFramework is ErrNoFramework for mission as a Store returns it: not
// found, "MISSION: no results framework stored for this mission".
func NoFramework(mission string) error {
	return storeErr(apperr.KindNotFound, fmt.Errorf("%s: %w", mission, ErrNoFramework), msg("err.no-framework", "mission", mission))
}

// Changed is ErrConflict as a Store returns it: mission's framework is at
// revision at, not the revision read the change was made on.
func Changed(mission string, at, read int) error {
	return storeErr(apperr.KindConflict, fmt.Errorf("framework %s is at revision %d, not %d: %w", mission, at, read, ErrConflict),
		msg("err.changed", "mission", mission, "rev", at, "read", read))
}

// NoOption is ErrNoOption for option id of mission as a Store returns it.
func NoOption(id int64, mission string) error {
	return storeErr(apperr.KindNotFound, fmt.Errorf("option %d of %s: %w", id, mission, ErrNoOption), msg("err.no-option", "option", id, "mission", mission))
}

// csvErr is an error of encoding/csv's reader (a *csv.ParseError) said by
// its catalog message when it has one, else err; header says it happened
// reading the header ("cannot read the header: …", an empty file's EOF).
func csvErr(err error, header bool) error {
	var pe *csv.ParseError
	var m *Msg
	switch {
	case header && errors.Is(err, io.EOF):
		x := msg("err.csv-empty")
		m = &x
	case errors.As(err, &pe) && csvCodes[pe.Err] != "":
		x := msg("err.csv-parse", "line", pe.Line, "col", pe.Column, "csv_err", Msg{Code: csvCodes[pe.Err]})
		if pe.StartLine != pe.Line {
			x = msg("err.csv-parse-record", "start", pe.StartLine, "line", pe.Line, "col", pe.Column, "csv_err", Msg{Code: csvCodes[pe.Err]})
		}
		if header {
			x = msg("err.csv-header", "csv_why", x)
		}
		m = &x
	}
	text := err.Error()
	if header {
		text = "cannot read the header: " + text
	}
	if m == nil || m.Text("en") != text {
		return errors.New(text)
	}
	return fwErr{*m}
}

// colArg is a refusal's column as its argument: the pseudo-columns
// "(header)", "(row)" and "(rows)" as catalog words (err.col.*), for a
// French reader; a column of the file as it is named.
func colArg(column string) string {
	if c := "err.col." + strings.Trim(column, "()"); strings.HasPrefix(column, "(") {
		if _, ok := Reasons[c]; ok {
			return c
		}
	}
	return column
}

// Acknowledged is the conflict a Store returns when the leadership alert
// was acknowledged before (by whom, when: RFC 3339): "alert: the alert was
// already acknowledged by BY at AT".
func Acknowledged(by string, at time.Time) error {
	when := at.UTC().Format(time.RFC3339)
	ae := apperr.Conflict("alert", fmt.Sprintf("the alert was already acknowledged by %s at %s", by, when))
	return keyed(ae, msg("err.field", "field", "alert", "field_why", msg("err.acked", "by", by, "at", when)))
}

// jsonCodes are the catalog codes of apperr's messages of encoding/json's
// decoder errors (apperr.ReadJSONError), with the names of their
// arguments; their words are apperr's (init), the places the decoder names
// err.json.WHERE.
var jsonCodes = map[string]struct {
	code  string
	names []string
}{
	apperr.KeyJSONEOF:   {"err.json-eof", nil},
	apperr.KeyJSONEnd:   {"err.json-end", nil},
	apperr.KeyJSONChar:  {"err.json-char", []string{"char", "json_where"}},
	apperr.KeyJSONType:  {"err.json-type", []string{"json_field", "json_value", "json_type"}},
	apperr.KeyJSONField: {"err.json-field", []string{"name"}},
	apperr.KeyJSONTop:   {"err.json-top", []string{"json_value", "json_type"}},
	apperr.KeyJSONLit:   {"err.json-lit", []string{"char", "literal", "expect"}},
}

// csvCodes are the catalog codes of apperr's words for encoding/csv's
// errors a framework CSV may meet (FieldsPerRecord is -1: no field count).
var csvCodes = map[error]string{csv.ErrBareQuote: "err.csv.bare-quote", csv.ErrQuote: "err.csv.quote"}

func init() {
	Reasons["err.csv-parse"] = apperr.Words("refusal.csv.parse", "line", "col", "csv_err")
	Reasons["err.csv-parse-record"] = apperr.Words("refusal.csv.record-parse", "start", "line", "col", "csv_err")
	Reasons["err.csv.bare-quote"] = apperr.Words("refusal.csv.bare-quote")
	Reasons["err.csv.quote"] = apperr.Words("refusal.csv.quote")
	for key, c := range jsonCodes {
		Reasons[c.code] = apperr.Words(key, c.names...)
	}
	for _, key := range apperr.Keys(apperr.KeyJSONWhere) {
		Reasons["err.json."+strings.TrimPrefix(key, apperr.KeyJSONWhere)] = apperr.Words(key)
	}
	for _, key := range apperr.Keys(apperr.KeyJSONWord) {
		Reasons[jsonWordCode(key)] = apperr.Words(key, "json_lit") // a number's literal: "le nombre {json_lit}"
	}
}

// jsonWordCode is the code of apperr's word key (a JSON value, what a
// field wants: apperr.JSONFault.Word).
func jsonWordCode(key string) string {
	return "err.json.w." + strings.TrimPrefix(key, apperr.KeyJSONWord)
}

// jsonMsg is the catalog message of an error of encoding/json's decoder
// (a syntax error, an unknown field, a value of the wrong type); nil for
// one the catalog has no words for.
func jsonMsg(err error) *Msg {
	f, ok := apperr.ReadJSONError(err)
	if !ok {
		return nil
	}
	c, ok := jsonCodes[f.Key]
	if !ok {
		return nil
	}
	var kv []any
	for i, a := range f.Args {
		if w, ok := f.Word(i); ok {
			var wkv []any
			if v, has := w.Args["0"]; has {
				wkv = []any{"json_lit", v}
			}
			kv = append(kv, c.names[i], msg(jsonWordCode(w.Key), wkv...))
			continue
		}
		kv = append(kv, c.names[i], a)
	}
	if f.Key == apperr.KeyJSONChar {
		kv = append(kv, "json_where", "err.json."+f.Where)
	}
	m := msg(c.code, kv...)
	if m.Text("en") != f.Message().Text("en") { // apperr's English (a wrong type's in JSON words)
		return nil
	}
	return &m
}

// jsonErr is a decoder's error said by its catalog message when it has
// one (a framework file's: FieldErr.Why), else err.
func jsonErr(err error) error {
	if m := jsonMsg(err); m != nil {
		return fwErr{*m}
	}
	return err
}

// InvalidJSON is the catalog message of a request body the JSON decoder
// refused, as the API says it ("invalid JSON: " and the decoder's error:
// err.invalid-json), for the HTTP edge to answer as the error's key and
// args; nil when the decoder's error has no words in the catalog.
func InvalidJSON(err error) *Msg {
	w := jsonMsg(err)
	if w == nil {
		return nil
	}
	m := msg("err.invalid-json", "json_why", w)
	return &m
}
