package apperr

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
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
	// KeyJSONWord + a word: a JSON value's kind or a Go type the decoder
	// names in KeyJSONType and KeyJSONTop (JSONFault.Word).
	KeyJSONWord = "refusal.json.w."
)

// jsonWords are the JSON values' kinds and the Go types the decoder names
// (UnmarshalTypeError's Value and Type), said as the pages say them: a
// key's English is the decoder's word exactly; "number %s" is a number
// that does not fit, "kind.*" a Go type by its kind with its name
// (auth.Role: "une chaîne (auth.Role)").
var jsonWords = map[string][2]string{
	"string": {"string", "une chaîne"}, "number": {"number", "un nombre"}, "bool": {"bool", "un booléen"},
	"array": {"array", "un tableau"}, "object": {"object", "un objet"}, "number-lit": {"number %s", "le nombre {0}"},
	"go.string": {"string", "une chaîne"}, "go.bool": {"bool", "un booléen"}, "go.int": {"int", "un entier"}, "go.int64": {"int64", "un entier"}, "go.int32": {"int32", "un entier"},
	"go.uint": {"uint", "un entier positif ou nul"}, "go.uint64": {"uint64", "un entier positif ou nul"},
	"go.uint32": {"uint32", "un entier positif ou nul"}, "go.float64": {"float64", "un nombre"},
	"go.string-list": {"[]string", "une liste de chaînes"}, "go.int64-list": {"[]int64", "une liste d'entiers"},
	"go.int-list": {"[]int", "une liste d'entiers"}, "go.float64-list": {"[]float64", "une liste de nombres"},
	"kind.string": {"%s", "une chaîne ({0})"}, "kind.int": {"%s", "un entier ({0})"}, "kind.uint": {"%s", "un entier positif ou nul ({0})"},
	"kind.float": {"%s", "un nombre ({0})"}, "kind.bool": {"%s", "un booléen ({0})"}, "kind.list": {"%s", "une liste ({0})"},
	"kind.object": {"%s", "un objet ({0})"},
}

// jsonWordKeys are jsonWords' keys of the words without a verb by their
// English: [0] a JSON value's, [1] a Go type's.
var jsonWordKeys = [2]map[string]string{{}, {}}

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
		KeyJSONType:  {"json: cannot unmarshal %s into Go struct field %s of type %s", "json : impossible de lire {0} dans le champ {1}, qui attend {2}"},
		KeyJSONField: {"json: unknown field %s", "json : champ inconnu {0}"},
		KeyJSONTop:   {"json: cannot unmarshal %s into Go value of type %s", "json : impossible de lire {0} comme {1}"},
		KeyJSONLit:   {"invalid character %s in literal %s (expecting %s)", "caractère {0} invalide dans le littéral {1} (attendu {2})"},
	}
	for name, t := range jsonWhere {
		c[KeyJSONWhere+name] = t
	}
	words := Catalog{} // said by key (jsonWordKeys, kindWords): "%s" is every kind's English
	for name, t := range jsonWords {
		words[KeyJSONWord+name] = t
		if !strings.Contains(t[0], "%") {
			goType := 0
			if strings.HasPrefix(name, "go.") {
				goType = 1
			}
			jsonWordKeys[goType][t[0]] = KeyJSONWord + name
		}
	}
	Register(c)
	register(words, false)
}

// JSONFault is what an encoding/json decoder error says, in parts: Key is
// its catalog key (KeyJSONEOF …) and Args its arguments as the key's
// English format takes them, for KeyJSONChar the character (quoted as the
// decoder quotes it) and Where, the place's name (KeyJSONWhere+Where).
// For KeyJSONType and KeyJSONTop, kind is the Go type's kind (a word for
// a type the catalog does not name: Word).
type JSONFault struct {
	Key   string
	Args  []string
	Where string
	kind  reflect.Kind
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
		f = JSONFault{Key: KeyJSONType, Args: []string{te.Value, te.Struct + "." + te.Field, te.Type.String()}, kind: kindOf(te.Type)}
	case errors.As(err, &te):
		f = JSONFault{Key: KeyJSONTop, Args: []string{te.Value, te.Type.String()}, kind: kindOf(te.Type)}
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

// kindOf is t's kind, a pointer's element's.
func kindOf(t reflect.Type) reflect.Kind {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return reflect.Invalid
	}
	return t.Kind()
}

// kindWords are the jsonWords of a Go type by its kind.
var kindWords = map[reflect.Kind]string{
	reflect.String: "kind.string", reflect.Bool: "kind.bool", reflect.Float32: "kind.float", reflect.Float64: "kind.float",
	reflect.Int: "kind.int", reflect.Int8: "kind.int", reflect.Int16: "kind.int", reflect.Int32: "kind.int", reflect.Int64: "kind.int",
	reflect.Uint: "kind.uint", reflect.Uint8: "kind.uint", reflect.Uint16: "kind.uint", reflect.Uint32: "kind.uint", reflect.Uint64: "kind.uint",
	reflect.Slice: "kind.list", reflect.Array: "kind.list", reflect.Struct: "kind.object", reflect.Map: "kind.object",
}

// Word is the fault's argument i said by a word of the catalog (a JSON
// value's kind, a Go type), false for an argument said as it is (a field,
// a character, a type the catalog has no word for).
func (f JSONFault) Word(i int) (Message, bool) {
	if (f.Key != KeyJSONType && f.Key != KeyJSONTop) || i < 0 || i >= len(f.Args) || (f.Key == KeyJSONType && i == 1) {
		return Message{}, false
	}
	a, goType := f.Args[i], 0
	if i > 0 {
		goType = 1
	}
	if k := jsonWordKeys[goType][a]; k != "" {
		return Message{Key: k}, true
	}
	if n, ok := strings.CutPrefix(a, "number "); ok && i == 0 {
		return Msg(KeyJSONWord+"number-lit", n)
	}
	if w := kindWords[f.kind]; w != "" && i == len(f.Args)-1 {
		return Msg(KeyJSONWord+w, a)
	}
	return Message{}, false
}

// Message is the fault as a message of the catalog.
func (f JSONFault) Message() Message {
	a := make([]any, 0, len(f.Args)+1)
	for i, x := range f.Args {
		if w, ok := f.Word(i); ok {
			a = append(a, w)
			continue
		}
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
