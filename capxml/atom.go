package capxml

import (
	"encoding/xml"
	"io"
	"time"
)

// FeedEntry is one entry of an Atom feed (a published alert, a fact-check).
type FeedEntry struct {
	ID      string    // stable URI or URN of the entry
	Title   string    // headline
	Summary string    // short description
	Updated time.Time // last change
	Link    string    // URL of the entry's document (the CAP XML document)
	// Optional: LinkType defaults to application/cap+xml; the others are
	// left out when empty.
	LinkType    string
	Published   time.Time
	SummaryLang string // xml:lang of the summary
	Category    string
	// CategoryLabel is the category said for people (a fact-check's
	// verdict in the feed's language: « Faux » for term false).
	CategoryLabel string
}

// Feed is an Atom feed's head: its id, title, author, self link and
// language (xml:lang, left out when empty).
type Feed struct {
	ID, Title, Author, SelfURL, Lang string
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Lang string `xml:"xml:lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Published string        `xml:"published,omitempty"`
	Updated   string        `xml:"updated"`
	Summary   *atomText     `xml:"summary,omitempty"`
	Link      atomLink      `xml:"link"`
	Category  *atomCategory `xml:"category,omitempty"`
}

// WriteFeed writes an Atom 1.0 feed (RFC 4287) listing CAP alerts, each
// entry linking to its CAP document with type application/cap+xml — the
// form CAP aggregators (Google Public Alerts, WMO's register) poll.
func WriteFeed(w io.Writer, id, title, author, selfURL string, entries []FeedEntry) error {
	return WriteAtom(w, Feed{ID: id, Title: title, Author: author, SelfURL: selfURL}, entries)
}

// WriteAtom writes an Atom 1.0 feed (RFC 4287) of entries; its updated
// time is the latest entry's (the epoch when there is none).
func WriteAtom(w io.Writer, head Feed, entries []FeedEntry) error {
	f := atomFeed{Lang: head.Lang, ID: head.ID, Title: head.Title, Author: atomAuthor{head.Author},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: head.SelfURL}}}
	var latest time.Time
	for _, e := range entries {
		if e.Updated.After(latest) {
			latest = e.Updated
		}
		lt := e.LinkType
		if lt == "" {
			lt = "application/cap+xml"
		}
		ae := atomEntry{ID: e.ID, Title: e.Title, Updated: e.Updated.UTC().Format(time.RFC3339),
			Link: atomLink{Rel: "alternate", Type: lt, Href: e.Link}}
		if e.Summary != "" {
			ae.Summary = &atomText{Lang: e.SummaryLang, Text: e.Summary}
		}
		if !e.Published.IsZero() {
			ae.Published = e.Published.UTC().Format(time.RFC3339)
		}
		if e.Category != "" {
			ae.Category = &atomCategory{e.Category, e.CategoryLabel}
		}
		f.Entries = append(f.Entries, ae)
	}
	if latest.IsZero() {
		latest = time.Unix(0, 0)
	}
	f.Updated = latest.UTC().Format(time.RFC3339)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
