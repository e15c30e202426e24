package openrosa_test

import (
	"bytes"
	"flag"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil/golden"
	"github.com/vigil-project/vigil/openrosa"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDocuments(t *testing.T) {
	forms := []openrosa.FormEntry{
		{FormID: "perception", Name: "Perception <round 1>", Version: "2026110101", Hash: "0123456789abcdef0123456789abcdef", Description: "Safety & trust",
			DownloadURL: "https://vigil.example/forms/perception/form.xml", ManifestURL: "https://vigil.example/forms/perception/manifest"},
		{FormID: "simple", Name: "Simple", Hash: "fedcba9876543210fedcba9876543210", DownloadURL: "https://vigil.example/forms/simple/form.xml"},
	}
	var b bytes.Buffer
	if err := openrosa.WriteFormList(&b, forms, false); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/formlist.xml", b.Bytes(), *update)
	b.Reset()
	if err := openrosa.WriteFormList(&b, forms, true); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/formlist_verbose.xml", b.Bytes(), *update)
	b.Reset()
	if err := openrosa.WriteManifest(&b, []openrosa.MediaFile{{Filename: "logo.png", Hash: "00112233445566778899aabbccddeeff", DownloadURL: "https://vigil.example/forms/perception/media/logo.png"}}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/manifest.xml", b.Bytes(), *update)
	b.Reset()
	if err := openrosa.WriteResponse(&b, "submit_success", "Thank you: submission uuid:1 received"); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/response.xml", b.Bytes(), *update)
}

type part struct {
	field, file, ctype string
	body               []byte
}

func multipartBody(t testing.TB, parts []part) (string, []byte) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="` + p.field + `"`
		if p.file != "" {
			cd += `; filename="` + p.file + `"`
		}
		h.Set("Content-Disposition", cd)
		if p.ctype != "" {
			h.Set("Content-Type", p.ctype)
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(p.body)
	}
	w.Close()
	return w.FormDataContentType(), b.Bytes()
}

func TestReadSubmission(t *testing.T) {
	xml := []byte(`<data id="simple"><meta><instanceID>uuid:1</instanceID></meta></data>`)
	big := bytes.Repeat([]byte("x"), 2000)
	tests := []struct {
		name  string
		ctype string
		parts []part
		lim   openrosa.Limits
		kind  apperr.Kind
		msg   string
		atts  int
	}{
		{name: "xml only", parts: []part{{"xml_submission_file", "submission.xml", "text/xml", xml}}},
		{name: "with attachments", parts: []part{{"xml_submission_file", "submission.xml", "text/xml", xml}, {"photo.jpg", "photo.jpg", "image/jpeg", big}, {"audio.m4a", "audio.m4a", "", []byte("a")}}, atts: 2},
		{name: "incomplete flag ignored", parts: []part{{"*isIncomplete*", "", "", []byte("no")}, {"xml_submission_file", "s.xml", "", xml}}},
		{name: "missing xml", parts: []part{{"photo.jpg", "photo.jpg", "image/jpeg", big}}, kind: apperr.KindInvalid, msg: "missing the xml_submission_file"},
		{name: "empty xml", parts: []part{{"xml_submission_file", "s.xml", "", nil}}, kind: apperr.KindInvalid, msg: "empty"},
		{name: "two xml", parts: []part{{"xml_submission_file", "s.xml", "", xml}, {"xml_submission_file", "s.xml", "", xml}}, kind: apperr.KindInvalid, msg: "more than one"},
		{name: "duplicate attachment", parts: []part{{"xml_submission_file", "s.xml", "", xml}, {"a", "a.jpg", "", big}, {"b", "dir/a.jpg", "", big}}, kind: apperr.KindInvalid, msg: "a.jpg: sent twice"},
		{name: "bad name", parts: []part{{"xml_submission_file", "s.xml", "", xml}, {"a", "..", "", big}}, kind: apperr.KindInvalid, msg: "not a plain file name"},
		{name: "too large", parts: []part{{"xml_submission_file", "s.xml", "", xml}, {"a", "a.jpg", "", big}}, lim: openrosa.Limits{MaxBytes: 1000}, kind: apperr.KindTooLarge, msg: "larger than 1000 bytes"},
		{name: "xml too large", parts: []part{{"xml_submission_file", "s.xml", "", xml}}, lim: openrosa.Limits{MaxXMLBytes: 10}, kind: apperr.KindTooLarge, msg: "xml_submission_file"},
		{name: "too many", parts: []part{{"xml_submission_file", "s.xml", "", xml}, {"a", "a", "", nil}, {"b", "b", "", nil}}, lim: openrosa.Limits{MaxAttachments: 1}, kind: apperr.KindInvalid, msg: "more than 1 attachments"},
		{name: "not multipart", ctype: "application/xml", kind: apperr.KindUnsupported, msg: "multipart/form-data"},
		{name: "no boundary", ctype: "multipart/form-data", kind: apperr.KindInvalid, msg: "boundary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := multipartBody(t, tc.parts)
			if tc.ctype != "" {
				ct = tc.ctype
			}
			gotXML, atts, err := openrosa.ReadSubmission(ct, bytes.NewReader(body), tc.lim)
			if tc.msg != "" {
				if k, ok := apperr.KindOf(err); !ok || k != tc.kind || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("err = %v, want %v %q", err, tc.kind, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotXML, xml) || len(atts) != tc.atts {
				t.Fatalf("xml %q, %d attachments", gotXML, len(atts))
			}
			if tc.atts > 0 && (atts[0].Name != "photo.jpg" || atts[0].ContentType != "image/jpeg" || !bytes.Equal(atts[0].Content, big) || atts[1].ContentType != "application/octet-stream") {
				t.Fatalf("attachments = %+v", atts[0].Name)
			}
		})
	}
	// A truncated body is malformed, not a success.
	ct, body := multipartBody(t, []part{{"xml_submission_file", "s.xml", "", xml}})
	if _, _, err := openrosa.ReadSubmission(ct, bytes.NewReader(body[:len(body)-10]), openrosa.Limits{}); err == nil {
		t.Fatal("truncated body accepted")
	}
}

func FuzzReadSubmission(f *testing.F) {
	ct, body := multipartBody(f, []part{{"xml_submission_file", "s.xml", "text/xml", []byte(`<data id="x"/>`)}, {"a", "a.jpg", "image/jpeg", []byte("jpeg")}})
	_, boundary, _ := strings.Cut(ct, "boundary=")
	f.Add(boundary, body)
	f.Add("b", []byte("--b\r\nContent-Disposition: form-data; name=\"xml_submission_file\"\r\n\r\n<x/>\r\n--b--\r\n"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		x, atts, err := openrosa.ReadSubmission("multipart/form-data; boundary="+boundary, bytes.NewReader(body), openrosa.Limits{MaxBytes: 1 << 16})
		if err != nil {
			if apperr.As(err) == nil {
				t.Fatalf("error %v (%T) is not an apperr error (a 4xx)", err, err)
			}
			return
		}
		if len(x) == 0 {
			t.Fatal("success without XML")
		}
		for _, a := range atts {
			if a.Name == "" || strings.ContainsAny(a.Name, "/\\") {
				t.Fatalf("bad attachment name %q", a.Name)
			}
		}
	})
}
