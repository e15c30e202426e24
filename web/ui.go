package web

import (
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/web/ui"
)

// The offline web UI (package web/ui): the app page GET / (login required)
// and the embedded files under /ui/. The server's middleware sets the
// Content-Security-Policy that keeps the page from loading anything from
// another origin.

// uiAssets are the embedded UI's files the handlers serve.
type uiAssets struct{ *ui.Assets }

// embeddedUI returns the embedded UI, loaded once per process.
func embeddedUI() (*uiAssets, error) {
	a, err := ui.Embedded()
	if err != nil {
		return nil, err
	}
	return &uiAssets{a}, nil
}

// serveStatic serves GET /ui/<path>. A request whose ?v= matches the file's
// content hash may be cached for a year (the URL changes with the content);
// anything else must be revalidated (ETag → 304). Text is sent gzipped to
// clients that accept it, which matters on a field office's satellite link.
func (a *uiAssets) serveStatic(w http.ResponseWriter, r *http.Request) error {
	p := strings.TrimPrefix(r.URL.Path, "/ui/")
	f, ok := a.File(p)
	if !ok || p == "" || strings.HasSuffix(p, "/") {
		return sayError(http.StatusNotFound, "refusal.http.no-file", r.URL.Path)
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("ETag", f.ETag)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if v := r.URL.Query().Get("v"); v != "" && v == a.Version(p) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	f.Write(w, r)
	return nil
}

// appPage is the route of the app page: servePage with the server's
// PageEvery.
func appPage(s *Server) handlerFunc {
	return uiHandler(func(a *uiAssets, w http.ResponseWriter, r *http.Request) error {
		return a.servePage(w, r, s.PageEvery)
	})(s)
}

// servePage serves the app page (GET /, registered with a role so it needs
// a logged-in user; a browser without a session is sent to the login page),
// its intervals every.
func (a *uiAssets) servePage(w http.ResponseWriter, r *http.Request, every ui.Intervals) error {
	page, err := a.Page(every)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(page)
	return nil
}
