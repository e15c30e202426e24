package web

import (
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/integrity"
)

// Verify and respond (integrity/check.go, integrity/factcheck.go): a
// narrative's check (state, assignee, deadline, notes, evidence, rating),
// its publication as a public fact-check page with ClaimReview JSON-LD and
// an Atom feed, and the answer sent back to the tipline senders. Each
// handler decodes, calls one integrity.Service method and encodes.

// publicBase is the server's public address (vigil serve --base-url, else
// as the client sees it): fact-check links and answers carry it.
func (s *Server) publicBase(r *http.Request) string {
	if s.Alerts != nil && s.Alerts.BaseURL != "" {
		return strings.TrimRight(s.Alerts.BaseURL, "/")
	}
	return s.baseURL(r)
}

// integrityCheckUpdate answers POST /api/v1/integrity/narratives/{id}/check
// with one step (integrity.CheckUpdate). GET …/check is byID(GetCheck).
func (s *Server) integrityCheckUpdate(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var u integrity.CheckUpdate
	if err := decodeJSON(w, r, maxIntegrityJSON, &u); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.UpdateCheck(r.Context(), actorName(r), id, u))
}

// integrityCheckPublish answers POST /api/v1/integrity/narratives/{id}/check/publish
// with {check, url}.
func (s *Server) integrityCheckPublish(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	c, err := svc.Publish(r.Context(), actorName(r), id)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(map[string]any{"check": c, "url": integrity.PublicURL(s.publicBase(r), c.Slug, "")}, nil)
}

// integrityCheckAnswers answers POST /api/v1/integrity/narratives/{id}/check/answers:
// the answer goes to every tipline sender of the narrative (counts only).
func (s *Server) integrityCheckAnswers(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.SendAnswers(r.Context(), actorName(r), s.publicBase(r), id))
}

// factCheckPage answers GET /factcheck/{slug}[?lang=fr]: the public page,
// no login (Accept-Language chooses when lang is not given).
func (s *Server) factCheckPage(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	c, err := svc.FactCheck(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	page, err := svc.FactCheckPage(c, s.publicBase(r), factCheckLang(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	_, err = w.Write(page)
	return err
}

// factCheckFeed answers GET /factcheck/feed.atom[?lang=fr].
func (s *Server) factCheckFeed(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	feed, err := svc.FactCheckFeed(r.Context(), s.publicBase(r), factCheckLang(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write(feed)
	return err
}

func factCheckLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return integrity.Lang(l)
	}
	return integrity.Lang(r.Header.Get("Accept-Language"))
}
