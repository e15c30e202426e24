package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
)

var _ integrity.Store = (*DB)(nil)

const integrityTime = "2006-01-02T15:04:05Z"

// itemRows is the most rows one multi-row statement of SaveItems writes
// (29 parameters an item: 11,600, within SQLite's 32,766 and PostgreSQL's
// 65,535).
const itemRows = 400

// SaveItems inserts new items and updates the engagement counts of known
// ones (same source and source id), creating the new narratives first,
// audited with detail (empty: the counts).
//
// An import can hold 100,000 items: narratives, look-ups, items and their
// terms go a few hundred rows at a time in multi-row statements, each
// prepared once per size, not one round trip per row. The result is that
// of writing the items one by one in order: an item given twice is
// inserted once, then updated with the later counts.
func (db *DB) SaveItems(ctx context.Context, actor, action, detail string, narratives []integrity.Narrative, items []*integrity.Item) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		b := &batchWriter{ctx: ctx, db: db, stmtCache: stmtCache{tx: tx}}
		defer b.close()
		err := b.run(`INSERT INTO integrity_narratives (id, name, status, merged_into, split_from, created) VALUES `, 6, len(narratives), ``, nil,
			func(i int) []any {
				n := narratives[i]
				return []any{n.ID, n.Name, n.Status, n.MergedInto, n.SplitFrom, n.Created.UTC().Format(integrityTime)}
			}, nil)
		if err != nil {
			return fmt.Errorf("save narratives: %w", err)
		}
		// the items already stored, by source and source id
		ids := map[string]int64{}
		bySource := map[string][]string{}
		var sources []string
		for _, it := range items {
			if _, ok := bySource[it.Source]; !ok {
				sources = append(sources, it.Source)
			}
			bySource[it.Source] = append(bySource[it.Source], it.SourceID)
		}
		for _, src := range sources {
			sids := bySource[src]
			err := b.run(`SELECT source_id, id FROM integrity_items WHERE source = ? AND source_id IN (`, 1, len(sids), `)`, []any{src},
				func(i int) []any { return []any{sids[i]} }, func(sc rowScanner) error {
					var sid string
					var id int64
					err := sc.Scan(&sid, &id)
					ids[(&integrity.Item{Source: src, SourceID: sid}).Key()] = id
					return err
				})
			if err != nil {
				return err
			}
		}
		// the first item of each other key is inserted, the rest updated
		var fresh []*integrity.Item
		isNew := make([]bool, len(items))
		queued := map[string]bool{}
		for i, it := range items {
			k := it.Key()
			if _, ok := ids[k]; !ok && !queued[k] {
				queued[k] = true
				isNew[i] = true
				fresh = append(fresh, it)
			}
		}
		err = b.run(`INSERT INTO integrity_items (source, source_id, kind, via, text, lang, author_sealed, posted, day, url,
				shares, reactions, views, replies, place, place_from, lat, lon, media, score, label, reasons, matches, narrative_id, created,
				admin1, country, place_conf, sender_key) VALUES `, 29, len(fresh), ` RETURNING id, source, source_id`, nil,
			func(i int) []any {
				it := fresh[i]
				media, _ := json.Marshal(nonNil(it.Media))
				reasons, _ := json.Marshal(nonNil(it.Reasons))
				matches, _ := json.Marshal(nonNil(it.Matches))
				posted := it.Time.UTC().Format(integrityTime)
				return []any{it.Source, it.SourceID, it.Kind, it.Via, it.Text, it.Lang, nullBytes(it.AuthorSealed), posted, posted[:10], it.URL,
					it.Shares, it.Reactions, it.Views, it.Replies, it.Place, it.PlaceFrom, it.Lat, it.Lon, string(media),
					it.Score, it.Label, string(reasons), string(matches), it.Narrative, it.Created.UTC().Format(integrityTime),
					it.Admin1, it.Country, it.PlaceConfidence, it.SenderKey}
			}, func(sc rowScanner) error {
				var id int64
				var src, sid string
				err := sc.Scan(&id, &src, &sid)
				ids[(&integrity.Item{Source: src, SourceID: sid}).Key()] = id
				return err
			})
		if err != nil {
			return fmt.Errorf("insert items: %w", err)
		}
		type termRow struct {
			id             int64
			term, grp, day string
		}
		var terms []termRow
		for _, it := range fresh {
			it.ID = ids[it.Key()]
			if it.ID == 0 {
				return fmt.Errorf("insert items: no id returned for %s %s", it.Source, it.SourceID)
			}
			for _, m := range it.Matches {
				terms = append(terms, termRow{it.ID, m.Term, m.Group, it.Time.UTC().Format(integrityTime)[:10]})
			}
		}
		err = b.run(`INSERT INTO integrity_item_terms (item_id, term, grp, day) VALUES `, 4, len(terms), ``, nil,
			func(i int) []any { t := terms[i]; return []any{t.id, t.term, t.grp, t.day} }, nil)
		if err != nil {
			return err
		}
		upd, err := b.stmt(ctx, db.Rebind(`UPDATE integrity_items SET shares = ?, reactions = ?, views = ?, replies = ? WHERE id = ?`))
		if err != nil {
			return err
		}
		for i, it := range items {
			if isNew[i] {
				continue
			}
			it.ID = ids[it.Key()]
			if _, err := upd.ExecContext(ctx, it.Shares, it.Reactions, it.Views, it.Replies, it.ID); err != nil {
				return fmt.Errorf("update item: %w", err)
			}
		}
		if detail == "" {
			detail = fmt.Sprintf("%d items, %d new narratives", len(items), len(narratives))
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: "integrity:items", Detail: detail})
	})
}

// batchWriter runs multi-row statements in one transaction, each prepared
// once per size.
type batchWriter struct {
	ctx context.Context
	db  *DB
	stmtCache
}

// run runs head, a list of up to itemRows rows of cols placeholders, and
// tail, for rows 0..total-1 a chunk at a time, with the arguments pre and
// then args(i) of each row; each (nil: none) reads every row answered.
func (b *batchWriter) run(head string, cols, total int, tail string, pre []any, args func(i int) []any, each func(rowScanner) error) error {
	for start := 0; start < total; start += itemRows {
		n := min(itemRows, total-start)
		st, err := b.stmt(b.ctx, b.db.Rebind(head+valueRows(cols, n)+tail))
		if err != nil {
			return err
		}
		a := append(make([]any, 0, len(pre)+n*cols), pre...)
		for i := start; i < start+n; i++ {
			a = append(a, args(i)...)
		}
		if each == nil {
			if _, err := st.ExecContext(b.ctx, a...); err != nil {
				return err
			}
			continue
		}
		rows, err := st.QueryContext(b.ctx, a...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := each(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// itemLabel is the SQL expression of the analyst's label of the item row
// table (a table name or alias of integrity_items): NULL when none.
func itemLabel(table string) string {
	return `(SELECT l.label FROM integrity_labels l WHERE l.item_id = ` + table + `.id)`
}

var itemCols = `id, source, source_id, kind, via, text, lang, author_sealed IS NOT NULL, posted, url, shares, reactions, views, replies,
	place, place_from, lat, lon, media, score, label, reasons, matches, narrative_id, created, admin1, country, place_conf,
	COALESCE(` + itemLabel("integrity_items") + `, ''),
	COALESCE((SELECT l.class FROM integrity_labels l WHERE l.item_id = integrity_items.id), '')`

func scanItem(sc rowScanner) (integrity.Item, error) {
	var it integrity.Item
	var posted, created, media, reasons, matches string
	var lat, lon, conf sql.NullFloat64
	if err := sc.Scan(&it.ID, &it.Source, &it.SourceID, &it.Kind, &it.Via, &it.Text, &it.Lang, &it.HasAuthor, &posted, &it.URL,
		&it.Shares, &it.Reactions, &it.Views, &it.Replies, &it.Place, &it.PlaceFrom, &lat, &lon, &media,
		&it.Score, &it.Label, &reasons, &matches, &it.Narrative, &created, &it.Admin1, &it.Country, &conf, &it.Labelled, &it.LabelClass); err != nil {
		return it, err
	}
	if conf.Valid {
		it.PlaceConfidence = &conf.Float64
	}
	it.Time, _ = time.Parse(integrityTime, posted)
	it.Created, _ = time.Parse(integrityTime, created)
	it.Lat, it.Lon = parseNullPoint(lat, lon)
	_ = json.Unmarshal([]byte(media), &it.Media)
	_ = json.Unmarshal([]byte(reasons), &it.Reasons)
	_ = json.Unmarshal([]byte(matches), &it.Matches)
	return it, nil
}

// itemWhere is the WHERE clause of the items f selects (its filters, not
// its page), with its arguments.
func (db *DB) itemWhere(f integrity.ItemFilter) (string, []any) {
	q := ` WHERE 1 = 1`
	var args []any
	if f.Narrative != 0 {
		q += ` AND narrative_id = ?`
		args = append(args, f.Narrative)
	}
	if f.Harmful {
		q += ` AND ` + integrity.HarmfulSQL(itemLabel("integrity_items"), "score")
	}
	if f.Query != "" {
		q += ` AND ` + db.lower("text") + ` LIKE ? ESCAPE '\'`
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(f.Query))
		args = append(args, "%"+esc+"%")
	}
	return q, args
}

// Items lists items, newest first.
func (db *DB) Items(ctx context.Context, f integrity.ItemFilter) ([]integrity.Item, error) {
	where, args := db.itemWhere(f)
	q := `SELECT ` + itemCols + ` FROM integrity_items` + where + ` ORDER BY posted DESC, id DESC LIMIT ? OFFSET ?`
	return queryAll(ctx, db, db.SQL, scanItem, q, append(args, f.Limit, f.Offset)...)
}

// CountMatching counts the items f selects, whatever its page (its Limit and
// Offset).
func (db *DB) CountMatching(ctx context.Context, f integrity.ItemFilter) (int, error) {
	where, args := db.itemWhere(f)
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM integrity_items`+where, args...).Scan(&n)
	return n, err
}

// Item returns one item.
func (db *DB) Item(ctx context.Context, id int64) (integrity.Item, error) {
	return notFound(scanItem(db.QueryRow(ctx, db.SQL, `SELECT `+itemCols+` FROM integrity_items WHERE id = ?`, id)))
}

// ItemTexts calls fn for every item in id order.
func (db *DB) ItemTexts(ctx context.Context, fn func(integrity.ItemText) error) error {
	return eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var it integrity.ItemText
		var src, sid string
		if err := sc.Scan(&it.ID, &src, &sid, &it.Text, &it.Narrative); err != nil {
			return err
		}
		it.Key = src + "\x1f" + sid
		return fn(it)
	}, `SELECT id, source, source_id, text, narrative_id FROM integrity_items ORDER BY id`)
}

// RevealAuthor returns an item's sealed author handle, audited.
func (db *DB) RevealAuthor(ctx context.Context, actor string, id int64) ([]byte, error) {
	var sealed []byte
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		err := db.QueryRow(ctx, tx, `SELECT author_sealed FROM integrity_items WHERE id = ?`, id).Scan(&sealed)
		if err != nil {
			return noRows(err, apperr.ErrNotFound)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.author.reveal", Object: "integrity-item:" + strconv.FormatInt(id, 10)})
	})
	return sealed, err
}

// Narratives returns the live narratives with their counts.
func (db *DB) Narratives(ctx context.Context) ([]integrity.NarrativeStats, error) {
	rows, err := db.Query(ctx, db.SQL, `SELECT n.id, n.name, n.status, n.split_from, n.created, COUNT(i.id),
		CAST(COALESCE(SUM(CASE WHEN `+integrity.HarmfulSQL(itemLabel("i"), "i.score")+` THEN 1 ELSE 0 END), 0) AS BIGINT),
		CAST(COALESCE(SUM(i.shares + i.reactions + i.views + i.replies), 0) AS BIGINT),
		MIN(i.posted), MAX(i.posted), MAX(i.score),
		(SELECT f.text FROM integrity_items f WHERE f.narrative_id = n.id ORDER BY f.id LIMIT 1)
		FROM integrity_narratives n JOIN integrity_items i ON i.narrative_id = n.id
		WHERE n.merged_into = 0
		GROUP BY n.id, n.name, n.status, n.split_from, n.created ORDER BY n.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []integrity.NarrativeStats
	for rows.Next() {
		var n integrity.NarrativeStats
		var created, first, last string
		if err := rows.Scan(&n.ID, &n.Name, &n.Status, &n.SplitFrom, &created, &n.Items, &n.Harmful, &n.Reach, &first, &last, &n.MaxScore, &n.Sample); err != nil {
			return nil, err
		}
		n.Created, _ = time.Parse(integrityTime, created)
		n.First, _ = time.Parse(integrityTime, first)
		n.Last, _ = time.Parse(integrityTime, last)
		out = append(out, n)
	}
	return out, rows.Err()
}

// NarrativeFacets counts items per narrative and facet value.
func (db *DB) NarrativeFacets(ctx context.Context, facet string) ([]integrity.Facet, error) {
	var q string
	switch facet {
	case "lang", "place", "source":
		q = `SELECT narrative_id, ` + facet + `, COUNT(*) FROM integrity_items GROUP BY narrative_id, ` + facet
	case "group":
		q = `SELECT i.narrative_id, t.grp, COUNT(DISTINCT i.id) FROM integrity_item_terms t JOIN integrity_items i ON i.id = t.item_id
			WHERE t.grp <> '' GROUP BY i.narrative_id, t.grp`
	default:
		return nil, fmt.Errorf("integrity: unknown facet %q", facet)
	}
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.Facet, error) {
		var f integrity.Facet
		err := sc.Scan(&f.Narrative, &f.Value, &f.N)
		return f, err
	}, q)
}

// Narrative returns one narrative.
func (db *DB) Narrative(ctx context.Context, id int64) (integrity.Narrative, error) {
	var n integrity.Narrative
	var created string
	err := db.QueryRow(ctx, db.SQL, `SELECT id, name, status, merged_into, split_from, created FROM integrity_narratives WHERE id = ?`, id).
		Scan(&n.ID, &n.Name, &n.Status, &n.MergedInto, &n.SplitFrom, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return n, apperr.ErrNotFound
	}
	n.Created, _ = time.Parse(integrityTime, created)
	return n, err
}

// MaxNarrativeID is the largest narrative id (0 if none).
func (db *DB) MaxNarrativeID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.QueryRow(ctx, db.SQL, `SELECT MAX(id) FROM integrity_narratives`).Scan(&id)
	return id.Int64, err
}

// RenameNarrative names a narrative, audited.
func (db *DB) RenameNarrative(ctx context.Context, actor string, id int64, name string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, apperr.ErrNotFound, `UPDATE integrity_narratives SET name = ? WHERE id = ?`, name, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.narrative.rename", Object: "integrity-narrative:" + strconv.FormatInt(id, 10)})
	})
}

// MergeNarratives moves from's items into into, marks from merged and
// carries from's check in progress (integrity.Store.MergeNarratives).
func (db *DB) MergeNarratives(ctx context.Context, actor string, into, from int64, at time.Time) (integrity.MergedCheck, error) {
	var mc integrity.MergedCheck
	return mc, db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if mc, err = db.mergeCheck(ctx, tx, actor, into, from, at); err != nil {
			return err
		}
		res, err := db.Exec(ctx, tx, `UPDATE integrity_narratives SET status = ?, merged_into = ? WHERE id = ? AND merged_into = 0`, integrity.StatusMerged, into, from)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		res, err = db.Exec(ctx, tx, `UPDATE integrity_items SET narrative_id = ? WHERE narrative_id = ?`, into, from)
		if err != nil {
			return err
		}
		moved, _ := res.RowsAffected()
		// Narratives merged into from earlier now point at into.
		if _, err := db.Exec(ctx, tx, `UPDATE integrity_narratives SET merged_into = ? WHERE merged_into = ?`, into, from); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.narrative.merge", Object: "integrity-narrative:" + strconv.FormatInt(into, 10),
			Detail: fmt.Sprintf("merged narrative %d (%d items)", from, moved)})
	})
}

// SplitNarrative creates to and moves the given items of from into it.
func (db *DB) SplitNarrative(ctx context.Context, actor string, from int64, to integrity.Narrative, items []int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.Exec(ctx, tx, `INSERT INTO integrity_narratives (id, name, status, merged_into, split_from, created) VALUES (?, ?, ?, 0, ?, ?)`,
			to.ID, to.Name, to.Status, from, to.Created.UTC().Format(integrityTime)); err != nil {
			return err
		}
		for _, id := range items {
			if err := db.execOne(ctx, tx, apperr.Fieldf(apperr.KindInvalid, "items", "item %d is not in narrative %d", id, from), `UPDATE integrity_items SET narrative_id = ? WHERE id = ? AND narrative_id = ?`, to.ID, id, from); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.narrative.split", Object: "integrity-narrative:" + strconv.FormatInt(from, 10),
			Detail: fmt.Sprintf("%d items into narrative %d", len(items), to.ID)})
	})
}

// DailyCounts counts items per key and day.
func (db *DB) DailyCounts(ctx context.Context, by string) ([]integrity.DayCount, error) {
	var q string
	switch by {
	case "narrative":
		q = `SELECT CAST(narrative_id AS TEXT), day, COUNT(*) FROM integrity_items GROUP BY narrative_id, day`
	case "place":
		q = `SELECT place, day, COUNT(*) FROM integrity_items WHERE place <> '' GROUP BY place, day`
	case "term":
		q = `SELECT term, day, COUNT(DISTINCT item_id) FROM integrity_item_terms GROUP BY term, day`
	default:
		return nil, fmt.Errorf("integrity: unknown series %q", by)
	}
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.DayCount, error) {
		var d integrity.DayCount
		err := sc.Scan(&d.Key, &d.Day, &d.N)
		return d, err
	}, q)
}

// Terms lists the lexicon by term.
func (db *DB) Terms(ctx context.Context) ([]integrity.Term, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.Term, error) {
		var t integrity.Term
		var vs string
		err := sc.Scan(&t.ID, &t.Term, &vs, &t.Language, &t.Meaning, &t.MeaningCode, &t.MeaningPct, &t.Group, &t.Severity, &t.Source)
		if vs != "" {
			t.Variants = strings.Split(vs, "|")
		}
		return t, err
	}, `SELECT id, term, variants, language, meaning, meaning_code, meaning_pct, grp, severity, source FROM integrity_terms ORDER BY term, language`)
}

func (db *DB) upsertTerm(ctx context.Context, tx *sql.Tx, t *integrity.Term) error {
	vs := strings.Join(t.Variants, "|")
	var id int64
	err := db.QueryRow(ctx, tx, `SELECT id FROM integrity_terms WHERE term = ? AND language = ?`, t.Term, t.Language).Scan(&id)
	switch {
	case err == nil:
		t.ID = id
		_, err = db.Exec(ctx, tx, `UPDATE integrity_terms SET variants = ?, meaning = ?, meaning_code = ?, meaning_pct = ?, grp = ?, severity = ?, source = ? WHERE id = ?`,
			vs, t.Meaning, t.MeaningCode, t.MeaningPct, t.Group, t.Severity, t.Source, id)
		return err
	case errors.Is(err, sql.ErrNoRows):
		t.ID, err = db.InsertID(ctx, tx, `INSERT INTO integrity_terms (term, variants, language, meaning, meaning_code, meaning_pct, grp, severity, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Term, vs, t.Language, t.Meaning, t.MeaningCode, t.MeaningPct, t.Group, t.Severity, t.Source)
		return err
	default:
		return err
	}
}

// SaveTerm creates (ID 0) or updates a term, audited.
func (db *DB) SaveTerm(ctx context.Context, actor string, t *integrity.Term) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		action := "integrity.term.create"
		if t.ID != 0 {
			action = "integrity.term.update"
			var other int64
			err := db.QueryRow(ctx, tx, `SELECT id FROM integrity_terms WHERE term = ? AND language = ? AND id <> ?`, t.Term, t.Language, t.ID).Scan(&other)
			if err == nil {
				return apperr.Fieldf(apperr.KindInvalid, "term", "%q (%s) is already term %d", t.Term, t.Language, other)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err := db.execOne(ctx, tx, apperr.ErrNotFound, `UPDATE integrity_terms SET term = ?, variants = ?, language = ?, meaning = ?, meaning_code = ?, meaning_pct = ?, grp = ?, severity = ?, source = ? WHERE id = ?`,
				t.Term, strings.Join(t.Variants, "|"), t.Language, t.Meaning, t.MeaningCode, t.MeaningPct, t.Group, t.Severity, t.Source, t.ID); err != nil {
				return err
			}
		} else if err := db.upsertTerm(ctx, tx, t); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: "integrity-term:" + strconv.FormatInt(t.ID, 10)})
	})
}

// DeleteTerm removes a term, audited.
func (db *DB) DeleteTerm(ctx context.Context, actor string, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, apperr.ErrNotFound, `DELETE FROM integrity_terms WHERE id = ?`, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.term.delete", Object: "integrity-term:" + strconv.FormatInt(id, 10)})
	})
}

// ImportTerms adds or replaces terms in one transaction, audited once.
func (db *DB) ImportTerms(ctx context.Context, actor, detail string, ts []integrity.Term) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for i := range ts {
			if err := db.upsertTerm(ctx, tx, &ts[i]); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.terms.import", Object: "integrity:lexicon", Detail: detail})
	})
}
