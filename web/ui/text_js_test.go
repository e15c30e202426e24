package ui

import (
	"os"
	"os/exec"
	"testing"
)

// TestTextJS runs the unit tests of core/text.js (plural forms and
// placeholders of Vigil.t, Go durations of Vigil.durations) with node's
// test runner: testdata/text_test.mjs. Without node it skips, except in CI
// (CI=true), where it fails.
func TestTextJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not found: the UI's JavaScript unit tests need it")
		}
		t.Skip("node not found")
	}
	out, err := exec.Command(node, "--test", "testdata/text_test.mjs").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test testdata/text_test.mjs: %v\n%s", err, out)
	}
}
