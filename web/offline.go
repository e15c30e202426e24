package web

import (
	"net/http"

	"github.com/vigil-project/vigil/web/ui"
)

// serveServiceWorker serves GET /sw.js, the UI's service worker with its
// build written in (ui.EmbeddedWorker), so that its scope is the whole UI
// and the app page opens with no network. Cache-Control: no-cache makes
// the browser check it on every page load, which is how a new binary's
// worker replaces the old one.
func serveServiceWorker(w http.ResponseWriter, r *http.Request) error {
	f, err := ui.EmbeddedWorker()
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.ETag)
	h.Set("Service-Worker-Allowed", "/")
	h.Add("Vary", "Accept-Encoding")
	f.Write(w, r)
	return nil
}
