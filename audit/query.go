package audit

import (
	"context"
	"math"
	"net/url"
	"strconv"

	"github.com/vigil-project/vigil/internal/query"
)

// QueryParams are the parameters Query reads.
var QueryParams = []string{"actor", "action", "object", "since", "until", "cursor", "limit"}

// ParseQuery reads an audit query: actor, action (exact, or a prefix
// ending in "."), object, since/until (RFC 3339 or YYYY-MM-DD), cursor (the
// "next" of the previous page) and limit (1 to MaxLimit; 100 when absent).
// A bad value is invalid input naming its parameter.
func ParseQuery(q url.Values) (Filter, error) {
	f := Filter{Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), Limit: 100}
	var err error
	if f.Since, err = query.Time(q, "since"); err != nil {
		return f, err
	}
	if f.Until, err = query.Time(q, "until"); err != nil {
		return f, err
	}
	if f.Before, err = query.Int(q, "cursor", 0, 1, math.MaxInt64, query.NotAfter); err != nil {
		return f, err
	}
	n, err := query.Int(q, "limit", int64(f.Limit), 1, MaxLimit, query.Between(1, MaxLimit))
	f.Limit = int(n)
	return f, err
}

// Query answers the audit query q from log, newest first: {"records": […]}
// (never null) and, when the page is full, "next", the cursor of the page
// that follows.
func Query(ctx context.Context, log Log, q url.Values) (map[string]any, error) {
	f, err := ParseQuery(q)
	if err != nil {
		return nil, err
	}
	recs, err := log.AuditLog(ctx, f)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"records": recs}
	if recs == nil {
		out["records"] = []Record{}
	}
	if len(recs) == f.Limit {
		out["next"] = strconv.FormatInt(recs[len(recs)-1].ID, 10)
	}
	return out, nil
}
