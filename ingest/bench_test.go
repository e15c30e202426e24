package ingest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// gedReplica returns the real 49-column GED sample replicated to n rows
// (copy k of event "id" gets id "id-k").
func gedReplica(b *testing.B, n int) []byte {
	recs := shareddata.CSV(b, "ucdp/ged231_global_sample.csv")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(recs[0])
	data := recs[1:]
	for i := 0; i < n; i++ {
		r := append([]string(nil), data[i%len(data)]...)
		r[0] += "-" + strconv.Itoa(i/len(data))
		w.Write(r)
	}
	w.Flush()
	return buf.Bytes()
}

// gedBenchInput is gedReplica's rows, counted as the bytes each iteration
// processes, with the timer reset after building them.
func gedBenchInput(b *testing.B, rows int) []byte {
	data := gedReplica(b, rows)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	return data
}

// BenchmarkImportGED imports 50,000 replicated real GED rows into a fresh
// SQLite store per iteration (parse, validate, hash, upsert, commit).
func BenchmarkImportGED(b *testing.B) {
	const rows = 50000
	data := gedBenchInput(b, rows)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDB(b)
		b.StartTimer()
		c, err := ingest.Import(context.Background(), db, "bench.csv", bytes.NewReader(data), ingest.Options{})
		if err != nil || c.Inserted != rows {
			b.Fatalf("%+v %v", c, err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParseGED is the parse+validate half alone (no store).
func BenchmarkParseGED(b *testing.B) {
	const rows = 50000
	data := gedBenchInput(b, rows)
	for i := 0; i < b.N; i++ {
		c, err := ingest.Import(context.Background(), nil, "bench.csv", bytes.NewReader(data), ingest.Options{Check: true})
		if err != nil || c.Inserted != rows {
			b.Fatalf("%+v %v", c, err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
