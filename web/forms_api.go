package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/xform"
)

// Survey form management (the OpenRosa routes that ODK clients use are in
// openrosa_routes.go): list forms, upload an XForm or XLSForm, open or
// close a form, let an enumerator submit to it.
func (s *Server) formsReady() error {
	if s.Surveys == nil {
		return errorf(http.StatusServiceUnavailable, "surveys are not configured on this server")
	}
	return nil
}

func (s *Server) listForms(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	out, err := svc.FormSummaries(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"forms": out}, err)
}

// uploadForm takes an XForm (Content-Type application/xml or text/xml) or
// an XLSForm (.xlsx content type; ?id= names a form whose settings sheet
// has no form_id).
func (s *Server) uploadForm(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, xform.MaxFormBytes))
	if err != nil {
		return err
	}
	f, warnings, err := svc.UploadForm(r.Context(), actorName(r), r.Header.Get("Content-Type"), r.URL.Query().Get("id"), body)
	if err != nil {
		if k, _ := apperr.KindOf(err); k == apperr.KindUnavailable {
			w.Header().Set("Retry-After", "10")
		}
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"form": f, "warnings": warnings})
	return nil
}

func (s *Server) setFormState(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
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
	err := svc.SetState(r.Context(), u.Name, r.PathValue("form"), req.State)
	if errors.Is(err, surveys.ErrNoForm) {
		return errorf(http.StatusNotFound, "form %q does not exist", r.PathValue("form"))
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"form": r.PathValue("form"), "state": req.State})
	return nil
}

func (s *Server) addEnumerator(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	var req struct {
		User string `json:"user"`
	}
	if err := decodeJSON(w, r, 4<<10, &req); err != nil {
		return err
	}
	f, acct, err := svc.GrantForm(r.Context(), actorName(r), r.PathValue("form"), req.User)
	return reply(w, http.StatusOK)(map[string]string{"form": f.FormID, "user": acct.Name}, err)
}
