package web

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzOpenRosaReads sends arbitrary form ids, media names, queries and Host
// headers to the OpenRosa read routes an ODK client calls (formList,
// form.xml, manifest, media), as a granted enumerator: every answer is
// below 500 and carries X-OpenRosa-Version, and an XML answer is
// well-formed (the Host and form id end up inside the form list).
func FuzzOpenRosaReads(f *testing.F) {
	f.Add(uint8(0), "formID=simple&verbose=true", "vigil.test")
	f.Add(uint8(0), "formID=%00", "a<b>&c\"")
	f.Add(uint8(1), "simple", "vigil.test")
	f.Add(uint8(1), "../simple", "vigil.test")
	f.Add(uint8(2), "simple", "[::1]:80")
	f.Add(uint8(3), "logo.png", "vigil.test")
	f.Add(uint8(3), "..%2F..%2Fetc%2Fpasswd", "vigil.test")
	e := newOREnv(f)
	f.Fuzz(func(t *testing.T, route uint8, s, host string) {
		var target string
		switch route % 4 {
		case 0:
			target = "/formList?" + s
		case 1:
			target = "/forms/" + url.PathEscape(s) + "/form.xml"
		case 2:
			target = "/forms/" + url.PathEscape(s) + "/manifest"
		case 3:
			target = "/forms/simple/media/" + url.PathEscape(s)
		}
		req, err := http.NewRequest("GET", "http://vigil.test"+target, http.NoBody)
		if err != nil {
			return
		}
		req.Host = host
		req.SetBasicAuth("enum", orPassword)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET %s (Host %q): %d %s", target, host, w.Code, w.Body.String())
		}
		if w.Code == http.StatusNotFound && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			return // no route matched
		}
		if w.Code == http.StatusMovedPermanently || w.Code == http.StatusTemporaryRedirect || w.Code == http.StatusPermanentRedirect {
			return // the mux cleaning the path ("/media/." → "/media/"), before any handler
		}
		if w.Header().Get("X-OpenRosa-Version") != "1.0" {
			t.Fatalf("GET %s: %d without X-OpenRosa-Version", target, w.Code)
		}
		if strings.HasPrefix(w.Header().Get("Content-Type"), "text/xml") {
			d := xml.NewDecoder(strings.NewReader(w.Body.String()))
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("GET %s (Host %q): %d, malformed XML (%v): %s", target, host, w.Code, err, w.Body.String())
				}
			}
		}
	})
}
