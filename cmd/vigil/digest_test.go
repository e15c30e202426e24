package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/openrosa"
)

const digestTestForm = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
  <h:head><h:title>Tiny</h:title><model>
    <instance><data id="tiny"><meta><instanceID/></meta><name/></data></instance>
    <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" calculate="concat('uuid:', uuid())"/>
    <bind nodeset="/data/name" type="string"/>
  </model></h:head>
  <h:body><input ref="/data/name"><label>Name</label></input></h:body>
</h:html>`

// TestDigestCredentialCommands: every command that sets a password also
// stores the sealed Digest HA1 of that password (and audits it), and
// enumerator add --password-stdin enables Digest for an existing user only
// with the right password.
func TestDigestCredentialCommands(t *testing.T) {
	dir := t.TempDir()
	form := filepath.Join(t.TempDir(), "tiny.xml")
	if err := os.WriteFile(form, []byte(digestTestForm), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := vigil(t, "", "form", "add", "--data", dir, form); code != 0 {
		t.Fatalf("form add: %d %q %q", code, out, errs)
	}
	const pw1, pw2, pw3 = "enumerator password 1", "another password 22", "the admin's password"
	steps := []struct {
		name, stdin string
		args        []string
		wantOut     string
		wantErr     string
	}{
		{"enumerator add --create", pw1 + "\n", []string{"enumerator", "add", "--data", dir, "--form", "tiny", "--user", "aminata", "--create", "--password-stdin"}, "user aminata created", ""},
		{"user add", pw3 + "\n", []string{"user", "add", "--data", dir, "--name", "ada", "--role", "admin", "--password-stdin"}, "added user ada", ""},
		{"user add (viewer)", pw3 + "\n", []string{"user", "add", "--data", dir, "--name", "bob", "--role", "viewer", "--password-stdin"}, "added user bob", ""},
		{"set-password", pw2 + "\n", []string{"user", "set-password", "--data", dir, "--name", "aminata", "--password-stdin"}, "user aminata", ""},
		{"enumerator add, wrong password", "not bob's password\n", []string{"enumerator", "add", "--data", dir, "--form", "tiny", "--user", "bob", "--password-stdin"}, "", "not the user's password"},
		{"enumerator add, right password", pw3 + "\n", []string{"enumerator", "add", "--data", dir, "--form", "tiny", "--user", "bob", "--password-stdin"}, "Digest login enabled for bob", ""},
	}
	for _, s := range steps {
		code, out, errs := vigil(t, s.stdin, s.args...)
		if s.wantErr != "" {
			if code == 0 || !strings.Contains(errs, s.wantErr) {
				t.Fatalf("%s: %d %q, want an error with %q", s.name, code, errs, s.wantErr)
			}
			continue
		}
		if code != 0 || !strings.Contains(out, s.wantOut) {
			t.Fatalf("%s: %d %q %q", s.name, code, out, errs)
		}
		if strings.Contains(out+errs, openrosa.HA1("aminata", openrosa.DigestRealm, pw1)) {
			t.Fatalf("%s printed an HA1", s.name)
		}
	}
	ctx := context.Background()
	db, keys := openTestStoreKeys(t, dir)
	for _, c := range []struct{ user, pw string }{{"aminata", pw2}, {"ada", pw3}, {"bob", pw3}} {
		sealed, err := db.DigestHA1(ctx, c.user)
		if err != nil || sealed == nil {
			t.Fatalf("%s: no HA1 (%v)", c.user, err)
		}
		if strings.Contains(string(sealed), openrosa.HA1(c.user, openrosa.DigestRealm, c.pw)) {
			t.Fatalf("%s: HA1 stored in clear", c.user)
		}
		ha1, err := openrosa.OpenHA1(keys, c.user, sealed)
		if err != nil || ha1 != openrosa.HA1(c.user, openrosa.DigestRealm, c.pw) {
			t.Fatalf("%s: HA1 %q, %v; want that of the password last set", c.user, ha1, err)
		}
	}
	recs := testutil.AuditLog(t, db, audit.Filter{Action: "user.digest"})
	// aminata (create, set-password), ada, bob (add, enumerator add)
	if len(recs) != 5 {
		t.Fatalf("%d user.digest audit records, want 5: %+v", len(recs), recs)
	}
}
