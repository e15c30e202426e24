package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EIntegrityJourney: an analyst opens the empty Integrity page, is
// told how to fill it, uploads a monitoring export (first a bad one: the
// line is named and nothing is stored), sees its narratives, opens one's
// items — the HTML in an item is shown as text, never rendered — and
// reveals an author.
func TestE2EIntegrityJourney(t *testing.T) {
	ctx0 := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx0, dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := &web.Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Integrity: integrity.NewService(db, keys)}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	srv := &e2eServer{URL: ts.URL, User: "analyst.e2e", Password: "correct horse battery"}
	if _, err := s.Auth.CreateUser(ctx0, "test", srv.User, auth.Analyst, srv.Password); err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	good := filepath.Join("..", "integrity", "testdata", "import", "generic.csv")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// The same export with a retweet of its first row, so one narrative has two items.
	goodPath := filepath.Join(files, "export.csv")
	os.WriteFile(goodPath, append(data, []byte("g3,facebook,post,\"RT @radio: Les déplacés de Kitchanga demandent de l'aide alimentaire https://t.co/z\",fr,@relay,2024-03-02 09:00,,4,,,,,,,\n")...), 0o644)
	badPath := filepath.Join(files, "bad.csv")
	os.WriteFile(badPath, append(data, []byte("g4,facebook,post,text,fr,,not a date,,,,,,,,,\n")...), 0o644)

	ctx, _ := newBrowser(t, 1280, 900)
	if err := login(ctx, srv); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		what string
		act  []chromedp.Action[chromedp.Void]
		want string
	}{
		{"empty state", []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + "/#/integrity")},
			`document.querySelector('#integrity-body .empty button')`},
		{"empty state leads to the upload", []chromedp.Action[chromedp.Void]{chromedp.Click(css(`#integrity-body .empty button`))},
			`document.querySelector('#integrity-import-file')`},
		{"bad export refused with its line", []chromedp.Action[chromedp.Void]{chromedp.SetUploadFiles(css(`#integrity-import-file`), []string{badPath}), chromedp.Click(css(`#integrity-import button[type=submit]`))},
			`/bad\.csv:4: time:/.test(document.querySelector('#integrity-import-result')?.textContent || '')`},
		{"good export imported", []chromedp.Action[chromedp.Void]{chromedp.SetUploadFiles(css(`#integrity-import-file`), []string{goodPath}), chromedp.Click(css(`#integrity-import button[type=submit]`))},
			`/^3 new items, 0 updated, 2 new narratives/.test(document.querySelector('#integrity-import-result .notice')?.textContent || '')`},
		{"narratives shown", []chromedp.Action[chromedp.Void]{chromedp.Click(css(`#integrity-import-result button`))},
			`document.querySelectorAll('#integrity-narratives tbody tr').length === 2 && document.querySelector('#integrity-narratives tbody tr td.num').textContent === '2'`},
		{"a narrative's items", []chromedp.Action[chromedp.Void]{chromedp.Click(css(`#integrity-narratives tbody tr .integrity-actions button.linklike`))},
			`document.querySelectorAll('#integrity-items li').length === 2 && !!document.querySelector('#integrity-split')`},
		{"all items, HTML as text", []chromedp.Action[chromedp.Void]{chromedp.Click(css(`#integrity-body p button.linklike`))},
			`document.querySelectorAll('#integrity-items li').length === 3 && [...document.querySelectorAll('#integrity-items .integrity-text')].some((p) => p.textContent.includes('<b>Bold</b>')) && !document.querySelector('#integrity-items .integrity-text b')`},
	}
	for _, st := range steps {
		if err := do(ctx, st.act...); err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		if err := poll(ctx, "!!("+st.want+")", stepWait); err != nil {
			body, _ := js[string](ctx, `document.querySelector('main')?.innerText || ''`)
			t.Fatalf("%s: %v\npage: %.1500s", st.what, err, body)
		}
	}
	// Nothing of the bad file was stored.
	its, err := db.Items(ctx0, integrity.ItemFilter{Limit: 100})
	if err != nil || len(its) != 3 {
		t.Fatalf("%d items stored (%v), want 3", len(its), err)
	}
}
