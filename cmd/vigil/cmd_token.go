package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/vigil-project/vigil/auth"
)

const tokenUsage = `usage: vigil token create --user NAME [--name LABEL] [--ttl-days N] [--data DIR | --db URL]
       vigil token list --user NAME
       vigil token revoke --id ID`

// runToken creates an API token and prints only the token, for scripts:
// TOKEN=$(vigil token create --user etl). It is shown once and never stored.
func runToken(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "list" || args[0] == "revoke") {
		return runTokenAdmin(ctx, args, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, tokenUsage)
			return nil
		}
		return usageError{tokenUsage}
	}
	fs, d := storeFlags("token create", stderr)
	userName := fs.String("user", "", "the user the token acts as (required)")
	label := fs.String("name", "", "a label for the token, e.g. \"nightly import\"")
	ttlDays := fs.Int("ttl-days", 0, "days until the token expires (0: never)")
	if err := parseNoArgs(fs, args[1:], tokenUsage); err != nil {
		return err
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

// runTokenAdmin lists a user's tokens or revokes one (audited).
func runTokenAdmin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := storeFlags("token "+args[0], stderr)
	userName := fs.String("user", "", "the user whose tokens to list")
	id := fs.Int64("id", 0, "the token id to revoke (from token list)")
	if err := parseNoArgs(fs, args[1:], tokenUsage); err != nil {
		return err
	}
	if args[0] == "list" && *userName == "" {
		return usageError{"--user is required\n" + tokenUsage}
	}
	if args[0] == "revoke" && *id <= 0 {
		return usageError{"--id is required (a positive token id)\n" + tokenUsage}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "revoke" {
		if err := db.RevokeToken(ctx, operatorActor(), *id); err != nil {
			return fmt.Errorf("token %d: %w", *id, err)
		}
		fmt.Fprintf(stdout, "revoked token %d\n", *id)
		return nil
	}
	acc, err := db.UserByName(ctx, *userName)
	if err != nil {
		return fmt.Errorf("user %s: %w", *userName, err)
	}
	toks, err := db.Tokens(ctx, acc.ID)
	if err != nil {
		return err
	}
	return printTable(stdout, "ID\tNAME\tCREATED\tEXPIRES", toks, func(t auth.Token) (string, error) {
		exp := "never"
		if !t.Expires.IsZero() {
			exp = t.Expires.Format("2006-01-02")
		}
		return fmt.Sprintf("%d\t%s\t%s\t%s", t.ID, t.Name, t.Created.Format("2006-01-02"), exp), nil
	})
}
