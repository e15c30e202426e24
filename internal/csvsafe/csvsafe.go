// Package csvsafe keeps the cells of the CSV files Vigil writes from being
// run as formulas when a user opens them in a spreadsheet (CSV or formula
// injection). A cell starting with = + - @, a tab or a carriage return
// (OWASP's list, as the pages' Vigil.csvURL) is written with a leading ';
// a plain decimal number such as -3, +2.5 or -1.5e-3 is left as it is (not
// -Inf, -0x1p-2 or -1_000, which Go reads as numbers but a spreadsheet
// reads as a formula). Readers of Vigil's own
// layouts take the ' off again with Unguard, so a file exported and
// imported back is the same.
package csvsafe

import (
	"strconv"
	"strings"
)

// risky are the first characters a spreadsheet may read as the start of
// a formula.
const risky = "=+-@\t\r"

// Cell is v as a CSV cell a spreadsheet will not run: prefixed with '
// when it starts with one of = + - @ tab CR and is not a plain number. A value
// that starts with ' and one of them (not a formula) is prefixed too, so
// that Unguard gives it back as it was.
func Cell(v string) string {
	if quoted(v) {
		return "'" + v
	}
	if v == "" || !strings.ContainsRune(risky, rune(v[0])) {
		return v
	}
	if plainNumber(v) {
		return v
	}
	return "'" + v
}

// plainNumber reports whether v is a decimal number a spreadsheet reads
// as one: an optional sign, digits with an optional point (or a point and
// digits), an optional exponent, within float64's range. As
// web/ui/core/text.js plainNumber.
func plainNumber(v string) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
			n++
		}
		return n
	}
	n := digits()
	if i < len(v) && v[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return false
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	if i != len(v) {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}

// Unguard undoes Cell for a value read back: the first of the ' that
// start it is dropped when one of = + - @ tab CR follows them. Anything
// else is returned unchanged.
func Unguard(v string) string {
	if quoted(v) {
		return v[1:]
	}
	return v
}

// quoted reports whether v is one or more ' followed by one of
// = + - @ tab CR: a cell Cell made of a risky value, or of one such.
func quoted(v string) bool {
	t := strings.TrimLeft(v, "'")
	return len(t) < len(v) && t != "" && strings.ContainsRune(risky, rune(t[0]))
}

// Row is rec with every cell made safe by Cell (in place).
func Row(rec []string) []string {
	for i, v := range rec {
		rec[i] = Cell(v)
	}
	return rec
}
