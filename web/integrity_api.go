package web

import (
	"errors"
	"net/http"

	"github.com/vigil-project/vigil/integrity"
)

// Information-integrity routes (items, narratives, spikes, lexicon, feeds,
// the map, the brief; verify and respond in integrity_check_api.go): each
// decodes, calls one method of integrity.Service (Server.Integrity;
// integrity/api.go parses the queries) and encodes. Writes need the analyst
// role, reads the viewer role; an item's author handle is revealed to
// analysts only, audited.

const (
	maxIntegrityJSON   = 256 << 10
	maxIntegrityImport = 64 << 20
	maxLexiconImport   = 8 << 20
)

// integritySvc returns the service or a 503.
func (s *Server) integritySvc() (*integrity.Service, error) {
	return configured(s.Integrity, "refusal.http.no-integrity")
}

// integrityItems answers GET /api/v1/integrity/items (integrity.ParseItemFilter).
func (s *Server) integrityItems(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	f, err := integrity.ParseItemFilter(r.URL.Query())
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.ItemList(r.Context(), f))
}

// integrityAuthor answers POST /api/v1/integrity/items/{id}/author: the
// item's author handle, to analysts, audited; not kept by caches.
func (s *Server) integrityAuthor(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	a, err := svc.RevealAuthor(r.Context(), actorName(r), id)
	if err == nil {
		w.Header().Set("Cache-Control", "no-store")
	}
	return reply(w, http.StatusOK)(map[string]string{"author": a}, err)
}

// integrityImport answers POST /api/v1/integrity/import?name=FILE
// [&source=S][&format=csv|jsonl]: the body is a monitoring export.
func (s *Server) integrityImport(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	res, err := svc.ImportUpload(r.Context(), actorName(r), http.MaxBytesReader(w, r.Body, maxIntegrityImport), r.URL.Query())
	return reply(w, http.StatusOK)(res, overLimit(err, "refusal.http.export-large", maxIntegrityImport))
}

// integrityTermsImport answers POST /api/v1/integrity/terms/import?name=FILE:
// the body is a lexicon CSV.
func (s *Server) integrityTermsImport(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	n, err := svc.ImportLexicon(r.Context(), actorName(r), http.MaxBytesReader(w, r.Body, maxLexiconImport), r.URL.Query())
	return reply(w, http.StatusOK)(n, overLimit(err, "refusal.http.lexicon-large", maxLexiconImport))
}

// overLimit is err, or a 413 saying the message key (with the limit) when
// the body was over its limit.
func overLimit(err error, key string, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return sayError(http.StatusRequestEntityTooLarge, key, limit)
	}
	return err
}

// integrityWhere answers GET /api/v1/integrity/where (integrity.ParseWhereQuery
// with the map's country filter): per cell, the window's items and
// narratives with the cell's risk and coverage.
func (s *Server) integrityWhere(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	q, err := integrity.ParseWhereQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if q.Countries, err = s.countries(r); err != nil {
		return err
	}
	var cells integrity.CellSource
	if s.Coverage != nil {
		cells = s.Coverage
	}
	rep, err := svc.Where(r.Context(), q, cells)
	if err != nil {
		return err
	}
	// Each cell named by its nearest notable place, as the risk layer's
	// cells are: the page said « cellule 132931 » for a cell whose items
	// carry no place name.
	label := s.placeLabeler(r.Context())
	for i, c := range rep.Cells {
		rep.Cells[i].Near = label(c.Lat, c.Lon)
	}
	return reply(w, http.StatusOK)(rep, nil)
}

// integrityBrief answers GET /api/v1/integrity/brief[?end=YYYY-MM-DD]: the
// weekly brief of the 7 days ending on end, with the contacts' broadcasts.
func (s *Server) integrityBrief(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	end, err := integrity.ParseBriefEnd(r.URL.Query())
	if err != nil {
		return err
	}
	var bl integrity.BroadcastLister
	if s.Contacts != nil {
		bl = s.Contacts
	}
	return reply(w, http.StatusOK)(svc.WeeklyBrief(r.Context(), end, bl))
}
