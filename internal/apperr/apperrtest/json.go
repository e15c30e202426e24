package apperrtest

import "encoding/json"

// JSONWordErrors are encoding/json decoder errors of a value of the wrong
// type that, between them, name every JSON value and every kind of value
// a field wants that the catalog has a word for (apperr.KeyJSONWord…),
// for a test to see every word said.
func JSONWordErrors() []error {
	type (
		name  string
		count int
		size  uint
		ratio float64
		flag  bool
		pair  [2]int
	)
	type body struct {
		S    string          `json:"s"`
		B    bool            `json:"b"`
		I    int             `json:"i"`
		I64  int64           `json:"i64"`
		I32  int32           `json:"i32"`
		I16  int16           `json:"i16"`
		I8   int8            `json:"i8"`
		U    uint            `json:"u"`
		U64  uint64          `json:"u64"`
		U32  uint32          `json:"u32"`
		U16  uint16          `json:"u16"`
		U8   uint8           `json:"u8"`
		F    float64         `json:"f"`
		SS   []string        `json:"ss"`
		I64s []int64         `json:"i64s"`
		Is   []int           `json:"is"`
		Fs   []float64       `json:"fs"`
		Os   []struct{}      `json:"os"`
		Bs   []bool          `json:"bs"`
		N    name            `json:"n"`
		C    count           `json:"c"`
		Z    size            `json:"z"`
		R    ratio           `json:"r"`
		Fl   flag            `json:"fl"`
		P    pair            `json:"p"`
		O    struct{ X int } `json:"o"`
		E    error           `json:"e"`
	}
	var out []error
	for _, in := range []string{
		`{"s": 1}`, `{"b": "x"}`, `{"i": true}`, `{"i64": []}`, `{"i32": {}}`, `{"i16": 40000}`, `{"i8": 200}`, `{"i": 1.5}`,
		`{"u": "x"}`, `{"u64": "x"}`, `{"u32": "x"}`, `{"u16": -1}`, `{"u8": 256}`, `{"f": "x"}`,
		`{"ss": 1}`, `{"i64s": 1}`, `{"is": 1}`, `{"fs": 1}`, `{"os": 1}`, `{"bs": 1}`,
		`{"n": 1}`, `{"c": "x"}`, `{"z": "x"}`, `{"r": "x"}`, `{"fl": "x"}`, `{"p": "x"}`, `{"o": "x"}`, `{"e": 1}`,
	} {
		var b body
		out = append(out, json.Unmarshal([]byte(in), &b))
	}
	return out
}
