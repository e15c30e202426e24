package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/surveys"
)

// odkClientForm is a bilingual (English/French) perception form with the
// constructs a survey lead uses: required selects, a multiple select, an
// integer with a constraint, a group holding a repeat, and a question
// shown only when an earlier answer makes it relevant.
const odkClientForm = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head>
    <h:title>Perception pilot</h:title>
    <model odk:xforms-version="1.0.0">
      <itext>
        <translation lang="English (en)" default="true()">
          <text id="/data/region:label"><value>Region</value></text>
          <text id="/data/safety:label"><value>How safe do you feel in your area?</value></text>
        </translation>
        <translation lang="French (fr)">
          <text id="/data/region:label"><value>Région</value></text>
          <text id="/data/safety:label"><value>Vous sentez-vous en sécurité dans votre zone ?</value></text>
        </translation>
      </itext>
      <instance>
        <data id="perception_pilot" version="2026112501">
          <region/>
          <safety/>
          <sources/>
          <age/>
          <household>
            <size/>
            <members jr:template=""><member_age/></members>
          </household>
          <displaced/>
          <camp/>
          <meta><instanceID/></meta>
        </data>
      </instance>
      <bind nodeset="/data/region" type="string" required="true()"/>
      <bind nodeset="/data/safety" type="string" required="true()"/>
      <bind nodeset="/data/sources" type="string"/>
      <bind nodeset="/data/age" type="int" required="true()" constraint=". &gt;= 18 and . &lt;= 110"/>
      <bind nodeset="/data/household/size" type="int" constraint=". &gt; 0"/>
      <bind nodeset="/data/household/members/member_age" type="int" constraint=". &lt; 120"/>
      <bind nodeset="/data/displaced" type="string"/>
      <bind nodeset="/data/camp" type="string" relevant="/data/displaced = 'yes'" required="true()"/>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
    </model>
  </h:head>
  <h:body>
    <select1 ref="/data/region">
      <label ref="jr:itext('/data/region:label')"/>
      <item><label>Gao</label><value>gao</value></item>
      <item><label>Mopti</label><value>mopti</value></item>
      <item><label>Timbuktu</label><value>timbuktu</value></item>
    </select1>
    <select1 ref="/data/safety">
      <label ref="jr:itext('/data/safety:label')"/>
      <item><label>Very safe</label><value>very_safe</value></item>
      <item><label>Safe</label><value>safe</value></item>
      <item><label>Unsafe</label><value>unsafe</value></item>
      <item><label>Very unsafe</label><value>very_unsafe</value></item>
    </select1>
    <select ref="/data/sources">
      <label>Where do you get information?</label>
      <item><label>Radio</label><value>radio</value></item>
      <item><label>Phone</label><value>phone</value></item>
      <item><label>The mission</label><value>mission</value></item>
    </select>
    <input ref="/data/age"><label>Age</label></input>
    <group ref="/data/household">
      <label>Household</label>
      <input ref="/data/household/size"><label>Household size</label></input>
      <group ref="/data/household/members">
        <label>Member</label>
        <repeat nodeset="/data/household/members">
          <input ref="/data/household/members/member_age"><label>Member's age</label></input>
        </repeat>
      </group>
    </group>
    <select1 ref="/data/displaced">
      <label>Have you been displaced?</label>
      <item><label>Yes</label><value>yes</value></item>
      <item><label>No</label><value>no</value></item>
    </select1>
    <input ref="/data/camp"><label>Which camp or site?</label></input>
  </h:body>
</h:html>
`

// TestODKWebFormsClient runs the real ODK Web Forms engine
// (@getodk/xforms-engine, under Node) against the OpenRosa server on
// loopback: it reads the form list, downloads the form, fills it in,
// builds its own submission payload and submits it twice; the stored
// answers must be the ones it entered, stored once.
func TestODKWebFormsClient(t *testing.T) {
	nodeBin, dir := odkClient(t)

	ctx := context.Background()
	data := t.TempDir()
	db, err := sqlite.Open(ctx, data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, err := crypt.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	svc := &surveys.Service{Store: db, Keys: key, Auditor: db}
	f, warnings, err := svc.AddForm(ctx, "test", []byte(odkClientForm), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Fatalf("warnings: %q", warnings)
	}
	hash, err := auth.HashPassword(orPassword)
	if err != nil {
		t.Fatal(err)
	}
	enum, err := db.CreateUser(ctx, "test", auth.Account{Name: "enum", Role: auth.Viewer, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.GrantForm(ctx, "test", f.ID, enum.ID); err != nil {
		t.Fatal(err)
	}
	s := &Server{DB: db, Surveys: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BehindTLSProxy: true}
	srv := httptest.NewServer(viaTLSProxy(s.Handler()))
	defer srv.Close()

	// Second respondent: not displaced (the required camp question is not
	// relevant) and no household members.
	runODKClient(t, nodeBin, dir, srv.URL, `{"values": {"/data/region": "gao", "/data/safety": "very_safe", "/data/age": "61", "/data/displaced": "no"}}`)

	answers := `{"repeats": {"/data/household/members": 2},
		"values": {"/data/region": "mopti", "/data/safety": "unsafe", "/data/sources": ["radio", "mission"],
		"/data/age": "34", "/data/household/size": "3",
		"/data/household/members[1]/member_age": "9", "/data/household/members[2]/member_age": "40",
		"/data/displaced": "yes", "/data/camp": "Sévaré"}}`
	out := runODKClient(t, nodeBin, dir, srv.URL, answers)
	var res struct {
		InstanceID string `json:"instanceID"`
		Hash       string `json:"hash"`
		Steps      []struct {
			Method, URL, Openrosa string
			Status                int
			AcceptContentLength   string `json:"acceptContentLength"`
		} `json:"steps"`
		Posts []struct {
			Status   int
			Openrosa string
			Body     string
		} `json:"posts"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node output: %v", err)
	}
	if res.Hash != "md5:"+f.Hash {
		t.Errorf("form list hash %q, want md5:%s", res.Hash, f.Hash)
	}
	for _, st := range res.Steps {
		if st.Openrosa != "1.0" {
			t.Errorf("%s %s: X-OpenRosa-Version %q", st.Method, st.URL, st.Openrosa)
		}
	}
	if len(res.Posts) != 2 || res.Posts[0].Status != 201 || res.Posts[1].Status != 201 || !strings.Contains(res.Posts[1].Body, "already received") {
		t.Fatalf("posts = %+v", res.Posts)
	}
	if !strings.HasPrefix(res.InstanceID, "uuid:") {
		t.Errorf("instanceID %q made by the engine should be a uuid: URI", res.InstanceID)
	}

	rows, err := svc.Rows(ctx, "test", "perception_pilot")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows stored, want 2: %v", len(rows), rows)
	}
	if r := rows[0]; r["region"] != "gao" || r["age"] != "61" || r["displaced"] != "no" || r["camp"] != "" || r["household/members[1]/member_age"] != "" {
		t.Errorf("first respondent stored as %v", r)
	}
	rows = rows[1:]
	want := map[string]string{
		"region": "mopti", "safety": "unsafe", "sources": "radio mission", "age": "34", "household/size": "3",
		"household/members[1]/member_age": "9", "household/members[2]/member_age": "40",
		"displaced": "yes", "camp": "Sévaré",
		surveys.KeyInstanceID: res.InstanceID, surveys.KeyEnumerator: "enum", surveys.KeyVersion: "2026112501",
	}
	for k, v := range want {
		if rows[0][k] != v {
			t.Errorf("stored %s = %q, want %q", k, rows[0][k], v)
		}
	}
}

// odkClient is the node binary and the tests/odk folder with the ODK Web
// Forms engine installed; it skips the test without them (fails in CI).
func odkClient(t *testing.T) (nodeBin, dir string) {
	t.Helper()
	nodeBin, err := exec.LookPath("node")
	dir, _ = filepath.Abs(filepath.Join("..", "tests", "odk"))
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "@getodk", "xforms-engine"))
	if err != nil || modErr != nil {
		msg := "node or tests/odk/node_modules missing (run: cd tests/odk && npm ci)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return nodeBin, dir
}

// runODKClient runs tests/odk/submit.mjs against the server and returns its
// JSON report.
func runODKClient(t *testing.T, nodeBin, dir, url, answers string, formID ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nodeBin, "submit.mjs")
	cmd.Dir = dir
	id := "perception_pilot"
	if len(formID) > 0 {
		id = formID[0]
	}
	cmd.Env = append(os.Environ(), "VIGIL_URL="+url, "VIGIL_USER=enum", "VIGIL_PASSWORD="+orPassword,
		"FORM_ID="+id, "ANSWERS="+answers)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	t.Logf("node: %s", out)
	if err != nil {
		t.Fatalf("node client failed: %v\n%s\n%s", err, out, stderr.String())
	}
	return out
}

// TestODKWebFormsClientXLSForm has the ODK Web Forms engine fill in the
// bilingual form that package xlsform makes from an XLSForm (its golden
// output): selects from secondary instances with itext labels, a group, a
// repeat, a calculate and a relevant question.
func TestODKWebFormsClientXLSForm(t *testing.T) {
	nodeBin, dir := odkClient(t)
	xml, err := os.ReadFile(filepath.Join("..", "xlsform", "testdata", "perception.xml"))
	if err != nil {
		t.Fatal(err)
	}
	e := newOREnv(t)
	ctx := context.Background()
	f, warnings, err := e.svc.AddForm(ctx, "test", xml, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warnings: %q", warnings)
	enum, err := e.db.UserByName(ctx, "enum")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.GrantForm(ctx, "test", f.ID, enum.ID); err != nil {
		t.Fatal(err)
	}
	runODKClient(t, nodeBin, dir, e.srv.URL, `{"values": {"/data/region": "mopti", "/data/respondent/age": "45", "/data/respondent/sex": "female",
		"/data/safety": "unsafe", "/data/sources": ["radio", "mission"], "/data/distance": "12.5",
		"/data/member[1]/member_name": "Awa", "/data/member[1]/member_age": "12", "/data/displaced": "yes", "/data/camp": "Mentao"}}`, "perception")
	rows, err := e.svc.Rows(ctx, "test", "perception")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	want := map[string]string{"region": "mopti", "respondent/age": "45", "respondent/sex": "female", "safety": "unsafe",
		"sources": "radio mission", "distance": "12.5", "member[1]/member_name": "Awa", "member[1]/member_age": "12",
		"adult": "yes", "displaced": "yes", "camp": "Mentao"}
	for k, v := range want {
		if rows[0][k] != v {
			t.Errorf("stored %s = %q, want %q (row %v)", k, rows[0][k], v, rows[0])
		}
	}
}
