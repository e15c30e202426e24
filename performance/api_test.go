package performance_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/internal/download"
	"github.com/vigil-project/vigil/performance"
)

// mustParse is parse(s), failing t on an error (a period, an area, a query
// the test writes).
func mustParse[T any](t testing.TB, parse func(string) (T, error), s string) T {
	t.Helper()
	v, err := parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseValueQuery(t *testing.T) {
	for _, c := range []struct {
		q, text, field string
		each           bool
		area           string
		params         map[string]string
	}{
		{q: "indicator=deaths&period=2017", each: true, area: "ALL", params: map[string]string{}},
		{q: "indicator=deaths&period=2017&area=Mali&type=1", area: "MLI", params: map[string]string{"type": "1"}},
		{q: "period=2017", text: "indicator is required (GET /api/v1/performance/indicators lists them)", field: "indicator"},
		{q: "indicator=deaths", text: "period is required (2019, 2019-Q3, 2019-07 or 2019-01..2019-06)", field: "period"},
		{q: "indicator=deaths&period=2017-Q5", text: `period: period "2017-Q5": quarter "Q5" is not Q1–Q4 (want 2019, 2019-Q3, 2019-07 or 2019-01..2019-06)`, field: "period"},
		{q: "indicator=deaths&period=2017&type=1&type=2", text: `parameter "type" given 2 times`, field: "type"},
		{q: "indicator=deaths&period=2017&area=Atlantis", text: `area: country "Atlantis": unknown (want an ISO 3166 alpha-3 code such as COD, or a country name in English or French)`, field: "area"},
	} {
		vq, err := performance.ParseValueQuery(mustParse(t, url.ParseQuery, c.q))
		apperrtest.Invalid(t, c.q, err, c.text, c.field)
		if err == nil && (vq.Each != c.each || vq.Area.Code != c.area || len(vq.Params) != len(c.params) || vq.Params["type"] != c.params["type"]) {
			t.Errorf("%s: %+v", c.q, vq)
		}
	}
}

func TestQueries(t *testing.T) {
	type queryCase struct {
		q, text, field string
		parse          func(url.Values) (any, error)
		want           string
	}
	apperrtest.Queries(t, []queryCase{
		{"period=2019-Q3", "", "", func(q url.Values) (any, error) { p, err := performance.PeriodQuery(q); return p.String(), err }, "2019-Q3"},
		{"period=2019&x=1", `unknown parameter "x" (allowed: period)`, "x", func(q url.Values) (any, error) { return performance.PeriodQuery(q) }, ""},
		{"", "", "", func(q url.Values) (any, error) { return performance.RevisionParam(q) }, "-1"},
		{"revision=4", "", "", func(q url.Values) (any, error) { return performance.RevisionParam(q) }, "4"},
		{"revision=-2", `revision: "-2" is not a revision number`, "revision", func(q url.Values) (any, error) { return performance.RevisionParam(q) }, ""},
		{"mission=MINUSCA&period=2017&limit=5", "", "", func(q url.Values) (any, error) {
			f, err := performance.RecordedQuery(q)
			return f.Mission + " " + f.Period, err
		}, "MINUSCA 2017"},
		{"limit=0", `limit: "0" must be 1–10000`, "limit", func(q url.Values) (any, error) { return performance.RecordedQuery(q) }, ""},
		{"period=soon", `period: period "soon": year "soon" outside 1900–2200 (want 2019, 2019-Q3, 2019-07 or 2019-01..2019-06)`, "period", func(q url.Values) (any, error) { return performance.RecordedQuery(q) }, ""},
		{"month=2019-07&lang=fr&format=pdf&mission=M", "", "", func(q url.Values) (any, error) {
			b, err := performance.ParseBriefQuery(q)
			return b.Month.String() + " " + b.Lang + " " + b.Format + " " + b.Mission, err
		}, "2019-07 fr pdf M"},
		{"month=2019-07", "", "", func(q url.Values) (any, error) {
			b, err := performance.ParseBriefQuery(q)
			return b.Lang + " " + b.Format, err
		}, "en html"},
		{"month=2019", "month: 2019 is not one month (YYYY-MM)", "month", func(q url.Values) (any, error) { return performance.ParseBriefQuery(q) }, ""},
		{"", "month is required (2019, 2019-Q3, 2019-07 or 2019-01..2019-06)", "month", func(q url.Values) (any, error) { return performance.ParseBriefQuery(q) }, ""},
		{"month=2019-07&format=doc", `format: "doc": want html, pdf or json`, "format", func(q url.Values) (any, error) { return performance.ParseBriefQuery(q) }, ""},
	}, func(c queryCase) (string, string, string, any, func(url.Values) (any, error)) {
		return c.q, c.text, c.field, c.want, c.parse
	})
}

// TestServiceRefusals: what a request may not say is refused before
// anything is read or written.
func TestServiceRefusals(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	_, err := svc.PutFramework(ctx, "ana", "MINUSCA", -1, &performance.Framework{Mission: "MONUSCO"})
	apperrtest.Invalid(t, "PutFramework", err, `mission "MONUSCO" in the body is not "MINUSCA" of the path`, "mission")
	_, err = svc.PutCompact(ctx, "ana", "MINUSCA", "cmp", performance.Compact{ID: "other"})
	apperrtest.Invalid(t, "PutCompact", err, `compact id "other" in the body is not "cmp" of the path`, "id")
	_, err = svc.EnterManual(ctx, "ana", performance.ManualValue{EnteredBy: "someone"})
	apperrtest.Invalid(t, "EnterManual", err, "entered_by and entered_at are set by the server", "entered_by")
	_, err = svc.ChangeCommitmentStatus(ctx, "ana", "MINUSCA", "c-1", performance.StatusChange{Status: "met", By: "x"})
	apperrtest.Invalid(t, "ChangeCommitmentStatus", err, "by is set by the server", "by")
	_, err = svc.RecordedFor(ctx, mustParse(t, url.ParseQuery, "limit=20000"))
	apperrtest.Invalid(t, "RecordedFor", err, `limit: "20000" must be 1–10000`, "limit")
	_, err = svc.BriefFor(ctx, "ana", mustParse(t, url.ParseQuery, "month=2019-07&lang=de"))
	apperrtest.Invalid(t, "BriefFor", err, `lang: "de": want en or fr`, "lang")
	_, err = svc.FrameworkAnswer(ctx, "MINUSCA", mustParse(t, url.ParseQuery, "format=csv&x=1"))
	apperrtest.Invalid(t, "FrameworkAnswer", err, `unknown parameter "x" (allowed: format)`, "x")
}

// TestImportUpload: an uploaded framework's errors name the file as
// uploaded; its export is a file named after the mission.
func TestImportUpload(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	head := "objective_id,objective,result_id,result,indicator_id,indicator,params,area,owner,unit,direction,baseline,baseline_period,target_period,target,disaggregations,commitment\n"
	bad := head + "poc,P,poc-1,R,x,civilian-killings,,MLI,JMAC,deaths,lower,,,2019,5,,\n"
	_, err := svc.ImportUpload(ctx, "ana", "MINUSMA", performance.Upload{Format: "csv", Name: "plan 2019.csv", Data: bad})
	if err == nil || !strings.HasPrefix(err.Error(), `plan 2019.csv:2: column indicator: unknown indicator "civilian-killings"`) {
		t.Errorf("import error %v", err)
	}
	_, err = svc.ImportUpload(ctx, "ana", "MINUSMA", performance.Upload{Format: "csv", Data: bad})
	if err == nil || !strings.HasPrefix(err.Error(), "framework.csv:2:") {
		t.Errorf("unnamed import error %v", err)
	}
	good := head + "poc,P,poc-1,R,x,civilian-deaths,,MLI,JMAC,deaths,lower,,,2019,5,,\n"
	rev, err := svc.ImportUpload(ctx, "ana", "MINUSMA", performance.Upload{Format: "csv", Name: "plan.csv", Data: good})
	if err != nil || rev.Revision != 1 || rev.Framework.Mission != "MINUSMA" {
		t.Fatalf("import %+v %v", rev, err)
	}
	for _, c := range []struct{ format, name, typ string }{
		{"csv", "MINUSMA-framework.csv", "text/csv; charset=utf-8"},
		{"json", "MINUSMA-framework.json", "application/json; charset=utf-8"},
	} {
		v, err := svc.FrameworkAnswer(ctx, "MINUSMA", mustParse(t, url.ParseQuery, "format="+c.format))
		f, ok := v.(*download.File)
		if err != nil || !ok || f.Name != c.name || f.Type != c.typ || len(f.Body) == 0 {
			t.Errorf("%s export %+v %v", c.format, v, err)
		}
	}
	v, err := svc.FrameworkAnswer(ctx, "MINUSMA", url.Values{})
	if r, ok := v.(performance.Revised); err != nil || !ok || r.Revision != 1 {
		t.Errorf("framework %+v %v", v, err)
	}
}

// FuzzParseValueQuery: any query string parses or is refused naming a
// field, never panics.
func FuzzParseValueQuery(f *testing.F) {
	apperrtest.FuzzQuery(f, []string{"indicator=deaths&period=2017", "indicator=deaths&period=2017-01..2017-06&area=CAF&by=type&type=1", "indicator=&period=", "period=2019-Q9&area=%00"}, func(t *testing.T, s string, q url.Values) {
		if _, err := performance.ParseValueQuery(q); err != nil && apperr.FieldOf(err) == "" {
			t.Errorf("%q: error %v names no field", s, err)
		}
	})
}
