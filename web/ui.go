package web

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
	"strconv"
	"strings"
	"sync"
)

// The offline web UI. Everything under web/ui is embedded in the binary and
// served from /ui/; the app page itself is GET / (login required). Nothing is
// fetched from outside at run time: the map library and the basemap are
// vendored (scripts/vendor-ui.sh) and the page's Content-Security-Policy only
// allows this origin.
//
// Capability modules are plain files: every top-level web/ui/*.js is loaded
// as an ES module after the core, every top-level web/ui/*.css as a
// stylesheet, and every web/ui/i18n/<module>.<lang>.json is merged into the
// language dictionary served at /ui/i18n/<lang>.json. See web/ui/README.md.

//go:embed ui
var uiEmbed embed.FS

// uiLangs are the UI's languages; every dictionary must exist in each.
var uiLangs = []string{"en", "fr"}

// embeddedUI loads the embedded UI once per process: the files are part of
// the binary and never change, and hashing and compressing them costs a
// noticeable fraction of a second.
var embeddedUI = sync.OnceValues(func() (*uiAssets, error) { return loadUIAssets(uiEmbed) })

// uiAsset is one embedded file, with its validator and (for text) a gzip copy.
type uiAsset struct {
	body  []byte
	gz    []byte // nil when compression does not pay
	etag  string // strong ETag: quoted hex of the content's SHA-256 prefix
	ctype string
}

type uiAssets struct {
	files   map[string]*uiAsset // by path below ui/, e.g. "core/vigil.js"
	modules []string            // top-level *.js (capability modules), sorted
	styles  []string            // top-level *.css, sorted
	page    *template.Template
}

// loadUIAssets reads the embedded UI, merges the i18n dictionaries (rejecting
// a key defined twice or missing from a language) and hashes every file.
func loadUIAssets(fsys fs.FS) (*uiAssets, error) {
	root, err := fs.Sub(fsys, "ui")
	if err != nil {
		return nil, err
	}
	a := &uiAssets{files: map[string]*uiAsset{}}
	dicts := map[string]map[string]string{} // lang → merged
	keyFile := map[string]map[string]string{}
	for _, l := range uiLangs {
		dicts[l] = map[string]string{}
		keyFile[l] = map[string]string{}
	}
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
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
				return fmt.Errorf("web/ui/%s: unknown language %q (want one of %v)", p, lang, uiLangs)
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
	for _, l := range uiLangs {
		for _, o := range uiLangs {
			for k, f := range keyFile[l] {
				if _, ok := dicts[o][k]; !ok {
					return nil, fmt.Errorf("web/ui/%s: key %q has no %s translation", f, k, o)
				}
			}
		}
	}
	for _, l := range uiLangs {
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

func (a *uiAssets) add(p string, b []byte) {
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
	f := &uiAsset{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: ct}
	if len(b) > 1024 && (strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json") || strings.HasSuffix(ct, "svg+xml")) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b)*9/10 {
			f.gz = buf.Bytes()
		}
	}
	a.files[p] = f
}

// version returns the short content hash used in asset URLs (?v=).
func (a *uiAssets) version(p string) string {
	if f, ok := a.files[p]; ok {
		return strings.Trim(f.etag, `"`)[:10]
	}
	return ""
}

// serveStatic serves GET /ui/<path>. A request whose ?v= matches the file's
// content hash may be cached for a year (the URL changes with the content);
// anything else must be revalidated (ETag → 304). Text is sent gzipped to
// clients that accept it, which matters on a field office's satellite link.
func (a *uiAssets) serveStatic(w http.ResponseWriter, r *http.Request) error {
	p := strings.TrimPrefix(r.URL.Path, "/ui/")
	f, ok := a.files[p]
	if !ok || p == "" || strings.HasSuffix(p, "/") {
		return errorf(http.StatusNotFound, "no such file: %s", r.URL.Path)
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if v := r.URL.Query().Get("v"); v != "" && v == a.version(p) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	f.write(w, r)
	return nil
}

// write answers with the asset (304 when the ETag matches, gzip when the
// client accepts it); the caller has set the caching headers.
func (f *uiAsset) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if etagMatch(r.Header.Get("If-None-Match"), f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
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

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		q := 1.0
		if _, v, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// uiPageData fills web/ui/index.html.
type uiPageData struct {
	Styles  []string // URLs of module stylesheets
	Modules []string // URLs of capability modules
	V       map[string]string
}

// servePage serves the app page (GET /, registered with s.route so it needs
// a logged-in user; a browser without a session is sent to the login page).
// The server's middleware sets the Content-Security-Policy that keeps the
// page from loading anything from another origin.
func (a *uiAssets) servePage(w http.ResponseWriter, r *http.Request) error {
	d := uiPageData{V: map[string]string{}}
	for p := range a.files {
		d.V[p] = a.version(p)
	}
	for _, m := range a.modules {
		d.Modules = append(d.Modules, "/ui/"+m)
	}
	for _, c := range a.styles {
		d.Styles = append(d.Styles, "/ui/"+c+"?v="+a.version(c))
	}
	var buf bytes.Buffer
	if err := a.page.Execute(&buf, d); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}
