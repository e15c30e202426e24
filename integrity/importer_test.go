package integrity

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/testutil/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

func testService() *Service {
	s := &Service{Now: func() time.Time { return time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC) }}
	return s
}

// readAll reads an export with the parser alone (no store).
func readAll(t testing.TB, s *Service, data, name string, opt ImportOptions) ([]*Item, error) {
	var out []*Item
	err := s.ReadExport(strings.NewReader(data), name, opt, func(it *Item) error {
		out = append(out, it)
		return nil
	})
	return out, err
}

// TestReadExportLayouts maps each tool's layout by its header onto the
// generic fields; golden files hold the items read.
func TestReadExportLayouts(t *testing.T) {
	for _, tc := range []struct {
		file   string
		source string
		n      int
	}{
		{"generic.csv", "", 2},
		{"crowdtangle.csv", "facebook", 2},
		{"twitter.jsonl", "twitter", 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/import", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			items, err := readAll(t, testService(), string(data), tc.file, ImportOptions{Source: tc.source})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.n {
				t.Fatalf("%d items, want %d", len(items), tc.n)
			}
			type view struct {
				*Item
				Author string `json:"author"`
			}
			var vs []view
			for _, it := range items {
				vs = append(vs, view{it, it.Author})
			}
			got, _ := json.MarshalIndent(vs, "", "  ")
			golden.Check(t, filepath.Join("testdata/import", tc.file+".golden.json"), append(got, '\n'), *update)
		})
	}
}

// TestReadExportErrors: every problem is named by file and line, and no
// row reaches the caller once one is found.
func TestReadExportErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		opt        ImportOptions
		want       []string
	}{
		{"no-text.csv", "id,source,when\n1,x,2024\n", ImportOptions{}, []string{"no-text.csv:1: the header has no column for text", "columns not recognised: when"}},
		{"no-source.csv", "id,text\n1,hello\n", ImportOptions{}, []string{"no-source.csv:1:", "source"}},
		{"bad-time.csv", "id,source,text,time\n1,x,hello,2024-03-01\n2,x,hi,yesterday\n3,x,ok,2024-13-01\n", ImportOptions{}, []string{"bad-time.csv:3: time: \"yesterday\" is not a date", "bad-time.csv:4: time:"}},
		{"bad-count.csv", "id,source,text,shares\n1,x,hello,many\n", ImportOptions{}, []string{"bad-count.csv:2: shares: \"many\" is not a whole number"}},
		{"negative.csv", "id,source,text,likes\n1,x,hello,-3\n", ImportOptions{}, []string{"negative.csv:2: reactions: -3 is not a count"}},
		{"empty-text.csv", "id,source,text\n1,x,\n", ImportOptions{}, []string{"empty-text.csv:2: text: is required"}},
		{"no-id.csv", "id,source,text\n,x,hello\n", ImportOptions{}, []string{"no-id.csv:2: id: is required"}},
		{"quote.csv", "id,source,text\n1,x,\"open\n2,x,b\n", ImportOptions{}, []string{"quote.csv:3: record from line 2: column 7"}},
		{"latlon.csv", "id,source,text,lat,lon,place\n1,x,a,95,10,P\n2,x,b,1,,P\n3,x,c,1,2,\n", ImportOptions{}, []string{"latlon.csv:2: lat:", "latlon.csv:3: lon:", "latlon.csv:4: place: a place with coordinates needs its name"}},
		{"url.csv", "id,source,text,url\n1,x,a,javascript:alert(1)\n", ImportOptions{}, []string{"url.csv:2: url:"}},
		{"empty.csv", "", ImportOptions{}, []string{"empty.csv:1: empty file"}},
		{"header-only.csv", "id,source,text\n", ImportOptions{}, []string{"header-only.csv:1: no rows"}},
		{"bad.jsonl", "{\"id\":\"1\",\"text\":\"a\"}\n[1,2]\n{\"id\":\"3\"}\n{\"id\":\"4\",\"text\":\"b\"} {}\n", ImportOptions{Source: "t"}, []string{"bad.jsonl:2: not a JSON object: json: top-level value: cannot use an array here, want an object", "bad.jsonl:3: text: is required", "bad.jsonl:4: more than one JSON value"}},
		{"future.jsonl", `{"id":"1","text":"a","time":"2030-01-01"}`, ImportOptions{Source: "t"}, []string{"future.jsonl:1: time: 2030-01-01T00:00:00Z is in the future"}},
		{"control.csv", "id,source,text\n1,x,\"a\x00b\"\n", ImportOptions{}, []string{"control.csv:2: text: holds a control character"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := 0
			err := testService().ReadExport(strings.NewReader(tc.data), tc.name, tc.opt, func(*Item) error { called++; return nil })
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want *ImportError", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.HasPrefix(tc.name, "bad-time") && called > 1 {
				t.Errorf("rows after the first problem reached the caller (%d)", called)
			}
		})
	}
}

func TestReadExportManyErrorsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,source,text,shares\n")
	for i := 0; i < 100; i++ {
		b.WriteString("1,x,a,zz\n")
	}
	_, err := readAll(t, testService(), b.String(), "many.csv", ImportOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Lines) != maxErrors || !ie.More || ie.Lines[0].Line != 2 || ie.Field() != "line 2" {
		t.Fatalf("%v", err)
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 3, 1, 14, 5, 0, 0, time.UTC)
	for _, s := range []string{"2024-03-01T14:05:00Z", "2024-03-01T15:05:00+01:00", "2024-03-01 14:05:00", "2024-03-01 14:05",
		"2024-03-01 14:05:00 UTC", "Fri Mar 01 14:05:00 +0000 2024", "1709301900", "1709301900000", "Fri, 01 Mar 2024 14:05:00 GMT",
		"2024-03-01T14:05:00.000Z"} {
		got, err := ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "yesterday", "2024-03-01 14:05:00 EST", "01/03/2024", "12345"} {
		if _, err := ParseTime(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestScanSpikes(t *testing.T) {
	var dcs []DayCount
	day := func(i int) string {
		return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
	}
	for i := 0; i < 40; i++ {
		dcs = append(dcs, DayCount{"steady", day(i), 3 + i%2})
	}
	dcs = append(dcs, DayCount{"burst", day(39), 15}, DayCount{"old", day(10), 20}, DayCount{"new", day(2), 1})
	fs := ScanSpikes(spikeRuleDefault, "term", dcs, day(0), day(39))
	if len(fs) != 1 || fs[0].Key != "burst" || fs[0].Day != day(39) || fs[0].Count != 15 {
		t.Fatalf("flags %+v: want only the recent burst (the old jump is not recent; steady never)", fs)
	}
	if fs := ScanSpikes(spikeRuleDefault, "term", dcs, day(5), day(1)); fs != nil {
		t.Errorf("reversed range flagged %v", fs)
	}
}

func FuzzReadExport(f *testing.F) {
	for _, name := range []string{"generic.csv", "crowdtangle.csv", "twitter.jsonl"} {
		b, _ := os.ReadFile(filepath.Join("testdata/import", name))
		f.Add(string(b), strings.HasSuffix(name, ".jsonl"))
	}
	f.Add("id,source,text\n1,x,\"a\n", false)
	f.Add("{\"id\":1,\"text\":{\"a\":[{\"url\":\"x\"}]}}\n", true)
	f.Fuzz(func(t *testing.T, data string, jsonl bool) {
		name := "f.csv"
		if jsonl {
			name = "f.jsonl"
		}
		n := 0
		err := testService().ReadExport(strings.NewReader(data), name, ImportOptions{Source: "fz"}, func(it *Item) error {
			n++
			if it.Text == "" || it.SourceID == "" || it.Source == "" {
				t.Fatalf("invalid item passed: %+v", it)
			}
			return nil
		})
		var ie *ImportError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error %T %v", err, err)
		}
		if ie != nil && len(ie.Lines) == 0 {
			t.Fatal("import error without lines")
		}
	})
}

var spikeRuleDefault = spikeRule()
