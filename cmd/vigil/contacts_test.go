package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestContactsImportAndBroadcast: contacts imported from a CSV (places by
// name and by lat,lon), a bad file named by FILE:LINE that writes nothing,
// and a broadcast by group and by area queued through a channel.
func TestContactsImportAndBroadcast(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	good := writeTemp(t, dir, "contacts.csv", "phone,name,language,groups,place,lat,lon\n"+
		"+243810000001,Amani,fr,can-djugu,Bunia,,\n"+
		"+243810000002,Grace,sw,can-djugu;leaders,,1.57,30.26\n"+
		"+243810000003,Radio Okapi,en,radio,,-4.32,15.31\n")
	bad := writeTemp(t, dir, "more.csv", "phone,name,language\n+243810000009,Jo,fr\n+243810000008,Lu,xx\n")

	var out, errb bytes.Buffer
	call := func(args ...string) int {
		out.Reset()
		errb.Reset()
		return run(args, strings.NewReader(""), &out, &errb)
	}
	if code := call("contacts", "import", "--data", data, "--consent", "verbal, meeting", good); code != 0 {
		t.Fatalf("import: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "3 contacts imported") {
		t.Fatalf("import said %q", out.String())
	}
	if code := call("contacts", "import", "--data", data, "--consent", "verbal", bad); code == 0 || !strings.Contains(errb.String(), "more.csv:3: language") {
		t.Fatalf("bad file: %d %q", code, errb.String())
	}
	if code := call("channel", "add", "--data", data, "--kind", "smssync", "--name", "Bunia phone", "--secret", "s-secret"); code != 0 {
		t.Fatalf("channel: %s", errb.String())
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--group", "can-djugu"}, "2 messages queued"},
		{[]string{"--near", "Bunia", "--radius-km", "30"}, "2 messages queued"},
		{[]string{"--group", "radio", "--lang", "en"}, "1 messages queued"},
		{[]string{"--cells", "132181"}, "2 messages queued"},         // Bunia's cell (1.5-2.0 N, 30.0-30.5 E)
		{[]string{"--cells", "123511, 132181"}, "3 messages queued"}, // and Kinshasa's
		{[]string{"--admin-area", "Ituri"}, "2 messages queued"},
	} {
		args := append([]string{"broadcast", "send", "--data", data, "--channel", "Bunia phone", "--message", "Réunion demain"}, tc.args...)
		if code := call(args...); code != 0 || !strings.Contains(out.String(), tc.want) {
			t.Fatalf("%v: %d %q %q", tc.args, code, out.String(), errb.String())
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--channel", "nope", "--group", "x"}, `no channel named "nope"`},
		{[]string{"--channel", "Bunia phone", "--near", "Qwxzv", "--radius-km", "5"}, "near_place: no place named"},
		{[]string{"--channel", "Bunia phone", "--group", "x", "--near", "Bunia", "--radius-km", "5"}, "give one audience"},
		{[]string{"--channel", "Bunia phone", "--near", "Bunia"}, "radius_km"},
		{[]string{"--channel", "Bunia phone", "--cells", "120642,x"}, `--cells: "x" is not a PRIO-GRID cell id`},
		{[]string{"--channel", "Bunia phone", "--admin-area", "Qwxzv"}, "admin_area"},
		{[]string{"--channel", "Bunia phone", "--group", "x", "--cells", "120642"}, "give one audience"},
	} {
		args := append([]string{"broadcast", "send", "--data", data, "--message", "x"}, tc.args...)
		if code := call(args...); code == 0 || !strings.Contains(errb.String(), tc.want) {
			t.Fatalf("%v: %d %q", tc.args, code, errb.String())
		}
	}
}
