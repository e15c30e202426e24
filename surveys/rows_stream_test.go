package surveys_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// streamOnly is the store with its whole-form reads refused: what reads
// the answers through it must stream them (EachSubmissionAnswer).
type streamOnly struct{ *storage.DB }

var errWholeRead = errors.New("the form's sealed answers read as one list")

func (streamOnly) SubmissionAnswers(context.Context, int64) ([]surveys.StoredSubmission, error) {
	return nil, errWholeRead
}

func (streamOnly) Submissions(context.Context, int64) ([]surveys.StoredSubmission, error) {
	return nil, errWholeRead
}

// listOnly is the store without its AnswerStream: the answers read as one
// list (SubmissionAnswers), as Rows, analyses and exports read them
// before.
type listOnly struct {
	surveys.Store
	surveys.AnswersStore
	surveys.AnalysisStore
}

// TestRowsStreamed: Rows, the analyses (Analyse, Unheard) and the exports
// (CSV, HXL, the report) read the form's sealed answers a batch at a time
// through the store's AnswerStream, never as one list, and give exactly
// what reading the list gave: the same rows oldest first (though the
// stream reads them in instanceID order, uuid:r-10 before uuid:r-9), the
// same estimates to the last bit, the same bytes exported, over three
// batches of the starter form's answers (two rounds, some blank). The
// exports' files are also streamed as the server sends them
// (PrepareExport, WriteCSV): the same bytes again.
func TestRowsStreamed(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	keys := testutil.Keys(t, "k")
	stream := &surveys.Service{Store: streamOnly{db}, Keys: keys, Auditor: db}
	list := &surveys.Service{Store: listOnly{db, db, db}, Keys: keys, Auditor: db}
	f, _, err := stream.AddForm(ctx, "a", starter.FormXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	regions, ages, disps := []string{"north", "south", "east", "west", "centre"}, []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}, []string{"resident", "idp", "returnee", "refugee"}
	var margins strings.Builder
	margins.WriteString("region,age_group,displacement,population\n")
	for i, r := range regions {
		for j, a := range ages {
			for k, d := range disps {
				fmt.Fprintf(&margins, "%s,%s,%s,%d\n", r, a, d, 1000+97*i+31*j+7*k)
			}
		}
	}
	if _, err := stream.LoadMargins(ctx, "a", "pop", strings.NewReader(margins.String())); err != nil {
		t.Fatal(err)
	}
	n := 2*storage.AnswersBatch + 1
	putAnswers(t, db, keys, f, "uuid:r-", starterAnswers(n))
	st := starter.Settings()
	st.Margins, st.RakeOn = "pop", []string{"region", "age_group", "displacement"}
	st.RakeMissing = surveys.RakeLeaveOut
	if err := stream.SaveSettings(ctx, "a", starter.FormID, st); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		read func(*surveys.Service) (any, error)
	}{
		{"rows", func(s *surveys.Service) (any, error) { return s.Rows(ctx, "a", starter.FormID) }},
		{"analysis", func(s *surveys.Service) (any, error) {
			return s.Analyse(ctx, "a", starter.FormID, st, surveys.AnalyseQuery{})
		}},
		{"analysis of R2 against R1", func(s *surveys.Service) (any, error) {
			return s.Analyse(ctx, "a", starter.FormID, st, surveys.AnalyseQuery{Round: "R2", Compare: "R1"})
		}},
		{"analysis of some days", func(s *surveys.Service) (any, error) {
			return s.Analyse(ctx, "a", starter.FormID, st, surveys.AnalyseQuery{From: "2026-11-05", To: "2026-11-30"})
		}},
		{"unheard", func(s *surveys.Service) (any, error) {
			return s.Unheard(ctx, "a", starter.FormID, st, "R1", "", "", "")
		}},
		{"csv export", func(s *surveys.Service) (any, error) { return s.Export(ctx, "a", starter.FormID, st, "", "csv", "") }},
		{"hxl export of R2", func(s *surveys.Service) (any, error) { return s.Export(ctx, "a", starter.FormID, st, "R2", "hxl", "") }},
		{"export report", func(s *surveys.Service) (any, error) {
			return s.Export(ctx, "a", starter.FormID, st, "R1", "report", "")
		}},
	} {
		want, err := c.read(list)
		if err != nil {
			t.Fatalf("%s read as a list: %v", c.name, err)
		}
		got, err := c.read(stream)
		if err != nil {
			t.Errorf("%s streamed: %v", c.name, err)
			continue
		}
		g, _ := json.Marshal(got) // an Analysis's design (unexported) holds NaN: not DeepEqual to itself
		w, _ := json.Marshal(want)
		if ex, ok := got.(*surveys.Export); ok && !bytes.Equal(ex.CSV, want.(*surveys.Export).CSV) || string(g) != string(w) {
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			t.Errorf("%s streamed differs from the list's at byte %d of %d:\n got …%.200s\nwant …%.200s", c.name, i, len(w), g[max(0, i-100):], w[max(0, i-100):])
		}
		if ex, ok := want.(*surveys.Export); ok && ex.CSV != nil {
			// The file streamed as the server sends it (PrepareExport,
			// then WriteCSV) is the same bytes.
			f := map[string]string{"csv export": "csv", "hxl export of R2": "hxl"}[c.name]
			round := map[string]string{"hxl export of R2": "R2"}[c.name]
			px, err := stream.PrepareExport(ctx, "a", starter.FormID, st, round, f, "")
			if err != nil {
				t.Fatalf("%s prepared: %v", c.name, err)
			}
			if px.CSV != nil {
				t.Errorf("%s prepared: the CSV built in memory (%d bytes)", c.name, len(px.CSV))
			}
			var sent bytes.Buffer
			if err := px.WriteCSV(&sent); err != nil {
				t.Fatalf("%s written: %v", c.name, err)
			}
			if !bytes.Equal(sent.Bytes(), ex.CSV) {
				t.Errorf("%s streamed: %d bytes differ from the list's %d", c.name, sent.Len(), len(ex.CSV))
			}
			if err := px.WriteCSV(&sent); err == nil {
				t.Errorf("%s written twice: no error", c.name)
			}
		}
		if c.name == "rows" {
			rows := got.([]map[string]string)
			if len(rows) != n || rows[9][surveys.KeyInstanceID] != "uuid:r-9" || rows[10][surveys.KeyInstanceID] != "uuid:r-10" {
				t.Errorf("rows: %d, the 10th and 11th %v %v; want %d oldest first", len(rows), rows[9][surveys.KeyInstanceID], rows[10][surveys.KeyInstanceID], n)
			}
		}
	}
}

// TestPreparedExportHoldsNoAnswers: between PrepareExport and WriteCSV
// (while the server sends the headers, and as long as the client takes
// the file) a prepared export holds of each of the 3,000 answers only
// what protecting it needs (its id, a code for its quasi-identifiers: 12
// bytes here), not the answers (as columns, about 150 bytes an answer of
// the starter form before session 29), and WriteCSV then writes what
// Export builds in memory.
func TestPreparedExportHoldsNoAnswers(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	keys := testutil.Keys(t, "k")
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	f, _, err := svc.AddForm(ctx, "a", starter.FormXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	putAnswers(t, db, keys, f, "uuid:h-", starterAnswers(n))
	st := starter.Settings()
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	if _, err := svc.PrepareExport(ctx, "a", starter.FormID, st, "", "csv", ""); err != nil { // the form's definition parsed and cached
		t.Fatal(err)
	}
	before := heap()
	ex, err := svc.PrepareExport(ctx, "a", starter.FormID, st, "", "csv", "")
	if err != nil {
		t.Fatal(err)
	}
	held := heap() - before
	if held > 48*n {
		t.Errorf("a prepared export of %d answers holds %d bytes (%d an answer), want at most %d an answer", n, held, held/n, 48)
	}
	var sent bytes.Buffer
	if err := ex.WriteCSV(&sent); err != nil {
		t.Fatal(err)
	}
	whole, err := svc.Export(ctx, "a", starter.FormID, st, "", "csv", "")
	if err != nil || !bytes.Equal(sent.Bytes(), whole.CSV) || ex.Report.Records != n {
		t.Errorf("written %d bytes of %d records, Export's %d bytes (%v)", sent.Len(), ex.Report.Records, len(whole.CSV), err)
	}
	t.Logf("a prepared export of %d answers holds %d bytes (%d an answer)", n, held, held/n)
}

// TestUnheardCounted: who is unheard among a form's respondents, read a
// row at a time and held as distinct answers with their counts, is what
// Unheard says of the rows Rows gives in that round (as it was computed
// before), for every round and one.
func TestUnheardCounted(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	keys := testutil.Keys(t, "k")
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	f, _, err := svc.AddForm(ctx, "a", starter.FormXML, nil)
	if err != nil {
		t.Fatal(err)
	}
	answers := starterAnswers(1200)
	answers[5]["region"] = " north "    // trimmed
	answers[6]["age_group"] = "unknown" // not in the margins
	putAnswers(t, db, keys, f, "uuid:u-", answers)
	var margins strings.Builder
	margins.WriteString("region,age_group,displacement,population\n")
	for i, r := range []string{"north", "south", "east", "west", "centre"} {
		for j, a := range []string{"18_24", "25_34", "35_49", "50_64", "65_plus"} {
			for k, d := range []string{"resident", "idp", "returnee", "refugee"} {
				fmt.Fprintf(&margins, "%s,%s,%s,%d\n", r, a, d, 1000+97*i+31*j+7*k)
			}
		}
	}
	pop, err := svc.LoadMargins(ctx, "a", "pop", strings.NewReader(margins.String()))
	if err != nil {
		t.Fatal(err)
	}
	st := starter.Settings()
	rows, err := svc.Rows(ctx, "a", starter.FormID)
	if err != nil {
		t.Fatal(err)
	}
	for _, round := range []string{"", "R2"} {
		got, err := svc.Unheard(ctx, "a", starter.FormID, st, round, "pop", "", "")
		if err != nil {
			t.Fatal(err)
		}
		want, err := surveys.Unheard(surveys.FilterRound(rows, st.Round(), round), "respondents", pop, st.AreaField, surveys.DefaultUnheardRule)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got.Respondents)
		w, _ := json.Marshal(want)
		if string(g) != string(w) || len(want.Groups) == 0 {
			t.Errorf("round %q: counted\n%s\nwant (from the rows)\n%s", round, g, w)
		}
	}
}
