package contacts

import (
	"context"
	"io"
	"net/url"

	"github.com/vigil-project/vigil/internal/nonnil"
)

// The requests of the contacts API (/api/v1/contacts, /api/v1/broadcasts)
// as the service answers them.

// Imported counts the contacts an upload added.
type Imported struct {
	Imported int `json:"imported"`
}

// ImportUpload imports a contacts CSV (the body of POST
// /api/v1/contacts/import[?name=FILE][&consent=HOW]): name names it in
// errors (upload.csv when absent or too long); consent is how the people
// agreed, for rows without a consent column.
func (s *Service) ImportUpload(ctx context.Context, actor string, r io.Reader, q url.Values) (Imported, error) {
	name := q.Get("name")
	if name == "" || len(name) > 200 {
		name = "upload.csv"
	}
	rows, err := ParseCSV(r, name, q.Get("consent"))
	if err != nil {
		return Imported{}, err
	}
	n, err := s.Import(ctx, actor, rows)
	return Imported{n}, err
}

// RecentBroadcasts lists the latest 100 broadcasts, newest first (never
// null), a scheduled one whose audience reaches no one now marked so
// (NoOneNow).
func (s *Service) RecentBroadcasts(ctx context.Context) ([]Broadcast, error) {
	bs, err := s.ListBroadcasts(ctx, 100)
	if err == nil {
		err = s.markNoOneNow(ctx, bs)
	}
	return nonnil.List(bs, err)
}
