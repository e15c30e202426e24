package web

import (
	"io"
	"net/http"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/xform"
)

// Survey form management (the OpenRosa routes that ODK clients use are in
// openrosa_routes.go): list forms, upload an XForm or XLSForm, open or
// close a form, let an enumerator submit to it (surveys/api.go).
func (s *Server) formsReady() error {
	if s.Surveys == nil {
		return sayError(http.StatusServiceUnavailable, "surveys.refusal.not-configured")
	}
	return nil
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
		return err
	}
	texts, said := warningsSaid(warnings)
	return reply(w, http.StatusCreated)(map[string]any{"form": f, "warnings": texts, "warning_messages": said}, nil)
}

// warningsSaid are an upload's warnings as the API answers them: their
// English texts ("warnings"), and each again with its catalog key and
// arguments when it has them ("warning_messages": {"warning", "key",
// "args"}, as a refusal's "error", "key" and "args"), so that a page says
// them in its language (Vigil.errText).
func warningsSaid(warnings []error) ([]string, []map[string]any) {
	texts, said := make([]string, len(warnings)), make([]map[string]any, len(warnings))
	for i, x := range warnings {
		texts[i] = x.Error()
		said[i] = map[string]any{"warning": texts[i]}
		if m, ok := apperr.MessageOf(x); ok {
			said[i]["key"], said[i]["args"] = m.Key, m.Args
		}
	}
	return texts, said
}
