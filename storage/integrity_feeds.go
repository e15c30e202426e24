package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
)

var _ integrity.FeedStore = (*DB)(nil)

const feedCols = `id, url, source, title, every_minutes, created, created_by, last_polled, last_ok, last_error, last_added`

func scanFeed(sc rowScanner) (integrity.Feed, error) {
	var f integrity.Feed
	var created, polled, ok string
	if err := sc.Scan(&f.ID, &f.URL, &f.Source, &f.Title, &f.EveryMinutes, &created, &f.CreatedBy, &polled, &ok, &f.LastError, &f.LastAdded); err != nil {
		return f, err
	}
	f.Created, _ = time.Parse(integrityTime, created)
	for _, p := range []struct {
		s   string
		dst **time.Time
	}{{polled, &f.LastPolled}, {ok, &f.LastOK}} {
		if t, err := time.Parse(integrityTime, p.s); err == nil {
			*p.dst = &t
		}
	}
	return f, nil
}

// Feeds lists the scheduled feeds by id.
func (db *DB) Feeds(ctx context.Context) ([]integrity.Feed, error) {
	return queryAll(ctx, db, db.SQL, scanFeed, `SELECT `+feedCols+` FROM integrity_feeds ORDER BY id`)
}

// Feed returns one feed.
func (db *DB) Feed(ctx context.Context, id int64) (integrity.Feed, error) {
	return notFound(scanFeed(db.QueryRow(ctx, db.SQL, `SELECT `+feedCols+` FROM integrity_feeds WHERE id = ?`, id)))
}

// SaveFeed creates or updates a feed, audited.
func (db *DB) SaveFeed(ctx context.Context, actor string, f *integrity.Feed) error {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		action := "integrity.feed.update"
		if f.ID == 0 {
			id, err := db.InsertID(ctx, tx, `INSERT INTO integrity_feeds (url, source, every_minutes, created, created_by) VALUES (?, ?, ?, ?, ?)`,
				f.URL, f.Source, f.EveryMinutes, f.Created.UTC().Format(integrityTime), f.CreatedBy)
			if err != nil {
				return err
			}
			f.ID, action = id, "integrity.feed.add"
		} else {
			if err := db.execOne(ctx, tx, apperr.ErrNotFound, `UPDATE integrity_feeds SET url = ?, source = ?, every_minutes = ? WHERE id = ?`, f.URL, f.Source, f.EveryMinutes, f.ID); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: "integrity-feed:" + strconv.FormatInt(f.ID, 10),
			Detail: fmt.Sprintf("every %d minutes", f.EveryMinutes)})
	})
	if IsUniqueViolation(err) {
		return apperr.Fieldf(apperr.KindConflict, "url", "this feed is already polled")
	}
	return err
}

// DeleteFeed removes a feed, audited.
func (db *DB) DeleteFeed(ctx context.Context, actor string, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, apperr.ErrNotFound, `DELETE FROM integrity_feeds WHERE id = ?`, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.feed.delete", Object: "integrity-feed:" + strconv.FormatInt(id, 10)})
	})
}

// RecordFeedPoll writes how a feed's newest poll went, and the feed's
// title when it worked.
func (db *DB) RecordFeedPoll(ctx context.Context, id int64, at time.Time, title string, added int, errText string) error {
	ts := at.UTC().Format(integrityTime)
	q := `UPDATE integrity_feeds SET last_polled = ?, last_ok = ?, last_error = '', last_added = ?, title = ? WHERE id = ?`
	args := []any{ts, ts, added, title, id}
	if errText != "" {
		q = `UPDATE integrity_feeds SET last_polled = ?, last_error = ?, last_added = 0 WHERE id = ?`
		args = []any{ts, errText, id}
	}
	_, err := db.Exec(ctx, db.SQL, q, args...)
	return err
}
