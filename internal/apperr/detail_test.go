package apperr_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// test.detail is a refusal keeping Go's text as technical detail.
var _ = apperr.Register(apperr.Catalog{"test.detail": {"cannot read it: %v", "illisible (détail technique\u00a0: {0})"}})

// TestDetail: Go's own errors that refusals keep as technical detail are
// said with French words before Go's English (kept byte for byte), each
// made by the Go code that writes it; an error Detail has no words for
// stays its text; one that says itself by a message keeps it.
func TestDetail(t *testing.T) {
	jsonErr := func(body string, v any) error { return json.Unmarshal([]byte(body), v) }
	var n int
	_, zipErr := zip.NewReader(strings.NewReader("not a zip"), 9)
	refused := func() error {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		_, err = net.Dial("tcp", addr)
		return err
	}()
	deadline, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	tooLarge := func() error {
		r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a=b&", 100)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 10)
		return r.ParseForm()
	}()
	_, escape := url.ParseQuery("a=%zz")
	_, numErr := strconv.ParseInt("x", 10, 64)
	_, multipartEOF := multipart.NewReader(strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n"), "b").NextPart()
	for _, c := range []struct {
		name string
		err  error
		fr   string // the French words before Go's text; "" for none
	}{
		{"unexpected EOF", io.ErrUnexpectedEOF, "fin inattendue des données"},
		{"EOF", io.EOF, "les données s’arrêtent trop tôt"},
		{"multipart EOF", fmt.Errorf("multipart: NextPart: %w", io.EOF), "les données s’arrêtent trop tôt"},
		{"JSON syntax", jsonErr(`{"a" 1}`, &n), "JSON mal formé"},
		{"JSON type", jsonErr(`"x"`, &n), "une valeur JSON n’a pas le type attendu"},
		{"body too large", tooLarge, "corps de la requête trop volumineux"},
		{"deadline", deadline.Err(), "délai dépassé"},
		{"canceled", context.Canceled, "opération annulée"},
		{"connection refused", refused, "connexion refusée"},
		{"URL escape", escape, "séquence d’échappement d’URL invalide"},
		{"number", numErr, "nombre illisible"},
		{"not a zip", zipErr, "archive zip non valide"},
		{"XML closed by", errors.New("element <sheets> closed by </workbook>"), "une balise fermante ne correspond pas à la balise ouverte"},
		{"something else", errors.New("strange things happened"), ""},
		{"multipart cut in a header", multipartEOF, "les données s’arrêtent trop tôt"},
		{"XML of other words", errors.New("expected element name after <"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error made")
			}
			d := apperr.Detail(c.err)
			msg, ok := d.(apperr.Message)
			if c.fr == "" {
				if ok || fmt.Sprint(d) != c.err.Error() {
					t.Fatalf("Detail = %#v, want the text %q", d, c.err)
				}
				return
			}
			if !ok {
				t.Fatalf("Detail(%q) = %#v, not a message", c.err, d)
			}
			if en := msg.Text("en"); en != c.err.Error() {
				t.Errorf("English %q, want Go's %q", en, c.err)
			}
			if fr, want := msg.Text("fr"), c.fr+" — "+c.err.Error(); fr != want {
				t.Errorf("French %q, want %q", fr, want)
			}
		})
	}
	// Nested in a refusal's format: its English is what fmt wrote.
	m := apperr.MustMsg("test.detail", apperr.Detail(io.ErrUnexpectedEOF))
	if en, fr := m.Text("en"), m.Text("fr"); en != "cannot read it: unexpected EOF" || fr != "illisible (détail technique\u00a0: fin inattendue des données — unexpected EOF)" {
		t.Errorf("nested: %q / %q", en, fr)
	}
	// An error said by a message keeps it.
	said := apperr.MustMsg("test.detail", "x").Err()
	if got, ok := apperr.Detail(said).(apperr.Message); !ok || got.Key != "test.detail" {
		t.Errorf("said error: %#v", apperr.Detail(said))
	}
}
