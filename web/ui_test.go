package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/web/ui"
)

// TestUIStatic serves the embedded files through the real server's routes:
// validators, conditional requests, gzip, long caching only for hashed URLs.
func TestUIStatic(t *testing.T) {
	s := &Server{}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	a, err := ui.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := a.File("core/vigil.js")
	get := func(path string, hdr map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip, no redirects
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	tests := []struct {
		name     string
		path     string
		hdr      map[string]string
		status   int
		cache    string
		encoding string
		ctype    string
	}{
		{"module", "/ui/core/vigil.js", nil, 200, "no-cache", "", "text/javascript; charset=utf-8"},
		{"gzip", "/ui/core/vigil.js", map[string]string{"Accept-Encoding": "br, gzip;q=0.8"}, 200, "no-cache", "gzip", "text/javascript; charset=utf-8"},
		{"gzip refused", "/ui/core/vigil.js", map[string]string{"Accept-Encoding": "gzip;q=0"}, 200, "no-cache", "", "text/javascript; charset=utf-8"},
		{"revalidate", "/ui/core/vigil.js", map[string]string{"If-None-Match": js.ETag}, 304, "no-cache", "", ""},
		{"stale etag", "/ui/core/vigil.js", map[string]string{"If-None-Match": `"0000"`}, 200, "no-cache", "", ""},
		{"hashed url", "/ui/vendor/leaflet/leaflet.js?v=" + a.Version("vendor/leaflet/leaflet.js"), nil, 200, "public, max-age=31536000, immutable", "", "text/javascript; charset=utf-8"},
		{"wrong hash", "/ui/vendor/leaflet/leaflet.js?v=abc", nil, 200, "no-cache", "", ""},
		{"image", "/ui/vendor/leaflet/images/marker-icon.png", nil, 200, "no-cache", "", "image/png"},
		{"merged dictionary", "/ui/i18n/fr.json", nil, 200, "no-cache", "", "application/json; charset=utf-8"},
		{"missing", "/ui/nope.js", nil, 404, "", "", "application/json; charset=utf-8"},
		{"directory", "/ui/core/", nil, 404, "", "", ""},
		{"traversal", "/ui/../go.mod", nil, 404, "", "", ""},
		{"template not served raw", "/ui/index.html", nil, 404, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := get(tc.path, tc.hdr)
			if res.StatusCode != tc.status && !(tc.name == "traversal" && res.StatusCode >= 300 && res.StatusCode < 500) {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if tc.cache != "" && res.Header.Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control %q, want %q", res.Header.Get("Cache-Control"), tc.cache)
			}
			if res.Header.Get("Content-Encoding") != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", res.Header.Get("Content-Encoding"), tc.encoding)
			}
			if tc.ctype != "" && res.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tc.ctype)
			}
			body, _ := io.ReadAll(res.Body)
			if tc.status == 200 && tc.path == "/ui/core/vigil.js" {
				if tc.encoding == "gzip" {
					zr, err := gzip.NewReader(bytes.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					body, _ = io.ReadAll(zr)
				}
				if !bytes.Equal(body, js.Body) {
					t.Errorf("body differs from the embedded file (%d vs %d bytes)", len(body), len(js.Body))
				}
				if res.Header.Get("ETag") != js.ETag {
					t.Errorf("ETag %q, want %q", res.Header.Get("ETag"), js.ETag)
				}
			}
		})
	}
	// The app page needs a login: a browser is sent to the login form, an
	// API client gets a JSON 401.
	res := get("/", map[string]string{"Accept": "text/html"})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("GET / without a session: %d %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	res = get("/", nil)
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET / without a session (no Accept: text/html): %d, want 401", res.StatusCode)
	}
}

// FuzzUIStatic: any path and headers give 200, 304 or 404 — never a 5xx.
func FuzzUIStatic(f *testing.F) {
	s := &Server{}
	h := s.Handler()
	for _, seed := range [][3]string{
		{"core/vigil.js", "gzip", ""}, {"vendor/leaflet/leaflet.js?v=zz", "gzip;q=0", `W/"x", *`},
		{"../../etc/passwd", "", ""}, {"i18n/en.json", "gzip;q=abc", `"`}, {"%2e%2e/", ",;,", ","},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, p, enc, inm string) {
		req, err := http.NewRequest("GET", "http://x/ui/"+p, nil)
		if err != nil {
			return
		}
		req.Header.Set("Accept-Encoding", enc)
		req.Header.Set("If-None-Match", inm)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET /ui/%q: %d", p, w.Code)
		}
	})
}
