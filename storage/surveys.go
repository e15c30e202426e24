package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/surveys"
)

var (
	_ surveys.Store        = (*DB)(nil)
	_ surveys.AnswersStore = (*DB)(nil)
	_ surveys.AnswerStream = (*DB)(nil)
	_ surveys.AnswersByID  = (*DB)(nil)
)

const surveyTimeLayout = "2006-01-02T15:04:05.000000Z"

const formCols = `id, form_id, version, title, hash, state, created, updated`

func scanForm(sc rowScanner, xml bool) (surveys.Form, error) {
	var f surveys.Form
	var created, updated string
	dest := []any{&f.ID, &f.FormID, &f.Version, &f.Title, &f.Hash, &f.State, &created, &updated}
	if xml {
		dest = append(dest, &f.XML)
	}
	if err := sc.Scan(dest...); err != nil {
		return f, err
	}
	f.Created, _ = time.Parse(surveyTimeLayout, created)
	f.Updated, _ = time.Parse(surveyTimeLayout, updated)
	return f, nil
}

// SaveForm inserts or replaces a form definition and its media, audited.
func (db *DB) SaveForm(ctx context.Context, actor string, f surveys.Form, media []surveys.Media) (surveys.Form, error) {
	now := time.Now().UTC()
	ts := now.Format(surveyTimeLayout)
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var state string
		err := db.QueryRow(ctx, tx, `SELECT id, state FROM survey_forms WHERE form_id = ?`, f.FormID).Scan(&id, &state)
		action := "form.update"
		switch {
		case errors.Is(err, sql.ErrNoRows):
			action = "form.create"
			if f.State == "" {
				f.State = surveys.Open
			}
			id, err = db.InsertID(ctx, tx, `INSERT INTO survey_forms (form_id, version, title, xml, hash, state, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				f.FormID, f.Version, f.Title, f.XML, f.Hash, f.State, ts, ts)
			if err != nil {
				return fmt.Errorf("save form: %w", err)
			}
			f.Created = now
		case err != nil:
			return fmt.Errorf("save form: %w", err)
		default:
			f.State = state
			if _, err := db.Exec(ctx, tx, `UPDATE survey_forms SET version = ?, title = ?, xml = ?, hash = ?, updated = ? WHERE id = ?`,
				f.Version, f.Title, f.XML, f.Hash, ts, id); err != nil {
				return fmt.Errorf("save form: %w", err)
			}
		}
		f.ID, f.Updated = id, now
		for _, m := range media {
			if _, err := db.Exec(ctx, tx, `DELETE FROM survey_form_media WHERE form_id = ? AND name = ?`, id, m.Name); err != nil {
				return err
			}
			if _, err := db.Exec(ctx, tx, `INSERT INTO survey_form_media (form_id, name, content_type, hash, content) VALUES (?, ?, ?, ?, ?)`,
				id, m.Name, m.ContentType, m.Hash, m.Content); err != nil {
				return fmt.Errorf("save media %s: %w", m.Name, err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: "form:" + f.FormID,
			Detail: fmt.Sprintf("version %q, %d media files", f.Version, len(media))})
	})
	if err != nil {
		return surveys.Form{}, err
	}
	return f, nil
}

// FormByFormID returns a form with its XML.
func (db *DB) FormByFormID(ctx context.Context, formID string) (surveys.Form, error) {
	f, err := scanForm(db.QueryRow(ctx, db.SQL, `SELECT `+formCols+`, xml FROM survey_forms WHERE form_id = ?`, formID), true)
	return f, noRows(err, surveys.ErrNoForm)
}

// Forms lists forms without their XML.
func (db *DB) Forms(ctx context.Context) ([]surveys.Form, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (surveys.Form, error) { return scanForm(sc, false) }, `SELECT `+formCols+` FROM survey_forms ORDER BY form_id`)
}

// SetFormState opens or closes a form, audited.
func (db *DB) SetFormState(ctx context.Context, actor, formID, state string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, surveys.ErrNoForm, `UPDATE survey_forms SET state = ?, updated = ? WHERE form_id = ?`, state, time.Now().UTC().Format(surveyTimeLayout), formID); err != nil {
			return err
		}
		action := "form.open"
		if state == surveys.Closed {
			action = "form.close"
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: "form:" + formID})
	})
}

// FormMedia lists a form's media files without content.
func (db *DB) FormMedia(ctx context.Context, id int64) ([]surveys.Media, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (surveys.Media, error) {
		var m surveys.Media
		err := sc.Scan(&m.Name, &m.ContentType, &m.Hash)
		return m, err
	}, `SELECT name, content_type, hash FROM survey_form_media WHERE form_id = ? ORDER BY name`, id)
}

// FormMediaFile returns one media file with content.
func (db *DB) FormMediaFile(ctx context.Context, id int64, name string) (surveys.Media, error) {
	var m surveys.Media
	err := db.QueryRow(ctx, db.SQL, `SELECT name, content_type, hash, content FROM survey_form_media WHERE form_id = ? AND name = ?`, id, name).
		Scan(&m.Name, &m.ContentType, &m.Hash, &m.Content)
	return m, noRows(err, surveys.ErrNoMedia)
}

// GrantForm adds a user to a form's access list, audited.
func (db *DB) GrantForm(ctx context.Context, actor string, id, userID int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var formID, user string
		if err := db.QueryRow(ctx, tx, `SELECT form_id FROM survey_forms WHERE id = ?`, id).Scan(&formID); err != nil {
			return noRows(err, surveys.ErrNoForm)
		}
		if err := db.QueryRow(ctx, tx, `SELECT name FROM users WHERE id = ?`, userID).Scan(&user); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("user %d does not exist", userID)
			}
			return err
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO survey_form_access (form_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, userID); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "form.grant", Object: "form:" + formID, Detail: "enumerator " + user})
	})
}

// CanSubmit reports whether a user is on a form's access list.
func (db *DB) CanSubmit(ctx context.Context, id, userID int64) (bool, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM survey_form_access WHERE form_id = ? AND user_id = ?`, id, userID).Scan(&n)
	return n > 0, err
}

// GrantedForms returns the ids of the forms a user may submit to.
func (db *DB) GrantedForms(ctx context.Context, userID int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	err := eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var id int64
		err := sc.Scan(&id)
		out[id] = true
		return err
	}, `SELECT form_id FROM survey_form_access WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutSubmission stores a submission and its attachments in one
// transaction; see surveys.Store.
func (db *DB) PutSubmission(ctx context.Context, actor string, s surveys.StoredSubmission, atts []surveys.StoredAttachment, same func([]byte) (bool, error)) (created bool, added int, err error) {
	for attempt := 0; attempt < 3; attempt++ {
		created, added, err = db.putSubmission(ctx, actor, s, atts, same)
		if !IsUniqueViolation(err) {
			return created, added, err
		}
		// a concurrent request stored the same instanceID: look again
	}
	return created, added, err
}

func (db *DB) putSubmission(ctx context.Context, actor string, s surveys.StoredSubmission, atts []surveys.StoredAttachment, same func([]byte) (bool, error)) (created bool, added int, err error) {
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		created, added = false, 0
		var formID string
		if err := db.QueryRow(ctx, tx, `SELECT form_id FROM survey_forms WHERE id = ?`, s.FormID).Scan(&formID); err != nil {
			return noRows(err, surveys.ErrNoForm)
		}
		object := "submission:" + formID + "/" + s.InstanceID
		var id int64
		var stored []byte
		err := db.QueryRow(ctx, tx, `SELECT id, xml_sealed FROM survey_submissions WHERE form_id = ? AND instance_id = ?`, s.FormID, s.InstanceID).Scan(&id, &stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// xml_mac is unused since sealing moved to package crypt
			// (resubmissions are compared on the opened XML): empty.
			id, err = db.InsertID(ctx, tx, `INSERT INTO survey_submissions (form_id, instance_id, form_version, xml_mac, xml_sealed, answers_sealed, enumerator, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				s.FormID, s.InstanceID, s.FormVersion, []byte{}, s.XMLSealed, s.AnswersSealed, s.Enumerator, s.Received.UTC().Format(surveyTimeLayout))
			if err != nil {
				return err
			}
			created = true
		case err != nil:
			return err
		default:
			ok, err := same(stored)
			if err != nil {
				return fmt.Errorf("compare with the stored submission: %w", err)
			}
			if !ok {
				return surveys.ErrDuplicate
			}
		}
		for _, a := range atts {
			res, err := db.Exec(ctx, tx, `INSERT INTO survey_attachments (submission_id, name, content_type, size, sealed) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				id, a.Name, a.ContentType, a.Size, a.Sealed)
			if err != nil {
				return fmt.Errorf("attachment %s: %w", a.Name, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		if !created && added == 0 {
			return nil // a pure resubmission changes nothing
		}
		action, detail := "submission.create", fmt.Sprintf("%d attachments", added)
		if !created {
			action = "submission.attach"
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: action, Object: object, Detail: detail})
	})
	return created, added, err
}

// Submissions returns a form's submissions (sealed), oldest first.
func (db *DB) Submissions(ctx context.Context, id int64) ([]surveys.StoredSubmission, error) {
	return db.submissions(ctx, id, true)
}

// Submission returns form id's submission instanceID (sealed, with its
// XML), found by the (form_id, instance_id) index; surveys.ErrNoSubmission
// if the form has none.
func (db *DB) Submission(ctx context.Context, id int64, instanceID string) (surveys.StoredSubmission, error) {
	var s surveys.StoredSubmission
	var received string
	err := db.QueryRow(ctx, db.SQL, `SELECT id, form_id, instance_id, form_version, xml_sealed, answers_sealed, enumerator, received
		FROM survey_submissions WHERE form_id = ? AND instance_id = ?`, id, instanceID).
		Scan(&s.ID, &s.FormID, &s.InstanceID, &s.FormVersion, &s.XMLSealed, &s.AnswersSealed, &s.Enumerator, &received)
	if err != nil {
		return surveys.StoredSubmission{}, noRows(err, surveys.ErrNoSubmission)
	}
	s.Received, _ = time.Parse(surveyTimeLayout, received)
	return s, nil
}

// SubmissionAnswers is Submissions without the sealed XML (XMLSealed nil):
// what reading the answers needs, half the bytes or less.
func (db *DB) SubmissionAnswers(ctx context.Context, id int64) ([]surveys.StoredSubmission, error) {
	return db.submissions(ctx, id, false)
}

// AnswersBatch is how many submissions EachSubmissionAnswer reads from the
// database at a time: what it holds of a form's sealed answers at most.
const AnswersBatch = 500

// EachSubmissionAnswer tells start how many submissions form id has, then
// calls fn with each of them without its sealed XML (XMLSealed nil), in
// instanceID order, read AnswersBatch at a time: a batch is read whole and
// its query ended before fn sees its rows, so fn may use the store, and a
// form's sealed answers are never all in memory (SubmissionAnswers holds
// them all). Each batch goes on after the last instanceID read, along the
// (form_id, instance_id) index, and takes only submissions stored before
// start was called (id at most the form's highest then): fn is called n
// times, whatever is submitted meanwhile. It stops at start's or fn's
// first error, or the database's, and returns it as is. A batch's sealed
// answers are read into one buffer that the next batch reuses: fn must
// not keep s.AnswersSealed once it has returned (copy it to keep it).
func (db *DB) EachSubmissionAnswer(ctx context.Context, id int64, start func(n int) error, fn func(surveys.StoredSubmission) error) error {
	var n int
	var last int64
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM survey_submissions WHERE form_id = ?`, id).Scan(&n, &last); err != nil {
		return err
	}
	if err := start(n); err != nil || n == 0 {
		return err
	}
	b := newAnswerBatch(min(n, AnswersBatch))
	for {
		query, args := answersFirst, []any{id, last}
		if len(b.subs) > 0 {
			query, args = answersAfter, []any{id, b.subs[len(b.subs)-1].InstanceID, last}
		}
		if err := b.read(ctx, db, fn, query, args...); err != nil {
			return err
		}
		if len(b.subs) < AnswersBatch {
			return nil
		}
	}
}

// EachSubmissionAnswerByID calls fn with form id's submissions among ids
// (sorted, ascending), without their sealed XML (XMLSealed nil), in id
// order, read AnswersBatch at a time by their primary key, as
// EachSubmissionAnswer reads them (a batch read whole before fn sees its
// rows; fn must not keep s.AnswersSealed). An id that is not one of the
// form's submissions is left out: the caller, which knows which it asked
// for, tells. It stops at fn's first error or the database's.
func (db *DB) EachSubmissionAnswerByID(ctx context.Context, id int64, ids []int64, fn func(surveys.StoredSubmission) error) error {
	if !slices.IsSorted(ids) {
		return fmt.Errorf("storage: EachSubmissionAnswerByID: ids not in ascending order")
	}
	b := newAnswerBatch(min(len(ids), AnswersBatch))
	args := make([]any, 0, 1+AnswersBatch)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), AnswersBatch)]
		ids = ids[len(chunk):]
		args = args[:0]
		for _, i := range chunk {
			args = append(args, i)
		}
		// By primary key alone, the form checked here: asked for the form
		// too (form_id = ?), SQLite walks the form's whole (form_id,
		// instance_id) index for each batch, 100,000 entries read 200 times
		// for 100,000 submissions.
		query := answersByID + "(" + strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + ") ORDER BY id"
		err := b.read(ctx, db, func(s surveys.StoredSubmission) error {
			if s.FormID != id {
				return nil
			}
			return fn(s)
		}, query, args...)
		if err != nil {
			return err
		}
	}
	return nil
}

// answerBatch is a batch of submissions read with their sealed answers
// and no XML: the batch's sealed answers one after the other in one
// buffer, and where each ends, reused from batch to batch rather than one
// allocated per answer (fewer garbage collections).
type answerBatch struct {
	subs   []surveys.StoredSubmission
	sealed []byte
	ends   []int
}

func newAnswerBatch(n int) *answerBatch {
	return &answerBatch{subs: make([]surveys.StoredSubmission, 0, n), ends: make([]int, 0, n)}
}

// read runs query (its columns answersFirst's), reads its rows whole and
// ends it, then calls fn with each.
func (b *answerBatch) read(ctx context.Context, db *DB, fn func(surveys.StoredSubmission) error, query string, args ...any) error {
	b.subs, b.sealed, b.ends = b.subs[:0], b.sealed[:0], b.ends[:0]
	err := eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var s surveys.StoredSubmission
		var received string
		var answers sql.RawBytes // the driver's, valid until the next row: copied
		if err := sc.Scan(&s.ID, &s.FormID, &s.InstanceID, &s.FormVersion, &answers, &s.Enumerator, &received); err != nil {
			return err
		}
		s.Received, _ = time.Parse(surveyTimeLayout, received)
		b.sealed = append(b.sealed, answers...)
		b.subs, b.ends = append(b.subs, s), append(b.ends, len(b.sealed))
		return nil
	}, query, args...)
	if err != nil {
		return err
	}
	for i := range b.subs {
		from := 0
		if i > 0 {
			from = b.ends[i-1]
		}
		b.subs[i].AnswersSealed = b.sealed[from:b.ends[i]:b.ends[i]]
		if err := fn(b.subs[i]); err != nil {
			return err
		}
		b.subs[i].AnswersSealed = nil // done with
	}
	return nil
}

// EachSubmissionAnswer's queries: the first batch, and each next one after
// the last instanceID read.
var (
	answersFirst = `SELECT id, form_id, instance_id, form_version, answers_sealed, enumerator, received
		FROM survey_submissions WHERE form_id = ? AND id <= ?
		ORDER BY instance_id LIMIT ` + strconv.Itoa(AnswersBatch)
	answersAfter = `SELECT id, form_id, instance_id, form_version, answers_sealed, enumerator, received
		FROM survey_submissions WHERE form_id = ? AND instance_id > ? AND id <= ?
		ORDER BY instance_id LIMIT ` + strconv.Itoa(AnswersBatch)
	// EachSubmissionAnswerByID's, without its list of ids.
	answersByID = `SELECT id, form_id, instance_id, form_version, answers_sealed, enumerator, received
		FROM survey_submissions WHERE id IN `
)

// submissions reads form id's submissions, with their sealed XML when xml,
// and sorts them oldest first (by id) in Go: asked of the database (ORDER
// BY id), SQLite finds them by the (form_id, instance_id) index, then
// sorts every row, sealed answers and all, in a temporary B-tree, which
// took about half of the read's time for 100,000 submissions
// (docs/benchmarks.md, "Surveys").
func (db *DB) submissions(ctx context.Context, id int64, xml bool) ([]surveys.StoredSubmission, error) {
	xmlCol := "NULL"
	if xml {
		xmlCol = "xml_sealed"
	}
	// Counted first (from the index), so that the list is made once at
	// its size rather than grown and copied as the rows come.
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM survey_submissions WHERE form_id = ?`, id).Scan(&n); err != nil {
		return nil, err
	}
	var subs []surveys.StoredSubmission
	if n > 0 {
		subs = make([]surveys.StoredSubmission, 0, n)
	}
	err := eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var s surveys.StoredSubmission
		var received string
		if err := sc.Scan(&s.ID, &s.FormID, &s.InstanceID, &s.FormVersion, &s.XMLSealed, &s.AnswersSealed, &s.Enumerator, &received); err != nil {
			return err
		}
		s.Received, _ = time.Parse(surveyTimeLayout, received)
		subs = append(subs, s)
		return nil
	}, `SELECT id, form_id, instance_id, form_version, `+xmlCol+`, answers_sealed, enumerator, received
		FROM survey_submissions WHERE form_id = ?`, id)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(subs, func(a, b surveys.StoredSubmission) int { return cmp.Compare(a.ID, b.ID) })
	return subs, nil
}

// Attachments returns a submission's attachments (sealed), by name.
func (db *DB) Attachments(ctx context.Context, submissionID int64) ([]surveys.StoredAttachment, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (surveys.StoredAttachment, error) {
		var a surveys.StoredAttachment
		err := sc.Scan(&a.SubmissionID, &a.Name, &a.ContentType, &a.Size, &a.Sealed)
		return a, err
	}, `SELECT submission_id, name, content_type, size, sealed FROM survey_attachments WHERE submission_id = ? ORDER BY name`, submissionID)
}
