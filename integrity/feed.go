package integrity

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textscan"
	"html"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxFeedBytes bounds a feed document.
const MaxFeedBytes = 8 << 20

// FeedTimeout bounds a whole feed fetch (connection, headers and body).
const FeedTimeout = 30 * time.Second

// feedDoc covers RSS 2.0 (<rss><channel><item>) and Atom (<feed><entry>).
type feedDoc struct {
	XMLName xml.Name
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Title   string      `xml:"title"`
	Channel feedChannel `xml:"channel"`
	Entries []feedEntry `xml:"entry"`
}

type feedChannel struct {
	Title string      `xml:"title"`
	Items []feedEntry `xml:"item"`
}

type feedEntry struct {
	Title       string     `xml:"title"`
	GUID        string     `xml:"guid"`
	ID          string     `xml:"id"`
	Links       []feedLink `xml:"link"`
	Description string     `xml:"description"`
	Summary     string     `xml:"summary"`
	Content     string     `xml:"content"`
	Encoded     string     `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	PubDate     string     `xml:"pubDate"`
	Published   string     `xml:"published"`
	Updated     string     `xml:"updated"`
	Date        string     `xml:"http://purl.org/dc/elements/1.1/ date"`
	Enclosures  []feedLink `xml:"enclosure"`
	Lang        string     `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
}

type feedLink struct {
	Href string `xml:"href,attr"`
	URL  string `xml:"url,attr"`
	Rel  string `xml:"rel,attr"`
	Text string `xml:",chardata"`
}

// ParseFeed reads an RSS 2.0 or Atom document into items (kind article,
// via feed). source names the feed when it has no title. HTML in a
// description is reduced to its text. Errors name the feed and the line.
func (s *Service) ParseFeed(r io.Reader, name, source string) ([]*Item, error) {
	_, items, err := s.parseFeed(r, name, source)
	return items, err
}

// parseFeed is ParseFeed that also gives the feed's own title, on one line
// and at most MaxShort bytes (empty when it has none).
func (s *Service) parseFeed(r io.Reader, name, source string) (title string, items []*Item, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFeedBytes+1))
	if err != nil {
		return "", nil, apperr.FieldErr(apperr.KindInvalid, "feed", apperr.Textf("%s: the feed stopped before its end: %v", name, apperr.Detail(err)))
	}
	if len(data) > MaxFeedBytes {
		return "", nil, apperr.FieldErr(apperr.KindInvalid, "feed", apperr.Textf("%s: larger than %d bytes", name, MaxFeedBytes))
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported (want UTF-8)", label)
	}
	var doc feedDoc
	if err := dec.Decode(&doc); err != nil {
		line, _ := dec.InputPos()
		return "", nil, apperr.FieldErr(apperr.KindInvalid, "feed", apperr.Textf("%s:%d: not an RSS or Atom feed: %v", name, line, err))
	}
	var entries []feedEntry
	switch doc.XMLName.Local {
	case "rss":
		entries, title = doc.Channel.Items, doc.Channel.Title
	case "feed":
		entries, title = doc.Entries, doc.Title
	default:
		return "", nil, apperr.FieldErr(apperr.KindInvalid, "feed", apperr.Textf("%s:1: <%s> is not an RSS or Atom feed", name, doc.XMLName.Local))
	}
	title = textscan.Clip(oneLine(title), MaxShort)
	if source == "" {
		source = title
	}
	if source == "" {
		source = name
	}
	source = textscan.Clip(oneLine(source), MaxShort)
	for i, e := range entries {
		it := &Item{Via: ViaFeed, Kind: "article", Source: source}
		link := ""
		for _, l := range e.Links {
			if l.Rel == "" || l.Rel == "alternate" {
				link = strings.TrimSpace(l.Href + l.Text)
				break
			}
		}
		it.SourceID = strings.TrimSpace(firstNonEmpty(e.GUID, e.ID, link))
		if checkURL("url", link) == nil {
			it.URL = link
		}
		title := PlainText(e.Title)
		body := PlainText(firstNonEmpty(e.Encoded, e.Content, e.Description, e.Summary))
		it.Text = title
		if body != "" && !strings.HasPrefix(body, title) {
			it.Text = strings.TrimSpace(title + "\n" + body)
		} else if body != "" {
			it.Text = body
		}
		it.Text = textscan.Clip(it.Text, MaxText)
		if it.SourceID == "" && it.Text != "" {
			// No guid, id or link: the text itself identifies the entry.
			it.SourceID = fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(it.Text)))
		}
		if l := strings.ToLower(firstNonEmpty(e.Lang, doc.Lang)); len(l) >= 2 {
			it.Lang = l[:2]
		}
		if ts := strings.TrimSpace(firstNonEmpty(e.PubDate, e.Published, e.Date, e.Updated)); ts != "" {
			t, err := ParseTime(ts)
			if err != nil {
				t, err = time.Parse(time.RFC1123, ts) // RSS dates with a zone name
				var why error
				switch {
				case err != nil: // said with the value, not Go's parsing words
					why = apperr.Textf("%q is not a date (want e.g. Mon, 02 Jan 2006 15:04:05 GMT or 2006-01-02T15:04:05Z)", clipRunes(ts, 40))
				case t.Location().String() != "UTC" && !strings.HasSuffix(ts, "GMT"):
					why = apperr.Text("a named time zone other than GMT or UTC")
				}
				if why != nil {
					return "", nil, apperr.FieldErr(apperr.KindInvalid, "feed", apperr.Textf("%s: entry %d: date: %v", name, i+1, why))
				}
			}
			it.Time = t
		}
		for _, en := range e.Enclosures {
			if u := strings.TrimSpace(en.URL + en.Href); checkURL("media", u) == nil && len(it.Media) < MaxMedia {
				it.Media = append(it.Media, u)
			}
		}
		if err := s.Validate(it); err != nil {
			return "", nil, apperr.FieldErr(apperr.KindInvalid, "feed", apperr.Textf("%s: entry %d: %v", name, i+1, err))
		}
		items = append(items, it)
	}
	return title, items, nil
}

// clipRunes is s cut to n characters, … marking the cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// PlainText reduces HTML to its text: tags dropped, entities decoded,
// white space collapsed, control characters removed.
func PlainText(s string) string { return plainText(s, unicode.IsSpace) }

// PlainTextNoBreak is PlainText with the no-break spaces kept (only the
// white space BreakingSpace says is collapsed): a French text read on air
// or printed keeps « DEMO : » and « 87 % » together.
func PlainTextNoBreak(s string) string { return plainText(s, BreakingSpace) }

// BreakingSpace reports whether r is white space a line may break at: any
// but the no-break spaces French typography sets before : ; ! ? % » and
// after « (U+00A0, U+202F) and the figure space (U+2007).
func BreakingSpace(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' && r != '\u2007'
}

func plainText(s string, space func(rune) bool) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	t := html.UnescapeString(b.String())
	t = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' || r == 0x7f {
			return ' '
		}
		return r
	}, t)
	return strings.TrimFunc(strings.Join(strings.FieldsFunc(t, space), " "), space)
}

// FeedPoll is what a poll of a feed did, and the feed's own title as it
// read it (empty when it has none).
type FeedPoll struct {
	AddResult
	Title string `json:"title,omitempty"`
}

// PollFeed fetches a feed (with FeedTimeout unless the client has its own)
// and stores its entries: new ones analysed and filed into narratives,
// known ones (same feed and id) left as they are. Nothing is stored when
// the feed is unreachable or malformed.
func (s *Service) PollFeed(ctx context.Context, actor string, client *http.Client, url, source string) (FeedPoll, error) {
	return s.pollFeed(ctx, actor, client, url, source, IntakeFeed(0, url))
}

// pollFeed is PollFeed with where the items came from (Add's from).
func (s *Service) pollFeed(ctx context.Context, actor string, client *http.Client, url, source, from string) (FeedPoll, error) {
	if err := checkURL("url", url); err != nil || url == "" {
		return FeedPoll{}, fieldErr("url", "%q is not an http(s) URL", url)
	}
	if client == nil {
		client = &http.Client{Timeout: FeedTimeout}
	}
	ctx, cancel := context.WithTimeout(ctx, FeedTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return FeedPoll{}, err
	}
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout") {
			return FeedPoll{}, apperr.Textf("feed %s: timed out: %w", url, err)
		}
		return FeedPoll{}, apperr.Textf("feed %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return FeedPoll{}, apperr.Textf("feed %s: HTTP %s", url, httpStatusWord(resp.Status))
	}
	title, items, err := s.parseFeed(resp.Body, url, source)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout") {
			return FeedPoll{}, apperr.Textf("feed %s: timed out before the whole feed arrived", url)
		}
		return FeedPoll{}, err
	}
	if len(items) == 0 {
		return FeedPoll{Title: title}, nil
	}
	res, err := s.Add(ctx, actor, "integrity.feed.poll", from, items)
	return FeedPoll{AddResult: res, Title: title}, err
}
