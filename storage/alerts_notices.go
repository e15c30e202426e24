package storage

import (
	"context"
	"time"

	"github.com/vigil-project/vigil/alerts"
)

// The escalation webhook's outbox, alert_notices (migration 0061); the
// rules (when a notice is due, how often it is tried) are alerts'
// (alerts/outbox.go).

// queueNotice writes n, due at now, in q's transaction; nil writes nothing.
func (db *DB) queueNotice(ctx context.Context, q Querier, n *alerts.Notice, now time.Time) error {
	if n == nil {
		return nil
	}
	ts := formatTime(now)
	_, err := db.Exec(ctx, q, `INSERT INTO alert_notices (notice_key, body, created, next_at) VALUES (?, ?, ?, ?)`, n.Key, string(n.Body), ts, ts)
	return err
}

// QueueNotice writes n to the outbox, due at now.
func (db *DB) QueueNotice(ctx context.Context, n *alerts.Notice, now time.Time) error {
	return db.queueNotice(ctx, db.SQL, n, now)
}

// DueNotices answers up to limit notices neither sent nor given up and
// due at now, the longest due first.
func (db *DB) DueNotices(ctx context.Context, now time.Time, limit int) ([]alerts.Notice, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (alerts.Notice, error) {
		var n alerts.Notice
		var body, created string
		err := sc.Scan(&n.ID, &n.Key, &body, &created, &n.Tries)
		if err == nil {
			n.Body = []byte(body)
			n.Created, err = parseTime(created)
		}
		return n, err
	}, `SELECT id, notice_key, body, created, tries FROM alert_notices
		WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?`, formatTime(now), limit)
}

// ClaimNotice counts a try of notice id if it still has tries tries and is
// neither sent nor given up, and makes it due at until; false when another
// server or pass claimed it first (the UPDATE checks, so two never both do).
func (db *DB) ClaimNotice(ctx context.Context, id int64, tries int, until time.Time) (bool, error) {
	res, err := db.Exec(ctx, db.SQL, `UPDATE alert_notices SET tries = tries + 1, next_at = ?
		WHERE id = ? AND tries = ? AND sent_at IS NULL AND gave_up_at IS NULL`, formatTime(until), id, tries)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// NoticeSent records notice id sent at at.
func (db *DB) NoticeSent(ctx context.Context, id int64, at time.Time) error {
	_, err := db.Exec(ctx, db.SQL, `UPDATE alert_notices SET sent_at = ?, last_error = '' WHERE id = ?`, formatTime(at), id)
	return err
}

// NoticeFailed records a failed post of notice id: due again at retry, or
// given up at at when retry is zero; a notice sent meanwhile (by another
// server, after this one's lease ran out) stays sent.
func (db *DB) NoticeFailed(ctx context.Context, id int64, why string, at, retry time.Time) error {
	var err error
	if retry.IsZero() {
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_notices SET gave_up_at = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`, formatTime(at), why, id)
	} else {
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_notices SET next_at = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`, formatTime(retry), why, id)
	}
	return err
}

// ForgetNotices deletes the notices sent or given up before t ('sent_at'
// and 'gave_up_at' are fixed-width UTC text, compared as times).
func (db *DB) ForgetNotices(ctx context.Context, before time.Time) (int64, error) {
	t := formatTime(before)
	res, err := db.Exec(ctx, db.SQL, `DELETE FROM alert_notices WHERE sent_at < ? OR gave_up_at < ?`, t, t)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
