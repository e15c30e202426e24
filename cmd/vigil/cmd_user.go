package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/openrosa"
	"github.com/vigil-project/vigil/storage"
)

const userUsage = `usage: vigil user add --name NAME --role ROLE --password-stdin [--data DIR | --db URL]
       vigil user list [--data DIR | --db URL]
       vigil user disable|enable --name NAME
       vigil user set-role --name NAME --role ROLE
       vigil user set-password --name NAME --password-stdin`

// operatorActor names the operator in the audit log: "cli:<OS user>".
func operatorActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

// readPassword reads the first line of stdin (without its line ending).
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(stdin, auth.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError{"--password-stdin: no password on standard input"}
	}
	return pw, nil
}

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("user", "add, list, disable, enable, set-role or set-password", args, stderr)
	if err != nil {
		return err
	}
	name := fs.String("name", "", "user name")
	role := fs.String("role", "", "role: viewer, responder, analyst or admin")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parseNoArgs(fs, args, userUsage); err != nil {
		return err
	}
	switch sub {
	case "add", "list", "disable", "enable", "set-role", "set-password":
	default:
		return usageError{fmt.Sprintf("unknown subcommand %q\n%s", sub, userUsage)}
	}
	if sub != "list" && *name == "" {
		return usageError{"--name is required\n" + userUsage}
	}
	var r auth.Role
	switch sub {
	case "add", "set-role":
		var err error
		if r, err = auth.ParseRole(*role); err != nil {
			return usageError{"--role: " + err.Error()}
		}
	}
	var pw string
	if sub == "add" || sub == "set-password" {
		if !*pwStdin {
			return usageError{"--password-stdin is required (passwords are never taken as arguments)"}
		}
		var err error
		if pw, err = readPassword(stdin); err != nil {
			return err
		}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.NewService(db)
	svc.SealDigest = digestSealer(d)
	actor := operatorActor()
	switch sub {
	case "add":
		a, err := svc.CreateUser(ctx, actor, *name, r, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added user %s (%s)\n", a.Name, a.Role)
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		return printTable(stdout, "NAME\tROLE\tSTATUS\tCREATED", users, func(u auth.Account) (string, error) {
			st := "active"
			if u.Disabled {
				st = "disabled"
			}
			return fmt.Sprintf("%s\t%s\t%s\t%s", u.Name, u.Role, st, u.Created.Format("2006-01-02")), nil
		})
	default:
		var c auth.Change
		yes, no := true, false
		switch sub {
		case "disable":
			c.Disabled = &yes
		case "enable":
			c.Disabled = &no
		case "set-role":
			c.Role = &r
		case "set-password":
			c.Password = &pw
		}
		a, err := svc.UpdateUser(ctx, actor, *name, c)
		if err != nil {
			return fmt.Errorf("%s: %w", *name, err)
		}
		st := "active"
		if a.Disabled {
			st = "disabled"
		}
		fmt.Fprintf(stdout, "user %s: %s, %s\n", a.Name, a.Role, st)
	}
	return nil
}

// digestSealer seals the HTTP Digest HA1 of a password a command sets, so
// that ODK clients on plain HTTP can log in with Digest (package openrosa),
// with the data directory's keyring: auth.Service.SealDigest, which seals
// it before anything is written and stores it with the user in one
// transaction, audited ("user.digest"); the value is never printed.
func digestSealer(d *dbFlags) func(name, pw string) ([]byte, error) {
	return func(name, pw string) ([]byte, error) {
		keys, err := crypt.Load(d.keyDir())
		if err != nil {
			return nil, err
		}
		return openrosa.SealHA1(keys, name, pw)
	}
}

// setDigest stores the sealed HTTP Digest HA1 of an existing user's
// password (enumerator add without --create), audited ("user.digest").
func setDigest(ctx context.Context, d *dbFlags, db *storage.DB, actor, name, pw string) error {
	sealed, err := digestSealer(d)(name, pw)
	if err != nil {
		return fmt.Errorf("digest credential for %s: %w", name, err)
	}
	return db.SetDigestHA1(ctx, actor, name, sealed)
}
