package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
)

var _ auth.Store = (*DB)(nil)

const userCols = `id, name, role, password_hash, disabled, created, updated`

func scanAccount(sc rowScanner) (auth.Account, error) {
	var a auth.Account
	var role, created, updated string
	var disabled int
	if err := sc.Scan(&a.ID, &a.Name, &role, &a.PasswordHash, &disabled, &created, &updated); err != nil {
		return a, err
	}
	a.Role = auth.Role(role)
	a.Disabled = disabled != 0
	a.Created, _ = time.Parse(time.RFC3339, created)
	a.Updated, _ = time.Parse(time.RFC3339, updated)
	return a, nil
}

// CreateUser stores a new user and audits it in the same transaction.
func (db *DB) CreateUser(ctx context.Context, actor string, a auth.Account) (auth.Account, error) {
	now := time.Now().UTC().Truncate(time.Second)
	a.Created, a.Updated = now, now
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO users (name, role, password_hash, disabled, created, updated, digest_ha1) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.Name, string(a.Role), a.PasswordHash, boolToInt(a.Disabled), now.Format(time.RFC3339), now.Format(time.RFC3339), nullBytes(a.DigestHA1))
		if err != nil {
			if IsUniqueViolation(err) {
				return auth.ErrUserExists
			}
			return fmt.Errorf("create user: %w", err)
		}
		a.ID = id
		detail := "role " + string(a.Role)
		if a.Disabled {
			detail += ", disabled"
		}
		if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "user.create", Object: "user:" + a.Name, Detail: detail}); err != nil {
			return err
		}
		return db.auditDigest(ctx, tx, actor, a.Name, a.DigestHA1)
	})
	if err != nil {
		return auth.Account{}, err
	}
	a.DigestHA1 = nil
	return a, nil
}

// UserByName returns a user by name.
func (db *DB) UserByName(ctx context.Context, name string) (auth.Account, error) {
	a, err := scanAccount(db.QueryRow(ctx, db.SQL, `SELECT `+userCols+` FROM users WHERE name = ?`, name))
	return a, noRows(err, auth.ErrNoUser)
}

// Users lists all users by name.
func (db *DB) Users(ctx context.Context) ([]auth.Account, error) {
	return queryAll(ctx, db, db.SQL, scanAccount, `SELECT `+userCols+` FROM users ORDER BY name`)
}

// UpdateUser applies a change to a user and audits it in the same
// transaction. Disabling a user or changing their password ends their
// sessions.
func (db *DB) UpdateUser(ctx context.Context, actor, name string, ch auth.AccountChange) (auth.Account, error) {
	var out auth.Account
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := scanAccount(db.QueryRow(ctx, tx, `SELECT `+userCols+` FROM users WHERE name = ?`, name))
		if err != nil {
			return noRows(err, auth.ErrNoUser)
		}
		var what []string
		endSessions := false
		if ch.Role != nil && *ch.Role != a.Role {
			what = append(what, fmt.Sprintf("role %s -> %s", a.Role, *ch.Role))
			a.Role = *ch.Role
		}
		if ch.Disabled != nil && *ch.Disabled != a.Disabled {
			a.Disabled = *ch.Disabled
			if a.Disabled {
				what = append(what, "disabled")
				endSessions = true
			} else {
				what = append(what, "enabled")
			}
		}
		if ch.PasswordHash != nil {
			a.PasswordHash = *ch.PasswordHash
			what = append(what, "password changed")
			endSessions = true
		}
		if len(what) == 0 {
			out = a
			return nil
		}
		a.Updated = time.Now().UTC().Truncate(time.Second)
		if _, err := db.Exec(ctx, tx, `UPDATE users SET role = ?, disabled = ?, password_hash = ?, updated = ? WHERE id = ?`,
			string(a.Role), boolToInt(a.Disabled), a.PasswordHash, a.Updated.Format(time.RFC3339), a.ID); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if ch.PasswordHash != nil {
			// a Digest HA1 is derived from the old password: the new
			// one's replaces it (none: dropped)
			if _, err := db.Exec(ctx, tx, `UPDATE users SET digest_ha1 = ? WHERE id = ?`, nullBytes(ch.DigestHA1), a.ID); err != nil {
				return fmt.Errorf("update user: %w", err)
			}
		}
		if endSessions {
			if _, err := db.Exec(ctx, tx, `DELETE FROM sessions WHERE user_id = ?`, a.ID); err != nil {
				return err
			}
		}
		out = a
		if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "user.update", Object: "user:" + a.Name, Detail: strings.Join(what, ", ")}); err != nil {
			return err
		}
		if ch.PasswordHash == nil {
			return nil
		}
		return db.auditDigest(ctx, tx, actor, a.Name, ch.DigestHA1)
	})
	return out, err
}

// auditDigest audits, in tx, that user name's Digest credential was set
// (sealed, never its value), when it was (sealed not nil).
func (db *DB) auditDigest(ctx context.Context, tx *sql.Tx, actor, name string, sealed []byte) error {
	if sealed == nil {
		return nil
	}
	return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "user.digest", Object: "user:" + name, Detail: digestSet})
}

// CreateSession stores a session and audits the login.
func (db *DB) CreateSession(ctx context.Context, s auth.Session) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var name string
		if err := db.QueryRow(ctx, tx, `SELECT name FROM users WHERE id = ?`, s.UserID).Scan(&name); err != nil {
			return noRows(err, auth.ErrNoUser)
		}
		// Expired sessions are removed as new ones are made.
		if _, err := db.Exec(ctx, tx, `DELETE FROM sessions WHERE expires <= ?`, s.Created.Unix()); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO sessions (id_hash, user_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)`,
			s.IDHash, s.UserID, s.CSRF, s.Created.Unix(), s.Expires.Unix()); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: name, Action: "login.ok", Object: "user:" + name})
	})
}

// SessionByHash returns an unexpired session of an enabled user.
func (db *DB) SessionByHash(ctx context.Context, hash []byte, now time.Time) (auth.Session, auth.Account, error) {
	var s auth.Session
	var created, expires int64
	row := db.QueryRow(ctx, db.SQL, `SELECT s.id_hash, s.user_id, s.csrf, s.created, s.expires, `+prefixCols("u.", userCols)+`
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires > ? AND u.disabled = 0`, hash, now.Unix())
	var a auth.Account
	var role, ac, au string
	var disabled int
	err := row.Scan(&s.IDHash, &s.UserID, &s.CSRF, &created, &expires, &a.ID, &a.Name, &role, &a.PasswordHash, &disabled, &ac, &au)
	if errors.Is(err, sql.ErrNoRows) {
		return s, a, auth.ErrNoSession
	}
	if err != nil {
		return s, a, err
	}
	s.Created, s.Expires = time.Unix(created, 0).UTC(), time.Unix(expires, 0).UTC()
	a.Role, a.Disabled = auth.Role(role), disabled != 0
	a.Created, _ = time.Parse(time.RFC3339, ac)
	a.Updated, _ = time.Parse(time.RFC3339, au)
	return s, a, nil
}

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// DeleteSession removes a session and audits the logout.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var name string
		err := db.QueryRow(ctx, tx, `SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, hash).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM sessions WHERE id_hash = ?`, hash); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: name, Action: "logout", Object: "user:" + name})
	})
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(u int64) time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(u, 0).UTC()
}

// CreateToken stores an API token and audits it.
func (db *DB) CreateToken(ctx context.Context, actor string, t auth.Token) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var name string
		if err := db.QueryRow(ctx, tx, `SELECT name FROM users WHERE id = ?`, t.UserID).Scan(&name); err != nil {
			return noRows(err, auth.ErrNoUser)
		}
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO api_tokens (user_id, name, hash, created, expires) VALUES (?, ?, ?, ?, ?)`,
			t.UserID, t.Name, t.Hash, t.Created.Unix(), unixOrZero(t.Expires))
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		detail := "for user " + name
		if !t.Expires.IsZero() {
			detail += ", expires " + t.Expires.UTC().Format(time.RFC3339)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "token.create", Object: fmt.Sprintf("token:%d", id), Detail: detail})
	})
	return id, err
}

// TokenByHash returns an unexpired token of an enabled user.
func (db *DB) TokenByHash(ctx context.Context, hash []byte, now time.Time) (auth.Token, auth.Account, error) {
	var t auth.Token
	var a auth.Account
	var created, expires int64
	var role, ac, au string
	var disabled int
	err := db.QueryRow(ctx, db.SQL, `SELECT t.id, t.user_id, t.name, t.hash, t.created, t.expires, `+prefixCols("u.", userCols)+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND (t.expires = 0 OR t.expires > ?) AND u.disabled = 0`, hash, now.Unix()).
		Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &created, &expires, &a.ID, &a.Name, &role, &a.PasswordHash, &disabled, &ac, &au)
	if errors.Is(err, sql.ErrNoRows) {
		return t, a, auth.ErrNoToken
	}
	if err != nil {
		return t, a, err
	}
	t.Created, t.Expires = time.Unix(created, 0).UTC(), timeOrZero(expires)
	a.Role, a.Disabled = auth.Role(role), disabled != 0
	a.Created, _ = time.Parse(time.RFC3339, ac)
	a.Updated, _ = time.Parse(time.RFC3339, au)
	return t, a, nil
}

// Tokens lists a user's tokens, newest first, without their hashes.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]auth.Token, error) {
	return queryAll(ctx, db, db.SQL, scanToken, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
}

const tokenCols = `id, user_id, name, created, expires`

func scanToken(sc rowScanner) (auth.Token, error) {
	var t auth.Token
	var created, expires int64
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &created, &expires); err != nil {
		return t, err
	}
	t.Created, t.Expires = time.Unix(created, 0).UTC(), timeOrZero(expires)
	return t, nil
}

// TokenByID returns a token without its hash.
func (db *DB) TokenByID(ctx context.Context, id int64) (auth.Token, error) {
	t, err := scanToken(db.QueryRow(ctx, db.SQL, `SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`, id))
	return t, noRows(err, auth.ErrNoToken)
}

// RevokeToken deletes a token and audits it.
func (db *DB) RevokeToken(ctx context.Context, actor string, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var name string
		err := db.QueryRow(ctx, tx, `SELECT u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id).Scan(&name)
		if err != nil {
			return noRows(err, auth.ErrNoToken)
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM api_tokens WHERE id = ?`, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "token.revoke", Object: fmt.Sprintf("token:%d", id), Detail: "of user " + name})
	})
}

// Record appends an audit entry outside any other change.
func (db *DB) Record(ctx context.Context, e audit.Entry) error {
	return db.Audit(ctx, db.SQL, e)
}

// digestSet is the audit detail of a Digest credential set.
const digestSet = "digest credential set (sealed HA1)"

// SetDigestHA1 stores a user's sealed HTTP Digest HA1 (see package openrosa;
// nil removes it) and audits "user.digest" in the same transaction. The
// value itself is never logged or audited. auth.ErrNoUser if there is no
// such user.
func (db *DB) SetDigestHA1(ctx context.Context, actor, name string, sealed []byte) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var v any
		detail := "digest credential removed"
		if sealed != nil {
			v, detail = sealed, digestSet
		}
		res, err := db.Exec(ctx, tx, `UPDATE users SET digest_ha1 = ? WHERE name = ?`, v, name)
		if err != nil {
			return fmt.Errorf("set digest credential: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return auth.ErrNoUser
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "user.digest", Object: "user:" + name, Detail: detail})
	})
}

// DigestHA1 returns a user's sealed HTTP Digest HA1, nil when the user has
// none; auth.ErrNoUser if there is no such user.
func (db *DB) DigestHA1(ctx context.Context, name string) ([]byte, error) {
	var b []byte
	err := db.QueryRow(ctx, db.SQL, `SELECT digest_ha1 FROM users WHERE name = ?`, name).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrNoUser
	}
	if len(b) == 0 {
		b = nil
	}
	return b, err
}

var _ auth.LimitStore = (*DB)(nil)

// LoginFailures returns key's failures in a window that started after
// since (0 if none).
func (db *DB) LoginFailures(ctx context.Context, key []byte, since time.Time) (int, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT failures FROM login_failures WHERE key_hash = ? AND window_start > ?`,
		key, since.UnixMilli()).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

// AddLoginFailure counts a failure of key at now in one atomic upsert (so
// concurrent failures on several servers are all counted) and returns the
// count; a window that started at or before since restarts at now.
func (db *DB) AddLoginFailure(ctx context.Context, key []byte, now, since time.Time) (int, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `INSERT INTO login_failures (key_hash, failures, window_start) VALUES (?, 1, ?)
		ON CONFLICT (key_hash) DO UPDATE SET
			failures = CASE WHEN login_failures.window_start <= ? THEN 1 ELSE login_failures.failures + 1 END,
			window_start = CASE WHEN login_failures.window_start <= ? THEN excluded.window_start ELSE login_failures.window_start END
		RETURNING failures`, key, now.UnixMilli(), since.UnixMilli(), since.UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count a failed login: %w", err)
	}
	return n, nil
}

// ResetLoginFailures forgets key's failures.
func (db *DB) ResetLoginFailures(ctx context.Context, key []byte) error {
	if _, err := db.Exec(ctx, db.SQL, `DELETE FROM login_failures WHERE key_hash = ?`, key); err != nil {
		return fmt.Errorf("reset failed logins: %w", err)
	}
	return nil
}

// PruneLoginFailures deletes windows that started at or before since.
func (db *DB) PruneLoginFailures(ctx context.Context, since time.Time) (int64, error) {
	res, err := db.Exec(ctx, db.SQL, `DELETE FROM login_failures WHERE window_start <= ?`, since.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune failed logins: %w", err)
	}
	return res.RowsAffected()
}
