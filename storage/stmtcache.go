package storage

import "strings"

// valueRows is n rows of cols '?' placeholders, "(?, ?), (?, ?)", for a
// multi-row VALUES list (prepared once per size with a stmtCache).
func valueRows(cols, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}
