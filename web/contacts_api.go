package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/lang"
	"github.com/vigil-project/vigil/web/ui"
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
// reason (contacts.Service.Failures), GET
// /api/v1/broadcasts/{id}/failures[?lang=fr]. The Contacts page says each
// reason from its key and args in the page's language; the reason field
// is the same dictionary's words in ?lang= (as the other JSON APIs that
// say words, e.g. the alert queue, take it), English when lang is not
// given or not one of Vigil's.
func (s *Server) broadcastFailures(w http.ResponseWriter, r *http.Request, svc *contacts.Service) error {
	id, err := broadcastID(r)
	if err != nil {
		return err
	}
	f, err := svc.Failures(r.Context(), id)
	if err == nil {
		err = sayReasons(f.Reasons, lang.Pick(r.URL.Query().Get("lang"), ""))
	}
	return reply(w, http.StatusOK)(f, err)
}

// uiDicts are the UI's merged dictionaries by language (ui/i18n/*.json).
var uiDicts = sync.OnceValues(func() (map[string]map[string]string, error) {
	a, err := ui.Embedded()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, l := range ui.Langs {
		f, ok := a.File("i18n/" + l + ".json")
		if !ok {
			return nil, fmt.Errorf("web/ui: no i18n/%s.json", l)
		}
		d := map[string]string{}
		if err := json.Unmarshal(f.Body, &d); err != nil {
			return nil, err
		}
		out[l] = d
	}
	return out, nil
})

// sayReasons sets each reason's words to its key's in language l, its
// {names} filled in from its args (the English there is what
// contacts.Service says: contacts.TestFailureKeys); a key the dictionary
// lacks keeps the English.
func sayReasons(rs []contacts.Reason, l string) error {
	if l == "en" {
		return nil
	}
	dicts, err := uiDicts()
	if err != nil {
		return err
	}
	for i, r := range rs {
		t, ok := dicts[l][r.Key]
		if !ok {
			continue
		}
		for k, v := range r.Args {
			t = strings.ReplaceAll(t, "{"+k+"}", strconv.Itoa(v))
		}
		rs[i].Reason = t
	}
	return nil
}
