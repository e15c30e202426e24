package surveys

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/xform"
)

// Service handles forms and submissions over a Store, sealing submission
// data with Keys.
type Service struct {
	Store Store
	// Keys seal submission XML, answers and attachments (AES-256-GCM
	// under the shared keyring of package crypt: the data directory's
	// keys.json or VIGIL_KEYS, rotatable with vigil keys rotate).
	Keys *crypt.Keyring
	// Auditor records sensitive reads (answers read for analysis).
	Auditor interface {
		Record(ctx context.Context, e audit.Entry) error
	}
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// XLSXWait is how long an XLSForm upload waits for the decompression
	// budget other uploads hold before it is refused with 503 (30 s when
	// 0).
	XLSXWait time.Duration
	// MarginsSaved, when set, is called after a margin set name is
	// uploaded and saved (LoadMargins, PutMargins) by actor, with the
	// request's context: vigil serve --demo tries a refused weighting of
	// the demo's answers again then (demo.RetryWeights). Its error is
	// LoadMargins' (the margins stay saved).
	MarginsSaved func(ctx context.Context, actor, name string) error
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// StoredSubmission is a submission as stored: the XML and the parsed
// answers sealed with AES-GCM.
type StoredSubmission struct {
	ID            int64
	FormID        int64 // survey_forms.id
	InstanceID    string
	FormVersion   string
	XMLSealed     []byte
	AnswersSealed []byte // sealed JSON map[string]string
	Enumerator    string // user name of the submitter
	Received      time.Time
}

// StoredAttachment is a submission's file, sealed.
type StoredAttachment struct {
	SubmissionID int64
	Name         string
	ContentType  string
	Size         int64
	Sealed       []byte
}

// Attachment is a file sent with a submission.
type Attachment struct {
	Name        string
	ContentType string
	Content     []byte
}

// Result says what a submission did.
type Result struct {
	FormID     string
	InstanceID string
	Created    bool // false: the same submission was already stored
	Added      int  // attachments stored by this request
}

// seal encrypts plain under the active key, bound to context (e.g.
// "xml:form/instance") so that a sealed value cannot be moved to another
// row.
func (s *Service) seal(plain []byte, context string) ([]byte, error) {
	return s.Keys.Seal(plain, []byte("surveys."+context))
}

// open decrypts a value made by seal with the same context.
func (s *Service) open(sealed []byte, context string) ([]byte, error) {
	return s.Keys.Open(sealed, []byte("surveys."+context))
}

// sealCtx names a sealed value's submission and role.
func sealCtx(kind, formID, instanceID string) string {
	return kind + ":" + formID + "/" + instanceID
}

// Limits on a submission.
const (
	MaxAttachments     = 100
	MaxAttachmentBytes = 20 << 20
)

// Submit checks a submission against its form and stores it with its
// attachments, sealed. The same XML again stores only the attachments not
// yet stored; a different XML under a stored instanceID is refused with
// ErrDuplicate (status 409). Nothing is stored when any check fails.
func (s *Service) Submit(ctx context.Context, u *auth.User, xml []byte, atts []Attachment) (Result, error) {
	if s.Keys == nil {
		return Result{}, errors.New("surveys: no encryption keys configured")
	}
	if u == nil {
		return Result{}, refuseField(apperr.KindUnauthenticated, "", "not logged in")
	}
	root, err := xform.ParseTree(bytes.NewReader(xml), xform.Limits{MaxDepth: 64, MaxElements: 100000})
	if err != nil {
		return Result{}, refuseField(apperr.KindInvalid, "", "xml_submission_file: %v", err)
	}
	formID, _ := root.AttrValue("id")
	if formID == "" {
		return Result{}, refuseField(apperr.KindInvalid, "", "xml_submission_file: /%s: the root element has no id attribute (the form id)", root.Name)
	}
	f, err := s.Store.FormByFormID(ctx, formID)
	if errors.Is(err, ErrNoForm) {
		return Result{}, refuseField(apperr.KindNotFound, "", "form %q does not exist on this server", formID)
	}
	if err != nil {
		return Result{}, err
	}
	ok, err := s.MaySubmit(ctx, u, f)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, refuseField(apperr.KindForbidden, "", "user %s may not submit to form %q", u.Name, formID)
	}
	if f.State != Open {
		return Result{}, refuseField(apperr.KindConflict, "", "form %q is closed and accepts no submissions", formID)
	}
	pf, err := parsedForm(f)
	if err != nil {
		return Result{}, fmt.Errorf("stored form %q does not parse: %v", formID, err) // a server fault (500), not bad input
	}
	sub, err := pf.Validate(xml)
	if err != nil {
		return Result{}, refuseField(apperr.KindInvalid, "", "xml_submission_file: %v", err)
	}
	if len(atts) > MaxAttachments {
		return Result{}, refuseField(apperr.KindInvalid, "", "more than %d attachments", MaxAttachments)
	}
	seen := map[string]bool{}
	stored := make([]StoredAttachment, 0, len(atts))
	for _, a := range atts {
		if seen[a.Name] {
			return Result{}, refuseField(apperr.KindInvalid, "", "attachment %s: sent twice", a.Name)
		}
		seen[a.Name] = true
		if !slices.Contains(sub.Attachments, a.Name) {
			return Result{}, refuseField(apperr.KindInvalid, "", "attachment %s: no question of the submission refers to it", a.Name)
		}
		if len(a.Content) > MaxAttachmentBytes {
			return Result{}, refuseField(apperr.KindTooLarge, "", "attachment %s: larger than %d bytes", a.Name, MaxAttachmentBytes)
		}
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		sealed, err := s.seal(a.Content, sealCtx("att:"+a.Name, formID, sub.InstanceID))
		if err != nil {
			return Result{}, err
		}
		stored = append(stored, StoredAttachment{Name: a.Name, ContentType: ct, Size: int64(len(a.Content)), Sealed: sealed})
	}
	answers, err := json.Marshal(sub.Answers)
	if err != nil {
		return Result{}, err
	}
	xmlCtx := sealCtx("xml", formID, sub.InstanceID)
	st := StoredSubmission{FormID: f.ID, InstanceID: sub.InstanceID, FormVersion: sub.Version, Enumerator: u.Name, Received: s.now()}
	if st.XMLSealed, err = s.seal(xml, xmlCtx); err != nil {
		return Result{}, err
	}
	if st.AnswersSealed, err = s.seal(answers, sealCtx("answers", formID, sub.InstanceID)); err != nil {
		return Result{}, err
	}
	// A stored submission with this instanceID is the same one when its
	// XML opens to the same bytes.
	same := func(stored []byte) (bool, error) {
		old, err := s.open(stored, xmlCtx)
		if err != nil {
			return false, err
		}
		return bytes.Equal(old, xml), nil
	}
	created, added, err := s.Store.PutSubmission(ctx, u.Name, st, stored, same)
	if errors.Is(err, ErrDuplicate) {
		return Result{}, apperr.Wrap(apperr.KindConflict, "", apperr.Textf("instanceID %q: %w for form %q", sub.InstanceID, ErrDuplicate, formID))
	}
	if err != nil {
		return Result{}, err
	}
	return Result{FormID: formID, InstanceID: sub.InstanceID, Created: created, Added: added}, nil
}

// Row keys added to every row by Rows besides the answers.
const (
	KeyInstanceID = "_instance_id"
	KeyReceived   = "_received"
	KeyEnumerator = "_enumerator"
	KeyVersion    = "_form_version"
)

// Rows returns a form's answers for analysis, one map per submission,
// oldest first. Keys are paths relative to the instance root with groups
// joined by "/" ("age", "household/size"); answers inside repeats carry
// the 1-based instance number of each repeat ("children/child[2]/age").
// Only non-empty answers are present. Each row also has _instance_id,
// _received (RFC 3339), _enumerator and _form_version. Reading answers is
// a sensitive read: it is recorded in the audit log as "survey.read" by
// actor.
func (s *Service) Rows(ctx context.Context, actor, formID string) ([]map[string]string, error) {
	return s.RowsFor(ctx, actor, formID, "")
}

// RowsFor is Rows, with what the answers are read for (a brief, a
// request) written in the audit entry's detail after the number of
// submissions read ("115 submissions; read for …"): a caller that reads a
// form once for many computations audits that one read, saying why.
func (s *Service) RowsFor(ctx context.Context, actor, formID, purpose string) ([]map[string]string, error) {
	return s.rowsKeeping(ctx, actor, formID, purpose)
}

// readWhole, set by the benchmarks only (export_test.go), has
// rowsKeeping read as it did before streaming: the sealed answers as one
// list, each answer opened into a new buffer, each row's map grown from
// empty.
var readWhole bool

// rowsKeeping is RowsFor. When the store is an AnswerStream the sealed
// answers are read a batch at a time, so that they are never all held
// beside the decrypted rows (about as many bytes again), and the rows,
// read in the stream's order, are then put back in the list's (oldest
// first: by the submissions' ids). Each row's map is made at the size of
// the one before (a form's answers have about as many keys from one
// submission to the next), not grown from empty key by key.
func (s *Service) rowsKeeping(ctx context.Context, actor, formID, purpose string) ([]map[string]string, error) {
	read := s.readAll
	if as, ok := s.Store.(AnswerStream); ok && !readWhole {
		read = as.EachSubmissionAnswer
	}
	var rows []map[string]string
	var ids []int64
	size := 0
	count := func(n int) { rows, ids = make([]map[string]string, 0, n), make([]int64, 0, n) }
	row := func() map[string]string { return make(map[string]string, size) }
	if readWhole { // as before, for the benchmarks
		row = func() map[string]string { return map[string]string{} }
	}
	add := func(id int64, r map[string]string) { rows, ids, size = append(rows, r), append(ids, id), len(r) }
	if err := s.answers(ctx, actor, formID, purpose, read, count, row, add); err != nil {
		return nil, err
	}
	if !slices.IsSorted(ids) {
		order := make([]int, len(ids))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(ids[a], ids[b]) })
		sorted := make([]map[string]string, len(rows))
		for i, j := range order {
			sorted[i] = rows[j]
		}
		rows = sorted
	}
	return rows, nil
}

// eachRow is RowsFor calling fn with each row in turn instead, the same
// map emptied and filled again for each: fn must not keep it, nor rely on
// the rows' order. The store's AnswerStream reads the sealed answers a
// batch at a time: a check over all the answers then holds one decrypted
// row and one batch of sealed ones at a time.
func (s *Service) eachRow(ctx context.Context, actor, formID, purpose string, fn func(row map[string]string)) error {
	return s.eachAnswer(ctx, actor, formID, purpose, func(_ int64, r map[string]string) { fn(r) })
}

// readAll reads form id's submissions as one list, oldest first (the
// store's SubmissionAnswers when it is an AnswersStore, else Submissions),
// then tells start their number and calls fn with each, as AnswerStream
// does.
func (s *Service) readAll(ctx context.Context, id int64, start func(n int) error, fn func(StoredSubmission) error) error {
	subs, err := s.readList(ctx, id)
	if err != nil {
		return err
	}
	if err := start(len(subs)); err != nil {
		return err
	}
	for _, st := range subs {
		if err := fn(st); err != nil {
			return err
		}
	}
	return nil
}

// readList reads form id's submissions as one list, oldest first: the
// store's SubmissionAnswers when it is an AnswersStore, else Submissions.
func (s *Service) readList(ctx context.Context, id int64) ([]StoredSubmission, error) {
	if as, ok := s.Store.(AnswersStore); ok {
		return as.SubmissionAnswers(ctx, id) // the XML is not needed
	}
	return s.Store.Submissions(ctx, id)
}

// answers reads form's answers with read as RowsFor says, audited before
// any is decrypted: count is told how many submissions there are, then
// each is decrypted into the map row gives and passed to fn with the
// submission's id.
func (s *Service) answers(ctx context.Context, actor, formID, purpose string, read func(ctx context.Context, id int64, start func(int) error, fn func(StoredSubmission) error) error,
	count func(int), row func() map[string]string, fn func(id int64, row map[string]string)) error {
	if s.Keys == nil {
		return errors.New("surveys: no encryption keys configured")
	}
	f, err := s.Store.FormByFormID(ctx, formID)
	if err != nil {
		return err
	}
	open := s.opener(formID, row, func(id int64, r map[string]string) error { fn(id, r); return nil })
	return read(ctx, f.ID, func(n int) error {
		if s.Auditor != nil {
			if err := s.Auditor.Record(ctx, audit.Entry{Actor: actor, Action: "survey.read", Object: "form:" + formID, Detail: readDetail(n, purpose)}); err != nil {
				return err
			}
		}
		count(n)
		return nil
	}, open)
}

// opener decrypts form's submissions one at a time, each into the map row
// gives, with the keys every row has, and passes it to fn with the
// submission's id; it stops at fn's first error.
func (s *Service) opener(formID string, row func() map[string]string, fn func(id int64, row map[string]string) error) func(StoredSubmission) error {
	var dec answerDecoder
	// One buffer for the context and one for the plaintext, reused from
	// one answer to the next (the decoder copies what it keeps): read a
	// batch at a time, the answers left the garbage collector a small live
	// heap, collected far more often, and allocating less per answer
	// makes fewer collections.
	var aad, plain []byte
	return func(st StoredSubmission) error {
		aad = append(append(append(append(aad[:0], "surveys.answers:"...), formID...), '/'), st.InstanceID...) // as open(…, sealCtx("answers", …))
		var err error
		if readWhole { // as before, for the benchmarks
			plain, err = s.open(st.AnswersSealed, sealCtx("answers", formID, st.InstanceID))
		} else {
			plain, err = s.Keys.OpenAppend(plain[:0], st.AnswersSealed, aad)
		}
		if err != nil {
			return fmt.Errorf("submission %s: %w", st.InstanceID, err)
		}
		r := row()
		if err := dec.decode(plain, r); err != nil {
			return fmt.Errorf("submission %s: answers: %w", st.InstanceID, err)
		}
		r[KeyInstanceID] = st.InstanceID
		r[KeyReceived] = st.Received.UTC().Format(time.RFC3339)
		r[KeyEnumerator] = st.Enumerator
		r[KeyVersion] = st.FormVersion
		return fn(st.ID, r)
	}
}

// readDetail is a survey.read audit entry's detail: how many submissions
// were read and, when given, what for.
func readDetail(n int, purpose string) string {
	d := fmt.Sprintf("%d submissions", n)
	if purpose != "" {
		d += "; read for " + purpose
	}
	return d
}

// SubmissionXML returns a stored submission's XML and its attachments'
// names, decrypted (a sensitive read, audited as "submission.read").
func (s *Service) SubmissionXML(ctx context.Context, actor, formID, instanceID string) ([]byte, map[string][]byte, error) {
	f, err := s.Store.FormByFormID(ctx, formID)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.submission(ctx, f.ID, instanceID)
	if errors.Is(err, ErrNoSubmission) {
		return nil, nil, fmt.Errorf("submission %q of form %q: %w", instanceID, formID, ErrNoSubmission)
	} else if err != nil {
		return nil, nil, err
	}
	if s.Auditor != nil {
		if err := s.Auditor.Record(ctx, audit.Entry{Actor: actor, Action: "submission.read", Object: "submission:" + formID + "/" + instanceID}); err != nil {
			return nil, nil, err
		}
	}
	xml, err := s.open(st.XMLSealed, sealCtx("xml", formID, instanceID))
	if err != nil {
		return nil, nil, err
	}
	atts, err := s.Store.Attachments(ctx, st.ID)
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{}
	for _, a := range atts {
		b, err := s.open(a.Sealed, sealCtx("att:"+a.Name, formID, instanceID))
		if err != nil {
			return nil, nil, fmt.Errorf("attachment %s: %w", a.Name, err)
		}
		files[a.Name] = b
	}
	return xml, files, nil
}

// submission is form id's submission instanceID: the store's Submission
// when it has one (SubmissionStore), else looked for among Submissions;
// ErrNoSubmission if none.
func (s *Service) submission(ctx context.Context, id int64, instanceID string) (StoredSubmission, error) {
	if ss, ok := s.Store.(SubmissionStore); ok {
		return ss.Submission(ctx, id, instanceID)
	}
	subs, err := s.Store.Submissions(ctx, id)
	if err != nil {
		return StoredSubmission{}, err
	}
	for _, st := range subs {
		if st.InstanceID == instanceID {
			return st, nil
		}
	}
	return StoredSubmission{}, ErrNoSubmission
}

// SortedKeys returns the keys of m in order, never nil (a row's columns
// for exports, a set's members).
func SortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// parsed caches parsed form definitions by hash (a form's XML never
// changes under the same hash).
var parsed sync.Map // md5 hex -> *xform.Form

func parsedForm(f Form) (*xform.Form, error) {
	if v, ok := parsed.Load(f.Hash); ok {
		return v.(*xform.Form), nil
	}
	pf, err := xform.Parse(f.XML)
	if err != nil {
		return nil, err
	}
	parsed.Store(f.Hash, pf)
	return pf, nil
}
