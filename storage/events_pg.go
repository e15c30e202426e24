package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigil-project/vigil/events"
)

// PostgreSQL batch upsert: one statement per batch that passes the batch as
// 29 column arrays (unnest), remembers which rows already existed and with
// which hash, and upserts them all with INSERT … ON CONFLICT DO UPDATE …
// WHERE the hash differs. One round trip per batch instead of one look-up,
// one multi-row insert and one UPDATE per changed row (the portable path in
// events.go). Figures in docs/benchmarks/events.md.

// pgBatchRows bounds the rows of one statement (memory, not a protocol
// limit: arrays are one parameter each).
const pgBatchRows = 5000

// pgEventCasts are the array types of the 29 eventCols, in order.
var pgEventCasts = []string{"text", "text", "bytea", "text", "text", "int8", "int8", "int8", "float8", "float8", "int8",
	"text", "text", "text", "text", "text", "text", "int8", "int8",
	"text", "text", "text", "text", "text", "int8", "int8", "int8", "int8", "text"}

var pgUpsertSQL = func() string {
	cols := strings.Split(strings.ReplaceAll(eventCols, "\n\t", " "), ",")
	var un, sel, set []string
	for i, c := range cols {
		c = strings.TrimSpace(cols[i])
		cols[i] = c
		un = append(un, fmt.Sprintf("$%d::%s[]", i+1, pgEventCasts[i]))
		sel = append(sel, "i."+c)
		if c != "source" && c != "source_id" {
			set = append(set, c+" = excluded."+c)
		}
	}
	// ord keeps the batch order; old is read from the snapshot before the
	// upsert, and rows stored with the same hash are left out of the INSERT
	// (ON CONFLICT DO UPDATE would lock, and so write, each of them even
	// when its WHERE is false). RETURNING gives the ids of inserted and
	// updated rows, (xmax = 0) telling a fresh insert from an update even if
	// another transaction inserted the same id meanwhile.
	return `WITH i AS (
	SELECT * FROM unnest(` + strings.Join(un, ", ") + `) WITH ORDINALITY AS t(` + strings.Join(cols, ", ") + `, ord)
), old AS (
	SELECT i.ord, e.id, e.hash = i.hash AS same FROM i JOIN events e ON e.source = i.source AND e.source_id = i.source_id
), up AS (
	INSERT INTO events (` + strings.Join(cols, ", ") + `)
	SELECT ` + strings.Join(sel, ", ") + ` FROM i LEFT JOIN old ON old.ord = i.ord
	WHERE old.same IS NOT TRUE ORDER BY i.ord
	ON CONFLICT (source, source_id) DO UPDATE SET ` + strings.Join(set, ", ") + `
	WHERE events.hash <> excluded.hash
	RETURNING id, source, source_id, (xmax = 0) AS inserted
)
SELECT i.ord, COALESCE(up.id, old.id, 0), up.id IS NOT NULL, COALESCE(up.inserted, false)
FROM i LEFT JOIN up ON up.source = i.source AND up.source_id = i.source_id
LEFT JOIN old ON old.ord = i.ord`
}()

// pgUpsertBatch upserts validated, distinct events (hashes[i] is es[i]'s
// hash) and fills res and each event's ID.
func (u *upserter) pgUpsertBatch(ctx context.Context, es []*events.Event, hashes [][32]byte, res []events.UpsertResult) error {
	if !u.pgReady {
		// Statements are prepared once per connection, and after five runs
		// PostgreSQL may switch to a generic plan made while the table was
		// still small. The previous look-up + multi-row insert path slowed
		// to ~55 rows/s that way on a 300,000-row import (17.6 s with custom
		// plans; docs/benchmarks/events.md). Plan each batch afresh.
		if _, err := u.tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return fmt.Errorf("events: upsert: %w", err)
		}
		u.pgReady = true
	}
	for start := 0; start < len(es); start += pgBatchRows {
		chunk := es[start:min(len(es), start+pgBatchRows)]
		n := len(chunk)
		var (
			txt  [16][]string
			ints [10][]int64
			flts [2][]float64
			hs   = make([][]byte, n)
		)
		for k := range txt {
			txt[k] = make([]string, n)
		}
		for k := range ints {
			ints[k] = make([]int64, n)
		}
		for k := range flts {
			flts[k] = make([]float64, n)
		}
		for j, e := range chunk {
			h := hashes[start+j]
			hs[j] = h[:]
			t := []*string{&e.Source, &e.SourceID, nil, nil, &e.Country, &e.CountryCode, &e.Admin1, &e.Admin2,
				&e.Admin1Code, &e.Location, &e.EventType, &e.SubEventType, &e.ConflictName, &e.SideA, &e.SideB, &e.Notes}
			for k, p := range t {
				if p != nil {
					txt[k][j] = *p
				}
			}
			txt[2][j] = e.DateStart.Format("2006-01-02")
			txt[3][j] = e.DateEnd.Format("2006-01-02")
			for k, v := range []int64{int64(e.DatePrecision), dayOf(e.DateStart), int64(e.Month()), int64(e.WherePrecision),
				int64(e.GridCell), int64(e.Violence), int64(e.Best), int64(e.Low), int64(e.High), int64(e.Civilian)} {
				ints[k][j] = v
			}
			flts[0][j], flts[1][j] = e.Lat, e.Lon
		}
		// Arguments in eventCols order.
		args := []any{txt[0], txt[1], hs, txt[2], txt[3], ints[0], ints[1], ints[2], flts[0], flts[1], ints[3],
			txt[4], txt[5], txt[6], txt[7], txt[8], txt[9], ints[4], ints[5],
			txt[10], txt[11], txt[12], txt[13], txt[14], ints[6], ints[7], ints[8], ints[9], txt[15]}
		rows, err := u.tx.QueryContext(ctx, pgUpsertSQL, args...)
		if err != nil {
			return fmt.Errorf("events: upsert: %w", err)
		}
		got := 0
		for rows.Next() {
			var (
				ord               int64
				id                int64
				written, inserted bool
			)
			if err := rows.Scan(&ord, &id, &written, &inserted); err != nil {
				rows.Close()
				return fmt.Errorf("events: upsert: %w", err)
			}
			if ord < 1 || ord > int64(n) {
				rows.Close()
				return fmt.Errorf("events: upsert: row %d of %d returned", ord, n)
			}
			e := chunk[ord-1]
			e.ID = id
			r := &res[start+int(ord)-1]
			switch {
			case !written:
				*r = events.Unchanged
			case inserted:
				*r = events.Inserted
			default:
				*r = events.Updated
			}
			if written {
				u.changed = true
				u.track(e)
			}
			got++
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("events: upsert: %w", err)
		}
		if got != n {
			return fmt.Errorf("events: upsert: %d results for %d events", got, n)
		}
	}
	return nil
}
