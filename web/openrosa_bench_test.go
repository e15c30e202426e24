package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/performance"
)

// BenchmarkOpenRosaLoad measures POST /submission under a sustained load
// sent by a second process on loopback: the server (SQLite store, sealed
// storage, audit) runs here; the test binary is re-run as the load client
// (TestOpenRosaLoadClient), which sends submissions with a 200 KB
// attachment at a fixed rate (open loop: a slow answer does not slow the
// sending) for a bounded time, and reports latencies. Run with:
//
//	go test -run '^$' -bench BenchmarkOpenRosaLoad -benchtime 1x ./web/
//
// VIGIL_OR_LOAD_RATE (per second, default 100), VIGIL_OR_LOAD_SECONDS
// (default 20) and VIGIL_OR_LOAD_BYTES (attachment size, default 204800)
// change the load.
func BenchmarkOpenRosaLoad(b *testing.B) {
	rate := envInt("VIGIL_OR_LOAD_RATE", 100)
	secs := envInt("VIGIL_OR_LOAD_SECONDS", 20)
	size := envInt("VIGIL_OR_LOAD_BYTES", 200*1024)
	for i := 0; i < b.N; i++ {
		e := newOREnv(b)
		cmd := exec.Command(os.Args[0], "-test.run=^TestOpenRosaLoadClient$", "-test.count=1")
		cmd.Env = append(os.Environ(), "VIGIL_OR_LOAD_URL="+e.srv.URL, fmt.Sprintf("VIGIL_OR_LOAD_RATE=%d", rate),
			fmt.Sprintf("VIGIL_OR_LOAD_SECONDS=%d", secs), fmt.Sprintf("VIGIL_OR_LOAD_BYTES=%d", size))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("load client: %v\n%s\n%s", err, out, stderr.String())
		}
		var st loadStats
		line := out
		if i := bytes.Index(out, []byte("LOADSTATS ")); i >= 0 {
			line = out[i+len("LOADSTATS "):]
			if j := bytes.IndexByte(line, '\n'); j >= 0 {
				line = line[:j]
			}
		}
		if err := json.Unmarshal(line, &st); err != nil {
			b.Fatalf("load client output %q: %v", out, err)
		}
		stored := e.count()
		b.Logf("rate %d/s for %ds, %d KB attachments: sent %d, 201 %d, errors %d, stored %d, achieved %.1f/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
			rate, secs, size/1024, st.Sent, st.OK, st.Errors, stored, st.Achieved, st.P50, st.P95, st.P99, st.Max)
		if st.OK != stored || st.Errors > 0 {
			b.Errorf("%d answered 201 but %d stored, %d errors (first: %s)", st.OK, stored, st.Errors, st.FirstError)
		}
		b.ReportMetric(st.Achieved, "submissions/s")
		b.ReportMetric(st.P50, "p50-ms")
		b.ReportMetric(st.P99, "p99-ms")
		b.ReportMetric(st.Max, "max-ms")
	}
}

type loadStats struct {
	Sent, OK, Errors   int
	FirstError         string
	Achieved           float64
	P50, P95, P99, Max float64
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestOpenRosaLoadClient is the load client of BenchmarkOpenRosaLoad; it
// only runs when that benchmark starts it.
func TestOpenRosaLoadClient(t *testing.T) {
	base := os.Getenv("VIGIL_OR_LOAD_URL")
	if base == "" {
		t.Skip("the load client of BenchmarkOpenRosaLoad (runs only when the benchmark starts it)")
	}
	rate := envInt("VIGIL_OR_LOAD_RATE", 100)
	secs := envInt("VIGIL_OR_LOAD_SECONDS", 20)
	size := envInt("VIGIL_OR_LOAD_BYTES", 200*1024)
	photo := make([]byte, size)
	rand.Read(photo)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}, Timeout: 30 * time.Second}

	total := rate * secs
	lat := make([]time.Duration, 0, total)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var ok, errs int
	var firstErr string
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(secs+60)*time.Second)
	defer cancel()
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for i := 0; i < total; i++ {
		// open loop: request i leaves at start + i*interval
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("xml_submission_file", "submission.xml")
		fmt.Fprintf(fw, `<data id="simple" version="2"><meta><instanceID>uuid:load-%d</instanceID></meta><name>Respondent %d</name><age>%d</age><photo>photo.jpg</photo></data>`, i, i, 18+i%80)
		pw, _ := w.CreateFormFile("photo.jpg", "photo.jpg")
		pw.Write(photo)
		w.Close()
		ct := w.FormDataContentType()
		wg.Add(1)
		go func(b []byte) {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "POST", base+"/submission", bytes.NewReader(b))
			req.Header.Set("Content-Type", ct)
			req.Header.Set("X-OpenRosa-Version", "1.0")
			req.SetBasicAuth("enum", orPassword)
			t0 := time.Now()
			resp, err := client.Do(req)
			var status int
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status = resp.StatusCode
			}
			d := time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, d)
			if err == nil && status == http.StatusCreated {
				ok++
			} else {
				errs++
				if firstErr == "" {
					firstErr = fmt.Sprintf("status %d err %v", status, err)
				}
			}
		}(body.Bytes())
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		return float64(performance.NearestRank(lat, p).Microseconds()) / 1000
	}
	st := loadStats{Sent: total, OK: ok, Errors: errs, FirstError: firstErr, Achieved: float64(ok) / elapsed.Seconds(),
		P50: pct(0.50), P95: pct(0.95), P99: pct(0.99), Max: pct(1)}
	b, _ := json.Marshal(st)
	fmt.Printf("LOADSTATS %s\n", b)
	_ = strings.TrimSpace
}
