package textcsv

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
)

func TestReader(t *testing.T) {
	tests := []struct {
		name, in string
		cols     []string
		want     [][]string
		wantErr  string
	}{
		{"basic", "id,text,label\n1,hello,a\n2,\"multi\nline\",b\n", []string{"id", "text"}, [][]string{{"1", "hello"}, {"2", "multi\nline"}}, ""},
		{"bom and order", "\ufefftext,id\nx,7\n", []string{"id", "text"}, [][]string{{"7", "x"}}, ""},
		{"optional absent", "text\nx\n", []string{"?id", "text"}, [][]string{{"", "x"}}, ""},
		{"missing column", "id,body\n1,x\n", []string{"id", "text"}, nil, `f.csv:1: missing column "text"`},
		{"empty", "", []string{"text"}, nil, "f.csv:1: empty file"},
		{"bad quote", "id,text\n1,ok\n2,\"bro\"ken\n", []string{"id", "text"}, [][]string{{"1", "ok"}}, "f.csv:3:"},
		{"short row", "id,text\n1\n", []string{"id", "text"}, nil, "f.csv:2: wrong number of fields"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.in), "f.csv", tc.cols...)
			var got [][]string
			for err == nil {
				var row Row
				row, err = r.Next()
				if err == nil {
					got = append(got, append([]string(nil), row.Fields...))
				}
			}
			if errors.Is(err, io.EOF) {
				err = nil
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("rows = %q, want %q", got, tc.want)
			}
			for i := range got {
				if strings.Join(got[i], "|") != strings.Join(tc.want[i], "|") {
					t.Errorf("row %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func FuzzReader(f *testing.F) {
	f.Add("id,text\n1,hello\n")
	f.Add("id,text\n1,\"a\"\"b\"\n2,\"x\n")
	f.Add("\ufeffid,text\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := NewReader(strings.NewReader(in), "f.csv", "id", "?text")
		if err != nil {
			if !apperr.IsInvalid(err) || !strings.HasPrefix(err.Error(), "f.csv:") {
				t.Fatalf("unlocated error %v", err)
			}
			return
		}
		for {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "f.csv:") {
					t.Fatalf("unlocated error %v", err)
				}
				return
			}
			if len(row.Fields) != 2 || row.Line < 2 {
				t.Fatalf("bad row %+v", row)
			}
		}
	})
}
