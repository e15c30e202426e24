package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// fileSuffixes are the files SQLite keeps for a database in WAL mode.
var fileSuffixes = []string{"", "-wal", "-shm", "-journal"}

// privateFiles makes the database file and its WAL, shared-memory and
// journal files readable by their owner only (0600), whatever the process
// umask: it creates the database file 0600 when it does not exist yet
// (SQLite gives the -wal and -shm files it creates the database file's
// mode) and takes the group and other bits off files that exist (a data
// directory from an earlier version, or files made under a loose umask).
// It never widens a mode.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		if err := f.Close(); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("database file: %w", err)
	}
	for _, s := range fileSuffixes {
		st, err := os.Stat(path + s)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("database file%s: %w", s, err)
		}
		if m := st.Mode().Perm(); m&0o077 != 0 {
			if err := os.Chmod(path+s, m&^0o077); err != nil {
				return fmt.Errorf("database file%s: %w", s, err)
			}
		}
	}
	return nil
}
