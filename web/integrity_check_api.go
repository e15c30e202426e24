package web

import (
	"net/http"
	"strings"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
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

// integrityCheckPublish answers POST /api/v1/integrity/narratives/{id}/check/publish
// with {check, url}.
func (s *Server) integrityCheckPublish(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.PublishAt(r.Context(), actorName(r), s.publicBase(r), id))
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

// integrityCheckBroadcast answers POST
// /api/v1/integrity/narratives/{id}/check/broadcasts with the check: the
// body {"broadcast": N} links broadcast N to it, a broadcast's body
// (POST /api/v1/broadcasts) sends one from it; either way the check's
// history shows it and a planned response moves to responded with it
// (integrity.Service.LinkBroadcast).
func (s *Server) integrityCheckBroadcast(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		Broadcast int64 `json:"broadcast"`
		contacts.BroadcastRequest
	}
	if err := decodeJSON(w, r, 1<<16, &req); err != nil {
		return err
	}
	noOneNow := false
	if req.Broadcast == 0 && req.ChannelID != 0 { // send one from the check
		if s.Contacts == nil {
			return apperr.Say(apperr.KindUnavailable, "", "integrity.refusal.no-replier")
		}
		if _, _, err := svc.BroadcastCheck(r.Context(), id); err != nil {
			return err
		}
		req.Check = id
		b, err := s.Contacts.Send(r.Context(), actorName(r), req.BroadcastRequest)
		if err != nil {
			return err
		}
		req.Broadcast, noOneNow = b.ID, b.NoOneNow
	}
	c, err := svc.LinkBroadcast(r.Context(), actorName(r), id, req.Broadcast)
	for i := range c.Broadcasts {
		// Scheduled to no one now: the page says so with what it sent.
		c.Broadcasts[i].NoOneNow = noOneNow && c.Broadcasts[i].ID == req.Broadcast
	}
	return reply(w, http.StatusOK)(c, err)
}

// factCheckPage answers GET /factcheck/{slug}[?lang=fr]: the public page,
// no login (Accept-Language chooses when lang is not given); an address
// with no published fact-check is a page saying so in that language (404).
func (s *Server) factCheckPage(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	lang := factCheckLang(r)
	f, err := svc.FactCheckFile(r.Context(), r.PathValue("slug"), s.publicBase(r), lang)
	if k, _ := apperr.KindOf(err); err != nil && k == apperr.KindNotFound {
		return writeFile(w, http.StatusNotFound, integrity.FactCheckMissing(s.publicBase(r), lang, err))
	}
	return reply(w, http.StatusOK)(f, err)
}

// factCheckFeed answers GET /factcheck/feed.atom[?lang=fr].
func (s *Server) factCheckFeed(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	return reply(w, http.StatusOK)(svc.FactCheckAtom(r.Context(), s.publicBase(r), factCheckLang(r)))
}

func factCheckLang(r *http.Request) string {
	return integrity.RequestLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
}
