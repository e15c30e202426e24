package audit

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
)

// pageLog answers every query with n records, ids n down to 1, and keeps
// the filter it was asked.
type pageLog struct {
	n   int
	got Filter
}

func (p *pageLog) Record(context.Context, Entry) error { return nil }

func (p *pageLog) AuditLog(_ context.Context, f Filter) ([]Record, error) {
	p.got = f
	var out []Record
	for i := p.n; i > 0; i-- {
		out = append(out, Record{ID: int64(i)})
	}
	return out, nil
}

// queryCase is an audit query and what it must select and answer.
type queryCase struct {
	query     string
	records   int
	want      Filter
	wantNext  string // "" : no next page
	wantField string // a refusal naming this parameter
	wantErr   string
}

func TestQuery(t *testing.T) {
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []queryCase{
		{query: "", want: Filter{Limit: 100}},
		{query: "actor=ada&action=user.&object=user:vic", records: 3, want: Filter{Actor: "ada", Action: "user.", Object: "user:vic", Limit: 100}},
		{query: "since=2026-11-02&until=2026-11-02T00:00:00Z", want: Filter{Since: day, Until: day, Limit: 100}},
		{query: "limit=2&cursor=40", records: 2, want: Filter{Before: 40, Limit: 2}, wantNext: "1"},
		{query: "limit=3", records: 2, want: Filter{Limit: 3}},
		{query: "since=yesterday", wantField: "since", wantErr: `since: "yesterday" is not an RFC 3339 time or a YYYY-MM-DD date`},
		{query: "until=2026-13-01", wantField: "until"},
		{query: "cursor=0", wantField: "cursor", wantErr: `cursor: "0" is not a positive integer from a previous answer's next`},
		{query: "limit=1001", wantField: "limit", wantErr: `limit: "1001" must be an integer from 1 to 1000`},
		{query: "limit=x", wantField: "limit"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, _ := url.ParseQuery(tc.query)
			log := &pageLog{n: tc.records}
			out, err := Query(context.Background(), log, q)
			if tc.wantField != "" {
				if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.wantField || (tc.wantErr != "" && err.Error() != tc.wantErr) {
					t.Fatalf("error %v, want invalid %s %q", err, tc.wantField, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if log.got != tc.want {
				t.Errorf("filter %+v, want %+v", log.got, tc.want)
			}
			if recs, ok := out["records"].([]Record); !ok || recs == nil || len(recs) != tc.records {
				t.Errorf("records %#v: want %d, never null", out["records"], tc.records)
			}
			if next, _ := out["next"].(string); next != tc.wantNext {
				t.Errorf("next %q, want %q", next, tc.wantNext)
			}
		})
	}
}
