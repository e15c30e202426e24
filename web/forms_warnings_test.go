package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestFormUploadWarningKeys: an upload of a form with an expression the
// server will not enforce answers 201 with its English "warnings" as
// always, and beside them "warning_messages": each warning again with the
// catalog key and arguments that say the same text (checked) and its
// French, as a refusal's "error", "key" and "args".
func TestFormUploadWarningKeys(t *testing.T) {
	ctx := context.Background()
	s, _, db := NewSurveysTestServer(t)
	e := serveEnv(t, db, s, nil)
	e.addUser(ctx, "root", auth.Admin)
	xml := strings.Replace(string(starter.FormXML), `nodeset="/perception/q_trust"`, `nodeset="/perception/q_trust" constraint="pulldata('a', 'b') = 1"`, 1)
	resp, b := e.do(nil, "POST", "/api/v1/surveys/forms", reqOpt{token: e.tokens["root"], ctype: "application/xml", body: xml})
	var v struct {
		Warnings        []string
		WarningMessages []struct {
			Warning, Key string
			Args         map[string]string
		} `json:"warning_messages"`
	}
	if err := json.Unmarshal(b, &v); err != nil || resp.StatusCode != 201 || len(v.Warnings) != 1 || len(v.WarningMessages) != 1 {
		t.Fatalf("%d %s, want 201 with one warning", resp.StatusCode, b)
	}
	w := v.WarningMessages[0]
	m := apperr.Message{Key: w.Key, Args: w.Args}
	if w.Warning != v.Warnings[0] || m.Text("en") != w.Warning || w.Key != "xform.warning.not-enforced" ||
		!strings.Contains(m.Text("fr"), ", /perception/q_trust\u00a0: l’expression constraint «\u202fpulldata('a', 'b') = 1\u202f» n’est pas appliquée par le serveur (la fonction pulldata())") {
		t.Errorf("warning %q: %s %q / %q", v.Warnings[0], w.Key, m.Text("en"), m.Text("fr"))
	}
}
