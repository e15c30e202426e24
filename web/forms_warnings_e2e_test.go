package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys/starter"
	"github.com/vigil-project/vigil/web"
)

// TestE2EFormWarningsFrench: the warning shown after a form is uploaded on
// the Administration page (an expression the server will not enforce) is
// said in the page's language: the French page shows the catalog's French
// naming the line and node, the English one the server's English as it
// always was. So is the refusal of a malformed XForm, Go's XML reader's
// English kept on the French page as technical detail.
func TestE2EFormWarningsFrench(t *testing.T) {
	t.Parallel()
	s, _, _ := web.NewSurveysTestServer(t)
	srv := serveE2E(t, s, "admin.formwarn", auth.Admin)
	xml := strings.Replace(string(starter.FormXML), `nodeset="/perception/q_trust"`, `nodeset="/perception/q_trust" constraint="pulldata('a', 'b') = 1"`, 1)
	dir := t.TempDir()
	file, bad := filepath.Join(dir, "form.xml"), filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(file, []byte(xml), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("<a>\n<b></a>"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for _, c := range []struct{ lang, warning, malformed string }{
		{"en", `Warning: line 163: /perception/q_trust: constraint "pulldata('a', 'b') = 1" is not enforced by the server (function pulldata())`,
			"Failed: line 2: malformed XML: element <b> closed by </a>"},
		{"fr", "Avertissement\u00a0: ligne 163, /perception/q_trust\u00a0: l’expression constraint «\u202fpulldata('a', 'b') = 1\u202f» n’est pas appliquée par le serveur (la fonction pulldata())",
			"Échec\u00a0: ligne 2\u00a0: XML mal formé (détail technique\u00a0: une balise fermante ne correspond pas à la balise ouverte — element <b> closed by </a>)"},
	} {
		openLang(t, ctx, srv, "#/admin?tab=forms", c.lang, "admin-form-file")
		if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-form-file`), []string{file}), click(css(`#admin-form-upload button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `[...document.querySelectorAll('#admin-body .notice.ok p')].some((p) => p.textContent === `+q(c.warning)+`)`, stepWait); err != nil {
			got, _ := text(ctx, `#admin-body .notice.ok`)
			t.Errorf("%s form upload: %q, want the warning %q", c.lang, got, c.warning)
		}
		if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-form-file`), []string{bad}), click(css(`#admin-form-upload button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `(document.querySelector('#admin-body .notice.error') || {}).textContent === `+q(c.malformed), stepWait); err != nil {
			got, _ := text(ctx, `#admin-body .notice.error`)
			t.Errorf("%s malformed form: %q, want %q", c.lang, got, c.malformed)
		}
	}
}
