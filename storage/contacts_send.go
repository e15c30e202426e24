package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/textscan"
)

var _ contacts.SenderStore = (*DB)(nil)

// SaveGateway stores a channel's sending settings (see contacts.SenderStore).
func (db *DB) SaveGateway(ctx context.Context, actor string, g contacts.GatewaySettings) error {
	defer db.forgetChannels() // it may replace the channel's secret
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.Exec(ctx, tx, `INSERT INTO broadcast_gateways (channel_id, rate_per_s, send_url, account_sid, from_number, updated, paused, max_attempts)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (channel_id) DO UPDATE SET rate_per_s = excluded.rate_per_s, send_url = excluded.send_url,
			account_sid = excluded.account_sid, from_number = excluded.from_number, updated = excluded.updated,
			paused = excluded.paused, max_attempts = excluded.max_attempts`,
			g.ChannelID, g.RatePerS, g.SendURL, g.AccountSID, g.From, formatTime(g.Updated), boolInt(g.Paused), g.MaxAttempts); err != nil {
			return err
		}
		detail := fmt.Sprintf("sending settings: %g messages/s, %d tries (0: default), paused %v", g.RatePerS, g.MaxAttempts, g.Paused)
		if len(g.SecretSealed) > 0 {
			if _, err := db.Exec(ctx, tx, `UPDATE alert_channels SET secret = ? WHERE id = ?`, g.SecretSealed, g.ChannelID); err != nil {
				return err
			}
			detail += "; secret replaced"
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "broadcasts.gateway", Object: fmt.Sprintf("channel:%d", g.ChannelID), Detail: detail})
	})
}

// GatewaySettings lists every channel's sending settings.
func (db *DB) GatewaySettings(ctx context.Context) ([]contacts.GatewaySettings, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (contacts.GatewaySettings, error) {
		var g contacts.GatewaySettings
		var upd string
		var paused int
		err := sc.Scan(&g.ChannelID, &g.RatePerS, &g.SendURL, &g.AccountSID, &g.From, &upd, &paused, &g.MaxAttempts)
		if err == nil {
			g.Updated, err = parseTime(upd)
		}
		g.Paused = paused != 0
		return g, err
	}, `SELECT channel_id, rate_per_s, send_url, account_sid, from_number, updated, paused, max_attempts FROM broadcast_gateways ORDER BY channel_id`)
}

// notOptedOut holds for an outbox row whose contact, or number, has not
// opted out (read at the moment of the query).
const notOptedOut = `NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = alert_outbox.contact_id AND c.opted_out_at IS NOT NULL)
	AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.phone_mac = alert_outbox.to_mac AND alert_outbox.to_mac <> '' AND c.opted_out_at IS NOT NULL)
	AND NOT EXISTS (SELECT 1 FROM contact_optouts o WHERE o.phone_mac = alert_outbox.to_mac AND alert_outbox.to_mac <> '')`

// pushable holds for an outbox row not sent nor failed nor claimed since
// the second argument (the first is now, for the retry time).
const pushable = `sent_at IS NULL AND status = '' AND to_sealed IS NOT NULL AND (next_at IS NULL OR next_at <= ?)
	AND (claimed_at IS NULL OR claimed_at < ?) AND ` + notOptedOut

// PushPending lists messages to push (see contacts.SenderStore).
func (db *DB) PushPending(ctx context.Context, channelID int64, now, claimedBefore time.Time, limit int) ([]contacts.Push, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (contacts.Push, error) {
		var p contacts.Push
		return p, sc.Scan(&p.ID, &p.UUID, &p.Message, &p.ToSealed, &p.BroadcastID, &p.AlertID, &p.IncidentID, &p.Attempts)
	}, fmt.Sprintf(`SELECT id, uuid, message, to_sealed, COALESCE(broadcast_id, 0), COALESCE(alert_id, 0),
		COALESCE((SELECT a.incident_id FROM alerts a WHERE a.id = alert_outbox.alert_id), 0), attempts FROM alert_outbox
		WHERE channel_id = ? AND `+pushable+` ORDER BY id LIMIT %d`, max(1, min(limit, 1000))), channelID, formatTime(now), formatTime(claimedBefore))
}

// ClaimPush claims one message for a push (see contacts.SenderStore).
func (db *DB) ClaimPush(ctx context.Context, id int64, now, claimedBefore time.Time) (bool, error) {
	res, err := db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET claimed_at = ? WHERE id = ? AND `+pushable,
		formatTime(now), id, formatTime(now), formatTime(claimedBefore))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// gatewayText is what a gateway said (its words, its id for a message),
// cut to at most n bytes, as text PostgreSQL takes: bytes that are not
// UTF-8 (a body in Latin-1, an id cut inside a character) become U+FFFD,
// where they would fail the write and leave the push's result unstored.
func gatewayText(s string, n int) string {
	return textscan.Clip(strings.ToValidUTF8(s, "\uFFFD"), n)
}

// RecordPush stores a push's result (see contacts.SenderStore). A
// delivery receipt that arrived before the push's answer is kept.
func (db *DB) RecordPush(ctx context.Context, id int64, r contacts.PushResult, now time.Time) error {
	ts := formatTime(now)
	var err error
	switch {
	case r.Sent:
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET sent_at = COALESCE(sent_at, ?), status = CASE WHEN status = '' THEN 'sent' ELSE status END,
			status_at = COALESCE(status_at, ?), gateway_ref = ?, attempts = attempts + 1, claimed_at = NULL, error = '', error_code = '', gateway_said = '' WHERE id = ?`, ts, ts, gatewayText(r.Ref, 64), id)
	case r.Final:
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET status = 'failed', status_at = ?, error = ?, error_code = ?, gateway_said = ?, attempts = attempts + 1, claimed_at = NULL WHERE id = ? AND status = ''`,
			ts, gatewayText(r.Error, 200), gatewayText(r.Code, 40), gatewayText(r.Said, 200), id)
	default:
		_, err = db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET next_at = ?, error = ?, error_code = ?, gateway_said = ?, attempts = attempts + 1, claimed_at = NULL WHERE id = ?`,
			formatTime(r.NextAt), gatewayText(r.Error, 200), gatewayText(r.Code, 40), gatewayText(r.Said, 200), id)
	}
	if err != nil {
		return err
	}
	return db.bumpForReplies(ctx, db.SQL, `id = ?`, id)
}

// FailInDoubt fails the messages whose push began before claimedBefore
// and recorded no result (see contacts.SenderStore).
func (db *DB) FailInDoubt(ctx context.Context, channelID int64, claimedBefore, now time.Time, errText string) (int, error) {
	res, err := db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET status = 'failed', status_at = ?, error = ?, error_code = ?, gateway_said = '', claimed_at = NULL
		WHERE channel_id = ? AND status = '' AND sent_at IS NULL AND claimed_at IS NOT NULL AND claimed_at < ?`,
		formatTime(now), gatewayText(errText, 200), contacts.FailInDoubt, channelID, formatTime(claimedBefore))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return int(n), err
	}
	return int(n), db.bumpForReplies(ctx, db.SQL, `channel_id = ? AND status = 'failed' AND status_at = ? AND error_code = ?`, channelID, formatTime(now), contacts.FailInDoubt)
}

// AuditDrain records what one drain of a gateway did (counts only).
func (db *DB) AuditDrain(ctx context.Context, channelID int64, sent, failed, retried int) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		return db.Audit(ctx, tx, audit.Entry{Actor: "gateway", Action: "broadcasts.push", Object: fmt.Sprintf("channel:%d", channelID),
			Detail: fmt.Sprintf("%d messages taken by the gateway, %d failed, %d to try again", sent, failed, retried)})
	})
}

// RecordReceipt stores a delivery report (see contacts.SenderStore): a
// final status (delivered, undelivered, failed) is never replaced by
// "sent" (callbacks may arrive out of order).
func (db *DB) RecordReceipt(ctx context.Context, channelID int64, r contacts.Receipt, f contacts.Failure, now time.Time) (bool, error) {
	// Ids from outside are matched as text: one that is not UTF-8 matches
	// none (PostgreSQL would refuse the query).
	uuid, ref, status := strings.ToValidUTF8(r.UUID, "\uFFFD"), gatewayText(r.Ref, 64), r.Status
	errText := f.Error()
	if f.Code == "" {
		errText = contacts.MaskPersonal(r.Error) // a gateway's words on a message it took
	}
	ts := formatTime(now)
	sentAt := any(nil)
	if status == contacts.StatusSent || status == contacts.StatusDelivered {
		sentAt = ts
	}
	q := `UPDATE alert_outbox SET status = ?, status_at = ?, error = ?, error_code = ?, gateway_said = ?, sent_at = COALESCE(sent_at, ?), claimed_at = NULL
		WHERE channel_id = ? AND NOT (? = 'sent' AND status IN ('delivered', 'undelivered', 'failed'))`
	args := []any{status, ts, gatewayText(errText, 200), gatewayText(f.Code, 40), gatewayText(f.Said, 200), sentAt, channelID, status}
	if uuid != "" {
		q += ` AND uuid = ?`
		args = append(args, uuid)
		if ref != "" {
			q = `UPDATE alert_outbox SET gateway_ref = CASE WHEN gateway_ref = '' THEN ? ELSE gateway_ref END, ` + q[len(`UPDATE alert_outbox SET `):]
			args = append([]any{ref}, args...)
		}
	} else {
		q += ` AND gateway_ref = ?`
		args = append(args, ref)
	}
	res, err := db.Exec(ctx, db.SQL, q, args...)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		if uuid != "" {
			return true, db.bumpForReplies(ctx, db.SQL, `channel_id = ? AND uuid = ?`, channelID, uuid)
		}
		return true, db.bumpForReplies(ctx, db.SQL, `channel_id = ? AND gateway_ref = ?`, channelID, ref)
	}
	// Known but not changed (a late "sent" after "delivered"): found.
	var n int
	key, val := "uuid", uuid
	if uuid == "" {
		key, val = "gateway_ref", ref
	}
	err = db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM alert_outbox WHERE channel_id = ? AND `+key+` = ?`, channelID, val).Scan(&n)
	return n > 0, err
}

var _ contacts.FailureStore = (*DB)(nil)

// BroadcastFailures counts a broadcast's failed messages by reason (see
// contacts.FailureStore): those failed for good (failed, undelivered) and
// those waiting to be tried again after a failed try (not sent, no status,
// an error, their contact not opted out).
func (db *DB) BroadcastFailures(ctx context.Context, id int64) ([]contacts.FailureGroup, error) {
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM broadcasts WHERE id = ?`, id).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, contacts.ErrNotFound
	}
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (contacts.FailureGroup, error) {
		var g contacts.FailureGroup
		var retry int
		err := sc.Scan(&g.Code, &g.Error, &g.Said, &g.Kind, &retry, &g.Count)
		g.Retry = retry != 0
		return g, err
	}, `SELECT o.error_code, CASE WHEN o.error_code = '' THEN o.error ELSE '' END, o.gateway_said, COALESCE(ch.kind, ''),
			CASE WHEN o.status = '' THEN 1 ELSE 0 END, COUNT(*)
		FROM alert_outbox o JOIN contacts c ON c.id = o.contact_id LEFT JOIN alert_channels ch ON ch.id = o.channel_id
		WHERE o.broadcast_id = ? AND (o.status IN ('failed', 'undelivered')
			OR o.status = '' AND o.sent_at IS NULL AND (o.error <> '' OR o.error_code <> '') AND c.opted_out_at IS NULL)
		GROUP BY o.error_code, CASE WHEN o.error_code = '' THEN o.error ELSE '' END, o.gateway_said, COALESCE(ch.kind, ''), CASE WHEN o.status = '' THEN 1 ELSE 0 END
		ORDER BY COUNT(*) DESC LIMIT 1000`, id)
}

var _ contacts.ResultStore = (*DB)(nil)

// AwaitingResults lists the messages an SMSSync phone is asked for results
// of (see contacts.ResultStore).
func (db *DB) AwaitingResults(ctx context.Context, channelID int64, since time.Time, limit int) ([]string, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (string, error) {
		var u string
		return u, sc.Scan(&u)
	}, fmt.Sprintf(`SELECT uuid FROM alert_outbox WHERE channel_id = ? AND sent_at IS NOT NULL AND sent_at >= ? AND status IN ('', 'sent')
		ORDER BY sent_at DESC, id DESC LIMIT %d`, max(1, min(limit, 1000))), channelID, formatTime(since))
}
