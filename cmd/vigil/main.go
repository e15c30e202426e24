// Command vigil is Vigil's single binary: the server, the importers and the
// analysis commands. This package only wires packages together: main.go
// lists every subcommand in one literal table (commands); each lives in its
// own cmd_<name>.go file, parses its flags and calls the capability packages.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	// subs lists the command's own subcommands, if it has any: main answers
	// 'vigil NAME', 'vigil NAME -h' and unknown subcommands from it, so every
	// command with subcommands behaves the same way.
	subs []sub
	run  func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

// sub is one subcommand of a command, with a one-line summary.
type sub struct{ name, summary string }

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// subUsage lists a command's subcommands.
func subUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "vigil %s: %s\n\nUsage: vigil %s SUBCOMMAND [flags]\n\nSubcommands:\n", c.name, c.summary, c.name)
	for _, s := range c.subs {
		fmt.Fprintf(w, "  %-12s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nRun 'vigil %s SUBCOMMAND -h' for a subcommand's flags.\n", c.name)
}

// ownSubcommand checks the subcommand of a command that prints its own
// usage text instead of listing subs (indicator, watch): without one, the
// text and a usage error naming want; with -h or --help, the text and
// flag.ErrHelp; with one not in names, the text and a usage error.
func ownSubcommand(args []string, usage, want string, stderr io.Writer, names ...string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, usage)
		if len(args) == 0 {
			return usageError{"want a subcommand: " + want}
		}
		return flag.ErrHelp
	}
	if !slices.Contains(names, args[0]) {
		fmt.Fprintln(stderr, usage)
		return usageError{fmt.Sprintf("unknown subcommand %q", args[0])}
	}
	return nil
}

// commands is every subcommand, in the order 'vigil -h' lists them (by
// name); each one's run function is in its cmd_<name>.go file.
var commands = []command{
	{name: "alerts", run: runAlerts, // cmd_alerts.go
		summary: "community alert network: purge reporter data, import a gazetteer, escalate overdue incidents",
		subs: []sub{
			{"purge", "remove reporters' phone numbers and names from old alerts"},
			{"gazetteer", "import a gazetteer of place names for locating alert text"},
			{"import-cap", "import CAP 1.2 alerts from a file"},
			{"escalate", "escalate incidents past their SLA now"},
		}},
	{name: "backtest", run: runBacktest, // cmd_backtest.go
		summary: "walk-forward evaluation of the risk model and its baselines"},
	{name: "brief", run: runBrief, // cmd_brief.go
		summary: "the monthly protection-and-performance brief for leadership (PDF or printable HTML, English or French)"},
	{name: "broadcast", run: runBroadcast, // cmd_contacts.go
		summary: "send a broadcast to community contacts through a gateway channel",
		subs: []sub{
			{"send", "send a message to a group or to everyone near a place, in each contact's language"},
		}},
	{name: "channel", run: runChannel, // cmd_channel.go
		summary: "alert intake channels: add (prints the intake URL), list, tipline (mark or unmark one as a tipline), lang (the language of its answers to reporters), disable, enable, remove, secret (a new one)",
		subs: []sub{
			{"add", "create an intake channel and print its intake URL"},
			{"list", "list intake channels with their intake URLs"},
			{"tipline", "mark an existing channel as a tipline (on) or an ordinary alert channel (off), audited"},
			{"lang", "set the language of an existing channel's SMS answers to its reporters (en, fr or none), audited"},
			{"disable", "stop an existing channel taking messages (its gateway is refused, its alerts stay), audited"},
			{"enable", "let a disabled channel take messages again, audited"},
			{"remove", "remove a channel that never took an alert nor sent a message, audited"},
			{"secret", "give an existing channel a new secret (printed once) or, with --secret-stdin, the one given (Twilio: the new auth token), audited"},
		}},
	{name: "contacts", run: runContacts, // cmd_contacts.go
		summary: "community contacts: import from CSV",
		subs: []sub{
			{"import", "import contacts (phone,name,language,groups,place or lat,lon); all rows or none"},
		}},
	{name: "coverage", run: runCoverage, // cmd_coverage.go
		summary: "deployment coverage: check (responsiveness on real data), gaps, tob (placement), cut",
		subs: []sub{
			{"check", "responsiveness: how fast deployments followed violence"},
			{"gaps", "ranked uncovered risk for a month"},
			{"tob", "choose temporary operating base sites (maximal covering)"},
			{"cut", "compare ways to cut deployments by a share"},
		}},
	{name: "deploy", run: runDeploy, // cmd_deploy.go
		summary: "deployments: 'deploy import FILE' (Geo-PKO, CSV, GeoJSON), 'deploy list'",
		subs: []sub{
			{"import", "import deployments (Geo-PKO, CSV, GeoJSON)"},
			{"list", "list deployments"},
		}},
	{name: "enumerator", run: runEnumerator, // cmd_enumerator.go
		summary: "let a user submit to a survey form from ODK clients: add",
		subs: []sub{
			{"add", "let a user submit to a form from ODK clients"},
		}},
	{name: "forecast", run: runForecast, // cmd_forecast.go
		summary: "write cell (or, with --grid country, country) risk forecasts for the coming months into the store"},
	{name: "form", run: runForm, // cmd_form.go
		summary: "survey forms for ODK clients: add (XForm .xml or XLSForm .xlsx), list, open, close",
		subs: []sub{
			{"add", "add a form (XForm .xml or XLSForm .xlsx)"},
			{"list", "list forms"},
			{"open", "open a form for submissions"},
			{"close", "close a form to submissions"},
		}},
	{name: "import", run: runImport, // cmd_import.go
		summary: "import conflict events (UCDP GED, ACLED, HXL, GeoJSON files)"},
	{name: "indicator", run: runIndicator, // cmd_indicator.go
		summary: "performance indicators that compute themselves: list, value"},
	{name: "items", run: runItems, // cmd_items.go
		summary: "information integrity: import content items from a monitoring export (CSV or JSON lines) or RSS/Atom feeds",
		subs: []sub{
			{"import", "import a monitoring export (idempotent on source+id; re-import updates engagement)"},
			{"feed", "poll RSS/Atom feeds once (schedule it with cron): new entries become items"},
		}},
	{name: "keys", run: runKeys, // cmd_keys.go
		summary: "encryption keys for personal data: list, rotate (new key + re-encrypt alert data)",
		subs: []sub{
			{"list", "list encryption keys"},
			{"rotate", "make a new key and re-encrypt personal data with it"},
		}},
	{name: "mdmh", run: runMDMH, // cmd_mdmh.go
		summary: "harmful-speech classifier and narrative grouping (train, classify, cluster, split)"},
	{name: "plan", run: runPlan, // cmd_plan.go
		summary: "placement planning: 'plan mclp' solves a maximal covering location problem from files",
		subs: []sub{
			{"mclp", "solve a maximal covering location problem from files"},
		}},
	{name: "serve", run: runServe, // cmd_serve.go
		summary: "run the web server (--demo: with built-in demo data and a demo login)"},
	{name: "survey", run: runSurvey, // cmd_survey.go
		summary: "survey analysis from CSV: estimate, unheard, protect",
		subs: []sub{
			{"estimate", "design-based estimates from a CSV"},
			{"unheard", "who is unheard: sample shares against population margins"},
			{"protect", "k-anonymity check and protection before export"},
		}},
	{name: "token", run: runToken, // cmd_token.go
		summary: "API tokens: create (prints the token), list, revoke",
		subs: []sub{
			{"create", "create an API token for a user (printed once)"},
			{"list", "list a user's tokens"},
			{"revoke", "revoke a token"},
		}},
	{name: "user", run: runUser, // cmd_user.go
		summary: "manage users: add, list, disable, enable, set-role, set-password",
		subs: []sub{
			{"add", "add a user"},
			{"list", "list users"},
			{"disable", "disable a user"},
			{"enable", "enable a user"},
			{"set-role", "change a user's role"},
			{"set-password", "set a user's password"},
		}},
	{name: "version", run: runVersion, // cmd_version.go
		summary: "print the version"},
	{name: "views", run: runViews, // cmd_views.go
		summary: "VIEWS challenge country-month forecasts (forecast, score, replay)",
		subs: []sub{
			{"forecast", "VIEWS challenge forecasts from a features file"},
			{"score", "score forecasts against actuals (CRPS and benchmarks)"},
			{"replay", "the same method on challenge-shaped windows cut from events"},
		}},
	{name: "watch", run: runWatch, // cmd_watch.go
		summary: "watches on protection after change: withdrawals (deployments ended vs matched areas that kept theirs)"},
}

// findCommand returns the subcommand called name.
func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usageError makes main print the message and exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Vigil — data and decisions for peace operations.")
	fmt.Fprintln(w, "\nUsage: vigil COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'vigil COMMAND -h' for a command's flags.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	restrictUmask()
	if len(args) == 0 || isHelp(args[0]) {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := findCommand(args[0])
	if !ok {
		fmt.Fprintf(stderr, "vigil: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if len(c.subs) > 0 {
		switch {
		case len(args) == 1:
			subUsage(stderr, c)
			return 2
		case isHelp(args[1]):
			subUsage(stdout, c)
			return 0
		}
		known := false
		for _, s := range c.subs {
			known = known || s.name == args[1]
		}
		if !known {
			fmt.Fprintf(stderr, "vigil %s: unknown subcommand %q\n\n", c.name, args[1])
			subUsage(stderr, c)
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := c.run(ctx, args[1:], stdin, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "vigil %s: %s\n", c.name, ue.msg)
		return 2
	}
	msg := err.Error()
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprintf(stderr, "vigil %s: %s", c.name, msg)
	return 1
}

// newFlags returns a FlagSet for a subcommand that reports errors instead of
// exiting, writing help to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("vigil "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// printJSON writes v to w as indented JSON (the commands' --json output).
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// parseNoArgs parses a command's flags; it takes no other arguments. The
// error for one names it, followed by usage when that is not empty.
func parseNoArgs(fs *flag.FlagSet, args []string, usage string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		msg := fmt.Sprintf("unexpected argument %q", fs.Arg(0))
		if usage != "" {
			msg += "\n" + usage
		}
		return usageError{msg}
	}
	return nil
}

// printTable writes rows under header as the list commands print them:
// one line a row (line's columns separated by tabs), the columns aligned.
// An error from line stops it before anything is written.
func printTable[T any](w io.Writer, header string, rows []T, line func(T) (string, error)) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		l, err := line(r)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, l)
	}
	return tw.Flush()
}

// readFile opens the file at path and reads it with read, which names it
// path in its errors (the importers' FILE:LINE).
func readFile[T any](path string, read func(r io.Reader, name string) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return read(f, path)
}
