package web

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/download"
)

// TestStreamedFileBrokenOff: a file streamed to the client (download.File's
// Write, as a survey export is sent) that fails part-way breaks the
// connection off: the client's read fails, whatever was sent, instead of
// ending on a shorter body that looks whole. One that does not fail
// arrives whole.
func TestStreamedFileBrokenOff(t *testing.T) {
	testStreamedFileBrokenOff(t, func(h http.Handler) http.Handler { return h }, "/", false)
}

// testStreamedFileBrokenOff runs TestStreamedFileBrokenOff's cases on the
// file's handler wrapped by wrap, asked for path; gzipped says the whole
// file must arrive gzip-encoded (and is then decompressed by the client).
func testStreamedFileBrokenOff(t *testing.T, wrap func(http.Handler) http.Handler, path string, gzipped bool) {
	row := strings.Repeat("north,25_34,idp,safe\n", 50) // about 1 kB
	for _, c := range []struct {
		name   string
		rows   int // written before failing, or all written when fail is false
		fail   bool
		wantOK bool
	}{
		{"whole", 200, false, true},
		{"fails before the first byte is flushed", 1, true, false},
		{"fails after some 200 kB", 200, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeFile(w, http.StatusOK, &download.File{Name: "x.csv", Type: "text/csv; charset=utf-8", Write: func(w io.Writer) error {
					io.WriteString(w, "region,age_group,displacement,q_safety\n")
					for range c.rows {
						if _, err := io.WriteString(w, row); err != nil {
							return err
						}
					}
					if c.fail {
						return errors.New("answers unreadable")
					}
					return nil
				}})
			})))
			defer srv.Close()
			resp, err := http.Get(srv.URL + path)
			var body []byte
			if err == nil {
				body, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if c.wantOK {
				if err != nil || resp.StatusCode != 200 || len(body) != len("region,age_group,displacement,q_safety\n")+c.rows*len(row) {
					t.Fatalf("got %v, %d bytes", err, len(body))
				}
				if resp.Uncompressed != gzipped {
					t.Fatalf("sent gzipped: %v, want %v", resp.Uncompressed, gzipped)
				}
				return
			}
			if err == nil {
				t.Fatalf("a failed stream read as a whole file of %d bytes (status %d)", len(body), resp.StatusCode)
			}
		})
	}
}
