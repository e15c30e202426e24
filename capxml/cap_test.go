package capxml_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// xmllintSchema validates doc against cap12.xsd with xmllint, skipping when
// xmllint is absent outside CI.
func xmllintSchema(t *testing.T, doc []byte) {
	t.Helper()
	xsd := shareddata.Path(t, "cap/cap12.xsd")
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint not installed in CI (apt package libxml2-utils)")
		}
		t.Skip("xmllint not installed: skipping schema validation")
	}
	f := filepath.Join(t.TempDir(), "alert.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects our CAP document: %v\n%s\n%s", err, out, doc)
	}
}

func sample() *capxml.Alert {
	refs := "vigil@example.org,inc-1,2026-11-25T10:00:00+00:00"
	size := int64(1234)
	alt := 100.0
	return &capxml.Alert{
		Identifier: "vigil-incident-42", Sender: "joc@mission.example.org",
		Sent:   capxml.Time{time.Date(2026, 11, 25, 22, 5, 0, 0, time.FixedZone("EAT", 3*3600))},
		Status: "Actual", MsgType: "Update", Scope: "Restricted", Restriction: "UN mission staff only",
		Codes: []string{"vigil"}, Note: "verified by JOC", References: &refs, Incidents: "inc-42",
		Infos: []capxml.Info{{
			Language: "fr-CD", Categories: []string{"Security", "Safety"}, Event: "Armed attack on village",
			ResponseType: []string{"Shelter", "Monitor"}, Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			EventCodes: []capxml.NameValue{{"vigil", "attack"}},
			Expires:    &capxml.Time{time.Date(2026, 11, 26, 22, 5, 0, 0, time.UTC)},
			SenderName: "MONUSCO JOC", Headline: "Attaque signalée à Djugu — été & <nuit>",
			Description: "Coups de feu entendus; habitants en fuite.", Instruction: "Stay away from the road.",
			Web: "https://vigil.example.org/incidents/42", Contact: "JOC duty officer",
			Parameters: []capxml.NameValue{{"alerts", "3"}},
			Resources:  []capxml.Resource{{ResourceDesc: "photo", MimeType: "image/jpeg", Size: &size, URI: "https://example.org/p.jpg"}},
			Areas: []capxml.Area{{
				AreaDesc: "Djugu territory",
				Polygons: []string{capxml.FormatPolygon([]capxml.Point{{1.9, 30.4}, {2.0, 30.5}, {1.8, 30.6}})},
				Circles:  []string{capxml.FormatCircle(capxml.Circle{capxml.Point{1.92, 30.5}, 5})},
				Geocodes: []capxml.NameValue{{"pcode", "CD5403"}},
				Altitude: &alt,
			}},
		}},
	}
}

func TestEncodeValidAgainstXSD(t *testing.T) {
	a := sample()
	doc, err := capxml.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("<sent>2026-11-25T22:05:00+03:00</sent>")) {
		t.Errorf("sent not in CAP form:\n%s", doc)
	}
	if !bytes.Contains(doc, []byte("<expires>2026-11-26T22:05:00+00:00</expires>")) {
		t.Errorf("UTC must be written +00:00 (CAP forbids Z):\n%s", doc)
	}
	xmllintSchema(t, doc)
	back, err := capxml.Decode(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	doc2, err := capxml.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, doc2) {
		t.Errorf("round trip differs:\n%s\n---\n%s", doc, doc2)
	}
	golden := filepath.Join("testdata", "sample.golden.xml")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		os.WriteFile(golden, doc, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("output differs from %s (UPDATE_GOLDEN=1 to refresh):\n%s", golden, doc)
	}
}

func TestEncodeMinimalValid(t *testing.T) {
	a := &capxml.Alert{Identifier: "x1", Sender: "s@x", Sent: capxml.Time{time.Unix(1e9, 0).UTC()},
		Status: "Test", MsgType: "Alert", Scope: "Public"}
	doc, err := capxml.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	xmllintSchema(t, doc)
}

func TestEncodeRefusesInvalid(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(a *capxml.Alert)
		field string
	}{
		{"no identifier", func(a *capxml.Alert) { a.Identifier = "" }, "alert/identifier"},
		{"bad status", func(a *capxml.Alert) { a.Status = "Real" }, "alert/status"},
		{"restricted without restriction", func(a *capxml.Alert) { a.Restriction = "" }, "alert/restriction"},
		{"update without references", func(a *capxml.Alert) { a.References = nil }, "alert/references"},
		{"bad category", func(a *capxml.Alert) { a.Infos[0].Categories = []string{"War"} }, "alert/info[0]/category"},
		{"open polygon", func(a *capxml.Alert) { a.Infos[0].Areas[0].Polygons = []string{"1,2 3,4 5,6 7,8"} }, "alert/info[0]/area[0]/polygon[0]"},
		{"lat out of range", func(a *capxml.Alert) { a.Infos[0].Areas[0].Circles = []string{"91,2 3"} }, "alert/info[0]/area[0]/circle[0]"},
		{"negative radius", func(a *capxml.Alert) { a.Infos[0].Areas[0].Circles = []string{"1,2 -3"} }, "alert/info[0]/area[0]/circle[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := sample()
			tc.mod(a)
			_, err := capxml.Marshal(a)
			var fe *apperr.Error
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Fatalf("err = %v, want an invalid-input error on %s", err, tc.field)
			}
		})
	}
}

func TestDecodeRealValidAlerts(t *testing.T) {
	dir := filepath.Dir(shareddata.Path(t, "cap/valid/canada.cap"))
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) < 10 {
		t.Fatalf("want 10 valid fixtures, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			a, v, err := capxml.DecodeVersion(fh)
			if err != nil {
				t.Fatal(err)
			}
			if v != "1.2" || a.Identifier == "" || a.Sent.IsZero() {
				t.Fatalf("version %s, alert %+v", v, a)
			}
			// Re-encoding what we decoded must still be schema-valid.
			doc, err := capxml.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			xmllintSchema(t, doc)
		})
	}
}

func TestDecodeDetails(t *testing.T) {
	f := shareddata.Open(t, "cap/valid/earthquake-iso8859-1.cap")
	a, err := capxml.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	c, err := capxml.ParseCircle(a.Infos[0].Areas[0].Circles[0])
	if err != nil || c.Center.Lat != 12.747 || c.Center.Lon != -88.783 {
		t.Fatalf("circle %+v %v", c, err)
	}

	f2 := shareddata.Open(t, "cap/valid/australia.cap")
	a2, err := capxml.Decode(f2)
	if err != nil {
		t.Fatal(err)
	}
	if len(a2.Infos) == 0 || a2.Infos[0].Event == "" {
		t.Fatalf("namespace-prefixed alert decoded empty: %+v", a2)
	}
	f3 := shareddata.Open(t, "cap/valid/v1dot2_appendix_adot2.xml")
	a3, err := capxml.Decode(f3)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := capxml.ParsePolygon(a3.Infos[0].Areas[0].Polygons[0])
	if err != nil || len(pts) != 5 || pts[0] != (capxml.Point{38.47, -120.14}) {
		t.Fatalf("polygon %v %v", pts, err)
	}
	if a3.Infos[0].EventCodes[0] != (capxml.NameValue{"SAME", "SVR"}) {
		t.Fatalf("eventCode %+v", a3.Infos[0].EventCodes)
	}
}

func TestLatin1(t *testing.T) {
	doc := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>a</identifier><sender>b</sender><sent>2020-01-01T00:00:00-00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><note>Caf\xe9 \xe0 Bunia</note></alert>")
	a, err := capxml.Decode(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if a.Note != "Café à Bunia" {
		t.Fatalf("note = %q", a.Note)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"cap/invalid/invalid.cap", "alert/scope"},
		{"cap/invalid/canada_errors.cap", "alert/references"},
		{"cap/invalid/noaa_errors.cap", "CAP 1.1"},
		{"cap/invalid/xee.cap", "DOCTYPE"},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			f := shareddata.Open(t, tc.file)
			a, err := capxml.Decode(f)
			if err == nil {
				t.Fatalf("accepted: %+v", a)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestDecodeRejectsInline(t *testing.T) {
	head := `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>a</identifier><sender>b</sender><sent>2020-01-01T00:00:00-00:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>`
	tests := []struct{ name, doc, want string }{
		{"internal entity", `<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x "boom">]>` + head + `<note>&x;</note></alert>`, "DOCTYPE"},
		{"doctype only", `<!DOCTYPE alert>` + head + `</alert>`, "DOCTYPE"},
		{"cap 1.0", `<alert xmlns="http://www.incident.com/cap/1.0"></alert>`, "CAP 1.0"},
		{"other root", `<feed/>`, "want <alert>"},
		{"no namespace", `<alert/>`, "unknown namespace"},
		{"bad sent", strings.Replace(head, "2020-01-01T00:00:00-00:00", "yesterday", 1) + `</alert>`, "dateTime"},
		{"unclosed", head, "line 1"},
		{"invalid utf8", head + "<note>\xff\xfe</note></alert>", "UTF-8"},
		{"empty", ``, "no root element"},
		{"unknown charset", `<?xml version="1.0" encoding="KOI8-R"?>` + head + `</alert>`, "KOI8-R"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := capxml.Decode(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %q", err, tc.want)
			}
		})
	}
}

func TestCAP11Converted(t *testing.T) {
	f := shareddata.Open(t, "cap/other-versions/nws-5c2cf27b1f56885d61654dc47fa411d5.xml")
	a, v, err := capxml.DecodeVersion(f)
	if err != nil {
		t.Fatal(err)
	}
	if v != "1.1" {
		t.Fatalf("version %s", v)
	}
	doc, err := capxml.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte(capxml.NS12)) {
		t.Fatal("converted alert not in the 1.2 namespace")
	}
	xmllintSchema(t, doc)
}

func TestAtomFeed(t *testing.T) {
	var b bytes.Buffer
	up := time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)
	err := capxml.WriteFeed(&b, "urn:vigil:cap", "Vigil verified incidents", "Vigil", "https://v.example/cap/feed.atom",
		[]capxml.FeedEntry{{ID: "urn:vigil:incident:1", Title: "Attack & fire", Summary: "x", Updated: up, Link: "https://v.example/cap/1.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Updated string   `xml:"updated"`
		Entries []struct {
			Title string `xml:"title"`
			Link  struct {
				Type string `xml:"type,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.Updated != "2026-11-25T22:00:00Z" || len(f.Entries) != 1 || f.Entries[0].Title != "Attack & fire" || f.Entries[0].Link.Type != "application/cap+xml" {
		t.Fatalf("%+v\n%s", f, b.String())
	}
}

func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"valid", "invalid", "other-versions"} {
		root := shareddata.Root()
		if root == "" {
			break
		}
		files, _ := filepath.Glob(filepath.Join(root, "cap", dir, "*"))
		for _, p := range files {
			if strings.HasSuffix(p, ".xsd") {
				continue
			}
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>a</identifier></alert>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := capxml.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Anything accepted must re-encode and decode again.
		doc, err := capxml.Marshal(a)
		if err != nil {
			t.Fatalf("accepted alert does not re-encode: %v", err)
		}
		if _, err := capxml.Decode(bytes.NewReader(doc)); err != nil {
			t.Fatalf("re-encoded alert rejected: %v\n%s", err, doc)
		}
	})
}
