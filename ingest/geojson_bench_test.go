package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/internal/testutil"
)

// gedGeoJSON returns the real 49-column GED sample as a GeoJSON
// FeatureCollection of n features, laid out as GDAL's GeoJSON driver
// (ogr2ogr) writes one: a "name" and a "crs" member, one feature a line,
// every column a property (a number as a JSON number, an empty cell as
// null), the point in "geometry". Copy k of event "id" gets id "id-k".
func gedGeoJSON(b *testing.B, n int) []byte {
	recs := shareddata.CSV(b, "ucdp/ged231_global_sample.csv")
	head, data := recs[0], recs[1:]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var buf bytes.Buffer
	buf.WriteString("{\n\"type\": \"FeatureCollection\",\n\"name\": \"ged231_global_sample\",\n" +
		"\"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" } },\n" +
		"\"features\": [\n")
	for i := 0; i < n; i++ {
		r := data[i%len(data)]
		if i > 0 {
			buf.WriteString(",\n")
		}
		buf.WriteString(`{ "type": "Feature", "properties": { `)
		for j, h := range head {
			if j > 0 {
				buf.WriteString(", ")
			}
			k, _ := json.Marshal(h)
			buf.Write(k)
			buf.WriteString(": ")
			v := r[j]
			switch _, err := strconv.ParseFloat(v, 64); {
			case h == "id":
				k, _ = json.Marshal(v + "-" + strconv.Itoa(i/len(data)))
				buf.Write(k)
			case v == "":
				buf.WriteString("null")
			case err == nil && json.Valid([]byte(v)):
				buf.WriteString(v)
			default:
				k, _ = json.Marshal(v)
				buf.Write(k)
			}
		}
		buf.WriteString(` }, "geometry": { "type": "Point", "coordinates": [ ` +
			r[col["longitude"]] + ", " + r[col["latitude"]] + " ] } }")
	}
	buf.WriteString("\n]\n}\n")
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	return buf.Bytes()
}

// BenchmarkGeoJSON imports 20,000 features made from the real GED sample
// (about 30 MB): check only (parse and validate every feature, no store),
// and written into a fresh SQLite store per iteration. cpu-ms/op is the
// process's CPU time per import (the figure other processes on a shared
// machine inflate least).
func BenchmarkGeoJSON(b *testing.B) {
	const n = 20000
	b.Run("check", func(b *testing.B) {
		data := gedGeoJSON(b, n)
		cpu0 := testutil.CPUTime()
		for i := 0; i < b.N; i++ {
			c, err := ingest.Import(context.Background(), nil, "ged.geojson", bytes.NewReader(data), ingest.Options{Check: true})
			if err != nil || c.Inserted != n {
				b.Fatalf("%+v %v", c, err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "features/s")
		b.ReportMetric(float64((testutil.CPUTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
	b.Run("write", func(b *testing.B) {
		data := gedGeoJSON(b, n)
		var cpu time.Duration // the imports' alone, not the stores' opening
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db := openDB(b)
			b.StartTimer()
			cpu0 := testutil.CPUTime()
			c, err := ingest.Import(context.Background(), db, "ged.geojson", bytes.NewReader(data), ingest.Options{})
			cpu += testutil.CPUTime() - cpu0
			if err != nil || c.Inserted != n {
				b.Fatalf("%+v %v", c, err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "features/s")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}
