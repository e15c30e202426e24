package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// Survey analysis API (role analyst): estimates with intervals by
// breakdown and their trend between rounds, the map layers (admin area and
// PRIO-GRID cell), who is unheard, population margins, the interlocutor
// log, per-form analysis settings and the protected export. Reading
// answers goes through surveys.Service.Rows, which writes "survey.read" to
// the audit log; exports and interlocutor reads are audited here.
const (
	maxMarginsBytes  = 20 << 20
	maxSettingsBytes = 1 << 20
)

var marginNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

func actorName(r *http.Request) string {
	if u, ok := auth.UserFrom(r.Context()); ok {
		return u.Name
	}
	return ""
}

func (s *Server) surveysReady() error {
	if s.Surveys == nil || s.DB == nil {
		return errorf(http.StatusServiceUnavailable, "surveys are not configured on this server")
	}
	return nil
}

// surveySettings returns the stored settings of a form, or the starter
// form's defaults.
func (s *Server) surveySettings(r *http.Request, form string) (surveys.Settings, error) {
	st, err := s.DB.Settings(r.Context(), form)
	if errors.Is(err, surveys.ErrNoSettings) {
		if form == starter.FormID {
			return starter.Settings(), nil
		}
		return st, errorf(http.StatusNotFound, "form %q has no analysis settings: PUT /api/v1/surveys/forms/%s/analysis/settings first", form, form)
	}
	return st, err
}

// surveyRows reads a form's answers (audited by the service).
func (s *Server) surveyRows(r *http.Request, form string) ([]map[string]string, error) {
	rows, err := s.Surveys.Rows(r.Context(), actorName(r), form)
	if errors.Is(err, surveys.ErrNoForm) {
		return nil, errorf(http.StatusNotFound, "no form %q", form)
	}
	return rows, err
}

func (s *Server) surveyMargins(r *http.Request, name string) (*surveys.Population, error) {
	if name == "" {
		return nil, nil
	}
	p, err := s.DB.Margins(r.Context(), name)
	if errors.Is(err, surveys.ErrNoMargins) {
		return nil, &Error{Status: http.StatusConflict, Field: "margins", Msg: fmt.Sprintf("population margins %q are not loaded: PUT /api/v1/surveys/margins/%s", name, name)}
	}
	return p, err
}

// CellField is the key under which respondents' PRIO-GRID cell is added
// for the grid map layer.
const cellField = "_prio_gid"

// addCells adds each row's PRIO-GRID cell from its geopoint answer.
func addCells(rows []map[string]string, geo string) {
	if geo == "" {
		return
	}
	for _, r := range rows {
		f := strings.Fields(r[geo])
		if len(f) < 2 {
			continue
		}
		lat, err1 := strconv.ParseFloat(f[0], 64)
		lon, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if gid, err := grid.PrioGID(lat, lon); err == nil {
			r[cellField] = strconv.Itoa(gid)
		}
	}
}

type mapCell struct {
	GID int     `json:"gid"`
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type analysisResponse struct {
	Form      string                   `json:"form"`
	Round     string                   `json:"round,omitempty"`
	Compare   string                   `json:"compare,omitempty"`
	Rounds    []string                 `json:"rounds"`
	AreaField string                   `json:"area_field"`
	Analysis  *surveys.Analysis        `json:"analysis"`
	Trend     []surveys.IndicatorTrend `json:"trend,omitempty"`
	Cells     []mapCell                `json:"cells,omitempty"`
}

func (s *Server) surveyAnalysis(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	if err := checkParams(r.URL.Query(), "round", "compare"); err != nil {
		return err
	}
	form := r.PathValue("form")
	st, err := s.surveySettings(r, form)
	if err != nil {
		return err
	}
	pop, err := s.surveyMargins(r, st.Margins)
	if err != nil {
		return err
	}
	rows, err := s.surveyRows(r, form)
	if err != nil {
		return err
	}
	addCells(rows, st.GeoField)
	plan := st.Plan(pop)
	if !contains(plan.Breakdowns, st.AreaField) {
		plan.Breakdowns = append(plan.Breakdowns, st.AreaField)
	}
	if st.GeoField != "" {
		plan.Breakdowns = append(plan.Breakdowns, cellField)
	}
	q := r.URL.Query()
	resp := analysisResponse{Form: form, Round: q.Get("round"), Compare: q.Get("compare"), Rounds: surveys.Rounds(rows, st.Round()), AreaField: st.AreaField}
	analyse := func(round, field string) (*surveys.Analysis, error) {
		sel := surveys.FilterRound(rows, st.Round(), round)
		if len(sel) == 0 && round == "" {
			return nil, errorf(http.StatusConflict, "form %q has no responses yet", form)
		}
		if len(sel) == 0 {
			return nil, badRequest(field, "no responses in round %q (rounds: %s)", round, strings.Join(resp.Rounds, ", "))
		}
		a, err := surveys.Analyze(sel, plan)
		if err != nil {
			return nil, errorf(http.StatusUnprocessableEntity, "%v", err)
		}
		return a, nil
	}
	if resp.Analysis, err = analyse(resp.Round, "round"); err != nil {
		return err
	}
	if resp.Compare != "" {
		prev, err := analyse(resp.Compare, "compare")
		if err != nil {
			return err
		}
		resp.Trend = surveys.Trend(prev, resp.Analysis)
	}
	if st.GeoField != "" && len(resp.Analysis.Results) > 0 {
		for _, e := range resp.Analysis.Results[0].By[cellField] {
			gid, _ := strconv.Atoi(e.Group)
			lat, lon, err := grid.PrioCenter(gid)
			if err == nil {
				resp.Cells = append(resp.Cells, mapCell{GID: gid, Lat: lat, Lon: lon})
			}
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (s *Server) getSurveySettings(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	st, err := s.surveySettings(r, r.PathValue("form"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) putSurveySettings(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	var st surveys.Settings
	if err := decodeJSON(w, r, maxSettingsBytes, &st); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		field, _, _ := strings.Cut(err.Error(), ":")
		return badRequest(field, "%v", err)
	}
	if st.Margins != "" {
		if _, err := s.surveyMargins(r, st.Margins); err != nil {
			return err
		}
	}
	form := r.PathValue("form")
	if _, err := s.Surveys.Store.FormByFormID(r.Context(), form); errors.Is(err, surveys.ErrNoForm) {
		return errorf(http.StatusNotFound, "no form %q", form)
	} else if err != nil {
		return err
	}
	if err := s.DB.SaveSettings(r.Context(), actorName(r), form, st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

type unheardResponse struct {
	Form          string                 `json:"form"`
	Round         string                 `json:"round,omitempty"`
	Margins       string                 `json:"margins"`
	Respondents   *surveys.UnheardReport `json:"respondents"`
	Interlocutors *surveys.UnheardReport `json:"interlocutors,omitempty"`
}

func (s *Server) surveyUnheard(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	if err := checkParams(r.URL.Query(), "round", "margins", "from", "to"); err != nil {
		return err
	}
	q := r.URL.Query()
	form := r.PathValue("form")
	st, err := s.surveySettings(r, form)
	if err != nil {
		return err
	}
	name := q.Get("margins")
	if name == "" {
		name = st.Margins
	}
	if name == "" {
		return badRequest("margins", "no population margins: give ?margins=NAME or set margins in the form's settings")
	}
	pop, err := s.surveyMargins(r, name)
	if err != nil {
		return err
	}
	for _, p := range []string{"from", "to"} {
		if v := q.Get(p); v != "" {
			if err := (surveys.Interlocutor{Date: v, Place: "x"}).Validate(); err != nil {
				return badRequest(p, "%q is not a date (YYYY-MM-DD)", v)
			}
		}
	}
	rows, err := s.surveyRows(r, form)
	if err != nil {
		return err
	}
	rows = surveys.FilterRound(rows, st.Round(), q.Get("round"))
	resp := unheardResponse{Form: form, Round: q.Get("round"), Margins: name}
	if resp.Respondents, err = surveys.Unheard(rows, "respondents", pop, st.AreaField, surveys.DefaultUnheardRule); err != nil {
		return errorf(http.StatusUnprocessableEntity, "%v", err)
	}
	log, err := s.readInterlocutors(r, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	if len(log) > 0 {
		if resp.Interlocutors, err = surveys.Unheard(surveys.InterlocutorRecords(log, st.AreaField, st.GroupDim), "interlocutors", pop, st.AreaField, surveys.DefaultUnheardRule); err != nil {
			return errorf(http.StatusUnprocessableEntity, "%v", err)
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// readInterlocutors opens the log (a sensitive read, audited).
func (s *Server) readInterlocutors(r *http.Request, from, to string) ([]surveys.Interlocutor, error) {
	sealed, err := s.DB.Interlocutors(r.Context(), from, to)
	if err != nil {
		return nil, err
	}
	if len(sealed) == 0 {
		return nil, nil
	}
	if err := s.DB.Audit(r.Context(), s.DB.SQL, audit.Entry{Actor: actorName(r), Action: "survey.interlocutor.read", Object: "interlocutors", Detail: fmt.Sprintf("%d entries from %q to %q", len(sealed), from, to)}); err != nil {
		return nil, err
	}
	return surveys.OpenInterlocutors(s.Surveys.Keys, sealed)
}

func (s *Server) surveyExport(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	if err := checkParams(r.URL.Query(), "round", "format", "text"); err != nil {
		return err
	}
	q := r.URL.Query()
	format := q.Get("format")
	switch format {
	case "", "csv", "hxl", "report":
	default:
		return badRequest("format", "format %q: want csv, hxl or report", format)
	}
	form := r.PathValue("form")
	st, err := s.surveySettings(r, form)
	if err != nil {
		return err
	}
	rows, err := s.surveyRows(r, form)
	if err != nil {
		return err
	}
	rows = surveys.FilterRound(rows, st.Round(), q.Get("round"))
	// Free-text answers (names, addresses, stories) leave only when the
	// analyst names them (?text=a,b); identifiers never do.
	fields, err := s.Surveys.ExportFields(r.Context(), form, rows)
	if err != nil {
		return err
	}
	rule := st.Disclosure
	rule.Drop = append(append(append([]string(nil), rule.Drop...), fields.Location...), fields.Files...)
	rule.FreeText = fields.FreeText
	rule.Text = []string{st.Round()}
	var text []string
	if v := q.Get("text"); v != "" {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if !contains(fields.FreeText, surveys.FieldPath(f)) {
				return badRequest("text", "%q is not a free-text field of form %q (free-text fields: %s)", f, form, strings.Join(fields.FreeText, ", "))
			}
			if surveys.IsIdentifier(f) {
				return badRequest("text", "%q is an identifier and is never exported", f)
			}
			text = append(text, f)
		}
	}
	rule.Text = append(rule.Text, text...)
	out, rep, err := surveys.Protect(rows, rule)
	if err != nil {
		return errorf(http.StatusUnprocessableEntity, "disclosure control: %v", err)
	}
	if format == "report" {
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	if !rep.Passes {
		return errorf(http.StatusConflict, "export refused: after protection %d records are still below k=%d or the mean re-identification risk %.4f is not below %.2f; add generalisations or fewer quasi-identifiers (see ?format=report)", rep.UnsafeAfter, rep.K, rep.MeanRiskAfter, rep.MaxRisk)
	}
	var buf bytes.Buffer
	if err := surveys.WriteExport(&buf, out, surveys.ExportColumns(out, rule), format == "hxl", nil); err != nil {
		return err
	}
	if err := s.DB.Audit(r.Context(), s.DB.SQL, audit.Entry{Actor: actorName(r), Action: "survey.export", Object: "form:" + form,
		Detail: fmt.Sprintf("format=%s round=%q records=%d k=%d blocked=%d mean_risk=%.4f free_text=%q", format, q.Get("round"), rep.Records, rep.K, rep.RecordsBlocked, rep.MeanRiskAfter, strings.Join(rep.FreeTextIncluded, ","))}); err != nil {
		return err
	}
	name := form
	if format == "hxl" {
		name += "-hxl"
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".csv"))
	w.Header().Set("X-Vigil-Disclosure", fmt.Sprintf("k=%d records=%d blocked=%d mean_risk=%.4f max_risk=%.4f", rep.K, rep.Records, rep.RecordsBlocked, rep.MeanRiskAfter, rep.MaxRiskAfter))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Server) listMargins(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	names, err := s.DB.MarginNames(r.Context())
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"margins": names})
	return nil
}

func (s *Server) getMargins(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	p, err := s.surveyMargins(r, r.PathValue("name"))
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Status == http.StatusConflict {
			e.Status = http.StatusNotFound
		}
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// putMargins loads a margins CSV (header: dimensions and "population").
func (s *Server) putMargins(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	name := r.PathValue("name")
	if !marginNameRE.MatchString(name) {
		return badRequest("name", "margin set name %q: letters, digits, _ . - (at most 64)", name)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return errorf(http.StatusUnsupportedMediaType, "Content-Type must be text/csv")
	}
	p, err := surveys.ReadPopulation(http.MaxBytesReader(w, r.Body, maxMarginsBytes), name+".csv")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(http.StatusRequestEntityTooLarge, "margins larger than %d bytes", maxMarginsBytes)
		}
		return badRequest("body", "%v", err)
	}
	if err := s.DB.SaveMargins(r.Context(), actorName(r), name, p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "dims": p.Dims, "cells": len(p.Cells)})
	return nil
}

func (s *Server) listInterlocutors(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	if err := checkParams(r.URL.Query(), "from", "to"); err != nil {
		return err
	}
	q := r.URL.Query()
	for _, p := range []string{"from", "to"} {
		if v := q.Get(p); v != "" {
			if err := (surveys.Interlocutor{Date: v, Place: "x"}).Validate(); err != nil {
				return badRequest(p, "%q is not a date (YYYY-MM-DD)", v)
			}
		}
	}
	log, err := s.readInterlocutors(r, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	if log == nil {
		log = []surveys.Interlocutor{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"interlocutors": log})
	return nil
}

func (s *Server) addInterlocutor(w http.ResponseWriter, r *http.Request) error {
	if err := s.surveysReady(); err != nil {
		return err
	}
	var it surveys.Interlocutor
	if err := decodeJSON(w, r, 16<<10, &it); err != nil {
		return err
	}
	sealed, err := surveys.SealInterlocutor(s.Surveys.Keys, it)
	if err != nil {
		field, _, _ := strings.Cut(err.Error(), ":")
		return badRequest(field, "%v", err)
	}
	id, err := s.DB.AddInterlocutor(r.Context(), actorName(r), sealed)
	if err != nil {
		return err
	}
	it.ID = id
	writeJSON(w, http.StatusCreated, it)
	return nil
}
