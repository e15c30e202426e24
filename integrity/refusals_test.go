package integrity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// checkStore keeps one check (and a narrative for it) in memory: enough
// for the verification workflow's refusals.
type checkStore struct {
	Store
	c     Check
	queue []QueuedCheck // CheckQueue's answer, cut to its limit
	asked []string      // the states CheckQueue was asked for
}

func (s *checkStore) Narrative(ctx context.Context, id int64) (Narrative, error) {
	return Narrative{ID: id, Name: "claim"}, nil
}
func (s *checkStore) Check(ctx context.Context, narrative int64) (Check, error) { return s.c, nil }
func (s *checkStore) SaveCheck(ctx context.Context, actor, prevState string, c *Check, e CheckEntry) error {
	return nil
}
func (s *checkStore) CheckLog(ctx context.Context, narrative int64) ([]CheckEntry, error) {
	return nil, nil
}
func (s *checkStore) CheckBySlug(ctx context.Context, slug string) (Check, error) { return s.c, nil }
func (s *checkStore) PublishedChecks(ctx context.Context, limit int) ([]Check, error) {
	return nil, nil
}
func (s *checkStore) CheckReplies(ctx context.Context, narrative int64) (map[int64]string, error) {
	return nil, nil
}
func (s *checkStore) SaveReplies(ctx context.Context, actor string, narrative int64, a Answers) error {
	return nil
}
func (s *checkStore) CheckSenders(ctx context.Context, narrative int64) (int, int, error) {
	return 0, 0, nil
}
func (s *checkStore) CheckBroadcasts(ctx context.Context, narrative int64) ([]CheckBroadcast, error) {
	return nil, nil
}
func (s *checkStore) LinkBroadcast(ctx context.Context, actor string, narrative int64, l BroadcastLink) error {
	return nil
}
func (s *checkStore) TiplineSenderKeys(ctx context.Context, narrative int64) (map[int64]string, error) {
	return nil, nil
}
func (s *checkStore) CheckQueue(ctx context.Context, state string, limit int) ([]QueuedCheck, error) {
	s.asked = append(s.asked, state)
	return append([]QueuedCheck(nil), s.queue[:min(limit, len(s.queue))]...), nil
}

// TestRefusalMessages: the package's refusals that were English only carry
// their whole text as a catalog message (apperr Key and Args, as the API
// answers them): its English is the error's text exactly as it always
// read, its French a French text with every placeholder filled; an
// export's problems name the file, line and column in words. Every message
// of the catalogs (Refusals, lexicon.Refusals) is checked with sample
// arguments too.
func TestRefusalMessages(t *testing.T) {
	ctx := context.Background()
	s := testService()
	read := func(name, data string) func() error {
		return func() error { _, err := readAll(t, s, data, name, ImportOptions{}); return err }
	}
	str := func(v string) *string { return &v }
	f := func(x float64) *float64 { return &x }
	item := func(mod func(*Item)) func() error {
		return func() error {
			it := &Item{Via: ViaImport, Source: "s", SourceID: "1", Text: "hello", Time: s.now().Add(-time.Hour)}
			mod(it)
			return s.Validate(it)
		}
	}
	update := func(state string, u CheckUpdate) func() error {
		return func() error {
			cs := &Service{Store: &checkStore{c: Check{Narrative: 1, State: state, Claim: "claim"}}, Now: s.Now}
			_, err := cs.UpdateCheck(ctx, "a", 1, u)
			return err
		}
	}
	published := time.Now()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.URL + "/f.xml"
	closed.Close()
	many := strings.Repeat("id,source,text,shares\n", 1)
	for i := 0; i < 25; i++ {
		many += "1,x,hi,lots\n"
	}
	cases := []struct {
		name string
		err  func() error
		fr   string // the whole French text, when checked
	}{
		{"bad count", read("export.csv", "id,source,text,shares\n1,x,hello,many\n"), "fichier export.csv, ligne 2, colonne shares\u00a0: «\u202fmany\u202f» n’est pas un nombre entier"},
		{"two lines", read("export.csv", "id,source,text,lat,lon,time\n1,x,hi,1,east,\n2,x,hi,,,yesterday\n"),
			"fichier export.csv, ligne 2, colonne lon\u00a0: «\u202feast\u202f» n’est pas un nombre\u202f; fichier export.csv, ligne 3, colonne time\u00a0: «\u202fyesterday\u202f» n’est pas une date (attendu par ex. 2024-03-01T14:05:00Z ou 2024-03-01 14:05)"},
		{"more than listed", read("export.csv", many), ""},
		{"jsonl field", read("e.jsonl", `{"id":"1","source":"x","text":"hi","shares":"lots"}`+"\n"), "fichier e.jsonl, ligne 1, champ shares\u00a0: «\u202flots\u202f» n’est pas un nombre entier"},
		{"jsonl not object", read("e.jsonl", "[1]\n"), "fichier e.jsonl, ligne 1\u00a0: pas un objet JSON\u00a0: json\u00a0: valeur de premier niveau\u00a0: un tableau ne convient pas, il faut un objet"},
		{"jsonl two values", read("e.jsonl", `{"id":"1"} {"id":"2"}`+"\n"), "fichier e.jsonl, ligne 1\u00a0: plus d’une valeur JSON sur la ligne"},
		{"header", read("h.csv", "who,what\n1,2\n"), ""},
		{"header, source given", func() error {
			_, err := readAll(t, s, "text\nhi\n", "h.csv", ImportOptions{Source: "radio"})
			return err
		}, "fichier h.csv, ligne 1\u00a0: l’en-tête n’a pas de colonne pour id (ou url)"},
		{"empty", read("e.csv", ""), "fichier e.csv, ligne 1\u00a0: fichier vide\u00a0: une ligne d’en-tête est attendue"},
		{"no rows", read("e.csv", "id,source,text\n"), "fichier e.csv, ligne 1\u00a0: aucune ligne"},
		{"bare quote", read("q.csv", "id,source,text\n1,x,a\"b\n"), "fichier q.csv, ligne 2\u00a0: colonne 6\u00a0: guillemet \" dans un champ sans guillemets"},
		{"quote", read("q.csv", "id,source,text\n1,x,\"a\"b\n"), ""},
		{"record from line", read("q.csv", "id,source,text\n1,x,\"a\nb\"c\n"), ""},
		{"long line", read("l.jsonl", strings.Repeat("x", MaxLineBytes+1)+"\n"), ""},
		{"format", func() error { return s.ReadExport(strings.NewReader(""), "f", ImportOptions{Format: "xml"}, nil) }, "format\u00a0: «\u202fxml\u202f» n’est ni csv ni jsonl"},
		{"kind", item(func(it *Item) { it.Kind = "poem" }), ""},
		{"lang", item(func(it *Item) { it.Lang = "fra" }), ""},
		{"future", item(func(it *Item) { it.Time = s.now().AddDate(1, 0, 0) }), ""},
		{"old", item(func(it *Item) { it.Time = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) }), ""},
		{"count", item(func(it *Item) { it.Shares = -1 }), ""},
		{"lat alone", item(func(it *Item) { it.Lat = f(1) }), ""},
		{"latitude", item(func(it *Item) { it.Lat, it.Lon = f(91), f(1) }), ""},
		{"longitude", item(func(it *Item) { it.Lat, it.Lon = f(1), f(181) }), ""},
		{"place name", item(func(it *Item) { it.Lat, it.Lon = f(1), f(1) }), ""},
		{"media", item(func(it *Item) { it.Media = make([]string, MaxMedia+1) }), ""},
		{"url", item(func(it *Item) { it.URL = "ftp://x" }), ""},
		{"required", item(func(it *Item) { it.Text = " " }), "text\u00a0: est requis"},
		{"required id", item(func(it *Item) { it.SourceID = "" }), ""},
		{"too long", item(func(it *Item) { it.Author = strings.Repeat("a", MaxAuthor+1) }), ""},
		{"utf-8", item(func(it *Item) { it.Author = "\xff" }), ""},
		{"control", item(func(it *Item) { it.Text = "a\x01" }), "text\u00a0: contient un caractère de contrôle (U+0001)"},
		{"one line", item(func(it *Item) { it.Author = "a\nb" }), ""},
		{"feed url", func() error { return CheckFeed(&Feed{URL: "gopher://x"}) }, "url\u00a0: «\u202fgopher://x\u202f» n’est pas une URL http(s)"},
		{"feed address", func() error { return CheckFeed(&Feed{URL: "http://169.254.169.254/x"}) }, ""},
		{"feed every", func() error { return CheckFeed(&Feed{URL: "http://example.org/f", EveryMinutes: 1}) }, ""},
		{"feed poll url", func() error { _, err := s.PollFeed(ctx, "a", nil, "nope", ""); return err }, ""},
		{"feed HTTP", func() error { _, err := s.PollFeed(ctx, "a", nil, missing.URL+"/f.xml", ""); return err }, `le serveur du flux ` + missing.URL + "/f.xml a répondu HTTP 404 (adresse introuvable\u202f; vérifiez l’adresse du flux)"},
		{"feed unreachable", func() error { _, err := s.PollFeed(ctx, "a", nil, gone, ""); return err }, ""},
		{"feed not XML", func() error { _, err := s.ParseFeed(strings.NewReader("<rss><channel>"), "f.xml", ""); return err }, ""},
		{"feed root", func() error { _, err := s.ParseFeed(strings.NewReader("<html></html>"), "f.xml", ""); return err },
			"feed\u00a0: f.xml, ligne 1\u00a0: <html> n’est pas un flux RSS ou Atom"},
		{"feed large", func() error {
			_, err := s.ParseFeed(strings.NewReader(strings.Repeat(" ", MaxFeedBytes+1)), "f.xml", "")
			return err
		}, ""},
		{"feed entry", func() error {
			_, err := s.ParseFeed(strings.NewReader(`<rss><channel><item><guid>g1</guid></item></channel></rss>`), "f.xml", "s")
			return err
		}, ""},
		{"feed date", func() error {
			_, err := s.ParseFeed(strings.NewReader(`<rss><channel><item><title>x</title><link>http://a/1</link><pubDate>Mon, 02 Jan 2006 15:04:05 CET</pubDate></item></channel></rss>`), "f.xml", "s")
			return err
		}, "feed\u00a0: f.xml\u00a0: entrée 1\u00a0: date\u00a0: un fuseau horaire nommé autre que GMT ou UTC"},
		{"feed date unreadable", func() error {
			_, err := s.ParseFeed(strings.NewReader(`<rss><channel><item><title>x</title><link>http://a/1</link><pubDate>someday</pubDate></item></channel></rss>`), "f.xml", "s")
			return err
		}, "feed\u00a0: f.xml\u00a0: entrée 1\u00a0: date\u00a0: «\u202fsomeday\u202f» n’est pas une date (attendu par ex. Mon, 02 Jan 2006 15:04:05 GMT ou 2006-01-02T15:04:05Z)"},
		{"term variant", func() error { return CheckTerm(&Term{Term: "x", Variants: []string{"a|b"}}) }, ""},
		{"term severity", func() error { return CheckTerm(&Term{Term: "x", Severity: 9}) }, ""},
		{"term meaning", func() error { return CheckTerm(&Term{Term: "x", Severity: 1, MeaningPct: 5}) }, ""},
		{"lexicon entry", func() error {
			_, err := s.ImportTerms(ctx, "a", []lexicon.Entry{{Term: "ok", Severity: 1}, {Term: "x", Severity: 7}}, "l.csv")
			return err
		}, "severity\u00a0: entrée 2\u00a0: 7 n’est pas 1 (faible), 2 (moyenne) ou 3 (élevée)"},
		{"manual time", func() error { _, err := s.AddInput(ctx, "a", ItemInput{Text: "x", Time: "soon"}); return err }, ""},
		{"upload format", func() error {
			_, err := s.ImportUpload(ctx, "a", strings.NewReader(""), url.Values{"format": {"xml"}})
			return err
		}, ""},
		{"rename", func() error { _, err := s.Rename(ctx, "a", 1, NarrativeName{}); return err }, "name\u00a0: donnez le nom du récit"},
		{"merge from", func() error { _, err := s.Merge(ctx, "a", 1, MergeFrom{}); return err }, ""},
		{"split many", func() error { _, err := s.Split(ctx, "a", 1, SplitOff{Items: make([]int64, 10001)}); return err }, "items\u00a0: au plus 10000"},
		{"where country", func() error { _, err := ParseWhereQuery(url.Values{"country": {strings.Repeat("c", 201)}}); return err }, ""},
		{"merge self", func() error { _, err := s.MergeNarratives(ctx, "a", 1, 1); return err }, ""},
		{"split none", func() error { _, err := s.SplitNarrative(ctx, "a", 1, nil, ""); return err }, ""},
		{"model id", func() error { m := int64(-1); _, err := s.Activate(ctx, "a", Activation{Model: &m}); return err }, ""},
		{"model none", func() error { _, err := s.Activate(ctx, "a", Activation{}); return err }, "model\u00a0: est requis\u00a0: un identifiant de modèle (0\u00a0: le modèle intégré)"},
		{"label no item", func() error { _, err := s.LabelRequested(ctx, "a", LabelRequest{}); return err }, "item\u00a0: est requis"},
		{"label none", func() error {
			_, err := s.LabelRequested(ctx, "a", LabelRequest{Item: new(int64)})
			return err
		}, "label\u00a0: est requis\u00a0: harmful, normal, ou « » (vide) pour retirer l’étiquette"},
		{"rating without move", update(CheckVerifying, CheckUpdate{Rating: str("false")}), ""},
		{"one step", update(CheckVerifying, CheckUpdate{Claim: str("a"), Assignee: str("b")}), ""},
		{"unknown state", update(CheckVerifying, CheckUpdate{State: str("done")}), ""},
		{"transition", update(CheckNew, CheckUpdate{State: str(CheckResponded)}),
			"state\u00a0: une vérification ne peut pas passer de l’état « Nouveau » à l’état « Réponse envoyée » (états permis\u00a0: « En veille », « En vérification », « Clos »)"},
		{"transition from closed", update(CheckClosed, CheckUpdate{State: str(CheckRated)}),
			"state\u00a0: une vérification ne peut pas passer de l’état « Clos » à l’état « Évalué » (états permis\u00a0: « En veille »)"},
		{"no rating", update(CheckVerifying, CheckUpdate{State: str(CheckRated)}), ""},
		{"bad rating", update(CheckVerifying, CheckUpdate{State: str(CheckRated), Rating: str("meh")}), ""},
		{"no summary", update(CheckVerifying, CheckUpdate{State: str(CheckRated), Rating: str("false")}), ""},
		{"deadline", update(CheckVerifying, CheckUpdate{Deadline: str("soon")}), ""},
		{"deadline far", update(CheckVerifying, CheckUpdate{Deadline: str("1999-01-01")}), ""},
		{"evidence", update(CheckVerifying, CheckUpdate{Evidence: str("")}), ""},
		{"respond unpublished", update(CheckResponsePlanned, CheckUpdate{State: str(CheckResponded)}), ""},
		{"no check store", func() error { _, err := s.UpdateCheck(ctx, "a", 1, CheckUpdate{}); return err }, "la vérification demande un stockage qui garde les vérifications"},
		{"no replier", func() error { _, err := s.SendAnswers(ctx, "a", "", 1); return err }, ""},
		{"publish unrated", func() error {
			cs := &Service{Store: &checkStore{c: Check{Narrative: 1, State: CheckVerifying}}}
			_, err := cs.Publish(ctx, "a", 1)
			return err
		}, "state\u00a0: seule une affirmation évaluée est publiée (celle-ci est à l’état « En vérification »)"},
		{"no fact-check", func() error {
			_, err := (&Service{Store: &checkStore{}}).FactCheck(ctx, "not-a-slug")
			return err
		}, "aucune vérification publiée à cette adresse"},
		{"claim fixed", func() error {
			cs := &Service{Store: &checkStore{c: Check{Narrative: 1, State: CheckRated, Rating: "false", PublishedAt: &published}}}
			_, err := cs.UpdateCheck(ctx, "a", 1, CheckUpdate{Claim: str("other")})
			return err
		}, ""},
	}
	reached := map[string]bool{}
	for _, c := range cases {
		for _, k := range apperrtest.Said(t, c.name, c.err(), c.fr) {
			reached[k] = true
		}
	}
	for _, k := range []string{"integrity.refusal.at-line-json", apperr.KeyAtLineField, apperr.KeyList, apperr.KeyListMore, "integrity.refusal.transition", "integrity.refusal.feed-root"} {
		if !reached[k] {
			t.Errorf("%s: no case says it", k)
		}
	}
	apperrtest.Catalog(t, Refusals, nil)
	apperrtest.Catalog(t, lexicon.Refusals, nil)
}

// TestStateWords: every state of a check is said as a catalog word, its
// English the state quoted (as the API's refusals always wrote it) and its
// French the Verify page's label in guillemets (web/ui TestStatusWordsAgree
// keeps the labels equal).
func TestStateWords(t *testing.T) {
	for _, st := range CheckStates {
		m, ok := apperr.MessageOf(StateWord(st))
		if !ok || m.Text("en") != strconv.Quote(st) || !strings.HasPrefix(m.Text("fr"), "« ") {
			t.Errorf("%s: %v %q / %q", st, ok, m.Text("en"), m.Text("fr"))
		}
	}
	if w := StateWord("odd"); w != `"odd"` {
		t.Errorf("an unknown state: %v", w)
	}
}

// TestAllowedWords: the states a check may move to from each state are
// said as one catalog word, its English the API's names joined by commas
// (as a refused transition always listed them) and its French the state
// words' French, the Verify page's labels.
func TestAllowedWords(t *testing.T) {
	for _, from := range CheckStates {
		m, ok := apperr.MessageOf(AllowedWord(from))
		var fr []string
		for _, to := range Transitions[from] {
			w, _ := apperr.MessageOf(StateWord(to))
			fr = append(fr, w.Text("fr"))
		}
		if !ok || m.Text("en") != strings.Join(Transitions[from], ", ") || m.Text("fr") != strings.Join(fr, ", ") {
			t.Errorf("%s: %v %q / %q", from, ok, m.Text("en"), m.Text("fr"))
		}
	}
	if len(allowedWords) != len(CheckStates) {
		t.Errorf("%d lists of allowed states, want %d", len(allowedWords), len(CheckStates))
	}
	if w := AllowedWord("odd"); w != "" {
		t.Errorf("an unknown state: %q", w)
	}
}
