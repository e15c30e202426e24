package surveys

import (
	"encoding/json"
	"unicode/utf8"
)

// answerDecoder reads sealed answers once opened: the JSON object of
// strings Submit writes (json.Marshal of a flat map). Reading 100,000 of
// them with encoding/json took about a third of the time of a raking
// check over them (docs/benchmarks.md, "Surveys"), so the plain case — no
// escape, as nearly every answer is — is read here, and anything else
// (an escape, another kind of value, bytes that are not UTF-8, a document
// that is not JSON) by encoding/json, so that the result is always the
// one json.Unmarshal gives (TestDecodeAnswers, FuzzDecodeAnswers). The
// keys and values met are kept (up to internMax) and reused: a form's
// field names and its choices repeat from one answer to the next.
type answerDecoder struct {
	seen map[string]string
}

// internMax bounds the strings an answerDecoder keeps.
const internMax = 4096

// decodeAnswers is one answerDecoder's decode (tests).
func decodeAnswers(doc []byte, row map[string]string) error {
	var d answerDecoder
	return d.decode(doc, row)
}

// decode reads doc into row (emptied first when encoding/json reads it).
func (d *answerDecoder) decode(doc []byte, row map[string]string) error {
	if d.plain(doc, row) {
		return nil
	}
	clear(row)
	return json.Unmarshal(doc, &row)
}

// plain reads doc into row when it is an object of plain strings, and
// reports whether it was (row may be partly filled when it was not).
func (d *answerDecoder) plain(doc []byte, row map[string]string) bool {
	i := skipSpace(doc, 0)
	if i == len(doc) || doc[i] != '{' {
		return false
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return skipSpace(doc, i+1) == len(doc)
	}
	for {
		k, j, ok := plainString(doc, i)
		if !ok {
			return false
		}
		if i = skipSpace(doc, j); i == len(doc) || doc[i] != ':' {
			return false
		}
		v, j, ok := plainString(doc, skipSpace(doc, i+1))
		if !ok {
			return false
		}
		row[d.str(k)] = d.str(v)
		if i = skipSpace(doc, j); i == len(doc) {
			return false
		}
		switch doc[i] {
		case ',':
			i = skipSpace(doc, i+1)
		case '}':
			return skipSpace(doc, i+1) == len(doc)
		default:
			return false
		}
	}
}

// str is b as a string, the one kept when b was met before.
func (d *answerDecoder) str(b []byte) string {
	if s, ok := d.seen[string(b)]; ok {
		return s
	}
	s := string(b)
	if d.seen == nil {
		d.seen = map[string]string{}
	}
	if len(d.seen) < internMax {
		d.seen[s] = s
	}
	return s
}

// plainString is the JSON string at doc[i] without its quotes and the
// index after it, when it has no escape or control character and is
// UTF-8; ok is false otherwise.
func plainString(doc []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(doc) || doc[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(doc); j++ {
		switch c := doc[j]; {
		case c == '"':
			s = doc[i+1 : j]
			return s, j + 1, utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, j, false
		}
	}
	return nil, len(doc), false
}

// skipSpace is the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}
