package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/integrity/lexicon"
)

// Information-integrity routes (items, narratives, spikes, lexicon): each
// decodes, calls one method of integrity.Service (Server.Integrity) and
// encodes. Writes need the analyst role, reads the viewer role; an item's
// author handle is revealed to analysts only, audited.

const (
	maxIntegrityJSON   = 256 << 10
	maxIntegrityImport = 64 << 20
	maxLexiconImport   = 8 << 20
)

// integritySvc returns the service or a 503.
func (s *Server) integritySvc() (*integrity.Service, error) {
	if s.Integrity == nil {
		return nil, errorf(http.StatusServiceUnavailable, "information integrity is not available on this server (it needs the data directory's key)")
	}
	return s.Integrity, nil
}

// integrityItems answers GET /api/v1/integrity/items
// [?narrative=ID][&harmful=1][&q=TEXT][&limit=N][&offset=N].
func (s *Server) integrityItems(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "narrative", "harmful", "q", "limit", "offset"); err != nil {
		return err
	}
	var f integrity.ItemFilter
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"narrative", &f.Narrative}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return badRequest(p.name, "%s: %q is not an id", p.name, v)
			}
			*p.dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 1_000_000 {
				return badRequest(p.name, "%s: %q is not a count", p.name, v)
			}
			*p.dst = n
		}
	}
	switch q.Get("harmful") {
	case "", "0", "false":
	case "1", "true":
		f.Harmful = true
	default:
		return badRequest("harmful", "harmful: want 1 or 0")
	}
	f.Query = strings.TrimSpace(q.Get("q"))
	if len(f.Query) > 200 {
		return badRequest("q", "q: at most 200 bytes")
	}
	items, err := svc.Items(r.Context(), f)
	return reply(w, http.StatusOK)(map[string]any{"items": nonNilSlice(items)}, err)
}

// integrityItemInput is a manually entered item.
type integrityItemInput struct {
	Text      string   `json:"text"`
	Source    string   `json:"source"`
	Kind      string   `json:"kind"`
	Lang      string   `json:"lang"`
	Author    string   `json:"author"`
	Time      string   `json:"time"`
	URL       string   `json:"url"`
	Place     string   `json:"place"`
	Lat       *float64 `json:"lat"`
	Lon       *float64 `json:"lon"`
	Media     []string `json:"media"`
	Shares    int64    `json:"shares"`
	Reactions int64    `json:"reactions"`
	Views     int64    `json:"views"`
	Replies   int64    `json:"replies"`
}

// integrityItemCreate answers POST /api/v1/integrity/items: an item
// entered by hand (a rumour heard at a meeting, a radio note).
func (s *Server) integrityItemCreate(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	var in integrityItemInput
	if err := decodeJSON(w, r, maxIntegrityJSON, &in); err != nil {
		return err
	}
	it := integrity.Item{Via: integrity.ViaManual, Text: in.Text, Source: strings.TrimSpace(in.Source), Kind: in.Kind, Lang: in.Lang,
		Author: strings.TrimSpace(in.Author), URL: strings.TrimSpace(in.URL), Place: strings.TrimSpace(in.Place), Lat: in.Lat, Lon: in.Lon,
		Media: in.Media, Engagement: integrity.Engagement{Shares: in.Shares, Reactions: in.Reactions, Views: in.Views, Replies: in.Replies}}
	if strings.TrimSpace(in.Time) != "" {
		t, err := integrity.ParseTime(in.Time)
		if err != nil {
			return badRequest("time", "time: %v", err)
		}
		it.Time = t
	}
	return reply(w, http.StatusCreated)(svc.AddOne(r.Context(), actorName(r), it))
}

// integrityAuthor answers POST /api/v1/integrity/items/{id}/author: the
// item's author handle, to analysts, audited.
func (s *Server) integrityAuthor(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	a, err := svc.RevealAuthor(r.Context(), actorName(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"author": a})
	return nil
}

// integrityImport answers POST /api/v1/integrity/import?name=FILE
// [&source=S][&format=csv|jsonl]: the body is a monitoring export.
func (s *Server) integrityImport(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "name", "source", "format"); err != nil {
		return err
	}
	name, err := fileNameParam(q, "upload")
	if err != nil {
		return err
	}
	format := q.Get("format")
	if format != "" && format != "csv" && format != "jsonl" {
		return badRequest("format", "format: %q is not csv or jsonl", format)
	}
	res, err := svc.Import(r.Context(), actorName(r), http.MaxBytesReader(w, r.Body, maxIntegrityImport), name,
		integrity.ImportOptions{Source: strings.TrimSpace(q.Get("source")), Format: format})
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(http.StatusRequestEntityTooLarge, "export larger than %d bytes: split it", int64(maxIntegrityImport))
		}
		return err
	}
	res.Items = nil // the counts are the answer
	writeJSON(w, http.StatusOK, res)
	return nil
}

// fileNameParam reads ?name=FILE, the name an upload's errors give it (def
// when absent).
func fileNameParam(q url.Values, def string) (string, error) {
	name := q.Get("name")
	if name == "" {
		name = def
	}
	if len(name) > 200 || strings.ContainsAny(name, "\r\n\x00") {
		return "", badRequest("name", "name: a file name of at most 200 bytes on one line")
	}
	return name, nil
}

// integrityList answers a GET without parameters (GET
// /api/v1/integrity/narratives, …/spikes) with one of the service's lists
// as {key: [...]} (an empty list, never null).
func integrityList[T any](key string, list func(*integrity.Service, context.Context) ([]T, error)) serviceMethod[*integrity.Service] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
		if err := checkParams(r.URL.Query()); err != nil {
			return err
		}
		vs, err := list(svc, r.Context())
		return reply(w, http.StatusOK)(map[string]any{key: nonNilSlice(vs)}, err)
	}
}

// integrityNarrativePatch answers PATCH /api/v1/integrity/narratives/{id}
// {"name": …}.
func (s *Server) integrityNarrativePatch(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Name *string `json:"name"`
	}
	if err := decodeJSON(w, r, maxIntegrityJSON, &in); err != nil {
		return err
	}
	if in.Name == nil {
		return badRequest("name", "name: give the narrative's name")
	}
	if err := svc.RenameNarrative(r.Context(), actorName(r), id, *in.Name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": strings.TrimSpace(*in.Name)})
	return nil
}

// integrityNarrativeMerge answers POST /api/v1/integrity/narratives/{id}/merge
// {"from": ID}: from's items join narrative id.
func (s *Server) integrityNarrativeMerge(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		From int64 `json:"from"`
	}
	if err := decodeJSON(w, r, maxIntegrityJSON, &in); err != nil {
		return err
	}
	if in.From <= 0 {
		return badRequest("from", "from: give the narrative to merge in")
	}
	if err := svc.MergeNarratives(r.Context(), actorName(r), id, in.From); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"id": id, "merged": in.From})
	return nil
}

// integrityNarrativeSplit answers POST /api/v1/integrity/narratives/{id}/split
// {"items": [ID…], "name": …}: the items leave for a new narrative.
func (s *Server) integrityNarrativeSplit(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Items []int64 `json:"items"`
		Name  string  `json:"name"`
	}
	if err := decodeJSON(w, r, maxIntegrityJSON, &in); err != nil {
		return err
	}
	if len(in.Items) > 10000 {
		return badRequest("items", "items: at most 10000")
	}
	return reply(w, http.StatusCreated)(svc.SplitNarrative(r.Context(), actorName(r), id, in.Items, in.Name))
}

// integrityTerms answers GET /api/v1/integrity/terms.
func (s *Server) integrityTerms(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	ts, err := svc.Terms(r.Context())
	return reply(w, http.StatusOK)(map[string]any{"terms": nonNilSlice(ts)}, err)
}

// integrityTermSave answers POST /api/v1/integrity/terms (create) and
// PUT /api/v1/integrity/terms/{id} (edit).
func (s *Server) integrityTermSave(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	var t integrity.Term
	if err := decodeJSON(w, r, maxIntegrityJSON, &t); err != nil {
		return err
	}
	t.ID = 0
	status := http.StatusCreated
	if r.PathValue("id") != "" {
		var err error
		if t.ID, err = pathInt(r, "id"); err != nil {
			return err
		}
		status = http.StatusOK
	}
	return reply(w, status)(svc.SaveTerm(r.Context(), actorName(r), t))
}

// integrityTermsImport answers POST /api/v1/integrity/terms/import?name=FILE:
// the body is a lexicon CSV; POST /api/v1/integrity/terms/starter adds the
// starter lexicon.
func (s *Server) integrityTermsImport(w http.ResponseWriter, r *http.Request, svc *integrity.Service) error {
	var n int
	var err error
	if strings.HasSuffix(r.URL.Path, "/starter") {
		n, err = svc.LoadStarter(r.Context(), actorName(r))
	} else {
		q := r.URL.Query()
		if err := checkParams(q, "name"); err != nil {
			return err
		}
		name, err := fileNameParam(q, "lexicon.csv")
		if err != nil {
			return err
		}
		es, rerr := lexicon.ReadCSV(http.MaxBytesReader(w, r.Body, maxLexiconImport), name)
		if rerr != nil {
			var mbe *http.MaxBytesError
			if errors.As(rerr, &mbe) {
				return errorf(http.StatusRequestEntityTooLarge, "lexicon larger than %d bytes", int64(maxLexiconImport))
			}
			return badRequest("file", "%v", rerr)
		}
		n, err = svc.ImportTerms(r.Context(), actorName(r), es, name)
	}
	return reply(w, http.StatusOK)(map[string]int{"terms": n}, err)
}
