package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

const orPassword = "enumerator password 1"

// orForm is ODK Central's "simple" form with a photo question.
const orTestForm = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head>
    <h:title>Simple</h:title>
    <model>
      <itext><translation lang="en"><text id="logo"><value form="image">jr://images/logo.png</value></text></translation></itext>
      <instance>
        <data id="simple" version="2">
          <meta><instanceID/></meta>
          <name/><age/><photo/>
        </data>
      </instance>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" calculate="concat('uuid:', uuid())"/>
      <bind nodeset="/data/name" type="string" required="true()"/>
      <bind nodeset="/data/age" type="int" constraint=". &lt; 130"/>
      <bind nodeset="/data/photo" type="binary"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/name"><label>Name</label></input>
    <input ref="/data/age"><label>Age</label></input>
    <upload ref="/data/photo" mediatype="image/*"><label>Photo</label></upload>
  </h:body>
</h:html>`

type orEnv struct {
	t   testing.TB
	db  *storage.DB
	svc *surveys.Service
	srv *httptest.Server
	h   http.Handler
	s   *Server
}

// newOREnv starts a server with the simple form, its logo.png media, and
// users enum (viewer, on the form's access list), outsider (responder, not
// on it) and ada (admin).
func newOREnv(t testing.TB) *orEnv {
	t.Helper()
	ctx := context.Background()
	s, svc, db := NewSurveysTestServer(t)
	hash, err := auth.HashPassword(orPassword)
	if err != nil {
		t.Fatal(err)
	}
	var enumID int64
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"enum", auth.Viewer}, {"outsider", auth.Responder}, {"ada", auth.Admin}} {
		a, err := db.CreateUser(ctx, "test", auth.Account{Name: u.name, Role: u.role, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		if u.name == "enum" {
			enumID = a.ID
		}
	}
	f, _, err := svc.AddForm(ctx, "test", []byte(orTestForm), []surveys.Media{{Name: "logo.png", ContentType: "image/png", Content: []byte("PNG")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.GrantForm(ctx, "test", f.ID, enumID); err != nil {
		t.Fatal(err)
	}
	s.BehindTLSProxy = true
	h := viaTLSProxy(s.Handler())
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &orEnv{t: t, db: db, svc: svc, srv: srv, h: h, s: s}
}

// viaTLSProxy stands for a TLS-terminating proxy in front of a server with
// BehindTLSProxy (OpenRosa accepts Basic only over TLS).
func viaTLSProxy(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("X-Forwarded-Proto", "https")
		h.ServeHTTP(w, r)
	})
}

func (e *orEnv) req(method, path, user string, ctype string, body io.Reader) (*http.Response, string) {
	e.t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if user != "" {
		pw := orPassword
		if strings.HasSuffix(user, ":wrong") {
			user, pw = strings.TrimSuffix(user, ":wrong"), "wrong password!"
		}
		r.SetBasicAuth(user, pw)
	}
	resp, b := e.roundTrip(r, ctype)
	if resp.Header.Get("X-OpenRosa-Version") != "1.0" {
		e.t.Errorf("%s %s: no X-OpenRosa-Version: 1.0 header", method, path)
	}
	return resp, b
}

// roundTrip sends r with the Content-Type ctype (when not empty) and
// returns the answer with its body read.
func (e *orEnv) roundTrip(r *http.Request, ctype string) (*http.Response, string) {
	e.t.Helper()
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func submission(xml string, files map[string][]byte) (string, []byte) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("xml_submission_file", "submission.xml")
	fw.Write([]byte(xml))
	for name, content := range files {
		fw, _ := w.CreateFormFile(name, name)
		fw.Write(content)
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func simpleXML(id, name, age string) string {
	return `<data id="simple" version="2"><meta><instanceID>` + id + `</instanceID></meta><name>` + name + `</name><age>` + age + `</age><photo>photo.jpg</photo></data>`
}

func (e *orEnv) count() int {
	f, err := e.db.FormByFormID(context.Background(), "simple")
	if err != nil {
		e.t.Fatal(err)
	}
	subs, err := e.db.Submissions(context.Background(), f.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(subs)
}

func TestOpenRosaForms(t *testing.T) {
	e := newOREnv(t)
	resp, body := e.req("GET", "/formList", "", "", nil)
	// Digest first (ODK Collect on plain HTTP), Basic second.
	if ch := resp.Header.Values("WWW-Authenticate"); resp.StatusCode != 401 || len(ch) != 2 || !strings.HasPrefix(ch[0], "Digest ") ||
		!strings.HasPrefix(ch[1], "Basic ") || !strings.Contains(body, "<OpenRosaResponse") {
		t.Fatalf("no credentials: %d %q %s", resp.StatusCode, ch, body)
	}
	if resp, _ := e.req("GET", "/formList", "enum:wrong", "", nil); resp.StatusCode != 401 {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	hash := surveys.FormHash([]byte(orTestForm))
	resp, body = e.req("GET", "/formList", "enum", "", nil)
	for _, want := range []string{`<xforms xmlns="http://openrosa.org/xforms/xformsList">`, "<formID>simple</formID>", "<version>2</version>", "<hash>md5:" + hash + "</hash>",
		"<downloadUrl>" + e.srv.URL + "/forms/simple/form.xml</downloadUrl>", "<manifestUrl>" + e.srv.URL + "/forms/simple/manifest</manifestUrl>"} {
		if !strings.Contains(body, want) {
			t.Errorf("formList lacks %s:\n%s", want, body)
		}
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Errorf("formList: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, body := e.req("GET", "/formList?verbose=true", "enum", "", nil); !strings.Contains(body, "<descriptionText>Simple</descriptionText>") {
		t.Errorf("verbose formList lacks descriptionText: %s", body)
	}
	if _, body := e.req("GET", "/formList?formID=other", "enum", "", nil); strings.Contains(body, "<xform>") {
		t.Errorf("formID filter: %s", body)
	}
	if _, body := e.req("GET", "/formList", "outsider", "", nil); strings.Contains(body, "<xform>") {
		t.Errorf("form listed to a user without access: %s", body)
	}
	if _, body := e.req("GET", "/formList", "ada", "", nil); !strings.Contains(body, "<formID>simple</formID>") {
		t.Errorf("admin does not see the form: %s", body)
	}
	if resp, body := e.req("GET", "/forms/simple/form.xml", "enum", "", nil); resp.StatusCode != 200 || body != orTestForm {
		t.Errorf("form download: %d", resp.StatusCode)
	}
	if resp, _ := e.req("GET", "/forms/simple/form.xml", "outsider", "", nil); resp.StatusCode != 404 {
		t.Errorf("form download without access: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.req("GET", "/forms/nope/form.xml", "enum", "", nil); resp.StatusCode != 404 {
		t.Errorf("unknown form: %d", resp.StatusCode)
	}
	_, body = e.req("GET", "/forms/simple/manifest", "enum", "", nil)
	for _, want := range []string{`<manifest xmlns="http://openrosa.org/xforms/xformsManifest">`, "<filename>logo.png</filename>", "<hash>md5:" + surveys.FormHash([]byte("PNG")) + "</hash>", "/forms/simple/media/logo.png</downloadUrl>"} {
		if !strings.Contains(body, want) {
			t.Errorf("manifest lacks %s:\n%s", want, body)
		}
	}
	if resp, body := e.req("GET", "/forms/simple/media/logo.png", "enum", "", nil); resp.StatusCode != 200 || body != "PNG" || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("media: %d %q", resp.StatusCode, body)
	}
	if resp, _ := e.req("GET", "/forms/simple/media/none.png", "enum", "", nil); resp.StatusCode != 404 {
		t.Errorf("missing media: %d", resp.StatusCode)
	}
}

func TestOpenRosaSubmission(t *testing.T) {
	e := newOREnv(t)
	resp, _ := e.req("HEAD", "/submission", "", "", nil)
	if resp.StatusCode != 401 {
		t.Fatalf("HEAD without credentials: %d", resp.StatusCode)
	}
	resp, _ = e.req("HEAD", "/submission", "enum", "", nil)
	if resp.StatusCode != 204 || resp.Header.Get("X-OpenRosa-Accept-Content-Length") != strconv.Itoa(maxSubmissionBytes) {
		t.Fatalf("HEAD: %d %q", resp.StatusCode, resp.Header.Get("X-OpenRosa-Accept-Content-Length"))
	}
	photo := bytes.Repeat([]byte{0xff, 0xd8}, 1000)
	ct, body := submission(simpleXML("uuid:1", "Alice", "30"), map[string][]byte{"photo.jpg": photo})
	resp, rb := e.req("POST", "/submission", "enum", ct, bytes.NewReader(body))
	if resp.StatusCode != 201 || !strings.Contains(rb, `<message nature="submit_success">`) {
		t.Fatalf("submit: %d %s", resp.StatusCode, rb)
	}
	// The same again: 201, nothing duplicated.
	resp, rb = e.req("POST", "/submission", "enum", ct, bytes.NewReader(body))
	if resp.StatusCode != 201 || !strings.Contains(rb, "already received") || e.count() != 1 {
		t.Fatalf("resubmit: %d %s, %d stored", resp.StatusCode, rb, e.count())
	}
	// Chunked transfer (unknown length) of a second submission, whose photo
	// comes in a later request.
	ct, body = submission(simpleXML("uuid:2", "Bob", "34"), nil)
	resp, rb = e.req("POST", "/submission", "enum", ct, io.MultiReader(bytes.NewReader(body)))
	if resp.StatusCode != 201 || e.count() != 2 {
		t.Fatalf("chunked submit: %d %s", resp.StatusCode, rb)
	}
	ct, body = submission(simpleXML("uuid:2", "Bob", "34"), map[string][]byte{"photo.jpg": photo})
	if resp, rb = e.req("POST", "/submission", "enum", ct, bytes.NewReader(body)); resp.StatusCode != 201 || !strings.Contains(rb, "1 new attachments") {
		t.Fatalf("late attachment: %d %s", resp.StatusCode, rb)
	}
	_, files, err := e.svc.SubmissionXML(context.Background(), "test", "simple", "uuid:2")
	if err != nil || !bytes.Equal(files["photo.jpg"], photo) {
		t.Fatalf("late attachment not stored: %v", err)
	}

	huge := io.MultiReader(strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; filename=\"s.xml\"\r\n\r\n"),
		io.LimitReader(zeros{}, maxSubmissionBytes+10))
	bad := []struct {
		name   string
		user   string
		ctype  string
		body   io.Reader
		status int
		msg    string
	}{
		{"conflict", "enum", "", nil, 409, "a different submission with this instanceID exists"},
		{"constraint", "enum", "", strings.NewReader(simpleXML("uuid:3", "Cy", "300")), 400, "/data/age: answer &#34;300&#34; breaks the constraint"},
		{"required", "enum", "", strings.NewReader(simpleXML("uuid:3", "", "3")), 400, "/data/name: required question is not answered"},
		{"no instanceID", "enum", "", strings.NewReader(`<data id="simple" version="2"><name>A</name></data>`), 400, "/data/meta/instanceID: instanceID is missing"},
		{"malformed", "enum", "", strings.NewReader(`<data id="simple" version="2"><name>`), 400, "malformed XML"},
		{"unknown form", "enum", "", strings.NewReader(`<data id="nope"><meta><instanceID>x</instanceID></meta></data>`), 404, "form &#34;nope&#34; does not exist"},
		{"old version", "enum", "", strings.NewReader(`<data id="simple" version="1"><meta><instanceID>x</instanceID></meta></data>`), 400, "version &#34;1&#34; does not match"},
		{"no access", "outsider", "", strings.NewReader(simpleXML("uuid:3", "Cy", "3")), 403, "may not submit"},
		{"no credentials", "", "", strings.NewReader(simpleXML("uuid:3", "Cy", "3")), 401, "authentication required"},
		{"no xml part", "enum", "multipart/form-data; boundary=b", strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.jpg\"\r\n\r\nx\r\n--b--\r\n"), 400, "missing the xml_submission_file"},
		{"not multipart", "enum", "text/xml", strings.NewReader(simpleXML("uuid:3", "Cy", "3")), 415, "multipart/form-data"},
		{"oversized chunked", "enum", "multipart/form-data; boundary=b", huge, 413, "larger than"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := tc.ctype, tc.body
			if tc.name == "conflict" {
				var b []byte
				ct, b = submission(simpleXML("uuid:1", "Mallory", "30"), nil)
				body = bytes.NewReader(b)
			} else if ct == "" {
				x, _ := io.ReadAll(body)
				var b []byte
				ct, b = submission(string(x), nil)
				body = bytes.NewReader(b)
			}
			resp, rb := e.req("POST", "/submission", tc.user, ct, body)
			if resp.StatusCode != tc.status || !strings.Contains(rb, tc.msg) || !strings.Contains(rb, "<OpenRosaResponse") {
				t.Fatalf("%d %s, want %d with %q", resp.StatusCode, rb, tc.status, tc.msg)
			}
		})
	}
	if n := e.count(); n != 2 {
		t.Fatalf("%d submissions stored, want 2", n)
	}
	rows, err := e.svc.Rows(context.Background(), "test", "simple")
	if err != nil || len(rows) != 2 || rows[0]["name"] != "Alice" || rows[1]["age"] != "34" || rows[0]["_enumerator"] != "enum" {
		t.Fatalf("rows = %v, %v", rows, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func FuzzOpenRosaSubmission(f *testing.F) {
	e := newOREnv(f)
	ct, body := submission(simpleXML("uuid:1", "Alice", "30"), map[string][]byte{"photo.jpg": []byte("jpeg")})
	_, boundary, _ := strings.Cut(ct, "boundary=")
	f.Add(boundary, body)
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"xml_submission_file\"\r\n\r\n<data id=\"simple\" version=\"2\"><meta><instanceID>z</instanceID></meta><age>1</age></data>\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		r := httptest.NewRequest("POST", "/submission", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		r.SetBasicAuth("enum", orPassword)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code >= 500 || w.Header().Get("X-OpenRosa-Version") != "1.0" {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}
