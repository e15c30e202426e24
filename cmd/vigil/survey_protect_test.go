package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/surveys/starter"
)

// TestSurveyProtectFreeText: with --form, free-text columns (here a note
// the starter form does not define, and its round) leave only when named
// in --text; meta/instanceID never does.
func TestSurveyProtectFreeText(t *testing.T) {
	dir := t.TempDir()
	form := filepath.Join(dir, "starter.xml")
	if err := os.WriteFile(form, starter.FormXML, 0o600); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("region,sex,round,q_safety,meta/instanceID,note\n")
	for i := 0; i < 6; i++ {
		csv.WriteString("north,female,R1,safe,uuid:x" + string(rune('a'+i)) + ",Amina Oumarou lives by the well\n")
	}
	answers := filepath.Join(dir, "answers.csv")
	if err := os.WriteFile(answers, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args     []string
		header   string
		excluded string
	}{
		{nil, "region,sex,q_safety", "note, round"},
		{[]string{"--text", "round"}, "region,sex,q_safety,round", "note"},
		{[]string{"--text", "note,round"}, "region,sex,note,q_safety,round", ""},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"protect", "--csv", answers, "--qi", "region,sex", "--k", "5", "--form", form}, c.args...)
		if err := runSurvey(context.Background(), args, nil, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, stderr.String())
		}
		header, _, _ := strings.Cut(stdout.String(), "\n")
		if header != c.header || strings.Contains(stdout.String(), "uuid:") {
			t.Errorf("%v: header %q, want %q\n%s", c.args, header, c.header, stdout.String())
		}
		if c.excluded != "" && !strings.Contains(stderr.String(), "left out (name them with --text to export them): "+c.excluded) {
			t.Errorf("%v: stderr %q", c.args, stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if err := runSurvey(context.Background(), []string{"protect", "--csv", answers, "--qi", "region", "--form", form, "--text", "q_safety"}, nil, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "not a free-text field") {
		t.Errorf("--text q_safety: %v", err)
	}
}
