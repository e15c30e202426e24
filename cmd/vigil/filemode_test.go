//go:build unix

package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRunRestrictsUmask: whatever the shell's umask, a file vigil creates
// (here the database of 'vigil user list') is its owner's only.
func TestRunRestrictsUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	var out, errb bytes.Buffer
	if code := run([]string{"user", "list", "--data", dir}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if m := syscall.Umask(0o077); m != 0o077 {
		t.Errorf("umask after run: %o, want 077", m)
	}
	for _, name := range []string{"", "vigil.db"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if m := st.Mode().Perm(); m&0o077 != 0 {
			t.Errorf("%q has mode %o", name, m)
		}
	}
}

// TestWarnSharedDataDir: a data directory readable by others is warned
// about at start, without its path.
func TestWarnSharedDataDir(t *testing.T) {
	for _, c := range []struct {
		mode os.FileMode
		warn bool
	}{{0o755, true}, {0o750, true}, {0o700, false}} {
		dir := filepath.Join(t.TempDir(), "jdoe-vigil")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, c.mode); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		(&dbFlags{data: dir}).warnShared(slog.New(slog.NewTextHandler(&b, nil)))
		if got := strings.Contains(b.String(), "level=WARN"); got != c.warn {
			t.Errorf("mode %o: warned %v: %s", c.mode, got, b.String())
		}
		if strings.Contains(b.String(), "jdoe") {
			t.Errorf("the warning names the path: %s", b.String())
		}
	}
	(&dbFlags{data: "/nonexistent", url: "postgres://x"}).warnShared(slog.New(slog.NewTextHandler(io.Discard, nil)))
}
