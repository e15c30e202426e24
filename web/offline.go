package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"
	"sync"
)

// Offline opening of the web UI. The service worker web/ui/core/sw.js is
// served at /sw.js (so that its scope is the whole UI, the app page GET / and
// /ui/) with the build it belongs to written in: a version hash over every
// embedded UI file, which names its caches (a new binary installs a new
// worker and drops the old caches), and the list of files it precaches (every
// file the app page can load, so that the page opens with no network).

// swSource is the embedded worker's path below web/ui/.
const swSource = "core/sw.js"

// swPlaceholder is the line of core/sw.js the server replaces with the build.
const swPlaceholder = `const BUILD = { version: 'dev', precache: [] }; // replaced by the server (web/offline.go)`

// swBuild is what the server writes into the worker.
type swBuild struct {
	Version  string   `json:"version"`
	Precache []string `json:"precache"`
}

// swPrecacheExt are the kinds of files the app page loads (scripts, styles,
// dictionaries, the basemap, icons); licences and notes stay out.
var swPrecacheExt = map[string]bool{".js": true, ".css": true, ".json": true, ".svg": true, ".png": true}

// serviceWorker is the worker script with its build filled in, built once.
var serviceWorker = sync.OnceValues(func() (*uiAsset, error) {
	a, err := embeddedUI()
	if err != nil {
		return nil, err
	}
	return a.serviceWorker()
})

// precacheList is every /ui/ URL the app page may load: the files served
// under /ui/ with a web extension, except the worker itself.
func (a *uiAssets) precacheList() []string {
	var list []string
	for p := range a.files {
		if p == swSource || !swPrecacheExt[path.Ext(p)] {
			continue
		}
		list = append(list, "/ui/"+p)
	}
	sort.Strings(list)
	return list
}

// serviceWorker builds the worker script: the embedded source with the
// version hash and the precache list written in.
func (a *uiAssets) serviceWorker() (*uiAsset, error) {
	src, ok := a.files[swSource]
	if !ok {
		return nil, fmt.Errorf("web/ui/%s missing", swSource)
	}
	if bytes.Count(src.body, []byte(swPlaceholder)) != 1 {
		return nil, fmt.Errorf("web/ui/%s: the line %q must appear exactly once", swSource, swPlaceholder)
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
		fmt.Fprintf(h, "%s %s\n", p, a.files[p].etag)
	}
	b := swBuild{Version: hex.EncodeToString(h.Sum(nil))[:16], Precache: a.precacheList()}
	j, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	body := bytes.Replace(src.body, []byte(swPlaceholder), []byte("const BUILD = "+string(j)+"; // written by the server (web/offline.go)"), 1)
	w := &uiAssets{files: map[string]*uiAsset{}}
	w.add("sw.js", body)
	return w.files["sw.js"], nil
}

// serveServiceWorker serves GET /sw.js. Cache-Control: no-cache makes the
// browser check it on every page load, which is how a new binary's worker
// replaces the old one.
func serveServiceWorker(w http.ResponseWriter, r *http.Request) error {
	f, err := serviceWorker()
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	h.Set("Service-Worker-Allowed", "/")
	h.Add("Vary", "Accept-Encoding")
	f.write(w, r)
	return nil
}
