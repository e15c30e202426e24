package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/alerts"
)

func runChannel(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, args, fs, d, err := storeSub("channel", channelSubs, args, stderr)
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
		lang := fs.String("lang", "", "the language of the SMS answers to its reporters: en or fr (none: each message's own language)")
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
		// The service's refusal names the Administration page's field;
		// here the flag is the field.
		if strings.TrimSpace(s) == "" && k == alerts.Twilio {
			return usageError{"a twilio channel needs --auth-token (Twilio's auth token: it checks each message's signature)"}
		} else if strings.TrimSpace(s) == "" && k != alerts.Web {
			return usageError{fmt.Sprintf("a %s channel needs --secret, 8 to 200 characters (gateways must prove who they are)", k)}
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
		if *lang != "" {
			opts = append(opts, alerts.InLang(*lang))
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
		return printTable(stdout, "ID\tKIND\tNAME\tLEGAL BASIS\tTIPLINE\tLANG\tINTAKE URL", cs, func(c alerts.Channel) (string, error) {
			return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t%s%s", c.ID, c.Kind, c.Name, c.LegalBasis, map[bool]string{true: "yes", false: "no"}[c.Tipline], cmp.Or(c.Lang, "none"), b, alerts.IntakePath(c)), nil
		})
	case "tipline", "lang", "disable", "enable", "remove", "secret":
		// The CLI's PATCH, DELETE and POST …/secret of
		// /api/v1/alerts/channels/{id}: the same service calls, audited in
		// the operator's name.
		w := channelWords[sub]
		fs.Usage = func() {
			fmt.Fprintf(stderr, "usage: vigil channel %s [--data DIR | --db URL] --id ID %s\n\n%s\n", sub, strings.Join(w.words, "|"), w.help)
			fs.PrintDefaults()
		}
		id := fs.Int64("id", 0, "the channel's id, as 'vigil channel list' shows it")
		var fromStdin *bool
		if sub == "secret" {
			fromStdin = fs.Bool("secret-stdin", false, "read the new secret from the first line of standard input (a Twilio channel's new auth token: required); without it an SMSSync or webhook channel gets one the server makes")
		}
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *id <= 0 {
			return usageError{"--id: want the channel's id, as 'vigil channel list' shows it"}
		}
		if w.words == nil && fs.NArg() > 0 {
			return usageError{fmt.Sprintf("%q: vigil channel %s takes no argument after the flags", strings.Join(fs.Args(), " "), sub)}
		}
		if word := fs.Arg(0); w.words != nil && (!slices.Contains(w.words, word) || fs.NArg() != 1) {
			return usageError{fmt.Sprintf("%q: want %s after the flags (vigil channel %s --data DIR --id 3 %s)", strings.Join(fs.Args(), " "), orList(w.words), sub, w.words[0])}
		}
		var secret string
		if fromStdin != nil && *fromStdin {
			if secret, err = readPassword(stdin); err != nil {
				return usageError{"--secret-stdin: no secret on standard input"}
			}
		}
		svc, db, err := openAlerts(ctx, d)
		if err != nil {
			return err
		}
		defer db.Close()
		switch sub {
		case "remove":
			if err := svc.RemoveChannel(ctx, cliActor(), *id); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "channel %d removed\n", *id)
		case "secret":
			out, err := svc.RotateSecret(ctx, cliActor(), *id, alerts.SecretRequest{Secret: secret})
			if err != nil {
				return err
			}
			if out.Secret == "" {
				fmt.Fprintf(stdout, "channel %d (%s): new auth token saved; the old one no longer works\n", out.Channel.ID, out.Channel.Name)
			} else {
				fmt.Fprintf(stdout, "channel %d (%s): new secret %s\n(the old one no longer works: put this one in the gateway now; it is not shown again)\n", out.Channel.ID, out.Channel.Name, out.Secret)
			}
		default:
			c, err := svc.PatchChannel(ctx, cliActor(), *id, w.patch(fs.Arg(0)))
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "channel %d (%s): %s\n", c.ID, c.Name, w.said(c.Channel))
		}
		return nil
	}
	return usageError{fmt.Sprintf("unknown subcommand %q (want %s)", sub, channelSubs)}
}

// channelSubs are vigil channel's subcommands.
const channelSubs = "add, list, tipline, lang, disable, enable, remove or secret"

// channelWord is a subcommand that changes one thing of an existing
// channel, to one of its words (none: the subcommand says it): the patch
// it makes and what it says after (remove and secret: their help only).
type channelWord struct {
	words []string
	help  string
	patch func(word string) alerts.ChannelPatch
	said  func(c alerts.Channel) string
}

var channelWords = map[string]channelWord{
	"disable": {nil,
		"Disables an existing channel (its id from 'vigil channel list'): its gateway is refused and nothing it sends is stored; its alerts stay. As Administration → Intake channels does.",
		func(string) alerts.ChannelPatch { yes := true; return alerts.ChannelPatch{Disabled: &yes} },
		func(alerts.Channel) string {
			return "disabled: its gateway is refused and nothing it sends is stored (its alerts stay)"
		}},
	"enable": {nil,
		"Enables a disabled channel (its id from 'vigil channel list') again.",
		func(string) alerts.ChannelPatch { no := false; return alerts.ChannelPatch{Disabled: &no} },
		func(alerts.Channel) string { return "enabled: it takes messages again" }},
	"remove": {nil,
		"Removes a channel that never took an alert nor sent a message (its id from 'vigil channel list'); one with alerts or messages is refused: disable it instead.", nil, nil},
	"secret": {nil,
		"Gives an existing channel (its id from 'vigil channel list') a new secret: SMSSync and webhook channels get one the server makes, printed once (or the first line of standard input with --secret-stdin); a Twilio channel takes the new auth token from Twilio's console on standard input (--secret-stdin). The old secret stops working at once.", nil, nil},
	"tipline": {[]string{"on", "off"},
		"Marks an existing channel (its id from 'vigil channel list') as a tipline (on: its next messages also become content items on the Integrity page) or an ordinary alert channel (off).",
		func(w string) alerts.ChannelPatch { on := w == "on"; return alerts.ChannelPatch{Tipline: &on} },
		func(c alerts.Channel) string {
			return map[bool]string{true: "tipline on: its next messages also become integrity items", false: "tipline off: its messages are alerts only"}[c.Tipline]
		}},
	"lang": {[]string{"en", "fr", "none"},
		"Sets the language of the SMS answers an existing channel (its id from 'vigil channel list') gives its reporters: en, fr, or none (each message's own language), as Administration → Intake channels does.",
		func(w string) alerts.ChannelPatch {
			l := w
			if w == "none" {
				l = ""
			}
			return alerts.ChannelPatch{Lang: &l}
		},
		func(c alerts.Channel) string {
			return "answers its reporters in " + map[string]string{"en": "English", "fr": "French", "": "each message's own language"}[c.Lang]
		}},
}

// orList says words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
