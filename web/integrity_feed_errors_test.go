package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// TestIntegrityFeedErrorsSaid: a feed whose poll failed (an HTTP status,
// malformed XML at a line, another root element, no answer in time, a
// server that refuses the connection) is listed with its error as a
// catalog message too, so that the French Integrity page says it in
// French: what went wrong in words, Go's own text kept only as technical
// detail.
func TestIntegrityFeedErrorsSaid(t *testing.T) {
	e := newIntegrityEnv(t)
	e.s.Integrity.FeedHTTP = &http.Client{Timeout: 300 * time.Millisecond}
	ana := e.tokens["ana"]
	mux := http.NewServeMux()
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<rss>\n<channel>\n<item><title>x</title>\n</channel></rss>")
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html><body>hi</body></html>") })
	mux.HandleFunc("/undated", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<rss><channel><title>t</title><item><link>http://a.example/1</link><pubDate>Mon, 02 Jan 2006 15:04:05 EST</pubDate><title>x</title></item></channel></rss>`)
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()

	for _, tc := range []struct {
		url, wantFR string
	}{
		{srv.URL + "/gone", "a répondu HTTP 404 (adresse introuvable"},
		{srv.URL + "/broken", ", ligne 4\u00a0: pas un flux RSS ou Atom\u00a0: XML mal formé à la ligne 4 (détail technique\u00a0: une balise fermante ne correspond pas à la balise ouverte — "},
		{srv.URL + "/page", ", ligne 1\u00a0: <html> n’est pas un flux RSS ou Atom"},
		{srv.URL + "/silent", "n’a pas répondu à temps"},
		{down.URL + "/x", "l’interrogation du flux " + down.URL + "/x a échoué (détail technique\u00a0: connexion refusée — "},
		// Another failure (TLS to a plain HTTP server) is said as one, not
		// as a server out of reach; an entry's reason in French too.
		{"https" + strings.TrimPrefix(srv.URL, "http") + "/gone", "a échoué (détail technique\u00a0: "},
		{srv.URL + "/undated", "/undated\u00a0: entrée 1\u00a0: date\u00a0: un fuseau horaire nommé autre que GMT ou UTC"},
	} {
		resp, b := e.do(nil, "POST", "/api/v1/integrity/feeds", reqOpt{token: ana, body: fmt.Sprintf(`{"url": %q, "every_minutes": 30}`, tc.url), ctype: "application/json"})
		var f struct {
			ID        int64             `json:"id"`
			LastError string            `json:"last_error"`
			Key       string            `json:"last_error_key"`
			Args      map[string]string `json:"last_error_args"`
		}
		if json.Unmarshal(b, &f); resp.StatusCode != 201 {
			t.Fatalf("add %s: %d %s", tc.url, resp.StatusCode, b)
		}
		_, b = e.do(nil, "POST", fmt.Sprintf("/api/v1/integrity/feeds/%d/poll", f.ID), reqOpt{token: ana})
		if err := json.Unmarshal(b, &f); err != nil || f.LastError == "" {
			t.Fatalf("poll %s: %s", tc.url, b)
		}
		if !apperr.Known(f.Key) {
			t.Errorf("%s: %q has no catalog key (%s)", tc.url, f.LastError, b)
			continue
		}
		fr := apperr.Message{Key: f.Key, Args: f.Args}.Text("fr")
		if !strings.Contains(fr, tc.wantFR) {
			t.Errorf("%s: French %q, want it to hold %q", tc.url, fr, tc.wantFR)
		}
		if en := (apperr.Message{Key: f.Key, Args: f.Args}).Text("en"); !strings.HasSuffix(f.LastError, en) {
			t.Errorf("%s: the key's English %q is not the stored error %q", tc.url, en, f.LastError)
		}
		if strings.Contains(fr, "injoignable") && !strings.Contains(fr, "connexion refusée") {
			t.Errorf("%s: French %q says the feed is out of reach", tc.url, fr)
		}
		for _, english := range []string{"not an RSS", "XML syntax error", "timed out", "Not Found", " is not ", "entry", "date:"} {
			if strings.Contains(fr, english) {
				t.Errorf("%s: English %q left in the French %q", tc.url, english, fr)
			}
		}
	}
	// The list says them the same way.
	if _, b := e.do(nil, "GET", "/api/v1/integrity/feeds", reqOpt{token: ana}); strings.Count(string(b), `"last_error_key"`) != 7 {
		t.Errorf("list: %s", b)
	}
}
