package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage/evindex"
)

// PostgreSQL batch upsert through the COPY protocol.
//
// An import on PostgreSQL runs on one dedicated connection (pgImportTx), so
// that the upserter can reach pgx's COPY support underneath database/sql
// inside the import transaction. A batch takes one of two paths:
//
//   - New events (the first batch, and every batch after one that held no
//     stored event): under a savepoint, the batch's ids are drawn from the
//     events id sequence and the batch is COPYed (binary) straight into the
//     events table. That is the whole work: the unique (source, source_id)
//     index is the look-up. If the COPY meets a stored event (unique
//     violation, also when another transaction has just committed it), the
//     batch is rolled back to the savepoint and merged instead.
//   - Merge: the batch is COPYed into a temporary staging table created in
//     the import transaction (ON COMMIT DROP; emptied with TRUNCATE before
//     each batch, which on a table created in the same transaction truncates
//     in place) and one statement merges it: a CTE reads the stored id and
//     whether the stored hash equals the new one (same snapshot); rows
//     stored with the same hash are left out; the rest go through INSERT …
//     SELECT … ON CONFLICT (source, source_id) DO UPDATE … WHERE the hash
//     differs; the result gives every event's id and Inserted / Updated /
//     Unchanged. While batches hold stored events (a re-import), later
//     batches go to the merge directly.
//
// Either way every event of the batch is validated first (UpsertBatch), the
// results are exact, every event's ID is set, and the batch is part of the
// one import transaction: a failing file writes nothing. Statements are sent
// with the simple query protocol, so each is planned for the table as it is
// then (a cached generic plan made while the table was small made an earlier
// version quadratic; docs/benchmarks/events.md). Figures in
// docs/benchmarks/events.md.

// pgImportState is an import's PostgreSQL-specific state.
type pgImportState struct {
	staged    bool   // staging table created in this transaction
	existing  bool   // the last batch held stored events: merge first
	savepoint bool   // a batch savepoint is open (released lazily)
	seq       uint32 // OID of the events id sequence
	buf       []byte // COPY data, reused
}

// pgStage is the staging table's name (a temporary table: one per session).
const pgStage = "vigil_import_stage"

// pgEventColumns are eventCols as a slice.
var pgEventColumns = func() []string {
	cols := strings.Split(strings.ReplaceAll(eventCols, "\n\t", " "), ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	return cols
}()

// pgStageSQL creates the staging table: ord (1-based position in the batch)
// and the events columns with exactly their types.
var pgStageSQL = `CREATE TEMP TABLE ` + pgStage + ` ON COMMIT DROP AS
	SELECT 0::integer AS ord, ` + strings.Join(pgEventColumns, ", ") + ` FROM events WITH NO DATA`

var pgMergeSQL = func() string {
	cols := pgEventColumns
	var sel, set []string
	for _, c := range cols {
		sel = append(sel, "s."+c)
		if c != "source" && c != "source_id" {
			set = append(set, c+" = excluded."+c)
		}
	}
	// old is read from the snapshot before the upsert, and rows stored with
	// the same hash are left out of the INSERT (ON CONFLICT DO UPDATE would
	// lock, and so write, each of them even when its WHERE is false).
	// RETURNING gives the ids of inserted and updated rows, (xmax = 0)
	// telling a fresh insert from an update even if another transaction
	// inserted the same id meanwhile.
	//
	// The stored row is looked up per staged row through a LATERAL subquery
	// that OFFSET 0 keeps from being flattened into a join, so it is always
	// a probe of the unique (source, source_id) index. As a join the planner
	// was free to scan the events table instead, and did: autovacuum's
	// ANALYZE of the table while an import is filling it (the committed
	// table is empty then) records 0 rows, every batch then scanned the
	// whole table, and a 300,000-row import took 7 minutes instead of
	// seconds.
	return `WITH old AS (
	SELECT s.ord, e.id, e.hash = s.hash AS same FROM ` + pgStage + ` s
	CROSS JOIN LATERAL (SELECT id, hash FROM events WHERE source = s.source AND source_id = s.source_id OFFSET 0) e
), up AS (
	INSERT INTO events (` + strings.Join(cols, ", ") + `)
	SELECT ` + strings.Join(sel, ", ") + ` FROM ` + pgStage + ` s LEFT JOIN old ON old.ord = s.ord
	WHERE old.same IS NOT TRUE ORDER BY s.ord
	ON CONFLICT (source, source_id) DO UPDATE SET ` + strings.Join(set, ", ") + `
	WHERE events.hash <> excluded.hash
	RETURNING id, source, source_id, (xmax = 0) AS inserted
)
SELECT s.ord, COALESCE(up.id, old.id, 0), up.id IS NOT NULL, COALESCE(up.inserted, false)
FROM ` + pgStage + ` s LEFT JOIN up ON up.source = s.source AND up.source_id = s.source_id
LEFT JOIN old ON old.ord = s.ord`
}()

// pgImportTx runs fn in a transaction on one connection taken from the pool
// for the whole import, committing if fn returns nil and rolling back
// otherwise (also on panic), like DB.Tx.
func (db *DB) pgImportTx(ctx context.Context, fn func(tx *sql.Tx, conn *sql.Conn) error) error {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return finishTx(tx, func() error { return fn(tx, conn) })
}

// pgxConn is what pgx's database/sql driver connection offers.
type pgxConn interface{ Conn() *pgx.Conn }

// pgUpsertBatch upserts validated, distinct events (hashes[i] is es[i]'s
// hash) and fills res and each event's ID.
func (u *upserter) pgUpsertBatch(ctx context.Context, es []*events.Event, hashes [][32]byte, res []events.UpsertResult) error {
	if u.conn == nil {
		return fmt.Errorf("events: upsert: no dedicated PostgreSQL connection")
	}
	if len(es) == 0 {
		return nil
	}
	return u.conn.Raw(func(dc any) error {
		pc, ok := dc.(pgxConn)
		if !ok {
			return fmt.Errorf("events: upsert: PostgreSQL driver %T is not pgx", dc)
		}
		c := pc.Conn()
		if !u.pg.existing {
			done, err := u.pgCopyNew(ctx, c, es, hashes, res)
			if err != nil || done {
				return err
			}
		}
		return u.pgMerge(ctx, c, es, hashes, res)
	})
}

// pgRelease returns the statement releasing an open batch savepoint, to be
// sent ahead of the next one.
func (u *upserter) pgRelease() string {
	if !u.pg.savepoint {
		return ""
	}
	u.pg.savepoint = false
	return "RELEASE SAVEPOINT vigil_batch; "
}

// pgCopyNew COPYs a batch of events not stored yet into the events table.
// It reports false, having written nothing, if one of them is stored.
func (u *upserter) pgCopyNew(ctx context.Context, c *pgx.Conn, es []*events.Event, hashes [][32]byte, res []events.UpsertResult) (bool, error) {
	if u.pg.seq == 0 {
		if err := c.QueryRow(ctx, `SELECT pg_get_serial_sequence('events', 'id')::regclass::oid`,
			pgx.QueryExecModeSimpleProtocol).Scan(&u.pg.seq); err != nil {
			return false, fmt.Errorf("events: upsert: id sequence: %w", err)
		}
	}
	q := u.pgRelease() + fmt.Sprintf("SAVEPOINT vigil_batch; SELECT nextval(%d::regclass) FROM generate_series(1, %d)", u.pg.seq, len(es))
	rs, err := c.PgConn().Exec(ctx, q).ReadAll()
	if err != nil {
		return false, fmt.Errorf("events: upsert: ids: %w", err)
	}
	u.pg.savepoint = true
	if len(rs) == 0 || len(rs[len(rs)-1].Rows) != len(es) {
		return false, fmt.Errorf("events: upsert: ids: unexpected reply")
	}
	ids := make([]int64, len(es))
	for i, r := range rs[len(rs)-1].Rows {
		if ids[i], err = strconv.ParseInt(string(r[0]), 10, 64); err != nil {
			return false, fmt.Errorf("events: upsert: ids: %w", err)
		}
	}
	if err := u.pgCopy(ctx, c, "events", "id", es, hashes, ids); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName != "events_pkey" {
			// A stored event: undo the batch and merge it.
			if _, err := c.Exec(ctx, `ROLLBACK TO SAVEPOINT vigil_batch`, pgx.QueryExecModeSimpleProtocol); err != nil {
				return false, fmt.Errorf("events: upsert: %w", err)
			}
			return false, nil
		}
		return false, fmt.Errorf("events: upsert: copy: %w", err)
	}
	for i, e := range es {
		e.ID, res[i] = ids[i], events.Inserted
		u.track(e)
	}
	u.changed = true
	return true, nil
}

// pgMerge stages a batch and merges it with pgMergeSQL.
func (u *upserter) pgMerge(ctx context.Context, c *pgx.Conn, es []*events.Event, hashes [][32]byte, res []events.UpsertResult) error {
	q := u.pgRelease()
	if !u.pg.staged {
		q += pgStageSQL
	} else {
		q += `TRUNCATE ` + pgStage
	}
	if _, err := c.PgConn().Exec(ctx, q).ReadAll(); err != nil {
		return fmt.Errorf("events: upsert: staging table: %w", err)
	}
	u.pg.staged = true
	if err := u.pgCopy(ctx, c, "pg_temp."+pgStage, "ord", es, hashes, nil); err != nil {
		return fmt.Errorf("events: upsert: copy: %w", err)
	}
	rows, err := c.Query(ctx, pgMergeSQL, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return fmt.Errorf("events: upsert: %w", err)
	}
	defer rows.Close()
	got, stored := 0, 0
	for rows.Next() {
		var (
			ord, id           int64
			written, inserted bool
		)
		if err := rows.Scan(&ord, &id, &written, &inserted); err != nil {
			return fmt.Errorf("events: upsert: %w", err)
		}
		if ord < 1 || ord > int64(len(es)) {
			return fmt.Errorf("events: upsert: row %d of %d returned", ord, len(es))
		}
		e, r := es[ord-1], &res[ord-1]
		e.ID = id
		switch {
		case !written:
			*r = events.Unchanged
		case inserted:
			*r = events.Inserted
		default:
			*r = events.Updated
		}
		if *r != events.Inserted {
			stored++
		}
		if written {
			u.changed = true
			u.track(e)
		}
		got++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("events: upsert: %w", err)
	}
	if got != len(es) {
		return fmt.Errorf("events: upsert: %d results for %d events", got, len(es))
	}
	u.pg.existing = stored > 0
	return nil
}

// pgCopyBinary encodes a batch in PostgreSQL's binary COPY format: first
// (the events' ids, bigint) or, if nil, the 1-based position in the batch
// (the staging table's ord, integer), then eventCols with the events
// table's types (text, bytea, integer, double precision). Written by hand
// rather than through pgx's CopyFrom, whose per-value encoding through
// interfaces took a quarter of the client's CPU time in a 300,000-row
// import (docs/benchmarks/events.md). buf is reused.
func pgCopyBinary(buf []byte, es []*events.Event, hashes [][32]byte, first []int64) ([]byte, error) {
	buf = append(buf[:0], "PGCOPY\n\377\r\n\000"...)
	buf = binary.BigEndian.AppendUint32(buf, 0) // flags
	buf = binary.BigEndian.AppendUint32(buf, 0) // header extension
	var err error
	i4 := func(field string, v int64) {
		if v < math.MinInt32 || v > math.MaxInt32 {
			if err == nil {
				err = apperr.Fieldf(apperr.KindInvalid, field, "%d is out of range for the store", v)
			}
			v = 0
		}
		buf = binary.BigEndian.AppendUint32(buf, 4)
		buf = binary.BigEndian.AppendUint32(buf, uint32(int32(v)))
	}
	f8 := func(v float64) {
		buf = binary.BigEndian.AppendUint32(buf, 8)
		buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(v))
	}
	txt := func(v string) {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v)))
		buf = append(buf, v...)
	}
	for i, e := range es {
		buf = binary.BigEndian.AppendUint16(buf, 30)
		if first != nil {
			buf = binary.BigEndian.AppendUint32(buf, 8)
			buf = binary.BigEndian.AppendUint64(buf, uint64(first[i]))
		} else {
			i4("ord", int64(i+1))
		}
		txt(e.Source)
		txt(e.SourceID)
		buf = binary.BigEndian.AppendUint32(buf, 32)
		buf = append(buf, hashes[i][:]...)
		buf = binary.BigEndian.AppendUint32(buf, 10)
		buf = e.DateStart.AppendFormat(buf, time.DateOnly)
		buf = binary.BigEndian.AppendUint32(buf, 10)
		buf = e.DateEnd.AppendFormat(buf, time.DateOnly)
		i4("date_prec", int64(e.DatePrecision))
		i4("date_start", evindex.Day(e.DateStart))
		i4("date_start", int64(e.Month()))
		f8(e.Lat)
		f8(e.Lon)
		i4("where_prec", int64(e.WherePrecision))
		txt(e.Country)
		txt(e.CountryCode)
		txt(e.Admin1)
		txt(e.Admin2)
		txt(e.Admin1Code)
		txt(e.Location)
		i4("cell", int64(e.GridCell))
		i4("violence", int64(e.Violence))
		txt(e.EventType)
		txt(e.SubEventType)
		txt(e.ConflictName)
		txt(e.SideA)
		txt(e.SideB)
		i4("best", int64(e.Best))
		i4("low", int64(e.Low))
		i4("high", int64(e.High))
		i4("civilian", int64(e.Civilian))
		txt(e.Notes)
		if err != nil {
			return buf, err
		}
	}
	buf = binary.BigEndian.AppendUint16(buf, 0xffff) // trailer (-1)
	return buf, nil
}

// pgCopy COPYs a batch into table (with the first column named first).
func (u *upserter) pgCopy(ctx context.Context, c *pgx.Conn, table, first string, es []*events.Event, hashes [][32]byte, ids []int64) error {
	var err error
	if u.pg.buf, err = pgCopyBinary(u.pg.buf, es, hashes, ids); err != nil {
		return err
	}
	tag, err := c.PgConn().CopyFrom(ctx, bytes.NewReader(u.pg.buf),
		`COPY `+table+` (`+first+`, `+strings.Join(pgEventColumns, ", ")+`) FROM STDIN (FORMAT binary)`)
	if err != nil {
		return err
	}
	if n := tag.RowsAffected(); int(n) != len(es) {
		return fmt.Errorf("copied %d of %d events", n, len(es))
	}
	return nil
}
