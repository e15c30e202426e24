package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// importAnswer is the JSON of POST /api/v1/events/import: the counts, or
// the error with its field and line.
type importAnswer struct {
	Inserted              int    `json:"inserted"`
	Updated               int    `json:"updated"`
	Unchanged             int    `json:"unchanged"`
	InconsistentEstimates int    `json:"inconsistent_estimates"`
	Repaired              int    `json:"repaired"`
	Error                 string `json:"error"`
	Field                 string `json:"field"`
	Line                  int    `json:"line"`
}

func (e *testEnv) importEvents(t *testing.T, tok, query string, body []byte, ctype string) (int, importAnswer) {
	t.Helper()
	resp, b := e.do(nil, "POST", "/api/v1/events/import"+query, reqOpt{token: tok, body: string(body), ctype: ctype})
	var a importAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("POST /api/v1/events/import%s: %d %s", query, resp.StatusCode, b)
	}
	return resp.StatusCode, a
}

// multipartFile is body and Content-Type of a form with one file part.
func multipartFile(t *testing.T, field, name string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func importAudits(t *testing.T, e *testEnv) []audit.Record {
	t.Helper()
	recs, err := e.db.AuditLog(context.Background(), audit.Filter{Action: "events.import"})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestEventsImportAPI imports the real UCDP GED 23.1 file of the Central
// African Republic through the API, as a raw body and as a multipart form,
// and requires the summary `vigil import --json` prints for the same file
// (ingest.ImportFile into a second store), the events listed, one audit
// entry per import, strict refusing the file at a named line, and the
// analyst role.
func TestEventsImportAPI(t *testing.T) {
	path := shareddata.Path(t, carFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ref := newEnv(t)
	want, err := ingest.ImportFile(context.Background(), ref.db, path, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want.Inserted != 1458 || want.InconsistentEstimates != 19 {
		t.Fatalf("CLI import of %s: %+v, want 1458 inserted and 19 inconsistent (ingest.Options doc)", carFile, want)
	}

	e := newEnv(t)
	// Roles: a viewer and a responder may not import.
	for _, u := range []string{"vic", "rex"} {
		if code, a := e.importEvents(t, e.tokens[u], "", data, "text/csv"); code != http.StatusForbidden {
			t.Fatalf("%s: %d %+v, want 403", u, code, a)
		}
	}
	// Strict refuses the file at the first inconsistent row and writes nothing.
	code, a := e.importEvents(t, e.tokens["ana"], "?strict=true&name=car.csv", data, "text/csv")
	if code != http.StatusBadRequest || a.Line < 2 || a.Field == "" || !strings.HasPrefix(a.Error, "car.csv:") {
		t.Fatalf("strict: %d %+v, want 400 naming car.csv, a line and a field", code, a)
	}
	if n := len(e.allEvents(t, "", 1000)); n != 0 {
		t.Fatalf("strict refusal wrote %d events", n)
	}
	// Check only: the counts, nothing written, nothing audited.
	code, a = e.importEvents(t, e.tokens["ana"], "?check=true", data, "text/csv")
	if code != 200 || a.Inserted != want.Inserted {
		t.Fatalf("check: %d %+v", code, a)
	}
	if n := len(e.allEvents(t, "", 1000)); n != 0 || len(importAudits(t, e)) != 0 {
		t.Fatalf("check wrote %d events or an audit entry", n)
	}
	// The default: the CLI's summary.
	code, a = e.importEvents(t, e.tokens["ana"], "", data, "text/csv")
	if code != 200 || a.Inserted != want.Inserted || a.InconsistentEstimates != want.InconsistentEstimates || a.Updated != 0 || a.Unchanged != 0 {
		t.Fatalf("import: %d %+v, want %+v", code, a, want)
	}
	if n := len(e.allEvents(t, "", 1000)); n != want.Inserted {
		t.Fatalf("%d events listed after the import, want %d", n, want.Inserted)
	}
	// Again as a multipart form (the browser's way): every row unchanged.
	body, ctype := multipartFile(t, "file", filepath.Base(path), data)
	code, a = e.importEvents(t, e.tokens["ada"], "", body, ctype)
	if code != 200 || a.Unchanged != want.Inserted || a.Inserted != 0 {
		t.Fatalf("multipart re-import: %d %+v", code, a)
	}
	recs := importAudits(t, e)
	if len(recs) != 2 || recs[0].Actor != "ada" || recs[1].Actor != "ana" ||
		recs[0].Object != "events:"+filepath.Base(path) || !strings.Contains(recs[1].Detail, "1458 inserted") || !strings.Contains(recs[1].Detail, "19 inconsistent") {
		t.Fatalf("audit entries: %+v", recs)
	}
}

// TestEventsImportBadFileWritesNothing sends files with one bad row after
// good ones (in the real file: after two batches have reached the store)
// and requires a 400 naming the line and the column, no event stored and
// no audit entry.
func TestEventsImportBadFileWritesNothing(t *testing.T) {
	small, err := os.ReadFile("../ingest/testdata/cases/ged-bad-lat.csv")
	if err != nil {
		t.Fatal(err)
	}
	// The real file with the latitude of its 1001st row out of range: two
	// batches of 400 have reached the store when the bad row is read.
	realBad := func(t *testing.T) ([]byte, int) { return shareddata.Broken(t, carFile, 1001, "latitude", "95.5") }
	cases := []struct {
		name  string
		data  func(t *testing.T) ([]byte, int)
		field string
		msg   string
	}{
		{"latitude out of range", func(*testing.T) ([]byte, int) { return small, 3 }, "latitude", "95.5 outside -90..90"},
		{"real file, row 1001 out of range", realBad, "latitude", "95.5 outside -90..90"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, line := c.data(t)
			e := newEnv(t)
			code, a := e.importEvents(t, e.tokens["ana"], "?name=bad.csv", data, "text/csv")
			if code != http.StatusBadRequest || a.Line != line || a.Field != c.field || !strings.Contains(a.Error, c.msg) || !strings.HasPrefix(a.Error, "bad.csv:") {
				t.Fatalf("%d %+v, want 400 at line %d field %s", code, a, line, c.field)
			}
			if n := len(e.allEvents(t, "", 1000)); n != 0 {
				t.Fatalf("a refused file wrote %d events", n)
			}
			if recs := importAudits(t, e); len(recs) != 0 {
				t.Fatalf("a refused file was audited: %+v", recs)
			}
		})
	}
}

// FuzzEventsImport sends arbitrary files and query strings to POST
// /api/v1/events/import as an analyst: every answer is below 500 (a bad
// file is a 400 naming its line, never a crash).
func FuzzEventsImport(f *testing.F) {
	var seeds []routeSeed
	for _, name := range []string{"ged-bad-lat.csv", "ged17-ok.csv", "ged39-ok.csv", "acled-ok.csv", "acled-bad-date.csv", "hxl-ok.csv", "geojson-ok.geojson", "binary.csv", "ged-bad-quote.csv", "ged-bad-dupid.csv"} {
		if b, err := os.ReadFile(filepath.Join("../ingest/testdata/cases", name)); err == nil {
			seeds = append(seeds, routeSeed{0, string(b)})
		}
	}
	seeds = append(seeds, routeSeed{0, ""}, routeSeed{0, "id,date_start\n1,2020-01-01\n"},
		routeSeed{1, "strict=true&repair=true"}, routeSeed{1, "format=nope"}, routeSeed{1, "check=maybe"},
		routeSeed{1, "name=%0A"}, routeSeed{1, "source=" + strings.Repeat("x", 200)}, routeSeed{1, "format=geojson&check=1"},
		routeSeed{2, "id,date_start\n"}, routeSeed{2, `{"type":"FeatureCollection","features":[]}`})
	e := newEnv(f)
	fuzzRoutes(f, e, e.tokens["ana"], []fuzzRoute{
		{"POST", "/api/v1/events/import"},
		{"POST", "/api/v1/events/import?"},
		{"POST", "/api/v1/events/import?check=true&format=ged"},
	}, seeds)
}
