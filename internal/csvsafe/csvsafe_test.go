package csvsafe_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/csvsafe"
)

func TestCell(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+cmd", "'+cmd"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"},
		{"\r=1", "'\r=1"},
		{"-3", "-3"},
		{"+2.5", "+2.5"},
		{"a=b", "a=b"},
		{"'=x", "''=x"}, // not a formula, but Unguard would take its ' off
		{"'-3", "''-3"},
		{"''+x", "'" + "''+x"},
		{"'a", "'a"},
		{"'", "'"},
	} {
		got := csvsafe.Cell(c.in)
		if got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
		// Exported and imported back, every value is the same.
		if back := csvsafe.Unguard(got); back != c.in {
			t.Errorf("Unguard(Cell(%q)) = %q", c.in, back)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"'=x", "=x"}, {"'-", "-"}, {"'a", "'a"}, {"'", "'"}, {"x'=", "x'="}, {"", ""}, {"''=x", "'=x"}, {"''a", "''a"},
	} {
		if got := csvsafe.Unguard(c.in); got != c.want {
			t.Errorf("Unguard(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzCellRoundTrip(f *testing.F) {
	for _, s := range []string{"=1+1", "-3", "@x", "\tx", "plain", "'=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c := csvsafe.Cell(v)
		if c != "" && c[0] != '\'' && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			if _, err := strconv.ParseFloat(c, 64); err != nil {
				t.Fatalf("Cell(%q) = %q starts a formula", v, c)
			}
		}
		if csvsafe.Unguard(c) != v {
			t.Fatalf("Unguard(Cell(%q)) = %q", v, csvsafe.Unguard(c))
		}
	})
}
