package ui

import (
	"strings"
	"testing"
)

// acceptCases are Accept-Encoding headers (one or several field lines)
// and whether they take gzip (RFC 9110 §12.5.3): a coding named with a
// weight above 0 is taken, q=0 refuses it, "*" stands for any coding not
// named, names and "q" in any case, whitespace around every separator,
// and a weight that is not a qvalue (0 to 1, three decimals at most)
// counts as not said.
var acceptCases = []struct {
	name   string
	values []string
	want   bool
}{
	{"none", nil, false},
	{"empty", []string{""}, false},
	{"gzip", []string{"gzip"}, true},
	{"browser", []string{"gzip, deflate, br, zstd"}, true},
	{"other codings only", []string{"br, deflate"}, false},
	{"q=0.5", []string{"gzip;q=0.5"}, true},
	{"q=1", []string{"gzip;q=1"}, true},
	{"q=1.000", []string{"gzip;q=1.000"}, true},
	{"q=0.001", []string{"gzip;q=0.001"}, true},
	{"q=0", []string{"gzip;q=0"}, false},
	{"q=0.", []string{"gzip;q=0."}, false},
	{"q=0.000", []string{"gzip;q=0.000"}, false},
	{"upper-case Q=0", []string{"gzip;Q=0"}, false},
	{"upper-case GZIP", []string{"GZIP"}, true},
	{"spaces around ; and =", []string{"gzip ; q = 0"}, false},
	{"tab", []string{"gzip\t;\tq=0"}, false},
	{"spaces, accepted", []string{" br ,  gzip ; q=0.8 , deflate "}, true},
	{"other parameter before q", []string{"gzip;level=1;q=0"}, false},
	{"x-gzip", []string{"x-gzip"}, true},
	{"star", []string{"*"}, true},
	{"star q=0.1", []string{"br, *;q=0.1"}, true},
	{"star refused", []string{"*;q=0"}, false},
	{"gzip refused, star taken", []string{"gzip;q=0, *"}, false},
	{"star refused, gzip named", []string{"*;q=0, gzip"}, true},
	{"identity only", []string{"identity"}, false},
	{"identity refused, star", []string{"identity;q=0, *"}, true},
	{"two field lines", []string{"br", "gzip"}, true},
	{"refused on the second line", []string{"*", "gzip;q=0"}, false},
	{"weight above 1", []string{"gzip;q=2"}, false},
	{"weight 1.5", []string{"gzip;q=1.5"}, false},
	{"four decimals", []string{"gzip;q=0.0001"}, false},
	{"not a number", []string{"gzip;q=NaN"}, false},
	{"exponent", []string{"gzip;q=1e-1"}, false},
	{"negative", []string{"gzip;q=-1"}, false},
	{"empty weight", []string{"gzip;q="}, false},
	{"bad weight, star", []string{"gzip;q=x, *"}, true},
	{"gzip inside a name", []string{"gzipped, notgzip"}, false},
	{"empty elements", []string{",,gzip,,"}, true},
	{"twice, one refused", []string{"gzip;q=0, gzip;q=0.5"}, true},
}

// TestAcceptsGzip: AcceptsGzip reads Accept-Encoding's weights as numbers
// (the API's gzip and the UI's files: web/compress.go, Asset.Write).
func TestAcceptsGzip(t *testing.T) {
	for _, c := range acceptCases {
		if got := AcceptsGzip(c.values...); got != c.want {
			t.Errorf("%s: AcceptsGzip(%q) = %v, want %v", c.name, c.values, got, c.want)
		}
	}
}

// FuzzAcceptsGzip: on any header AcceptsGzip does not panic, reads names
// and "q" in any (ASCII) case and ignores spaces after separators, is
// taken by a gzip named after it with no weight, and refused by a gzip
// named with q=0 when it names gzip nowhere else.
//
//	go test -run '^$' -fuzz FuzzAcceptsGzip -fuzztime 30s ./web/ui/
func FuzzAcceptsGzip(f *testing.F) {
	for _, c := range acceptCases {
		f.Add(strings.Join(c.values, ","))
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := AcceptsGzip(h)
		if up := asciiUpper(h); AcceptsGzip(up) != got {
			t.Errorf("%q: %v, upper-cased %q: %v", h, got, up, !got)
		}
		if sp := strings.NewReplacer(",", ", ", ";", " ; ").Replace(h); !strings.Contains(h, `"`) && AcceptsGzip(sp) != got {
			t.Errorf("%q: %v, spaced %q: %v", h, got, sp, !got)
		}
		if !AcceptsGzip(h, "gzip") || !AcceptsGzip(h+",gzip") {
			t.Errorf("%q then gzip: refused", h)
		}
		if !strings.Contains(strings.ToLower(h), "gzip") && AcceptsGzip(h+",gzip;q=0") {
			t.Errorf("%q then gzip;q=0: taken", h)
		}
	})
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
