package storetest

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
)

// surveyForm is ODK Central's "simple" test form plus a photo question.
const surveyForm = `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head>
    <h:title>Simple</h:title>
    <model>
      <instance>
        <data id="simple" version="1">
          <meta><instanceID/></meta>
          <name/><age/><photo/>
          <visits><visit jr:template=""><place/></visit></visits>
        </data>
      </instance>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" calculate="concat('uuid:', uuid())"/>
      <bind nodeset="/data/name" type="string" required="true()"/>
      <bind nodeset="/data/age" type="int" constraint=". &gt;= 0 and . &lt; 130"/>
      <bind nodeset="/data/photo" type="binary"/>
      <bind nodeset="/data/visits/visit/place" type="string"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/name"><label>Name</label></input>
    <input ref="/data/age"><label>Age</label></input>
    <upload ref="/data/photo" mediatype="image/*"><label>Photo</label></upload>
    <repeat nodeset="/data/visits/visit"><input ref="/data/visits/visit/place"/></repeat>
  </h:body>
</h:html>`

func surveySub(id, name, age string) []byte {
	return []byte(`<data id="simple" version="1"><meta><instanceID>` + id + `</instanceID></meta><name>` + name + `</name><age>` + age + `</age><photo>p.jpg</photo><visits><visit><place>Gao</place></visit><visit><place>Mopti</place></visit></visits></data>`)
}

func testSurveys(t *testing.T, ctx context.Context, db *storage.DB) {
	ring, err := crypt.New(map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	svc := &surveys.Service{Store: db, Keys: ring, Auditor: db}

	f, warn, err := svc.AddForm(ctx, "admin", []byte(surveyForm), []surveys.Media{{Name: "logo.png", Content: []byte("png")}})
	if err != nil {
		t.Fatal(err)
	}
	if f.FormID != "simple" || f.Version != "1" || f.Title != "Simple" || f.State != surveys.Open || f.Hash != surveys.FormHash([]byte(surveyForm)) {
		t.Fatalf("form = %+v", f)
	}
	if len(warn) != 1 || !strings.Contains(warn[0].Error(), "logo.png") {
		t.Errorf("warnings = %q, want one about the unreferenced logo.png", warn)
	}
	if _, _, err := svc.AddForm(ctx, "admin", []byte(strings.Replace(surveyForm, "Simple", "Simple 2", 1)), nil); !errors.Is(err, surveys.ErrSameVersion) {
		t.Errorf("changed form with the same version: err = %v, want ErrSameVersion", err)
	}
	media, err := db.FormMedia(ctx, f.ID)
	if err != nil || len(media) != 1 || media[0].Name != "logo.png" || media[0].Hash != surveys.FormHash([]byte("png")) {
		t.Fatalf("FormMedia = %+v, %v", media, err)
	}
	if m, err := db.FormMediaFile(ctx, f.ID, "logo.png"); err != nil || string(m.Content) != "png" {
		t.Fatalf("FormMediaFile = %+v, %v", m, err)
	}
	if _, err := db.FormMediaFile(ctx, f.ID, "nope.png"); !errors.Is(err, surveys.ErrNoMedia) {
		t.Errorf("missing media: err = %v", err)
	}

	// Enumerators: a viewer on the access list may submit; another may not.
	enum, err := db.CreateUser(ctx, "admin", auth.Account{Name: "enum1", Role: auth.Viewer, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateUser(ctx, "admin", auth.Account{Name: "enum2", Role: auth.Responder, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.GrantForm(ctx, "admin", f.ID, enum.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.GrantForm(ctx, "admin", f.ID, enum.ID); err != nil {
		t.Fatalf("granting twice: %v", err)
	}
	eu, ou := enum.User(), other.User()
	if fs, err := svc.FormsFor(ctx, eu); err != nil || len(fs) != 1 {
		t.Fatalf("FormsFor(enum1) = %v, %v", fs, err)
	}
	if fs, err := svc.FormsFor(ctx, ou); err != nil || len(fs) != 0 {
		t.Fatalf("FormsFor(enum2) = %v, %v", fs, err)
	}
	isKind := func(err error, want apperr.Kind) bool { k, ok := apperr.KindOf(err); return ok && k == want }
	if _, err := svc.Submit(ctx, ou, surveySub("uuid:1", "Alice", "30"), nil); !isKind(err, apperr.KindForbidden) {
		t.Fatalf("submit without access: %v", err)
	}

	photo := []byte("JPEG DATA of a respondent")
	r, err := svc.Submit(ctx, eu, surveySub("uuid:1", "Alice", "30"), []surveys.Attachment{{Name: "p.jpg", ContentType: "image/jpeg", Content: photo}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Created || r.Added != 1 || r.InstanceID != "uuid:1" {
		t.Fatalf("first submit = %+v", r)
	}
	// The same XML again: nothing new.
	r, err = svc.Submit(ctx, eu, surveySub("uuid:1", "Alice", "30"), []surveys.Attachment{{Name: "p.jpg", Content: photo}})
	if err != nil || r.Created || r.Added != 0 {
		t.Fatalf("resubmit = %+v, %v", r, err)
	}
	// A different XML under the same instanceID: 409, nothing stored.
	if _, err := svc.Submit(ctx, eu, surveySub("uuid:1", "Mallory", "30"), nil); !isKind(err, apperr.KindConflict) || !errors.Is(err, surveys.ErrDuplicate) {
		t.Fatalf("conflicting resubmit: %v", err)
	}
	// Invalid submissions store nothing.
	bad := []struct {
		xml  []byte
		atts []surveys.Attachment
		kind apperr.Kind
		msg  string
	}{
		{surveySub("uuid:2", "Bob", "200"), nil, apperr.KindInvalid, "/data/age"},
		{surveySub("uuid:2", "", "20"), nil, apperr.KindInvalid, "/data/name: required"},
		{surveySub("uuid:2", "Bob", "20"), []surveys.Attachment{{Name: "other.jpg", Content: photo}}, apperr.KindInvalid, "other.jpg"},
		{[]byte(`<data id="nope"><meta><instanceID>x</instanceID></meta></data>`), nil, apperr.KindNotFound, "nope"},
		{[]byte(`<data id="simple" version="1"><name>`), nil, apperr.KindInvalid, "malformed"},
	}
	for _, b := range bad {
		_, err := svc.Submit(ctx, eu, b.xml, b.atts)
		if !isKind(err, b.kind) || !strings.Contains(err.Error(), b.msg) {
			t.Errorf("Submit(%s) = %v, want %v naming %q", b.xml, err, b.kind, b.msg)
		}
	}
	// Same XML with a new attachment would add it; here: a second
	// submission whose photo arrives in a later request. Its instance id
	// sorts before the first's ("uuid:0…" < "uuid:1"): Rows and
	// Submissions still answer the oldest first.
	if r, err := svc.Submit(ctx, eu, surveySub("uuid:0-later", "Chelsea", "38"), nil); err != nil || !r.Created || r.Added != 0 {
		t.Fatalf("submit without photo = %+v, %v", r, err)
	}
	if r, err := svc.Submit(ctx, eu, surveySub("uuid:0-later", "Chelsea", "38"), []surveys.Attachment{{Name: "p.jpg", Content: []byte("later")}}); err != nil || r.Created || r.Added != 1 {
		t.Fatalf("photo sent later = %+v, %v", r, err)
	}

	// A failing attachment insert rolls the whole submission back.
	st := surveys.StoredSubmission{FormID: f.ID, InstanceID: "uuid:tx", XMLSealed: []byte{1}, AnswersSealed: []byte{1}, Received: time.Now()}
	never := func([]byte) (bool, error) { return false, errors.New("no submission should exist") }
	if _, _, err := db.PutSubmission(ctx, "enum1", st, []surveys.StoredAttachment{{Name: "a", Size: 1, Sealed: []byte{1}}, {Name: "b", Size: 1, Sealed: nil}}, never); err == nil {
		t.Fatal("attachment with NULL content was stored")
	}

	// Closed forms refuse submissions.
	if err := svc.SetState(ctx, "admin", "simple", surveys.Closed); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Submit(ctx, eu, surveySub("uuid:4", "Dan", "40"), nil); !isKind(err, apperr.KindConflict) || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("submit to closed form: %v", err)
	}
	if fs, _ := svc.FormsFor(ctx, eu); len(fs) != 0 {
		t.Errorf("closed form still listed: %v", fs)
	}
	if err := svc.SetState(ctx, "admin", "nope", surveys.Open); !errors.Is(err, surveys.ErrNoForm) {
		t.Errorf("SetState(nope) = %v", err)
	}

	// Rows: flattened answers, repeats numbered, meta keys; audited.
	rows, err := svc.Rows(ctx, "analyst1", "simple")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: %v", len(rows), rows)
	}
	want := map[string]string{"name": "Alice", "age": "30", "photo": "p.jpg", "visits/visit[2]/place": "Mopti",
		surveys.KeyInstanceID: "uuid:1", surveys.KeyEnumerator: "enum1", surveys.KeyVersion: "1"}
	for k, v := range want {
		if rows[0][k] != v {
			t.Errorf("rows[0][%q] = %q, want %q", k, rows[0][k], v)
		}
	}
	if rows[1]["name"] != "Chelsea" {
		t.Errorf("rows[1] = %v", rows[1])
	}

	// At rest: no answer or attachment in clear.
	subs, err := db.Submissions(ctx, f.ID)
	if err != nil || len(subs) != 2 {
		t.Fatalf("Submissions = %d, %v", len(subs), err)
	}
	for _, s := range subs {
		for _, blob := range [][]byte{s.XMLSealed, s.AnswersSealed} {
			// Whole answers as they stand in XML or JSON: a bare three-byte
			// "Gao" turns up by chance in four sealed blobs of a few hundred
			// bytes about once in ten thousand runs.
			for _, clear := range []string{"Alice", "Chelsea", ">Gao<", `"Gao"`} {
				if bytes.Contains(blob, []byte(clear)) {
					t.Fatalf("answer %s stored in clear", clear)
				}
			}
		}
	}
	// The answers alone: the same submissions, without their XML.
	answers, err := db.SubmissionAnswers(ctx, f.ID)
	if err != nil || len(answers) != len(subs) {
		t.Fatalf("SubmissionAnswers = %d, %v; want %d", len(answers), err, len(subs))
	}
	for i, a := range answers {
		want := subs[i]
		want.XMLSealed = nil
		if a.XMLSealed != nil || !reflect.DeepEqual(a, want) {
			t.Errorf("SubmissionAnswers[%d] = %+v, want %+v", i, a, want)
		}
	}
	atts, err := db.Attachments(ctx, subs[0].ID)
	if err != nil || len(atts) != 1 || atts[0].Size != int64(len(photo)) || bytes.Contains(atts[0].Sealed, []byte("JPEG")) {
		t.Fatalf("Attachments = %+v, %v", atts, err)
	}
	xml, files, err := svc.SubmissionXML(ctx, "admin", "simple", "uuid:1")
	if err != nil || !bytes.Equal(xml, surveySub("uuid:1", "Alice", "30")) || !bytes.Equal(files["p.jpg"], photo) {
		t.Fatalf("SubmissionXML = %s %v %v", xml, files, err)
	}
	// One submission by its form and instanceID, as Submissions has it;
	// none of another instanceID, nor of another form.
	for _, want := range subs {
		if one, err := db.Submission(ctx, f.ID, want.InstanceID); err != nil || !reflect.DeepEqual(one, want) {
			t.Errorf("Submission(%q) = %+v, %v; want %+v", want.InstanceID, one, err, want)
		}
	}
	if one, err := db.Submission(ctx, f.ID, "uuid:nope"); !errors.Is(err, surveys.ErrNoSubmission) || one.ID != 0 {
		t.Errorf("Submission(uuid:nope) = %+v, %v; want ErrNoSubmission", one, err)
	}
	if _, err := db.Submission(ctx, f.ID+1000, "uuid:1"); !errors.Is(err, surveys.ErrNoSubmission) {
		t.Errorf("Submission of another form = %v; want ErrNoSubmission", err)
	}
	// A submission the form does not have is not read, nor audited.
	if _, _, err := svc.SubmissionXML(ctx, "admin", "simple", "uuid:nope"); !errors.Is(err, surveys.ErrNoSubmission) {
		t.Errorf("SubmissionXML(uuid:nope) = %v; want ErrNoSubmission", err)
	}

	// Audit trail.
	log := testutil.AuditLog(t, db, audit.Filter{})
	actions := map[string]int{}
	for _, e := range log {
		actions[e.Action]++
	}
	for a, n := range map[string]int{"form.create": 1, "form.grant": 2, "submission.create": 2, "submission.attach": 1, "form.close": 1, "survey.read": 1, "submission.read": 1} {
		if actions[a] != n {
			t.Errorf("audit %s: %d entries, want %d (all: %v)", a, actions[a], n, actions)
		}
	}
	var _ *storage.DB = db
}
