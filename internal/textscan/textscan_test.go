package textscan_test

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/textscan"
)

// Field walks the same pieces as strings.Fields, with their byte offsets,
// over ASCII and Unicode space and invalid UTF-8.
func TestField(t *testing.T) {
	for _, s := range []string{
		"", "   ", "one", "  two words ", "a\u00a0b\u2003c", "\tx\n\ny ", "bad\xffbyte here", "é  à",
	} {
		var got []string
		for i := 0; ; {
			start, end := textscan.Field(s, i)
			if start == end {
				if start != len(s) {
					t.Errorf("%q: empty field at %d, want the end %d", s, start, len(s))
				}
				break
			}
			got = append(got, s[start:end])
			i = end
		}
		want := strings.Fields(s)
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("%q: fields %q, want %q", s, got, want)
		}
	}
}

// Mix64 is MurmurHash3's fmix64 (reference values from its C source).
func TestMix64(t *testing.T) {
	for _, tc := range []struct{ in, want uint64 }{
		{0, 0},
		{1, 0xb456bcfc34c2cb2c},
	} {
		if got := textscan.Mix64(tc.in); got != tc.want {
			t.Errorf("Mix64(%#x) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}
