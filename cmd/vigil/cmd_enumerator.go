package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys"
)

const enumeratorUsage = `usage: vigil enumerator add --form FORM_ID --user NAME [--create] [--password-stdin] [--data DIR | --db URL]

Enumerators log in to ODK Collect / Enketo / Web Forms with their Vigil user
name and password: HTTP Digest (plain HTTP on a trusted network) or HTTP
Basic (over TLS only). --create makes a new user with the viewer role (the
least privileged) for an enumerator who has no account. --password-stdin
without --create checks an existing user's password and enables Digest for
them (the password is not changed).`

func runEnumerator(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, enumeratorUsage)
			return nil
		}
		return usageError{"want the subcommand add\n" + enumeratorUsage}
	}
	fs, d := storeFlags("enumerator add", stderr)
	formID := fs.String("form", "", "form id")
	name := fs.String("user", "", "user name")
	create := fs.Bool("create", false, "create the user (role viewer) if it does not exist")
	pwStdin := fs.Bool("password-stdin", false, "read the user's password from standard input (new user with --create; existing user: enable Digest)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *formID == "" || *name == "" || fs.NArg() > 0 {
		return usageError{"--form and --user are required\n" + enumeratorUsage}
	}
	if *create && !*pwStdin {
		return usageError{"--create needs --password-stdin"}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := db.FormByFormID(ctx, *formID)
	if errors.Is(err, surveys.ErrNoForm) {
		return fmt.Errorf("form %q does not exist (vigil form list)", *formID)
	}
	if err != nil {
		return err
	}
	actor := operatorActor()
	acct, err := db.UserByName(ctx, *name)
	switch {
	case errors.Is(err, auth.ErrNoUser) && *create:
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		svc := auth.NewService(db)
		svc.SealDigest = digestSealer(d) // stored with the user, in one transaction
		if acct, err = svc.CreateUser(ctx, actor, *name, auth.Viewer, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %s created (role viewer)\n", *name)
	case errors.Is(err, auth.ErrNoUser):
		return fmt.Errorf("user %q does not exist (add --create --password-stdin, or vigil user add)", *name)
	case err != nil:
		return err
	case *pwStdin:
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if !auth.VerifyPassword(acct.PasswordHash, pw) {
			return fmt.Errorf("user %q: the password on standard input is not the user's password (change it with vigil user set-password)", *name)
		}
		if err := setDigest(ctx, d, db, actor, acct.Name, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Digest login enabled for %s\n", *name)
	}
	if acct.Disabled {
		return fmt.Errorf("user %q is disabled", *name)
	}
	if err := db.GrantForm(ctx, actor, f.ID, acct.ID); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s may now submit to form %s\n", *name, f.FormID)
	if acct.Role.AtLeast(auth.Analyst) {
		fmt.Fprintf(stdout, "(as %s, %s could already submit to every form)\n", acct.Role, *name)
	}
	return nil
}
