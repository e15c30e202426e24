package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestHelp: 'vigil' alone lists every command; 'vigil X -h' and, for
// commands with subcommands, 'vigil X SUB -h' answer with exit 0 and that
// command's own help, never "unknown subcommand".
func TestHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, strings.NewReader(""), &out, &errb); code != 2 {
		t.Errorf("vigil alone: exit %d, want 2", code)
	}
	for _, c := range commands {
		if !strings.Contains(out.String(), "  "+c.name+" ") {
			t.Errorf("vigil alone does not list %q:\n%s", c.name, out.String())
		}
	}
	for _, c := range commands {
		n := c.name
		cases := [][]string{{n, "-h"}, {n, "--help"}}
		for _, s := range c.subs {
			cases = append(cases, []string{n, s.name, "-h"})
		}
		for _, args := range cases {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				var out, errb bytes.Buffer
				code := run(args, strings.NewReader(""), &out, &errb)
				all := out.String() + errb.String()
				if code != 0 {
					t.Fatalf("exit %d, want 0:\n%s", code, all)
				}
				if strings.Contains(all, "unknown subcommand") || strings.TrimSpace(all) == "" {
					t.Errorf("help output:\n%s", all)
				}
				if len(args) == 3 && !strings.Contains(all, "vigil "+args[0]+" "+args[1]) && !strings.Contains(all, "usage") {
					t.Errorf("%s -h does not name its subcommand:\n%s", args[1], all)
				}
			})
		}
	}
}

// TestCommandList: the literal command list is sorted by name (the order
// 'vigil -h' prints), has no name twice and every command can run.
func TestCommandList(t *testing.T) {
	if len(commands) == 0 {
		t.Fatal("no commands")
	}
	for i, c := range commands {
		if c.name == "" || c.summary == "" || c.run == nil {
			t.Errorf("command %d %q: name, summary and run are required", i, c.name)
		}
		if i > 0 && commands[i-1].name >= c.name {
			t.Errorf("commands: %q listed after %q; keep the list sorted by name, each name once", c.name, commands[i-1].name)
		}
		if got, ok := findCommand(c.name); !ok || got.name != c.name {
			t.Errorf("findCommand(%q) = %q, %v", c.name, got.name, ok)
		}
	}
	if _, ok := findCommand("nope"); ok {
		t.Error("findCommand found a command that does not exist")
	}
}

// TestCoverageSubcommandFlags: each coverage subcommand shows only its own
// flags (gaps does not list tob's --p or cut's --share).
func TestCoverageSubcommandFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"coverage", "gaps", "-h"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	help := errb.String() + out.String()
	for _, want := range []string{"-month", "-limit"} {
		if !strings.Contains(help, want) {
			t.Errorf("gaps -h lacks %s:\n%s", want, help)
		}
	}
	for _, not := range []string{"-share", "-mobility", "-geopko", "-budget"} {
		if strings.Contains(help, not) {
			t.Errorf("gaps -h lists another subcommand's %s:\n%s", not, help)
		}
	}
}
