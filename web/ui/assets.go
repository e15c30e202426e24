// Package ui is the offline web UI embedded in the binary: its files with
// content hashes and gzip copies, the merged dictionaries, the app page and
// the service worker with its build written in.
//
// Everything in this directory except the Go files is served from /ui/ (the
// app page itself is GET /, login required). Nothing is fetched from outside
// at run time: the map library and the basemap are vendored
// (scripts/vendor-ui.sh) and the page's Content-Security-Policy only allows
// its own origin.
//
// Capability modules are plain files: every top-level *.js is loaded as an
// ES module after the core, every top-level *.css as a stylesheet, and every
// i18n/<module>.<lang>.json is merged into the language dictionary served at
// /ui/i18n/<lang>.json. See README.md.
package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
)

// embedded holds every file of the UI (TestEmbedCoversDirectory checks
// that these patterns cover the directory).
//
//go:embed README.md *.js *.css index.html core i18n vendor
var embedded embed.FS

// FS is the embedded UI, rooted at this directory ("core/vigil.js").
var FS fs.FS = embedded

// Langs are the UI's languages; every dictionary must exist in each.
var Langs = []string{"en", "fr"}

// Embedded loads the embedded UI once per process: the files are part of
// the binary and never change, and hashing and compressing them costs a
// noticeable fraction of a second.
var Embedded = sync.OnceValues(func() (*Assets, error) { return Load(embedded) })

// Asset is one file to serve, with its validator and (for text) a gzip copy.
type Asset struct {
	Body        []byte
	Gzip        []byte // nil when compression does not pay
	ETag        string // strong ETag: quoted hex of the content's SHA-256 prefix
	ContentType string
}

// Assets are the UI's files by path (e.g. "core/vigil.js"), its modules and
// stylesheets and the app page's template.
type Assets struct {
	files   map[string]*Asset
	modules []string // top-level *.js (capability modules), sorted
	styles  []string // top-level *.css, sorted
	page    *template.Template
}

// Load reads a UI tree (rooted at the UI directory), merges the i18n
// dictionaries (rejecting a key defined twice or missing from a language)
// and hashes every file.
func Load(root fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]*Asset{}}
	dicts := map[string]map[string]string{} // lang → merged
	keyFile := map[string]map[string]string{}
	for _, l := range Langs {
		dicts[l] = map[string]string{}
		keyFile[l] = map[string]string{}
	}
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(p, "i18n/") && strings.HasSuffix(p, ".json"):
			base := strings.TrimSuffix(path.Base(p), ".json") // "en" or "forecast.en"
			lang := base[strings.LastIndexByte(base, '.')+1:]
			m, ok := dicts[lang]
			if !ok {
				return fmt.Errorf("web/ui/%s: unknown language %q (want one of %v)", p, lang, Langs)
			}
			var d map[string]string
			if err := json.Unmarshal(b, &d); err != nil {
				return fmt.Errorf("web/ui/%s: %v", p, err)
			}
			for k, v := range d {
				if prev, dup := keyFile[lang][k]; dup {
					return fmt.Errorf("web/ui/%s: key %q already defined in %s", p, k, prev)
				}
				keyFile[lang][k] = p
				m[k] = v
			}
			return nil
		case p == "index.html":
			t, err := template.New("index").Parse(string(b))
			if err != nil {
				return fmt.Errorf("web/ui/index.html: %v", err)
			}
			a.page = t
			return nil
		case !strings.Contains(p, "/") && strings.HasSuffix(p, ".js"):
			a.modules = append(a.modules, p)
		case !strings.Contains(p, "/") && strings.HasSuffix(p, ".css"):
			a.styles = append(a.styles, p)
		}
		a.add(p, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if a.page == nil {
		return nil, fmt.Errorf("web/ui/index.html missing")
	}
	// Every key must exist in every language.
	for _, l := range Langs {
		for _, o := range Langs {
			for k, f := range keyFile[l] {
				if _, ok := dicts[o][k]; !ok {
					return nil, fmt.Errorf("web/ui/%s: key %q has no %s translation", f, k, o)
				}
			}
		}
	}
	for _, l := range Langs {
		b, err := json.Marshal(dicts[l])
		if err != nil {
			return nil, err
		}
		a.add("i18n/"+l+".json", b)
	}
	sort.Strings(a.modules)
	sort.Strings(a.styles)
	return a, nil
}

func (a *Assets) add(p string, b []byte) {
	sum := sha256.Sum256(b)
	ct := mime.TypeByExtension(path.Ext(p))
	switch path.Ext(p) {
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".json":
		ct = "application/json; charset=utf-8"
	case "":
		ct = "text/plain; charset=utf-8"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	f := &Asset{Body: b, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`, ContentType: ct}
	if len(b) > 1024 && (strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json") || strings.HasSuffix(ct, "svg+xml")) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b)*9/10 {
			f.Gzip = buf.Bytes()
		}
	}
	a.files[p] = f
}

// File returns the asset at path p below the UI directory.
func (a *Assets) File(p string) (*Asset, bool) {
	f, ok := a.files[p]
	return f, ok
}

// Modules are the capability modules (top-level *.js), sorted.
func (a *Assets) Modules() []string { return a.modules }

// Version returns the short content hash used in asset URLs (?v=).
func (a *Assets) Version(p string) string {
	if f, ok := a.files[p]; ok {
		return strings.Trim(f.ETag, `"`)[:10]
	}
	return ""
}

// Write answers with the asset (304 when the ETag matches, gzip when the
// client accepts it); the caller has set the caching headers.
func (f *Asset) Write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if etagMatch(r.Header.Get("If-None-Match"), f.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.Body
	if f.Gzip != nil && AcceptsGzip(r.Header.Values("Accept-Encoding")...) {
		h.Set("Content-Encoding", "gzip")
		body = f.Gzip
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// pageData fills index.html.
type pageData struct {
	Styles  []string // URLs of module stylesheets
	Modules []string // URLs of capability modules
	V       map[string]string
	Every   Intervals
}

// Intervals are how often the app page repeats a request, in milliseconds,
// when the server sets another than the page's own: written on the page's
// <html> as data-health-ms and data-alerts-poll-ms (Vigil.every reads them).
// Zero, the production case, writes nothing and the page keeps its own
// (10 s, 5 s); the browser tests shorten them.
type Intervals struct {
	HealthMS     int // while the server cannot be reached, GET /healthz every …
	AlertsPollMS int // while the Alerts live stream is refused, poll every …
}

// Page renders the app page: the core, every capability module and
// stylesheet, each asset URL carrying its content hash; every, when not
// zero, sets the page's intervals.
func (a *Assets) Page(every Intervals) ([]byte, error) {
	d := pageData{V: map[string]string{}, Every: every}
	for p := range a.files {
		d.V[p] = a.Version(p)
	}
	for _, m := range a.modules {
		d.Modules = append(d.Modules, "/ui/"+m)
	}
	for _, c := range a.styles {
		d.Styles = append(d.Styles, "/ui/"+c+"?v="+a.Version(c))
	}
	var buf bytes.Buffer
	if err := a.page.Execute(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// The service worker core/sw.js is served at /sw.js (so that its scope is
// the whole UI, the app page GET / and /ui/) with the build it belongs to
// written in: a version hash over every embedded UI file, which names its
// caches (a new binary installs a new worker and drops the old caches), and
// the list of files it precaches (every file the app page can load, so
// that the page opens with no network).

// WorkerSource is the worker's path below the UI directory.
const WorkerSource = "core/sw.js"

// WorkerPlaceholder is the line of core/sw.js replaced with the build.
const WorkerPlaceholder = `const BUILD = { version: 'dev', precache: [] }; // replaced by the server (web/offline.go)`

// WorkerBuild is what is written into the worker.
type WorkerBuild struct {
	Version  string   `json:"version"`
	Precache []string `json:"precache"`
}

// precacheExt are the kinds of files the app page loads (scripts, styles,
// dictionaries, the basemap, icons); licences and notes stay out.
var precacheExt = map[string]bool{".js": true, ".css": true, ".json": true, ".svg": true, ".png": true}

// EmbeddedWorker is the embedded UI's worker with its build written in,
// built once.
var EmbeddedWorker = sync.OnceValues(func() (*Asset, error) {
	a, err := Embedded()
	if err != nil {
		return nil, err
	}
	return a.ServiceWorker()
})

// precacheList is every /ui/ URL the app page may load: the files served
// under /ui/ with a web extension, except the worker itself.
func (a *Assets) precacheList() []string {
	var list []string
	for p := range a.files {
		if p == WorkerSource || !precacheExt[path.Ext(p)] {
			continue
		}
		list = append(list, "/ui/"+p)
	}
	sort.Strings(list)
	return list
}

// ServiceWorker builds the worker script: the source with the version hash
// and the precache list written in.
func (a *Assets) ServiceWorker() (*Asset, error) {
	src, ok := a.files[WorkerSource]
	if !ok {
		return nil, fmt.Errorf("web/ui/%s missing", WorkerSource)
	}
	if bytes.Count(src.Body, []byte(WorkerPlaceholder)) != 1 {
		return nil, fmt.Errorf("web/ui/%s: the line %q must appear exactly once", WorkerSource, WorkerPlaceholder)
	}
	// The version covers every served file (their ETags are content hashes),
	// so any change to the UI makes a new worker with new cache names.
	paths := make([]string, 0, len(a.files))
	for p := range a.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		fmt.Fprintf(h, "%s %s\n", p, a.files[p].ETag)
	}
	b := WorkerBuild{Version: hex.EncodeToString(h.Sum(nil))[:16], Precache: a.precacheList()}
	j, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	body := bytes.Replace(src.Body, []byte(WorkerPlaceholder), []byte("const BUILD = "+string(j)+"; // written by the server (web/offline.go)"), 1)
	w := &Assets{files: map[string]*Asset{}}
	w.add("sw.js", body)
	return w.files["sw.js"], nil
}
