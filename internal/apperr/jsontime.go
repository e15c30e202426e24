package apperr

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A date-time field (time.Time) the decoder refused is said naming the
// field by its JSON path and the format it wants, RFC 3339, never in
// Go's words ("parsing time … as \"2006-01-02T15:04:05Z07:00\"",
// "Time.UnmarshalJSON: input is not a JSON string"): encoding/json names
// no field for them, so the field is found again in the JSON read.

// KeyJSONTime is a date-time field given a string that is not RFC 3339:
// the field's JSON path and the string, quoted.
const KeyJSONTime = "refusal.json.time"

func init() {
	Register(Catalog{
		KeyJSONTime: {"json: field %s: %s is not a date-time, want RFC 3339 (e.g. 2024-03-01T14:05:00Z)",
			"json\u00a0: champ {0}\u00a0: «\u202f{1:q}\u202f» n’est pas une date-heure, il faut le format RFC 3339 (par ex. 2024-03-01T14:05:00Z)"},
	})
	register(Catalog{KeyJSONWord + "time": {"an RFC 3339 date-time string (e.g. 2024-03-01T14:05:00Z)", "une date-heure RFC 3339 (par ex. 2024-03-01T14:05:00Z)"}}, false)
}

var timeType = reflect.TypeFor[time.Time]()

// JSONDecodeReason is JSONReason for err, the error of decoding data (the
// JSON read, holding at least the value refused) into v; a date-time
// field's refusal is said naming the field and RFC 3339.
func JSONDecodeReason(data []byte, v any, err error) error {
	var pe *time.ParseError
	if errors.As(err, &pe) || strings.HasPrefix(err.Error(), "Time.UnmarshalJSON: ") {
		var val any
		if json.NewDecoder(bytes.NewReader(data)).Decode(&val) == nil {
			if f, ok := timeFault(reflect.TypeOf(v), val, ""); ok {
				m := f.Message()
				return &said{&reworded{m.Text("en"), err}, m}
			}
		}
	}
	return JSONReason(err)
}

// JSONReadKept says whether JSONDecodeReason may use the JSON read when
// decoding into v fails: only a date-time field's refusal does, so only
// when v's type holds a time.Time (under pointers, structs, arrays, slices
// and maps). A decoder into any other type need not keep what it reads.
func JSONReadKept(v any) bool {
	t := reflect.TypeOf(v)
	if k, ok := holdsTime.Load(t); ok {
		return k.(bool)
	}
	k := hasTime(t, map[reflect.Type]bool{})
	holdsTime.Store(t, k)
	return k
}

var holdsTime sync.Map // reflect.Type -> bool

// hasTime: t holds a time.Time; seen stops a type that holds itself.
func hasTime(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	if t == timeType {
		return true
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return hasTime(t.Elem(), seen)
	case reflect.Map:
		return hasTime(t.Key(), seen) || hasTime(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if hasTime(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// timeFault is the fault of the first date-time field under t (the
// type val, a decoded JSON value, was read into) that time.Time refuses;
// path is val's JSON path.
func timeFault(t reflect.Type, val any, path string) (JSONFault, bool) {
	t = deref(t)
	if t == nil || val == nil {
		return JSONFault{}, false
	}
	field := path
	if field == "" {
		field = "(the body)"
	}
	if t == timeType {
		s, ok := val.(string)
		if !ok {
			return JSONFault{Key: KeyJSONType, Args: []string{field, valueWord(val), "time"}}, true
		}
		var tm time.Time
		if tm.UnmarshalJSON([]byte(strconv.Quote(s))) != nil {
			if len(s) > 60 {
				s = s[:60] + "…"
			}
			return JSONFault{Key: KeyJSONTime, Args: []string{field, strconv.Quote(s)}}, true
		}
		return JSONFault{}, false
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, _ := val.(map[string]any)
		for _, sf := range reflect.VisibleFields(t) {
			if !sf.IsExported() || (sf.Anonymous && deref(sf.Type).Kind() == reflect.Struct && sf.Tag.Get("json") == "") {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			x, ok := obj[name]
			for k, y := range obj {
				if !ok && strings.EqualFold(k, name) {
					x, ok = y, true
				}
			}
			if f, bad := timeFault(sf.Type, x, join(name)); ok && bad {
				return f, true
			}
		}
	case reflect.Slice, reflect.Array:
		arr, _ := val.([]any)
		for _, x := range arr {
			if f, bad := timeFault(t.Elem(), x, path); bad {
				return f, true
			}
		}
	case reflect.Map:
		obj, _ := val.(map[string]any)
		for k, x := range obj {
			if f, bad := timeFault(t.Elem(), x, join(k)); bad {
				return f, true
			}
		}
	}
	return JSONFault{}, false
}

// valueWord is the decoder's word for a JSON value (valueWords).
func valueWord(val any) string {
	switch val.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	}
	return "object"
}
