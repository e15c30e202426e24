package textscan_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/textscan"
)

// Clip cuts to at most n bytes and backs off to the start of a character
// it would cut; a string that fits is returned unchanged, invalid bytes
// and all, and an invalid byte counts as a character of one byte.
func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 0, ""},
		{"", 5, ""},
		{"abc", 0, ""},
		{"abc", -1, ""},
		{"abc", 2, "ab"},
		{"abc", 3, "abc"},
		{"abc", 10, "abc"},
		{"é", 1, ""},                     // 2 bytes: a cut inside drops it
		{"aé", 2, "a"},                   // the cut would fall inside é
		{"aé", 3, "aé"},                  // fits exactly
		{"€uro", 1, ""},                  // 3 bytes
		{"€uro", 2, ""},                  //
		{"€uro", 3, "€"},                 //
		{"x😀y", 4, "x"},                  // 4 bytes, cut at every inner offset
		{"x😀y", 3, "x"},                  //
		{"x😀y", 2, "x"},                  //
		{"x😀y", 5, "x😀"},                 //
		{"Kinshasa–Goma", 9, "Kinshasa"}, // en dash, 3 bytes
		{"Kinshasa–Goma", 11, "Kinshasa–"},
		{"\xff\xfe", 5, "\xff\xfe"},        // fits: unchanged
		{"ab\xffcd", 3, "ab\xff"},          // an invalid byte is a character of its own
		{"a\x80\x80\x80b", 3, "a\x80\x80"}, // stray continuation bytes are characters too
		{"é\xa9", 2, "é"},                  // é followed by a stray continuation byte
		{"\xe2\x82", 1, "\xe2"},            // so is a truncated sequence's lead byte
	} {
		got := textscan.Clip(tc.s, tc.n)
		if got != tc.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

// FuzzClip: the result is a prefix of s of at most n bytes that ends
// at no point inside a valid UTF-8 sequence of s; valid input stays valid
// and loses only the character the cut falls in.
func FuzzClip(f *testing.F) {
	for _, s := range []string{"", "abc", "aé", "€uro", "x😀y", "ab\xffcd", "a\x80\x80\x80b", "\xe2\x82", "Le canal a refusé : +243 810 000 003"} {
		for _, n := range []int{-1, 0, 1, 2, 3, 4, 5, 40} {
			f.Add(s, n)
		}
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		got := textscan.Clip(s, n)
		if !strings.HasPrefix(s, got) {
			t.Fatalf("Clip(%q, %d) = %q: not a prefix", s, n, got)
		}
		if len(got) > max(n, 0) {
			t.Fatalf("Clip(%q, %d) = %q: %d bytes", s, n, got, len(got))
		}
		if len(s) <= n && got != s {
			t.Fatalf("Clip(%q, %d) = %q: s fits, want it unchanged", s, n, got)
		}
		cut := len(got)
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size > 1 {
				if i < cut && cut < i+size {
					t.Fatalf("Clip(%q, %d) = %q: cuts %q at byte %d", s, n, got, s[i:i+size], cut-i)
				}
			}
			i += size
		}
		if utf8.ValidString(s) {
			if !utf8.ValidString(got) {
				t.Fatalf("Clip(%q, %d) = %q: not UTF-8", s, n, got)
			}
		}
		// The longest such prefix: short of n only by the character the
		// cut falls in.
		if len(s) > n && n > 0 && cut < n {
			r, size := utf8.DecodeRuneInString(s[cut:])
			if (r == utf8.RuneError && size == 1) || cut+size <= n {
				t.Fatalf("Clip(%q, %d) = %q: shorter than it needs to be", s, n, got)
			}
		}
	})
}
