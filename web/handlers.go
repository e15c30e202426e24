package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/download"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/surveys"
)

// The shapes most handlers share: a route that works on one of the server's
// services (withService and its per-capability forms below, used in the
// route table), a service call's answer (reply, replyList) and the
// get-by-id and delete-by-id handlers.

// serviceMethod is a handler written as a method of Server that works on
// the service svc.
type serviceMethod[S any] func(s *Server, w http.ResponseWriter, r *http.Request, svc S) error

// withService makes a route's handler from m: it resolves the service with
// get (which answers 503 when the server has none) and runs m with it. The
// services' errors are apperr's, mapped once by serveError.
func withService[S any](get func(*Server) (S, error), m serviceMethod[S]) func(*Server) handlerFunc {
	return func(s *Server) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			svc, err := get(s)
			if err != nil {
				return err
			}
			return m(s, w, r, svc)
		}
	}
}

// configured returns svc, or a 503 saying what this server lacks (the
// message key of web.Refusals) when the server was built without it: the
// services' accessors below.
func configured[S any](svc *S, key string) (*S, error) {
	if svc == nil {
		return nil, sayError(http.StatusServiceUnavailable, key)
	}
	return svc, nil
}

// integ makes a route's handler working on the integrity service.
func integ(m serviceMethod[*integrity.Service]) func(*Server) handlerFunc {
	return withService((*Server).integritySvc, m)
}

// perf makes a route's handler working on the performance service.
func perf(m serviceMethod[*performance.Service]) func(*Server) handlerFunc {
	return withService((*Server).perfSvc, m)
}

// contact makes a route's handler working on the contacts service.
func contact(m serviceMethod[*contacts.Service]) func(*Server) handlerFunc {
	return withService((*Server).contactsSvc, m)
}

// alert makes a route's handler working on the alert network.
// A missing alert or incident is said by the alerts catalog.
func alert(m serviceMethod[*alerts.Service]) func(*Server) handlerFunc {
	return withService((*Server).alertsSvc, func(s *Server, w http.ResponseWriter, r *http.Request, svc *alerts.Service) error {
		return alerts.NotFoundSaid(m(s, w, r, svc))
	})
}

// cov makes a route's handler working on the coverage service.
func cov(m serviceMethod[*coverage.Service]) func(*Server) handlerFunc {
	return withService(func(s *Server) (*coverage.Service, error) { return s.Coverage, nil }, m)
}

// analysis makes a route's handler working on the survey analysis (503
// when the server cannot analyse surveys).
func analysis(m serviceMethod[*surveys.Service]) func(*Server) handlerFunc {
	return withService(func(s *Server) (*surveys.Service, error) { return s.Surveys, s.surveysReady() }, m)
}

// forms makes a route's handler working on the survey forms (503 when the
// server has no survey service).
func forms(m serviceMethod[*surveys.Service]) func(*Server) handlerFunc {
	return withService(func(s *Server) (*surveys.Service, error) { return s.Surveys, s.formsReady() }, m)
}

// riskRoute makes a route's handler working on the forecasts.
func riskRoute(m serviceMethod[*risk.Service]) func(*Server) handlerFunc {
	return withService(func(s *Server) (*risk.Service, error) { return s.Risk, nil }, m)
}

// reply returns what answers a service call: its value as JSON (a
// *download.File as the file) with status, or its error.
// return reply(w, http.StatusOK)(svc.Get(ctx, id)).
func reply(w http.ResponseWriter, status int) func(v any, err error) error {
	return func(v any, err error) error {
		if err != nil {
			return err
		}
		if f, ok := v.(*download.File); ok {
			return writeFile(w, status, f)
		}
		writeJSON(w, status, v)
		return nil
	}
}

// writeFile sends f with status: an attachment when it has a name. A
// streamed body (f.Write) that fails aborts the handler.
func writeFile(w http.ResponseWriter, status int, f *download.File) error {
	w.Header().Set("Content-Type", f.Type)
	if f.Name != "" {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.Name))
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(status)
	if f.Write != nil {
		if err := f.Write(w); err != nil {
			// Part of the body may be sent: break the connection off
			// (no chunked encoding's last chunk) so that the client sees
			// a failed transfer, not a shorter file that looks whole.
			panic(http.ErrAbortHandler)
		}
		return nil
	}
	_, err := w.Write(f.Body)
	return err
}

// noContent answers 204 when err is nil, else returns err.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// nonNil passes a list call on to reply with an empty list as [], never
// null: reply(w, http.StatusOK)(nonNil(svc.List(ctx))).
func nonNil[T any](vs []T, err error) ([]T, error) { return nonNilSlice(vs), err }

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// byID is the handler of GET …/{id}: what get returns for the id, as JSON.
func byID[S, T any](get func(S, context.Context, int64) (T, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		id, err := pathInt(r, "id")
		if err != nil {
			return err
		}
		return reply(w, http.StatusOK)(get(svc, r.Context(), id))
	}
}

// decodeCall is the handler of a request whose JSON body (at most max
// bytes) is the argument of call, made in the user's name; its result
// answers with status.
func decodeCall[S, In, Out any](max int64, status int, call func(svc S, ctx context.Context, actor string, in In) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		var in In
		if err := decodeJSON(w, r, max, &in); err != nil {
			return err
		}
		return reply(w, status)(call(svc, r.Context(), actorName(r), in))
	}
}

// deleteByID is the handler of DELETE …/{id}: del removes it in the user's
// name; 204.
func deleteByID[S any](del func(svc S, ctx context.Context, actor string, id int64) error) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		id, err := pathInt(r, "id")
		if err != nil {
			return err
		}
		return noContent(w, del(svc, r.Context(), actorName(r), id))
	}
}

// call is the handler of a GET answered by get alone.
func call[S, Out any](get func(S, context.Context) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		return reply(w, http.StatusOK)(get(svc, r.Context()))
	}
}

// callAt is the handler of a GET answered by get for the path value key
// (…/{mission}/options).
func callAt[S, Out any](key string, get func(S, context.Context, string) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		return reply(w, http.StatusOK)(get(svc, r.Context(), r.PathValue(key)))
	}
}

// pathArg reads the path value key as K: a string as it is, an int64 as
// a positive id (else 400 naming it).
func pathArg[K int64 | string](r *http.Request, key string) (K, error) {
	var at K
	var err error
	switch p := any(&at).(type) {
	case *string:
		*p = r.PathValue(key)
	case *int64:
		*p, err = pathInt(r, key)
	}
	return at, err
}

// act is the handler of a request without body whose answer fn computes
// in the user's name (POST …/terms/starter).
func act[S, Out any](status int, fn func(S, context.Context, string) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		return reply(w, status)(fn(svc, r.Context(), actorName(r)))
	}
}

// actQuery is the handler of a request whose URL query fn reads, in the
// user's name (GET /api/v1/surveys/interlocutors?from=&to=).
func actQuery[S, Out any](fn func(S, context.Context, string, url.Values) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		return reply(w, http.StatusOK)(fn(svc, r.Context(), actorName(r), r.URL.Query()))
	}
}

// actAt is act for a route whose path value key names what fn works on
// (POST …/feeds/{id}/poll).
func actAt[S any, K int64 | string, Out any](key string, status int, fn func(S, context.Context, string, K) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		at, err := pathArg[K](r, key)
		if err != nil {
			return err
		}
		return reply(w, status)(fn(svc, r.Context(), actorName(r), at))
	}
}

// decodeCallAt is decodeCall for a route whose path value key (a string,
// or an int64 read as a positive id) names what the call works on.
func decodeCallAt[S any, K int64 | string, In, Out any](key string, max int64, status int, call func(svc S, ctx context.Context, actor string, at K, in In) (Out, error)) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		at, err := pathArg[K](r, key)
		if err != nil {
			return err
		}
		var in In
		if err := decodeJSON(w, r, max, &in); err != nil {
			return err
		}
		return reply(w, status)(call(svc, r.Context(), actorName(r), at, in))
	}
}

// queryCall is the handler of a GET whose query takes params (nothing
// else): call reads them and its answer is written as JSON.
func queryCall[S, T any](call func(S, context.Context, url.Values) (T, error), params ...string) serviceMethod[S] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc S) error {
		q := r.URL.Query()
		if err := checkParams(q, params...); err != nil {
			return err
		}
		return reply(w, http.StatusOK)(call(svc, r.Context(), q))
	}
}

// getCall is the handler of a GET without parameters answered by call.
func getCall[S, T any](call func(S, context.Context) (T, error)) serviceMethod[S] {
	return queryCall(func(svc S, ctx context.Context, _ url.Values) (T, error) { return call(svc, ctx) })
}

// decodeRun is decodeCall for a call made in no one's name (a computation
// that stores nothing), answering 200.
func decodeRun[S, In, Out any](max int64, call func(S, context.Context, In) (Out, error)) serviceMethod[S] {
	return decodeCall(max, http.StatusOK, func(svc S, ctx context.Context, _ string, in In) (Out, error) { return call(svc, ctx, in) })
}
