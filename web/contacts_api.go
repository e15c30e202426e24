package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/vigil-project/vigil/contacts"
)

// Community contacts and broadcasts (/api/v1/contacts, /api/v1/broadcasts).
// Each handler decodes, calls one contacts.Service method and encodes;
// phones and names leave only masked.

// maxContactsCSV bounds an uploaded contacts file.
const maxContactsCSV = 16 << 20

func (s *Server) contactsSvc() (*contacts.Service, error) {
	if s.Contacts == nil {
		return nil, errorf(http.StatusServiceUnavailable, "the contacts service is not configured")
	}
	return s.Contacts, nil
}

func (s *Server) contactsList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	cs, err := svc.List(r.Context(), contacts.Filter{Group: r.URL.Query().Get("group")})
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []contacts.Contact{}
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

func (s *Server) contactsCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	var in contacts.Input
	if err := decodeJSON(w, r, 1<<16, &in); err != nil {
		return err
	}
	c, err := svc.Create(r.Context(), actorName(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// contactsImport takes a CSV body (?name=FILE names it in errors; ?consent
// is how the people agreed, for rows without a consent column).
func (s *Server) contactsImport(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("name")
	if name == "" || len(name) > 200 {
		name = "upload.csv"
	}
	rows, err := contacts.ParseCSV(io.LimitReader(http.MaxBytesReader(w, r.Body, maxContactsCSV), maxContactsCSV), name, r.URL.Query().Get("consent"))
	if err != nil {
		return err
	}
	n, err := svc.Import(r.Context(), actorName(r), rows)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]int{"imported": n})
	return nil
}

func (s *Server) broadcastsList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	bs, err := svc.ListBroadcasts(r.Context(), 100)
	if err != nil {
		return err
	}
	if bs == nil {
		bs = []contacts.Broadcast{}
	}
	writeJSON(w, http.StatusOK, bs)
	return nil
}

func (s *Server) broadcastsSend(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	var req contacts.BroadcastRequest
	if err := decodeJSON(w, r, 1<<16, &req); err != nil {
		return err
	}
	b, err := svc.Send(r.Context(), actorName(r), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}

func (s *Server) broadcastsGet(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return badRequest("id", "not a broadcast id")
	}
	b, err := svc.Get(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) broadcastsGateways(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.contactsSvc()
	if err != nil {
		return err
	}
	gs, err := svc.Gateways(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, gs)
	return nil
}
