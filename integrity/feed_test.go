package integrity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseFeed(t *testing.T) {
	for _, tc := range []struct {
		file   string
		source string
		texts  []string
		ids    []string
		times  []string
	}{
		{"rss.xml", "Radio communautaire (test)",
			[]string{"Distribution de vivres au marché central\nLa distribution aura lieu jeudi & vendredi. alert(1)", "Road to Goma reopened\nTraffic resumed this morning."},
			[]string{"https://radio.example.org/a/1", "item-2"}, []string{"2024-03-01T14:05:00Z", "2024-03-02T08:00:00Z"}},
		{"atom.xml", "Bulletin (test)", []string{"Le pont de Rutshuru est fermé\nFermé pour travaux."}, []string{"urn:test:1"}, []string{"2024-03-03T09:00:00Z"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open("testdata/feeds/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			items, err := testService().ParseFeed(f, tc.file, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(tc.texts) {
				t.Fatalf("%d items", len(items))
			}
			for i, it := range items {
				if it.Text != tc.texts[i] || it.SourceID != tc.ids[i] || it.Time.Format(time.RFC3339) != tc.times[i] || it.Source != tc.source || it.Via != ViaFeed || it.Kind != "article" {
					t.Errorf("item %d: %+v", i, it)
				}
			}
			if tc.file == "rss.xml" && (len(items[0].Media) != 1 || items[0].URL != "https://radio.example.org/a/1") {
				t.Errorf("media %v url %q", items[0].Media, items[0].URL)
			}
			if tc.file == "atom.xml" && items[0].Lang != "fr" {
				t.Errorf("lang %q", items[0].Lang)
			}
		})
	}
}

func TestParseFeedNoID(t *testing.T) {
	feed := "<rss><channel><title>T</title><item><title>Same words</title></item></channel></rss>"
	a, err1 := testService().ParseFeed(strings.NewReader(feed), "a.xml", "")
	b, err2 := testService().ParseFeed(strings.NewReader(feed), "a.xml", "")
	if err1 != nil || err2 != nil || len(a) != 1 || a[0].SourceID != b[0].SourceID || !strings.HasPrefix(a[0].SourceID, "sha256:") {
		t.Fatalf("an entry without id must get the same id from its text each time: %v %v", err1, err2)
	}
}

func TestParseFeedErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"broken.xml", "<rss>\n<channel>\n<item><title>x</title>\n</channel></rss>", "broken.xml:4: not an RSS or Atom feed"},
		{"html.xml", "<html><body>hi</body></html>", "html.xml:1: <html> is not an RSS or Atom feed"},
		{"nodate.xml", "<rss><channel><item><title>x</title><guid>1</guid><pubDate>someday</pubDate></item></channel></rss>", "nodate.xml: entry 1: date:"},
		{"notext.xml", "<rss><channel><item><guid>1</guid><title> </title></item></channel></rss>", "notext.xml: entry 1: text: is required"},
		{"latin1.xml", `<?xml version="1.0" encoding="ISO-8859-1"?><rss/>`, "not supported"},
		{"entity.xml", `<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title><guid>1</guid></item></channel></rss>`, "entity.xml:1:"},
	} {
		_, err := testService().ParseFeed(strings.NewReader(tc.data), tc.name, "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestPollFeedTimeout: a feed server that never finishes answering makes
// the poll fail after the client's timeout, with nothing stored (the
// service has no store here: reaching it would panic).
func TestPollFeedTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte("<rss><channel>"))
		w.(http.Flusher).Flush()
		select { // hang mid-document
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	_, err := testService().PollFeed(context.Background(), "test", &http.Client{Timeout: 300 * time.Millisecond}, srv.URL, "")
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("hanging feed: %v", err)
	}
	for _, u := range []string{"", "file:///etc/passwd", "ftp://x/y"} {
		if _, err := testService().PollFeed(context.Background(), "test", nil, u, ""); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	if _, err := testService().PollFeed(context.Background(), "test", nil, notFound.URL, ""); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404 feed: %v", err)
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, n := range []string{"rss.xml", "atom.xml"} {
		b, _ := os.ReadFile("testdata/feeds/" + n)
		f.Add(string(b))
	}
	f.Add("<rss><channel><item><title>&lt;b&gt;</title><guid>1</guid></item></channel></rss>")
	f.Fuzz(func(t *testing.T, data string) {
		items, err := testService().ParseFeed(strings.NewReader(data), "f.xml", "")
		for _, it := range items {
			if err != nil || it.Text == "" || it.SourceID == "" || strings.ContainsAny(it.Source, "\r\n") {
				t.Fatalf("bad item %+v (%v)", it, err)
			}
		}
	})
}

// TestPollFeedTitle: a poll gives the feed's own title (RSS channel or
// Atom feed <title>) on one line and at most MaxShort bytes, markup kept
// as the text it is (the page shows it as text); a feed without one, empty.
// The feeds have no entries, so nothing reaches the store (there is none).
func TestPollFeedTitle(t *testing.T) {
	long := strings.Repeat("Radio ", 100)
	for _, tc := range []struct{ name, doc, want string }{
		{"rss", `<rss version="2.0"><channel><title>Radio Okapi (test)</title><link>https://radio.example.org/</link></channel></rss>`, "Radio Okapi (test)"},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"><title>Bulletin de Bunia</title><id>urn:test</id></feed>`, "Bulletin de Bunia"},
		{"atom html", `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Radio &lt;b&gt;Okapi&lt;/b&gt; &amp; co</title></feed>`, "Radio <b>Okapi</b> & co"},
		{"cdata", `<rss><channel><title><![CDATA[<img src=x onerror=alert(1)>Radio]]></title></channel></rss>`, "<img src=x onerror=alert(1)>Radio"},
		{"lines", "<rss><channel><title>\n  Radio\n\tBunia  </title></channel></rss>", "Radio Bunia"},
		{"none", `<rss><channel><link>https://radio.example.org/</link></channel></rss>`, ""},
		{"long", `<rss><channel><title>` + long + `</title></channel></rss>`, strings.TrimSpace(long)[:MaxShort]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.Write([]byte(tc.doc))
			}))
			defer srv.Close()
			res, err := testService().PollFeed(context.Background(), "test", nil, srv.URL, "")
			if err != nil || res.Title != tc.want || res.Added != 0 {
				t.Errorf("title %q, added %d (%v), want %q", res.Title, res.Added, err, tc.want)
			}
		})
	}
}
