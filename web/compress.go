package web

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/vigil-project/vigil/web/ui"
)

// The API's answers are sent gzipped to a client that accepts it, as the
// UI's files are (web/ui.Asset.Write): the demo month's coverage layer was
// 1.28 MB of JSON (0.29 MB since its quiet cells go in columns), a few
// seconds on a field office's satellite link.

// gzipMin is the size from which an answer is compressed: one that fits
// a packet gains nothing and costs the client a decompression.
const gzipMin = 1400

// gzipAPI compresses the answers under /api/ (gzipWriter) when the request
// accepts gzip. An answer is compressed when it is a success (2xx, not 204
// or 206) of a text type (JSON, CSV, XML, text; not an event stream), not
// already encoded, and at least gzipMin bytes long, or flushed before
// (a stream). Every answer that could be compressed says Vary:
// Accept-Encoding, compressed or not. Error answers stay as they are.
func gzipAPI(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w, accepts: acceptsGzip(r)}
		next.ServeHTTP(gw, r)
		// Not deferred: a handler that panics (http.ErrAbortHandler, a
		// stream broken off) must not end its body with gzip's trailer,
		// which would make a cut answer look whole.
		gw.close()
	})
}

// acceptsGzip says whether the request's Accept-Encoding takes gzip
// (ui.AcceptsGzip: the weights read as numbers, q=0 refuses, "*" counts).
func acceptsGzip(r *http.Request) bool {
	return ui.AcceptsGzip(r.Header.Values("Accept-Encoding")...)
}

// compressible says whether an answer of Content-Type ct gains by gzip:
// text, JSON and XML, but not an event stream (each event must go out as
// it comes) nor anything already compressed (PDF, images, zip).
func compressible(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch {
	case mt == "text/event-stream":
		return false
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "json"), strings.HasSuffix(mt, "xml"), mt == "application/javascript":
		return true
	}
	return false
}

// gzipWriter holds back an eligible answer's status and first bytes until
// it knows whether the answer is worth compressing (gzipMin bytes, or a
// flush); anything else passes through untouched.
type gzipWriter struct {
	http.ResponseWriter
	accepts bool

	state  gzipState
	status int
	buf    []byte
	gz     *gzip.Writer
}

type gzipState int

const (
	gzipUndecided gzipState = iota // no status yet
	gzipHolding                    // eligible: status and bytes held back
	gzipPassing                    // sent as the handler writes it
	gzipOn                         // compressed
)

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

func (w *gzipWriter) WriteHeader(code int) {
	if w.state != gzipUndecided {
		return
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code) // informational: the answer's status is still to come
		return
	}
	w.status = code
	h := w.Header()
	if code < 200 || code > 299 || code == http.StatusNoContent || code == http.StatusPartialContent ||
		h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" || !compressible(h.Get("Content-Type")) {
		w.state = gzipPassing
		w.ResponseWriter.WriteHeader(code)
		return
	}
	h.Add("Vary", "Accept-Encoding")
	if !w.accepts {
		w.state = gzipPassing
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.state = gzipHolding
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if w.state == gzipUndecided {
		w.WriteHeader(http.StatusOK)
	}
	switch w.state {
	case gzipHolding:
		if len(w.buf)+len(b) < gzipMin {
			w.buf = append(w.buf, b...)
			return len(b), nil
		}
		if err := w.start(); err != nil {
			return 0, err
		}
		return w.gz.Write(b)
	case gzipOn:
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// start sends the held status as a gzipped answer and compresses the
// bytes held back.
func (w *gzipWriter) start() error {
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	w.ResponseWriter.WriteHeader(w.status)
	w.gz = gzipWriters.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	w.state = gzipOn
	held := w.buf
	w.buf = nil
	_, err := w.gz.Write(held)
	return err
}

// FlushError sends what was written so far (http.ResponseController): a
// held answer is then a stream, compressed from here on.
func (w *gzipWriter) FlushError() error {
	if w.state == gzipUndecided {
		w.WriteHeader(http.StatusOK)
	}
	switch w.state {
	case gzipHolding:
		if err := w.start(); err != nil {
			return err
		}
		fallthrough
	case gzipOn:
		if err := w.gz.Flush(); err != nil {
			return err
		}
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Flush is FlushError for an http.Flusher.
func (w *gzipWriter) Flush() { _ = w.FlushError() }

// Unwrap gives http.ResponseController the connection's own writer (its
// deadlines).
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// close ends the answer once the handler returned: a held answer goes out
// as it is, a compressed one gets gzip's trailer.
func (w *gzipWriter) close() {
	switch w.state {
	case gzipHolding:
		w.ResponseWriter.WriteHeader(w.status)
		if len(w.buf) > 0 {
			w.ResponseWriter.Write(w.buf)
		}
	case gzipOn:
		if w.gz.Close() == nil {
			w.gz.Reset(nil)
			gzipWriters.Put(w.gz)
		}
	}
	w.state = gzipPassing
}
