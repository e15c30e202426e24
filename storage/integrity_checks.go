package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/nonnil"
)

// Verify and respond: a check per narrative, its log and the tipline items
// answered (integrity.CheckStore). Every change is audited in the same
// transaction; audit entries carry states and counts, never numbers.

var _ integrity.CheckStore = (*DB)(nil)

const checkCols = `narrative_id, state, claim, rating, summary_en, summary_fr, assignee, deadline, COALESCE(slug, ''), published_at,
	replies_sent, updated, updated_by`

func scanCheck(sc interface{ Scan(...any) error }) (integrity.Check, error) {
	var c integrity.Check
	var deadline, published sql.NullString
	var updated string
	if err := sc.Scan(&c.Narrative, &c.State, &c.Claim, &c.Rating, &c.SummaryEN, &c.SummaryFR, &c.Assignee, &deadline, &c.Slug, &published,
		&c.RepliesSent, &updated, &c.UpdatedBy); err != nil {
		return c, err
	}
	var tf timeFields
	tf.maybe(&c.Deadline, deadline)
	tf.maybe(&c.PublishedAt, published)
	tf.at(&c.Updated, updated)
	return c, tf.err
}

func (db *DB) checkWhere(ctx context.Context, where string, arg any) (integrity.Check, error) {
	c, err := scanCheck(db.QueryRow(ctx, db.SQL, `SELECT `+checkCols+` FROM integrity_checks WHERE `+where, arg))
	return c, noRows(err, apperr.ErrNotFound)
}

// Check returns a narrative's check.
func (db *DB) Check(ctx context.Context, narrative int64) (integrity.Check, error) {
	return db.checkWhere(ctx, `narrative_id = ?`, narrative)
}

// CheckBySlug returns a published check.
func (db *DB) CheckBySlug(ctx context.Context, slug string) (integrity.Check, error) {
	return db.checkWhere(ctx, `slug = ? AND published_at IS NOT NULL`, slug)
}

// SaveCheck inserts (prevState "") or updates a check while its state is
// still prevState, and logs e, audited.
func (db *DB) SaveCheck(ctx context.Context, actor, prevState string, c *integrity.Check, e integrity.CheckEntry) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		args := []any{c.State, c.Claim, c.Rating, c.SummaryEN, c.SummaryFR, c.Assignee, nullTime(c.Deadline), nullString(c.Slug),
			nullTime(c.PublishedAt), formatTime(c.Updated), c.UpdatedBy, c.Narrative}
		if prevState == "" {
			if _, err := db.Exec(ctx, tx, `INSERT INTO integrity_checks (state, claim, rating, summary_en, summary_fr, assignee, deadline, slug,
				published_at, updated, updated_by, narrative_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
				if IsUniqueViolation(err) {
					return checkChanged()
				}
				return fmt.Errorf("insert check: %w", err)
			}
		} else {
			res, err := db.Exec(ctx, tx, `UPDATE integrity_checks SET state = ?, claim = ?, rating = ?, summary_en = ?, summary_fr = ?, assignee = ?,
				deadline = ?, slug = ?, published_at = ?, updated = ?, updated_by = ? WHERE narrative_id = ? AND state = ?`, append(args, prevState)...)
			if err != nil {
				return fmt.Errorf("update check: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return checkChanged()
			}
		}
		return db.logAuditCheck(ctx, tx, actor, c.Narrative, e)
	})
}

// logAuditCheck appends e to a check's log and audits it.
func (db *DB) logAuditCheck(ctx context.Context, tx *sql.Tx, actor string, narrative int64, e integrity.CheckEntry) error {
	if err := db.logCheck(ctx, tx, actor, narrative, e); err != nil {
		return err
	}
	detail := e.Kind
	switch e.Kind {
	case integrity.LogState:
		detail += " " + e.From + " → " + e.To
		if e.To == integrity.CheckResponded && e.Text != "" { // how it was answered
			detail += ": " + e.Text
		}
	case integrity.LogPublish, integrity.LogAssign, integrity.LogMergedIn:
		detail += " " + e.Text
	case integrity.LogMerged:
		detail += " " + e.From + " → " + e.To + ", into " + e.Text
	case integrity.LogBroadcast:
		detail += " " + e.Text
	}
	return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.check." + e.Kind,
		Object: "integrity-narrative:" + strconv.FormatInt(narrative, 10), Detail: detail})
}

func (db *DB) logCheck(ctx context.Context, tx *sql.Tx, actor string, narrative int64, e integrity.CheckEntry) error {
	_, err := db.Exec(ctx, tx, `INSERT INTO integrity_check_log (narrative_id, at, actor, kind, from_state, to_state, text, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		narrative, formatTime(e.At), actor, e.Kind, e.From, e.To, e.Text, e.URL)
	return err
}

// CheckLog lists a check's log, oldest first.
func (db *DB) CheckLog(ctx context.Context, narrative int64) ([]integrity.CheckEntry, error) {
	return nonnil.List(queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.CheckEntry, error) {
		var e integrity.CheckEntry
		var at string
		if err := sc.Scan(&e.ID, &at, &e.Actor, &e.Kind, &e.From, &e.To, &e.Text, &e.URL); err != nil {
			return e, err
		}
		var tf timeFields
		tf.at(&e.At, at)
		return e, tf.err
	}, `SELECT id, at, actor, kind, from_state, to_state, text, url FROM integrity_check_log WHERE narrative_id = ? ORDER BY id`, narrative))
}

// PublishedChecks lists published checks, newest first.
func (db *DB) PublishedChecks(ctx context.Context, limit int) ([]integrity.Check, error) {
	return queryAll(ctx, db, db.SQL, scanCheck, `SELECT `+checkCols+` FROM integrity_checks WHERE published_at IS NOT NULL
		ORDER BY published_at DESC, narrative_id DESC LIMIT ?`, max(1, min(limit, 1000)))
}

// CheckQueue lists up to limit checks in state ("": every state but
// closed): with a deadline first, the nearest first (the text times sort
// as times), then the most recently changed. Tipline messages are counted
// and, apart, their senders: distinct sender keys, plus one for each
// message without a key (Unkeyed).
func (db *DB) CheckQueue(ctx context.Context, state string, limit int) ([]integrity.QueuedCheck, error) {
	where, args := `c.state <> ?`, []any{integrity.CheckClosed}
	switch state {
	case "":
	case integrity.StateAll:
		where, args = `c.state <> ?`, []any{""}
	default:
		where, args = `c.state = ?`, []any{state}
	}
	args = append(args, max(1, min(limit, 2*integrity.QueueMax+1)))
	return nonnil.List(queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.QueuedCheck, error) {
		var q integrity.QueuedCheck
		var deadline sql.NullString
		var updated string
		if err := sc.Scan(&q.Narrative, &q.Name, &q.Sample, &q.Claim, &q.State, &q.Rating, &q.Assignee, &deadline, &updated, &q.UpdatedBy,
			&q.Items, &q.Tipline, &q.Senders, &q.Unkeyed, &q.MergedInto, &q.MergedName); err != nil {
			return q, err
		}
		var tf timeFields
		tf.maybe(&q.Deadline, deadline)
		tf.at(&q.Updated, updated)
		return q, tf.err
	}, `SELECT c.narrative_id, n.name,
		COALESCE((SELECT f.text FROM integrity_items f WHERE f.narrative_id = c.narrative_id ORDER BY f.id LIMIT 1), ''),
		c.claim, c.state, c.rating, c.assignee, c.deadline, c.updated, c.updated_by,
		(SELECT COUNT(*) FROM integrity_items i WHERE i.narrative_id = c.narrative_id),
		(SELECT COUNT(*) FROM integrity_items i WHERE i.narrative_id = c.narrative_id AND i.via = ?),
		`+sendersCols("c.narrative_id")+`,
		n.merged_into, COALESCE(m.name, '')
		FROM integrity_checks c JOIN integrity_narratives n ON n.id = c.narrative_id
		LEFT JOIN integrity_narratives m ON m.id = n.merged_into AND n.merged_into <> 0
		WHERE `+where+`
		ORDER BY CASE WHEN c.deadline IS NULL THEN 1 ELSE 0 END, c.deadline, c.updated DESC, c.narrative_id DESC LIMIT ?`,
		append([]any{integrity.ViaTipline, integrity.ViaTipline, integrity.ViaTipline}, args...)...))
}

// sendersCols are the two counts of a narrative's tipline senders (its id
// the SQL expression narrative), each taking the tipline via as argument:
// distinct sender keys plus one for each message without a key, and
// those messages. The queue (CheckQueue) and the check (CheckSenders)
// count with them, so they agree; no number is opened.
func sendersCols(narrative string) string {
	return `(SELECT COUNT(DISTINCT CASE WHEN i.sender_key <> '' THEN i.sender_key ELSE 'item:' || CAST(i.id AS TEXT) END)
			FROM integrity_items i WHERE i.narrative_id = ` + narrative + ` AND i.via = ?),
		(SELECT COUNT(*) FROM integrity_items i WHERE i.narrative_id = ` + narrative + ` AND i.via = ? AND i.sender_key = '')`
}

// CheckSenders counts the people who sent narrative's tipline messages as
// CheckQueue does: distinct sender keys plus one for each message without
// a key, and apart those (unkeyed).
func (db *DB) CheckSenders(ctx context.Context, narrative int64) (senders, unkeyed int, err error) {
	err = db.QueryRow(ctx, db.SQL, `SELECT `+sendersCols("?"), narrative, integrity.ViaTipline, narrative, integrity.ViaTipline).Scan(&senders, &unkeyed)
	return senders, unkeyed, err
}

// CheckBroadcasts lists the broadcasts that answer a check, oldest
// first, with their reach (scanBroadcasts) and channel's name.
func (db *DB) CheckBroadcasts(ctx context.Context, narrative int64) ([]integrity.CheckBroadcast, error) {
	bs, err := db.scanBroadcasts(ctx, `SELECT `+broadcastCols+` FROM broadcasts WHERE check_narrative = ? ORDER BY id`, narrative)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	names, err := queryMap[int64, string](ctx, db, db.SQL, `SELECT id, name FROM alert_channels`)
	if err != nil {
		return nil, err
	}
	out := make([]integrity.CheckBroadcast, 0, len(bs))
	for _, b := range bs {
		r := b.Reach
		out = append(out, integrity.CheckBroadcast{ID: b.ID, ChannelID: b.ChannelID, Channel: names[b.ChannelID], Actor: b.Actor, Audience: b.Audience,
			ScheduledAt: b.ScheduledAt, QueuedAt: b.QueuedAt, Recipients: r.Queued, Sent: r.Sent, Delivered: r.Delivered,
			Failed: r.Failed, Pending: r.Pending, Withheld: r.Withheld, OptedOut: r.SkippedOptedOut})
	}
	return out, nil
}

// LinkBroadcast records that a broadcast answers a check, logged and
// audited, and makes the move l.Respond when the broadcast was queued to
// someone, in one transaction (integrity.CheckStore).
func (db *DB) LinkBroadcast(ctx context.Context, actor string, narrative int64, l integrity.BroadcastLink) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var other sql.NullInt64
		var queued int
		err := db.QueryRow(ctx, tx, `SELECT check_narrative, queued FROM broadcasts WHERE id = ?`, l.Broadcast).Scan(&other, &queued)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Fieldf(apperr.KindNotFound, "broadcast", "no broadcast %d", l.Broadcast)
		} else if err != nil {
			return err
		}
		if other.Valid && other.Int64 != narrative {
			return apperr.Fieldf(apperr.KindInvalid, "broadcast", "broadcast %d already answers the check of narrative %d", l.Broadcast, other.Int64)
		}
		if err := db.execOne(ctx, tx, checkChanged(), `UPDATE broadcasts SET check_narrative = ? WHERE id = ? AND (check_narrative IS NULL OR check_narrative = ?)`,
			narrative, l.Broadcast, narrative); err != nil {
			return err
		}
		if err := db.logAuditCheck(ctx, tx, actor, narrative, l.Entry); err != nil {
			return err
		}
		if r := l.Respond; r != nil && queued > 0 {
			if err := db.execOne(ctx, tx, checkChanged(), `UPDATE integrity_checks SET state = ?, updated = ?, updated_by = ? WHERE narrative_id = ? AND state = ?`,
				r.To, formatTime(r.At), actor, narrative, r.From); err != nil {
				return err
			}
			return db.logAuditCheck(ctx, tx, actor, narrative, *r)
		}
		return nil
	})
}

// TiplineSenderKeys are the sender keys of a narrative's tipline
// messages by item id ("" for one kept without a key).
func (db *DB) TiplineSenderKeys(ctx context.Context, narrative int64) (map[int64]string, error) {
	return queryMap[int64, string](ctx, db, db.SQL, `SELECT id, sender_key FROM integrity_items WHERE narrative_id = ? AND via = ?`, narrative, integrity.ViaTipline)
}

// mergeCheck carries the check of narrative from, merged into into, in
// the merge's transaction: a check in progress moves to into with its
// log and answers when into has none, else it is closed; either way
// logged and audited. A closed check (or none) stays as it is. It says
// which happened.
func (db *DB) mergeCheck(ctx context.Context, tx *sql.Tx, actor string, into, from int64, at time.Time) (integrity.MergedCheck, error) {
	none := integrity.MergedCheck{Outcome: integrity.MergeCheckNone}
	var state string
	err := db.QueryRow(ctx, tx, `SELECT state FROM integrity_checks WHERE narrative_id = ?`, from).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && state == integrity.CheckClosed) {
		return none, nil
	} else if err != nil {
		return none, fmt.Errorf("read the merged narrative's check: %w", err)
	}
	var has int
	if err := db.QueryRow(ctx, tx, `SELECT COUNT(*) FROM integrity_checks WHERE narrative_id = ?`, into).Scan(&has); err != nil {
		return none, err
	}
	if has > 0 {
		if _, err := db.Exec(ctx, tx, `UPDATE integrity_checks SET state = ?, updated = ?, updated_by = ? WHERE narrative_id = ?`,
			integrity.CheckClosed, formatTime(at), actor, from); err != nil {
			return none, fmt.Errorf("close the merged narrative's check: %w", err)
		}
		return integrity.MergedCheck{Outcome: integrity.MergeCheckClosed, Narrative: from}, db.logAuditCheck(ctx, tx, actor, from,
			integrity.CheckEntry{At: at, Kind: integrity.LogMerged, From: state, To: integrity.CheckClosed, Text: strconv.FormatInt(into, 10)})
	}
	for _, table := range []string{"integrity_check_log", "integrity_check_replies"} {
		if _, err := db.Exec(ctx, tx, `UPDATE `+table+` SET narrative_id = ? WHERE narrative_id = ?`, into, from); err != nil {
			return none, fmt.Errorf("move the merged narrative's check (%s): %w", table, err)
		}
	}
	if _, err := db.Exec(ctx, tx, `UPDATE integrity_checks SET narrative_id = ?, updated = ?, updated_by = ? WHERE narrative_id = ?`,
		into, formatTime(at), actor, from); err != nil {
		return none, fmt.Errorf("move the merged narrative's check: %w", err)
	}
	return integrity.MergedCheck{Outcome: integrity.MergeCheckMoved, Narrative: into}, db.logAuditCheck(ctx, tx, actor, into,
		integrity.CheckEntry{At: at, Kind: integrity.LogMergedIn, Text: strconv.FormatInt(from, 10)})
}

// CheckReplies lists a narrative's answered tipline items.
func (db *DB) CheckReplies(ctx context.Context, narrative int64) (map[int64]string, error) {
	return queryMap[int64, string](ctx, db, db.SQL, `SELECT item_id, outcome FROM integrity_check_replies WHERE narrative_id = ?`, narrative)
}

// SaveReplies records the answers, queues their messages (each audited),
// writes their timeline lines, adds the sent ones to the check's count and
// logs the entry, audited with the counts, and makes the check's state
// change a.Respond (a conflict if its state is no longer a.Respond.From),
// logged and audited: one transaction, so a failure
// anywhere queues nothing (integrity.Service.SendAnswers). An item
// recorded already (answers sent meanwhile by someone else, found by the
// key of integrity_check_replies) is a conflict: nothing is queued twice.
func (db *DB) SaveReplies(ctx context.Context, actor string, narrative int64, a integrity.Answers) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		sent, e := 0, a.Entry
		for _, r := range a.Replies {
			if _, err := db.Exec(ctx, tx, `INSERT INTO integrity_check_replies (narrative_id, item_id, outcome, at) VALUES (?, ?, ?, ?)`,
				narrative, r.Item, r.Outcome, formatTime(r.At)); IsUniqueViolation(err) {
				return checkChanged()
			} else if err != nil {
				return err
			}
			if r.Outcome == integrity.ReplySent {
				sent++
			}
		}
		ids := make(map[string]int64, len(a.Queued))
		macs := make([]string, len(a.Queued))
		for i, m := range a.Queued {
			macs[i] = m.ToMAC
		}
		if err := db.lockNumbers(ctx, tx, macs...); err != nil { // all at once, in one order (queueOutgoing takes each again)
			return err
		}
		for i := range a.Queued {
			id, err := db.queueOutgoing(ctx, tx, actor, &a.Queued[i])
			if err != nil {
				return err
			}
			ids[a.Queued[i].UUID] = id
		}
		if len(a.Lines) > 0 {
			lines := slices.Clone(a.Lines) // each answer's line names its message: its delivery
			for i := range lines {
				if id := ids[lines[i].OutgoingUUID]; lines[i].OutgoingUUID != "" && id != 0 {
					lines[i].OutgoingID = id
				}
			}
			if err := db.addLog(ctx, tx, lines); err != nil {
				return err
			}
		}
		res, err := db.Exec(ctx, tx, `UPDATE integrity_checks SET replies_sent = replies_sent + ? WHERE narrative_id = ?`, sent, narrative)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.ErrNotFound
		}
		if err := db.logCheck(ctx, tx, actor, narrative, e); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.check.reply",
			Object: "integrity-narrative:" + strconv.FormatInt(narrative, 10), Detail: e.Text}); err != nil {
			return err
		}
		if r := a.Respond; r != nil {
			res, err := db.Exec(ctx, tx, `UPDATE integrity_checks SET state = ?, updated = ?, updated_by = ? WHERE narrative_id = ? AND state = ?`,
				r.To, formatTime(r.At), actor, narrative, r.From)
			if err != nil {
				return fmt.Errorf("update check: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return checkChanged()
			}
			return db.logAuditCheck(ctx, tx, actor, narrative, *r)
		}
		return nil
	})
}

// checkChanged refuses a write to a check someone else changed since it
// was read (a stale state, answers recorded meanwhile).
func checkChanged() error {
	return apperr.Fieldf(apperr.KindConflict, "state", "someone else changed this check: reload it")
}
