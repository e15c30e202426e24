package performance

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/download"
	"github.com/vigil-project/vigil/internal/query"
)

// The requests of the performance API (/api/v1/performance/…) as the
// service answers them: each parses its URL query here (errors are bad
// input naming the parameter) and returns the answer the handler encodes.

// PeriodParam reads the query parameter name as a period (2019, 2019-Q3,
// 2019-07 or 2019-01..2019-06); it is required.
func PeriodParam(q url.Values, name string) (Period, error) {
	v := q.Get(name)
	if v == "" {
		return Period{}, refused(name, "err.period-required", "param", name)
	}
	p, err := ParsePeriod(v)
	if err != nil {
		return Period{}, invalidErr(name, err)
	}
	return p, nil
}

// PeriodQuery reads a query that is ?period=P and nothing else (a
// framework's status, its recording).
func PeriodQuery(q url.Values) (Period, error) {
	if err := query.Check(q, "period"); err != nil {
		return Period{}, err
	}
	return PeriodParam(q, "period")
}

// ValueQuery is the query of GET /api/v1/performance/value:
// indicator=ID&period=P[&area=ISO3_OR_NAME][&by=DIM][&PARAM=VALUE…], every
// other parameter an indicator parameter. Without area it asks for one
// value per area (Each).
type ValueQuery struct {
	Request
	Each bool
}

// ParseValueQuery reads a ValueQuery.
func ParseValueQuery(q url.Values) (ValueQuery, error) {
	vq := ValueQuery{Request: Request{Indicator: q.Get("indicator"), By: q.Get("by"), Params: map[string]string{}}}
	if vq.Indicator == "" {
		return vq, refused("indicator", "err.indicator-required")
	}
	var err error
	if vq.Period, err = PeriodParam(q, "period"); err != nil {
		return vq, err
	}
	if err := query.Once(q); err != nil {
		return vq, err
	}
	for k, v := range q {
		switch k {
		case "indicator", "period", "area", "by":
		default:
			vq.Params[k] = v[0]
		}
	}
	vq.Area, vq.Each = AllAreas, true
	if a := q.Get("area"); a != "" {
		if vq.Area, err = ParseArea(a); err != nil {
			return vq, invalidErr("area", err)
		}
		vq.Each = false
	}
	return vq, nil
}

// ValueAnswer is the answer to a ValueQuery asked by actor: the value of
// the one area asked for, else one value per area. Every value is an
// aggregate anyone who may read the framework's status may read (the one
// role rule of web/routes.go): perception values are design-based
// estimates, and the survey's small-cell rule (estimate.DefaultRule: fewer
// than 30 respondents or a CV above 30 %) leaves a cell without numbers,
// for the overall value and for each group of a breakdown alike.
func (s *Service) ValueAnswer(ctx context.Context, actor string, vq ValueQuery) (any, error) {
	vs, err := s.Value(ctx, actor, vq.Request, vq.Each)
	if err == nil && !vq.Each && len(vs) == 1 {
		return vs[0], nil
	}
	return vs, err
}

// AreaList is the answer to GET /api/v1/performance/areas: all areas
// first, then the countries the data covers.
func (s *Service) AreaList(ctx context.Context) ([]Area, error) {
	as, err := s.Areas(ctx)
	return append([]Area{AllAreas}, as...), err
}

// ReasonCatalog is the catalog of reasons and notes ({"en": {code: text},
// "fr": {…}}) the page renders the codes of statuses, trends and values
// with.
func ReasonCatalog() map[string]map[string]string {
	return map[string]map[string]string{"en": ReasonTexts("en"), "fr": ReasonTexts("fr")}
}

// Revised is a framework with its revision.
type Revised struct {
	Framework *Framework `json:"framework"`
	Revision  int        `json:"revision"`
}

// FrameworkAnswer is the answer to GET …/frameworks/{mission}[?format=csv|json]:
// the framework with its revision, or (with format) the file to download.
func (s *Service) FrameworkAnswer(ctx context.Context, mission string, q url.Values) (any, error) {
	if err := query.Check(q, "format"); err != nil {
		return nil, err
	}
	if f := q.Get("format"); f != "" {
		var buf bytes.Buffer
		if err := s.ExportFramework(ctx, mission, f, &buf); err != nil {
			return nil, err
		}
		ct := "application/json; charset=utf-8"
		if f == "csv" {
			ct = "text/csv; charset=utf-8"
		}
		return &download.File{Name: download.SafeName(mission, "mission") + "-framework." + f, Type: ct, Body: buf.Bytes()}, nil
	}
	f, rev, err := s.Framework(ctx, mission)
	return Revised{f, rev}, err
}

// RevisionParam reads ?revision=N, the revision a change was made on (-1
// when absent: unconditional), the only parameter of a framework's PUT.
func RevisionParam(q url.Values) (int, error) {
	if err := query.Check(q, "revision"); err != nil {
		return 0, err
	}
	n, err := query.Int(q, "revision", -1, 0, math.MaxInt, query.NotRevision)
	return int(n), err
}

// PutFramework stores f whole as mission's framework (the path's; the body
// may leave it out) if it is still at revision ifRevision (-1: whatever).
func (s *Service) PutFramework(ctx context.Context, actor, mission string, ifRevision int, f *Framework) (Revised, error) {
	if f.Mission == "" {
		f.Mission = mission
	}
	if f.Mission != mission {
		return Revised{}, refused("mission", "err.mission-path", "v", fmt.Sprintf("%q", f.Mission), "path", fmt.Sprintf("%q", mission))
	}
	rev, err := s.SaveFramework(ctx, actor, f, ifRevision)
	return Revised{f, rev}, err
}

// Upload is a framework file sent to POST …/frameworks/{mission}/import.
type Upload struct {
	Format string `json:"format"` // csv or json
	Name   string `json:"name"`   // the file's name, which errors give
	Data   string `json:"data"`
}

// ImportUpload replaces mission's framework with the uploaded file (see
// ImportFramework); errors name the file by its name.
func (s *Service) ImportUpload(ctx context.Context, actor, mission string, u Upload) (Revised, error) {
	f, rev, err := s.ImportFramework(ctx, actor, mission, u.Format, strings.NewReader(u.Data))
	if ae := apperr.As(err); ae != nil && u.Name != "" {
		named := *ae // the reader names the file framework.FORMAT
		named.Msg = strings.Replace(named.Msg, "framework."+u.Format, u.Name, 1)
		if named.Args["file"] != "" {
			named.Args = maps.Clone(named.Args)
			named.Args["file"] = u.Name
		}
		err = &named
	}
	return Revised{f, rev}, err
}

// RecordedQuery reads the query of GET /api/v1/performance/values
// [?mission=&framework_id=&indicator=&period=&area=&limit=].
func RecordedQuery(q url.Values) (ValueFilter, error) {
	if err := query.Check(q, "mission", "framework_id", "indicator", "period", "area", "limit"); err != nil {
		return ValueFilter{}, err
	}
	f := ValueFilter{Mission: q.Get("mission"), FrameworkID: q.Get("framework_id"), Indicator: q.Get("indicator"), Area: q.Get("area")}
	if q.Get("period") != "" {
		p, err := PeriodParam(q, "period")
		if err != nil {
			return f, err
		}
		f.Period = p.String()
	}
	n, err := query.Int(q, "limit", 0, 1, 10000, query.Span(1, 10000))
	f.Limit = int(n)
	return f, err
}

// RecordedFor answers GET /api/v1/performance/values with its query (see
// RecordedQuery): recorded values, newest first.
func (s *Service) RecordedFor(ctx context.Context, q url.Values) ([]Recorded, error) {
	f, err := RecordedQuery(q)
	if err != nil {
		return nil, err
	}
	rs, err := s.Recorded(ctx, f)
	for i := range rs {
		withholdReporterSex(ctx, &rs[i].Value)
	}
	return rs, err
}

// EnterManual adds a manual value entered by actor (who and when are the
// server's to set).
func (s *Service) EnterManual(ctx context.Context, actor string, m ManualValue) (ManualValue, error) {
	if m.EnteredBy != "" || m.EnteredAt != "" {
		return m, refused("entered_by", "err.entered-by")
	}
	return s.AddManual(ctx, actor, m)
}

// MissionCompacts is a mission's compacts and, per party, what it owes with
// the latest status.
type MissionCompacts struct {
	Compacts []Compact `json:"compacts"`
	Owes     []Owed    `json:"owes"`
}

// CompactsOf returns mission's compacts and what each party owes.
func (s *Service) CompactsOf(ctx context.Context, mission string) (MissionCompacts, error) {
	cs, err := s.Compacts(ctx, mission)
	if err != nil {
		return MissionCompacts{}, err
	}
	owes, err := s.Owes(ctx, mission)
	return MissionCompacts{cs, owes}, err
}

// RevisedCompact is a compact as saved with its framework's revision.
type RevisedCompact struct {
	Compact  Compact `json:"compact"`
	Revision int     `json:"revision"`
}

// PutCompact adds or replaces mission's compact id (the path's; the body
// may leave it out), creating the framework when the mission has none.
func (s *Service) PutCompact(ctx context.Context, actor, mission, id string, c Compact) (RevisedCompact, error) {
	if c.ID == "" {
		c.ID = id
	}
	if c.ID != id {
		return RevisedCompact{}, refused("id", "err.compact-path", "v", fmt.Sprintf("%q", c.ID), "path", fmt.Sprintf("%q", id))
	}
	_, rev, err := s.SaveCompact(ctx, actor, mission, c)
	return RevisedCompact{c, rev}, err
}

// ChangeCommitmentStatus appends actor's status change to a commitment's
// history (who made it is the server's to set).
func (s *Service) ChangeCommitmentStatus(ctx context.Context, actor, mission, commitment string, ch StatusChange) (*Commitment, error) {
	if ch.By != "" {
		return nil, refused("by", "err.by")
	}
	return s.SetCommitmentStatus(ctx, actor, mission, commitment, ch)
}

// BriefQuery is the query of GET /api/v1/performance/brief:
// month=YYYY-MM[&lang=en|fr][&format=html|pdf|json][&mission=M][&form=F]
// (form: the survey form whose perception indicators the brief shows).
type BriefQuery struct {
	Month                       Period
	Lang, Format, Mission, Form string
}

// ParseBriefQuery reads a BriefQuery.
func ParseBriefQuery(q url.Values) (BriefQuery, error) {
	var bq BriefQuery
	if err := query.Check(q, "month", "lang", "format", "mission", "form"); err != nil {
		return bq, err
	}
	var err error
	if bq.Month, err = PeriodParam(q, "month"); err != nil {
		return bq, err
	}
	if bq.Month.Months() != 1 {
		return bq, invalid("month", "err.one-month", "v", bq.Month)
	}
	if bq.Lang, err = query.Choice(q, "lang", "en", "fr"); err != nil {
		return bq, err
	}
	bq.Format, err = query.Choice(q, "format", "html", "pdf", "json")
	bq.Mission, bq.Form = q.Get("mission"), q.Get("form")
	return bq, err
}

// BriefFor answers GET /api/v1/performance/brief for actor with its query
// (see ParseBriefQuery and BriefAnswer).
func (s *Service) BriefFor(ctx context.Context, actor string, q url.Values) (any, error) {
	bq, err := ParseBriefQuery(q)
	if err != nil {
		return nil, err
	}
	return s.BriefAnswer(ctx, actor, bq)
}

// briefCSP is the brief page's Content-Security-Policy: a standalone page
// with its own inline styles only.
const briefCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// BriefAnswer is the monthly brief bq asks for: the *Brief (json) or its
// rendering (a PDF to save, an HTML page); its numbers are the values
// ValueAnswer gives.
func (s *Service) BriefAnswer(ctx context.Context, actor string, bq BriefQuery) (any, error) {
	b, err := s.Brief(ctx, actor, bq.Month.From, BriefOptions{Lang: bq.Lang, SurveyForm: bq.Form}, bq.Mission)
	if err != nil || bq.Format == "json" {
		return b, err
	}
	var buf bytes.Buffer
	if bq.Format == "pdf" {
		err := b.WritePDF(&buf)
		return &download.File{Name: fmt.Sprintf("vigil-brief-%s-%s.pdf", bq.Month, bq.Lang), Type: "application/pdf", Body: buf.Bytes()}, err
	}
	err = b.WriteHTML(&buf)
	return &download.File{Type: "text/html; charset=utf-8", Header: map[string]string{"Content-Security-Policy": briefCSP}, Body: buf.Bytes()}, err
}

// OptionInput is an option attached to a gap through the API: {gap,
// area?, scenario_id, note?}.
type OptionInput struct {
	Gap        string `json:"gap"`
	Area       string `json:"area"`
	ScenarioID int64  `json:"scenario_id"`
	Note       string `json:"note"`
}

// AddOption attaches the option in to one of mission's gaps.
func (s *Service) AddOption(ctx context.Context, actor, mission string, in OptionInput) (Option, error) {
	return s.AttachOption(ctx, actor, mission, Option{Gap: in.Gap, Area: in.Area, ScenarioID: in.ScenarioID, Note: in.Note})
}
