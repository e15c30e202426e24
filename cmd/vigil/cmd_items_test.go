package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage/sqlite"
)

func runItemsCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runCmd(t, runItems, "", args...)
}

func storedItems(t *testing.T, data string) []integrity.Item {
	t.Helper()
	db, err := sqlite.Open(context.Background(), data, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	its, err := db.Items(context.Background(), integrity.ItemFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return its
}

// TestItemsImportCommand: `vigil items import` stores an export, a
// re-import updates engagement only, and a bad file writes nothing and
// names its line.
func TestItemsImportCommand(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	good := filepath.Join("..", "..", "integrity", "testdata", "import", "twitter.jsonl")
	out, err := runItemsCmd(t, "import", "--data", data, "--source", "twitter", good)
	if err != nil || !strings.Contains(out, "2 new items, 0 updated") {
		t.Fatalf("%q %v", out, err)
	}
	// The same posts later, with more engagement.
	b, _ := os.ReadFile(good)
	later := filepath.Join(dir, "later.jsonl")
	os.WriteFile(later, bytes.ReplaceAll(b, []byte(`"retweet_count":12`), []byte(`"retweet_count":480`)), 0o644)
	out, err = runItemsCmd(t, "import", "--data", data, "--source", "twitter", later)
	if err != nil || !strings.Contains(out, "0 new items, 2 updated") {
		t.Fatalf("re-import %q %v", out, err)
	}
	its := storedItems(t, data)
	if len(its) != 2 {
		t.Fatalf("%d items", len(its))
	}
	for _, it := range its {
		if it.SourceID == "1765" && it.Shares != 480 {
			t.Errorf("re-import left shares at %d", it.Shares)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,source,text,time\nn1,x,fine,2024-03-01\nn2,x,also fine,not a date\n"), 0o644)
	_, err = runItemsCmd(t, "import", "--data", data, bad)
	if err == nil || !strings.Contains(err.Error(), "bad.csv:3: time:") {
		t.Fatalf("bad file: %v", err)
	}
	if n := len(storedItems(t, data)); n != 2 {
		t.Errorf("a rejected file wrote items: %d stored", n)
	}
	if _, err := runItemsCmd(t, "import", "--data", data); err == nil {
		t.Error("no file accepted")
	}
}

// TestDemoItems: serve --demo's integrity items are real UDHR text in
// eight languages, identified as such, loaded once however often it starts.
func TestDemoItems(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, keys := openTestStoreKeys(t, dir)
	s := integrity.NewService(db, keys)
	for i := 0; i < 2; i++ {
		if err := demo.LoadUDHRItems(ctx, s, "test"); err != nil {
			t.Fatal(err)
		}
	}
	its, err := db.Items(ctx, integrity.ItemFilter{Limit: 1000})
	if err != nil || len(its) != 24 {
		t.Fatalf("%d demo items (%v), want 24", len(its), err)
	}
	langs := map[string]int{}
	for _, it := range its {
		langs[it.Lang]++
		// The classifier learnt English, French and Arabic only: other
		// languages are left unscored instead of given a meaningless score.
		if scored := integrity.ScoredLanguages[it.Lang]; scored == (it.Label == integrity.Unscored) || (!scored && it.Score != 0) {
			t.Errorf("%s item labelled %q score %.2f", it.Lang, it.Label, it.Score)
		}
	}
	for _, l := range []string{"fr", "en", "ar", "sw", "ln", "sg", "ha", "bm"} {
		if langs[l] != 3 {
			t.Errorf("language %s: %d items, want 3 (identified: %v)", l, langs[l], langs)
		}
	}
	if ts, _ := s.Terms(ctx); len(ts) < 100 {
		t.Errorf("starter lexicon: %d terms", len(ts))
	}
}

// TestItemsFeedCommand: `vigil items feed` stores a feed's entries once;
// a dead feed is reported and the others still polled.
func TestItemsFeedCommand(t *testing.T) {
	data := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "integrity", "testdata", "feeds", "atom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(b) }))
	defer srv.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	defer dead.Close()
	var out, errb bytes.Buffer
	err = runItems(context.Background(), []string{"feed", "--data", data, srv.URL, dead.URL}, strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(out.String(), "1 new items") || !strings.Contains(errb.String(), "404") {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errb.String())
	}
	if its := storedItems(t, data); len(its) != 1 || its[0].Via != integrity.ViaFeed {
		t.Fatalf("stored %+v", its)
	}
}
