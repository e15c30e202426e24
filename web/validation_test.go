package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys/starter"
)

func auditCount(t *testing.T, db *storage.DB) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkRefused asserts a 400 JSON answer naming field, and that nothing was
// written (every write adds an audit entry).
func checkRefused(t *testing.T, db *storage.DB, what string, code int, body []byte, field string, before int) {
	t.Helper()
	var e struct{ Error, Field string }
	if err := json.Unmarshal(body, &e); code != 400 || err != nil || e.Field != field || e.Error == "" {
		t.Errorf("%s: %d %s, want 400 naming %q", what, code, body, field)
	}
	if after := auditCount(t, db); after != before {
		t.Errorf("%s: %d audit entries written", what, after-before)
	}
}

// TestNamesRefuseInvisibleCharacters: names of API tokens, coverage
// scenarios and population layers refuse NUL, bidi overrides and
// zero-width characters (the shared internal/textcheck rule).
func TestNamesRefuseInvisibleCharacters(t *testing.T) {
	e := newEnv(t)
	bad := map[string]string{"NUL": `a\u0000b`, "bidi override": `invoice\u202Etxt.exe`, "zero-width space": `ad\u200Bmin`, "isolate": `x\u2067y`}
	for what, name := range bad {
		for _, c := range []struct{ path, body string }{
			{"/api/v1/tokens", `{"name":"` + name + `"}`},
			{"/api/v1/coverage/scenarios", `{"name":"` + name + `","kind":"plan","month":"2024-01","body":{}}`},
			{"/api/v1/coverage/population", `{"name":"` + name + `","data":"gid,population\n1,2\n"}`},
		} {
			before := auditCount(t, e.db)
			resp, b := e.do(nil, "POST", c.path, reqOpt{token: e.tokens["ana"], body: c.body, ctype: "application/json"})
			checkRefused(t, e.db, c.path+" with "+what, resp.StatusCode, b, "name", before)
		}
	}
	// A plain name still works.
	if resp, b := e.do(nil, "POST", "/api/v1/tokens", reqOpt{token: e.tokens["ana"], body: `{"name":"Exports – Bunia"}`, ctype: "application/json"}); resp.StatusCode != 200 && resp.StatusCode != 201 {
		t.Errorf("plain token name: %d %s", resp.StatusCode, b)
	}
}

// TestInterlocutorValidation: impossible dates and invisible characters
// are refused naming the field; a long query value quoted in the audit log
// does not turn into a 500.
func TestInterlocutorValidation(t *testing.T) {
	e := newSAEnv(t)
	for _, c := range []struct{ body, field string }{
		{`{"date":"2026-02-30","place":"north"}`, "date"},
		{`{"date":"2026-13-01","place":"north"}`, "date"},
		{`{"date":"2026-11-02","place":"no\u202Erth"}`, "place"},
		{`{"date":"2026-11-02","place":"north","role":"chief\u0000"}`, "role"},
		{`{"date":"2026-11-02","place":"north","group":"i\u200Bdp"}`, "group"},
	} {
		before := auditCount(t, e.db)
		code, b, _ := e.do("POST", "/api/v1/surveys/interlocutors", "ana", "application/json", c.body)
		checkRefused(t, e.db, c.body, code, b, c.field, before)
	}
	if code, b, _ := e.do("GET", "/api/v1/surveys/interlocutors?from=2026-02-30", "ana", "", ""); code != 400 || !strings.Contains(string(b), `"field":"from"`) {
		t.Errorf("from=2026-02-30: %d %s", code, b)
	}
	// A round value of 6 KB is quoted in the export's audit detail.
	long := strings.Repeat("R", 6000)
	code, b, _ := e.do("GET", "/api/v1/surveys/forms/"+starter.FormID+"/export?round="+long, "ana", "", "")
	if code >= 500 {
		t.Errorf("export with a 6 KB round: %d %s", code, b)
	}
}

// TestMoveNullBody: a body of null or {} does not move the alert.
func TestMoveNullBody(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-2", "Attack at 1.5625, 30.2484 again", "s3cret-gw"), ctype: formCT})
	as, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{Limit: 10})
	if err != nil || len(as) != 2 {
		t.Fatalf("%v %v", as, err)
	}
	for _, body := range []string{"null", "{}"} {
		before := auditCount(t, e.db)
		resp, b := e.do(nil, "POST", "/api/v1/alerts/"+i64s(as[0].ID)+"/move", reqOpt{token: e.tokens["rex"], body: body, ctype: "application/json"})
		checkRefused(t, e.db, "move "+body, resp.StatusCode, b, "incident", before)
	}
}
