package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr"
)

var _ alerts.Store = (*DB)(nil)

// CreateChannel stores a new intake channel (secret already sealed).
func (db *DB) CreateChannel(ctx context.Context, actor string, c *alerts.Channel) error {
	defer db.forgetChannels()
	return db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO alert_channels (chan_key, kind, name, legal_basis, created, disabled, secret, tipline, lang)
			VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`, c.Key, string(c.Kind), c.Name, c.LegalBasis, formatTime(c.Created), nullBytes(c.SecretSealed), boolInt(c.Tipline), c.Lang)
		if err != nil {
			return fmt.Errorf("create channel: %w", err)
		}
		c.ID = id
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.channel.create", Object: fmt.Sprintf("channel:%d", id),
			Detail: fmt.Sprintf("kind %s, name %q, legal basis %s", c.Kind, c.Name, c.LegalBasis)})
	})
}

// PatchChannel applies p to channel id in one transaction: its tipline
// mark, its answers' language ("" none) and its disabled state, each that
// p names, with one audit entry each (alerts.channel.tipline "tipline
// on"/"tipline off", alerts.channel.lang "lang fr"/"lang none",
// alerts.channel.disable/enable). Nothing is stored or audited when any
// part fails; apperr.ErrNotFound when there is no such channel. p is
// checked by the caller.
func (db *DB) PatchChannel(ctx context.Context, actor string, id int64, p alerts.ChannelPatch) error {
	var sets []string
	var args []any
	var es []audit.Entry
	if p.Tipline != nil {
		e := audit.Entry{Action: "alerts.channel.tipline", Detail: "tipline off"}
		if *p.Tipline {
			e.Detail = "tipline on"
		}
		sets, args, es = append(sets, "tipline = ?"), append(args, boolInt(*p.Tipline)), append(es, e)
	}
	if p.Lang != nil {
		e := audit.Entry{Action: "alerts.channel.lang", Detail: "lang " + *p.Lang}
		if *p.Lang == "" {
			e.Detail = "lang none"
		}
		sets, args, es = append(sets, "lang = ?"), append(args, *p.Lang), append(es, e)
	}
	if p.Disabled != nil {
		e := audit.Entry{Action: "alerts.channel.enable", Detail: "enabled"}
		if *p.Disabled {
			e = audit.Entry{Action: "alerts.channel.disable", Detail: "disabled"}
		}
		sets, args, es = append(sets, "disabled = ?"), append(args, boolInt(*p.Disabled)), append(es, e)
	}
	if len(sets) == 0 {
		return nil
	}
	return db.setChannel(ctx, actor, id, strings.Join(sets, ", "), args, es...)
}

// SetChannelSecret replaces channel id's sealed secret, audited without it
// (alerts.channel.secret, "secret replaced"); apperr.ErrNotFound when
// there is no such channel.
func (db *DB) SetChannelSecret(ctx context.Context, actor string, id int64, sealed []byte) error {
	return db.setChannel(ctx, actor, id, "secret = ?", []any{nullBytes(sealed)}, audit.Entry{Action: "alerts.channel.secret", Detail: "secret replaced"})
}

// RemoveChannel removes channel id and its sending settings, audited
// (alerts.channel.remove, its kind and name), unless alerts, replies or
// broadcasts name it: then it removes nothing and answers how many;
// apperr.ErrNotFound when there is no such channel. A message that
// reaches the channel during the removal (on PostgreSQL, its transaction
// not yet committed when the counts were read) makes the DELETE fail on
// the foreign key: that is the keyed conflict
// alerts.refusal.channel-just-used, nothing removed.
func (db *DB) RemoveChannel(ctx context.Context, actor string, id int64) (alerts.ChannelUse, error) {
	var use alerts.ChannelUse
	defer db.forgetChannels()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := notFound(scanChannel(db.QueryRow(ctx, tx, `SELECT `+chanCols+` FROM alert_channels WHERE id = ?`, id)))
		if err != nil {
			return err
		}
		use.Name = c.Name
		if err := db.QueryRow(ctx, tx, `SELECT (SELECT COUNT(*) FROM alerts WHERE channel_id = ?),
			COALESCE((SELECT SUM(replies) FROM (`+channelSends+`) m WHERE channel_id = ?), 0),
			COALESCE((SELECT SUM(broadcasts) FROM (`+channelSends+`) m WHERE channel_id = ?), 0)`,
			id, id, id).Scan(&use.Alerts, &use.Replies, &use.Broadcasts); err != nil {
			return err
		}
		if use.Used() {
			return nil
		}
		for _, q := range []string{`DELETE FROM broadcast_gateways WHERE channel_id = ?`, `DELETE FROM alert_channels WHERE id = ?`} {
			if _, err := db.Exec(ctx, tx, q, id); err != nil {
				return fmt.Errorf("remove channel: %w", err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.channel.remove", Object: fmt.Sprintf("channel:%d", id),
			Detail: fmt.Sprintf("kind %s, name %q", c.Kind, c.Name)})
	})
	if IsForeignKeyViolation(err) {
		return use, apperr.Say(apperr.KindConflict, "", "alerts.refusal.channel-just-used", use.Name)
	}
	return use, err
}

// channelSends lists what each channel sent, a row each: a reply (an
// outgoing message queued for a gateway that is no broadcast's: answers
// to alerts, integrity answers) counts 1 in replies, a broadcast
// (scheduled, queued or sent, however many messages it queued) 1 in
// broadcasts. Both RemoveChannel's refusal and the admin page's stats
// (SentCounts) count them, so that the page offers to remove only what
// the server would, and says the same figures.
const channelSends = `SELECT channel_id, 1 AS replies, 0 AS broadcasts FROM alert_outbox WHERE broadcast_id IS NULL
	UNION ALL SELECT channel_id, 0, 1 FROM broadcasts`

// SentCounts counts the replies and broadcasts each channel sent
// (channelSends), as RemoveChannel does; channels with none are absent.
func (db *DB) SentCounts(ctx context.Context) (map[int64]alerts.ChannelUse, error) {
	out := map[int64]alerts.ChannelUse{}
	err := eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var id int64
		var u alerts.ChannelUse
		err := sc.Scan(&id, &u.Replies, &u.Broadcasts)
		out[id] = u
		return err
	}, `SELECT channel_id, SUM(replies), SUM(broadcasts) FROM (`+channelSends+`) m WHERE channel_id IS NOT NULL GROUP BY channel_id`)
	return out, err
}

// setChannel sets channel id's columns as sets says ("col = ?, …", made of
// constants of this file, never input) with args, and writes each audit
// entry of es (its actor and object filled in), all in one transaction;
// apperr.ErrNotFound when there is no such channel.
func (db *DB) setChannel(ctx context.Context, actor string, id int64, sets string, args []any, es ...audit.Entry) error {
	defer db.forgetChannels()
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `UPDATE alert_channels SET `+sets+` WHERE id = ?`, append(args, id)...)
		if err != nil {
			return fmt.Errorf("channel %s: %w", sets, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return apperr.ErrNotFound
		}
		for _, e := range es {
			e.Actor, e.Object = actor, fmt.Sprintf("channel:%d", id)
			if err := db.Audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

const chanCols = `id, chan_key, kind, name, legal_basis, created, disabled, secret, tipline, lang`

func scanChannel(sc rowScanner) (alerts.Channel, error) {
	var c alerts.Channel
	var kind, created string
	var dis, tip int
	if err := sc.Scan(&c.ID, &c.Key, &kind, &c.Name, &c.LegalBasis, &created, &dis, &c.SecretSealed, &tip, &c.Lang); err != nil {
		return c, err
	}
	c.Kind, c.Disabled, c.Tipline = alerts.Kind(kind), dis != 0, tip != 0
	t, err := parseTime(created)
	c.Created = t
	return c, err
}

// Channels lists the intake channels.
func (db *DB) Channels(ctx context.Context) ([]alerts.Channel, error) {
	return queryAll(ctx, db, db.SQL, scanChannel, `SELECT `+chanCols+` FROM alert_channels ORDER BY id`)
}

// ResealChannels re-encrypts channel secrets with fn.
func (db *DB) ResealChannels(ctx context.Context, actor string, fn func(old []byte) ([]byte, error)) (int, error) {
	n := 0
	defer db.forgetChannels()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = db.resealColumn(ctx, tx, "alert_channels", "secret", func(id int64, old []byte) ([]byte, error) {
			nb, err := fn(old)
			if err != nil {
				return nil, fmt.Errorf("channel %d: %w", id, err)
			}
			return nb, nil
		})
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.channel.reseal", Object: "alert_channels", Detail: fmt.Sprintf("%d secrets re-encrypted", n)})
	})
	return n, err
}

// resealColumn replaces every non-NULL value of table.col with fn(id, value)
// inside tx, returning how many it changed. table and col are constants of
// the caller, never user input.
func (db *DB) resealColumn(ctx context.Context, tx *sql.Tx, table, col string, fn func(id int64, old []byte) ([]byte, error)) (int, error) {
	rows, err := db.Query(ctx, tx, fmt.Sprintf(`SELECT id, %s FROM %s WHERE %s IS NOT NULL`, col, table, col))
	if err != nil {
		return 0, err
	}
	type row struct {
		id int64
		b  []byte
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.b); err != nil {
			rows.Close()
			return 0, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range rs {
		nb, err := fn(r.id, r.b)
		if err != nil {
			return 0, err
		}
		if _, err := db.Exec(ctx, tx, fmt.Sprintf(`UPDATE %s SET %s = ? WHERE id = ?`, table, col), nb, r.id); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}

var openStatuses = []alerts.Status{alerts.Received, alerts.Triaged, alerts.Verified, alerts.Unverified, alerts.Dispatched}

func statusList(ss []alerts.Status) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + string(s) + "'"
	}
	return strings.Join(q, ", ")
}

// ReceiveAlerts stores alerts in one transaction (see alerts.Store).
//
// Several servers may share one PostgreSQL database. Two things make that
// safe here: the transaction first takes an advisory lock on every grouping
// cell its alerts could join (groupLocks), so two alerts from one place never
// both decide "no open incident nearby"; and a transaction that loses a race
// (a gateway retry that reached both servers at once and hit the unique key
// on channel and message id, or a deadlock) is run again, and then finds the
// winner's rows — the retry is answered as the duplicate it is.
func (db *DB) ReceiveAlerts(ctx context.Context, as []*alerts.Alert, g alerts.Grouping) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.receiveAlertsTx(ctx, as, g)
		if err == nil || !isConflict(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func (db *DB) receiveAlertsTx(ctx context.Context, as []*alerts.Alert, g alerts.Grouping) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if db.Dialect == Postgres {
			// SQLite needs nothing: its transactions begin IMMEDIATE, one
			// writer at a time, across processes too.
			// One statement, the keys locked in array (sorted) order.
			if err := db.advisoryLocks(ctx, tx, groupLocks(as, g)); err != nil {
				return err
			}
		}
		q := &stmtCache{tx: tx, m: map[string]*sql.Stmt{}}
		defer q.close()
		stored := 0
		for _, a := range as {
			a.ID, a.IncidentID, a.Duplicate = 0, 0, false
			if err := db.receiveOne(ctx, q, a, g); err != nil {
				return err
			}
			if !a.Duplicate {
				stored++
			}
		}
		if stored == 0 {
			return nil
		}
		return db.bumpAlertQueue(ctx, q)
	})
}

// groupLockSpace tags the advisory lock keys of incident grouping, so they
// cannot meet other users' keys by chance.
const groupLockSpace = "vigil.alerts.group"

// groupLocks returns, sorted and without repeats, the advisory lock keys of
// the grouping cells (alerts.Grouping.Cells) that the search boxes of as
// touch: two alerts that could join one incident lock a common cell, so two
// such transactions never choose concurrently. Locks are taken in one order
// at the start of the transaction, so two batches cannot deadlock on them.
func groupLocks(as []*alerts.Alert, g alerts.Grouping) []int64 {
	var names []string
	for _, a := range as {
		for _, c := range g.Cells(a) {
			names = append(names, fmt.Sprintf("%d:%d", c[0], c[1]))
		}
	}
	return lockKeys(groupLockSpace, names)
}

// lockKeys returns, sorted and without repeats, the advisory lock keys of
// names in space (a tag that keeps one use's keys from meeting another's).
func lockKeys(space string, names []string) []int64 {
	keys := make([]int64, 0, len(names))
	for _, n := range names {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s:%s", space, n)
		keys = append(keys, int64(h.Sum64()))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// advisoryLocks takes PostgreSQL's transaction advisory locks on keys in
// tx, in one statement and in the keys' order (lockKeys sorts them), so
// two transactions taking some of the same keys cannot deadlock on them.
// None is an empty list.
func (db *DB) advisoryLocks(ctx context.Context, tx *sql.Tx, keys []int64) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := db.Exec(ctx, tx, `SELECT pg_advisory_xact_lock(k) FROM unnest(?::bigint[]) WITH ORDINALITY AS u(k, n)`, keys)
	return err
}

// bumpAlertQueue adds one to the queue's change counter (see QueueVersion).
// Called last in a transaction, so the row lock is held only until commit.
func (db *DB) bumpAlertQueue(ctx context.Context, q Querier) error {
	_, err := db.Exec(ctx, q, `UPDATE alert_changes SET version = version + 1 WHERE id = 1`)
	return err
}

// bumpForReplies bumps the queue's change counter (as bumpAlertQueue)
// when an outbox message that where selects (a condition on
// alert_outbox, with its args) is a reply's or a tipline answer's, not a
// broadcast's: what became of it is on its incident's timeline, and the
// counter is what the live stream follows (alerts.Service.WatchStore),
// so a page open on the timeline shows it at once.
func (db *DB) bumpForReplies(ctx context.Context, q Querier, where string, args ...any) error {
	_, err := db.Exec(ctx, q, `UPDATE alert_changes SET version = version + 1 WHERE id = 1
		AND EXISTS (SELECT 1 FROM alert_outbox WHERE broadcast_id IS NULL AND `+where+`)`, args...)
	return err
}

// auditQueueChange writes the audit entry of a change to the alert queue,
// then bumps the queue's change counter (last in the transaction, as
// bumpAlertQueue wants).
func (db *DB) auditQueueChange(ctx context.Context, tx *sql.Tx, e audit.Entry) error {
	if err := db.Audit(ctx, tx, e); err != nil {
		return err
	}
	return db.bumpAlertQueue(ctx, tx)
}

// QueueVersion returns the queue's change counter: every committed
// transaction that creates or changes an alert or an incident adds one.
func (db *DB) QueueVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.QueryRow(ctx, db.SQL, `SELECT version FROM alert_changes WHERE id = 1`).Scan(&v)
	return v, err
}

// checkSealed guards the rule that reporters' free text reaches the
// database only sealed: an alert carrying clear text without its
// ciphertext is refused rather than stored in clear or silently dropped.
func checkSealed(a *alerts.Alert) error {
	l := a.Location
	switch {
	case a.Message != "" && len(a.MessageSealed) == 0:
		return errors.New("store alert: message is not sealed")
	case l.Text != "" && len(l.TextSealed) == 0:
		return errors.New("store alert: location text is not sealed")
	case l.Note != "" && len(l.NoteSealed) == 0:
		return errors.New("store alert: location note is not sealed")
	}
	return nil
}

// stmtCache is a Querier over a transaction that prepares each distinct
// query once, so a group commit of many alerts parses its SQL once; the
// integrity and events batch writers keep their multi-row statements (one
// per size) in one too. The zero value with tx set is ready.
type stmtCache struct {
	tx *sql.Tx
	m  map[string]*sql.Stmt
}

func (c *stmtCache) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.m[q]; ok {
		return st, nil
	}
	st, err := c.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st, nil
}

func (c *stmtCache) close() {
	for _, st := range c.m {
		st.Close()
	}
}

func (c *stmtCache) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, q)
	if err != nil {
		// Let the caller see the error through Scan.
		return c.tx.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (db *DB) receiveOne(ctx context.Context, tx Querier, a *alerts.Alert, g alerts.Grouping) error {
	if err := checkSealed(a); err != nil {
		return err
	}
	if a.GatewayID != "" {
		err := db.QueryRow(ctx, tx, `SELECT id, incident_id FROM alerts WHERE channel_id = ? AND gateway_id = ?`, a.ChannelID, a.GatewayID).Scan(&a.ID, &a.IncidentID)
		if err == nil {
			a.Duplicate = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	now := formatTime(a.ReceivedAt)
	l := a.Location
	// The incident to join is alerts' decision (g.Join) among the open
	// incidents in the area g.Search names; the store only finds them.
	var incID int64
	if area, ok := g.Search(a); ok {
		cands, err := db.incidentCandidates(ctx, tx, area)
		if err != nil {
			return err
		}
		incID = g.Join(a, cands)
	}
	if incID != 0 {
		if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET last_at = CASE WHEN last_at < ? THEN ? ELSE last_at END,
			alert_count = alert_count + 1, updated_at = ? WHERE id = ?`, now, now, now, incID); err != nil {
			return err
		}
	} else {
		var err error
		incID, err = db.InsertID(ctx, tx, `INSERT INTO alert_incidents (status, loc_status, loc_text_sealed, loc_note_sealed, loc_place, lat, lon, precision_m,
			first_at, last_at, alert_count, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
			string(alerts.Received), l.Status, nullBytes(l.TextSealed), nullBytes(l.NoteSealed), l.Place, nullFloat(l.Lat), nullFloat(l.Lon), l.PrecisionM, now, now, now)
		if err != nil {
			return err
		}
	}
	// message, loc_text and loc_note (the clear columns of older versions)
	// are left at ''; the text is only in the *_sealed columns.
	id, err := db.InsertID(ctx, tx, `INSERT INTO alerts (channel_id, incident_id, gateway_id, message, message_sealed, received_at, sent_at, sent_to,
		phone, name, loc_status, loc_text_sealed, loc_note_sealed, loc_place, lat, lon, precision_m, intake)
		VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ChannelID, incID, nullString(a.GatewayID), nullBytes(a.MessageSealed), now, nullTime(&a.SentAt), a.SentTo, nullBytes(a.PhoneSealed), nullBytes(a.NameSealed),
		l.Status, nullBytes(l.TextSealed), nullBytes(l.NoteSealed), l.Place, nullFloat(l.Lat), nullFloat(l.Lon), l.PrecisionM, a.Intake)
	if err != nil {
		return fmt.Errorf("store alert: %w", err)
	}
	a.ID, a.IncidentID = id, incID
	// An alert a user typed in is received in their name.
	logActor, auditActor := "system", "intake"
	if a.TypedBy != "" {
		logActor, auditActor = a.TypedBy, a.TypedBy
	}
	if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, ?, ?, ?)`,
		incID, now, logActor, "alert", fmt.Sprintf("alert %d received (location %s)", id, l.Status)); err != nil {
		return err
	}
	return db.Audit(ctx, tx, audit.Entry{Actor: auditActor, Action: "alerts.receive", Object: fmt.Sprintf("alert:%d", id),
		Detail: fmt.Sprintf("channel %d, incident %d", a.ChannelID, incID)})
}

// incidentCandidates returns the open incidents positioned in area whose
// last alert is at or after area.Since, in the database's order.
func (db *DB) incidentCandidates(ctx context.Context, tx Querier, area alerts.SearchArea) ([]alerts.IncidentCandidate, error) {
	return queryAll(ctx, db, tx, func(sc rowScanner) (alerts.IncidentCandidate, error) {
		var c alerts.IncidentCandidate
		err := sc.Scan(&c.ID, &c.Lat, &c.Lon)
		return c, err
	}, `SELECT id, lat, lon FROM alert_incidents
		WHERE status IN (`+statusList(openStatuses)+`) AND last_at >= ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?`,
		formatTime(area.Since), area.South, area.North, area.West, area.East)
}

const alertCols = `id, channel_id, incident_id, gateway_id, message, received_at, sent_at, sent_to, phone, name, anonymised,
	loc_status, loc_text, loc_note, loc_place, lat, lon, precision_m, message_sealed, loc_text_sealed, loc_note_sealed, intake`

func scanAlert(sc rowScanner) (alerts.Alert, error) {
	var a alerts.Alert
	var gw, sent sql.NullString
	var recv string
	var anon int
	var lat, lon sql.NullFloat64
	err := sc.Scan(&a.ID, &a.ChannelID, &a.IncidentID, &gw, &a.Message, &recv, &sent, &a.SentTo, &a.PhoneSealed, &a.NameSealed, &anon,
		&a.Location.Status, &a.Location.Text, &a.Location.Note, &a.Location.Place, &lat, &lon, &a.Location.PrecisionM,
		&a.MessageSealed, &a.Location.TextSealed, &a.Location.NoteSealed, &a.Intake)
	if err != nil {
		return a, err
	}
	a.GatewayID, a.Anonymised = gw.String, anon != 0
	if a.ReceivedAt, err = parseTime(recv); err != nil {
		return a, err
	}
	if st, err := parseNullTime(sent); err != nil {
		return a, err
	} else if st != nil {
		a.SentAt = *st
	}
	a.Location.Lat, a.Location.Lon = parseNullPoint(lat, lon)
	a.HasReporter = len(a.PhoneSealed) > 0 || len(a.NameSealed) > 0
	return a, nil
}

// Alert returns one alert.
func (db *DB) Alert(ctx context.Context, id int64) (alerts.Alert, error) {
	return notFound(scanAlert(db.QueryRow(ctx, db.SQL, `SELECT `+alertCols+` FROM alerts WHERE id = ?`, id)))
}

// Alerts lists alerts, newest first (oldest first with f.Ascending).
func (db *DB) Alerts(ctx context.Context, f alerts.AlertFilter) ([]alerts.Alert, error) {
	q := `SELECT ` + alertCols + ` FROM alerts WHERE 1=1`
	var args []any
	if f.IncidentID > 0 {
		q += ` AND incident_id = ?`
		args = append(args, f.IncidentID)
	}
	if f.SinceID > 0 {
		q += ` AND id > ?`
		args = append(args, f.SinceID)
	}
	limit := f.Limit
	if limit <= 0 || limit > alerts.MaxAlertPage {
		limit = 200
	}
	order := "DESC"
	if f.Ascending {
		order = "ASC"
	}
	q += fmt.Sprintf(` ORDER BY id %s LIMIT %d`, order, limit)
	return queryAll(ctx, db, db.SQL, scanAlert, q, args...)
}

// AlertCounts counts the alerts received at or after since (zero: all) by
// channel and intake, with the last one's time (only those columns are
// read: no message is opened).
func (db *DB) AlertCounts(ctx context.Context, since time.Time) ([]alerts.AlertCount, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (alerts.AlertCount, error) {
		var c alerts.AlertCount
		var last string
		err := sc.Scan(&c.ChannelID, &c.Intake, &c.N, &last)
		if err == nil {
			c.Last, err = parseTime(last)
		}
		return c, err
	}, `SELECT channel_id, intake, COUNT(*), MAX(received_at) FROM alerts WHERE received_at >= ? GROUP BY channel_id, intake ORDER BY channel_id, intake`,
		formatTime(since))
}

// FirstAlerts returns the first (lowest id) alert of each incident in ids,
// keyed by incident id; incidents with no alert are absent.
func (db *DB) FirstAlerts(ctx context.Context, ids []int64) (map[int64]alerts.Alert, error) {
	out := map[int64]alerts.Alert{}
	err := eachRowIn(ctx, db, ids, func(ph string) string {
		return `SELECT ` + alertCols + ` FROM alerts WHERE id IN (SELECT MIN(id) FROM alerts WHERE incident_id IN (` + ph + `) GROUP BY incident_id)`
	}, func(sc rowScanner) error {
		a, err := scanAlert(sc)
		out[a.IncidentID] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevealReporter audits a reveal of an alert's reporter and returns the
// alert (the audit entry commits before anything is returned).
func (db *DB) RevealReporter(ctx context.Context, actor string, id int64, reason string) (alerts.Alert, error) {
	var a alerts.Alert
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = scanAlert(db.QueryRow(ctx, tx, `SELECT `+alertCols+` FROM alerts WHERE id = ?`, id))
		if err != nil {
			return noRows(err, apperr.ErrNotFound)
		}
		if a.Anonymised || !a.HasReporter {
			return apperr.FieldErr(apperr.KindInvalid, "alert", apperr.Text("no reporter details stored (anonymous or purged by the retention policy)"))
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.reporter.reveal", Object: fmt.Sprintf("alert:%d", id), Detail: reason})
	})
	return a, err
}

// ResealAlerts re-encrypts reporter details and outgoing recipients with fn.
func (db *DB) ResealAlerts(ctx context.Context, actor string, fn func(old []byte, aad string) ([]byte, error)) (int, error) {
	n := 0
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, t := range []struct{ table, col, aad string }{
			{"alerts", "phone", "alerts.reporter_phone"}, {"alerts", "name", "alerts.reporter_name"}, {"alert_outbox", "to_sealed", "alert_outbox.to"}, {"contacts", "phone_sealed", contacts.AADPhone}, {"contacts", "name_sealed", contacts.AADName},
			{"alerts", "message_sealed", alerts.AADMessage}, {"alerts", "loc_text_sealed", alerts.AADLocationText}, {"alerts", "loc_note_sealed", alerts.AADLocationNote},
			{"alert_incidents", "loc_text_sealed", alerts.AADLocationText}, {"alert_incidents", "loc_note_sealed", alerts.AADLocationNote},
			{"alert_escalation_hook", "url_sealed", alerts.AADEscalationHook},
		} {
			k, err := db.resealColumn(ctx, tx, t.table, t.col, func(id int64, old []byte) ([]byte, error) {
				nb, err := fn(old, t.aad)
				if err != nil {
					return nil, fmt.Errorf("%s %d %s: %w", t.table, id, t.col, err)
				}
				return nb, nil
			})
			if err != nil {
				return err
			}
			n += k
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.reseal", Object: "alerts", Detail: fmt.Sprintf("%d values re-encrypted", n)})
	})
	return n, err
}

// SealClearText converts the free text that versions before migration 0011
// stored in clear (see alerts.Store): in one transaction, for every alert
// and incident row whose message, loc_text or loc_note is not empty, it
// writes seal(text) to the matching *_sealed column and blanks the clear
// one. Rows already converted are not touched, so a second run converts 0.
// On SQLite the transaction runs with secure_delete on, and after it commits
// the database is rewritten (VACUUM, then a WAL checkpoint) so no copy of the
// clear text stays in free space; on PostgreSQL the two tables are rewritten
// with VACUUM FULL (dead row versions would keep it).
func (db *DB) SealClearText(ctx context.Context, actor string, seal func(clear, aad string) ([]byte, error)) (int, error) {
	n := 0
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		n = 0
		if db.Dialect == SQLite {
			var prev int
			if err := tx.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&prev); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
				return err
			}
			defer tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA secure_delete = %d`, prev))
		}
		type col struct{ name, aad string }
		for _, t := range []struct {
			table string
			cols  []col
		}{
			{"alerts", []col{{"message", alerts.AADMessage}, {"loc_text", alerts.AADLocationText}, {"loc_note", alerts.AADLocationNote}}},
			{"alert_incidents", []col{{"loc_text", alerts.AADLocationText}, {"loc_note", alerts.AADLocationNote}}},
		} {
			names, where := make([]string, len(t.cols)), make([]string, len(t.cols))
			for i, c := range t.cols {
				names[i], where[i] = c.name, c.name+" <> ''"
			}
			// table and column names are the constants above, never input.
			sel := fmt.Sprintf(`SELECT id, %s FROM %s WHERE id > ? AND (%s) ORDER BY id LIMIT 500`,
				strings.Join(names, ", "), t.table, strings.Join(where, " OR "))
			last := int64(0)
			for {
				type row struct {
					id   int64
					vals []string
				}
				var rs []row
				rows, err := db.Query(ctx, tx, sel, last)
				if err != nil {
					return err
				}
				for rows.Next() {
					r := row{vals: make([]string, len(t.cols))}
					dst := []any{&r.id}
					for i := range r.vals {
						dst = append(dst, &r.vals[i])
					}
					if err := rows.Scan(dst...); err != nil {
						rows.Close()
						return err
					}
					rs = append(rs, r)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				if len(rs) == 0 {
					break
				}
				for _, r := range rs {
					var sets []string
					var args []any
					for i, c := range t.cols {
						if r.vals[i] == "" {
							continue
						}
						b, err := seal(r.vals[i], c.aad)
						if err != nil {
							return fmt.Errorf("%s %d %s: %w", t.table, r.id, c.name, err)
						}
						sets = append(sets, c.name+" = '', "+c.name+"_sealed = ?")
						args = append(args, b)
					}
					if _, err := db.Exec(ctx, tx, fmt.Sprintf(`UPDATE %s SET %s WHERE id = ?`, t.table, strings.Join(sets, ", ")), append(args, r.id)...); err != nil {
						return err
					}
					n++
					last = r.id
				}
			}
		}
		if n == 0 {
			return nil
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.seal_text", Object: "alerts",
			Detail: fmt.Sprintf("free text of %d alert and incident rows written in clear by an older version sealed", n)})
	})
	if err != nil || n == 0 {
		return n, err
	}
	// The UPDATEs leave copies of the old text in free space of the pages
	// they rewrote (SQLite, even with secure_delete, when rows move between
	// pages) or in dead row versions (PostgreSQL). Rewrite the tables once.
	// This runs only when rows were converted, i.e. once, at the upgrade.
	scrub := []string{`VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`}
	if db.Dialect == Postgres {
		scrub = []string{`VACUUM FULL alerts, alert_incidents`}
	}
	for _, q := range scrub {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			return n, fmt.Errorf("%d rows sealed, but %s to remove the old copies failed (run it by hand): %w", n, q, err)
		}
	}
	return n, nil
}

// PurgeReporters removes reporter details from alerts received before t.
func (db *DB) PurgeReporters(ctx context.Context, actor string, before time.Time) (int, error) {
	var n int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `UPDATE alerts SET phone = NULL, name = NULL, anonymised = 1
			WHERE received_at < ? AND (phone IS NOT NULL OR name IS NOT NULL)`, formatTime(before))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if _, err := db.Exec(ctx, tx, `UPDATE alert_outbox SET to_sealed = NULL WHERE created < ? AND to_sealed IS NOT NULL`, formatTime(before)); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.retention.purge", Object: "alerts",
			Detail: fmt.Sprintf("reporter details removed from %d alerts received before %s", n, formatTime(before))})
	})
	return int(n), err
}

const incCols = `id, status, priority, assignee, title, summary, loc_status, loc_text, loc_note, loc_place, lat, lon, precision_m,
	first_at, last_at, alert_count, triaged_at, verified_at, responded_at, resolved_at, closed_at, escalated_at, event_id, cap_count, updated_at,
	loc_text_sealed, loc_note_sealed, category, reporter_sex, loc_set_by`

func scanIncident(sc rowScanner) (alerts.Incident, error) {
	var in alerts.Incident
	var status, first, last, upd string
	var lat, lon sql.NullFloat64
	var ts [6]sql.NullString
	var ev sql.NullInt64
	err := sc.Scan(&in.ID, &status, &in.Priority, &in.Assignee, &in.Title, &in.Summary, &in.Location.Status, &in.Location.Text,
		&in.Location.Note, &in.Location.Place, &lat, &lon, &in.Location.PrecisionM, &first, &last, &in.AlertCount,
		&ts[0], &ts[1], &ts[2], &ts[3], &ts[4], &ts[5], &ev, &in.CAPCount, &upd, &in.Location.TextSealed, &in.Location.NoteSealed,
		&in.Category, &in.ReporterSex, &in.Location.SetBy)
	if err != nil {
		return in, err
	}
	in.Status = alerts.Status(status)
	in.Location.Lat, in.Location.Lon = parseNullPoint(lat, lon)
	in.EventID = ev.Int64
	var tf timeFields
	for i, p := range []**time.Time{&in.TriagedAt, &in.VerifiedAt, &in.RespondedAt, &in.ResolvedAt, &in.ClosedAt, &in.EscalatedAt} {
		tf.maybe(p, ts[i])
	}
	tf.at(&in.FirstAt, first)
	tf.at(&in.LastAt, last)
	tf.at(&in.UpdatedAt, upd)
	return in, tf.err
}

// Incident returns one incident.
func (db *DB) Incident(ctx context.Context, id int64) (alerts.Incident, error) {
	return db.incident(ctx, db.SQL, id)
}

func (db *DB) incident(ctx context.Context, q Querier, id int64) (alerts.Incident, error) {
	return notFound(scanIncident(db.QueryRow(ctx, q, `SELECT `+incCols+` FROM alert_incidents WHERE id = ?`, id)))
}

// Incidents lists incidents, most recent activity first.
func (db *DB) Incidents(ctx context.Context, f alerts.IncidentFilter) ([]alerts.Incident, error) {
	q := `SELECT ` + incCols + ` FROM alert_incidents WHERE 1=1`
	var args []any
	st := f.Status
	if f.OpenOnly {
		st = openStatuses
	}
	if len(st) > 0 {
		for _, s := range st {
			if _, err := alerts.ParseStatus(string(s)); err != nil {
				return nil, apperr.FieldErr(apperr.KindInvalid, "status", err)
			}
		}
		q += ` AND status IN (` + statusList(st) + `)`
	}
	if !f.Since.IsZero() {
		q += ` AND first_at >= ?`
		args = append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		q += ` AND first_at < ?`
		args = append(args, formatTime(f.Until))
	}
	limit := f.Limit
	if limit <= 0 || limit > 10000 {
		limit = 500
	}
	q += fmt.Sprintf(` ORDER BY last_at DESC, id DESC LIMIT %d`, limit)
	return queryAll(ctx, db, db.SQL, scanIncident, q, args...)
}

// UpdateIncident applies a triage change, logging and auditing it.
func (db *DB) UpdateIncident(ctx context.Context, actor string, id int64, u alerts.Update, now time.Time) (alerts.Incident, error) {
	var out alerts.Incident
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		in, err := db.incident(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.RequestID != "" {
			repeat, err := db.incidentRequest(ctx, tx, actor, id, u, now)
			if err != nil || repeat {
				out = in
				return err
			}
		}
		ts := formatTime(now)
		var changes []string
		logs := [][2]string{}
		set := func(col string, v any) error {
			_, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET `+col+` = ? WHERE id = ?`, v, id)
			return err
		}
		if u.Status != nil && *u.Status != in.Status {
			to := *u.Status
			if !alerts.CanMove(in.Status, to) {
				return apperr.Fieldf(apperr.KindConflict, "status", "cannot move from %s to %s", alerts.StatusWord(in.Status), alerts.StatusWord(to))
			}
			if err := set("status", string(to)); err != nil {
				return err
			}
			stamp := map[alerts.Status]string{alerts.Triaged: "triaged_at", alerts.Verified: "verified_at", alerts.Dispatched: "responded_at",
				alerts.Resolved: "resolved_at", alerts.Closed: "closed_at"}
			if col, ok := stamp[to]; ok {
				if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET `+col+` = COALESCE(`+col+`, ?) WHERE id = ?`, ts, id); err != nil {
					return err
				}
			}
			if to == alerts.False || to == alerts.Unverified {
				// Deciding it is false or unverifiable is a triage decision.
				if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET triaged_at = COALESCE(triaged_at, ?) WHERE id = ?`, ts, id); err != nil {
					return err
				}
			}
			changes = append(changes, fmt.Sprintf("status %s→%s", in.Status, to))
			logs = append(logs, [2]string{"status", fmt.Sprintf("%s → %s", in.Status, to)})
		}
		for _, f := range []struct {
			col, kind string
			v         *string
			old       string
		}{{"priority", "priority", u.Priority, in.Priority}, {"assignee", "assign", u.Assignee, in.Assignee},
			{"title", "title", u.Title, in.Title}, {"summary", "summary", u.Summary, in.Summary},
			{"category", "category", u.Category, in.Category}, {"reporter_sex", "reporter_sex", u.ReporterSex, in.ReporterSex}} {
			if f.v == nil || *f.v == f.old {
				continue
			}
			if err := set(f.col, *f.v); err != nil {
				return err
			}
			changes = append(changes, f.col)
			text := *f.v
			if f.col == "summary" {
				text = "summary edited"
			}
			logs = append(logs, [2]string{f.kind, text})
		}
		if u.Lat != nil && u.Lon != nil {
			prec, place := 100.0, ""
			if u.PrecisionM != nil {
				prec = *u.PrecisionM
			}
			if u.Place != nil {
				place = *u.Place
			}
			if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET lat = ?, lon = ?, loc_status = 'manual', precision_m = ?, loc_place = ?, loc_set_by = ? WHERE id = ?`,
				*u.Lat, *u.Lon, prec, place, u.SetBy, id); err != nil {
				return err
			}
			changes = append(changes, "location")
			text := fmt.Sprintf("location set by hand to %.5f, %.5f (±%.0f m)", *u.Lat, *u.Lon, prec)
			if place != "" {
				text = fmt.Sprintf("location set by hand to %s (%.5f, %.5f, ±%.0f m)", place, *u.Lat, *u.Lon, prec)
			}
			logs = append(logs, [2]string{"location", text})
		}
		if strings.TrimSpace(u.Note) != "" {
			changes = append(changes, "note")
			logs = append(logs, [2]string{"note", u.Note})
		}
		if len(changes) == 0 {
			out = in
			return nil
		}
		if err := set("updated_at", ts); err != nil {
			return err
		}
		for _, l := range logs {
			if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, ?, ?, ?)`, id, ts, actor, l[0], l[1]); err != nil {
				return err
			}
		}
		if err := db.auditQueueChange(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.incident.update", Object: fmt.Sprintf("incident:%d", id),
			Detail: strings.Join(changes, ", ")}); err != nil {
			return err
		}
		out, err = db.incident(ctx, tx, id)
		return err
	})
	return out, err
}

// incidentRequest records the client's id of a change to incident id
// (alerts.Update.RequestID) in tx, before the change is made: it answers
// true when actor already sent that id for this incident with the same
// change (a resend whose first answer was lost: not made again) and a
// conflict on request_id when with another change. The insert comes first
// (ON CONFLICT DO NOTHING), so two sends at once make the change once: the
// second waits for the first's transaction (PostgreSQL; SQLite writes one
// at a time) and then finds its id.
func (db *DB) incidentRequest(ctx context.Context, tx *sql.Tx, actor string, id int64, u alerts.Update, now time.Time) (bool, error) {
	body, err := json.Marshal(u) // SetBy is not part of it; RequestID is the same for a repeat
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	res, err := db.Exec(ctx, tx, `INSERT INTO alert_incident_requests (incident_id, actor, request_id, body_sha256, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (incident_id, actor, request_id) DO NOTHING`, id, actor, u.RequestID, hash, formatTime(now))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return false, err
	}
	var first string
	if err := db.QueryRow(ctx, tx, `SELECT body_sha256 FROM alert_incident_requests WHERE incident_id = ? AND actor = ? AND request_id = ?`,
		id, actor, u.RequestID).Scan(&first); err != nil {
		return false, err
	}
	if first != hash {
		return false, apperr.Fieldf(apperr.KindConflict, "request_id", "was already sent with another change to incident %d: send a new change with a new id", id)
	}
	return true, nil
}

// ForgetIncidentRequests deletes the incident changes' request ids
// recorded before t (see alerts.Service.ForgetRequests).
func (db *DB) ForgetIncidentRequests(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.Exec(ctx, db.SQL, `DELETE FROM alert_incident_requests WHERE at < ?`, formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("forget incident request ids: %w", err)
	}
	return res.RowsAffected()
}

// Timeline returns an incident's log, oldest first.
func (db *DB) Timeline(ctx context.Context, id int64) ([]alerts.LogEntry, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (alerts.LogEntry, error) {
		var l alerts.LogEntry
		var at string
		var status, code, errText, kind, statusAt sql.NullString
		var handed sql.NullBool
		err := sc.Scan(&l.ID, &l.IncidentID, &at, &l.Actor, &l.Kind, &l.Text, &l.OutgoingID, &status, &handed, &code, &errText, &kind, &statusAt)
		if err == nil {
			l.At, err = parseTime(at)
		}
		if status.Valid { // the line's outbox message (a reply's)
			l.Delivery = alerts.DeliveryOf(status.String, handed.Bool, code.String, errText.String, kind.String)
			if l.Delivery.State == alerts.DeliveryWithheld && err == nil {
				var tf timeFields
				tf.maybe(&l.Delivery.OptedOutAt, statusAt)
				err = tf.err
			}
		}
		return l, err
	}, `SELECT l.id, l.incident_id, l.at, l.actor, l.kind, l.text, COALESCE(l.outbox_id, 0),
			o.status, o.sent_at IS NOT NULL, o.error_code, o.error, ch.kind, o.status_at
		FROM alert_log l LEFT JOIN alert_outbox o ON o.id = l.outbox_id LEFT JOIN alert_channels ch ON ch.id = o.channel_id
		WHERE l.incident_id = ? ORDER BY l.id`, id)
}

// AddLog writes lines to their incidents' timelines in one transaction,
// telling the live queue.
func (db *DB) AddLog(ctx context.Context, lines []alerts.LogEntry) error {
	return db.Tx(ctx, func(tx *sql.Tx) error { return db.addLog(ctx, tx, lines) })
}

// addLog is AddLog in tx.
func (db *DB) addLog(ctx context.Context, tx *sql.Tx, lines []alerts.LogEntry) error {
	for _, l := range lines {
		var outbox any
		if l.OutgoingID != 0 {
			outbox = l.OutgoingID
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text, outbox_id) VALUES (?, ?, ?, ?, ?, ?)`,
			l.IncidentID, formatTime(l.At), l.Actor, l.Kind, l.Text, outbox); err != nil {
			return err
		}
	}
	return db.bumpAlertQueue(ctx, tx)
}

// MarkEscalated records an escalation once, with its webhook notice n
// (nil: none) in the outbox in the same transaction; false if already
// escalated or no longer open (resolved, closed or a false alert by now:
// the condition is in the UPDATE, so an incident closed since it was read
// is not escalated).
func (db *DB) MarkEscalated(ctx context.Context, id int64, reason string, now time.Time, n *alerts.Notice) (bool, error) {
	ok := false
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET escalated_at = ?, updated_at = ? WHERE id = ? AND escalated_at IS NULL AND status IN (`+statusList(openStatuses)+`)`, formatTime(now), formatTime(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		ok = true
		if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, 'system', 'escalate', ?)`, id, formatTime(now), reason); err != nil {
			return err
		}
		if err := db.queueNotice(ctx, tx, n, now); err != nil {
			return err
		}
		return db.auditQueueChange(ctx, tx, audit.Entry{Actor: "system", Action: "alerts.incident.escalate", Object: fmt.Sprintf("incident:%d", id), Detail: reason})
	})
	return ok, err
}

// EscalateIncident records an escalation by hand of open incident id:
// escalated_at (the first escalation's time kept), the timeline's line and
// the audit entry, in actor's name, and the webhook notice that notice
// (nil: none) makes of the escalated incident, in one transaction.
func (db *DB) EscalateIncident(ctx context.Context, actor string, id int64, text string, now time.Time, notice func(alerts.Incident) *alerts.Notice) (alerts.Incident, error) {
	var out alerts.Incident
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		in, err := db.incident(ctx, tx, id)
		if err != nil {
			return err
		}
		ts := formatTime(now)
		n := int64(0)
		if in.Status.Open() {
			// The UPDATE checks the status again: on PostgreSQL another
			// transaction may close the incident after the read above.
			res, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET escalated_at = COALESCE(escalated_at, ?), updated_at = ? WHERE id = ? AND status IN (`+statusList(openStatuses)+`)`, ts, ts, id)
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil {
				return err
			}
			if n == 0 {
				in, _ = db.incident(ctx, tx, id) // its status now, for the refusal
			}
		}
		if n == 0 {
			return apperr.Say(apperr.KindConflict, "", "alerts.refusal.escalate-closed", id, alerts.StatusWord(in.Status))
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, ?, 'escalate', ?)`, id, ts, actor, text); err != nil {
			return err
		}
		if err := db.auditQueueChange(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.incident.escalate", Object: fmt.Sprintf("incident:%d", id), Detail: text}); err != nil {
			return err
		}
		if out, err = db.incident(ctx, tx, id); err != nil || notice == nil {
			return err
		}
		return db.queueNotice(ctx, tx, notice(out), now)
	})
	return out, err
}

// SetIncidentEvent records the event an incident became.
func (db *DB) SetIncidentEvent(ctx context.Context, actor string, id, eventID int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, apperr.ErrNotFound, `UPDATE alert_incidents SET event_id = ?, updated_at = ? WHERE id = ?`, eventID, formatTime(time.Now()), id); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, ?, 'event', ?)`,
			id, formatTime(time.Now()), actor, fmt.Sprintf("recorded as event %d", eventID)); err != nil {
			return err
		}
		return db.auditQueueChange(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.incident.event", Object: fmt.Sprintf("incident:%d", id), Detail: fmt.Sprintf("event %d", eventID)})
	})
}

// SaveCAP stores a published CAP document.
func (db *DB) SaveCAP(ctx context.Context, actor string, p alerts.CAPPublication) (alerts.CAPPublication, error) {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO alert_cap (incident_id, identifier, sent, headline, xml) VALUES (?, ?, ?, ?, ?)`,
			p.IncidentID, p.Identifier, formatTime(p.Sent), p.Headline, p.XML)
		if err != nil {
			return err
		}
		p.ID = id
		if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET cap_count = cap_count + 1 WHERE id = ?`, p.IncidentID); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, ?, 'cap', ?)`,
			p.IncidentID, formatTime(p.Sent), actor, "published as CAP "+p.Identifier); err != nil {
			return err
		}
		return db.auditQueueChange(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.cap.publish", Object: fmt.Sprintf("incident:%d", p.IncidentID), Detail: p.Identifier})
	})
	return p, err
}

func scanCAP(sc rowScanner) (alerts.CAPPublication, error) {
	var p alerts.CAPPublication
	var sent string
	if err := sc.Scan(&p.ID, &p.IncidentID, &p.Identifier, &sent, &p.Headline, &p.XML); err != nil {
		return p, err
	}
	t, err := parseTime(sent)
	p.Sent = t
	return p, err
}

// CAPPublications lists publications, newest first (all incidents when
// incidentID is 0).
func (db *DB) CAPPublications(ctx context.Context, incidentID int64, limit int) ([]alerts.CAPPublication, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT id, incident_id, identifier, sent, headline, xml FROM alert_cap`
	var args []any
	if incidentID > 0 {
		q += ` WHERE incident_id = ?`
		args = append(args, incidentID)
	}
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit)
	return queryAll(ctx, db, db.SQL, scanCAP, q, args...)
}

// CAPPublication returns one publication by identifier.
func (db *DB) CAPPublication(ctx context.Context, identifier string) (alerts.CAPPublication, error) {
	return notFound(scanCAP(db.QueryRow(ctx, db.SQL, `SELECT id, incident_id, identifier, sent, headline, xml FROM alert_cap WHERE identifier = ?`, identifier)))
}

// QueueOutgoing queues an SMS for a gateway, audited in actor's name,
// with line (nil: none) on its incident's timeline in the same
// transaction (a responder's reply: alerts.Service.Reply).
func (db *DB) QueueOutgoing(ctx context.Context, actor string, m *alerts.Outgoing, line *alerts.LogEntry) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.queueOutgoing(ctx, tx, actor, m)
		if err != nil {
			return err
		}
		if line != nil {
			l := *line
			l.OutgoingID = id
			if err := db.addLog(ctx, tx, []alerts.LogEntry{l}); err != nil {
				return err
			}
		}
		m.ID = id
		return nil
	})
}

// queueOutgoing writes m to the outbox in tx, audited in actor's name,
// and answers its id (QueueOutgoing; tipline answers: SaveReplies).
func (db *DB) queueOutgoing(ctx context.Context, tx *sql.Tx, actor string, m *alerts.Outgoing) (int64, error) {
	if err := db.lockNumbers(ctx, tx, m.ToMAC); err != nil {
		return 0, err
	}
	id, err := db.InsertID(ctx, tx, `INSERT INTO alert_outbox (channel_id, alert_id, uuid, message, to_sealed, to_mac, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ChannelID, m.AlertID, m.UUID, m.Message, m.ToSealed, m.ToMAC, formatTime(m.Created))
	if err != nil {
		return 0, err
	}
	if db.QueueHook != nil {
		db.QueueHook(tx)
	}
	// A message to a number that opted out is withheld at once, for good.
	// (Its timeline line, written in the same transaction, moves the
	// queue's change counter.)
	if _, err := db.withholdOptedOut(ctx, tx, m.ToMAC); err != nil {
		return 0, err
	}
	return id, db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.reply.queue", Object: fmt.Sprintf("alert:%d", m.AlertID), Detail: "outgoing " + m.UUID})
}

// PendingOutgoing lists a channel's unsent messages, oldest first: none a
// gateway already reported failed (an SMSSync phone's task=result).
func (db *DB) PendingOutgoing(ctx context.Context, channelID int64, limit int) ([]alerts.Outgoing, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (alerts.Outgoing, error) {
		var m alerts.Outgoing
		var created string
		err := sc.Scan(&m.ID, &m.ChannelID, &m.AlertID, &m.UUID, &m.Message, &m.ToSealed, &created)
		if err == nil {
			m.Created, err = parseTime(created)
		}
		return m, err
	}, fmt.Sprintf(`SELECT id, channel_id, COALESCE(alert_id, 0), uuid, message, to_sealed, created FROM alert_outbox
		WHERE channel_id = ? AND sent_at IS NULL AND status = '' AND to_sealed IS NOT NULL AND `+notOptedOut+` ORDER BY id LIMIT %d`, max(1, min(limit, 500))), channelID)
}

// MarkOutgoingSent marks the channel's messages with these uuids as handed
// to the phone and returns the uuids it knew.
func (db *DB) MarkOutgoingSent(ctx context.Context, channelID int64, uuids []string, now time.Time) ([]string, error) {
	var done []string
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		done = nil
		for _, u := range uuids {
			res, err := db.Exec(ctx, tx, `UPDATE alert_outbox SET sent_at = COALESCE(sent_at, ?) WHERE channel_id = ? AND uuid = ?`, formatTime(now), channelID, u)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				done = append(done, u)
			}
		}
		if len(done) == 0 {
			return nil
		}
		if err := db.Audit(ctx, tx, audit.Entry{Actor: "intake", Action: "alerts.reply.sent", Object: fmt.Sprintf("channel:%d", channelID), Detail: fmt.Sprintf("%d messages handed to the gateway", len(done))}); err != nil {
			return err
		}
		args := []any{channelID}
		for _, u := range done {
			args = append(args, u)
		}
		return db.bumpForReplies(ctx, tx, `channel_id = ? AND uuid IN (?`+strings.Repeat(", ?", len(done)-1)+`)`, args...)
	})
	return done, err
}

// MoveAlert moves an alert between incidents (see alerts.Store), keeping
// both incidents' counts and both timelines right.
func (db *DB) MoveAlert(ctx context.Context, actor string, alertID, to int64, now time.Time) (alerts.Incident, error) {
	var out alerts.Incident
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := scanAlert(db.QueryRow(ctx, tx, `SELECT `+alertCols+` FROM alerts WHERE id = ?`, alertID))
		if err != nil {
			return noRows(err, apperr.ErrNotFound)
		}
		from := a.IncidentID
		if to == from {
			return apperr.FieldErr(apperr.KindInvalid, "incident", apperr.Text("the alert is already in that incident"))
		}
		ts := formatTime(now)
		if to == 0 {
			l := a.Location
			// The new incident takes the alert's location; its text and note
			// are copied as ciphertext (alerts and incidents share the aad),
			// or as they are for a row not yet converted from clear.
			to, err = db.InsertID(ctx, tx, `INSERT INTO alert_incidents (status, loc_status, loc_text, loc_note, loc_text_sealed, loc_note_sealed, loc_place, lat, lon, precision_m,
				first_at, last_at, alert_count, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
				string(alerts.Received), l.Status, l.Text, l.Note, nullBytes(l.TextSealed), nullBytes(l.NoteSealed), l.Place, nullFloat(l.Lat), nullFloat(l.Lon), l.PrecisionM, formatTime(a.ReceivedAt), formatTime(a.ReceivedAt), ts)
			if err != nil {
				return err
			}
		} else {
			target, err := db.incident(ctx, tx, to)
			if errors.Is(err, apperr.ErrNotFound) {
				return apperr.Fieldf(apperr.KindInvalid, "incident", "incident %d does not exist", to)
			}
			if err != nil {
				return err
			}
			if !target.Status.Open() {
				return apperr.Fieldf(apperr.KindInvalid, "incident", "incident %d is %s", to, alerts.StatusWord(target.Status))
			}
		}
		if _, err := db.Exec(ctx, tx, `UPDATE alerts SET incident_id = ? WHERE id = ?`, to, alertID); err != nil {
			return err
		}
		// Recount and re-date both incidents from their alerts.
		for _, id := range []int64{from, to} {
			if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET
				alert_count = (SELECT COUNT(*) FROM alerts WHERE incident_id = ?),
				first_at = COALESCE((SELECT MIN(received_at) FROM alerts WHERE incident_id = ?), first_at),
				last_at = COALESCE((SELECT MAX(received_at) FROM alerts WHERE incident_id = ?), last_at),
				updated_at = ? WHERE id = ?`, id, id, id, ts, id); err != nil {
				return err
			}
		}
		// An incident left without alerts is closed (nothing to work on).
		if _, err := db.Exec(ctx, tx, `UPDATE alert_incidents SET status = 'closed', closed_at = COALESCE(closed_at, ?) WHERE id = ? AND alert_count = 0`, ts, from); err != nil {
			return err
		}
		for _, l := range []struct {
			inc  int64
			text string
		}{{from, fmt.Sprintf("alert %d moved to incident %d", alertID, to)}, {to, fmt.Sprintf("alert %d moved here from incident %d", alertID, from)}} {
			if _, err := db.Exec(ctx, tx, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, ?, 'merge', ?)`, l.inc, ts, actor, l.text); err != nil {
				return err
			}
		}
		if err := db.auditQueueChange(ctx, tx, audit.Entry{Actor: actor, Action: "alerts.alert.move", Object: fmt.Sprintf("alert:%d", alertID),
			Detail: fmt.Sprintf("incident %d → %d", from, to)}); err != nil {
			return err
		}
		out, err = db.incident(ctx, tx, to)
		return err
	})
	return out, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
