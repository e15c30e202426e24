//go:build unix

package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestDatabaseFilesPrivate: under a loose umask (022) and in a data
// directory that already exists, vigil.db, -wal and -shm are 0600; files
// left 0644 by an earlier version are tightened on open.
func TestDatabaseFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	for _, c := range []struct {
		name    string
		prepare func(dir string)
	}{
		{"new files in an existing directory", func(string) {}},
		{"files left 0644", func(dir string) {
			for _, s := range []string{"", "-wal", "-shm"} {
				if err := os.WriteFile(filepath.Join(dir, "vigil.db"+s), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			c.prepare(dir)
			ctx := context.Background()
			db, err := sqlite.Open(ctx, dir, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Audit(ctx, db.SQL, audit.Entry{Actor: "t", Action: "test.write", Object: "x"}); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"", "-wal", "-shm"} {
				st, err := os.Stat(filepath.Join(dir, "vigil.db"+s))
				if err != nil {
					t.Fatalf("vigil.db%s: %v", s, err)
				}
				if m := st.Mode().Perm(); m != 0o600 {
					t.Errorf("vigil.db%s has mode %o, want 600", s, m)
				}
			}
		})
	}
}
