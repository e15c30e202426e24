package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// TestUIAssets loads the real embedded UI: dictionaries merge without
// duplicates, every key exists in English and French, and every key the core
// uses in index.html and core/*.js is defined.
func TestUIAssets(t *testing.T) {
	a, err := loadUIAssets(uiEmbed)
	if err != nil {
		t.Fatal(err)
	}
	dict := map[string]map[string]string{}
	for _, l := range uiLangs {
		f, ok := a.files["i18n/"+l+".json"]
		if !ok {
			t.Fatalf("merged dictionary i18n/%s.json missing", l)
		}
		var d map[string]string
		if err := json.Unmarshal(f.body, &d); err != nil {
			t.Fatalf("i18n/%s.json: %v", l, err)
		}
		dict[l] = d
	}
	if len(dict["en"]) < 50 || len(dict["en"]) != len(dict["fr"]) {
		t.Errorf("en has %d keys, fr %d", len(dict["en"]), len(dict["fr"]))
	}
	// French must really be translated: most values differ from English.
	same := 0
	for k, v := range dict["en"] {
		if dict["fr"][k] == v {
			same++
		}
	}
	if same > len(dict["en"])/5 {
		t.Errorf("%d of %d French strings are identical to English", same, len(dict["en"]))
	}
	const key = `([a-z0-9_-]+\.[a-zA-Z0-9_.-]*[a-zA-Z0-9_-])`
	used := regexp.MustCompile(`data-i18n="` + key + `"|\bt\('` + key + `'[,)]|(?:label|attribution): '` + key + `'|aria-label:` + key + `|placeholder:` + key)
	files := []string{"index.html", "core/vigil.js", "core/map.js", "core/boot.js"}
	core := len(files)
	files = append(files, a.modules...) // capability modules: their literal keys must exist too
	for i, p := range files {
		b, err := fs.ReadFile(uiEmbed, "ui/"+p)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k == "" {
					continue
				}
				n++
				if _, ok := dict["en"][k]; !ok {
					t.Errorf("web/ui/%s uses i18n key %q, not in the dictionaries", p, k)
				}
			}
		}
		if n == 0 && i < core {
			t.Errorf("web/ui/%s: found no i18n keys (pattern out of date?)", p)
		}
	}
	// Nothing outside the vendored files refers to another origin.
	ext := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/`)
	fs.WalkDir(uiEmbed, "ui", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "ui/vendor/") || strings.HasSuffix(p, ".md") {
			return err
		}
		b, _ := fs.ReadFile(uiEmbed, p)
		b = bytes.ReplaceAll(b, []byte("http://www.w3.org/2000/svg"), nil) // an XML namespace name, not a fetch
		if m := ext.Find(b); m != nil {
			t.Errorf("web/%s refers to an outside URL %q: the UI must work offline", p, m)
		}
		return nil
	})
	if len(a.modules) != 0 {
		// Capability modules are welcome; each must be a top-level .js.
		for _, m := range a.modules {
			if strings.Contains(m, "/") || !strings.HasSuffix(m, ".js") {
				t.Errorf("module %q", m)
			}
		}
	}
}

// TestUIDictionaryErrors checks that a broken dictionary names the file and key.
func TestUIDictionaryErrors(t *testing.T) {
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"ui/index.html":   {Data: []byte("<p>x</p>")},
			"ui/i18n/en.json": {Data: []byte(`{"a":"A"}`)},
			"ui/i18n/fr.json": {Data: []byte(`{"a":"À"}`)},
		}
	}
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		want string // substring of the error; "" = no error
	}{
		{"valid", func(fstest.MapFS) {}, ""},
		{"module strings", func(m fstest.MapFS) {
			m["ui/i18n/alerts.en.json"] = &fstest.MapFile{Data: []byte(`{"alerts.t":"Alerts"}`)}
			m["ui/i18n/alerts.fr.json"] = &fstest.MapFile{Data: []byte(`{"alerts.t":"Alertes"}`)}
		}, ""},
		{"missing french", func(m fstest.MapFS) {
			m["ui/i18n/alerts.en.json"] = &fstest.MapFile{Data: []byte(`{"alerts.t":"Alerts"}`)}
		}, `web/ui/i18n/alerts.en.json: key "alerts.t" has no fr translation`},
		{"duplicate key", func(m fstest.MapFS) {
			m["ui/i18n/alerts.en.json"] = &fstest.MapFile{Data: []byte(`{"a":"again"}`)}
			m["ui/i18n/alerts.fr.json"] = &fstest.MapFile{Data: []byte(`{"b":"B"}`)}
		}, `key "a" already defined in i18n/`},
		{"bad json", func(m fstest.MapFS) {
			m["ui/i18n/fr.json"] = &fstest.MapFile{Data: []byte(`{"a":`)}
		}, "web/ui/i18n/fr.json: unexpected end of JSON input"},
		{"not strings", func(m fstest.MapFS) {
			m["ui/i18n/fr.json"] = &fstest.MapFile{Data: []byte(`{"a":1}`)}
		}, "web/ui/i18n/fr.json: json: cannot unmarshal number"},
		{"unknown language", func(m fstest.MapFS) {
			m["ui/i18n/de.json"] = &fstest.MapFile{Data: []byte(`{"a":"A"}`)}
		}, `web/ui/i18n/de.json: unknown language "de"`},
		{"no page", func(m fstest.MapFS) { delete(m, "ui/index.html") }, "web/ui/index.html missing"},
		{"bad template", func(m fstest.MapFS) {
			m["ui/index.html"] = &fstest.MapFile{Data: []byte("{{range}}")}
		}, "web/ui/index.html:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.edit(m)
			_, err := loadUIAssets(m)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestUIStatic serves the embedded files through the real server's routes:
// validators, conditional requests, gzip, long caching only for hashed URLs.
func TestUIStatic(t *testing.T) {
	s := &Server{}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	a, err := loadUIAssets(uiEmbed)
	if err != nil {
		t.Fatal(err)
	}
	js := a.files["core/vigil.js"]
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
		{"revalidate", "/ui/core/vigil.js", map[string]string{"If-None-Match": js.etag}, 304, "no-cache", "", ""},
		{"stale etag", "/ui/core/vigil.js", map[string]string{"If-None-Match": `"0000"`}, 200, "no-cache", "", ""},
		{"hashed url", "/ui/vendor/leaflet/leaflet.js?v=" + a.version("vendor/leaflet/leaflet.js"), nil, 200, "public, max-age=31536000, immutable", "", "text/javascript; charset=utf-8"},
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
				if !bytes.Equal(body, js.body) {
					t.Errorf("body differs from the embedded file (%d vs %d bytes)", len(body), len(js.body))
				}
				if res.Header.Get("ETag") != js.etag {
					t.Errorf("ETag %q, want %q", res.Header.Get("ETag"), js.etag)
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
