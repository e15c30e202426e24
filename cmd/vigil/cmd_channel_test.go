package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestChannelTiplineCLI: 'vigil channel tipline ID on|off' marks an
// existing channel as a tipline or not, as PATCH /api/v1/alerts/channels/{id}
// does, each change audited in the operator's name; an unknown channel, a
// bad id or a word other than on/off is refused naming it, and changes
// nothing.
func TestChannelTiplineCLI(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	var out, errb bytes.Buffer
	if code := run([]string{"channel", "add", "--data", dir, "--kind", "smssync", "--name", "Goma relay", "--secret", "relay"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("channel add: exit %d: %s", code, errb.String())
	}
	steps := []struct {
		args        []string // after 'channel tipline --data DIR'
		code        int
		say         string // on stdout (code 0) or stderr
		tipline     bool   // the stored flag afterwards
		auditDetail string // the newest audit entry's detail ("" for none written)
	}{
		{[]string{"--id", "1", "on"}, 0, "channel 1 (Goma relay): tipline on", true, "tipline on"},
		{[]string{"--id", "1", "off"}, 0, "channel 1 (Goma relay): tipline off", false, "tipline off"},
		{[]string{"--id", "1", "on"}, 0, "tipline on", true, "tipline on"},
		{[]string{"--id", "2", "off"}, 1, "no channel 2", true, ""},
		{[]string{"--id", "relay", "off"}, 1, `invalid value "relay" for flag -id`, true, ""},
		{[]string{"--id", "1", "yes"}, 2, `"yes": want on or off`, true, ""},
		{[]string{"--id", "1"}, 2, `"": want on or off`, true, ""},
		{[]string{"on"}, 2, "--id: want the channel's id", true, ""},
		{[]string{"--id", "1", "on", "off"}, 2, `"on off": want on or off`, true, ""},
	}
	var want []string // audit details expected, oldest first
	for _, st := range steps {
		out.Reset()
		errb.Reset()
		code := run(append([]string{"channel", "tipline", "--data", dir}, st.args...), strings.NewReader(""), &out, &errb)
		got := out.String()
		if st.code != 0 {
			got = errb.String()
		}
		if code != st.code || !strings.Contains(got, st.say) {
			t.Errorf("channel tipline %v: exit %d, %q; want exit %d saying %q", st.args, code, out.String()+errb.String(), st.code, st.say)
		}
		if st.auditDetail != "" {
			want = append(want, st.auditDetail)
		}
		db := openTestStore(t, dir)
		cs, err := db.Channels(context.Background())
		if err != nil || len(cs) != 1 || cs[0].Tipline != st.tipline {
			t.Errorf("channel tipline %v: channels %+v (%v), want one with tipline %v", st.args, cs, err, st.tipline)
		}
		recs := testutil.AuditLog(t, db, audit.Filter{Action: "alerts.channel.tipline"})
		slices.SortFunc(recs, func(a, b audit.Record) int { return int(a.ID - b.ID) })
		var details []string
		for _, r := range recs {
			if r.Actor != cliActor() || r.Object != "channel:1" {
				t.Errorf("audit entry %+v: want actor %q, object channel:1", r, cliActor())
			}
			details = append(details, r.Detail)
		}
		if !slices.Equal(details, want) {
			t.Errorf("channel tipline %v: audit details %q, want %q", st.args, details, want)
		}
		db.Close()
	}
}

// TestChannelList: 'vigil channel list' prints a table as the other list
// commands do (a header, the columns aligned): each channel's id, kind,
// name, legal basis, whether it is a tipline, and its intake URL under the
// configured base URL (VIGIL_BASE_URL or --base-url).
func TestChannelList(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	t.Setenv("VIGIL_BASE_URL", "https://vigil.example.org/")
	var out, errb bytes.Buffer
	for _, args := range [][]string{
		{"--kind", "web", "--name", "Djugu form"},
		{"--kind", "smssync", "--name", "Bunia tips", "--secret", "s", "--tipline", "--legal-basis", "consent"},
	} {
		out.Reset()
		if code := run(append([]string{"channel", "add", "--data", dir}, args...), strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("channel add %v: exit %d: %s", args, code, errb.String())
		}
		if !strings.HasPrefix(out.String(), "https://vigil.example.org/intake/") {
			t.Errorf("channel add %v printed %q", args, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"channel", "list", "--data", dir}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("channel list: exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []struct{ id, kind, name, basis, tipline, url string }{
		{"ID", "KIND", "NAME", "LEGAL BASIS", "TIPLINE", "INTAKE URL"},
		{"1", "web", "Djugu form", "vital interest", "no", "https://vigil.example.org/intake/web/"},
		{"2", "smssync", "Bunia tips", "consent", "yes", "https://vigil.example.org/intake/smssync/"},
	}
	if len(lines) != len(want) {
		t.Fatalf("channel list printed %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	cols := regexp.MustCompile(` {2,}`) // the table's columns: aligned with at least two spaces
	for i, w := range want {
		got := cols.Split(strings.TrimSpace(lines[i]), -1)
		if len(got) != 6 || got[0] != w.id || got[1] != w.kind || got[2] != w.name || got[3] != w.basis || got[4] != w.tipline || !strings.HasPrefix(got[5], w.url) {
			t.Errorf("line %d: %q, want columns %q", i+1, got, w)
		}
		if i > 0 && strings.Index(lines[i], got[4]) != strings.Index(lines[0], "TIPLINE") {
			t.Errorf("line %d: the tipline column is not under its header:\n%s", i+1, out.String())
		}
	}
}
