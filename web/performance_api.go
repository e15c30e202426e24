package web

import (
	"context"
	"net/http"

	"github.com/vigil-project/vigil/performance"
)

// Performance and accountability routes (/api/v1/performance/…): the
// indicator library and values, results frameworks with their compacts,
// status, recorded and manual values, the withdrawal watch and the brief.
// Each handler decodes, calls one performance.Service method (performance/api.go
// parses the queries) and encodes.

// perfSvc returns the performance service, or 503 when none is configured.
func (s *Server) perfSvc() (*performance.Service, error) {
	return configured(s.Performance, "refusal.http.no-performance")
}

// perfIndicators answers GET /api/v1/performance/indicators: the library.
func (s *Server) perfIndicators(w http.ResponseWriter, r *http.Request) error {
	return reply(w, http.StatusOK)(performance.Library(), checkParams(r.URL.Query()))
}

// perfReasons answers GET /api/v1/performance/reasons: the catalog of
// reasons and notes the page renders codes with.
func (s *Server) perfReasons(w http.ResponseWriter, r *http.Request) error {
	return reply(w, http.StatusOK)(performance.ReasonCatalog(), checkParams(r.URL.Query()))
}

// perfValue answers GET /api/v1/performance/value (performance.ValueQuery).
func (s *Server) perfValue(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	vq, err := performance.ParseValueQuery(r.URL.Query())
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.ValueAnswer(r.Context(), actorName(r), vq))
}

// perfFramework answers GET /api/v1/performance/frameworks/{mission}
// [?format=csv|json]: the framework with its revision, or the file.
func (s *Server) perfFramework(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	return reply(w, http.StatusOK)(svc.FrameworkAnswer(r.Context(), r.PathValue("mission"), r.URL.Query()))
}

// perfPutFramework answers PUT /api/v1/performance/frameworks/{mission}
// [?revision=N] with a framework in JSON: validated (errors name the JSON
// path), then stored whole; 409 when it changed since revision N.
func (s *Server) perfPutFramework(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	rev, err := performance.RevisionParam(r.URL.Query())
	if err != nil {
		return err
	}
	var f performance.Framework
	if err := decodeJSON(w, r, 8<<20, &f); err != nil {
		return perfJSON(err)
	}
	return reply(w, http.StatusOK)(svc.PutFramework(r.Context(), actorName(r), r.PathValue("mission"), rev, &f))
}

// perfJSON gives a body the JSON decoder refused (decodeJSON's "invalid
// JSON: …") its message in performance's catalog, as key and args, for the
// performance page to say it in its language.
func perfJSON(err error) error {
	if e, ok := err.(*Error); ok && e.cause != nil { // as decodeJSON returns it
		if m := performance.InvalidJSON(e.cause); m != nil && m.Text("en") == e.Msg {
			e.Key, e.Args = m.Code, m.Args
		}
	}
	return err
}

// perfFrameworkPeriod answers a request on the path's mission for
// ?period=P with what fn computes: GET …/frameworks/{mission}/status and
// POST …/record.
func perfFrameworkPeriod(fn func(*performance.Service, context.Context, string, string, performance.Period) ([]performance.IndicatorStatus, error)) serviceMethod[*performance.Service] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
		p, err := performance.PeriodQuery(r.URL.Query())
		if err != nil {
			return err
		}
		return reply(w, http.StatusOK)(fn(svc, r.Context(), actorName(r), r.PathValue("mission"), p))
	}
}

// perfPutCompact answers PUT …/frameworks/{mission}/compacts/{id}.
func (s *Server) perfPutCompact(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var c performance.Compact
	if err := decodeJSON(w, r, 1<<20, &c); err != nil {
		return perfJSON(err)
	}
	return reply(w, http.StatusOK)(svc.PutCompact(r.Context(), actorName(r), r.PathValue("mission"), r.PathValue("id"), c))
}

// perfCommitmentStatus answers POST …/frameworks/{mission}/commitments/{id}/status
// with {status, note?, date?}: appended to the commitment's history.
func (s *Server) perfCommitmentStatus(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var ch performance.StatusChange
	if err := decodeJSON(w, r, 64<<10, &ch); err != nil {
		return perfJSON(err)
	}
	return reply(w, http.StatusOK)(svc.ChangeCommitmentStatus(r.Context(), actorName(r), r.PathValue("mission"), r.PathValue("id"), ch))
}

// perfDeleteOption answers DELETE …/frameworks/{mission}/options/{id}.
func (s *Server) perfDeleteOption(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return noContent(w, svc.DeleteOption(r.Context(), actorName(r), r.PathValue("mission"), id))
}

// perfDeleteFramework answers DELETE /api/v1/performance/frameworks/{mission}.
func (s *Server) perfDeleteFramework(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	return noContent(w, svc.DeleteFramework(r.Context(), actorName(r), r.PathValue("mission")))
}
