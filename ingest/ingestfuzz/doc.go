// Package ingestfuzz holds the fuzz targets of package ingest.
//
// It holds the go test -fuzz targets of package ingest, one per parser, apart
// from ingest's own tests so that the fuzzing binary does not link the SQLite
// engine (see fuzz_test.go).
package ingestfuzz
