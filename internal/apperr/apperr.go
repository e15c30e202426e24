// Package apperr is Vigil's one error vocabulary: invalid input, not found,
// conflict, forbidden and unavailable, which domain packages return (or wrap)
// and the HTTP edge maps to a status in one place.
//
// An *Error names what is wrong and, for invalid input, the field and (for
// imports) the file and line:
//
//	apperr.Invalid("lat", "95 out of range")            // lat: 95 out of range
//	apperr.AtLine("plan.csv", 7, err)                   // plan.csv:7: lat: 95 out of range
//	errors.Is(err, apperr.ErrNotFound)                  // any not-found error
//	apperr.KindOf(err) == apperr.KindUnavailable        // a busy or read-only store
//
// The zero Kind is KindInvalid, so a literal &apperr.Error{Field: f, Msg: m}
// is invalid input.
package apperr

import (
	"errors"
	"fmt"
	"strconv"
)

// Kind is what sort of failure an error is; the HTTP edge maps each to one
// status (400, 404, 409, 403, 503, 401, 413, 415, 422, 429).
type Kind uint8

// The kinds of failure.
const (
	KindInvalid         Kind = iota // bad input: 400
	KindNotFound                    // no such record: 404
	KindConflict                    // the request clashes with the current state: 409
	KindForbidden                   // a wrong secret or a role that may not: 403
	KindUnavailable                 // the store cannot take it now; try again later: 503
	KindUnauthenticated             // no one is logged in: 401
	KindTooLarge                    // the input is over its size limit: 413
	KindUnsupported                 // a media type that is not taken: 415
	KindUnprocessable               // well-formed input that cannot be used as it is: 422
	KindTooMany                     // too many attempts (failed logins); wait: 429
)

var kindNames = [...]string{"invalid", "not found", "conflict", "forbidden", "unavailable",
	"unauthenticated", "too large", "unsupported", "unprocessable", "too many"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a failure of a Kind. Its text is
// "[scope: ][file[:line]: ][field: ]msg", or "line N: [field: ]msg" for a
// line of an input that has no file name (a form's XML).
type Error struct {
	Kind  Kind
	Scope string // optional prefix naming the format that reports it, e.g. "cap"
	File  string // for imports: the file (or upload name)
	Line  int    // for imports: the 1-based line (or record) in File; 0: the file as a whole
	Field string // the offending field or column, if any
	Msg   string // what is wrong
	Err   error  // the underlying cause, if any (Unwrap)
	// Whole marks Msg as already naming its field (as the domain error it
	// was made from did): Error() adds no field prefix.
	Whole bool
	// Key and Args, when set, say the whole message as a key of the
	// capability's message catalog with its arguments (e.g. performance's
	// fw.* reasons), so that a user interface can say it in its language;
	// Error() stays the English text.
	Key  string
	Args map[string]string
}

func (e *Error) Error() string {
	s := e.Msg
	if e.Field != "" && !e.Whole {
		s = e.Field + ": " + s
	}
	switch {
	case e.File != "" && e.Line > 0:
		s = e.File + ":" + strconv.Itoa(e.Line) + ": " + s
	case e.File != "":
		s = e.File + ": " + s
	case e.Line > 0:
		s = "line " + strconv.Itoa(e.Line) + ": " + s
	}
	if e.Scope != "" {
		s = e.Scope + ": " + s
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) (and the other Err* sentinels) true
// for every error of that kind, whatever its message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || !isSentinel(t) {
		return false
	}
	return t.Kind == e.Kind
}

// Sentinels, one per kind: errors.Is(err, ErrNotFound) reports whether err
// is (or wraps) any not-found error. Domain packages may return them as
// they are.
var (
	ErrInvalid     = &Error{Kind: KindInvalid, Msg: "invalid"}
	ErrNotFound    = &Error{Kind: KindNotFound, Msg: "not found"}
	ErrConflict    = &Error{Kind: KindConflict, Msg: "conflict"}
	ErrForbidden   = &Error{Kind: KindForbidden, Msg: "forbidden"}
	ErrUnavailable = &Error{Kind: KindUnavailable, Msg: "unavailable"}
)

func isSentinel(e *Error) bool {
	switch e {
	case ErrInvalid, ErrNotFound, ErrConflict, ErrForbidden, ErrUnavailable:
		return true
	}
	return false
}

// Invalid returns a bad-input error naming field ("" for none).
func Invalid(field, msg string) *Error {
	return &Error{Kind: KindInvalid, Field: field, Msg: msg}
}

// Invalidf is Invalid with a formatted message.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// NotFound returns a not-found error with msg.
func NotFound(msg string) *Error { return &Error{Kind: KindNotFound, Msg: msg} }

// Conflict returns an error for a request that clashes with the current
// state, naming field ("" for none).
func Conflict(field, msg string) *Error {
	return &Error{Kind: KindConflict, Field: field, Msg: msg}
}

// New returns an error of kind with msg (no field).
func New(kind Kind, msg string) *Error { return &Error{Kind: kind, Msg: msg} }

// Forbidden returns a forbidden error with msg.
func Forbidden(msg string) *Error { return &Error{Kind: KindForbidden, Msg: msg} }

// Unavailable returns an error saying the operation may succeed later,
// wrapping cause.
func Unavailable(msg string, cause error) *Error {
	return &Error{Kind: KindUnavailable, Msg: msg, Err: cause}
}

// AtLine places err at line of file (an import): an *Error in err keeps its
// kind, field and message and gains the file and line; any other error
// becomes invalid input with err's text. A nil err stays nil.
func AtLine(file string, line int, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && !isSentinel(e) {
		c := *e
		c.File, c.Line = file, line
		atLine(&c, e, file, line)
		return &c
	}
	return &Error{Kind: KindInvalid, File: file, Line: line, Msg: err.Error(), Err: err}
}

// At is AtLine for an error built here: invalid input at file:line naming
// field ("" for none).
func At(file string, line int, field, msg string) *Error {
	return &Error{Kind: KindInvalid, File: file, Line: line, Field: field, Msg: msg}
}

// Wrap gives err a kind and the field at fault ("" for none): err's text is
// kept whole as the message and err stays in the chain, so errors.Is and
// errors.As still find it. For a domain error whose text already names the
// place (file:line, column), e.g. a rejected import. A nil err stays nil.
func Wrap(kind Kind, field string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Kind: kind, Field: field, Msg: err.Error(), Err: err, Whole: true}
	if m, ok := MessageOf(err); ok {
		e.Key, e.Args = m.Key, m.Args
	}
	return e
}

// Refuse returns an error of kind whose formatted text is the whole
// message (it names the field itself), naming field ("" for none).
func Refuse(kind Kind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Msg: fmt.Sprintf(format, args...), Whole: true}
}

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf returns the kind of the first *Error in err's chain; ok is false
// when there is none (an unexpected failure).
func KindOf(err error) (k Kind, ok bool) {
	if e := As(err); e != nil {
		return e.Kind, true
	}
	return 0, false
}

// IsInvalid reports whether err is (or wraps) bad input.
func IsInvalid(err error) bool { k, ok := KindOf(err); return ok && k == KindInvalid }

// FieldOf returns the field named by the first *Error in err's chain, or "".
func FieldOf(err error) string {
	if e := As(err); e != nil {
		return e.Field
	}
	return ""
}
