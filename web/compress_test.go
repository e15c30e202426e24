package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAPIGzip: an API answer worth compressing is sent gzipped to a
// client that accepts gzip, and decompresses to exactly the bytes sent to
// one that does not; both say Vary: Accept-Encoding. A small answer and
// an error answer are sent as they are (JSON, their status), and a UI
// file, gzipped already, is not compressed twice.
func TestAPIGzip(t *testing.T) {
	e := newEnv(t)
	loadCAR(t, e)
	seedRisk(t, e)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	imp, _ := json.Marshal(map[string]any{"format": "csv", "name": "sites.csv", "data": covCSV})
	if resp, b := e.do(nil, "POST", "/api/v1/coverage/deployments", reqOpt{token: ana, body: string(imp)}); resp.StatusCode != 200 {
		t.Fatalf("deployments: %d %s", resp.StatusCode, b)
	}
	get := func(path, tok, enc string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		if tok != "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		if enc != "" {
			r.Header.Set("Accept-Encoding", enc)
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w
	}
	for _, c := range []struct {
		name, path string
		status     int
		gzipped    bool
	}{
		{"coverage layer", "/api/v1/coverage?month=2017-07", 200, true},
		{"events", "/api/v1/events?limit=50", 200, true},
		{"gaps", "/api/v1/coverage/gaps?month=2017-07&limit=50", 200, true},
		{"backtest chart (SVG)", "/api/v1/risk/backtest.svg", 200, true},
		{"small answer", "/api/v1/places/label?lat=4.4&lon=18.6", 200, false},
		{"error answer", "/api/v1/events/999999", 404, false},
		{"refusal", "/api/v1/coverage?month=2017-13", 400, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			plain := get(c.path, vic, "")
			zipped := get(c.path, vic, "br, gzip;q=0.8, deflate")
			for _, w := range []*httptest.ResponseRecorder{plain, zipped} {
				if w.Code != c.status {
					t.Fatalf("status %d, want %d: %.200s", w.Code, c.status, w.Body.String())
				}
			}
			if got := plain.Header().Get("Content-Encoding"); got != "" {
				t.Errorf("without Accept-Encoding: Content-Encoding %q", got)
			}
			body := zipped.Body.Bytes()
			if !c.gzipped {
				if got := zipped.Header().Get("Content-Encoding"); got != "" {
					t.Fatalf("Content-Encoding %q, want none", got)
				}
				if c.status >= 400 && !strings.HasPrefix(zipped.Header().Get("Content-Type"), "application/json") {
					t.Errorf("error answer's Content-Type %q", zipped.Header().Get("Content-Type"))
				}
			} else {
				if got := zipped.Header().Get("Content-Encoding"); got != "gzip" {
					t.Fatalf("Content-Encoding %q, want gzip (%d bytes)", got, plain.Body.Len())
				}
				if zipped.Header().Get("Content-Length") != "" {
					t.Errorf("Content-Length %q on a gzipped answer", zipped.Header().Get("Content-Length"))
				}
				for _, w := range []*httptest.ResponseRecorder{plain, zipped} {
					if !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Encoding") {
						t.Errorf("Vary %q", w.Header().Values("Vary"))
					}
				}
				if zipped.Header().Get("Content-Type") != plain.Header().Get("Content-Type") {
					t.Errorf("Content-Type %q, uncompressed %q", zipped.Header().Get("Content-Type"), plain.Header().Get("Content-Type"))
				}
				body = gunzip(t, body)
				if len(body) <= 2*zipped.Body.Len() {
					t.Errorf("%d bytes gzipped to %d", len(body), zipped.Body.Len())
				}
			}
			if !bytes.Equal(body, plain.Body.Bytes()) {
				t.Errorf("decompressed answer (%d bytes) differs from the uncompressed one (%d bytes)", len(body), plain.Body.Len())
			}
		})
	}
	t.Run("gzip refused with q=0", func(t *testing.T) {
		if w := get("/api/v1/events?limit=50", vic, "gzip;q=0, identity"); w.Header().Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding %q", w.Header().Get("Content-Encoding"))
		}
	})
	t.Run("UI file gzipped once", func(t *testing.T) {
		plain := get("/ui/core/vigil.js", "", "")
		zipped := get("/ui/core/vigil.js", "", "gzip")
		if plain.Code != 200 || zipped.Code != 200 {
			t.Fatalf("status %d, %d", plain.Code, zipped.Code)
		}
		if got := zipped.Header().Values("Content-Encoding"); len(got) != 1 || got[0] != "gzip" {
			t.Fatalf("Content-Encoding %q", got)
		}
		if !bytes.Equal(gunzip(t, zipped.Body.Bytes()), plain.Body.Bytes()) {
			t.Error("the gzipped file does not decompress (once) to the file")
		}
	})
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAPIGzipStreamBrokenOff: a file streamed from under /api/ to a client
// that accepts gzip (as Go's client and browsers do) still arrives whole
// when it does not fail, and still breaks the connection off when it
// fails part-way: gzip's trailer is not written after a failure.
func TestAPIGzipStreamBrokenOff(t *testing.T) {
	testStreamedFileBrokenOff(t, func(h http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/api/v1/export", h)
		return gzipAPI(mux)
	}, "/api/v1/export", true)
}

// TestGzipWriterEarlyHints: an informational status (103 Early Hints)
// goes out as it is and leaves the answer's own status, and its
// compression, to come.
func TestGzipWriterEarlyHints(t *testing.T) {
	h := gzipAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</ui/core/app.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		writeJSON(w, http.StatusCreated, map[string]string{"text": strings.Repeat("x", 2*gzipMin)})
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest("POST", srv.URL+"/api/v1/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip") // set: the client does not decompress
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, Content-Encoding %q, %v; want 201, gzip", resp.StatusCode, resp.Header.Get("Content-Encoding"), err)
	}
	if b := gunzip(t, body); !bytes.Contains(b, []byte(`"text":"xxx`)) {
		t.Errorf("body %.100s", b)
	}
}
