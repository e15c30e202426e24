package surveys_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

var updateExport = flag.Bool("update", false, "rewrite the export goldens in testdata/export")

// auditLog records the entries a service writes (and passes them on).
type auditLog struct {
	next interface {
		Record(ctx context.Context, e audit.Entry) error
	}
	mu      sync.Mutex
	entries []audit.Entry
}

func (l *auditLog) Record(ctx context.Context, e audit.Entry) error {
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
	return l.next.Record(ctx, e)
}

// putAnswers stores answers as form f's submissions, sealed as Submit
// seals them, the i-th with instanceID prefix-i (so that the instanceIDs'
// order is not the submissions': prefix-10 before prefix-9), received an
// hour after the one before.
func putAnswers(t testing.TB, db *storage.DB, keys *crypt.Keyring, f surveys.Form, prefix string, answers []map[string]string) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i, a := range answers {
		id := prefix + strconv.Itoa(i)
		plain, _ := json.Marshal(a)
		sealed, err := keys.Seal(plain, []byte("surveys.answers:"+f.FormID+"/"+id)) // as Submit seals them
		if err != nil {
			t.Fatal(err)
		}
		sub := surveys.StoredSubmission{FormID: f.ID, InstanceID: id, FormVersion: f.Version, XMLSealed: []byte("not read"), AnswersSealed: sealed, Enumerator: "e" + strconv.Itoa(i%3), Received: t0.Add(time.Duration(i) * time.Hour)}
		if _, _, err := db.PutSubmission(ctx, "e", sub, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// starterAnswers are n answers to the starter form over two rounds, some
// questions unanswered, some respondents without consent.
func starterAnswers(n int) []map[string]string {
	regions, ages, disps := []string{"north", "south", "east", "west", "centre"}, []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}, []string{"resident", "idp", "returnee", "refugee"}
	out := make([]map[string]string, n)
	for i := range n {
		a := map[string]string{"round": []string{"R1", "R2"}[min(i/600, 1)], "consent": "yes", "region": regions[i*7%5], "admin2": "A" + strconv.Itoa(i%40),
			"sex": []string{"female", "male"}[i*3%2], "age_group": ages[i/3%5], "displacement": disps[i/7%4], "q_safety": []string{"safe", "unsafe", "very_unsafe"}[i%3],
			"q_trust": []string{"somewhat", "not_at_all", "a_lot"}[i*5%3], "q_report": []string{"yes", "no"}[i/2%2], "q_violence": []string{"no", "yes"}[i/11%2],
			"q_sources": "radio_un tv", "location": fmt.Sprintf("%.4f %.4f 0 0", 1.5+float64(i%9)/10, 29.2+float64(i%13)/10)}
		if i%17 == 0 {
			delete(a, "q_trust") // unanswered
		}
		if i%101 == 0 {
			a = map[string]string{"round": "R1", "consent": "no"}
		}
		out[i] = a
	}
	return out
}

// TestExportGolden: the CSV, HXL and report exports (the file's bytes, the
// report, the audit entries, or the refusal) of two forms' answers, each
// against its golden file in testdata/export, written by the export as it
// held every protected row until written (before session 29; rewrite with
// -update only for an intended change):
//   - the starter form's 1,001 answers (three store batches, two rounds,
//     GPS points, unanswered questions) under its own disclosure control;
//   - the 200 schools of the real stratified API sample (shared
//     survey/apistrat.csv) stored as answers, protected on county, school
//     type and awards with and without the sampling weights pw (their sums'
//     last bits depend on the order they are added in), generalised and
//     blocked, with free text named, a GPS-like answer, a formula, a
//     padded county, a "*" answer and a phone number among them.
func TestExportGolden(t *testing.T) {
	ctx := context.Background()
	type exportCase struct {
		name, round, format, text string
		rule                      surveys.DisclosureRule
	}
	api := surveys.APIRows(t, "apistrat.csv")
	for i, r := range api {
		r["round"] = []string{"R2", "R1", "R1"}[i%3]
	}
	api[0]["gps_note"] = "-1.2921 36.8219 1650 5"
	api[1]["q_note"] = `=HYPERLINK("x")`
	api[5]["cname"] = "  " + api[5]["cname"] + "  "
	api[7]["awards"] = surveys.Suppressed
	api[9]["phone"] = "555 0100"
	apiText := "dnum,api00,api99,growth,meals,enroll,sch.wide,both,gps_note,q_note"
	stype := map[string]map[string]string{"stype": {"E": "E", "M": "M/H", "H": "M/H"}}
	qis := []string{"cname", "stype", "awards"}
	forms := []struct {
		name    string
		answers []map[string]string
		cases   []exportCase
	}{
		{"starter", starterAnswers(2*storage.AnswersBatch + 1), []exportCase{
			{name: "csv", format: "csv", rule: starter.Disclosure()},
			{name: "default-format-R1", round: "R1", rule: starter.Disclosure()},
			{name: "hxl-R2", round: "R2", format: "hxl", rule: starter.Disclosure()},
			{name: "report-R1", round: "R1", format: "report", rule: starter.Disclosure()},
			{name: "no-such-round", round: "R9", format: "csv", rule: starter.Disclosure()},
		}},
		{"api", api, []exportCase{
			{name: "weighted-k5", format: "csv", text: apiText, rule: surveys.DisclosureRule{K: 5, QuasiIdentifiers: qis, Weight: "pw", Generalise: stype, MaxRisk: 0.5}},
			{name: "weighted-k5-default-risk", format: "csv", text: apiText, rule: surveys.DisclosureRule{K: 5, QuasiIdentifiers: qis, Weight: "pw", Generalise: stype}},
			{name: "weighted-k10-hxl-R1", round: "R1", format: "hxl", text: "api00,q_note", rule: surveys.DisclosureRule{K: 10, QuasiIdentifiers: qis, Weight: "pw", Generalise: stype, MaxRisk: 0.5}},
			{name: "weighted-k3-report-R2", round: "R2", format: "report", rule: surveys.DisclosureRule{K: 3, QuasiIdentifiers: qis, Weight: "pw", Generalise: stype}},
			{name: "unweighted-k3", format: "csv", text: "api00", rule: surveys.DisclosureRule{K: 3, QuasiIdentifiers: []string{"stype", "cname", "awards", "sch.wide"}}},
			{name: "unweighted-k2-dropped", format: "csv", rule: surveys.DisclosureRule{K: 2, QuasiIdentifiers: []string{"stype"}, Drop: []string{"dnum", "cnum"}}},
			{name: "weight-not-a-number", format: "csv", rule: surveys.DisclosureRule{K: 5, QuasiIdentifiers: qis, Weight: "cname"}},
			{name: "identifier-as-quasi-identifier", format: "csv", rule: surveys.DisclosureRule{K: 5, QuasiIdentifiers: []string{"stype", "phone"}}},
			{name: "text-not-free", format: "csv", text: "q_safety", rule: surveys.DisclosureRule{K: 5, QuasiIdentifiers: qis}},
		}},
	}
	for _, fm := range forms {
		db := testutil.Store(t)
		keys := testutil.Keys(t, "k")
		log := &auditLog{next: db}
		svc := &surveys.Service{Store: db, Keys: keys, Auditor: log}
		f, _, err := svc.AddForm(ctx, "a", starter.FormXML, nil)
		if err != nil {
			t.Fatal(err)
		}
		putAnswers(t, db, keys, f, "uuid:"+fm.name+"-", fm.answers)
		for _, c := range fm.cases {
			t.Run(fm.name+"/"+c.name, func(t *testing.T) {
				st := starter.Settings()
				st.Disclosure = c.rule
				log.entries = nil
				var got bytes.Buffer
				ex, err := svc.PrepareExport(ctx, "a", starter.FormID, st, c.round, c.format, c.text)
				if err == nil && c.format != "report" {
					err = ex.WriteCSV(&got)
				}
				var out bytes.Buffer
				if err != nil {
					fmt.Fprintf(&out, "error: %v\n", err)
				}
				for _, e := range log.entries {
					fmt.Fprintf(&out, "audit: %s %s %s %s\n", e.Actor, e.Action, e.Object, e.Detail)
				}
				if err == nil {
					rep, _ := json.MarshalIndent(ex.Report, "", "  ")
					fmt.Fprintf(&out, "report: %s\nfile %q:\n%s", rep, ex.Name, got.Bytes())
				}
				path := filepath.Join("testdata", "export", fm.name+"-"+c.name+".txt")
				if *updateExport {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (write the goldens with -update)", err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					g, w := out.String(), string(want)
					i := 0
					for i < len(g) && i < len(w) && g[i] == w[i] {
						i++
					}
					t.Errorf("%s differs at byte %d of %d:\n got …%.300s\nwant …%.300s", path, i, len(w), g[max(0, i-100):], w[max(0, i-100):])
				}
			})
		}
	}
}
