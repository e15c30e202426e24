package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// dbFlags are the storage flags every command that touches the store takes.
type dbFlags struct {
	data string
	url  string
}

func (d *dbFlags) add(fs *flag.FlagSet) {
	def := os.Getenv("VIGIL_DATA")
	if def == "" {
		def = "vigil-data"
	}
	fs.StringVar(&d.data, "data", def, "data directory for the embedded SQLite database and keys (env VIGIL_DATA)")
	fs.StringVar(&d.url, "db", os.Getenv("VIGIL_DB"), "PostgreSQL URL (postgres://…) instead of embedded SQLite (env VIGIL_DB)")
}

// storeFlags makes the flag set of the (sub)command name with the store
// flags (--data, --db) every command that touches the store takes.
func storeFlags(name string, stderr io.Writer) (*flag.FlagSet, *dbFlags) {
	fs := newFlags(name, stderr)
	d := &dbFlags{}
	d.add(fs)
	return fs, d
}

// storeSub splits a store command's arguments into its subcommand and the
// rest and makes the subcommand's flags with the store's (--data, --db).
// run has already checked the subcommand against the command's row of the
// commands table; called without one (a test calling the command itself),
// the usage error says which it wants.
func storeSub(cmd, want string, args []string, stderr io.Writer) (string, []string, *flag.FlagSet, *dbFlags, error) {
	if len(args) == 0 {
		return "", nil, nil, nil, usageError{"missing subcommand: want " + want}
	}
	fs, d := storeFlags(cmd+" "+args[0], stderr)
	return args[0], args[1:], fs, d, nil
}

// parseAndOpen parses a subcommand's flags, then opens what open builds
// over the store; the caller closes db.
func parseAndOpen[T any](ctx context.Context, fs *flag.FlagSet, args []string, d *dbFlags, open func(context.Context, *dbFlags) (T, *storage.DB, error)) (svc T, db *storage.DB, err error) {
	if err = fs.Parse(args); err != nil {
		return svc, nil, err
	}
	return open(ctx, d)
}

// open opens the configured store and applies migrations.
func (d *dbFlags) open(ctx context.Context) (*storage.DB, error) {
	if strings.HasPrefix(d.url, "postgres://") || strings.HasPrefix(d.url, "postgresql://") {
		return postgres.Open(ctx, d.url)
	}
	if d.url != "" {
		return nil, usageError{"--db must be a postgres:// URL"}
	}
	return sqlite.Open(ctx, d.data, sqlite.Options{})
}

// keyDir is where secrets (the encryption key) live: the data directory.
func (d *dbFlags) keyDir() string { return filepath.Clean(d.data) }

// warnShared warns when the SQLite data directory can be read or entered
// by group or others (the database and keys in it are 0600, but a shared
// directory shows their names and sizes and lets a loose umask elsewhere
// leak). The path itself is not logged: it often holds a person's name.
func (d *dbFlags) warnShared(log *slog.Logger) {
	if d.url != "" {
		return
	}
	st, err := os.Stat(d.data)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return
	}
	log.Warn("the data directory (--data) is open to group or other users: chmod 700 it", "mode", st.Mode().Perm().String())
}
