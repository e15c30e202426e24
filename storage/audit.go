package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
)

// auditTimeLayout is fixed-width so that stored times sort as text.
const auditTimeLayout = "2006-01-02T15:04:05.000000Z"

// Audit appends e to the audit log through q. Call it with the *sql.Tx of the
// change it records so that both commit or neither does (db.SQL is fine for
// events that change nothing else, such as a failed login).
func (db *DB) Audit(ctx context.Context, q Querier, e audit.Entry) error {
	e = e.Clip()
	if err := e.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC().Format(auditTimeLayout)
	_, err := db.Exec(ctx, q, `INSERT INTO audit_log (at, actor, action, object, detail) VALUES (?, ?, ?, ?, ?)`,
		now, e.Actor, e.Action, e.Object, e.Detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns audit records matching f, newest first. Pass the smallest
// returned ID as f.Before to read the next page.
func (db *DB) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Record, error) {
	var where []string
	var args []any
	if f.Actor != "" {
		where = append(where, "actor = ?")
		args = append(args, f.Actor)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			// Prefix match without LIKE wildcards in user input.
			where = append(where, "substr(action, 1, ?) = ?")
			args = append(args, len(f.Action), f.Action)
		} else {
			where = append(where, "action = ?")
			args = append(args, f.Action)
		}
	}
	if f.Object != "" {
		where = append(where, "object = ?")
		args = append(args, f.Object)
	}
	if !f.Since.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, f.Since.UTC().Format(auditTimeLayout))
	}
	if !f.Until.IsZero() {
		where = append(where, "at < ?")
		args = append(args, f.Until.UTC().Format(auditTimeLayout))
	}
	if f.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	if limit > audit.MaxLimit {
		limit = audit.MaxLimit
	}
	q := `SELECT id, at, actor, action, object, detail FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (audit.Record, error) {
		var r audit.Record
		var at string
		if err := sc.Scan(&r.ID, &at, &r.Actor, &r.Action, &r.Object, &r.Detail); err != nil {
			return r, err
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return r, fmt.Errorf("audit log id %d: bad time %q: %w", r.ID, at, err)
		}
		r.Time = t
		return r, nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
