package apperr

import (
	"encoding"
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
// Words). A syntax error or an unknown field is said as the decoder
// wrote it; a value of the wrong type in JSON words, naming the field by
// its JSON path and never a Go type ("json: field url: cannot use a
// number here, want a string"). Errors the catalog has no words for stay
// as the decoder wrote them.

// The JSON decoder's errors by their catalog keys.
const (
	KeyJSONEOF   = "refusal.json.eof"   // io.ErrUnexpectedEOF: a body cut short
	KeyJSONEnd   = "refusal.json.end"   // json.Unmarshal of a cut input
	KeyJSONChar  = "refusal.json.char"  // invalid character C WHERE
	KeyJSONType  = "refusal.json.type"  // a field's value of the wrong type: field, value, wanted
	KeyJSONTop   = "refusal.json.top"   // the whole body's value of the wrong type: value, wanted
	KeyJSONLit   = "refusal.json.lit"   // a misspelt true, false or null
	KeyJSONField = "refusal.json.field" // an unknown field (DisallowUnknownFields)
	// KeyJSONWhere + a JSONFault's Where: the places the decoder names.
	KeyJSONWhere = "refusal.json.where."
	// KeyJSONWord + a word: a JSON value (the decoder's word for the value
	// it met: "string", "number-lit") or what a field wants ("int8",
	// "strings"), said in KeyJSONType and KeyJSONTop (JSONFault.Word).
	KeyJSONWord = "refusal.json.w."
)

// jsonWords are the words of a JSON value, and of what a field wants,
// said as the pages say them; "number-lit" is a number that does not fit
// (the decoder's "number 300").
var jsonWords = map[string][2]string{
	"string":     {"a string", "une chaîne"},
	"number":     {"a number", "un nombre"},
	"bool":       {"a boolean", "un booléen"},
	"array":      {"an array", "un tableau"},
	"object":     {"an object", "un objet"},
	"number-lit": {"the number %s", "le nombre {0}"},
	"int":        {"an integer", "un entier"},
	"int8":       {"an integer from -128 to 127", "un entier de -128 à 127"},
	"int16":      {"an integer from -32768 to 32767", "un entier de -32768 à 32767"},
	"int32":      {"an integer from -2147483648 to 2147483647", "un entier de -2147483648 à 2147483647"},
	"uint":       {"an integer 0 or more", "un entier positif ou nul"},
	"uint8":      {"an integer from 0 to 255", "un entier de 0 à 255"},
	"uint16":     {"an integer from 0 to 65535", "un entier de 0 à 65535"},
	"uint32":     {"an integer from 0 to 4294967295", "un entier de 0 à 4294967295"},
	"strings":    {"an array of strings", "un tableau de chaînes"},
	"ints":       {"an array of integers", "un tableau d’entiers"},
	"numbers":    {"an array of numbers", "un tableau de nombres"},
	"objects":    {"an array of objects", "un tableau d’objets"},
	"other":      {"a value of another type", "une valeur d’un autre type"},
}

// valueWords are the jsonWords of the values the decoder names
// (UnmarshalTypeError.Value) by the decoder's word.
var valueWords = map[string]string{"string": "string", "number": "number", "bool": "bool", "array": "array", "object": "object"}

// jsonWhere are the places encoding/json says it found an invalid
// character, by the name a JSONFault gives them.
var jsonWhere = map[string][2]string{
	"value":         {"looking for beginning of value", "là où une valeur devait commencer"},
	"key":           {"looking for beginning of object key string", "là où une clé d’objet devait commencer"},
	"after-key":     {"after object key", "après une clé d’objet"},
	"after-pair":    {"after object key:value pair", "après une paire clé:valeur d’objet"},
	"after-element": {"after array element", "après un élément de tableau"},
	"after-top":     {"after top-level value", "après la valeur de premier niveau"},
	"in-string":     {"in string literal", "dans une chaîne"},
	"in-number":     {"in numeric literal", "dans un nombre"},
	"in-escape":     {"in string escape code", "dans un échappement de chaîne"},
	"in-unicode":    {"in \\u hexadecimal character escape", "dans un échappement \\u hexadécimal"},
}

func init() {
	c := Catalog{
		KeyJSONEOF:   {"unexpected EOF", "fin inattendue\u00a0: le JSON est incomplet"},
		KeyJSONEnd:   {"unexpected end of JSON input", "fin inattendue des données JSON"},
		KeyJSONChar:  {"invalid character %s %v", "caractère {0} invalide {1}"},
		KeyJSONType:  {"json: field %s: cannot use %s here, want %s", "json\u00a0: champ {0}\u00a0: {1} ne convient pas, il faut {2}"},
		KeyJSONField: {"json: unknown field %s", "json\u00a0: champ inconnu «\u202f{0:q}\u202f»"}, // the decoder's quoted name ("adress")
		KeyJSONTop:   {"json: top-level value: cannot use %s here, want %s", "json\u00a0: valeur de premier niveau\u00a0: {0} ne convient pas, il faut {1}"},
		KeyJSONLit:   {"invalid character %s in literal %s (expecting %s)", "caractère {0} invalide dans le littéral {1} (attendu {2})"},
	}
	for name, t := range jsonWhere {
		c[KeyJSONWhere+name] = t
	}
	words := Catalog{} // said by key only (valueWords, wantWord)
	for name, t := range jsonWords {
		words[KeyJSONWord+name] = t
	}
	Register(c)
	register(words, false)
}

// JSONFault is what an encoding/json decoder error says, in parts: Key is
// its catalog key (KeyJSONEOF …) and Args its arguments as the key's
// English format takes them, for KeyJSONChar the character (quoted as the
// decoder quotes it) and Where, the place's name (KeyJSONWhere+Where).
// For KeyJSONType (the field's JSON path, the value, what the field
// wants) and KeyJSONTop (the value, what the body wants), the value is
// the decoder's word ("number", "number 300") and what is wanted a word
// of the catalog ("int8": Word).
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
// says; false for one the catalog has no words for (a nesting too deep,
// a ,string tag misused …).
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
	case errors.As(err, &te) && te.Field != "":
		f = JSONFault{Key: KeyJSONType, Args: []string{te.Field, te.Value, wantWord(te.Type)}}
	case errors.As(err, &te):
		f = JSONFault{Key: KeyJSONTop, Args: []string{te.Value, wantWord(te.Type)}}
	case strings.HasPrefix(s, "json: unknown field "):
		f = JSONFault{Key: KeyJSONField, Args: []string{strings.TrimPrefix(s, "json: unknown field ")}}
	default:
		return f, false
	}
	if f.Key == KeyJSONType || f.Key == KeyJSONTop {
		if _, ok := f.Word(len(f.Args) - 2); !ok { // a value the decoder names with a word of its own
			return JSONFault{}, false
		}
		return f, true
	}
	if f.Message().Text("en") != s {
		return JSONFault{}, false
	}
	return f, true
}

// textUnmarshaler is encoding.TextUnmarshaler's type: such a value is
// read from a JSON string.
var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// wantWord is the jsonWords key of what a value of type t is read from:
// by its kind, never its Go name ("uint8": an integer from 0 to 255).
func wantWord(t reflect.Type) string {
	t = deref(t)
	switch {
	case t == nil:
		return "other"
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return "string"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		switch w := wantWord(t.Elem()); w {
		case "string", "object":
			return w + "s"
		case "number":
			return "numbers"
		case "int", "uint", "int8", "int16", "int32", "uint8", "uint16", "uint32":
			return "ints"
		}
		return "array"
	}
	return kindWords[t.Kind()]
}

// deref is t, a pointer's element's type.
func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// kindWords are the jsonWords of what a Go kind is read from ("other"
// for the kinds no JSON value fills: an interface with methods, complex).
var kindWords = func() map[reflect.Kind]string {
	m := map[reflect.Kind]string{
		reflect.String: "string", reflect.Bool: "bool", reflect.Float32: "number", reflect.Float64: "number",
		reflect.Int: "int", reflect.Int8: "int8", reflect.Int16: "int16", reflect.Int32: "int32", reflect.Int64: "int",
		reflect.Uint: "uint", reflect.Uint8: "uint8", reflect.Uint16: "uint16", reflect.Uint32: "uint32", reflect.Uint64: "uint", reflect.Uintptr: "uint",
		reflect.Struct: "object", reflect.Map: "object",
	}
	for k := reflect.Invalid; k <= reflect.UnsafePointer; k++ {
		if m[k] == "" {
			m[k] = "other"
		}
	}
	return m
}()

// Word is the fault's argument i said by a word of the catalog (a JSON
// value, what a field wants), false for an argument said as it is (a
// field, a character).
func (f JSONFault) Word(i int) (Message, bool) {
	if (f.Key != KeyJSONType && f.Key != KeyJSONTop) || i < len(f.Args)-2 || i >= len(f.Args) {
		return Message{}, false
	}
	a := f.Args[i]
	if i == len(f.Args)-1 {
		return Message{Key: KeyJSONWord + a}, Known(KeyJSONWord + a)
	}
	if k := valueWords[a]; k != "" {
		return Message{Key: KeyJSONWord + k}, true
	}
	if n, ok := strings.CutPrefix(a, "number "); ok {
		return Msg(KeyJSONWord+"number-lit", n)
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
// when it has words for it, else err as it is. Its text is the message's
// English: the decoder's own but for a value of the wrong type, said in
// JSON words; it wraps err (errors.As finds the decoder's error).
func JSONReason(err error) error {
	if f, ok := ReadJSONError(err); ok {
		m := f.Message()
		return &said{&reworded{m.Text("en"), err}, m}
	}
	return err
}

// reworded is err said in other words.
type reworded struct {
	text string
	err  error
}

func (r *reworded) Error() string { return r.text }
func (r *reworded) Unwrap() error { return r.err }

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
			s = strings.ReplaceAll(s, "{"+strconv.Itoa(n)+":q}", "{"+name+":q}")
		}
		out[i] = s
	}
	return out
}
