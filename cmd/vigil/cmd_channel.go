package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vigil-project/vigil/alerts"
)

func runChannel(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("channel", "add, list or tipline", args, stderr)
	if err != nil {
		return err
	}
	base := fs.String("base-url", os.Getenv("VIGIL_BASE_URL"), "public URL of the server, to print the full intake URL (env VIGIL_BASE_URL, as for serve)")
	baseURL := func() string {
		if *base == "" {
			fmt.Fprintln(stderr, "vigil channel: no --base-url or VIGIL_BASE_URL: intake URLs show the local address http://127.0.0.1:8080")
			return "http://127.0.0.1:8080"
		}
		return strings.TrimRight(*base, "/")
	}
	switch sub {
	case "add":
		kind := fs.String("kind", "", "smssync, twilio, webhook or web")
		name := fs.String("name", "", "a name for the channel (e.g. the gateway phone's location)")
		secret := fs.String("secret", "", "SMSSync secret or webhook token")
		token := fs.String("auth-token", "", "Twilio auth token (checks X-Twilio-Signature)")
		tipline := fs.Bool("tipline", false, "a tipline: its messages also become content items on the Integrity page (forwarded rumours)")
		basis := fs.String("legal-basis", "vital interest", "legal basis for processing reporters' data: "+strings.Join(alerts.LegalBases, ", "))
		if err := fs.Parse(args); err != nil {
			return err
		}
		k, err := alerts.ParseKind(*kind)
		if err != nil {
			return usageError{"--kind: " + err.Error()}
		}
		s := *secret
		if k == alerts.Twilio {
			if *secret != "" {
				return usageError{"a twilio channel takes --auth-token, not --secret"}
			}
			s = *token
		} else if *token != "" {
			return usageError{"--auth-token is for twilio channels"}
		}
		svc, db, err := openAlerts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		var opts []alerts.ChannelOption
		if *tipline {
			opts = append(opts, alerts.AsTipline)
		}
		c, err := svc.NewChannel(ctx, cliActor(), k, *name, s, *basis, opts...)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s%s\n", baseURL(), alerts.IntakePath(c))
		return nil
	case "list":
		svc, db, err := parseAndOpen(ctx, fs, args, d, openAlerts)
		if err != nil {
			return err
		}
		defer db.Close()
		cs, err := svc.Store.Channels(ctx)
		if err != nil {
			return err
		}
		b := baseURL()
		return printTable(stdout, "ID\tKIND\tNAME\tLEGAL BASIS\tTIPLINE\tINTAKE URL", cs, func(c alerts.Channel) (string, error) {
			return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s%s", c.ID, c.Kind, c.Name, c.LegalBasis, map[bool]string{true: "yes", false: "no"}[c.Tipline], b, alerts.IntakePath(c)), nil
		})
	case "tipline":
		// The CLI's PATCH /api/v1/alerts/channels/{id}: the same service
		// call, audited in the operator's name.
		fs.Usage = func() {
			fmt.Fprintln(stderr, "usage: vigil channel tipline [--data DIR | --db URL] --id ID on|off\n\nMarks an existing channel (its id from 'vigil channel list') as a tipline (on: its next messages also become content items on the Integrity page) or an ordinary alert channel (off).")
			fs.PrintDefaults()
		}
		id := fs.Int64("id", 0, "the channel's id, as 'vigil channel list' shows it")
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *id <= 0 {
			return usageError{"--id: want the channel's id, as 'vigil channel list' shows it"}
		}
		on, ok := map[string]bool{"on": true, "off": false}[fs.Arg(0)]
		if !ok || fs.NArg() != 1 {
			return usageError{fmt.Sprintf("%q: want on or off after the flags (vigil channel tipline --data DIR --id 3 on)", strings.Join(fs.Args(), " "))}
		}
		svc, db, err := openAlerts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		c, err := svc.PatchChannel(ctx, cliActor(), *id, alerts.ChannelPatch{Tipline: &on})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "channel %d (%s): tipline %s\n", c.ID, c.Name,
			map[bool]string{true: "on: its next messages also become integrity items", false: "off: its messages are alerts only"}[c.Tipline])
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want add, list or tipline)", sub)}
}
