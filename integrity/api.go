package integrity

import (
	"bytes"
	"cmp"
	"context"
	"html/template"
	"io"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/integrity/fold"
	"github.com/vigil-project/vigil/integrity/lexicon"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/download"
	"github.com/vigil-project/vigil/internal/lang"
	"github.com/vigil-project/vigil/internal/nonnil"
	"github.com/vigil-project/vigil/internal/query"
)

// The requests of the integrity API (/api/v1/integrity/…, /factcheck/…) as
// the service answers them: queries are parsed here (errors are bad input
// naming the parameter), bodies are the input types below, and answers are
// what the handler encodes.

// ParseItemFilter reads the query of GET /api/v1/integrity/items
// [?narrative=ID][&harmful=1][&q=TEXT][&limit=N][&offset=N].
func ParseItemFilter(q url.Values) (ItemFilter, error) {
	var f ItemFilter
	if err := query.Check(q, "narrative", "harmful", "q", "limit", "offset"); err != nil {
		return f, err
	}
	var err error
	if f.Narrative, err = query.Int(q, "narrative", 0, 0, math.MaxInt64, query.NotID); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		n, err := query.Int(q, p.name, 0, 0, 1_000_000, query.NotCount)
		if err != nil {
			return f, err
		}
		*p.dst = int(n)
	}
	if f.Harmful, err = query.Bool(q, "harmful"); err != nil {
		return f, err
	}
	f.Query, err = query.Text(q, "q", 200)
	return f, err
}

// ItemPage is a page of items: {"items": [...], "total": N} (never null),
// N the count of the items the filter selects, on every page.
type ItemPage struct {
	Items []Item `json:"items"`
	Total int    `json:"total"`
}

// ItemList returns the page of the items f selects, with their count.
func (s *Service) ItemList(ctx context.Context, f ItemFilter) (ItemPage, error) {
	items, err := nonnil.List(s.Items(ctx, f))
	if err != nil {
		return ItemPage{}, err
	}
	total, err := s.Store.CountMatching(ctx, f)
	return ItemPage{items, total}, err
}

// ItemInput is an item entered by hand (a rumour heard at a meeting, a
// radio note).
type ItemInput struct {
	Text      string   `json:"text"`
	Source    string   `json:"source"`
	Kind      string   `json:"kind"`
	Lang      string   `json:"lang"`
	Author    string   `json:"author"`
	Time      string   `json:"time"`
	URL       string   `json:"url"`
	Place     string   `json:"place"`
	Lat       *float64 `json:"lat"`
	Lon       *float64 `json:"lon"`
	Media     []string `json:"media"`
	Shares    int64    `json:"shares"`
	Reactions int64    `json:"reactions"`
	Views     int64    `json:"views"`
	Replies   int64    `json:"replies"`
}

// AddInput analyses and stores an item entered by hand by actor.
func (s *Service) AddInput(ctx context.Context, actor string, in ItemInput) (Item, error) {
	it := Item{Via: ViaManual, Text: in.Text, Source: strings.TrimSpace(in.Source), Kind: in.Kind, Lang: in.Lang,
		Author: strings.TrimSpace(in.Author), URL: strings.TrimSpace(in.URL), Place: strings.TrimSpace(in.Place), Lat: in.Lat, Lon: in.Lon,
		Media: in.Media, Engagement: Engagement{Shares: in.Shares, Reactions: in.Reactions, Views: in.Views, Replies: in.Replies}}
	if strings.TrimSpace(in.Time) != "" {
		t, err := ParseTime(in.Time)
		if err != nil {
			return Item{}, apperr.FieldErr(apperr.KindInvalid, "time", err)
		}
		it.Time = t
	}
	return s.AddOne(ctx, actor, it)
}

// ImportUpload imports a monitoring export (the body of POST
// /api/v1/integrity/import?name=FILE[&source=S][&format=csv|jsonl]); the
// answer is the counts.
func (s *Service) ImportUpload(ctx context.Context, actor string, r io.Reader, q url.Values) (AddResult, error) {
	if err := query.Check(q, "name", "source", "format"); err != nil {
		return AddResult{}, err
	}
	name, err := query.FileName(q, "upload")
	if err != nil {
		return AddResult{}, err
	}
	format := q.Get("format")
	if format != "" && format != "csv" && format != "jsonl" {
		return AddResult{}, fieldErr("format", "%q is not csv or jsonl", format)
	}
	res, err := s.Import(ctx, actor, r, name, ImportOptions{Source: strings.TrimSpace(q.Get("source")), Format: format})
	res.Items = nil // the counts are the answer
	return res, err
}

// NarrativeName is the body of PATCH /api/v1/integrity/narratives/{id}.
type NarrativeName struct {
	Name *string `json:"name"`
}

// Renamed is a narrative's new name.
type Renamed struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Rename gives narrative id the name in n.
func (s *Service) Rename(ctx context.Context, actor string, id int64, n NarrativeName) (Renamed, error) {
	if n.Name == nil {
		return Renamed{}, fieldErr("name", "give the narrative's name")
	}
	if err := s.RenameNarrative(ctx, actor, id, *n.Name); err != nil {
		return Renamed{}, err
	}
	return Renamed{id, strings.TrimSpace(*n.Name)}, nil
}

// MergeFrom is the body of POST /api/v1/integrity/narratives/{id}/merge:
// the narrative whose items join id.
type MergeFrom struct {
	From int64 `json:"from"`
}

// Merged says which narrative was merged into which, and what became of
// the merged narrative's check.
type Merged struct {
	ID     int64       `json:"id"`
	Merged int64       `json:"merged"`
	Check  MergedCheck `json:"check"`
}

// Merge moves the items of narrative m.From into narrative id.
func (s *Service) Merge(ctx context.Context, actor string, id int64, m MergeFrom) (Merged, error) {
	if m.From <= 0 {
		return Merged{}, fieldErr("from", "give the narrative to merge in")
	}
	mc, err := s.MergeNarratives(ctx, actor, id, m.From)
	if err != nil {
		return Merged{}, err
	}
	return Merged{id, m.From, mc}, nil
}

// SplitOff is the body of POST /api/v1/integrity/narratives/{id}/split:
// the items that leave for a new narrative, and its name.
type SplitOff struct {
	Items []int64 `json:"items"`
	Name  string  `json:"name"`
}

// Split is the narrative a split made, with what names it on a page as
// the narratives list names one (NarrativeStats: its name, else Sample,
// the text of its first item) and how many items it took, so the page
// that split it can say which narrative they now form and link to it.
type Split struct {
	Narrative
	Sample string `json:"sample"`
	Items  int    `json:"items"`
}

// Split moves sp.Items out of narrative id into a new narrative.
func (s *Service) Split(ctx context.Context, actor string, id int64, sp SplitOff) (Split, error) {
	if len(sp.Items) > 10000 {
		return Split{}, fieldErr("items", "at most %d", 10000)
	}
	n, err := s.SplitNarrative(ctx, actor, id, sp.Items, sp.Name)
	if err != nil {
		return Split{}, err
	}
	out := Split{Narrative: n}
	first := int64(0)
	seen := map[int64]bool{}
	for _, it := range sp.Items {
		if !seen[it] {
			seen[it] = true
			out.Items++
		}
		if first == 0 || it < first {
			first = it
		}
	}
	// The first item as the list orders them (by id): its sample.
	it, err := s.Store.Item(ctx, first)
	if err != nil {
		return Split{}, err
	}
	out.Sample = it.Text
	return out, nil
}

// TermCount is how many lexicon terms a load added.
type TermCount struct {
	Terms int `json:"terms"`
}

// TermList is the lexicon: {"terms": [...]} (never null).
type TermList struct {
	Terms []Term `json:"terms"`
}

// Lexicon returns the lexicon's terms in the order a reader looks them up:
// alphabetical across case and accents ("Africa", "afrique", "Allah",
// "élite", "Eurafrica"), then by language. The store's order is its
// collation's (SQLite's is by code point: every capital before "a", "é"
// after "z"; PostgreSQL's follows its locale), so it is not relied on.
func (s *Service) Lexicon(ctx context.Context) (TermList, error) {
	ts, err := nonnil.List(s.Terms(ctx))
	slices.SortStableFunc(ts, func(a, b Term) int {
		return cmp.Or(strings.Compare(fold.String(a.Term), fold.String(b.Term)), strings.Compare(a.Term, b.Term), strings.Compare(a.Language, b.Language))
	})
	return TermList{ts}, err
}

// CreateTerm adds a term to the lexicon (any id in t is ignored).
func (s *Service) CreateTerm(ctx context.Context, actor string, t Term) (Term, error) {
	t.ID = 0
	return s.SaveTerm(ctx, actor, t)
}

// EditTerm replaces the lexicon's term id with t.
func (s *Service) EditTerm(ctx context.Context, actor string, id int64, t Term) (Term, error) {
	t.ID = id
	return s.SaveTerm(ctx, actor, t)
}

// ImportLexicon adds the terms of a lexicon CSV (the body of POST
// /api/v1/integrity/terms/import?name=FILE).
func (s *Service) ImportLexicon(ctx context.Context, actor string, r io.Reader, q url.Values) (TermCount, error) {
	if err := query.Check(q, "name"); err != nil {
		return TermCount{}, err
	}
	name, err := query.FileName(q, "lexicon.csv")
	if err != nil {
		return TermCount{}, err
	}
	es, err := lexicon.ReadCSV(r, name)
	if err != nil {
		return TermCount{}, apperr.Wrap(apperr.KindInvalid, "file", err)
	}
	n, err := s.ImportTerms(ctx, actor, es, name)
	return TermCount{n}, err
}

// AddStarter adds the starter lexicon.
func (s *Service) AddStarter(ctx context.Context, actor string) (TermCount, error) {
	n, err := s.LoadStarter(ctx, actor)
	return TermCount{n}, err
}

// Published is a published check with its public page's address.
type Published struct {
	Check Check  `json:"check"`
	URL   string `json:"url"`
}

// PublishAt publishes narrative's check as a fact-check whose page is
// under base (the server's public address).
func (s *Service) PublishAt(ctx context.Context, actor, base string, narrative int64) (Published, error) {
	c, err := s.Publish(ctx, actor, narrative)
	if err != nil {
		return Published{}, err
	}
	return Published{c, PublicURL(base, c.Slug, "")}, nil
}

// RequestLang is the language of a public page: the lang parameter, else
// the one the Accept-Language header prefers (lang.Pick, as for the login
// page and the alert form).
func RequestLang(param, acceptLanguage string) string {
	if param != "" {
		return Lang(param)
	}
	return lang.Pick("", acceptLanguage)
}

// factCheckCSP is the public page's Content-Security-Policy: its own
// inline styles only.
const factCheckCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// FactCheckFile is the public fact-check page of slug in lang, its links
// under base.
func (s *Service) FactCheckFile(ctx context.Context, slug, base, lang string) (*download.File, error) {
	c, err := s.FactCheck(ctx, slug)
	if err != nil {
		return nil, err
	}
	page, err := s.FactCheckPage(c, base, lang)
	return &download.File{Type: "text/html; charset=utf-8", Header: map[string]string{"Content-Security-Policy": factCheckCSP}, Body: page}, err
}

// FactCheckMissing is the public page saying, in lang, that no published
// fact-check has the address a person followed (err, a not-found refusal,
// said in lang), with the link to all of them: the 404 of
// GET /factcheck/{slug} for a reader, not the API's JSON.
func FactCheckMissing(base, lang string, err error) *download.File {
	msg := err.Error()
	if m, ok := apperr.MessageOf(apperr.As(err)); ok {
		msg = m.Text(lang)
	}
	var b bytes.Buffer
	_ = factCheckMissing.Execute(&b, map[string]any{"Lang": lang, "T": pageText[lang], "Msg": msg, "Feed": FeedURL(base, lang)})
	return &download.File{Type: "text/html; charset=utf-8", Header: map[string]string{"Content-Security-Policy": factCheckCSP}, Body: b.Bytes()}
}

var factCheckMissing = template.Must(template.New("missing").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.T.factcheck}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;background:#fff;line-height:1.5}</style></head>
<body><h1>{{.T.factcheck}}</h1><p>{{.Msg}}</p><p><a href="{{.Feed}}">{{.T.feed}}</a></p></body>
</html>
`))

// FactCheckAtom is the Atom feed of the published fact-checks in lang.
func (s *Service) FactCheckAtom(ctx context.Context, base, lang string) (*download.File, error) {
	feed, err := s.FactCheckFeed(ctx, base, lang)
	return &download.File{Type: "application/atom+xml; charset=utf-8", Body: feed}, err
}

// ParseWhereQuery reads the query of GET /api/v1/integrity/where
// [?from=YYYY-MM-DD][&to=YYYY-MM-DD][&country=NAME][&month=YYYY-MM]; the
// country filter (Countries) is the caller's to set.
func ParseWhereQuery(q url.Values) (WhereQuery, error) {
	var wq WhereQuery
	if err := query.Check(q, "from", "to", "country", "month"); err != nil {
		return wq, err
	}
	var err error
	if wq.From, err = query.Day(q, "from"); err != nil {
		return wq, err
	}
	if wq.To, err = query.Day(q, "to"); err != nil {
		return wq, err
	}
	if m := q.Get("month"); m != "" {
		if wq.Month, err = coverage.MonthParam("month", m); err != nil {
			return wq, err
		}
	}
	if len(q.Get("country")) > 200 {
		return wq, fieldErr("country", "at most %d bytes", 200)
	}
	return wq, nil
}

// ParseBriefEnd reads the query of GET /api/v1/integrity/brief
// [?end=YYYY-MM-DD]: the brief's last day (zero: the newest item's).
func ParseBriefEnd(q url.Values) (time.Time, error) {
	if err := query.Check(q, "end"); err != nil {
		return time.Time{}, err
	}
	return query.Day(q, "end")
}

// FeedInput is the body of POST /api/v1/integrity/feeds.
type FeedInput struct {
	URL          string `json:"url"`
	Source       string `json:"source"`
	EveryMinutes int    `json:"every_minutes"`
}

// AddFeed schedules the feed in.
func (s *Service) AddFeed(ctx context.Context, actor string, in FeedInput) (Feed, error) {
	return s.SaveFeed(ctx, actor, Feed{URL: in.URL, Source: in.Source, EveryMinutes: in.EveryMinutes})
}

// NarrativeList is the narratives with their figures: {"narratives": [...]}
// (never null).
type NarrativeList struct {
	Narratives []NarrativeStats `json:"narratives"`
}

// NarrativeTable lists the narratives with their figures.
func (s *Service) NarrativeTable(ctx context.Context) (NarrativeList, error) {
	ns, err := nonnil.List(s.Narratives(ctx))
	return NarrativeList{ns}, err
}

// SpikeList is the spike flags: {"spikes": [...]} (never null).
type SpikeList struct {
	Spikes []SpikeFlag `json:"spikes"`
}

// SpikeTable lists the spike flags.
func (s *Service) SpikeTable(ctx context.Context) (SpikeList, error) {
	fs, err := nonnil.List(s.Spikes(ctx))
	return SpikeList{fs}, err
}

// FeedList is the scheduled feeds: {"feeds": [...]} (never null).
type FeedList struct {
	Feeds []Feed `json:"feeds"`
}

// FeedTable lists the scheduled feeds.
func (s *Service) FeedTable(ctx context.Context) (FeedList, error) {
	fs, err := nonnil.List(s.Feeds(ctx))
	return FeedList{fs}, err
}
