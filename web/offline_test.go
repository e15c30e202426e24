package web

import (
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/web/ui"
)

// swBuildLine finds the build the server wrote into the worker.
var swBuildLine = regexp.MustCompile(`(?m)^const BUILD = (\{.*\}); // written by the server`)

func served(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func workerBuild(t *testing.T, body string) ui.WorkerBuild {
	t.Helper()
	m := swBuildLine.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no build line in the served worker:\n%.400s", body)
	}
	var b ui.WorkerBuild
	if err := json.Unmarshal([]byte(m[1]), &b); err != nil {
		t.Fatalf("build line %s: %v", m[1], err)
	}
	return b
}

// TestServiceWorkerServed: /sw.js is public, JavaScript, revalidated on every
// load (how a new binary's worker replaces the old one), answers 304 to its
// ETag, and carries a version and precache list instead of the placeholder.
func TestServiceWorkerServed(t *testing.T) {
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	w := served(t, h, "GET", "/sw.js", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /sw.js: %d %s", w.Code, w.Body)
	}
	want := map[string]string{
		"Content-Type":           "text/javascript; charset=utf-8",
		"Cache-Control":          "no-cache",
		"Service-Worker-Allowed": "/",
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("worker served without the page's CSP: %q", csp)
	}
	body := w.Body.String()
	if strings.Contains(body, ui.WorkerPlaceholder) {
		t.Error("the placeholder build line was served unchanged")
	}
	b := workerBuild(t, body)
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(b.Version) {
		t.Errorf("version %q is not a 16-hex content hash", b.Version)
	}

	etag := w.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := served(t, h, "GET", "/sw.js", http.Header{"If-None-Match": {etag}}); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("revalidation with the ETag: %d, %d bytes", w.Code, w.Body.Len())
	}
	gz := served(t, h, "GET", "/sw.js", http.Header{"Accept-Encoding": {"gzip"}})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("gzip answer: Content-Encoding %q, Cache-Control %q", gz.Header().Get("Content-Encoding"), gz.Header().Get("Cache-Control"))
	}
	if w := served(t, h, "POST", "/sw.js", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /sw.js: %d", w.Code)
	}
}

// TestServiceWorkerPrecache: every precached URL is a file the server has
// (in the embedded web/ui, or the merged dictionaries) and answers 200, and
// every /ui/ file the app page links is precached, so the list cannot rot
// when a module or vendored file is added or removed.
func TestServiceWorkerPrecache(t *testing.T) {
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	b := workerBuild(t, served(t, h, "GET", "/sw.js", nil).Body.String())
	pre := map[string]bool{}
	for _, u := range b.Precache {
		if pre[u] {
			t.Errorf("%s precached twice", u)
		}
		pre[u] = true
		p, ok := strings.CutPrefix(u, "/ui/")
		if !ok || strings.ContainsAny(p, "?#") {
			t.Errorf("precache entry %q is not a plain /ui/ path", u)
			continue
		}
		if _, err := fs.Stat(ui.FS, p); err != nil {
			t.Errorf("precache entry %s: not in the embedded web/ui: %v", u, err)
		}
		if w := served(t, h, "GET", u, nil); w.Code != http.StatusOK {
			t.Errorf("precache entry %s: GET answers %d", u, w.Code)
		}
	}
	if pre["/ui/core/sw.js"] || pre["/ui/README.md"] {
		t.Error("the worker itself or the README is precached")
	}

	// Every /ui/ URL the app page loads (rendered as GET / renders it).
	a, err := embeddedUI()
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	if err := a.servePage(w, httptest.NewRequest("GET", "/", nil), ui.Intervals{}); err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`(?:src|href)="(/ui/[^"?]+)`).FindAllStringSubmatch(w.Body.String(), -1)
	if len(refs) < 8 {
		t.Fatalf("only %d /ui/ references in the app page", len(refs))
	}
	var modules int
	for _, m := range refs {
		if !pre[m[1]] {
			t.Errorf("the app page loads %s, which is not precached", m[1])
		}
		if !strings.Contains(strings.TrimPrefix(m[1], "/ui/"), "/") {
			modules++
		}
	}
	if modules == 0 {
		t.Error("no capability module found in the app page")
	}
	// What the page fetches at run time: both dictionaries and the basemaps.
	for _, u := range []string{"/ui/i18n/en.json", "/ui/i18n/fr.json", "/ui/vendor/world-atlas/countries-110m.json", "/ui/vendor/world-atlas/countries-50m.json", "/ui/vendor/leaflet/images/marker-icon.png"} {
		if !pre[u] {
			t.Errorf("%s is not precached", u)
		}
	}
}

// swAllow are the API allowlist patterns of the worker, read from its source.
func swAllow(t *testing.T) []*regexp.Regexp {
	t.Helper()
	src, err := fs.ReadFile(ui.FS, ui.WorkerSource)
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)const API_ALLOW = \[(.*?)\];`).FindSubmatch(src)
	if block == nil {
		t.Fatal("no API_ALLOW in the worker")
	}
	var res []*regexp.Regexp
	for _, m := range regexp.MustCompile(`(?m)^\s*/(.+)/,\s*$`).FindAllSubmatch(block[1], -1) {
		re, err := regexp.Compile(string(m[1]))
		if err != nil {
			t.Fatalf("API_ALLOW pattern /%s/: %v", m[1], err)
		}
		res = append(res, re)
	}
	if len(res) == 0 {
		t.Fatal("API_ALLOW is empty")
	}
	return res
}

// TestServiceWorkerAllowlist: the worker stores only the map and analysis
// layers: never the user, tokens, users, audit log, alerts, surveys,
// population uploads (who loaded them) or saved scenarios; and every pattern
// on the allowlist is a GET route the server has (no dead entries).
func TestServiceWorkerAllowlist(t *testing.T) {
	allow := swAllow(t)
	stored := func(p string) bool {
		for _, re := range allow {
			if re.MatchString(p) {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		path  string
		store bool
	}{
		{"/api/v1/clusters", true},
		{"/api/v1/grid", true},
		{"/api/v1/events", true},
		{"/api/v1/events/ucdp-ged:12", true},
		{"/api/v1/risk", true},
		{"/api/v1/risk/cell/132123", true},
		{"/api/v1/coverage", true},
		{"/api/v1/coverage/gaps", true},
		{"/api/v1/coverage/deployments", true},
		{"/api/v1/me", false},
		{"/api/v1/tokens", false},
		{"/api/v1/users", false},
		{"/api/v1/audit", false},
		{"/api/v1/alerts", false},
		{"/api/v1/alerts/incidents", false},
		{"/api/v1/alerts/incidents/3", false},
		{"/api/v1/alerts/7/reveal", false},
		{"/api/v1/alerts/stats", false},
		{"/api/v1/surveys/forms", false},
		{"/api/v1/surveys/forms/f/analysis", false},
		{"/api/v1/surveys/interlocutors", false},
		{"/api/v1/coverage/population", false},
		{"/api/v1/coverage/scenarios", false},
		{"/api/v1/coverage/scenarios/1", false},
		{"/api/v1/events/1/extra", false},
		{"/api/v1/clusters/x", false},
		{"/login", false},
		{"/logout", false},
		{"/healthz", false},
	} {
		if got := stored(tc.path); got != tc.store {
			t.Errorf("%s: stored for offline use = %v, want %v", tc.path, got, tc.store)
		}
	}

	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.Handler()
	wild := regexp.MustCompile(`\{[^}]+\}`)
	for _, re := range allow {
		found := false
		for _, p := range s.Patterns() {
			path, ok := strings.CutPrefix(p, "GET ")
			if ok && re.MatchString(wild.ReplaceAllString(path, "x")) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("API_ALLOW /%s/ matches no GET route of the server", re)
		}
	}
}
