package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/testutil/golden"
)

var updateMDMHGolden = flag.Bool("update-mdmh", false, "rewrite the mdmh golden files")

func mdmhGolden(t *testing.T, got []byte, name string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "mdmh", name), got, *updateMDMHGolden)
}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var so, se bytes.Buffer
	if code := run(args, nil, &so, &se); code != 0 {
		t.Fatalf("vigil %s: exit %d: %s", strings.Join(args, " "), code, se.String())
	}
	return so.String()
}

// The documented classifier commands on a small harmless fixture: train a
// three-label model, classify with it and with the built-in model, cluster.
func TestMDMHCommands(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "topics.model")
	runOK(t, "mdmh", "train", "--in", "testdata/mdmh/train.csv", "--text-column", "text", "--label-column", "label", "--out", model, "--quiet")
	scored := filepath.Join(dir, "scored.csv")
	runOK(t, "mdmh", "classify", "--model", model, "--in", "testdata/mdmh/items.csv", "--text-column", "text", "--out", scored)
	b, _ := os.ReadFile(scored)
	mdmhGolden(t, b, "items.scored.golden.csv")

	explained := filepath.Join(dir, "explained.csv")
	runOK(t, "mdmh", "classify", "--model", model, "--in", "testdata/mdmh/items.csv", "--out", explained, "--explain", "3")
	b, _ = os.ReadFile(explained)
	mdmhGolden(t, b, "items.explained.golden.csv")

	builtin := filepath.Join(dir, "builtin.csv")
	runOK(t, "mdmh", "classify", "--in", "testdata/mdmh/items.csv", "--out", builtin)
	b, _ = os.ReadFile(builtin)
	mdmhGolden(t, b, "items.builtin.golden.csv")

	clusters := filepath.Join(dir, "clusters.csv")
	runOK(t, "mdmh", "cluster", "--in", "testdata/mdmh/items.csv", "--text-column", "text", "--out", clusters)
	b, _ = os.ReadFile(clusters)
	mdmhGolden(t, b, "items.clusters.golden.csv")

	// the lexicon-hit features: the starter lexicon (the default), none,
	// or a lexicon CSV; the model says which terms it matched
	for _, lex := range []string{"starter", "none", "testdata/mdmh/lexicon.csv"} {
		runOK(t, "mdmh", "train", "--in", "testdata/mdmh/train.csv", "--lexicon", lex, "--c", "1", "--out", model, "--quiet")
		runOK(t, "mdmh", "classify", "--model", model, "--in", "testdata/mdmh/items.csv", "--out", explained, "--explain", "5")
		b, _ = os.ReadFile(explained)
		if got := strings.Contains(string(b), "lexicon: checkpoint="); got != (lex == "testdata/mdmh/lexicon.csv") {
			t.Errorf("--lexicon %s: a reason names the lexicon's 'checkpoint': %v\n%s", lex, got, b)
		}
	}

	if out := runOK(t, "mdmh", "-h"); !strings.Contains(out, "classify") {
		t.Errorf("mdmh -h printed %q", out)
	}
}

func TestMDMHBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing text column", []string{"mdmh", "classify", "--in", "testdata/mdmh/no_text.csv", "--out", out}, `testdata/mdmh/no_text.csv:1: missing column "text"`},
		{"bad quote", []string{"mdmh", "cluster", "--in", "testdata/mdmh/bad_quote.csv", "--out", out}, "testdata/mdmh/bad_quote.csv:2:"},
		{"one label", []string{"mdmh", "train", "--in", "testdata/mdmh/items.csv", "--label-column", "source", "--out", out}, "need two labels or more"},
		{"missing label column", []string{"mdmh", "train", "--in", "testdata/mdmh/items.csv", "--out", out}, `missing column "label"`},
		{"bad model", []string{"mdmh", "classify", "--model", "testdata/mdmh/items.csv", "--in", "testdata/mdmh/items.csv", "--out", out}, "not a Vigil classifier model"},
		{"bad model kind", []string{"mdmh", "train", "--in", "testdata/mdmh/train.csv", "--model-kind", "multinomial,ovo", "--out", out}, `--model-kind: "ovo" is not multinomial or one-vs-rest`},
		{"no subcommand", []string{"mdmh", "frobnicate"}, "unknown subcommand"},
		{"missing lexicon", []string{"mdmh", "train", "--in", "testdata/mdmh/train.csv", "--lexicon", "testdata/mdmh/nothere.csv", "--out", out}, "testdata/mdmh/nothere.csv"},
		{"bad lexicon", []string{"mdmh", "train", "--in", "testdata/mdmh/train.csv", "--lexicon", "testdata/mdmh/bad_lexicon.csv", "--out", out}, "testdata/mdmh/bad_lexicon.csv:2"},
		{"lexicon with hashing", []string{"mdmh", "train", "--in", "testdata/mdmh/train.csv", "--dim", "1024", "--out", out}, "--lexicon needs an exact vocabulary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var so, se bytes.Buffer
			if code := run(tc.args, nil, &so, &se); code == 0 || !strings.Contains(se.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want failure naming %q", code, se.String(), tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output file was written")
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("left files behind: %v", ents)
			}
		})
	}
}
