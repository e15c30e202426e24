package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// Survey analysis API (role analyst): estimates with intervals by
// breakdown and their trend between rounds, the map layers (admin area and
// PRIO-GRID cell), who is unheard, population margins, the interlocutor
// log, per-form analysis settings and the protected export, all computed
// (and audited) by surveys.Service.
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
		return errorf(http.StatusServiceUnavailable, "surveys are not configured on this server")
	}
	return nil
}

// surveySettings returns the stored settings of a form, or the starter
// form's defaults.
func (s *Server) surveySettings(r *http.Request, form string) (surveys.Settings, error) {
	st, err := s.Surveys.StoredSettings(r.Context(), form)
	if errors.Is(err, surveys.ErrNoSettings) {
		if form == starter.FormID {
			return starter.Settings(), nil
		}
		return st, errorf(http.StatusNotFound, "form %q has no analysis settings: PUT /api/v1/surveys/forms/%s/analysis/settings first", form, form)
	}
	return st, err
}

// surveyQuery checks the query parameters and loads the form's settings.
func (s *Server) surveyQuery(r *http.Request, params ...string) (surveys.Settings, error) {
	if err := checkParams(r.URL.Query(), params...); err != nil {
		return surveys.Settings{}, err
	}
	return s.surveySettings(r, r.PathValue("form"))
}

func (s *Server) surveyAnalysis(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	st, err := s.surveyQuery(r, "round", "compare", "country", "from", "to")
	if err != nil {
		return err
	}
	in, err := s.countries(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	res, err := svc.Analyse(r.Context(), actorName(r), r.PathValue("form"), st, surveys.AnalyseQuery{Round: q.Get("round"), Compare: q.Get("compare"), From: q.Get("from"), To: q.Get("to")})
	if err != nil {
		return err
	}
	if in != nil { // the map's cells of the chosen countries only
		res.Cells = slices.DeleteFunc(res.Cells, func(c surveys.MapCell) bool { return !in.At(c.Lat, c.Lon) })
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) getSurveySettings(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	return reply(w, http.StatusOK)(s.surveySettings(r, r.PathValue("form")))
}

func (s *Server) putSurveySettings(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	var st surveys.Settings
	if err := decodeJSON(w, r, maxSettingsBytes, &st); err != nil {
		return err
	}
	if err := svc.SaveSettings(r.Context(), actorName(r), r.PathValue("form"), st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) surveyUnheard(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	st, err := s.surveyQuery(r, "round", "margins", "from", "to")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	return reply(w, http.StatusOK)(svc.Unheard(r.Context(), actorName(r), r.PathValue("form"), st, q.Get("round"), q.Get("margins"), q.Get("from"), q.Get("to")))
}

func (s *Server) surveyExport(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	if err := checkParams(r.URL.Query(), "round", "format", "text"); err != nil {
		return err
	}
	q := r.URL.Query()
	if err := surveys.CheckExportFormat(q.Get("format")); err != nil { // before the settings are read
		return err
	}
	st, err := s.surveySettings(r, r.PathValue("form"))
	if err != nil {
		return err
	}
	ex, err := svc.Export(r.Context(), actorName(r), r.PathValue("form"), st, q.Get("round"), q.Get("format"), q.Get("text"))
	if err != nil {
		return err
	}
	rep := ex.Report
	if q.Get("format") == "report" {
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", ex.Name+".csv"))
	w.Header().Set("X-Vigil-Disclosure", fmt.Sprintf("k=%d records=%d blocked=%d mean_risk=%.4f max_risk=%.4f", rep.K, rep.Records, rep.RecordsBlocked, rep.MeanRiskAfter, rep.MaxRiskAfter))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(ex.CSV)
	return err
}

func (s *Server) listMargins(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	names, err := svc.MarginNames(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"margins": names}, err)
}

func (s *Server) getMargins(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	p, err := svc.Margins(r.Context(), r.PathValue("name"))
	if ae := apperr.As(err); ae != nil && ae.Kind == apperr.KindConflict {
		missing := *ae // a set not loaded: the analyses' conflict is this read's not found
		missing.Kind = apperr.KindNotFound
		err = &missing
	}
	return reply(w, http.StatusOK)(p, err)
}

// putMargins loads a margins CSV (header: dimensions and "population").
func (s *Server) putMargins(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	name := r.PathValue("name")
	if err := surveys.CheckMarginName(name); err != nil {
		return err
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return errorf(http.StatusUnsupportedMediaType, "Content-Type must be text/csv")
	}
	p, err := svc.LoadMargins(r.Context(), actorName(r), name, http.MaxBytesReader(w, r.Body, maxMarginsBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(http.StatusRequestEntityTooLarge, "margins larger than %d bytes", maxMarginsBytes)
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "dims": p.Dims, "cells": len(p.Cells)})
	return nil
}

func (s *Server) listInterlocutors(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	if err := checkParams(r.URL.Query(), "from", "to"); err != nil {
		return err
	}
	log, err := svc.Interlocutors(r.Context(), actorName(r), r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if err != nil {
		return err
	}
	if log == nil {
		log = []surveys.Interlocutor{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"interlocutors": log})
	return nil
}

func (s *Server) addInterlocutor(w http.ResponseWriter, r *http.Request, svc *surveys.Service) error {
	var it surveys.Interlocutor
	if err := decodeJSON(w, r, 16<<10, &it); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(svc.AddInterlocutor(r.Context(), actorName(r), it))
}
