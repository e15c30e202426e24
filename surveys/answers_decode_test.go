package surveys

import (
	"encoding/json"
	"maps"
	"testing"
)

// answersCases are sealed answers as Submit writes them (json.Marshal of
// a flat map of strings) and documents it never writes, which must be
// read as encoding/json reads them.
var answersCases = []string{
	`{}`,
	`{"region":"north","age_group":"18_24","q_sources":"radio_un tv"}`,
	`{"children/child[2]/age":"7","household/size":"4"}`,
	`{"comment":"Goma \u003c Bukavu \u0026 \"Beni\"","name":"Amani\nKasongo"}`, // Marshal's escapes
	`{"name":"Léa N’Diaye 🙂"}`,
	`{"name":"é\ud83d\ude42\/x"}`,
	`{"a":"1","a":"2"}`, // the last one wins
	"{\"a\":\"\xff\"}",  // not UTF-8: U+FFFD, as encoding/json
	` { "a" : "1" , "b":"" } `,
	`{"a":1}`, `{"a":null}`, `{"a":["x"]}`, `{"a":"1",}`, `{"a":"1"`, `{"a" "1"}`, `[]`, ``, `{"a":"1"}x`, `{"a":"1"} `,
	"{\"a\":\"x\ty\"}", // a control character: refused
}

// TestDecodeAnswers: decodeAnswers reads sealed answers into a row exactly
// as json.Unmarshal does (the same keys and values, or an error for the
// same documents), into a row that may hold an earlier row's keys.
func TestDecodeAnswers(t *testing.T) {
	for _, doc := range answersCases {
		want := map[string]string{}
		wantErr := json.Unmarshal([]byte(doc), &want)
		row := map[string]string{"stale": "x"}
		clear(row)
		err := decodeAnswers([]byte(doc), row)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: error %v, want %v", doc, err, wantErr)
			continue
		}
		if err == nil && !maps.Equal(row, want) {
			t.Errorf("%q: %q, want %q", doc, row, want)
		}
	}
}

func FuzzDecodeAnswers(f *testing.F) {
	for _, doc := range answersCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		want := map[string]string{}
		wantErr := json.Unmarshal(doc, &want)
		row := map[string]string{}
		err := decodeAnswers(doc, row)
		if (err != nil) != (wantErr != nil) || (err == nil && !maps.Equal(row, want)) {
			t.Fatalf("%q: %q %v, want %q %v", doc, row, err, want, wantErr)
		}
	})
}
