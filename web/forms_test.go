package web

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/surveys"
)

// xlsxType is the Content-Type of an XLSForm upload.
const xlsxType = surveys.XLSXType

// formsReq sends an authenticated JSON-API request with a bearer token of
// a new user of the given role.
func (e *orEnv) token(name string, role auth.Role) string {
	e.t.Helper()
	ctx := context.Background()
	svc := auth.NewService(e.db)
	if _, err := svc.CreateUser(ctx, "test", name, role, orPassword); err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := svc.CreateToken(ctx, "test", name, "t", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *orEnv) api(method, path, tok, ctype string, body []byte) (int, map[string]any) {
	e.t.Helper()
	resp, b := e.send(method, path, "Bearer "+tok, ctype, body)
	var m map[string]any
	json.NewDecoder(strings.NewReader(b)).Decode(&m)
	return resp.StatusCode, m
}

func TestFormsAPI(t *testing.T) {
	e := newOREnv(t)
	admin := e.token("root", auth.Admin)
	analyst := e.token("anna", auth.Analyst)

	form, err := os.ReadFile(shareddata.Path(t, "odk/central-backend/withrepeat.form.xml"))
	if err != nil {
		t.Fatal(err)
	}
	xlsx, err := os.ReadFile(shareddata.Path(t, "odk/pyxform/or_other.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, tok, ctype string
		body             []byte
		path             string
		status           int
		want             string
	}{
		{"analyst cannot upload", analyst, "application/xml", form, "/api/v1/surveys/forms", 403, "admin"},
		{"xform", admin, "application/xml", form, "/api/v1/surveys/forms", 201, "withrepeat"},
		{"xlsform", admin, xlsxType, xlsx, "/api/v1/surveys/forms?id=colours", 201, "colours"},
		{"broken xform", admin, "application/xml", []byte(`<h:html xmlns:h="h"><h:head><model><instance><data id="x"><a/></data></instance><bind nodeset="/data/a" relevant="(. = 1"/></model></h:head></h:html>`), "/api/v1/surveys/forms", 400, "/data/a: relevant: XPath syntax error"},
		{"malformed xml", admin, "application/xml", []byte(`<h:html`), "/api/v1/surveys/forms", 400, "malformed XML"},
		{"broken xlsform", admin, xlsxType, []byte("PK not really"), "/api/v1/surveys/forms", 400, "not an .xlsx workbook"},
		{"wrong type", admin, "text/plain", form, "/api/v1/surveys/forms", 415, "Content-Type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, m := e.api("POST", tc.path, tc.tok, tc.ctype, tc.body)
			b, _ := json.Marshal(m)
			if status != tc.status || !strings.Contains(string(b), tc.want) {
				t.Fatalf("%d %s, want %d with %q", status, b, tc.status, tc.want)
			}
		})
	}
	status, m := e.api("GET", "/api/v1/surveys/forms", analyst, "", nil)
	b, _ := json.Marshal(m)
	if status != 200 || !strings.Contains(string(b), `"form_id":"colours"`) || !strings.Contains(string(b), `"form_id":"withrepeat"`) {
		t.Fatalf("list: %d %s", status, b)
	}
	if status, m := e.api("PUT", "/api/v1/surveys/forms/withrepeat/state", admin, "application/json", []byte(`{"state":"closed"}`)); status != 200 || m["state"] != "closed" {
		t.Fatalf("close: %d %v", status, m)
	}
	if status, m := e.api("PUT", "/api/v1/surveys/forms/withrepeat/state", admin, "application/json", []byte(`{"state":"maybe"}`)); status != 400 || m["field"] != "state" {
		t.Fatalf("bad state: %d %v", status, m)
	}
	if status, _ := e.api("PUT", "/api/v1/surveys/forms/nope/state", admin, "application/json", []byte(`{"state":"open"}`)); status != 404 {
		t.Fatalf("unknown form: %d", status)
	}
	if status, m := e.api("POST", "/api/v1/surveys/forms/colours/enumerators", admin, "application/json", []byte(`{"user":"outsider"}`)); status != 200 || m["user"] != "outsider" {
		t.Fatalf("grant: %d %v", status, m)
	}
	if status, m := e.api("POST", "/api/v1/surveys/forms/colours/enumerators", admin, "application/json", []byte(`{"user":"ghost"}`)); status != 400 || m["field"] != "user" {
		t.Fatalf("grant unknown user: %d %v", status, m)
	}
	// The granted user now sees the form in the OpenRosa form list.
	if _, body := e.req("GET", "/formList", "outsider", "", nil); !strings.Contains(body, "<formID>colours</formID>") {
		t.Fatalf("granted form not listed: %s", body)
	}
}
