package surveys

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/xform"
)

// Form states: an open form takes submissions and is listed to
// enumerators; a closed one refuses new submissions.
const (
	Open   = "open"
	Closed = "closed"
)

// Form is a stored form definition.
type Form struct {
	ID      int64     `json:"id"`
	FormID  string    `json:"form_id"` // the XForm id
	Version string    `json:"version"`
	Title   string    `json:"title"`
	XML     []byte    `json:"-"`
	Hash    string    `json:"hash"` // md5 of XML, hex
	State   string    `json:"state"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Media is a media file attached to a form (images, audio, CSV, GeoJSON
// that the form refers to with jr:// URLs).
type Media struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Hash        string `json:"hash"` // md5, hex
	Content     []byte `json:"-"`
}

// Errors returned by Store and Service.
var (
	ErrNoForm     = errors.New("no such form")
	ErrFormClosed = errors.New("form is closed")
	ErrDuplicate  = said("a different submission with this instanceID exists")
	ErrNoAccess   = errors.New("not allowed to submit to this form")
	ErrNoMedia    = errors.New("no such media file")
	// ErrNoSubmission: a form has no submission with that instanceID.
	ErrNoSubmission = errors.New("no such submission")
	ErrSameVersion  = said("form changed but its version did not")
)

// Store is the persistence surveys needs (implemented by *storage.DB).
// Every change writes its audit entry in the same transaction.
type Store interface {
	// SaveForm inserts the form, or replaces the definition of the form
	// with the same FormID (keeping its state), and stores media (added or
	// replaced by name). Audit "form.save".
	SaveForm(ctx context.Context, actor string, f Form, media []Media) (Form, error)
	// FormByFormID returns a form by its XForm id; ErrNoForm if none.
	FormByFormID(ctx context.Context, formID string) (Form, error)
	// Forms lists forms (without XML) by FormID.
	Forms(ctx context.Context) ([]Form, error)
	// SetFormState opens or closes a form. Audit "form.open"/"form.close".
	SetFormState(ctx context.Context, actor, formID, state string) error
	// FormMedia lists a form's media (without content).
	FormMedia(ctx context.Context, id int64) ([]Media, error)
	// FormMediaFile returns one media file; ErrNoMedia if none.
	FormMediaFile(ctx context.Context, id int64, name string) (Media, error)
	// GrantForm lets a user submit to a form. Audit "form.grant".
	GrantForm(ctx context.Context, actor string, id, userID int64) error
	// CanSubmit reports whether the user is on the form's access list.
	CanSubmit(ctx context.Context, id, userID int64) (bool, error)
	// GrantedForms returns the ids of the forms a user is on the list of.
	GrantedForms(ctx context.Context, userID int64) (map[int64]bool, error)

	// PutSubmission stores a submission and its attachments in one
	// transaction (audit "submission.create"). If one with the same form
	// and instanceID exists, same(its sealed XML) decides: true adds the
	// attachments not yet stored and returns created=false; false returns
	// ErrDuplicate and stores nothing.
	PutSubmission(ctx context.Context, actor string, s StoredSubmission, atts []StoredAttachment, same func(sealedXML []byte) (bool, error)) (created bool, added int, err error)
	// Submissions returns a form's stored submissions (sealed), oldest first.
	Submissions(ctx context.Context, id int64) ([]StoredSubmission, error)
	// Attachments returns a submission's attachments (sealed).
	Attachments(ctx context.Context, submissionID int64) ([]StoredAttachment, error)
}

// AnswersStore is a Store that reads a form's submissions without their
// sealed XML (XMLSealed nil), for reading the answers alone (RowsFor);
// *storage.DB is one. Other Stores are read with Submissions.
type AnswersStore interface {
	SubmissionAnswers(ctx context.Context, id int64) ([]StoredSubmission, error)
}

// AnswerStream is a Store that reads a form's sealed answers a batch at a
// time, so that they are never all in memory (SaveSettings' raking check,
// a margin upload's, RowsFor, the analyses, and the exports' first read,
// which hold what they need of the decrypted rows only): EachSubmissionAnswer tells start how many
// submissions form id has, then calls fn with each (XMLSealed nil), in no
// order to rely on, never holding all of them; fn must not keep
// AnswersSealed once it has returned (the store may reuse its bytes). It
// stops at start's or fn's first error and returns it. Submissions stored
// after start was called are not read. *storage.DB is one; other Stores
// are read whole (AnswersStore, Submissions).
type AnswerStream interface {
	EachSubmissionAnswer(ctx context.Context, id int64, start func(n int) error, fn func(StoredSubmission) error) error
}

// AnswersByID is a Store that reads chosen submissions of a form, by
// their ids (ascending), a batch at a time as AnswerStream does: fn is
// called with each (XMLSealed nil) in id order, and must not keep
// AnswersSealed once it has returned; an id that is not one of the
// form's submissions is left out. It stops at fn's first error. The second
// read of a two-pass export (PrepareExport, then Export.WriteCSV) reads
// the answers so, oldest first, without holding them. *storage.DB is one;
// other Stores are read whole (AnswersStore, Submissions).
type AnswersByID interface {
	EachSubmissionAnswerByID(ctx context.Context, id int64, ids []int64, fn func(StoredSubmission) error) error
}

// SubmissionStore is a Store that reads one submission by its form (id)
// and instanceID, not all the form's (Submissions); ErrNoSubmission if
// there is none. *storage.DB is one.
type SubmissionStore interface {
	Submission(ctx context.Context, id int64, instanceID string) (StoredSubmission, error)
}

// formError refuses a form or media file for its content (the uploader can
// fix it), as opposed to a storage failure: apperr bad input naming the
// form (field xform), err's text whole and err kept in the chain.
func formError(err error) error { return apperr.Wrap(apperr.KindInvalid, "xform", err) }

// FormHash returns the md5 of a form definition, hex, as OpenRosa lists it.
func FormHash(b []byte) string {
	h := md5.Sum(b)
	return hex.EncodeToString(h[:])
}

// maxMediaBytes bounds one media file.
const maxMediaBytes = 50 << 20

// AddForm parses an XForm, checks it, and stores it (replacing the stored
// definition of the same form id, which must then have a new version) with
// the given media files. It returns the form and its warnings (expressions
// the server will not enforce, media files the form does not refer to):
// English errors said as catalog messages (xform.WarningMessages,
// surveys.Refusals' surveys.warning.*).
func (s *Service) AddForm(ctx context.Context, actor string, xml []byte, media []Media) (Form, []error, error) {
	pf, err := xform.Parse(xml)
	if err != nil {
		return Form{}, nil, formError(err)
	}
	f := Form{FormID: pf.ID, Version: pf.Version, Title: pf.Title, XML: xml, Hash: FormHash(xml), State: Open}
	if f.Title == "" {
		f.Title = f.FormID
	}
	if old, err := s.Store.FormByFormID(ctx, f.FormID); err == nil {
		if old.Hash != f.Hash && old.Version == f.Version {
			return Form{}, nil, formError(apperr.Textf("form %q: %w (still %q): give the new definition a new version", f.FormID, ErrSameVersion, f.Version))
		}
	} else if !errors.Is(err, ErrNoForm) {
		return Form{}, nil, err
	}
	for i := range media {
		m := &media[i]
		m.Name = path.Base(strings.ReplaceAll(m.Name, "\\", "/"))
		if m.Name == "." || m.Name == "/" || m.Name == "" {
			return Form{}, nil, formError(errors.New("media file without a name"))
		}
		if len(m.Content) > maxMediaBytes {
			return Form{}, nil, formError(fmt.Errorf("media file %s is larger than %d bytes", m.Name, maxMediaBytes))
		}
		if m.ContentType == "" {
			m.ContentType = "application/octet-stream"
		}
		m.Hash = FormHash(m.Content)
	}
	warnings := pf.Warnings
	for _, m := range media {
		if !slices.Contains(pf.Media, m.Name) {
			warnings = append(warnings, apperr.Textf("media file %s is not referred to by the form", m.Name))
		}
	}
	saved, err := s.Store.SaveForm(ctx, actor, f, media)
	return saved, warnings, err
}

// SetState opens or closes a form.
func (s *Service) SetState(ctx context.Context, actor, formID, state string) error {
	if state != Open && state != Closed {
		return fmt.Errorf("state %q: want %s or %s", state, Open, Closed)
	}
	return s.Store.SetFormState(ctx, actor, formID, state)
}

// MaySubmit reports whether u may see and submit to f: analysts and admins
// may submit to every form, others only to forms whose access list holds
// them.
func (s *Service) MaySubmit(ctx context.Context, u *auth.User, f Form) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.Role.AtLeast(auth.Analyst) {
		return true, nil
	}
	return s.Store.CanSubmit(ctx, f.ID, u.ID)
}

// FormsFor lists the open forms u may submit to.
func (s *Service) FormsFor(ctx context.Context, u *auth.User) ([]Form, error) {
	all, err := s.Store.Forms(ctx)
	if err != nil {
		return nil, err
	}
	var granted map[int64]bool
	if !u.Role.AtLeast(auth.Analyst) {
		if granted, err = s.Store.GrantedForms(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	var out []Form
	for _, f := range all {
		if f.State == Open && (granted == nil || granted[f.ID]) {
			out = append(out, f)
		}
	}
	return out, nil
}

// ExportFields are the answers of a form that an export treats apart.
type ExportFields struct {
	// FreeText are the answers typed rather than chosen from a list
	// (string questions that are not select, select_one or rank; string
	// values without a question, e.g. calculations), which may hold
	// names, and answer keys the current definition does not know (from
	// an earlier version). Paths relative to the root, without repeat
	// numbers (see FieldPath).
	FreeText []string
	// Location are geotrace, geoshape and geopoint answers; Files the
	// names of uploaded files (binary questions).
	Location []string
	Files    []string
}

// ExportFields classifies the answers of form formID (its current
// definition) and of rows (answer keys as Rows gives them).
func (s *Service) ExportFields(ctx context.Context, formID string, rows []map[string]string) (ExportFields, error) {
	return s.exportFields(ctx, formID, columns(rows))
}

// exportFields is ExportFields of the answer keys given.
func (s *Service) exportFields(ctx context.Context, formID string, keys []string) (ExportFields, error) {
	f, err := s.Store.FormByFormID(ctx, formID)
	if err != nil {
		return ExportFields{}, err
	}
	pf, err := parsedForm(f)
	if err != nil {
		return ExportFields{}, fmt.Errorf("stored form %q does not parse: %w", formID, err)
	}
	return classifyFields(pf, keys), nil
}

// ClassifyFields classifies the answers of an XForm definition (the XML)
// and of rows, as ExportFields does for a stored form.
func ClassifyFields(formXML []byte, rows []map[string]string) (ExportFields, error) {
	pf, err := xform.Parse(formXML)
	if err != nil {
		return ExportFields{}, err
	}
	return classifyFields(pf, columns(rows)), nil
}

// classifyFields classifies the answers of pf and the answer keys given.
func classifyFields(pf *xform.Form, keys []string) ExportFields {
	var out ExportFields
	known := map[string]bool{}
	prefix := "/" + pf.RootName + "/"
	for _, fl := range pf.Fields {
		rel := strings.TrimPrefix(fl.Path, prefix)
		known[rel] = true
		switch fl.Type {
		case "string", "":
			c := pf.Controls[fl.Path]
			if c != nil && (c.Kind == "select1" || c.Kind == "select" || c.Kind == "odk:rank" || c.Kind == "rank") {
				continue
			}
			out.FreeText = append(out.FreeText, rel)
		case "geopoint", "geotrace", "geoshape":
			out.Location = append(out.Location, rel)
		case "binary":
			out.Files = append(out.Files, rel)
		}
	}
	unknown := map[string]bool{}
	for _, k := range keys {
		if fp := FieldPath(k); !strings.HasPrefix(k, "_") && !known[fp] {
			unknown[fp] = true
		}
	}
	out.FreeText = append(out.FreeText, SortedKeys(unknown)...)
	return out
}
