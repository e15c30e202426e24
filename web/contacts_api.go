package web

import (
	"io"
	"net/http"

	"github.com/vigil-project/vigil/contacts"
)

// Community contacts and broadcasts (/api/v1/contacts, /api/v1/broadcasts).
// Each handler decodes, calls one contacts.Service method and encodes;
// phones and names leave only masked.

// maxContactsCSV bounds an uploaded contacts file.
const maxContactsCSV = 16 << 20

func (s *Server) contactsSvc() (*contacts.Service, error) {
	return configured(s.Contacts, "refusal.http.no-contacts")
}

func (s *Server) contactsList(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	return reply(w, http.StatusOK)(nonNil(svc.List(r.Context(), contacts.Filter{Group: r.URL.Query().Get("group")})))
}

// contactsImport takes a CSV body (contacts.Service.ImportUpload).
func (s *Server) contactsImport(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	body := io.LimitReader(http.MaxBytesReader(w, r.Body, maxContactsCSV), maxContactsCSV)
	return reply(w, http.StatusCreated)(svc.ImportUpload(r.Context(), actorName(r), body, r.URL.Query()))
}

func (s *Server) broadcastsGet(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	id, err := broadcastID(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Get(r.Context(), id))
}

// broadcastFailures answers why a broadcast's messages failed, grouped by
// reason (contacts.Service.Failures).
func (s *Server) broadcastFailures(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	id, err := broadcastID(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.Failures(r.Context(), id))
}
