package integrity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"maps"
	"strings"
	"time"

	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/internal/apperr"
	vlang "github.com/vigil-project/vigil/internal/lang"
)

// Published fact-checks: a public page per rated claim (English or
// French, no login), with schema.org ClaimReview JSON-LD, and an Atom feed
// of them. Everything shown is the analysts' own wording (claim, rating,
// answer), escaped: no item text or HTML is ever put in the page.

// DefaultMission is the author of fact-checks when Service.Mission is
// empty, and DefaultMissionFR its French name on French pages and feeds.
const (
	DefaultMission   = "United Nations peace operation"
	DefaultMissionFR = "Opération de paix des Nations Unies"
)

var ratingNames = map[string][2]string{ // en, fr
	"false":        {"False", "Faux"},
	"misleading":   {"Misleading", "Trompeur"},
	"true":         {"True", "Vrai"},
	"unverifiable": {"Unverifiable", "Invérifiable"},
}

// RatingName is a rating's name in lang ("en" or "fr").
func RatingName(rating, lang string) string {
	n, ok := ratingNames[rating]
	if !ok {
		return rating
	}
	if lang == "fr" {
		return n[1]
	}
	return n[0]
}

var pageText = map[string]map[string]string{
	"en": {"factcheck": "Fact-check", "claim": "Claim", "rating": "Rating", "answer": "What is true",
		"published": "Published", "by": "By", "feed": "All fact-checks (Atom feed)", "other": "Français", "feedTitle": "Fact-checks", "sep": ": "},
	"fr": {"factcheck": "Vérification des faits", "claim": "Affirmation", "rating": "Verdict", "answer": "Ce qui est vrai",
		"published": "Publié le", "by": "Par", "feed": "Toutes les vérifications (flux Atom)", "other": "English", "feedTitle": "Vérifications des faits", "sep": "\u00a0: "},
}

// PageWords are the public fact-check page's own words in lang ("en" or
// "fr"; a copy), for checks of their wording.
func PageWords(lang string) map[string]string { return maps.Clone(pageText[Lang(lang)]) }

// Lang returns "fr" for French and "en" for anything else.
func Lang(l string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(l)), "fr") {
		return "fr"
	}
	return "en"
}

// summary is the answer in lang, or in the other language when lang's is
// empty; it returns the language of the text given.
func (c Check) summary(lang string) (string, string) {
	en, fr := c.SummaryEN, c.SummaryFR
	if (lang == "fr" && fr != "") || en == "" {
		return fr, "fr"
	}
	return en, "en"
}

// mission is the author named in lang ("en" or "fr"): Service.Mission as
// configured (a proper name, the same in both), else the default's name in
// lang.
func (s *Service) mission(lang string) string {
	if strings.TrimSpace(s.Mission) != "" {
		return s.Mission
	}
	if lang == "fr" {
		return DefaultMissionFR
	}
	return DefaultMission
}

// ClaimReview is schema.org's ClaimReview as JSON-LD.
type ClaimReview struct {
	Context       string       `json:"@context"`
	Type          string       `json:"@type"`
	URL           string       `json:"url"`
	ClaimReviewed string       `json:"claimReviewed"`
	ReviewBody    string       `json:"reviewBody,omitempty"`
	InLanguage    string       `json:"inLanguage"`
	DatePublished string       `json:"datePublished"`
	Author        Organization `json:"author"`
	ReviewRating  Rating       `json:"reviewRating"`
	ItemReviewed  ClaimItem    `json:"itemReviewed"`
}

// Organization is a schema.org Organization.
type Organization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// Rating is a schema.org Rating named by its alternateName.
type Rating struct {
	Type          string `json:"@type"`
	AlternateName string `json:"alternateName"`
}

// ClaimItem is a schema.org Claim.
type ClaimItem struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// ClaimReviewJSON is the JSON-LD of a published check in lang.
func ClaimReviewJSON(c Check, mission, base, lang string) ([]byte, error) {
	sum, slang := c.summary(lang)
	cr := ClaimReview{Context: "https://schema.org", Type: "ClaimReview", URL: PublicURL(base, c.Slug, lang),
		ClaimReviewed: c.Claim, ReviewBody: sum, InLanguage: slang, Author: Organization{"Organization", mission},
		ReviewRating: Rating{"Rating", RatingName(c.Rating, lang)}, ItemReviewed: ClaimItem{"Claim", c.Claim}}
	if c.PublishedAt != nil {
		cr.DatePublished = c.PublishedAt.UTC().Format(time.DateOnly)
	}
	// json.Marshal escapes <, > and & (and U+2028/9): safe in a <script>.
	return json.MarshalIndent(cr, "", "  ")
}

// FactCheck returns a published check by its slug.
func (s *Service) FactCheck(ctx context.Context, slug string) (Check, error) {
	cs, err := s.checks()
	if err != nil {
		return Check{}, err
	}
	if len(slug) != 24 || strings.Trim(slug, "0123456789abcdef") != "" {
		return Check{}, errNoFactCheck
	}
	c, err := cs.CheckBySlug(ctx, slug)
	if errors.Is(err, apperr.ErrNotFound) {
		return c, errNoFactCheck // the store's bare "not found", said as the page's reader reads it
	}
	return c, err
}

var factCheckPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T.factcheck}}{{.T.sep}}{{.Check.Claim}}</title>
<link rel="alternate" type="application/atom+xml" href="{{.Feed}}" title="{{.T.feedTitle}}">
<script type="application/ld+json">{{.JSONLD}}</script>
<style>
body{font-family:system-ui,sans-serif;max-width:42rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;background:#fff;line-height:1.5}
.rating{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;font-weight:700;color:#fff;background:#5b616b}
.rating.false{background:#b50909}.rating.misleading{background:#8a4b00}.rating.true{background:#00703c}
a{color:#005ea2}footer{margin-top:2rem;font-size:.9rem;color:#454545}
blockquote{margin:0;padding:.5rem 1rem;border-left:4px solid #5b616b;background:#f0f0f0}
</style>
</head>
<body>
<header><p>{{.Mission}} · <a href="{{.Other}}" lang="{{.OtherLang}}" hreflang="{{.OtherLang}}">{{.T.other}}</a></p>
<h1>{{.T.factcheck}}</h1></header>
<main>
<h2>{{.T.claim}}</h2>
<blockquote id="claim">{{.Check.Claim}}</blockquote>
<h2>{{.T.rating}}</h2>
<p><span id="rating" class="rating {{.Check.Rating}}">{{.Rating}}</span></p>
<h2>{{.T.answer}}</h2>
<p id="answer" lang="{{.SummaryLang}}">{{.Summary}}</p>
<p>{{.T.published}} <time datetime="{{.Date}}">{{.Day}}</time> · {{.T.by}} {{.Mission}}</p>
</main>
<footer><a href="{{.Feed}}">{{.T.feed}}</a></footer>
</body>
</html>
`))

// FactCheckPage renders a published check as a standalone HTML page in
// lang, everything escaped, with its ClaimReview JSON-LD.
func (s *Service) FactCheckPage(c Check, base, lang string) ([]byte, error) {
	lang = Lang(lang)
	ld, err := ClaimReviewJSON(c, s.mission(lang), base, lang)
	if err != nil {
		return nil, err
	}
	other := "fr"
	if lang == "fr" {
		other = "en"
	}
	sum, slang := c.summary(lang)
	date, day := "", ""
	if c.PublishedAt != nil { // the reader's words ("2 décembre 2026"); the machine's in datetime
		date, day = c.PublishedAt.UTC().Format(time.DateOnly), vlang.Day(c.PublishedAt.UTC(), lang)
	}
	var b bytes.Buffer
	err = factCheckPage.Execute(&b, map[string]any{
		"Lang": lang, "T": pageText[lang], "Check": c, "Mission": s.mission(lang), "Rating": RatingName(c.Rating, lang),
		"Summary": sum, "SummaryLang": slang, "Date": date, "Day": day, "JSONLD": template.JS(ld),
		"Other": PublicURL(base, c.Slug, other), "OtherLang": other, "Feed": FeedURL(base, lang),
	})
	return b.Bytes(), err
}

// FeedURL is the Atom feed's address in lang.
func FeedURL(base, lang string) string {
	u := strings.TrimRight(base, "/") + "/factcheck/feed.atom"
	if lang == "fr" {
		u += "?lang=fr"
	}
	return u
}

// FactCheckFeed renders checks (newest first) as an Atom feed in lang.
func FactCheckFeed(checks []Check, mission, base, lang string) ([]byte, error) {
	lang = Lang(lang)
	head := capxml.Feed{ID: strings.TrimRight(base, "/") + "/factcheck/feed.atom", Title: pageText[lang]["feedTitle"] + " — " + mission,
		Author: mission, SelfURL: FeedURL(base, lang), Lang: lang}
	var es []capxml.FeedEntry
	for _, c := range checks {
		if c.PublishedAt == nil {
			continue
		}
		sum, slang := c.summary(lang)
		es = append(es, capxml.FeedEntry{ID: PublicURL(base, c.Slug, ""), Title: RatingName(c.Rating, lang) + pageText[lang]["sep"] + c.Claim,
			Published: *c.PublishedAt, Updated: *c.PublishedAt, Link: PublicURL(base, c.Slug, lang), LinkType: "text/html",
			Summary: sum, SummaryLang: slang, Category: c.Rating, CategoryLabel: RatingName(c.Rating, lang)})
	}
	var b bytes.Buffer
	err := capxml.WriteAtom(&b, head, es)
	return b.Bytes(), err
}

// FactCheckFeed is the Atom feed of the newest published fact-checks.
func (s *Service) FactCheckFeed(ctx context.Context, base, lang string) ([]byte, error) {
	cs, err := s.checks()
	if err != nil {
		return nil, err
	}
	checks, err := cs.PublishedChecks(ctx, 50)
	if err != nil {
		return nil, err
	}
	return FactCheckFeed(checks, s.mission(Lang(lang)), base, lang)
}
