package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/performance"
)

// Performance and accountability routes (/api/v1/performance/…): the
// indicator library and values, results frameworks with their compacts,
// status, recorded and manual values, the withdrawal watch and the brief.
// Each handler decodes, calls one performance.Service method and encodes.

// perfSvc returns the performance service, or 503 when none is configured.
func (s *Server) perfSvc() (*performance.Service, error) {
	if s.Performance == nil {
		return nil, errorf(http.StatusServiceUnavailable, "the performance service is not configured")
	}
	return s.Performance, nil
}

func perfPeriod(q url.Values, name string) (performance.Period, error) {
	v := q.Get(name)
	if v == "" {
		return performance.Period{}, badRequest(name, "%s is required (2019, 2019-Q3, 2019-07 or 2019-01..2019-06)", name)
	}
	p, err := performance.ParsePeriod(v)
	if err != nil {
		return performance.Period{}, badRequest(name, "%s: %v", name, err)
	}
	return p, nil
}

// perfIndicators answers GET /api/v1/performance/indicators: the library.
func (s *Server) perfIndicators(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, performance.Library())
	return nil
}

// perfReasons answers GET /api/v1/performance/reasons: the catalog of
// reasons and notes ({"en": {code: text}, "fr": {…}}) the page renders the
// codes of statuses, trends and values with.
func (s *Server) perfReasons(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]map[string]string{"en": performance.ReasonTexts("en"), "fr": performance.ReasonTexts("fr")})
	return nil
}

// perfAreas answers GET /api/v1/performance/areas: the countries the data
// covers, with their names in English and French.
func (s *Server) perfAreas(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	as, err := svc.Areas(r.Context())
	return reply(w, http.StatusOK)(append([]performance.Area{performance.AllAreas}, as...), err)
}

// perfValue answers GET /api/v1/performance/value?indicator=ID&period=P
// [&area=ISO3_OR_NAME][&by=DIM][&PARAM=VALUE…]: the value (or one per area
// the data covers, without area) with its interval, coverage and
// provenance. Every other query parameter is an indicator parameter.
func (s *Server) perfValue(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	q := r.URL.Query()
	req := performance.Request{Indicator: q.Get("indicator"), By: q.Get("by"), Params: map[string]string{}}
	if req.Indicator == "" {
		return badRequest("indicator", "indicator is required (GET /api/v1/performance/indicators lists them)")
	}
	var err error
	if req.Period, err = perfPeriod(q, "period"); err != nil {
		return err
	}
	for k, v := range q {
		if len(v) > 1 {
			return badRequest(k, "parameter %q given %d times", k, len(v))
		}
		switch k {
		case "indicator", "period", "area", "by":
		default:
			req.Params[k] = v[0]
		}
	}
	each := true
	if a := q.Get("area"); a != "" {
		if req.Area, err = performance.ParseArea(a); err != nil {
			return badRequest("area", "area: %v", err)
		}
		each = false
	} else {
		req.Area = performance.AllAreas
	}
	// Perception values are computed from sealed survey answers: the
	// survey analysis' own role.
	if req.Indicator == "perception" {
		if u, _ := auth.UserFrom(r.Context()); u == nil || !u.Role.AtLeast(auth.Analyst) {
			return errorf(http.StatusForbidden, "perception indicators read survey answers: this needs the %s role", auth.Analyst)
		}
	}
	vs, err := svc.Value(r.Context(), actorName(r), req, each)
	if err == nil && !each && len(vs) == 1 {
		return reply(w, http.StatusOK)(vs[0], nil)
	}
	return reply(w, http.StatusOK)(vs, err)
}

// perfFrameworks answers GET /api/v1/performance/frameworks.
func (s *Server) perfFrameworks(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	return reply(w, http.StatusOK)(svc.Frameworks(r.Context()))
}

// perfFramework answers GET /api/v1/performance/frameworks/{mission}
// [?format=csv|json]: the framework with its revision, or (with format) the
// file to download.
func (s *Server) perfFramework(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "format"); err != nil {
		return err
	}
	mission := r.PathValue("mission")
	if f := q.Get("format"); f != "" {
		var buf bytes.Buffer
		if err := svc.ExportFramework(r.Context(), mission, f, &buf); err != nil {
			return err
		}
		ct := "application/json; charset=utf-8"
		if f == "csv" {
			ct = "text/csv; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeFileName(mission)+"-framework."+f))
		_, err := w.Write(buf.Bytes())
		return err
	}
	f, rev, err := svc.Framework(r.Context(), mission)
	return reply(w, http.StatusOK)(map[string]any{"revision": rev, "framework": f}, err)
}

// safeFileName keeps letters, digits, - and _ of s.
func safeFileName(s string) string {
	b := []byte{}
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return "mission"
	}
	return string(b)
}

// revisionParam reads ?revision=N (the revision the change was made on; -1
// when absent: unconditional).
func revisionParam(q url.Values) (int, error) {
	v := q.Get("revision")
	if v == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, badRequest("revision", "revision: %q is not a revision number", v)
	}
	return n, nil
}

// perfPutFramework answers PUT /api/v1/performance/frameworks/{mission}
// [?revision=N] with a framework in JSON: validated (errors name the JSON
// path), then stored whole; 409 when it changed since revision N.
func (s *Server) perfPutFramework(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "revision"); err != nil {
		return err
	}
	rev, err := revisionParam(q)
	if err != nil {
		return err
	}
	var f performance.Framework
	if err := decodeJSON(w, r, 8<<20, &f); err != nil {
		return err
	}
	mission := r.PathValue("mission")
	if f.Mission == "" {
		f.Mission = mission
	}
	if f.Mission != mission {
		return badRequest("mission", "mission %q in the body is not %q of the path", f.Mission, mission)
	}
	nrev, err := svc.SaveFramework(r.Context(), actorName(r), &f, rev)
	return reply(w, http.StatusOK)(map[string]any{"revision": nrev, "framework": &f}, err)
}

// perfDeleteFramework answers DELETE /api/v1/performance/frameworks/{mission}.
func (s *Server) perfDeleteFramework(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	return noContent(w, svc.DeleteFramework(r.Context(), actorName(r), r.PathValue("mission")))
}

// perfImport answers POST /api/v1/performance/frameworks/{mission}/import
// with {"format": "csv"|"json", "name": FILE, "data": TEXT}: the file
// replaces the framework (a CSV keeps the stored compacts); on any error
// nothing is written and the error names the line (or JSON path) and
// column.
func (s *Server) perfImport(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var req struct {
		Format string `json:"format"`
		Name   string `json:"name"`
		Data   string `json:"data"`
	}
	if err := decodeJSON(w, r, 8<<20, &req); err != nil {
		return err
	}
	f, rev, err := svc.ImportFramework(r.Context(), actorName(r), r.PathValue("mission"), req.Format, strings.NewReader(req.Data))
	if ae := apperr.As(err); ae != nil && req.Name != "" {
		named := *ae // the service names the file framework.FORMAT: say the upload's name
		named.Msg = strings.Replace(named.Msg, "framework."+req.Format, req.Name, 1)
		err = &named
	}
	return reply(w, http.StatusOK)(map[string]any{"revision": rev, "framework": f}, err)
}

// perfFrameworkPeriod answers a request on the path's mission for
// ?period=P with what fn computes: GET
// /api/v1/performance/frameworks/{mission}/status (every indicator's value,
// target, honest status and trend) and POST …/record (computes the
// framework and stores the values with their provenance).
func perfFrameworkPeriod(fn func(*performance.Service, context.Context, string, string, performance.Period) ([]performance.IndicatorStatus, error)) serviceMethod[*performance.Service] {
	return func(_ *Server, w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
		q := r.URL.Query()
		if err := checkParams(q, "period"); err != nil {
			return err
		}
		p, err := perfPeriod(q, "period")
		if err != nil {
			return err
		}
		return reply(w, http.StatusOK)(fn(svc, r.Context(), actorName(r), r.PathValue("mission"), p))
	}
}

// perfRecorded answers GET /api/v1/performance/values[?mission=&framework_id=&indicator=&period=&area=&limit=]:
// recorded values, newest first.
func (s *Server) perfRecorded(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "mission", "framework_id", "indicator", "period", "area", "limit"); err != nil {
		return err
	}
	f := performance.ValueFilter{Mission: q.Get("mission"), FrameworkID: q.Get("framework_id"), Indicator: q.Get("indicator"), Area: q.Get("area")}
	if v := q.Get("period"); v != "" {
		p, err := perfPeriod(q, "period")
		if err != nil {
			return err
		}
		f.Period = p.String()
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return badRequest("limit", "limit: %q must be 1–10000", v)
		}
		f.Limit = n
	}
	return reply(w, http.StatusOK)(svc.Recorded(r.Context(), f))
}

// perfManualList answers GET /api/v1/performance/manual.
func (s *Server) perfManualList(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	return reply(w, http.StatusOK)(svc.ManualValues(r.Context()))
}

// perfManualAdd answers POST /api/v1/performance/manual with a manual
// value {indicator, period, area, value, low?, high?, unit?, source,
// evidence?}.
func (s *Server) perfManualAdd(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var m performance.ManualValue
	if err := decodeJSON(w, r, 64<<10, &m); err != nil {
		return err
	}
	if m.EnteredBy != "" || m.EnteredAt != "" {
		return badRequest("entered_by", "entered_by and entered_at are set by the server")
	}
	return reply(w, http.StatusCreated)(svc.AddManual(r.Context(), actorName(r), m))
}

// perfCompacts answers GET /api/v1/performance/frameworks/{mission}/compacts:
// the compacts and, per party, what it owes with the latest status.
func (s *Server) perfCompacts(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	mission := r.PathValue("mission")
	cs, err := svc.Compacts(r.Context(), mission)
	if err != nil {
		return err
	}
	owes, err := svc.Owes(r.Context(), mission)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(map[string]any{"compacts": cs, "owes": owes}, nil)
}

// perfPutCompact answers PUT /api/v1/performance/frameworks/{mission}/compacts/{id}
// with a compact: added or replaced (the framework is created when the
// mission has none).
func (s *Server) perfPutCompact(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var c performance.Compact
	if err := decodeJSON(w, r, 1<<20, &c); err != nil {
		return err
	}
	id := r.PathValue("id")
	if c.ID == "" {
		c.ID = id
	}
	if c.ID != id {
		return badRequest("id", "compact id %q in the body is not %q of the path", c.ID, id)
	}
	_, rev, err := svc.SaveCompact(r.Context(), actorName(r), r.PathValue("mission"), c)
	return reply(w, http.StatusOK)(map[string]any{"revision": rev, "compact": c}, err)
}

// perfCommitmentStatus answers POST /api/v1/performance/frameworks/{mission}/commitments/{id}/status
// with {status, note?, date?}: appended to the commitment's history.
func (s *Server) perfCommitmentStatus(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var ch performance.StatusChange
	if err := decodeJSON(w, r, 64<<10, &ch); err != nil {
		return err
	}
	if ch.By != "" {
		return badRequest("by", "by is set by the server")
	}
	return reply(w, http.StatusOK)(svc.SetCommitmentStatus(r.Context(), actorName(r), r.PathValue("mission"), r.PathValue("id"), ch))
}

// perfWatch answers GET /api/v1/performance/watch: every withdrawal in the
// deployment history with before/after, the matched comparison and the
// trigger.
func (s *Server) perfWatch(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.WatchReport(r.Context()))
}

// perfLeadershipAlerts answers GET /api/v1/performance/alerts: the
// withdrawal-watch triggers leadership was alerted to, newest first, each
// with its evidence (before/after, matched expectation, controls, p).
func (s *Server) perfLeadershipAlerts(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	return reply(w, http.StatusOK)(svc.LeadershipAlerts(r.Context()))
}

// perfBrief answers GET /api/v1/performance/brief?month=YYYY-MM[&lang=en|fr][&format=html|pdf|json][&mission=M]:
// the monthly brief; its numbers are the values GET
// /api/v1/performance/value gives.
func (s *Server) perfBrief(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	q := r.URL.Query()
	if err := checkParams(q, "month", "lang", "format", "mission"); err != nil {
		return err
	}
	p, err := perfPeriod(q, "month")
	if err != nil {
		return err
	}
	if p.Months() != 1 {
		return badRequest("month", "month: %s is not one month (YYYY-MM)", p)
	}
	lang, err := choiceParam(q, "lang", "en", "fr")
	if err != nil {
		return err
	}
	format, err := choiceParam(q, "format", "html", "pdf", "json")
	if err != nil {
		return err
	}
	b, err := svc.Brief(r.Context(), actorName(r), p.From, performance.BriefOptions{Lang: lang}, q.Get("mission"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name := fmt.Sprintf("vigil-brief-%s-%s", p, lang)
	switch format {
	case "json":
		return reply(w, http.StatusOK)(b, nil)
	case "pdf":
		if err := b.WritePDF(&buf); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".pdf"))
	default:
		if err := b.WriteHTML(&buf); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// The brief is a standalone page: its own inline styles only.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// perfOptions answers GET /api/v1/performance/frameworks/{mission}/options:
// the mission's gaps, each with its options (saved coverage scenarios) and
// their effects on covered weight side by side.
func (s *Server) perfOptions(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	return reply(w, http.StatusOK)(svc.Options(r.Context(), r.PathValue("mission")))
}

// perfAddOption answers POST /api/v1/performance/frameworks/{mission}/options
// with {gap, area?, scenario_id, note?}.
func (s *Server) perfAddOption(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	var req struct {
		Gap        string `json:"gap"`
		Area       string `json:"area"`
		ScenarioID int64  `json:"scenario_id"`
		Note       string `json:"note"`
	}
	if err := decodeJSON(w, r, 64<<10, &req); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(svc.AttachOption(r.Context(), actorName(r), r.PathValue("mission"), performance.Option{Gap: req.Gap, Area: req.Area, ScenarioID: req.ScenarioID, Note: req.Note}))
}

// perfDeleteOption answers DELETE /api/v1/performance/frameworks/{mission}/options/{id}.
func (s *Server) perfDeleteOption(w http.ResponseWriter, r *http.Request, svc *performance.Service) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	return noContent(w, svc.DeleteOption(r.Context(), actorName(r), r.PathValue("mission"), id))
}
