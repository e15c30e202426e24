package ingest

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
)

func specs(p *hxlParser) string {
	var s []string
	for _, tg := range p.tags {
		s = append(s, tg.Spec)
	}
	return strings.Join(s, ",")
}

// TestHXLFixtures checks libhxl-python's I/O fixtures: the hashtag row is
// found below human headers, attributes are parsed, latin-1 is decoded,
// untagged and invalid files are refused with a clear message, and event
// imports name what is missing.
func TestHXLFixtures(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		file, wantErr string
	}{
		{"input-valid.csv", "no #geo+lat and #geo+lon (or #geo+coord) columns"},
		{"input-valid-latin1.csv", "no #geo+lat and #geo+lon (or #geo+coord) columns"},
		{"input-valid.tsv", "no #geo+lat and #geo+lon (or #geo+coord) columns"},
		{"input-valid.ssv", "no #geo+lat and #geo+lon (or #geo+coord) columns"},
		{"input-fuzzy.csv", "no #date column"},
		{"input-multiple-headers.csv", "no #date column"},
		{"input-untagged.csv", "no HXL hashtag row (#date, #geo+lat, …) in the first 25 rows: the file is not HXL-tagged"},
		{"input-invalid.csv", "no HXL hashtag row"},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := shareddata.Path(t, "hxl/"+c.file)
			_, err := ImportFile(ctx, nil, path, Options{Format: HXL, Check: true})
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("got %v, want %q prefixed with the file name", err, c.wantErr)
			}
		})
	}
	// Auto-detection refuses the untagged file rather than guessing.
	if _, err := ImportFile(ctx, nil, shareddata.Path(t, "hxl/input-untagged.csv"), Options{Check: true}); err == nil || !strings.Contains(err.Error(), "cannot tell the format") {
		t.Errorf("untagged, auto-detected: %v", err)
	}
	// Detection finds HXL in the valid files.
	for _, f := range []string{"input-valid.csv", "input-valid-latin1.csv", "input-valid.tsv", "input-valid.ssv", "input-fuzzy.csv", "input-multiple-headers.csv"} {
		b, err := os.ReadFile(shareddata.Path(t, "hxl/"+f))
		if err != nil {
			t.Fatal(err)
		}
		if isUTF8 := !strings.Contains(f, "latin1"); !isUTF8 {
			b = latin1ToUTF8(b)
		}
		if got, err := detect(f, b); got != HXL {
			t.Errorf("%s detected as %q (%v)", f, got, err)
		}
	}
}

// TestHXLTags checks the parsed hashtag rows against libhxl's test
// expectations (tests/test_input.py).
func TestHXLTags(t *testing.T) {
	want := ",#sector+es,#subsector+es,#org+es,#targeted+f,#targeted+m,#country,#adm1,#date+reported"
	for _, f := range []string{"input-valid.csv", "input-valid-latin1.csv", "input-valid.tsv", "input-valid.ssv"} {
		path := shareddata.Path(t, "hxl/"+f)
		p, err := hxlTable(t, path)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if got := specs(p); got != want {
			t.Errorf("%s tags:\n got %s\nwant %s", f, got, want)
		}
		// The data rows after the hashtag row, decoded to UTF-8.
		rec, line, err := p.t.read()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(rec, "|"); got != "001|WASH|Higiene|ACNUR|100|100|Panamá|Los Santos|1 March 2015" {
			t.Errorf("%s first row %q", f, got)
		}
		if line != 4 {
			t.Errorf("%s first data row on line %d, want 4", f, line)
		}
	}
	// Fuzzy: bare "country", "adm1" are untagged columns; parsing does not fail.
	p, err := hxlTable(t, shareddata.Path(t, "hxl/input-fuzzy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := specs(p); got != ",#sector+es,#subsector+es,#org+es,#targeted+f,#targeted+f,," {
		t.Errorf("fuzzy tags %s", got)
	}
	// Multiple headers: junk row, header row, hashtag row; data row numbers follow the file.
	p, err = hxlTable(t, shareddata.Path(t, "hxl/input-multiple-headers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := specs(p); got != "#org,,#adm1,#affected" {
		t.Errorf("multiple-headers tags %s", got)
	}
	if p.t.name(1) != "No hashtag" {
		t.Errorf("untagged column named %q, want its human header", p.t.name(1))
	}
	for i, want := range []string{"Org X", "Org Y"} {
		rec, line, err := p.t.read()
		if err != nil || rec[0] != want || line != 4+i {
			t.Errorf("row %d: %q line %d %v", i, rec, line, err)
		}
	}
}

// hxlTable parses only the hashtag row of an HXL file (no event mapping).
func hxlTable(t *testing.T, path string) (*hxlParser, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newHXLTable(path, strings.NewReader(string(decodeText(b))), decodeText(b))
	return p, err
}

func decodeText(b []byte) []byte {
	if !utf8Valid(b) {
		return latin1ToUTF8(b)
	}
	return b
}

// TestGeoVectors runs libhxl's coordinate vectors (tests/test_geo.py).
func TestGeoVectors(t *testing.T) {
	recs := shareddata.CSV(t, "hxl/geo-vectors.csv")
	n := 0
	for _, r := range recs[1:] {
		in, fail, fn := r[0], r[3] == "true", r[4]
		var lat, lon float64
		var err error
		switch fn {
		case "parse_lat":
			lat, err = ParseLat(in)
		case "parse_lon":
			lon, err = ParseLon(in)
		case "parse_coord":
			lat, lon, err = ParseCoord(in)
		default:
			t.Fatalf("unknown function %q", fn)
		}
		n++
		if fail {
			if err == nil {
				t.Errorf("%s(%q) = %v,%v; want an error", fn, in, lat, lon)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s(%q): %v", fn, in, err)
			continue
		}
		check := func(what, want string, got float64) {
			if want == "" {
				return
			}
			var w float64
			fmt.Sscan(want, &w)
			if math.Abs(w-got) >= 5e-7 {
				t.Errorf("%s(%q) %s = %.7f, want %s", fn, in, what, got, want)
			}
		}
		check("lat", r[1], lat)
		check("lon", r[2], lon)
	}
	if n != 31 {
		t.Errorf("ran %d vectors, want 31", n)
	}
}
