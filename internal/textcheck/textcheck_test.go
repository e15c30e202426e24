package textcheck

import (
	"strings"
	"testing"
)

func TestName(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" accepted, else a part of the error
	}{
		{"Bunia – saison sèche", ""},
		{"محمد علي", ""},
		{"Nord-Kivu 2026", ""},
		{"a\x00b", "NUL character at position 2"},
		{"fdp\u202Etxt.exe", "bidirectional override (U+202E) at position 4"},
		{"x\u2066y", "bidirectional override (U+2066)"},
		{"ad\u200Bmin", "invisible format character (U+200B)"},
		{"\uFEFFname", "invisible format character (U+FEFF) at position 1"},
		{"two\nlines", "control character (U+000A)"},
		{"esc\x1b[31m", "control character (U+001B)"},
		{"bad \xff", "not valid UTF-8"},
	} {
		err := Name(c.in)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Name(%q): %v", c.in, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Name(%q) = %v, want %q", c.in, err, c.want)
		}
	}
}

func TestText(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"Attaque à Bunia\nà 3 h", true},
		{"می\u200Cخواهم", true}, // Persian needs the zero-width non-joiner
		{"a\x00", false},
		{"\xc3", false},
	} {
		if err := Text(c.in); (err == nil) != c.ok {
			t.Errorf("Text(%q): %v", c.in, err)
		}
	}
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"Bunia", "a\x00b", "x\u202Ey", "\u200B", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Name(s) == nil {
			for _, r := range s {
				if r < 0x20 || r == 0x7f || bidiControl(r) || r == 0x200B || r == 0xFEFF {
					t.Fatalf("Name accepted %q (U+%04X)", s, r)
				}
			}
		}
		if Name(s) == nil && Text(s) != nil {
			t.Fatalf("a valid name %q is not a valid text", s)
		}
	})
}
