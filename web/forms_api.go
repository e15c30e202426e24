package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/xform"
	"github.com/vigil-project/vigil/xlsform"
)

// Survey form management (the OpenRosa routes that ODK clients use are in
// openrosa_routes.go): list forms, upload an XForm or XLSForm, open or
// close a form, let an enumerator submit to it.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) formsReady() error {
	if s.Surveys == nil {
		return errorf(http.StatusServiceUnavailable, "surveys are not configured on this server")
	}
	return nil
}

func (s *Server) listForms(w http.ResponseWriter, r *http.Request) error {
	if err := s.formsReady(); err != nil {
		return err
	}
	out, err := s.Surveys.FormSummaries(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"forms": out})
	return nil
}

// xlsxWait is how long an XLSForm upload waits for the decompression
// budget other uploads hold.
const xlsxWait = 30 * time.Second

// uploadForm takes an XForm (Content-Type application/xml or text/xml) or
// an XLSForm (.xlsx content type; ?id= names a form whose settings sheet
// has no form_id).
func (s *Server) uploadForm(w http.ResponseWriter, r *http.Request) error {
	if err := s.formsReady(); err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, xform.MaxFormBytes))
	if err != nil {
		return err
	}
	var xml []byte
	switch {
	case strings.HasPrefix(ct, xlsxType):
		id := r.URL.Query().Get("id")
		// Decompression shares one budget across uploads (a zip bomb
		// cannot add up with others); wait a while for it, then ask the
		// client to retry.
		ctx, cancel := context.WithTimeout(r.Context(), xlsxWait)
		xml, err = xlsform.ConvertContext(ctx, body, xlsform.Options{ID: id})
		cancel()
		switch {
		case errors.Is(err, xlsform.ErrBusy):
			w.Header().Set("Retry-After", "10")
			return &Error{Status: http.StatusServiceUnavailable, Field: "xlsform", Msg: err.Error() + ": retry in a few seconds"}
		case errors.Is(err, xlsform.ErrTooLarge):
			return &Error{Status: http.StatusRequestEntityTooLarge, Field: "xlsform", Msg: err.Error()}
		case err != nil:
			return badRequest("xlsform", "%v", err)
		}
	case strings.HasPrefix(ct, "application/xml"), strings.HasPrefix(ct, "text/xml"):
		xml = body
	default:
		return errorf(http.StatusUnsupportedMediaType, "Content-Type must be application/xml (XForm) or %s (XLSForm)", xlsxType)
	}
	u, _ := auth.UserFrom(r.Context())
	f, warnings, err := s.Surveys.AddForm(r.Context(), u.Name, xml, nil)
	if err != nil {
		var fe *surveys.FormError
		if errors.As(err, &fe) {
			return badRequest("xform", "%v", err)
		}
		return err
	}
	if warnings == nil {
		warnings = []string{}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"form": f, "warnings": warnings})
	return nil
}

func (s *Server) setFormState(w http.ResponseWriter, r *http.Request) error {
	if err := s.formsReady(); err != nil {
		return err
	}
	var req struct {
		State string `json:"state"`
	}
	if err := decodeJSON(w, r, 4<<10, &req); err != nil {
		return err
	}
	if req.State != surveys.Open && req.State != surveys.Closed {
		return badRequest("state", "state must be %q or %q", surveys.Open, surveys.Closed)
	}
	u, _ := auth.UserFrom(r.Context())
	err := s.Surveys.SetState(r.Context(), u.Name, r.PathValue("form"), req.State)
	if errors.Is(err, surveys.ErrNoForm) {
		return errorf(http.StatusNotFound, "form %q does not exist", r.PathValue("form"))
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"form": r.PathValue("form"), "state": req.State})
	return nil
}

func (s *Server) addEnumerator(w http.ResponseWriter, r *http.Request) error {
	if err := s.formsReady(); err != nil {
		return err
	}
	var req struct {
		User string `json:"user"`
	}
	if err := decodeJSON(w, r, 4<<10, &req); err != nil {
		return err
	}
	f, acct, err := s.Surveys.GrantForm(r.Context(), actorName(r), r.PathValue("form"), req.User)
	if err != nil {
		return surveyErr(err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"form": f.FormID, "user": acct.Name})
	return nil
}
