// Package shareddata locates the shared real datasets for tests.
//
// It locates the project's shared real datasets (../shared/data beside the
// repository) for tests and benchmarks, and skips the test with a clear message
// when they are absent.
package shareddata

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Root returns the absolute path of ../shared/data relative to the
// repository root (the directory holding go.mod), or "" if absent.
// VIGIL_SHARED_DATA overrides it.
func Root() string {
	if d := os.Getenv("VIGIL_SHARED_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return d
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path returns the path of a file under the shared data directory, skipping
// tb when the shared data (or that file) is absent.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root := Root()
	if root == "" {
		tb.Skip("../shared/data not found beside the repository: skipping test on real data")
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s not found: skipping", rel)
	}
	return p
}

// Open opens a shared data file for reading (skipping tb when it is absent,
// as Path does) and closes it when the test ends.
func Open(tb testing.TB, rel string) *os.File {
	tb.Helper()
	f, err := os.Open(Path(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// CSV reads a whole shared CSV file, header row included.
func CSV(tb testing.TB, rel string) [][]string {
	tb.Helper()
	rows, err := csv.NewReader(Open(tb, rel)).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", rel, err)
	}
	return rows
}

// Broken is a broken copy of a shared CSV file, for a test of how a
// refusal is said: the cell of column col in record n (0: the header) set
// to v, and the line that record starts on (a record may span lines).
func Broken(tb testing.TB, rel string, n int, col, v string) ([]byte, int) {
	tb.Helper()
	r := csv.NewReader(Open(tb, rel))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	i, line := -1, 0
	for k := 0; ; k++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("%s: %v", rel, err)
		}
		if k == 0 {
			if i = slices.Index(rec, col); i < 0 {
				tb.Fatalf("%s: no column %q", rel, col)
			}
		}
		if k == n {
			rec[i] = v
			line, _ = r.FieldPos(0)
		}
		w.Write(rec)
	}
	w.Flush()
	if line == 0 {
		tb.Fatalf("%s: no record %d", rel, n)
	}
	return buf.Bytes(), line
}
