package audit

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/internal/apperr"
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
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			t, err = time.Parse("2006-01-02", v)
		}
		if err != nil {
			return f, apperr.Invalid(p.name, fmt.Sprintf("%q is not an RFC 3339 time or a YYYY-MM-DD date", v))
		}
		*p.dst = t
	}
	var err error
	if f.Before, err = query.Int(q, "cursor", 0, 1, math.MaxInt64, "is not a positive integer from a previous answer's next"); err != nil {
		return f, err
	}
	n, err := query.Int(q, "limit", int64(f.Limit), 1, MaxLimit, fmt.Sprintf("must be an integer from 1 to %d", MaxLimit))
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
