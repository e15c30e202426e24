package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/shareddata"
)

func vigil(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestFormAndEnumeratorCommands(t *testing.T) {
	dir := t.TempDir()
	simple := shareddata.Path(t, "odk/central-backend/simple.form.xml")
	orOther := shareddata.Path(t, "odk/pyxform/or_other.xlsx")
	media := filepath.Join(t.TempDir(), "logo.png")
	os.WriteFile(media, []byte("PNG"), 0o644)

	if code, out, errs := vigil(t, "", "form", "add", "--data", dir, "--media", media, simple); code != 0 || !strings.Contains(out, `form simple (version "", "Simple") is open; 1 media files`) || !strings.Contains(out, "warning: media file logo.png is not referred to") {
		t.Fatalf("form add xml: %d %q %q", code, out, errs)
	}
	xform := filepath.Join(t.TempDir(), "or_other.xml")
	if code, out, errs := vigil(t, "", "form", "add", "--data", dir, "--xform-out", xform, orOther); code != 0 || !strings.Contains(out, "form or_other") {
		t.Fatalf("form add xlsx: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(xform); err != nil || !bytes.Contains(b, []byte(`<data id="or_other">`)) {
		t.Fatalf("--xform-out: %v %s", err, b)
	}
	code, out, _ := vigil(t, "", "form", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "or_other") || !strings.Contains(out, "simple") || !strings.Contains(out, "open") {
		t.Fatalf("form list: %d\n%s", code, out)
	}
	if code, out, _ := vigil(t, "", "form", "close", "--data", dir, "simple"); code != 0 || out != "form simple is closed\n" {
		t.Fatalf("form close: %d %q", code, out)
	}
	if code, _, errs := vigil(t, "", "form", "close", "--data", dir, "nope"); code != 1 || !strings.Contains(errs, `form "nope" does not exist`) {
		t.Fatalf("form close nope: %d %q", code, errs)
	}
	// Bad inputs name the problem.
	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte(`<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance><bind nodeset="/data/a" constraint=". &gt;"/></model></h:head></h:html>`), 0o644)
	if code, _, errs := vigil(t, "", "form", "add", "--data", dir, bad); code != 1 || !strings.Contains(errs, "/data/a: constraint: XPath syntax error") {
		t.Fatalf("bad form: %d %q", code, errs)
	}
	if code, _, _ := vigil(t, "", "form", "add", "--data", dir); code != 2 {
		t.Fatalf("form add without a file: %d", code)
	}

	if code, _, errs := vigil(t, "", "enumerator", "add", "--data", dir, "--form", "simple", "--user", "aminata"); code != 1 || !strings.Contains(errs, `user "aminata" does not exist`) {
		t.Fatalf("enumerator add unknown user: %d %q", code, errs)
	}
	if code, out, errs := vigil(t, "a long enumerator password\n", "enumerator", "add", "--data", dir, "--form", "simple", "--user", "aminata", "--create", "--password-stdin"); code != 0 || !strings.Contains(out, "user aminata created (role viewer)") || !strings.Contains(out, "aminata may now submit to form simple") {
		t.Fatalf("enumerator add --create: %d %q %q", code, out, errs)
	}
	ctx := context.Background()
	db := openTestStore(t, dir)
	f, err := db.FormByFormID(ctx, "simple")
	if err != nil || f.State != "closed" {
		t.Fatalf("form = %+v, %v", f, err)
	}
	u, err := db.UserByName(ctx, "aminata")
	if err != nil || u.Role != "viewer" {
		t.Fatalf("user = %+v, %v", u, err)
	}
	if ok, err := db.CanSubmit(ctx, f.ID, u.ID); err != nil || !ok {
		t.Fatalf("CanSubmit = %v, %v", ok, err)
	}
}
