package apperr

import (
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// The JSON decoder's errors (encoding/json) said by the catalog: a request
// body or a file the decoder refused (JSONReason), with the words every
// capability shares (performance names them in its own catalog too:
// Words). Only the errors whose English the catalog says exactly get a
// message; others stay as the decoder wrote them.

// The JSON decoder's errors by their catalog keys.
const (
	KeyJSONEOF   = "refusal.json.eof"   // io.ErrUnexpectedEOF: a body cut short
	KeyJSONEnd   = "refusal.json.end"   // json.Unmarshal of a cut input
	KeyJSONChar  = "refusal.json.char"  // invalid character C WHERE
	KeyJSONType  = "refusal.json.type"  // a value of the wrong type for a struct field
	KeyJSONTop   = "refusal.json.top"   // a value of the wrong type for the whole body
	KeyJSONLit   = "refusal.json.lit"   // a misspelt true, false or null
	KeyJSONField = "refusal.json.field" // an unknown field (DisallowUnknownFields)
	// KeyJSONWhere + a JSONFault's Where: the places the decoder names.
	KeyJSONWhere = "refusal.json.where."
)

// jsonWhere are the places encoding/json says it found an invalid
// character, by the name a JSONFault gives them.
var jsonWhere = map[string][2]string{
	"value":         {"looking for beginning of value", "là où une valeur devait commencer"},
	"key":           {"looking for beginning of object key string", "là où une clé d'objet devait commencer"},
	"after-key":     {"after object key", "après une clé d'objet"},
	"after-pair":    {"after object key:value pair", "après une paire clé:valeur d'objet"},
	"after-element": {"after array element", "après un élément de tableau"},
	"after-top":     {"after top-level value", "après la valeur de premier niveau"},
	"in-string":     {"in string literal", "dans une chaîne"},
	"in-number":     {"in numeric literal", "dans un nombre"},
	"in-escape":     {"in string escape code", "dans un échappement de chaîne"},
	"in-unicode":    {"in \\u hexadecimal character escape", "dans un échappement \\u hexadécimal"},
}

func init() {
	c := Catalog{
		KeyJSONEOF:   {"unexpected EOF", "fin inattendue : le JSON est incomplet"},
		KeyJSONEnd:   {"unexpected end of JSON input", "fin inattendue des données JSON"},
		KeyJSONChar:  {"invalid character %s %v", "caractère {0} invalide {1}"},
		KeyJSONType:  {"json: cannot unmarshal %s into Go struct field %s of type %s", "json : une valeur {0} ne peut pas aller dans le champ {1} de type {2}"},
		KeyJSONField: {"json: unknown field %s", "json : champ inconnu {0}"},
		KeyJSONTop:   {"json: cannot unmarshal %s into Go value of type %s", "json : une valeur {0} ne peut pas aller dans une valeur de type {1}"},
		KeyJSONLit:   {"invalid character %s in literal %s (expecting %s)", "caractère {0} invalide dans le littéral {1} (attendu {2})"},
	}
	for name, t := range jsonWhere {
		c[KeyJSONWhere+name] = t
	}
	Register(c)
}

// JSONFault is what an encoding/json decoder error says, in parts: Key is
// its catalog key (KeyJSONEOF …) and Args its arguments as the key's
// English format takes them, for KeyJSONChar the character (quoted as the
// decoder quotes it) and Where, the place's name (KeyJSONWhere+Where).
type JSONFault struct {
	Key   string
	Args  []string
	Where string
}

var (
	invalidChar = regexp.MustCompile(`^invalid character (.+?) ((?:looking|after|in) .+)$`)
	invalidLit  = regexp.MustCompile(`^invalid character (.+?) in literal (true|false|null) \(expecting (.+)\)$`)
)

// ReadJSONError is the fault err (an error of encoding/json's decoder)
// says; false for one the catalog has no words for (literals, escapes, a
// top-level value of the wrong type …).
func ReadJSONError(err error) (JSONFault, bool) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	s := err.Error()
	var f JSONFault
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		f.Key = KeyJSONEOF
	case errors.As(err, &se) && s == "unexpected end of JSON input":
		f.Key = KeyJSONEnd
	case errors.As(err, &se) && invalidLit.MatchString(s):
		f = JSONFault{Key: KeyJSONLit, Args: invalidLit.FindStringSubmatch(s)[1:]}
	case errors.As(err, &se):
		g := invalidChar.FindStringSubmatch(s)
		if g == nil {
			return f, false
		}
		for name, t := range jsonWhere {
			if t[0] == g[2] {
				f = JSONFault{Key: KeyJSONChar, Args: []string{g[1]}, Where: name}
			}
		}
		if f.Key == "" {
			return f, false
		}
	case errors.As(err, &te) && (te.Struct != "" || te.Field != ""):
		f = JSONFault{Key: KeyJSONType, Args: []string{te.Value, te.Struct + "." + te.Field, te.Type.String()}}
	case errors.As(err, &te):
		f = JSONFault{Key: KeyJSONTop, Args: []string{te.Value, te.Type.String()}}
	case strings.HasPrefix(s, "json: unknown field "):
		f = JSONFault{Key: KeyJSONField, Args: []string{strings.TrimPrefix(s, "json: unknown field ")}}
	default:
		return f, false
	}
	if f.Message().Text("en") != s {
		return JSONFault{}, false
	}
	return f, true
}

// Message is the fault as a message of the catalog.
func (f JSONFault) Message() Message {
	a := make([]any, 0, len(f.Args)+1)
	for _, x := range f.Args {
		a = append(a, x)
	}
	if f.Key == KeyJSONChar {
		a = append(a, Message{Key: KeyJSONWhere + f.Where})
	}
	m, _ := Msg(f.Key, a...)
	return m
}

// JSONReason is err (an encoding/json decoder's error) said by the catalog
// when it has words for it, else err as it is.
func JSONReason(err error) error {
	if f, ok := ReadJSONError(err); ok {
		return &said{err, f.Message()}
	}
	return err
}

// Words is the message key's English and French with their placeholders
// {0}, {1}… named names[0], names[1]… instead ({char}, {where}): a
// catalog with named arguments (performance's) saying the same words.
func Words(key string, names ...string) [2]string {
	catMu.RLock()
	e := entries[key]
	catMu.RUnlock()
	var out [2]string
	for i, s := range []string{e.en, e.fr} {
		for n, name := range names {
			s = strings.ReplaceAll(s, "{"+strconv.Itoa(n)+"}", "{"+name+"}")
		}
		out[i] = s
	}
	return out
}
