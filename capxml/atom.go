package capxml

import (
	"encoding/xml"
	"io"
	"time"
)

// FeedEntry is one published alert in an Atom feed.
type FeedEntry struct {
	ID      string    // stable URI or URN of the alert
	Title   string    // headline
	Summary string    // short description
	Updated time.Time // last change
	Link    string    // URL of the CAP XML document
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
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

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Summary string   `xml:"summary,omitempty"`
	Link    atomLink `xml:"link"`
}

// WriteFeed writes an Atom 1.0 feed (RFC 4287) listing CAP alerts, each
// entry linking to its CAP document with type application/cap+xml — the
// form CAP aggregators (Google Public Alerts, WMO's register) poll.
func WriteFeed(w io.Writer, id, title, author, selfURL string, entries []FeedEntry) error {
	f := atomFeed{ID: id, Title: title, Author: atomAuthor{author},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: selfURL}}}
	var latest time.Time
	for _, e := range entries {
		if e.Updated.After(latest) {
			latest = e.Updated
		}
		f.Entries = append(f.Entries, atomEntry{
			ID: e.ID, Title: e.Title, Updated: e.Updated.UTC().Format(time.RFC3339), Summary: e.Summary,
			Link: atomLink{Rel: "alternate", Type: "application/cap+xml", Href: e.Link},
		})
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
