// Package golden compares a test's output with a golden file.
package golden

import (
	"bytes"
	"os"
	"testing"
)

// Check fails tb unless got is byte for byte the file at path. With update
// (the calling test's -update flag) it first writes got there.
func Check(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run the test with its update flag to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run the test with its update flag, and review):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
