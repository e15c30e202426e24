package surveys_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// BenchmarkSaveSettingsRaking: saving the starter form's settings raked on
// region, age group and displacement (as the demo's are), over 20,000 and
// 100,000 submissions on SQLite, three ways side by side:
//   - "before": what every save with raking did until now: all the
//     submissions read with their sealed XML (Submissions), the answers
//     decrypted and kept as rows (RowsFor), then checked against the
//     margins (checkRakeValues), then the settings saved (here with the
//     same raking, so the save itself reads nothing again);
//   - "raking-changed": a save that changes the raking (two orders of the
//     dimensions in turn) now: the answers alone read (SubmissionAnswers),
//     audited and checked one row at a time, none kept;
//   - "raking-unchanged": the same raking saved again (what changing
//     indicators or protection does), which now reads nothing.
//
// The submissions are stored sealed as Submit seals them (the store's
// PutSubmission, to make 100,000 in reasonable time); a wrong seal would
// fail the first save.
func BenchmarkSaveSettingsRaking(b *testing.B) {
	for _, n := range []int{20_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			bs := newBenchStore(b, n)
			db, keys, svc, pop := bs.db, bs.keys, bs.svc, bs.pop
			st := starter.Settings()
			st.Margins = "pop"
			orders := [][]string{{"region", "age_group", "displacement"}, {"age_group", "region", "displacement"}}
			// The service as it read answers before: through Submissions,
			// each sealed XML read too (the store seen only as a Store).
			old := &surveys.Service{Store: struct{ surveys.Store }{db}, Keys: keys, Auditor: db}
			b.Run("before", func(b *testing.B) {
				st.RakeOn = orders[0]
				if err := svc.SaveSettings(ctx, "a", starter.FormID, st); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					rows, err := old.RowsFor(ctx, "a", starter.FormID, "checking the raking settings against the answers")
					if err != nil {
						b.Fatal(err)
					}
					if err := surveys.CheckRakeValues(rows, st.RakeOn, st.Margins, pop); err != nil {
						b.Fatal(err)
					}
					if err := svc.SaveSettings(ctx, "a", starter.FormID, st); err != nil {
						b.Fatal(err)
					}
				}
			})
			for _, changed := range []bool{true, false} {
				name := "raking-unchanged"
				if changed {
					name = "raking-changed"
				}
				b.Run(name, func(b *testing.B) {
					i := 0
					st.RakeOn = orders[0]
					if err := svc.SaveSettings(ctx, "a", starter.FormID, st); err != nil { // before the timed loop
						b.Fatal(err)
					}
					for b.Loop() {
						if changed {
							i++
						}
						st.RakeOn = orders[i%2]
						if err := svc.SaveSettings(ctx, "a", starter.FormID, st); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// benchStore is the starter form with n submissions stored sealed as
// Submit seals them (the store's PutSubmission, to make 100,000 in
// reasonable time; a wrong seal would fail a read), instanceIDs
// uuid:bench-0… in order, and the margin set pop over its region, age
// group and displacement.
type benchStore struct {
	db   *storage.DB
	keys *crypt.Keyring
	svc  *surveys.Service
	pop  *surveys.Population
	csv  string // pop as a margins file
}

func newBenchStore(b *testing.B, n int) benchStore {
	ctx := context.Background()
	db := benchDB(b)
	keys := testutil.Keys(b, "k")
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	f, _, err := svc.AddForm(ctx, "a", starter.FormXML, nil)
	if err != nil {
		b.Fatal(err)
	}
	regions, ages, disps := []string{"north", "south", "east", "west", "centre"}, []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}, []string{"resident", "idp", "returnee", "refugee"}
	var csv strings.Builder
	csv.WriteString("region,age_group,displacement,population\n")
	for _, r := range regions {
		for _, a := range ages {
			for _, d := range disps {
				fmt.Fprintf(&csv, "%s,%s,%s,1000\n", r, a, d)
			}
		}
	}
	pop, err := svc.LoadMargins(ctx, "a", "pop", strings.NewReader(csv.String()))
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		id := fmt.Sprintf("uuid:bench-%d", i)
		answers, _ := json.Marshal(map[string]string{"round": "R1", "consent": "yes", "region": regions[i%5], "admin2": "A" + strconv.Itoa(i%40),
			"sex": []string{"female", "male"}[i%2], "age_group": ages[i/5%5], "displacement": disps[i/25%4], "q_safety": "safe", "q_trust": "somewhat",
			"q_report": "yes", "q_violence": "no", "q_sources": "radio_un tv", "start": "2026-11-01T09:00:00Z", "end": "2026-11-01T09:12:00Z"})
		sealed, err := keys.Seal(answers, []byte("surveys.answers:"+starter.FormID+"/"+id)) // as Submit seals them (sealCtx)
		if err != nil {
			b.Fatal(err)
		}
		var xml strings.Builder // the submission's XML, as ODK Collect sends it (never opened here)
		fmt.Fprintf(&xml, `<perception id="%s" version="%s">`, starter.FormID, f.Version)
		var fields map[string]string
		_ = json.Unmarshal(answers, &fields)
		for _, k := range surveys.SortedKeys(fields) {
			fmt.Fprintf(&xml, "<%s>%s</%s>", k, fields[k], k)
		}
		fmt.Fprintf(&xml, "<meta><instanceID>%s</instanceID></meta></perception>", id)
		sealedXML, err := keys.Seal([]byte(xml.String()), []byte("surveys.xml:"+starter.FormID+"/"+id))
		if err != nil {
			b.Fatal(err)
		}
		sub := surveys.StoredSubmission{FormID: f.ID, InstanceID: id, FormVersion: f.Version, XMLSealed: sealedXML, AnswersSealed: sealed, Enumerator: "e", Received: t0.Add(time.Duration(i) * time.Second)}
		if _, _, err := db.PutSubmission(ctx, "e", sub, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	return benchStore{db, keys, svc, pop, csv.String()}
}

// benchDB is the benchmarks' store: SQLite, or PostgreSQL in a fresh
// schema (dropped at the end) on the server VIGIL_TEST_POSTGRES names when
// VIGIL_BENCH_STORE=postgres.
func benchDB(b *testing.B) *storage.DB {
	if os.Getenv("VIGIL_BENCH_STORE") != "postgres" {
		return testutil.Store(b)
	}
	base := testutil.PostgresURL(b)
	if base == "" {
		b.Fatal("VIGIL_BENCH_STORE=postgres without VIGIL_TEST_POSTGRES")
	}
	db, err := postgres.Open(context.Background(), testutil.PostgresSchema(b, base, "bench_surveys"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkSubmissionXML: one submission's XML and attachments read
// (decrypted, audited as submission.read) from a form of 100,000
// submissions on SQLite, the one in the middle: "before" as a Store that
// reads one only through Submissions (every submission of the form, its
// sealed XML and answers, then looked for), "after" through the store's
// Submission (the one row, by the form and instanceID's index).
func BenchmarkSubmissionXML(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	bs := newBenchStore(b, n)
	id := fmt.Sprintf("uuid:bench-%d", n/2)
	for _, c := range []struct {
		name string
		svc  *surveys.Service
	}{
		{"before", &surveys.Service{Store: struct{ surveys.Store }{bs.db}, Keys: bs.keys, Auditor: bs.db}},
		{"after", bs.svc},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				xml, _, err := c.svc.SubmissionXML(ctx, "a", starter.FormID, id)
				if err != nil || !strings.Contains(string(xml), "<instanceID>"+id+"</instanceID>") {
					b.Fatalf("SubmissionXML = %.60s…, %v", xml, err)
				}
			}
		})
	}
}

// BenchmarkLoadMarginsRaked: the margin set pop uploaded again while the
// starter form's settings rake on it (region, age group, displacement),
// over 100,000 submissions on SQLite: each upload reads the form's
// answers (decrypted, audited) to check them against the new margins.
func BenchmarkLoadMarginsRaked(b *testing.B) {
	ctx := context.Background()
	bs := newBenchStore(b, 100_000)
	st := starter.Settings()
	st.Margins, st.RakeOn = "pop", []string{"region", "age_group", "displacement"}
	if err := bs.svc.SaveSettings(ctx, "a", starter.FormID, st); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := bs.svc.LoadMargins(ctx, "a", "pop", strings.NewReader(bs.csv)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRakingChecksStreamed: the two checks that read every answer of
// a form raked on a margin set, over 100,000 submissions on SQLite — a
// margin set uploaded again (LoadMargins → checkMarginsRaked) and a
// settings save that changes the raking (SaveSettings, the two orders of
// the dimensions in turn) — each two ways side by side:
//   - "list": as session 22 left them, the form's sealed answers read as
//     one list (the store seen without its AnswerStream: SubmissionAnswers),
//     then decrypted and checked one row at a time;
//   - "stream": the sealed answers read storage.AnswersBatch at a time
//     (EachSubmissionAnswer), each decrypted and checked in turn.
//
// Besides time and allocated bytes per upload or save, each reports the
// CPU time the process used per upload or save (cpu-ns/op, user and
// system, its garbage collection included: less dependent on the
// machine's load than the time) and the peak of its loop: peak-heap-B, the Go heap's objects (live or not yet
// collected) sampled every millisecond, and peak-RSS-B, the process's
// resident set (VmHWM, reset before the loop through /proc/self/clear_refs,
// after a collection that gave freed memory back), with start-RSS-B, the
// resident set at that reset (the store's pages and what the set-up
// left); the RSS figures are absent where clear_refs cannot be written.
func BenchmarkRakingChecksStreamed(b *testing.B) {
	ctx := context.Background()
	bs := newBenchStore(b, 100_000)
	orders := [][]string{{"region", "age_group", "displacement"}, {"age_group", "region", "displacement"}}
	st := starter.Settings()
	st.Margins, st.RakeOn = "pop", orders[0]
	if err := bs.svc.SaveSettings(ctx, "a", starter.FormID, st); err != nil {
		b.Fatal(err)
	}
	type listStore struct { // what the service read through before: no AnswerStream
		surveys.Store
		surveys.AnswersStore
		surveys.AnalysisStore
	}
	for _, check := range []string{"margins", "settings"} {
		for _, way := range []string{"list", "stream"} {
			svc := bs.svc
			if way == "list" {
				svc = &surveys.Service{Store: listStore{bs.db, bs.db, bs.db}, Keys: bs.keys, Auditor: bs.db}
			}
			b.Run(check+"/"+way, func(b *testing.B) {
				surveys.SetReadWhole(way == "list") // each answer opened into a new buffer, as then
				defer surveys.SetReadWhole(false)
				// Each save changes the raking, from whatever order the
				// run before (or -count's previous run) left stored.
				i := 0
				if cur, err := bs.db.Settings(ctx, starter.FormID); err == nil && slices.Equal(cur.RakeOn, orders[1]) {
					i = 1
				}
				peak := startPeak()
				for b.Loop() {
					var err error
					if check == "margins" {
						_, err = svc.LoadMargins(ctx, "a", "pop", strings.NewReader(bs.csv))
					} else {
						i++
						st.RakeOn = orders[i%2]
						err = svc.SaveSettings(ctx, "a", starter.FormID, st)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				peak(b)
			})
		}
	}
}

// startPeak collects garbage, gives freed memory back to the system,
// resets the process's peak resident set and samples the heap every
// millisecond until the function it returns reports the peaks.
func startPeak() func(b *testing.B) {
	runtime.GC()
	debug.FreeOSMemory()
	rss := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil // Linux: VmHWM = VmRSS
	base, _ := procStatus("VmRSS")
	cpu0 := cpuTime()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var heap uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			heap = max(heap, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func(b *testing.B) {
		close(done)
		<-stopped
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		}
		b.ReportMetric(float64(heap), "peak-heap-B")
		if !rss {
			return
		}
		if hwm, ok := procStatus("VmHWM"); ok {
			b.ReportMetric(float64(base), "start-RSS-B")
			b.ReportMetric(float64(hwm), "peak-RSS-B")
		}
	}
}

// cpuTime is the CPU time the process has used (user and system), in
// nanoseconds: what a loop costs whatever else the machine runs.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// procStatus is the process's /proc/self/status line key ("VmRSS") in
// bytes; false if there is none.
func procStatus(key string) (int64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}

// BenchmarkRowsStreamed: an analysis (Analyse, raked on region, age group
// and displacement, as the demo's) and a CSV export (Export, the starter
// form's disclosure control) of the starter form's 100,000 submissions on
// SQLite (PostgreSQL with VIGIL_BENCH_STORE=postgres: benchDB), each two
// ways side by side:
//   - "list": the sealed answers read as one list (SubmissionAnswers,
//     surveys.SetReadWhole), each opened into a new buffer, as session 23
//     read them (since session 27 they are then held as columns, as
//     "stream" holds them);
//   - "stream": the sealed answers read storage.AnswersBatch at a time
//     (EachSubmissionAnswer), the analysis's rows holding only the fields
//     it reads, the export's rows protected and its CSV streamed
//     (PrepareExport, then WriteCSV to io.Discard, as the server sends it),
//     both held as columns (session 27; a map per row before).
//
// It reports what BenchmarkRakingChecksStreamed does (cpu-ns/op,
// peak-heap-B, start-RSS-B, peak-RSS-B).
func BenchmarkRowsStreamed(b *testing.B) {
	ctx := context.Background()
	bs := newBenchStore(b, 100_000)
	st := starter.Settings()
	st.Margins, st.RakeOn = "pop", []string{"region", "age_group", "displacement"}
	for _, op := range []string{"analysis", "export"} {
		for _, way := range []string{"list", "stream"} {
			b.Run(op+"/"+way, func(b *testing.B) {
				surveys.SetReadWhole(way == "list")
				defer surveys.SetReadWhole(false)
				peak := startPeak()
				for b.Loop() {
					if op == "analysis" {
						res, err := bs.svc.Analyse(ctx, "a", starter.FormID, st, surveys.AnalyseQuery{})
						if err != nil || res.Analysis.Respondents != 100_000 {
							b.Fatalf("Analyse: %v", err)
						}
						continue
					}
					if way == "list" {
						ex, err := bs.svc.Export(ctx, "a", starter.FormID, st, "", "csv", "")
						if err != nil || ex.Report.Records != 100_000 {
							b.Fatalf("Export: %v", err)
						}
						continue
					}
					ex, err := bs.svc.PrepareExport(ctx, "a", starter.FormID, st, "", "csv", "")
					if err != nil || ex.Report.Records != 100_000 {
						b.Fatalf("PrepareExport: %v", err)
					}
					if err := ex.WriteCSV(io.Discard); err != nil { // as the server sends it
						b.Fatal(err)
					}
				}
				peak(b)
			})
		}
	}
}
