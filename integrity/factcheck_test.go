package integrity

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/testutil/golden"
)

func publishedChecks() []Check {
	p1 := time.Date(2026, 3, 31, 14, 5, 0, 0, time.UTC)
	p2 := time.Date(2026, 4, 2, 8, 30, 0, 0, time.UTC)
	return []Check{
		{Narrative: 7, State: CheckResponded, Claim: `The Rutshuru bridge will be destroyed tonight <script>alert("x")</script> & more`, Rating: "false",
			SummaryEN: "The bridge is open and guarded; the administrator confirmed traffic is normal.", SummaryFR: "Le pont est ouvert et gardé ; l'administrateur confirme que la circulation est normale.",
			Slug: "0123456789abcdef01234567", PublishedAt: &p2},
		{Narrative: 3, State: CheckClosed, Claim: "Food distribution at Bunia market tomorrow", Rating: "unverifiable",
			SummaryEN: "No agency has announced a distribution; ask the camp committee before going.", Slug: "89abcdef0123456789abcdef", PublishedAt: &p1},
	}
}

// TestClaimReviewGolden: the ClaimReview JSON-LD of a published check, in
// English and French (French answer missing: the English one, marked so).
func TestClaimReviewGolden(t *testing.T) {
	for _, c := range publishedChecks() {
		for _, lang := range []string{"en", "fr"} {
			b, err := ClaimReviewJSON(c, "MONUSCO", "https://vigil.example/", lang)
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if v["@type"] != "ClaimReview" || v["reviewRating"].(map[string]any)["alternateName"] == "" || v["author"].(map[string]any)["name"] != "MONUSCO" {
				t.Errorf("%s", b)
			}
			if bytes.Contains(b, []byte("<")) {
				t.Errorf("a '<' in the JSON-LD could close its <script>: %s", b)
			}
			golden.Check(t, filepath.Join("testdata", "factcheck", c.Slug[:6]+".claimreview."+lang+".json"), append(b, '\n'), *update)
		}
	}
}

// TestFactCheckFeedGolden: the Atom feed of published checks, EN and FR.
func TestFactCheckFeedGolden(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		b, err := FactCheckFeed(publishedChecks(), "MONUSCO", "https://vigil.example", lang)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "factcheck", "feed."+lang+".atom"), b, *update)
	}
	empty, _ := FactCheckFeed(nil, "MONUSCO", "https://vigil.example", "en")
	if !bytes.Contains(empty, []byte("<updated>1970-01-01T00:00:00Z</updated>")) || bytes.Contains(empty, []byte("<entry>")) {
		t.Errorf("empty feed %s", empty)
	}
}

// TestFactCheckPageEscapes: the page shows the claim as text (escaped), in
// the asked language, with the JSON-LD that cannot close its script.
func TestFactCheckPageEscapes(t *testing.T) {
	s := &Service{Mission: "MONUSCO <b>"}
	c := publishedChecks()[0]
	for _, tc := range []struct{ lang, want string }{{"en", "What is true"}, {"fr-CD", "Ce qui est vrai"}} {
		b, err := s.FactCheckPage(c, "https://vigil.example", tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "MONUSCO <b>") || !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") ||
			!strings.Contains(page, tc.want) || strings.Count(page, "</script>") != 1 || !strings.Contains(page, `"@type": "ClaimReview"`) {
			t.Errorf("%s page:\n%s", tc.lang, page)
		}
	}
	if got := AnswerText(c, "fr", "https://v"); got != "Faux\u00a0: Le pont est ouvert et gardé ; l'administrateur confirme que la circulation est normale. https://v/factcheck/0123456789abcdef01234567?lang=fr" {
		t.Errorf("answer %q", got)
	}
	c.SummaryFR = ""
	if got := AnswerText(c, "fr", "https://v"); !strings.HasPrefix(got, "False: The bridge") || strings.Contains(got, "lang=fr") {
		t.Errorf("answer without French %q", got)
	}
	// An answer longer than the SMS has room for (stored before the limit):
	// cut to MaxAnswerSMS characters, the link kept whole.
	c.SummaryEN = strings.Repeat("é", 700)
	if got := AnswerText(c, "en", "https://v"); utf8.RuneCountInString(got) != MaxAnswerSMS || !strings.HasPrefix(got, "False: é") || !strings.HasSuffix(got, "é https://v/factcheck/"+c.Slug) {
		t.Errorf("long answer: %d characters: %q", utf8.RuneCountInString(got), got)
	}
}

// TestFactCheckPageWords: with no mission name configured, the public page,
// its JSON-LD and the feed name the author in the page's language, and the
// page says its date in words ("Publié le 2 avril 2026"; the French page
// said « United Nations peace operation » and « Publié le 2026-04-02 »).
func TestFactCheckPageWords(t *testing.T) {
	s := &Service{Store: &checkStore{}}
	c := publishedChecks()[0]
	for _, tc := range []struct {
		lang, name string
		want       []string
		unwelcome  string
	}{
		{"fr", "Opération de paix des Nations Unies", []string{`<p>Opération de paix des Nations Unies · `, `"name": "Opération de paix des Nations Unies"`,
			`Publié le <time datetime="2026-04-02">2 avril 2026</time> · Par Opération de paix des Nations Unies</p>`}, "United Nations peace operation"},
		{"en", "United Nations peace operation", []string{`<p>United Nations peace operation · `, `"name": "United Nations peace operation"`,
			`Published <time datetime="2026-04-02">2 April 2026</time> · By United Nations peace operation</p>`}, "Nations Unies"},
	} {
		b, err := s.FactCheckPage(c, "https://vigil.example", tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !bytes.Contains(b, []byte(w)) {
				t.Errorf("%s page lacks %q:\n%s", tc.lang, w, b)
			}
		}
		if bytes.Contains(b, []byte(tc.unwelcome)) {
			t.Errorf("%s page names %q", tc.lang, tc.unwelcome)
		}
		feed, err := s.FactCheckFeed(context.Background(), "https://vigil.example", tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(feed, []byte(tc.unwelcome)) || !bytes.Contains(feed, []byte("<name>"+tc.name+"</name>")) {
			t.Errorf("%s feed names %q:\n%s", tc.lang, tc.unwelcome, feed)
		}
	}
}
