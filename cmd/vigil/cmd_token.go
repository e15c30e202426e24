package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/vigil-project/vigil/auth"
)

func init() {
	register(command{name: "token", summary: "create API tokens (vigil token create --user NAME)", run: runToken})
}

const tokenUsage = "usage: vigil token create --user NAME [--name LABEL] [--ttl-days N] [--data DIR | --db URL]"

// runToken creates an API token and prints only the token, for scripts:
// TOKEN=$(vigil token create --user etl). It is shown once and never stored.
func runToken(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, tokenUsage)
			return nil
		}
		return usageError{tokenUsage}
	}
	fs := newFlags("token create", stderr)
	var d dbFlags
	d.add(fs)
	userName := fs.String("user", "", "the user the token acts as (required)")
	label := fs.String("name", "", "a label for the token, e.g. \"nightly import\"")
	ttlDays := fs.Int("ttl-days", 0, "days until the token expires (0: never)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q\n%s", fs.Arg(0), tokenUsage)}
	}
	if *userName == "" {
		return usageError{"--user is required\n" + tokenUsage}
	}
	if *ttlDays < 0 || *ttlDays > 3650 {
		return usageError{"--ttl-days must be between 0 (never expires) and 3650"}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	tok, _, err := auth.NewService(db).CreateToken(ctx, operatorActor(), *userName, *label, time.Duration(*ttlDays)*24*time.Hour)
	if err != nil {
		return fmt.Errorf("user %s: %w", *userName, err)
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
