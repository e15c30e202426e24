package csvsafe_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/csvsafe"
)

// TestCell: the cases are in testdata/cells.json, which the pages' own
// CSV files are tested on too (web/ui/core/text.js csvCell, in
// web/ui/testdata/text_test.mjs), so that both guard a cell alike.
func TestCell(t *testing.T) {
	b, err := os.ReadFile("testdata/cells.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ In, Want string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Fatalf("%d cases in testdata/cells.json", len(cases))
	}
	for _, c := range cases {
		c := struct{ in, want string }{c.In, c.Want}
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

// plainDecimal is what a cell starting with a formula sign may be and be
// left unguarded: a plain decimal number.
var plainDecimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func FuzzCellRoundTrip(f *testing.F) {
	for _, s := range []string{"=1+1", "-3", "@x", "\tx", "plain", "'=x", "-Inf", "-0x1p-2", "-1_000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c := csvsafe.Cell(v)
		if c != "" && c[0] != '\'' && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			if !plainDecimal.MatchString(c) {
				t.Fatalf("Cell(%q) = %q starts a formula", v, c)
			}
			if _, err := strconv.ParseFloat(c, 64); err != nil {
				t.Fatalf("Cell(%q) = %q starts a formula", v, c)
			}
		}
		if csvsafe.Unguard(c) != v {
			t.Fatalf("Unguard(Cell(%q)) = %q", v, csvsafe.Unguard(c))
		}
	})
}
