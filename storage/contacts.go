package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
)

var _ contacts.Store = (*DB)(nil)

const contactCols = `id, phone_sealed, phone_mac, name_sealed, language, place, lat, lon, groups, consent_at, consent_how, consent_by, opted_out_at, opt_out_how, created, demo`

// CreateContacts stores cs in one transaction (see contacts.Store).
func (db *DB) CreateContacts(ctx context.Context, actor string, cs []*contacts.Contact) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]int64, len(cs))
	var kept map[int]keptOptOut
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		kept = map[int]keptOptOut{}
		for i, c := range cs {
			id, err := db.InsertID(ctx, tx, `INSERT INTO contacts (phone_sealed, phone_mac, name_sealed, language, place, lat, lon, groups, consent_at, consent_how, consent_by, created, demo)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.PhoneSealed, c.PhoneMAC, c.NameSealed, c.Language, c.Place, c.Lat, c.Lon, joinGroups(c.Groups),
				formatTime(c.Consent.At), c.Consent.How, c.Consent.By, formatTime(c.Created), boolInt(c.Demo))
			if IsUniqueViolation(err) {
				return &contacts.DuplicateError{Index: i}
			}
			if err != nil {
				return err
			}
			ids[i] = id
		}
		if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "contacts.create", Object: "contacts", Detail: fmt.Sprintf("%d contacts added", len(cs))}); err != nil {
			return err
		}
		for i, c := range cs {
			k, err := db.adoptKeptOptOut(ctx, tx, actor, ids[i], c.PhoneMAC)
			if err != nil {
				return err
			}
			if k.at != nil {
				kept[i] = k
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range cs {
		cs[i].ID = ids[i]
		if k, ok := kept[i]; ok {
			cs[i].OptedOutAt, cs[i].OptOutHow = k.at, k.how
		}
	}
	return nil
}

// keptOptOut is a number's opt-out kept while it was no contact's.
type keptOptOut struct {
	at  *time.Time
	how string
}

// adoptKeptOptOut marks contact id opted out, with the time and words of
// the opt-out kept for its number (keyed hash mac) while that number was
// no contact's (OptOut, found false), when it has one and the contact is
// not opted out already; audited as the contact's opt-out. The kept
// opt-out stays until an opt-in clears both (UpdateContact). Messages to
// the number were withheld since it opted out: none to withhold now.
func (db *DB) adoptKeptOptOut(ctx context.Context, tx *sql.Tx, actor string, id int64, mac string) (keptOptOut, error) {
	var at, how string
	err := db.QueryRow(ctx, tx, `SELECT at, how FROM contact_optouts WHERE phone_mac = ?`, mac).Scan(&at, &how)
	if errors.Is(err, sql.ErrNoRows) || mac == "" {
		return keptOptOut{}, nil
	}
	if err != nil {
		return keptOptOut{}, err
	}
	res, err := db.Exec(ctx, tx, `UPDATE contacts SET opted_out_at = ?, opt_out_how = ? WHERE id = ? AND opted_out_at IS NULL`, at, how, id)
	if err != nil {
		return keptOptOut{}, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return keptOptOut{}, err
	}
	t, err := parseTime(at)
	if err != nil {
		return keptOptOut{}, err
	}
	return keptOptOut{at: &t, how: how}, db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "contacts.opt-out", Object: fmt.Sprintf("contact:%d", id), Detail: how})
}

func joinGroups(gs []string) string {
	if len(gs) == 0 {
		return ","
	}
	return "," + strings.Join(gs, ",") + ","
}

func splitGroups(s string) []string {
	out := []string{}
	for _, g := range strings.Split(s, ",") {
		if g != "" {
			out = append(out, g)
		}
	}
	return out
}

// Contacts lists contacts by id (see contacts.Store).
func (db *DB) Contacts(ctx context.Context, f contacts.Filter) ([]contacts.Contact, error) {
	q := `SELECT ` + contactCols + ` FROM contacts`
	if f.ActiveOnly {
		q += ` WHERE opted_out_at IS NULL`
	}
	q += ` ORDER BY id`
	rows, err := db.Query(ctx, db.SQL, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []contacts.Contact
	for rows.Next() {
		c, groups, err := scanContact(rows)
		if err != nil {
			return nil, err
		}
		if f.Group != "" && !strings.Contains(groups, ","+f.Group+",") {
			continue
		}
		out = append(out, c)
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out, rows.Err()
}

// Contact reads one contact by id (see contacts.Store).
func (db *DB) Contact(ctx context.Context, id int64) (contacts.Contact, error) {
	c, _, err := scanContact(db.QueryRow(ctx, db.SQL, `SELECT `+contactCols+` FROM contacts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return contacts.Contact{}, contacts.ErrNoContact
	}
	return c, err
}

// scanContact reads a row of contactCols; groups is the stored list
// (",a,b,").
func scanContact(sc rowScanner) (contacts.Contact, string, error) {
	var c contacts.Contact
	var groups, consentAt, created string
	var optedOut sql.NullString
	var lat, lon sql.NullFloat64
	var demo int
	if err := sc.Scan(&c.ID, &c.PhoneSealed, &c.PhoneMAC, &c.NameSealed, &c.Language, &c.Place, &lat, &lon, &groups,
		&consentAt, &c.Consent.How, &c.Consent.By, &optedOut, &c.OptOutHow, &created, &demo); err != nil {
		return c, "", err
	}
	c.Groups, c.Demo = splitGroups(groups), demo != 0
	c.Lat, c.Lon = parseNullPoint(lat, lon)
	var tf timeFields
	tf.at(&c.Consent.At, consentAt)
	tf.at(&c.Created, created)
	tf.maybe(&c.OptedOutAt, optedOut)
	return c, groups, tf.err
}

// UpdateContact edits a contact (see contacts.Store).
func (db *DB) UpdateContact(ctx context.Context, actor string, c *contacts.Contact, optIn bool, detail string) error {
	var kept keptOptOut
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		kept = keptOptOut{}
		withheld := false
		var old, how string
		var optedOut sql.NullString
		q := `SELECT phone_mac, opted_out_at, opt_out_how FROM contacts WHERE id = ?`
		if db.Dialect == Postgres {
			q += ` FOR UPDATE` // the number read is the one the edit replaces
		}
		if err := db.QueryRow(ctx, tx, q, c.ID).Scan(&old, &optedOut, &how); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old != c.PhoneMAC && old != "" && optedOut.Valid {
			// The number the contact leaves stays opted out if it was:
			// kept as a number that is no contact's (as OptOut keeps a
			// stranger's), with the opt-out's time and words as read
			// above; audited with those words when it was not kept already.
			res, err := db.Exec(ctx, tx, `INSERT INTO contact_optouts (phone_mac, at, how) VALUES (?, ?, ?) ON CONFLICT (phone_mac) DO NOTHING`, old, optedOut.String, how)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n > 0 {
				if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "contacts.opt-out", Object: "number (not a contact)", Detail: how}); err != nil {
					return err
				}
			}
		}
		if optIn {
			// What was queued while the number was opted out stays unsent:
			// withheld now if a queueing raced the opt-out (on PostgreSQL
			// neither transaction saw the other's row), for the number the
			// contact had and for a kept opt-out of its new one. A
			// queueing to either number still under way is waited for
			// first (lockNumbers): it is withheld, as queued before the
			// opt-in, not left to be sent.
			if err := db.lockNumbers(ctx, tx, old, c.PhoneMAC); err != nil {
				return err
			}
			for _, mac := range slices.Compact([]string{old, c.PhoneMAC}) {
				w, err := db.withholdOptedOut(ctx, tx, mac)
				if err != nil {
					return err
				}
				withheld = withheld || w
			}
		}
		q = `UPDATE contacts SET phone_sealed = ?, phone_mac = ?, name_sealed = ?, language = ?, place = ?, lat = ?, lon = ?, groups = ?,
			consent_at = ?, consent_how = ?, consent_by = ?`
		if optIn {
			q += `, opted_out_at = NULL, opt_out_how = ''`
		}
		res, err := db.Exec(ctx, tx, q+` WHERE id = ?`, c.PhoneSealed, c.PhoneMAC, c.NameSealed, c.Language, c.Place, c.Lat, c.Lon, joinGroups(c.Groups),
			formatTime(c.Consent.At), c.Consent.How, c.Consent.By, c.ID)
		if IsUniqueViolation(err) {
			return &contacts.DuplicateError{Index: 0}
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return contacts.ErrNoContact
		}
		obj := fmt.Sprintf("contact:%d", c.ID)
		if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "contacts.edit", Object: obj, Detail: detail}); err != nil {
			return err
		}
		if !optIn {
			kept, err = db.adoptKeptOptOut(ctx, tx, actor, c.ID, c.PhoneMAC)
			return err
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM contact_optouts WHERE phone_mac = ?`, c.PhoneMAC); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "contacts.opt-in", Object: obj, Detail: "consent: " + c.Consent.How}); err != nil || !withheld {
			return err
		}
		return db.bumpAlertQueue(ctx, tx)
	})
	if err == nil && kept.at != nil {
		c.OptedOutAt, c.OptOutHow = kept.at, kept.how
	}
	return err
}

// OptOut marks a contact opted out (see contacts.Store).
func (db *DB) OptOut(ctx context.Context, actor, phoneMAC, how string, at time.Time) (int64, bool, error) {
	var id int64
	found := false
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var prev sql.NullString
		err := db.QueryRow(ctx, tx, `SELECT id, opted_out_at FROM contacts WHERE phone_mac = ?`, phoneMAC).Scan(&id, &prev)
		if errors.Is(err, sql.ErrNoRows) {
			// Not a contact (a tipline sender): keep the number's keyed
			// hash so that nothing is sent to it either (OptedOut).
			res, err := db.Exec(ctx, tx, `INSERT INTO contact_optouts (phone_mac, at, how) VALUES (?, ?, ?) ON CONFLICT (phone_mac) DO NOTHING`, phoneMAC, formatTime(at), how)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			withheld, err := db.withholdAtOptOut(ctx, tx, phoneMAC)
			if err != nil {
				return err
			}
			db.optOutHook(tx)
			return db.auditOptOut(ctx, tx, withheld, audit.Entry{Actor: actor, Action: "contacts.opt-out", Object: "number (not a contact)", Detail: how})
		}
		if err != nil {
			return err
		}
		found = true
		if prev.Valid {
			return nil
		}
		if _, err := db.Exec(ctx, tx, `UPDATE contacts SET opted_out_at = ?, opt_out_how = ? WHERE id = ? AND opted_out_at IS NULL`, formatTime(at), how, id); err != nil {
			return err
		}
		withheld, err := db.withholdAtOptOut(ctx, tx, phoneMAC)
		if err != nil {
			return err
		}
		db.optOutHook(tx)
		return db.auditOptOut(ctx, tx, withheld, audit.Entry{Actor: actor, Action: "contacts.opt-out", Object: fmt.Sprintf("contact:%d", id), Detail: how})
	})
	return id, found, err
}

// withholdAtOptOut withholds, in an opt-out's transaction tx that has
// written it, the unsent messages to the number (withholdOptedOut) once
// it holds the number's lock (lockNumbers). Read committed, a reply
// queued at that moment was missed by both: the opt-out did not see its
// uncommitted row and its own check did not see the uncommitted opt-out,
// so it stayed queued: its line said « en file d'attente » for good (the
// gateways' reads, notOptedOut, still passed it over). With the lock one
// waits for the other: the opt-out withholds a message queued before it,
// and a queueing after it finds the opt-out. The lock is
// taken after the contact's row is written, as an opt-in takes its
// row and then the lock: never one order and its reverse.
func (db *DB) withholdAtOptOut(ctx context.Context, tx *sql.Tx, mac string) (bool, error) {
	if err := db.lockNumbers(ctx, tx, mac); err != nil {
		return false, err
	}
	return db.withholdOptedOut(ctx, tx, mac)
}

// optOutHook runs OptOutHook, when set, in an opt-out's transaction.
func (db *DB) optOutHook(tx *sql.Tx) {
	if db.OptOutHook != nil {
		db.OptOutHook(tx)
	}
}

// auditAdoptedOptOuts writes, once, the audit entry of each contact that
// migration 0070 opted out: a contact given a number before that
// number's stored opt-out (contact_optouts, a STOP from a number that was
// no contact's) was adopted, listed active until 0070 opted it out with
// the stored opt-out's time and words. A migration writes no audit entry;
// this one is "contacts.opt-out" of the contact, by "system", with the
// stored words and time and no number ("reply: stop; stored
// 2026-12-05T05:00:00.000000Z before the number was a contact's"), as
// adoptKeptOptOut audits an adoption since. Such a contact is one opted
// out with exactly its number's stored opt-out and no opt-out entry of
// its own: the contacts adopted since have theirs, so a second run (each
// Migrate runs it: on PostgreSQL under the migrations' lock, on SQLite
// in one IMMEDIATE transaction) writes nothing. It answers how many it
// wrote. (A contact opted in again, or given another number, since 0070
// no longer shows it: its opt-out is not written then.)
func (db *DB) auditAdoptedOptOuts(ctx context.Context) (int, error) {
	n := 0
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		n = 0
		type adopted struct {
			id      int64
			at, how string
		}
		found, err := queryAll(ctx, db, tx, func(sc rowScanner) (adopted, error) {
			var a adopted
			return a, sc.Scan(&a.id, &a.at, &a.how)
		}, `SELECT c.id, o.at, o.how FROM contacts c JOIN contact_optouts o ON o.phone_mac = c.phone_mac
			WHERE c.phone_mac <> '' AND c.opted_out_at = o.at AND c.opt_out_how = o.how
				AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.object = 'contact:' || c.id AND a.action = 'contacts.opt-out')
			ORDER BY c.id`)
		if err != nil {
			return err
		}
		for _, a := range found {
			if err := db.Audit(ctx, tx, audit.Entry{Actor: "system", Action: "contacts.opt-out", Object: fmt.Sprintf("contact:%d", a.id),
				Detail: a.how + "; stored " + a.at + " before the number was a contact's"}); err != nil {
				return err
			}
		}
		n = len(found)
		return nil
	})
	return n, err
}

// numberLockSpace tags the advisory lock keys of numbers (lockNumbers).
const numberLockSpace = "vigil.contacts.number"

// lockNumbers takes, on PostgreSQL, tx's advisory lock on each number of
// macs (keyed hashes; "" is none), which queueing a reply or a tipline
// answer (queueOutgoing), an opt-in (UpdateContact) and an opt-out
// (OptOut, withholdAtOptOut) all take before they look at the number's
// opt-out or its queued messages. Read committed, an opt-in that did
// not see a message written but not yet committed, and committed first,
// left it to be sent: the queueing's own check then found the number
// opted in, though the message was queued while it was opted out. With
// the lock, one waits for the other: the opt-in then withholds what was
// queued before it, and a message queued after it goes out. (SQLite
// needs nothing: its transactions begin IMMEDIATE, one writer at a time.)
func (db *DB) lockNumbers(ctx context.Context, tx *sql.Tx, macs ...string) error {
	if db.Dialect != Postgres {
		return nil
	}
	macs = slices.DeleteFunc(slices.Clone(macs), func(m string) bool { return m == "" })
	return db.advisoryLocks(ctx, tx, lockKeys(numberLockSpace, macs))
}

// auditOptOut audits an opt-out, then, when it withheld messages
// (withholdOptedOut), bumps the queue's change counter.
func (db *DB) auditOptOut(ctx context.Context, tx *sql.Tx, withheld bool, e audit.Entry) error {
	if err := db.Audit(ctx, tx, e); err != nil || !withheld {
		return err
	}
	return db.bumpAlertQueue(ctx, tx)
}

// withholdOptedOut marks the unsent replies and answers to the number
// with keyed hash mac withheld for good when it opted out (as a contact
// or not): status withheld, code opted-out, status_at the opt-out's time.
// They are never sent, even if the number is opted in again, and the
// incident's timeline says why (alerts.DeliveryWithheld). Broadcast
// messages are left to the broadcast's reach ("withheld" counts them).
// withheld says it marked some: the caller then bumps the queue's change
// counter last in its transaction (bumpAlertQueue), so that a page open
// on their timeline says so at once.
func (db *DB) withholdOptedOut(ctx context.Context, tx *sql.Tx, mac string) (withheld bool, err error) {
	if mac == "" {
		return false, nil
	}
	res, err := db.Exec(ctx, tx, `UPDATE alert_outbox SET status = ?, error_code = ?, claimed_at = NULL,
		status_at = COALESCE((SELECT MIN(c.opted_out_at) FROM contacts c WHERE c.phone_mac = alert_outbox.to_mac AND c.opted_out_at IS NOT NULL),
			(SELECT MIN(o.at) FROM contact_optouts o WHERE o.phone_mac = alert_outbox.to_mac))
		WHERE to_mac = ? AND broadcast_id IS NULL AND sent_at IS NULL AND status = ''
			AND (EXISTS (SELECT 1 FROM contacts c WHERE c.phone_mac = alert_outbox.to_mac AND c.opted_out_at IS NOT NULL)
				OR EXISTS (SELECT 1 FROM contact_optouts o WHERE o.phone_mac = alert_outbox.to_mac))`,
		alerts.WithheldStatus, alerts.WithheldCode, mac)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ContactLanguage is the language of the contact with this keyed hash of
// its number ("" when there is none).
func (db *DB) ContactLanguage(ctx context.Context, phoneMAC string) (string, error) {
	var lang string
	err := db.QueryRow(ctx, db.SQL, `SELECT language FROM contacts WHERE phone_mac = ?`, phoneMAC).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return lang, err
}

// OptedOut reports whether the number with this keyed hash opted out, as a
// contact or by a reply from a number that is not one (see contacts.Store).
func (db *DB) OptedOut(ctx context.Context, phoneMAC string) (bool, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT (SELECT COUNT(*) FROM contacts WHERE phone_mac = ? AND opted_out_at IS NOT NULL)
		+ (SELECT COUNT(*) FROM contact_optouts WHERE phone_mac = ?)`, phoneMAC, phoneMAC).Scan(&n)
	return n > 0, err
}

// SaveBroadcast stores a scheduled broadcast (see contacts.Store).
func (db *DB) SaveBroadcast(ctx context.Context, b *contacts.Broadcast) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.insertBroadcast(ctx, tx, b)
		if err != nil {
			return err
		}
		b.ID = id
		return db.Audit(ctx, tx, audit.Entry{Actor: b.Actor, Action: "broadcasts.schedule", Object: fmt.Sprintf("broadcast:%d", id),
			Detail: "scheduled for " + formatTime(b.ScheduledAt) + " to " + audience(b)})
	})
}

func audience(b *contacts.Broadcast) string {
	if b.Check != 0 {
		c := *b
		c.Check = 0
		return fmt.Sprintf("%s; answers the check of narrative %d", audience(&c), b.Check)
	}
	if b.Group != "" {
		return "group " + b.Group
	}
	if len(b.Cells) > 0 {
		return fmt.Sprintf("%d cells", len(b.Cells))
	}
	if b.AdminArea != "" {
		return "admin area " + b.AdminArea
	}
	return fmt.Sprintf("%g km around %s", b.RadiusKM, b.NearPlace)
}

func (db *DB) insertBroadcast(ctx context.Context, tx *sql.Tx, b *contacts.Broadcast) (int64, error) {
	msgs, err := json.Marshal(b.Messages)
	if err != nil {
		return 0, err
	}
	var check any // the check it answers: NULL none
	if b.Check != 0 {
		check = b.Check
	}
	return db.InsertID(ctx, tx, `INSERT INTO broadcasts (channel_id, actor, group_name, near_place, lat, lon, radius_km, messages, fallback, scheduled_at, created, cells, admin_area, check_narrative)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.ChannelID, b.Actor, b.Group, b.NearPlace, b.Lat, b.Lon, b.RadiusKM, string(msgs), b.Fallback,
		formatTime(b.ScheduledAt), formatTime(b.Created), joinCells(b.Cells), b.AdminArea, check)
}

// outboxBatch is how many outbox rows one INSERT writes.
const outboxBatch = 400

// QueueBroadcast writes a broadcast's messages to the outbox (see contacts.Store).
func (db *DB) QueueBroadcast(ctx context.Context, b *contacts.Broadcast, ms []contacts.Message, now time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if b.ID == 0 {
			id, err := db.insertBroadcast(ctx, tx, b)
			if err != nil {
				return err
			}
			b.ID = id
		}
		if err := db.execOne(ctx, tx, contacts.ErrAlreadyQueued, `UPDATE broadcasts SET queued_at = ?, queued = ?, skipped = ? WHERE id = ? AND queued_at IS NULL`,
			formatTime(now), b.Reach.Queued, b.Reach.SkippedOptedOut, b.ID); err != nil {
			return err
		}
		created := formatTime(now)
		for start := 0; start < len(ms); start += outboxBatch {
			part := ms[start:min(len(ms), start+outboxBatch)]
			var q strings.Builder
			q.WriteString(`INSERT INTO alert_outbox (channel_id, contact_id, broadcast_id, uuid, message, to_sealed, created) VALUES `)
			args := make([]any, 0, 7*len(part))
			for i, m := range part {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?)")
				args = append(args, b.ChannelID, m.ContactID, b.ID, m.UUID, m.Text, m.ToSealed, created)
			}
			if _, err := db.Exec(ctx, tx, q.String(), args...); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: b.Actor, Action: "broadcasts.queue", Object: fmt.Sprintf("broadcast:%d", b.ID),
			Detail: fmt.Sprintf("%d recipients queued on channel %d, %d opted out skipped; to %s", len(ms), b.ChannelID, b.Reach.SkippedOptedOut, audience(b))})
	})
}

const broadcastCols = `id, channel_id, actor, group_name, near_place, lat, lon, radius_km, messages, fallback, scheduled_at, queued_at, queued, skipped, created, cells, admin_area, COALESCE(check_narrative, 0)`

// joinCells stores cell ids as ",g1,g2,"; splitCells reads them back.
func joinCells(cs []int) string {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, ",%d", c)
	}
	return b.String() + ","
}

func splitCells(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("broadcast cells %q: %w", s, err)
		}
		out = append(out, n)
	}
	return out, nil
}

func scanBroadcast(sc rowScanner) (contacts.Broadcast, error) {
	var b contacts.Broadcast
	var lat, lon, radius sql.NullFloat64
	var msgs, sched, created, cells string
	var queuedAt sql.NullString
	err := sc.Scan(&b.ID, &b.ChannelID, &b.Actor, &b.Group, &b.NearPlace, &lat, &lon, &radius, &msgs, &b.Fallback,
		&sched, &queuedAt, &b.Reach.Queued, &b.Reach.SkippedOptedOut, &created, &cells, &b.AdminArea, &b.Check)
	if err != nil {
		return b, err
	}
	if b.Cells, err = splitCells(cells); err != nil {
		return b, err
	}
	b.Lat, b.Lon = parseNullPoint(lat, lon)
	b.RadiusKM = radius.Float64
	b.AdminAreaFR = contacts.AdminAreaFR(b.AdminArea)
	if err := json.Unmarshal([]byte(msgs), &b.Messages); err != nil {
		return b, fmt.Errorf("broadcast %d messages: %w", b.ID, err)
	}
	var tf timeFields
	tf.at(&b.ScheduledAt, sched)
	tf.at(&b.Created, created)
	tf.maybe(&b.QueuedAt, queuedAt)
	return b, tf.err
}

// scanBroadcasts runs a query of broadcastCols and adds each queued
// broadcast's reach (sent, withheld) from the outbox.
func (db *DB) scanBroadcasts(ctx context.Context, q string, args ...any) ([]contacts.Broadcast, error) {
	out, err := queryAll(ctx, db, db.SQL, scanBroadcast, q, args...)
	if err != nil {
		return nil, err
	}
	// The queued broadcasts' reach, counted in one query per 500 of them.
	at := map[int64]*contacts.Broadcast{}
	var ids []int64
	for i := range out {
		if out[i].QueuedAt != nil {
			at[out[i].ID] = &out[i]
			ids = append(ids, out[i].ID)
		}
	}
	err = eachRowIn(ctx, db, ids, func(ph string) string {
		return `SELECT o.broadcast_id, COALESCE(SUM(CASE WHEN o.sent_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN o.sent_at IS NULL AND o.status = '' AND c.opted_out_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN o.status = 'delivered' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN o.status IN ('failed', 'undelivered') THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN o.sent_at IS NULL AND o.status = '' AND c.opted_out_at IS NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN o.sent_at IS NULL AND o.status = '' AND c.opted_out_at IS NULL AND (o.error <> '' OR o.error_code <> '') THEN 1 ELSE 0 END), 0),
			MAX(o.sent_at)
			FROM alert_outbox o JOIN contacts c ON c.id = o.contact_id WHERE o.broadcast_id IN (` + ph + `) GROUP BY o.broadcast_id`
	}, func(sc rowScanner) error {
		var id int64
		var sent, withheld, delivered, failed, pending, retrying int
		var last sql.NullString // the stored times sort as text (timeLayout: fixed width)
		if err := sc.Scan(&id, &sent, &withheld, &delivered, &failed, &pending, &retrying, &last); err != nil {
			return err
		}
		if b := at[id]; b != nil {
			r := &b.Reach
			r.Sent, r.Withheld, r.Delivered, r.Failed, r.Pending, r.Retrying = sent, withheld, delivered, failed, pending, retrying
			var tf timeFields
			tf.maybe(&b.SentAt, last)
			return tf.err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DueBroadcasts lists scheduled broadcasts whose time has come.
func (db *DB) DueBroadcasts(ctx context.Context, now time.Time) ([]contacts.Broadcast, error) {
	return db.scanBroadcasts(ctx, `SELECT `+broadcastCols+` FROM broadcasts WHERE queued_at IS NULL AND scheduled_at <= ? ORDER BY scheduled_at, id`, formatTime(now))
}

// Broadcast returns one broadcast with its reach.
func (db *DB) Broadcast(ctx context.Context, id int64) (contacts.Broadcast, error) {
	bs, err := db.scanBroadcasts(ctx, `SELECT `+broadcastCols+` FROM broadcasts WHERE id = ?`, id)
	if err != nil {
		return contacts.Broadcast{}, err
	}
	if len(bs) == 0 {
		return contacts.Broadcast{}, contacts.ErrNotFound
	}
	return bs[0], nil
}

// Broadcasts lists the latest broadcasts, newest first.
func (db *DB) Broadcasts(ctx context.Context, limit int) ([]contacts.Broadcast, error) {
	return db.scanBroadcasts(ctx, fmt.Sprintf(`SELECT `+broadcastCols+` FROM broadcasts ORDER BY id DESC LIMIT %d`, max(1, min(limit, 500))))
}
