package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// auditWrites are the ways the code base names the action of an audit
// entry it writes: an audit.Entry literal, an action variable set before
// it, or the action argument of integrity's Service.Add / SaveItems.
var auditWrites = []*regexp.Regexp{
	regexp.MustCompile(`Action: "([a-z][a-z0-9_.-]*[a-z0-9_-])"`),
	regexp.MustCompile(`\baction\s*:?=\s*"([a-z][a-z0-9_.-]*[a-z0-9_-])"`),
	regexp.MustCompile(`\baction = \w+, "([a-z][a-z0-9_.-]*[a-z0-9_-])"`),
	regexp.MustCompile(`\baction, detail := "([a-z][a-z0-9_.-]*[a-z0-9_-])"`),
	regexp.MustCompile(`\.Add\(ctx, \w+, "([a-z][a-z0-9_.-]*[a-z0-9_-])"`),
}

// auditActions collects every action code the Go sources (tests
// excepted) write, from the module root two levels up. The one computed
// code, "integrity.check." + a check log kind, is expanded from the
// integrity.Log* constants.
func auditActions(t *testing.T) []string {
	t.Helper()
	root := filepath.Join("..", "..")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "storetest" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		src := string(b)
		for _, re := range auditWrites {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				seen[m[1]] = true
			}
		}
		if strings.Contains(src, `Action: "integrity.check." + e.Kind`) {
			kinds, err := os.ReadFile(filepath.Join(root, "integrity", "check.go"))
			if err != nil {
				return err
			}
			for _, m := range regexp.MustCompile(`(?m)^\s*Log[A-Z]\w*\s*=\s*"([a-z_]+)"`).FindAllStringSubmatch(string(kinds), -1) {
				seen["integrity.check."+m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// TestAuditActionLabels: every action code the server writes to the audit
// log has a label (admin.audit.do.<code>) in the English and French admin
// dictionaries, so the Administration → Audit log tab shows it in words.
func TestAuditActionLabels(t *testing.T) {
	actions := auditActions(t)
	// The collection must really find the codes: a few well-known ones.
	for _, want := range []string{"user.create", "login.fail", "survey.read", "integrity.check.state", "integrity.check.reply", "alerts.channel.tipline", "events.import", "integrity.feed.add", "submission.attach"} {
		if i := sort.SearchStrings(actions, want); i == len(actions) || actions[i] != want {
			t.Errorf("action %q not collected from the sources (collected %d: %v)", want, len(actions), actions)
		}
	}
	a, err := Load(embedded)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		var d map[string]string // the merged dictionary the browser loads
		if err := json.Unmarshal(a.files["i18n/"+lang+".json"].Body, &d); err != nil {
			t.Fatalf("i18n/%s.json: %v", lang, err)
		}
		for _, code := range actions {
			if strings.TrimSpace(d["admin.audit.do."+code]) == "" {
				t.Errorf("i18n/admin.%s.json: no label admin.audit.do.%s for the audit action %s", lang, code, code)
			}
		}
	}
}
