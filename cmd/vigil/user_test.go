package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

func runCmd(t *testing.T, fn func(context.Context, []string, io.Reader, io.Writer, io.Writer) error, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := fn(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), err
}

func TestUserAndTokenCommands(t *testing.T) {
	data := t.TempDir()
	const pw = "a long enough password"
	steps := []struct {
		name    string
		fn      func(context.Context, []string, io.Reader, io.Writer, io.Writer) error
		stdin   string
		args    []string
		wantOut string
		wantErr string
		usage   bool
	}{
		{"add admin", runUser, pw + "\n", []string{"add", "--data", data, "--name", "ada", "--role", "admin", "--password-stdin"}, "added user ada (admin)", "", false},
		{"add viewer (CRLF)", runUser, pw + "\r\n", []string{"add", "--data", data, "--name", "vic", "--role", "viewer", "--password-stdin"}, "added user vic (viewer)", "", false},
		{"duplicate", runUser, pw, []string{"add", "--data", data, "--name", "vic", "--role", "viewer", "--password-stdin"}, "", "already exists", false},
		{"bad role", runUser, pw, []string{"add", "--data", data, "--name", "x", "--role", "root", "--password-stdin"}, "", "unknown role", true},
		{"no password flag", runUser, pw, []string{"add", "--data", data, "--name", "x", "--role", "viewer"}, "", "--password-stdin is required", true},
		{"empty stdin", runUser, "", []string{"add", "--data", data, "--name", "x", "--role", "viewer", "--password-stdin"}, "", "no password", true},
		{"short password", runUser, "short\n", []string{"add", "--data", data, "--name", "x", "--role", "viewer", "--password-stdin"}, "", "at least 10", false},
		{"bad name", runUser, pw, []string{"add", "--data", data, "--name", "a b", "--role", "viewer", "--password-stdin"}, "", "not allowed", false},
		{"no name", runUser, pw, []string{"disable", "--data", data}, "", "--name is required", true},
		{"unknown sub", runUser, "", []string{"frobnicate", "--data", data}, "", "unknown subcommand", true},
		{"no sub", runUser, "", nil, "", "missing subcommand", true},
		{"set-role", runUser, "", []string{"set-role", "--data", data, "--name", "vic", "--role", "analyst"}, "user vic: analyst, active", "", false},
		{"set-role unknown user", runUser, "", []string{"set-role", "--data", data, "--name", "nobody", "--role", "analyst"}, "", "no such user", false},
		{"disable", runUser, "", []string{"disable", "--data", data, "--name", "vic"}, "user vic: analyst, disabled", "", false},
		{"list", runUser, "", []string{"list", "--data", data}, "vic   analyst  disabled", "", false},
		{"enable", runUser, "", []string{"enable", "--data", data, "--name", "vic"}, "user vic: analyst, active", "", false},
		{"set-password", runUser, "another long password\n", []string{"set-password", "--data", data, "--name", "vic", "--password-stdin"}, "user vic: analyst, active", "", false},
		{"token no user flag", runToken, "", []string{"create", "--data", data}, "", "--user is required", true},
		{"token unknown user", runToken, "", []string{"create", "--data", data, "--user", "nobody"}, "", "no such user", false},
		{"token bad ttl", runToken, "", []string{"create", "--data", data, "--user", "vic", "--ttl-days", "-1"}, "", "--ttl-days", true},
		{"token no verb", runToken, "", []string{"--data", data}, "", "usage", true},
	}
	for _, s := range steps {
		out, err := runCmd(t, s.fn, s.stdin, s.args...)
		if s.wantErr == "" {
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if !strings.Contains(out, s.wantOut) {
				t.Fatalf("%s: output %q lacks %q", s.name, out, s.wantOut)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), s.wantErr) {
			t.Fatalf("%s: error %v, want one containing %q", s.name, err, s.wantErr)
		}
		var ue usageError
		if errors.As(err, &ue) != s.usage {
			t.Errorf("%s: usage error %v, want %v", s.name, errors.As(err, &ue), s.usage)
		}
	}

	// token create prints only the token, which the API accepts.
	out, err := runCmd(t, runToken, "", "create", "--data", data, "--user", "vic", "--name", "etl")
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimSuffix(out, "\n")
	if strings.ContainsAny(tok, " \n\t") || !strings.HasPrefix(tok, auth.TokenPrefix) {
		t.Fatalf("token create printed %q", out)
	}
	ctx := context.Background()
	db := openTestStore(t, data)
	h := (&web.Server{DB: db}).Handler()
	req := httptest.NewRequest("GET", "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"name":"vic"`) || !strings.Contains(w.Body.String(), `"role":"analyst"`) {
		t.Fatalf("API with the printed token: %d %s", w.Code, w.Body.String())
	}
	// token list shows it; token revoke ends it.
	db.Close()
	out, err = runCmd(t, runToken, "", "list", "--data", data, "--user", "vic")
	if err != nil || !strings.Contains(out, "etl") || !strings.Contains(out, "never") {
		t.Fatalf("token list: %q %v", out, err)
	}
	id := strings.Fields(strings.Split(out, "\n")[1])[0]
	if _, err := runCmd(t, runToken, "", "revoke", "--data", data, "--id", id); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, runToken, "", "revoke", "--data", data, "--id", id); err == nil {
		t.Fatal("revoking twice succeeded")
	}
	if _, err := runCmd(t, runToken, "", "revoke", "--data", data); err == nil {
		t.Fatal("revoke without --id succeeded")
	}
	if db, err = sqlite.Open(ctx, data, sqlite.Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h = (&web.Server{DB: db}).Handler()
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", w.Code)
	}
	// The new password works, the old does not.
	svc := auth.NewService(db)
	if _, err := svc.Login(ctx, "vic", "another long password", "127.0.0.1"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if _, err := svc.Login(ctx, "vic", pw, "127.0.0.2"); !errors.Is(err, auth.ErrBadLogin) {
		t.Errorf("old password: %v", err)
	}
	// Everything the commands changed is in the audit log, by the CLI operator.
	recs := testutil.AuditLog(t, db, audit.Filter{Limit: 1000})
	count := map[string]int{}
	for _, r := range recs {
		if strings.HasPrefix(r.Actor, "cli") {
			count[r.Action]++
		}
		if strings.Contains(r.Detail, pw) {
			t.Errorf("audit record holds the password: %+v", r)
		}
	}
	if count["user.create"] != 2 || count["user.update"] != 4 || count["token.create"] != 1 || count["token.revoke"] != 1 {
		t.Errorf("audit by cli: %v", count)
	}
}
