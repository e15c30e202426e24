package storage

import (
	"context"
	"database/sql"
	"errors"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// The escalation webhook set in the browser (alerts.HookStore), one row of
// alert_escalation_hook (migration 0072).

var _ alerts.HookStore = (*DB)(nil)

// hookObject is the audit object of the escalation webhook.
const hookObject = "escalation-hook"

// EscalationHook answers the stored webhook; apperr.ErrNotFound for none.
func (db *DB) EscalationHook(ctx context.Context) (alerts.StoredHook, error) {
	var h alerts.StoredHook
	var updated string
	err := db.QueryRow(ctx, db.SQL, `SELECT url_sealed, updated, updated_by FROM alert_escalation_hook WHERE id = 1`).Scan(&h.URLSealed, &updated, &h.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.ErrNotFound
	}
	if err != nil {
		return h, err
	}
	h.Updated, err = parseTime(updated)
	return h, err
}

// SetEscalationHook stores h in place of any, audited, and makes the
// unsent notices nobody is posting due now, their tries counted anew
// (see alerts.HookStore), in one transaction.
func (db *DB) SetEscalationHook(ctx context.Context, actor string, h alerts.StoredHook, detail string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `UPDATE alert_escalation_hook SET url_sealed = ?, updated = ?, updated_by = ? WHERE id = 1`,
			h.URLSealed, formatTime(h.Updated), h.UpdatedBy)
		if err != nil {
			return err
		}
		action := "alerts.hook.change"
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			action = "alerts.hook.set"
			if _, err := db.Exec(ctx, tx, `INSERT INTO alert_escalation_hook (id, url_sealed, updated, updated_by) VALUES (1, ?, ?, ?)`,
				h.URLSealed, formatTime(h.Updated), h.UpdatedBy); err != nil {
				return err
			}
		}
		now := formatTime(h.Updated)
		if _, err := db.Exec(ctx, tx, `UPDATE alert_notices SET tries = 0, gave_up_at = NULL, next_at = ?
			WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)`, now, now); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: hookObject, Detail: detail})
	})
}

// RemoveEscalationHook deletes the stored webhook, audited;
// apperr.ErrNotFound when none was stored.
func (db *DB) RemoveEscalationHook(ctx context.Context, actor string, detail string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, apperr.ErrNotFound, `DELETE FROM alert_escalation_hook WHERE id = 1`); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.hook.remove", Object: hookObject, Detail: detail})
	})
}

// AuditHookTest records a test notice posted by actor.
func (db *DB) AuditHookTest(ctx context.Context, actor string, detail string) error {
	return db.Audit(ctx, db.SQL, audit.Entry{Actor: actor, Action: "alerts.hook.test", Object: hookObject, Detail: detail})
}
