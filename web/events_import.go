package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/query"
)

// maxEventsImport is the largest event file POST /api/v1/events/import
// takes (the whole UCDP GED global release is about 300 MB as CSV; split
// larger files or use `vigil import`).
const maxEventsImport = 512 << 20

// eventsImport imports one conflict event file (UCDP GED, ACLED, HXL CSV or
// GeoJSON), sent as the raw body or as the "file" part of a multipart form,
// exactly as `vigil import FILE` does: ?format= (default detected), ?source=,
// ?strict=true or ?repair=true for rows whose estimates break low ≤ best ≤
// high (kept as published and counted by default), ?check=true to validate
// only. The answer is the summary `vigil import --json` prints. A bad row
// answers 400 {"error", "field", "line"} (with "key" and "args" when the
// catalog says it) and nothing is written; the import and its audit entry
// are one transaction. A store that cannot be written now (busy or
// read-only) is not the file's fault: 503 with Retry-After and the store's
// key, as other routes answer it.
func (s *Server) eventsImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkParams(q, "name", "format", "source", "strict", "repair", "check"); err != nil {
		return err
	}
	opt, err := ingest.QueryOptions(q)
	if err != nil {
		return err
	}
	body, name, err := uploadedFile(w, r, "file", maxEventsImport)
	if err != nil {
		return err
	}
	defer body.Close()
	if q.Get("name") != "" || name == "" {
		if name, err = query.FileName(q, "upload.csv"); err != nil {
			return err
		}
	}
	opt.AuditAs(actorName(r), name)
	counts, err := ingest.Import(r.Context(), s.Events, name, body, opt)
	if refused, err := fileRefused(w, err, "refusal.http.import-large", maxEventsImport); refused || err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, counts)
	return nil
}

// fileRefused answers a refusal of an uploaded file (an apperr error
// naming it) with 400 {"error", "line", "field", "key", "args"}: it always
// says its line (0: the file as a whole), unlike other bad requests; a
// body cut at max bytes is 413 with the refusal tooLargeKey. It says
// whether it answered; other errors are returned as they are.
func fileRefused(w http.ResponseWriter, err error, tooLargeKey string, max int64) (bool, error) {
	ie := apperr.As(err)
	if ie == nil || ie.File == "" {
		return false, err
	}
	if strings.Contains(ie.Msg, "request body too large") {
		return true, sayError(http.StatusRequestEntityTooLarge, tooLargeKey, max)
	}
	body := map[string]any{"error": ie.Error(), "line": ie.Line}
	if ie.Field != "" {
		body["field"] = ie.Field
	}
	if m, ok := ie.Said(); ok { // the page says it in its language
		body["key"], body["args"] = m.Key, m.Args
	}
	writeJSON(w, http.StatusBadRequest, body)
	return true, nil
}

// uploadedFile is the file of an upload: the part named field of a
// multipart/form-data body (with its file name), or else the raw body (name
// ""). Either is limited to max bytes.
func uploadedFile(w http.ResponseWriter, r *http.Request, field string, max int64) (io.ReadCloser, string, error) {
	if r.Body == nil { // a request built in process (the server's always have one)
		r.Body = http.NoBody
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return io.NopCloser(http.MaxBytesReader(w, r.Body, max)), "", nil
	}
	if r.MultipartForm == nil { // not parsed yet by the CSRF check (formCSRF)
		r.Body = http.MaxBytesReader(w, r.Body, max)
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, "", tooLarge(max)
			}
			return nil, "", sayFieldError(http.StatusBadRequest, field, "refusal.http.not-multipart", field, err)
		}
	}
	fhs := r.MultipartForm.File[field]
	if len(fhs) != 1 {
		return nil, "", sayFieldError(http.StatusBadRequest, field, "refusal.http.one-file", field, field, len(fhs))
	}
	if fhs[0].Size > max {
		return nil, "", sayError(http.StatusRequestEntityTooLarge, "refusal.http.file-too-large", max)
	}
	f, err := fhs[0].Open()
	if err != nil {
		return nil, "", err
	}
	name := fhs[0].Filename
	if len(name) > 200 || strings.ContainsAny(name, "\r\n\x00") {
		name = ""
	}
	return f, name, nil
}
