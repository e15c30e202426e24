// Package ingestfuzz holds the go test -fuzz targets of package ingest, one
// per parser. They live apart from ingest's own tests so that the fuzzing
// binary does not link (and instrument) the SQLite engine those tests use,
// which slowed fuzzing to a few executions per second. Run for example:
//
//	go test ./ingest/ingestfuzz -run XXX -fuzz FuzzGED -fuzztime 30s
//
// Inputs the fuzzer finds failing are kept under testdata/fuzz/ and rerun
// by every go test.
package ingestfuzz_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/apperr"
)

// fuzzImport feeds arbitrary bytes to one parser (validation only, no
// store): it must never panic, and a refusal must be an apperr invalid-input error that
// names the file.
func fuzzImport(f *testing.F, format ingest.Format, seedGlob string) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "cases", seedGlob))
	for _, p := range files {
		if strings.HasSuffix(p, ".golden") {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ingest.Import(context.Background(), nil, "fuzz.in", bytes.NewReader(data), ingest.Options{Format: format, Check: true})
		if err != nil {
			if !apperr.IsInvalid(err) {
				t.Fatalf("error %v (%T) is not an apperr invalid-input error", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.in") {
				t.Fatalf("error does not name the file: %v", err)
			}
			// A GeoJSON refusal names a line the file has.
			var ae *apperr.Error
			if format == ingest.GeoJSON && errors.As(err, &ae) && ae.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error names line %d of a file of %d lines: %v", ae.Line, bytes.Count(data, []byte("\n"))+1, err)
			}
			return
		}
		if c.Inserted == 0 {
			t.Fatalf("accepted a file with no events: %+v", c)
		}
	})
}

func FuzzGED(f *testing.F)     { fuzzImport(f, ingest.GED, "ged*") }
func FuzzACLED(f *testing.F)   { fuzzImport(f, ingest.ACLED, "acled*") }
func FuzzHXL(f *testing.F)     { fuzzImport(f, ingest.HXL, "hxl*") }
func FuzzGeoJSON(f *testing.F) { fuzzImport(f, ingest.GeoJSON, "geojson*") }
func FuzzDetect(f *testing.F)  { fuzzImport(f, ingest.Auto, "*") }

// FuzzCoord: coordinate strings never panic, and what parses is in range.
func FuzzCoord(f *testing.F) {
	for _, s := range []string{"45.5", "45N30", "N45:30:30", "1°17′S 36°49′E", "45.5,181.5", "-75 60 00", "N 46° 12′ 0″, E 6° 9′ 0″"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if lat, err := ingest.ParseLat(s); err == nil && (lat < -90 || lat > 90 || lat != lat) {
			t.Fatalf("ParseLat(%q) = %v", s, lat)
		}
		if lon, err := ingest.ParseLon(s); err == nil && (lon < -180 || lon > 180 || lon != lon) {
			t.Fatalf("ParseLon(%q) = %v", s, lon)
		}
		if lat, lon, err := ingest.ParseCoord(s); err == nil && (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
			t.Fatalf("ParseCoord(%q) = %v, %v", s, lat, lon)
		}
	})
}
