// Package csvsafe keeps the cells of the CSV files Vigil writes from being
// run as formulas when a user opens them in a spreadsheet (CSV or formula
// injection). A cell starting with = + - @, a tab or a carriage return
// (OWASP's list, as the pages' Vigil.csvURL) is written with a leading ';
// a number such as -3 or +2.5 is left as it is. Readers of Vigil's own
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
// when it starts with one of = + - @ tab CR and is not a number.
func Cell(v string) string {
	if v == "" || !strings.ContainsRune(risky, rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}

// Unguard undoes Cell for a value read back: a ' followed by one of
// = + - @ tab CR is dropped. Anything else is returned unchanged.
func Unguard(v string) string {
	if len(v) >= 2 && v[0] == '\'' && strings.ContainsRune(risky, rune(v[1])) {
		return v[1:]
	}
	return v
}

// Row is rec with every cell made safe by Cell (in place).
func Row(rec []string) []string {
	for i, v := range rec {
		rec[i] = Cell(v)
	}
	return rec
}
