package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
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
	if code := run([]string{"channel", "add", "--data", dir, "--kind", "smssync", "--name", "Goma relay", "--secret", "relay-secret"}, strings.NewReader(""), &out, &errb); code != 0 {
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
		runSays(t, append([]string{"channel", "tipline", "--data", dir}, st.args...), st.code, st.say)
		if st.auditDetail != "" {
			want = append(want, st.auditDetail)
		}
		db := openTestStore(t, dir)
		cs, err := db.Channels(context.Background())
		if err != nil || len(cs) != 1 || cs[0].Tipline != st.tipline {
			t.Errorf("channel tipline %v: channels %+v (%v), want one with tipline %v", st.args, cs, err, st.tipline)
		}
		details := auditDetails(t, db, "alerts.channel.tipline", "channel:1")
		if !slices.Equal(details, want) {
			t.Errorf("channel tipline %v: audit details %q, want %q", st.args, details, want)
		}
		db.Close()
	}
}

// TestChannelList: 'vigil channel list' prints a table as the other list
// commands do (a header, the columns aligned): each channel's id, kind,
// name, legal basis, whether it is a tipline, the language of its answers
// to reporters (none: each message's own), and its intake URL under the
// configured base URL (VIGIL_BASE_URL or --base-url).
func TestChannelList(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	t.Setenv("VIGIL_BASE_URL", "https://vigil.example.org/")
	var out, errb bytes.Buffer
	for _, args := range [][]string{
		{"--kind", "web", "--name", "Djugu form"},
		{"--kind", "smssync", "--name", "Bunia tips", "--secret", "s-secret", "--tipline", "--legal-basis", "consent", "--lang", "fr"},
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
	want := []struct{ id, kind, name, basis, tipline, lang, url string }{
		{"ID", "KIND", "NAME", "LEGAL BASIS", "TIPLINE", "LANG", "INTAKE URL"},
		{"1", "web", "Djugu form", "vital interest", "no", "none", "https://vigil.example.org/intake/web/"},
		{"2", "smssync", "Bunia tips", "consent", "yes", "fr", "https://vigil.example.org/intake/smssync/"},
	}
	if len(lines) != len(want) {
		t.Fatalf("channel list printed %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	cols := regexp.MustCompile(` {2,}`) // the table's columns: aligned with at least two spaces
	for i, w := range want {
		got := cols.Split(strings.TrimSpace(lines[i]), -1)
		if len(got) != 7 || got[0] != w.id || got[1] != w.kind || got[2] != w.name || got[3] != w.basis || got[4] != w.tipline || got[5] != w.lang || !strings.HasPrefix(got[6], w.url) {
			t.Errorf("line %d: %q, want columns %q", i+1, got, w)
		}
		if i > 0 && strings.Index(lines[i], got[4]) != strings.Index(lines[0], "TIPLINE") {
			t.Errorf("line %d: the tipline column is not under its header:\n%s", i+1, out.String())
		}
	}
}

// TestChannelLangCLI: the language of a channel's SMS answers to its
// reporters was set in Administration and the API only. 'vigil channel add
// --lang' sets it on a new channel and 'vigil channel lang --id ID
// en|fr|none' on an existing one, with the API's checks (an unknown
// language is refused naming the field, nothing written) and audited in
// the operator's name as PATCH /api/v1/alerts/channels/{id} is. A new
// channel whose secret is not 8 to 200 characters is refused, as a new
// secret is, nothing written.
func TestChannelLangCLI(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	steps := []struct {
		args        []string // after 'channel'
		code        int
		say         string   // on stdout (code 0) or stderr
		langs       []string // the stored languages afterwards, by channel
		auditDetail string   // the newest alerts.channel.lang entry ("" for none written)
	}{
		{[]string{"add", "--kind", "smssync", "--name", "Goma relay", "--secret", "relay-secret", "--lang", "fr"}, 0, "/intake/smssync/", []string{"fr"}, ""},
		{[]string{"add", "--kind", "web", "--name", "Beni form", "--lang", "de"}, 1, `lang: "de" is not a language of the answers to reporters (want en, fr, or "" for none)`, []string{"fr"}, ""},
		// A new channel's secret follows a new secret's rule: 8 to 200 characters.
		{[]string{"add", "--kind", "smssync", "--name", "Beni phone", "--secret", "s", "--lang", "en"}, 1, "a channel's secret is 8 to 200 characters (Twilio: its auth token)", []string{"fr"}, ""},
		{[]string{"add", "--kind", "twilio", "--name", "Beni SMS", "--auth-token", "1234567"}, 1, "a channel's secret is 8 to 200 characters", []string{"fr"}, ""},
		{[]string{"add", "--kind", "web", "--name", "Beni form"}, 0, "/intake/web/", []string{"fr", ""}, ""},
		{[]string{"lang", "--id", "2", "en"}, 0, "channel 2 (Beni form): answers its reporters in English", []string{"fr", "en"}, "lang en"},
		{[]string{"lang", "--id", "1", "none"}, 0, "channel 1 (Goma relay): answers its reporters in each message's own language", []string{"", "en"}, "lang none"},
		{[]string{"lang", "--id", "1", "fr"}, 0, "answers its reporters in French", []string{"fr", "en"}, "lang fr"},
		{[]string{"lang", "--id", "1", "de"}, 2, `"de": want en, fr or none`, []string{"fr", "en"}, ""},
		{[]string{"lang", "--id", "3", "en"}, 1, "no channel 3", []string{"fr", "en"}, ""},
		{[]string{"lang", "en"}, 2, "--id: want the channel's id", []string{"fr", "en"}, ""},
	}
	var want []string
	for _, st := range steps {
		runSays(t, append([]string{"channel", st.args[0], "--data", dir}, st.args[1:]...), st.code, st.say)
		if st.auditDetail != "" {
			want = append(want, st.auditDetail)
		}
		db := openTestStore(t, dir)
		cs, err := db.Channels(context.Background())
		var langs []string
		for _, c := range cs {
			langs = append(langs, c.Lang)
		}
		if err != nil || !slices.Equal(langs, st.langs) {
			t.Errorf("channel %v: languages %q (%v), want %q", st.args, langs, err, st.langs)
		}
		details := auditDetails(t, db, "alerts.channel.lang", "")
		if !slices.Equal(details, want) {
			t.Errorf("channel %v: audit details %q, want %q", st.args, details, want)
		}
		db.Close()
	}
}

// runSays runs vigil with args and checks that it exits with code, saying
// say (on stdout when code is 0, else on stderr).
func runSays(t *testing.T, args []string, code int, say string) string {
	t.Helper()
	return runSaysIn(t, "", args, code, say)
}

// runSaysIn is runSays with stdin as standard input; it answers stdout.
func runSaysIn(t *testing.T, stdin string, args []string, code int, say string) string {
	t.Helper()
	var out, errb bytes.Buffer
	got := run(args, strings.NewReader(stdin), &out, &errb)
	text := out.String()
	if code != 0 {
		text = errb.String()
	}
	if got != code || !strings.Contains(text, say) {
		t.Errorf("vigil %v: exit %d, %q; want exit %d saying %q", args, got, out.String()+errb.String(), code, say)
	}
	return out.String()
}

// auditDetails are the details of db's audit entries of action, oldest
// first, each checked to be the operator's (and of object, when given).
func auditDetails(t *testing.T, db interface {
	AuditLog(context.Context, audit.Filter) ([]audit.Record, error)
}, action, object string) []string {
	t.Helper()
	recs := testutil.AuditLog(t, db, audit.Filter{Action: action})
	slices.SortFunc(recs, func(a, b audit.Record) int { return int(a.ID - b.ID) })
	var details []string
	for _, r := range recs {
		if r.Actor != cliActor() || (object != "" && r.Object != object) {
			t.Errorf("audit entry %+v: want actor %q, object %q", r, cliActor(), object)
		}
		details = append(details, r.Detail)
	}
	return details
}

// TestChannelAdminCLI: 'vigil channel disable|enable|remove|secret --id ID'
// do what Administration → Intake channels does, with the same service
// calls and refusals, audited in the operator's name: a new secret the
// server makes is printed once and replaces the old one at once; a given
// one (a Twilio token) is read from standard input, never an argument; a
// channel with alerts is not removed, one never used is.
func TestChannelAdminCLI(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("VIGIL_KEYS", "")
	for _, args := range [][]string{
		{"--kind", "smssync", "--name", "Goma relay", "--secret", "relay-secret-1"},
		{"--kind", "twilio", "--name", "Bunia SMS", "--auth-token", "token-0001"},
		{"--kind", "web", "--name", "CLA form"},
	} {
		runSays(t, append([]string{"channel", "add", "--data", dir}, args...), 0, "/intake/")
	}
	channel := func(id int64) (alerts.Channel, *alerts.Service) {
		t.Helper()
		db, keys := openTestStoreKeys(t, dir)
		t.Cleanup(func() { db.Close() })
		svc := alerts.NewService(db, keys)
		cs, err := db.Channels(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.ID == id {
				c, err := svc.Channel(context.Background(), c.Key)
				if err != nil {
					t.Fatal(err)
				}
				return c, svc
			}
		}
		return alerts.Channel{}, svc
	}
	ch := func(args ...string) []string { return append([]string{"channel", args[0], "--data", dir}, args[1:]...) }
	runSays(t, ch("disable", "--id", "1"), 0, "channel 1 (Goma relay): disabled: its gateway is refused")
	if c, _ := channel(1); !c.Disabled {
		t.Fatal("disable: not stored")
	}
	runSays(t, ch("enable", "--id", "1"), 0, "channel 1 (Goma relay): enabled: it takes messages again")
	runSays(t, ch("disable", "--id", "1", "now"), 2, `"now": vigil channel disable takes no argument`)
	runSays(t, ch("enable", "--id", "9"), 1, "no channel 9")
	if c, _ := channel(1); c.Disabled {
		t.Fatal("enable: not stored, or a refused disable stored")
	}
	out := runSays(t, ch("secret", "--id", "1"), 0, "channel 1 (Goma relay): new secret ")
	made := strings.Fields(strings.SplitN(out, "new secret ", 2)[1])[0]
	if c, _ := channel(1); len(made) < 20 || !alerts.SecretMatches(c, made) || alerts.SecretMatches(c, "relay-secret-1") {
		t.Fatalf("the secret printed %q is not the channel's only secret", made)
	}
	runSaysIn(t, "typed-secret-22\n", ch("secret", "--id", "1", "--secret-stdin"), 0, "new secret typed-secret-22")
	runSays(t, ch("secret", "--id", "2"), 1, "give the new auth token")
	runSaysIn(t, "token-0002\n", ch("secret", "--id", "2", "--secret-stdin"), 0, "channel 2 (Bunia SMS): new auth token saved")
	runSays(t, ch("secret", "--id", "3"), 1, "CLA form is a web form channel: it has no secret")
	if c, _ := channel(2); c.Secret != "token-0002" {
		t.Fatal("the Twilio token given is not stored")
	}
	c, svc := channel(1)
	if !alerts.SecretMatches(c, "typed-secret-22") {
		t.Fatal("the secret given is not stored")
	}
	if _, err := svc.Receive(context.Background(), c, alerts.Inbound{GatewayID: "m1", From: "+243811000009", Message: "Gunfire near the market"}); err != nil {
		t.Fatal(err)
	}
	runSays(t, ch("remove", "--id", "1"), 1, "Goma relay has been used (alerts taken: 1; replies sent: 0; broadcasts carried: 0)")
	runSays(t, ch("remove", "--id", "3"), 0, "channel 3 removed")
	db := openTestStore(t, dir)
	defer db.Close()
	for _, a := range []struct{ action, detail string }{
		{"alerts.channel.disable", "disabled"},
		{"alerts.channel.enable", "enabled"},
		{"alerts.channel.secret", "secret replaced|secret replaced|secret replaced"},
		{"alerts.channel.remove", `kind web, name "CLA form"`},
	} {
		if got := strings.Join(auditDetails(t, db, a.action, ""), "|"); got != a.detail {
			t.Errorf("%s: audit %q, want %q", a.action, got, a.detail)
		}
	}
	if cs, err := db.Channels(context.Background()); err != nil || len(cs) != 2 {
		t.Errorf("channels after the removal: %+v %v", cs, err)
	}
}
