package integrity

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

func TestParseQueries(t *testing.T) {
	type queryCase struct {
		q, text, field, want string
		parse                func(url.Values) (any, error)
	}
	apperrtest.Queries(t, []queryCase{
		{"narrative=3&harmful=1&q=+hate+&limit=20&offset=40", "", "", "{3 true hate 20 40}", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"", "", "", "{0 false  0 0}", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"narrative=-1", `narrative: "-1" is not an id`, "narrative", "", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"limit=1000001", `limit: "1000001" is not a count`, "limit", "", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"offset=x", `offset: "x" is not a count`, "offset", "", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"harmful=maybe", "harmful: want 1 or 0", "harmful", "", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"q=" + strings.Repeat("a", 201), "q: at most 200 bytes", "q", "", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"page=2", `unknown parameter "page" (allowed: narrative, harmful, q, limit, offset)`, "page", "", func(q url.Values) (any, error) { return ParseItemFilter(q) }},
		{"from=2024-01-01&to=2024-01-31&month=2024-01&country=Mali", "", "", "2024-01-01 2024-01-31 2024-01", func(q url.Values) (any, error) {
			w, err := ParseWhereQuery(q)
			return w.From.Format("2006-01-02") + " " + w.To.Format("2006-01-02") + " " + w.Month.String(), err
		}},
		{"from=2024-13-01", `from: "2024-13-01" is not a day (YYYY-MM-DD)`, "from", "", func(q url.Values) (any, error) { return ParseWhereQuery(q) }},
		{"to=yesterday", `to: "yesterday" is not a day (YYYY-MM-DD)`, "to", "", func(q url.Values) (any, error) { return ParseWhereQuery(q) }},
		{"country=" + strings.Repeat("b", 201), "country: at most 200 bytes", "country", "", func(q url.Values) (any, error) { return ParseWhereQuery(q) }},
		{"end=2024-03-10", "", "", "2024-03-10", func(q url.Values) (any, error) { d, err := ParseBriefEnd(q); return d.Format("2006-01-02"), err }},
		{"end=10/03/2024", `end: "10/03/2024" is not a day (YYYY-MM-DD)`, "end", "", func(q url.Values) (any, error) { return ParseBriefEnd(q) }},
	}, func(c queryCase) (string, string, string, any, func(url.Values) (any, error)) {
		return c.q, c.text, c.field, c.want, c.parse
	})
	if _, err := ParseWhereQuery(url.Values{"month": {"2024-13"}}); apperr.FieldOf(err) != "month" || !strings.HasPrefix(err.Error(), "month: ") {
		t.Errorf("month: %v", err)
	}
}

func TestRequestLang(t *testing.T) {
	for _, c := range []struct{ param, accept, want string }{
		{"", "", "en"}, {"fr", "en", "fr"}, {"", "fr-CD,fr;q=0.9", "fr"}, {"en", "fr", "en"}, {"de", "fr", "en"},
		// The header's preference, as the login page and the alert form read it (lang.Pick).
		{"", "de-DE,de;q=0.9,fr;q=0.8", "fr"}, {"", "en;q=0.5,fr", "fr"}, {"", "fr;q=0.2,en", "en"},
	} {
		if got := RequestLang(c.param, c.accept); got != c.want {
			t.Errorf("RequestLang(%q, %q) = %q, want %q", c.param, c.accept, got, c.want)
		}
	}
}

// TestRequestRefusals: bad input is refused before the store is touched
// (the service here has none).
func TestRequestRefusals(t *testing.T) {
	s, ctx := testService(), context.Background()
	_, err := s.Rename(ctx, "ana", 1, NarrativeName{})
	apperrtest.Invalid(t, "Rename", err, "name: give the narrative's name", "name")
	_, err = s.Merge(ctx, "ana", 1, MergeFrom{})
	apperrtest.Invalid(t, "Merge", err, "from: give the narrative to merge in", "from")
	_, err = s.Split(ctx, "ana", 1, SplitOff{Items: make([]int64, 10001)})
	apperrtest.Invalid(t, "Split", err, "items: at most 10000", "items")
	_, err = s.AddInput(ctx, "ana", ItemInput{Text: "x", Time: "soon"})
	if apperr.FieldOf(err) != "time" || !strings.HasPrefix(err.Error(), "time: ") {
		t.Errorf("AddInput: %v", err)
	}
	_, err = s.ImportUpload(ctx, "ana", strings.NewReader(""), url.Values{"format": {"xml"}})
	apperrtest.Invalid(t, "ImportUpload", err, `format: "xml" is not csv or jsonl`, "format")
	_, err = s.ImportUpload(ctx, "ana", strings.NewReader(""), url.Values{"name": {"a\nb"}})
	apperrtest.Invalid(t, "ImportUpload name", err, "name: a file name of at most 200 bytes on one line", "name")
	_, err = s.ImportLexicon(ctx, "ana", strings.NewReader("nope\n"), url.Values{"name": {"words.csv"}})
	if apperr.FieldOf(err) != "file" || !strings.HasPrefix(err.Error(), "words.csv") {
		t.Errorf("ImportLexicon: %v", err)
	}
}

// FuzzParseQueries: any query string parses or is refused as bad input
// naming the parameter (an empty name too), never panics.
func FuzzParseQueries(f *testing.F) {
	apperrtest.FuzzQuery(f, []string{"narrative=3&harmful=1&q=x&limit=2", "from=2024-01-01&month=2024-13", "end=2024-02-30", "limit=-1&limit=2"}, func(t *testing.T, s string, q url.Values) {
		_, e1 := ParseItemFilter(q)
		_, e2 := ParseWhereQuery(q)
		_, e3 := ParseBriefEnd(q)
		for _, err := range []error{e1, e2, e3} {
			if _, given := q[apperr.FieldOf(err)]; err != nil && (!apperr.IsInvalid(err) || !given) {
				t.Errorf("%q: %v is not bad input naming its parameter", s, err)
			}
		}
	})
}

// termStore answers a fixed lexicon in the order a store gave it.
type termStore struct {
	Store
	terms []Term
}

func (s termStore) Terms(context.Context) ([]Term, error) {
	return append([]Term(nil), s.terms...), nil
}

// TestLexiconOrder: the lexicon is listed alphabetically across case and
// accents, then by language, whatever the store's collation (SQLite's put
// every capital before "a" and "é" after "z": the demo's Lexicon tab began
// "Afreurope, Africa, …, Immigrants, It's okay…, a bitch made").
func TestLexiconOrder(t *testing.T) {
	stored := []Term{{Term: "Zebra", Language: "en"}, {Term: "It's", Language: "en"}, {Term: "Afrique", Language: "fr"}, {Term: "a dirty", Language: "en"},
		{Term: "zone", Language: "fr"}, {Term: "élite", Language: "fr"}, {Term: "Eurafrica", Language: "en"}, {Term: "africa", Language: "en"},
		{Term: "immigrants", Language: "fr"}, {Term: "immigrants", Language: "en"}}
	got, err := (&Service{Store: termStore{terms: stored}}).Lexicon(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, tm := range got.Terms {
		order = append(order, tm.Term+"/"+tm.Language)
	}
	want := "a dirty/en africa/en Afrique/fr élite/fr Eurafrica/en immigrants/en immigrants/fr It's/en Zebra/en zone/fr"
	if s := strings.Join(order, " "); s != want {
		t.Errorf("lexicon order:\n got %s\nwant %s", s, want)
	}
}
