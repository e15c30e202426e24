// Command vigil is Vigil's single binary: the server, the importers and the
// analysis commands. This package only wires packages together: each
// subcommand lives in its own cmd_<name>.go file, registers itself from init,
// parses its flags and calls the capability packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
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

var commands = map[string]command{}

// register adds a subcommand; called from init in each cmd_*.go file.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("duplicate command " + c.name)
	}
	commands[c.name] = c
}

// usageError makes main print the message and exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Vigil — data and decisions for peace operations.")
	fmt.Fprintln(w, "\nUsage: vigil COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
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
	c, ok := commands[args[0]]
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
