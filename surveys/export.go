package surveys

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Export is a protected export: its disclosure report and, unless only the
// report was asked for, the CSV and its file name.
type Export struct {
	Report *DisclosureReport
	CSV    []byte // Export's; nil from PrepareExport until WriteCSV
	Name   string // file name without ".csv"

	// What WriteCSV reads the answers again with: the service, the
	// request's context (PrepareExport's: the file is written within the
	// request), the form, and each row's protected quasi-identifiers by
	// the submissions' ids.
	svc     *Service
	ctx     context.Context
	form    string
	prot    *protection
	cols    []string
	hxl     bool
	written bool
}

// Export applies the form's disclosure control to its answers in round and
// writes them as CSV (format "" or "csv"), HXL-tagged CSV ("hxl"), or only
// reports what protection would do ("report"). Free-text answers leave only
// when named in text (comma-separated); identifiers never do. An export
// that would leave records re-identifiable is refused (409); a written
// export is audited. The CSV is built in memory: PrepareExport and
// WriteCSV write it to a stream instead.
func (s *Service) Export(ctx context.Context, actor, form string, st Settings, round, format, text string) (*Export, error) {
	ex, err := s.PrepareExport(ctx, actor, form, st, round, format, text)
	if err != nil || format == "report" {
		return ex, err
	}
	var buf bytes.Buffer
	if err := ex.WriteCSV(&buf); err != nil {
		return nil, err
	}
	ex.CSV = buf.Bytes()
	return ex, nil
}

// PrepareExport is Export up to the CSV, which it leaves to WriteCSV:
// everything that can fail or refuse the export (reading and decrypting
// the answers, disclosure control, the k and risk check, the audit entry)
// is done when it returns, so that a caller streaming the file can still
// answer with an error before its first byte.
//
// The answers are read twice, a batch at a time, and never all held: here
// to decide their protection (which needs every record's
// quasi-identifiers and weight, the keys every record has and the answers
// that look like GPS points before the export is refused or its first byte
// written), holding of each row only its id, its quasi-identifiers (a code
// into their distinct combinations) and its weight; then by WriteCSV, by
// their ids, oldest first, to write them.
func (s *Service) PrepareExport(ctx context.Context, actor, form string, st Settings, round, format, text string) (*Export, error) {
	if err := CheckExportFormat(format); err != nil {
		return nil, err
	}
	p := newProtection(st.Disclosure)
	field := st.Round()
	err := s.eachAnswer(ctx, actor, form, "", func(id int64, r map[string]string) {
		if round == "" || strings.TrimSpace(r[field]) == round { // FilterRound's test
			p.add(id, r)
		}
	})
	if errors.Is(err, ErrNoForm) {
		return nil, refuseField(apperr.KindNotFound, "", "no form %q", form)
	} else if err != nil {
		return nil, err
	}
	keys := SortedKeys(p.keys)
	fields, err := s.exportFields(ctx, form, keys)
	if err != nil {
		return nil, err
	}
	rule := st.Disclosure
	rule.Drop = append(append(append([]string(nil), rule.Drop...), fields.Location...), fields.Files...)
	rule.FreeText = fields.FreeText
	rule.Text = []string{st.Round()}
	if text != "" {
		for _, f := range strings.Split(text, ",") {
			f = strings.TrimSpace(f)
			if !slices.Contains(fields.FreeText, FieldPath(f)) {
				return nil, refuseField(apperr.KindInvalid, "text", "%q is not a free-text field of form %q (free-text fields: %s)", f, form, strings.Join(fields.FreeText, ", "))
			}
			if IsIdentifier(f) {
				return nil, refuseField(apperr.KindInvalid, "text", "%q is an identifier and is never exported", f)
			}
			rule.Text = append(rule.Text, f)
		}
	}
	rep, drop, err := p.finish(rule)
	if err != nil {
		return nil, refuseField(apperr.KindUnprocessable, "", "disclosure control: %v", err)
	}
	if format == "report" {
		return &Export{Report: rep}, nil
	}
	if !rep.Passes {
		return nil, refuseField(apperr.KindConflict, "", "export refused: after protection %d records are still below k=%d or the mean re-identification risk %.4f is not below %.2f; add generalisations or fewer quasi-identifiers (see ?format=report)", rep.UnsafeAfter, rep.K, rep.MeanRiskAfter, rep.MaxRisk)
	}
	if err := s.audit(ctx, audit.Entry{Actor: actor, Action: "survey.export", Object: "form:" + form,
		Detail: fmt.Sprintf("format=%s round=%q records=%d k=%d blocked=%d mean_risk=%.4f free_text=%q", format, round, rep.Records, rep.K, rep.RecordsBlocked, rep.MeanRiskAfter, strings.Join(rep.FreeTextIncluded, ","))}); err != nil {
		return nil, err
	}
	name := form
	if format == "hxl" {
		name += "-hxl"
	}
	kept := slices.DeleteFunc(keys, func(k string) bool { return drop[k] })
	return &Export{Report: rep, Name: name, svc: s, ctx: ctx, form: form, prot: p, cols: exportColumns(kept, rule), hxl: format == "hxl"}, nil
}

// ErrExportChanged is WriteCSV's error when the form's submissions read
// again are not those PrepareExport protected.
var ErrExportChanged = errors.New("surveys: the form's submissions changed between the export's check and its writing")

// WriteCSV writes a prepared export's CSV to w a row at a time, through a
// small buffer, reading the answers PrepareExport protected again (a batch
// at a time, oldest first, not audited again: PrepareExport audited the
// read and the export), each protected and written, then let go: neither
// the answers nor the file are ever held whole. What can fail here is w,
// the store or the decryption (PrepareExport has checked the rest, and
// read the same answers), or ErrExportChanged; an export is written once.
func (x *Export) WriteCSV(w io.Writer) error {
	if x.written {
		return errors.New("surveys: export already written")
	}
	x.written = true
	p := x.prot
	x.prot = nil
	ew, err := newExportWriter(w, x.cols, x.hxl, nil)
	if err != nil {
		return err
	}
	nq := len(p.qis) // the columns start with the quasi-identifiers (exportColumns)
	i := 0
	err = x.svc.eachAnswerByID(x.ctx, x.form, p.ids, func(id int64, r map[string]string) error {
		if i == len(p.ids) || id != p.ids[i] {
			return ErrExportChanged
		}
		err := ew.write(func(rec []string) {
			copy(rec, p.tuple(i))
			for j, c := range x.cols[nq:] {
				rec[nq+j] = r[c]
			}
		})
		i++
		return err
	})
	if err == nil && i != len(p.ids) {
		err = ErrExportChanged
	}
	if err != nil {
		return err
	}
	return ew.flush()
}

// eachAnswer is eachRow calling fn with each submission's id too, reading
// the sealed answers as one list when readWhole (the benchmarks').
func (s *Service) eachAnswer(ctx context.Context, actor, formID, purpose string, fn func(id int64, row map[string]string)) error {
	read := s.readAll
	if as, ok := s.Store.(AnswerStream); ok && !readWhole {
		read = as.EachSubmissionAnswer
	}
	row := map[string]string{}
	return s.answers(ctx, actor, formID, purpose, read, func(int) {}, func() map[string]string { clear(row); return row }, fn)
}

// eachAnswerByID decrypts form's submissions whose ids (ascending) are
// given, oldest first, and calls fn with each (the same map emptied and
// filled again: fn must not keep it), without auditing the read: the
// store's AnswersByID reads them a batch at a time; another store's
// submissions are read as one list. A submission missing is left out (fn
// not called). It stops at fn's first error.
func (s *Service) eachAnswerByID(ctx context.Context, formID string, ids []int64, fn func(id int64, row map[string]string) error) error {
	if len(ids) == 0 {
		return nil
	}
	f, err := s.Store.FormByFormID(ctx, formID)
	if err != nil {
		return err
	}
	row := map[string]string{}
	open := s.opener(formID, func() map[string]string { clear(row); return row }, fn)
	if as, ok := s.Store.(AnswersByID); ok && !readWhole {
		return as.EachSubmissionAnswerByID(ctx, f.ID, ids, open)
	}
	subs, err := s.readList(ctx, f.ID)
	if err != nil {
		return err
	}
	slices.SortStableFunc(subs, func(a, b StoredSubmission) int { return cmp.Compare(a.ID, b.ID) })
	for _, st := range subs {
		if _, found := slices.BinarySearch(ids, st.ID); found {
			if err := open(st); err != nil {
				return err
			}
		}
	}
	return nil
}
