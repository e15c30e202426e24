package web

import (
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// Survey analysis API (role analyst): estimates with intervals by
// breakdown and their trend between rounds, the map layers (admin area and
// PRIO-GRID cell), who is unheard, population margins, the interlocutor
// log, per-form analysis settings and the protected export, all computed
// (and audited) by surveys.Service (surveys/api.go parses the queries).
const (
	maxMarginsBytes  = 20 << 20
	maxSettingsBytes = 1 << 20
)

func actorName(r *http.Request) string {
	if u, ok := auth.UserFrom(r.Context()); ok {
		return u.Name
	}
	return ""
}

func (s *Server) surveysReady() error {
	if s.Surveys == nil || !s.Surveys.CanAnalyse() {
		return sayError(http.StatusServiceUnavailable, "surveys.refusal.not-configured")
	}
	return nil
}

// starterDefaults are the analysis settings of a form that has none
// stored: the starter form's defaults for the starter form.
func starterDefaults(form string) (surveys.Settings, bool) {
	return starter.Settings(), form == starter.FormID
}

// surveySettings returns the analysis settings of the path's form (the
// starter form's defaults when it has none stored).
func (s *Server) surveySettings(r *http.Request) (surveys.Settings, error) {
	return s.Surveys.SettingsOf(r.Context(), r.PathValue("form"), starterDefaults)
}

// interlocutorAreas answers the interlocutor log's place choices: the
// areas of the stored margin sets, by the forms' area fields.
func (s *Server) interlocutorAreas(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	return reply(w, http.StatusOK)(svc.InterlocutorAreas(r.Context(), starterDefaults))
}

func (s *Server) surveyAnalysis(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	aq, err := surveys.ParseAnalyseQuery(r.URL.Query())
	if err != nil {
		return err
	}
	st, err := s.surveySettings(r)
	if err != nil {
		return err
	}
	in, err := s.countries(r)
	if err != nil {
		return err
	}
	res, err := svc.AnalyseWithin(r.Context(), actorName(r), r.PathValue("form"), st, aq, in)
	if err != nil || res == nil {
		return reply(w, http.StatusOK)(res, err)
	}
	// Each map cell named by its nearest notable place, as the risk layer's
	// cells are (the tooltip named no place).
	label := s.placeLabeler(r.Context())
	for i, c := range res.Cells {
		res.Cells[i].Place = label(c.Lat, c.Lon)
	}
	return reply(w, http.StatusOK)(res, nil)
}

func (s *Server) getSurveySettings(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	return reply(w, http.StatusOK)(s.surveySettings(r))
}

func (s *Server) surveyUnheard(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "round", "margins", "from", "to"); err != nil {
		return err
	}
	st, err := s.surveySettings(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Unheard(r.Context(), actorName(r), r.PathValue("form"), st, q.Get("round"), q.Get("margins"), q.Get("from"), q.Get("to")))
}

func (s *Server) surveyExport(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	eq, err := surveys.ParseExportQuery(r.URL.Query()) // before the settings are read
	if err != nil {
		return err
	}
	st, err := s.surveySettings(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.ExportAnswer(r.Context(), actorName(r), r.PathValue("form"), st, eq))
}

// putMargins loads a margins CSV (header: dimensions and "population").
func (s *Server) putMargins(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	name := r.PathValue("name")
	if err := surveys.CheckMarginName(name); err != nil {
		return err
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return sayError(http.StatusUnsupportedMediaType, "refusal.http.want-csv")
	}
	p, err := svc.PutMargins(r.Context(), actorName(r), name, http.MaxBytesReader(w, r.Body, maxMarginsBytes))
	return reply(w, http.StatusOK)(p, overLimit(err, "refusal.http.margins-large", maxMarginsBytes))
}
