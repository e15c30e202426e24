package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// The escalation webhook's outbox, alert_notices (migrations 0061–0063); the
// rules (when a notice is due, how often it is tried) are alerts'
// (alerts/outbox.go).

// queueNotice writes n, due at now, in q's transaction, with the incident
// it is about (noticeIncident), and sets its ID; nil writes nothing.
func (db *DB) queueNotice(ctx context.Context, q Querier, n *alerts.Notice, now time.Time) error {
	if n == nil {
		return nil
	}
	ts := formatTime(now)
	id, err := db.InsertID(ctx, q, `INSERT INTO alert_notices (notice_key, body, created, next_at, incident_id) VALUES (?, ?, ?, ?, ?)`,
		n.Key, string(n.Body), ts, ts, noticeIncident(n.Body))
	if err == nil {
		n.ID, n.Created, n.Next = id, now, now
	}
	return err
}

// noticeIncident is the incident a notice's body is about, its
// "incident_id" (as alerts' notices write it; migration 0063 reads old
// rows' bodies so too); NULL for none (a withdrawal-watch trigger).
func noticeIncident(body []byte) sql.NullInt64 {
	var b struct {
		IncidentID *int64 `json:"incident_id"`
	}
	if json.Unmarshal(body, &b) != nil || b.IncidentID == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *b.IncidentID, Valid: true}
}

// QueueNotice writes n to the outbox, due at now.
func (db *DB) QueueNotice(ctx context.Context, n *alerts.Notice, now time.Time) error {
	return db.queueNotice(ctx, db.SQL, n, now)
}

// DueNotices answers up to limit notices neither sent nor given up and
// due at now, the longest due first.
func (db *DB) DueNotices(ctx context.Context, now time.Time, limit int) ([]alerts.Notice, error) {
	return queryAll(ctx, db, db.SQL, scanNotice, `SELECT `+noticeColumns+` FROM alert_notices
		WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?`, formatTime(now), limit)
}

// ClaimNotice counts a try of notice id if it still has tries tries, is
// neither sent nor given up and is due at now, and makes it due at until;
// false when another server, pass or retry by hand claimed it first (the
// UPDATE checks, so two never both do: a retry's claim counts its try as
// the first, but is not due).
func (db *DB) ClaimNotice(ctx context.Context, id int64, tries int, now, until time.Time) (bool, error) {
	res, err := db.Exec(ctx, db.SQL, `UPDATE alert_notices SET tries = tries + 1, next_at = ?, claimed_until = ?
		WHERE id = ? AND tries = ? AND sent_at IS NULL AND gave_up_at IS NULL AND next_at <= ?`, formatTime(until), formatTime(until), id, tries, formatTime(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// NoticeSent records notice id sent at at.
func (db *DB) NoticeSent(ctx context.Context, id int64, at time.Time) error {
	_, err := db.Exec(ctx, db.SQL, `UPDATE alert_notices SET sent_at = ?, last_error = '', claimed_until = NULL WHERE id = ?`, formatTime(at), id)
	return err
}

// NoticeFailed records a failed post of notice id: due again at retry, or
// given up at at when retry is zero; a notice sent meanwhile (by another
// server, after this one's lease ran out) stays sent.
func (db *DB) NoticeFailed(ctx context.Context, id int64, why string, at, retry time.Time) error {
	var err error
	if retry.IsZero() {
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_notices SET gave_up_at = ?, last_error = ?, claimed_until = NULL WHERE id = ? AND sent_at IS NULL`, formatTime(at), why, id)
	} else {
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_notices SET next_at = ?, last_error = ?, claimed_until = NULL WHERE id = ? AND sent_at IS NULL`, formatTime(retry), why, id)
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

// UnclaimNotice hands back notice id claimed with tries tries: the claim's
// try is taken back and it is due at at (a post the server's stop cut);
// nothing when another server claimed it since, or it was settled.
func (db *DB) UnclaimNotice(ctx context.Context, id int64, tries int, at time.Time) error {
	_, err := db.Exec(ctx, db.SQL, `UPDATE alert_notices SET tries = tries - 1, next_at = ?, claimed_until = NULL
		WHERE id = ? AND tries = ? AND sent_at IS NULL AND gave_up_at IS NULL`, formatTime(at), id, tries)
	return err
}

// UnsentNotices answers up to limit notices not sent: all those given up,
// and the others created at or before before, newest first.
func (db *DB) UnsentNotices(ctx context.Context, before time.Time, limit int) ([]alerts.Notice, error) {
	return queryAll(ctx, db, db.SQL, scanNotice, `SELECT `+noticeColumns+` FROM alert_notices
		WHERE sent_at IS NULL AND (gave_up_at IS NOT NULL OR created <= ?) ORDER BY created DESC, id DESC LIMIT ?`, formatTime(before), limit)
}

// IncidentNotices answers up to limit notices about incident id not
// sent, as UnsentNotices (the given up, and the others created at or
// before before), newest first: those whose incident_id (migration 0063,
// indexed with created among the unsent) is the incident. Looked up by
// the incident, not among the newest unsent: other incidents' notices,
// however many, hide none of its, nor are they read.
func (db *DB) IncidentNotices(ctx context.Context, id int64, before time.Time, limit int) ([]alerts.Notice, error) {
	return queryAll(ctx, db, db.SQL, scanNotice, `SELECT `+noticeColumns+` FROM alert_notices
		WHERE incident_id = ? AND sent_at IS NULL AND (gave_up_at IS NOT NULL OR created <= ?)
		ORDER BY created DESC, id DESC LIMIT ?`, id, formatTime(before), limit)
}

// RetryNotice claims unsent notice id at now for a post by hand, as
// ClaimNotice does for a pass: its tries counted anew, this post the
// first, given up no more and not due until until; audited in actor's
// name; it answers the claimed notice. apperr.ErrNotFound when no unsent
// notice has that id; the keyed conflict alerts.refusal.notice-busy,
// nothing written, while another poster holds its claim (claimed_until,
// migration 0062, after now and the notice not given up). A notice only
// due again soon after a failed post is no one's: taken.
func (db *DB) RetryNotice(ctx context.Context, actor string, id int64, now, until time.Time) (alerts.Notice, error) {
	var n alerts.Notice
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := db.QueryRow(ctx, tx, `SELECT 1 FROM alert_notices WHERE id = ? AND sent_at IS NULL`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		} else if err != nil {
			return err
		}
		busy := apperr.Say(apperr.KindConflict, "", "alerts.refusal.notice-busy", id)
		if err := db.execOne(ctx, tx, busy, `UPDATE alert_notices SET tries = 1, gave_up_at = NULL, next_at = ?, claimed_until = ?
			WHERE id = ? AND sent_at IS NULL AND (gave_up_at IS NOT NULL OR claimed_until IS NULL OR claimed_until <= ?)`,
			formatTime(until), formatTime(until), id, formatTime(now)); err != nil {
			return err
		}
		var err error
		if n, err = scanNotice(db.QueryRow(ctx, tx, `SELECT `+noticeColumns+` FROM alert_notices WHERE id = ?`, id)); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.notice.retry", Object: fmt.Sprintf("notice:%d", id), Detail: n.Key})
	})
	return n, err
}

const noticeColumns = `id, notice_key, body, created, tries, next_at, COALESCE(gave_up_at, ''), last_error`

// scanNotice reads a row of noticeColumns.
func scanNotice(sc rowScanner) (alerts.Notice, error) {
	var n alerts.Notice
	var body, created, next, gaveUp string
	err := sc.Scan(&n.ID, &n.Key, &body, &created, &n.Tries, &next, &gaveUp, &n.LastError)
	if err != nil {
		return n, err
	}
	n.Body = []byte(body)
	if n.Created, err = parseTime(created); err != nil {
		return n, err
	}
	if n.Next, err = parseTime(next); err != nil {
		return n, err
	}
	if gaveUp != "" {
		n.GaveUp, err = parseTime(gaveUp)
	}
	return n, err
}
