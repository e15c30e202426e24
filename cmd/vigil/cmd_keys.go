package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-project/vigil/crypt"
)

func runKeys(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("keys", "list or rotate", args, stderr)
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch sub {
	case "list":
		k, err := crypt.Load(d.keyDir())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "active %s\nkeys %s\n", k.Active(), strings.Join(k.IDs(), " "))
		return nil
	case "rotate":
		svc, db, err := openAlerts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		id, err := svc.Keys.Rotate()
		if err != nil {
			return err
		}
		n, err := svc.Reseal(ctx, cliActor())
		if err != nil {
			return fmt.Errorf("new key %s is active but re-encryption failed (run vigil keys rotate again): %w", id, err)
		}
		fmt.Fprintf(stdout, "new active key %s; %d alert-network values re-encrypted; old keys stay in the key file for other data\n", id, n)
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want list or rotate)", sub)}
}
