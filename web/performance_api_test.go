package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/starter"
)

// perfEnv is a test server with the CAR UCDP events and a performance
// service over its store.
func perfEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t)
	loadCAR(t, e)
	cells, err := demo.ReferenceCells()
	if err != nil {
		t.Fatal(err)
	}
	e.s.Performance = &performance.Service{Store: e.db, Events: e.db, Deployments: e.db, Forecasts: e.db, Alerts: e.db, Settings: e.db, Cells: cells,
		Places: e.s.Places} // the gazetteer the server built, as serve gives it
	return e
}

// perfCaller returns a function that sends a request with a token and
// fails the test unless the answer has the wanted status.
func perfCaller(t *testing.T, e *testEnv) func(tok, method, path, body string, want int) []byte {
	return func(tok, method, path, body string, want int) []byte {
		t.Helper()
		resp, b := e.do(nil, method, path, reqOpt{token: tok, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		return b
	}
}

const perfCSV = `objective_id,objective,result_id,result,indicator_id,indicator,params,area,owner,unit,direction,baseline,baseline_period,target_period,target,disaggregations,commitment
poc,Protection of civilians,poc-1,Fewer civilians killed,cd-caf,civilian-deaths,type=3,République centrafricaine,JMAC,deaths,lower,1500,2014,2017,500,,
poc,Protection of civilians,poc-1,Fewer civilians killed,ev-caf,events,type=3,CAF,JMAC,events,lower,,,2017,5000,,
`

// TestPerformanceRoles: one role rule for the indicator reads. A viewer
// reads the status of a framework, so it reads the same values one by one
// too, perception included (design-based aggregates; cells under the
// survey's small-cell rule carry no numbers: performance TestPerception);
// changes need the analyst.
func TestPerformanceRoles(t *testing.T) {
	e := perfEnv(t)
	const fw = "/api/v1/performance/frameworks/MINUSCA"
	imp, _ := json.Marshal(map[string]string{"format": "csv", "name": "car.csv", "data": perfCSV})
	for _, c := range []struct {
		user, method, path, body string
		want                     int
	}{
		{"", "GET", "/api/v1/performance/value?indicator=perception&period=2019&form=x", "", 401},
		{"", "GET", fw + "/status?period=2017", "", 401},
		{"vic", "POST", fw + "/import", string(imp), 403},
		{"ana", "POST", fw + "/import", string(imp), 200},
		{"vic", "GET", fw + "/status?period=2017", "", 200},
		{"vic", "GET", "/api/v1/performance/value?indicator=perception&period=2019&form=x", "", 200},
		{"vic", "GET", "/api/v1/performance/value?indicator=perception&period=2019&form=x&by=sex", "", 200},
		{"ana", "GET", "/api/v1/performance/value?indicator=perception&period=2019&form=x", "", 200},
		{"vic", "GET", "/api/v1/performance/value?indicator=civilian-deaths&period=2017&area=CAF", "", 200},
		{"vic", "POST", fw + "/record?period=2017", "", 403},
		{"ana", "POST", fw + "/record?period=2017", "", 200},
	} {
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: e.tokens[c.user], body: c.body})
		if resp.StatusCode != c.want {
			t.Errorf("%s %s as %q: %d, want %d: %s", c.method, c.path, c.user, resp.StatusCode, c.want, b)
		}
	}
}

func TestPerformanceAPI(t *testing.T) {
	e := perfEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	call := perfCaller(t, e)
	imp := func(data string) string {
		b, _ := json.Marshal(map[string]string{"format": "csv", "name": "car.csv", "data": data})
		return string(b)
	}
	const fw = "/api/v1/performance/frameworks/MINUSCA"

	// Roles and login.
	call("", "GET", "/api/v1/performance/indicators", "", 401)
	call(vic, "POST", fw+"/import", imp(perfCSV), 403)
	call(vic, "PUT", fw, `{"objectives":[]}`, 403)

	// A bad file names the line and column and writes nothing.
	for _, c := range []struct{ data, field, msg string }{
		{strings.Replace(perfCSV, "ev-caf,events", "ev-caf,no-such", 1), "indicator", "car.csv:3: column indicator"},
		{strings.Replace(perfCSV, "2017,500", "2017-13,500", 1), "target_period", "car.csv:2: column target_period"},
		{strings.Replace(perfCSV, "République centrafricaine", "Atlantis", 1), "area", "car.csv:2: column area"},
	} {
		b := call(ana, "POST", fw+"/import", imp(c.data), 400)
		msg, field := jsonErr(t, b)
		if field != c.field || !strings.Contains(msg, c.msg) {
			t.Errorf("import error %q field %q, want %q naming %q", msg, field, c.field, c.msg)
		}
	}
	call(vic, "GET", fw, "", 404)
	b := call(ana, "PUT", fw, `{"objectives":[{"id":"x","title":"X","results":[{"id":"r","title":"R","indicators":[{"id":"i","indicator":"deaths","area":"CAF","unit":"deaths","direction":"lower","targets":[{"period":"2017","value":0.5}]}]}]}]}`, 400)
	if msg, field := jsonErr(t, b); field != "objectives[0].results[0].indicators[0].targets" || !strings.Contains(msg, "whole number") {
		t.Errorf("PUT error %q field %q", msg, field)
	}
	call(vic, "GET", fw, "", 404)

	// Import, read back, export.
	call(ana, "POST", fw+"/import", imp(perfCSV), 200)
	var got struct {
		Revision  int
		Framework performance.Framework
	}
	json.Unmarshal(call(vic, "GET", fw, "", 200), &got)
	if got.Revision != 1 || got.Framework.Objectives[0].Results[0].Indicators[0].Area != "CAF" {
		t.Fatalf("framework %+v", got)
	}
	csv := call(vic, "GET", fw+"?format=csv", "", 200)
	if !strings.Contains(string(csv), "#indicator+code") || !strings.Contains(string(csv), "cd-caf,civilian-deaths,type=3,CAF") {
		t.Errorf("export %s", csv)
	}
	// A stale revision is refused.
	body, _ := json.Marshal(got.Framework)
	call(ana, "PUT", fw+"?revision=0", string(body), 409)
	call(ana, "PUT", fw+"?revision=1", string(body), 200)

	// Status: the value equals /value's, and is judged against the target.
	var st []performance.IndicatorStatus
	json.Unmarshal(call(vic, "GET", fw+"/status?period=2017", "", 200), &st)
	if len(st) != 2 {
		t.Fatalf("status %+v", st)
	}
	var v performance.Value
	json.Unmarshal(call(vic, "GET", "/api/v1/performance/value?indicator=civilian-deaths&period=2017&area=CAF&type=3", "", 200), &v)
	if v.NoData || v.Number() != st[0].Value.Number() || *v.CILow != *st[0].Value.CILow || v.Prov.Sources[0].SHA256 == "" {
		t.Errorf("value %+v, status value %+v", v, st[0].Value)
	}
	if st[0].Status.Status == "" || st[0].Status.Reason == "" || st[0].Trend.Reason == "" {
		t.Errorf("status %+v", st[0])
	}
	// Without area: one value per area the data covers.
	var all []performance.Value
	json.Unmarshal(call(vic, "GET", "/api/v1/performance/value?indicator=deaths&period=2017", "", 200), &all)
	if len(all) == 0 || all[0].Area == "" {
		t.Errorf("values by area %+v", all)
	}
	// Bad queries name the field.
	for _, c := range []struct{ q, field string }{
		{"indicator=deaths&period=2017-Q5", "period"},
		{"indicator=nope&period=2017", "indicator"},
		{"indicator=deaths&period=2017&area=Atlantis", "area"},
		{"indicator=deaths&period=2017&colour=red", "colour"},
		{"indicator=civilian-deaths&period=2017&by=sex", "by"},
		{"period=2017", "indicator"},
	} {
		b := call(vic, "GET", "/api/v1/performance/value?"+c.q, "", 400)
		if _, field := jsonErr(t, b); field != c.field {
			t.Errorf("%s: field %q, want %q", c.q, field, c.field)
		}
	}

	// Record keeps the values with provenance.
	call(vic, "POST", fw+"/record?period=2017", "", 403)
	call(ana, "POST", fw+"/record?period=2017", "", 200)
	var rec []performance.Recorded
	json.Unmarshal(call(vic, "GET", "/api/v1/performance/values?mission=MINUSCA&framework_id=cd-caf", "", 200), &rec)
	if len(rec) != 1 || rec[0].Value.Number() != v.Number() || rec[0].RecordedBy != "ana" {
		t.Errorf("recorded %+v", rec)
	}

	// Manual values and compacts.
	b = call(ana, "POST", "/api/v1/performance/manual", `{"indicator":"local-agreements","period":"2017","area":"CAF","value":3,"source":""}`, 400)
	if _, field := jsonErr(t, b); field != "source" {
		t.Errorf("manual field %q", field)
	}
	call(ana, "POST", "/api/v1/performance/manual", `{"indicator":"local-agreements","period":"2017","area":"CAF","value":3,"source":"Civil Affairs"}`, 201)
	compact := `{"title":"Compact","parties":[{"id":"gov","name":"Government","kind":"host-government"}],"commitments":[{"id":"c-1","party":"gov","text":"Police in Bria","deadline":"2017-12-31"}]}`
	call(ana, "PUT", fw+"/compacts/cmp", compact, 200)
	call(ana, "PUT", fw+"/compacts/cmp", strings.Replace(compact, `"gov","text"`, `"nobody","text"`, 1), 400)
	call(ana, "POST", fw+"/commitments/c-1/status", `{"status":"met","note":"3 stations"}`, 200)
	b = call(ana, "POST", fw+"/commitments/c-1/status", `{"status":"finished"}`, 400)
	if _, field := jsonErr(t, b); field != "status" {
		t.Errorf("commitment status field %q", field)
	}
	var cs struct {
		Compacts []performance.Compact
		Owes     []performance.Owed
	}
	json.Unmarshal(call(vic, "GET", fw+"/compacts", "", 200), &cs)
	if len(cs.Owes) != 1 || cs.Owes[0].Commitments[0].Status != "met" || cs.Owes[0].Commitments[0].History[0].By != "ana" {
		t.Errorf("owes %+v", cs.Owes)
	}

	// Every change is in the audit log.
	for _, a := range []string{"performance.framework.save", "performance.values.record", "performance.manual.add"} {
		recs, err := e.db.AuditLog(t.Context(), audit.Filter{Action: a})
		if err != nil || len(recs) == 0 || recs[0].Actor != "ana" {
			t.Errorf("audit %s: %+v %v", a, recs, err)
		}
	}

	// Watch (no deployments: nothing found, said plainly) and delete.
	var w performance.WatchReport
	json.Unmarshal(call(vic, "GET", "/api/v1/performance/watch", "", 200), &w)
	if w.Found != 0 || w.Trigger == "" {
		t.Errorf("watch %+v", w)
	}
	call(vic, "DELETE", fw, "", 403)
	call(ana, "DELETE", fw, "", 204)
	call(ana, "DELETE", fw, "", 404)
}

// TestPerformanceBriefMatchesAPI: every number the brief shows (headline
// values, the framework's values and targets) is the one GET
// /api/v1/performance/value gives, to the last digit, in the JSON, the HTML
// page and the PDF (in the French ones written for a French reader, and
// read back to the same number).
func TestPerformanceBriefMatchesAPI(t *testing.T) {
	e := perfEnv(t)
	keys := testutil.Keys(t, "k")
	e.s.Performance.Surveys = &surveys.Service{Store: e.db, Keys: keys, Auditor: e.db}
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	get := func(path string, want int) []byte {
		t.Helper()
		resp, b := e.do(nil, "GET", path, reqOpt{token: vic})
		if resp.StatusCode != want {
			t.Fatalf("GET %s: %d, want %d: %s", path, resp.StatusCode, want, b)
		}
		return b
	}
	imp, _ := json.Marshal(map[string]string{"format": "csv", "data": strings.ReplaceAll(perfCSV, ",2017,", ",2018-06,")})
	if resp, b := e.do(nil, "POST", "/api/v1/performance/frameworks/MINUSCA/import", reqOpt{token: ana, body: string(imp)}); resp.StatusCode != 200 {
		t.Fatalf("import: %s", b)
	}
	const q = "month=2018-06&mission=MINUSCA"
	var br performance.Brief
	if err := json.Unmarshal(get("/api/v1/performance/brief?format=json&"+q, 200), &br); err != nil {
		t.Fatal(err)
	}
	html := string(get("/api/v1/performance/brief?lang=fr&"+q, 200))
	htmlEN := string(get("/api/v1/performance/brief?"+q, 200))
	pdf := string(get("/api/v1/performance/brief?format=pdf&"+q, 200))
	pdfFR := string(get("/api/v1/performance/brief?format=pdf&lang=fr&"+q, 200))
	if !strings.HasPrefix(pdf, "%PDF-") || !strings.HasPrefix(pdfFR, "%PDF-") {
		t.Fatalf("not a PDF: %.20q %.20q", pdf, pdfFR)
	}
	// The French brief writes numbers for a French reader (134,32;
	// 1 234; 30,85 %): each is found in it as FormatNumberLang writes it
	// and reads back (ParseNumber) as the API's number. In the PDF, whose
	// core fonts have no U+202F, a no-break space (0xA0) stands in. (A
	// minus sign, U+2212, is printed from the Symbol font in a string of
	// its own, performance.TestBriefPDFMinus: the values checked here are
	// not negative.)
	// written is p as the brief writes it for a reader of lang, and the
	// API's number it must read back as (a share: its percentage).
	// A count (deaths, events) is written as a whole number (27.73 → 28).
	written := func(p *float64, unit, lang string) (string, float64) {
		t.Helper()
		if performance.CountUnits[unit] {
			r := math.Round(*p)
			p = &r
		}
		s := performance.FormatNumberLang(p, unit, lang)
		x, err := performance.ParseNumber(s, lang)
		want := *p
		if unit == "share" {
			want = math.Round(*p*10000) / 100
		}
		if err != nil || math.Abs(x-want) > 1e-9 {
			t.Errorf("%q reads back as %v (%v), want %v", s, x, err, want)
		}
		return s, want
	}
	localized := 0
	inFR := func(p *float64, unit string) bool {
		t.Helper()
		s, _ := written(p, unit, "fr")
		if s != performance.FormatNumber(p, unit) {
			localized++
		}
		return strings.Contains(html, s) && strings.Contains(pdfFR, strings.NewReplacer("\u202f", "\xa0", "\u2212", "-").Replace(s))
	}
	// The English brief groups the digits of numbers of 1,000 or more by
	// three with commas (1,234; 12,345.6): each number is found in the
	// English page and PDF as written so, and reads back as the API's.
	groupedEN := 0
	grouped := regexp.MustCompile(`^-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?%?$`)
	inEN := func(p *float64, unit string) bool {
		t.Helper()
		s, want := written(p, unit, "en")
		if math.Abs(want) >= 1000 {
			if !grouped.MatchString(s) {
				t.Errorf("English %v written %q: digits not grouped by three with commas", want, s)
			}
			groupedEN++
		}
		return strings.Contains(htmlEN, s) && strings.Contains(pdf, s)
	}
	if len(br.Headlines) < 5 || len(br.Targets) != 2 {
		t.Fatalf("brief: %d headlines, %d targets", len(br.Headlines), len(br.Targets))
	}
	checked := 0
	check := func(v performance.Value) {
		t.Helper()
		path := "/api/v1/performance/value?" + url.Values{"indicator": {v.Indicator}, "period": {v.Period}, "area": {v.Area}}.Encode()
		for k, p := range v.Params {
			path += "&" + url.QueryEscape(k) + "=" + url.QueryEscape(p)
		}
		var api performance.Value
		json.Unmarshal(get(path, 200), &api)
		if api.NoData != v.NoData || fmt.Sprint(api.Value) != fmt.Sprint(v.Value) && (api.Value == nil || v.Value == nil || *api.Value != *v.Value) {
			t.Errorf("%s %s %s: brief %v, API %v", v.Indicator, v.Period, v.Area, v.Value, api.Value)
			return
		}
		if api.Value == nil {
			return
		}
		for _, p := range []*float64{api.Value, api.CILow} {
			if p == nil {
				continue
			}
			if s := performance.FormatNumber(p, api.Unit); !inEN(p, api.Unit) || !inFR(p, api.Unit) {
				t.Errorf("%s %s %s: %s (from the API), localized, is not in the English and French pages and PDFs", v.Indicator, v.Period, v.Area, s)
			}
		}
		checked++
	}
	for _, h := range append(append([]performance.Headline{}, br.Headlines...), br.Alerts...) {
		check(h.Value)
	}
	for _, s := range br.Targets {
		check(s.Value)
		if s.Target != nil && (!inFR(s.Target, s.Value.Unit) || !inEN(s.Target, s.Value.Unit)) {
			t.Errorf("target %v of %s not in the briefs", *s.Target, s.ID)
		}
	}
	if checked < 3 || localized == 0 || groupedEN == 0 {
		t.Errorf("only %d values with a number checked, %d written differently in French, %d of 1,000 or more in English: the checks cannot fail", checked, localized, groupedEN)
	}
	if !strings.Contains(html, "Cadre de résultats") || !strings.Contains(html, "cd-caf") {
		t.Error("the French brief has no framework section")
	}
	// The French brief gives each status its reason, in French: no English
	// reason, note or caveat in the page or the PDF.
	for _, s := range br.Targets {
		m := s.Status.Msg
		if performance.CountUnits[s.Value.Unit] { // a count's levels whole, as the brief's row
			m.Args = maps.Clone(m.Args)
			m.Args["scale"] = "count"
		}
		fr := m.Text("fr")
		if s.Status.Msg.Code == "" || !strings.Contains(html, strings.ReplaceAll(fr, "'", "&#39;")) {
			t.Errorf("%s: reason %q (%s) not in the French brief", s.ID, fr, s.Status.Msg.Code)
		}
	}
	enFragments := 0
	for _, en := range EnglishReasonFragments() {
		if strings.Contains(html, en) || strings.Contains(pdfFR, en) {
			t.Errorf("the French brief has the English %q", en)
		}
		if strings.Contains(htmlEN, en) {
			enFragments++
		}
	}
	if enFragments < 3 {
		t.Errorf("the English brief has %d English reason fragments: the check above cannot fail", enFragments)
	}
	// Data sources are named in the brief's language: "events:" in the
	// English brief, "événements :" (never "events:") in the French one.
	for _, c := range []struct{ doc, want, not string }{{htmlEN, "<li>events: ", "<li>événements"}, {html, "<li>événements\u00a0: ", "<li>events:"}} {
		if !strings.Contains(c.doc, c.want) || strings.Contains(c.doc, c.not) {
			t.Errorf("brief sources: want %q and no %q", c.want, c.not)
		}
	}
	// Perception changes: with form=, the brief (JSON, pages and PDFs)
	// has a row for each of the form's perception indicators (the starter
	// form's seven, from the demo answers of November and December 2018),
	// named in the brief's language, its value and interval the API's.
	if n, err := demo.LoadSurvey(t.Context(), e.db, keys, "test"); err != nil || n != demo.SurveyResponses {
		t.Fatalf("demo survey: %d %v", n, err)
	}
	const qp = "month=2018-12&form=" + starter.FormID
	br = performance.Brief{}
	if err := json.Unmarshal(get("/api/v1/performance/brief?format=json&"+qp, 200), &br); err != nil {
		t.Fatal(err)
	}
	html, htmlEN = string(get("/api/v1/performance/brief?lang=fr&"+qp, 200)), string(get("/api/v1/performance/brief?"+qp, 200))
	pdf, pdfFR = string(get("/api/v1/performance/brief?format=pdf&"+qp, 200)), string(get("/api/v1/performance/brief?format=pdf&lang=fr&"+qp, 200))
	// Reading the form's sealed answers is audited once per brief (five
	// briefs asked for above), saying what for: not once per computation
	// (15 per perception row, 105 a brief before).
	recs, err := e.db.AuditLog(t.Context(), audit.Filter{Actor: "vic", Action: "survey.read", Object: "form:" + starter.FormID, Limit: 1000})
	if err != nil || len(recs) != 5 || !strings.HasSuffix(recs[0].Detail, "; read for the monthly brief of 2018-12") {
		t.Errorf("survey reads audited for 5 briefs: %d %v (first %+v), want 5", len(recs), err, recs[:min(1, len(recs))])
	}
	if len(br.Perception) != len(starter.Indicators()) {
		t.Fatalf("brief with form %s: %d perception rows, want %d", starter.FormID, len(br.Perception), len(starter.Indicators()))
	}
	checked = 0
	for i, h := range br.Perception {
		ind := starter.Indicators()[i]
		if h.Value.Params["id"] != ind.ID || h.Label != ind.Label || h.Value.NoData {
			t.Errorf("perception row %d: %s %q no data %v, want %s", i, h.Value.Params["id"], h.Label, h.Value.NoData, ind.ID)
		}
		check(h.Value)
		if !strings.Contains(htmlEN, ind.Label) || !strings.Contains(html, strings.ReplaceAll(ind.LabelFR, "'", "&#39;")) {
			t.Errorf("perception %s: its label is not in the English and French pages", ind.ID)
		}
		if n := len(h.Spark); n != 12 || h.Spark[n-1] == nil || h.Spark[n-2] == nil || *h.Spark[n-1] != *h.Value.Value {
			t.Errorf("perception %s: the 12 months' change %v does not end with November and December 2018", ind.ID, h.Spark)
		}
	}
	if checked != len(starter.Indicators()) || !strings.Contains(htmlEN, "<h2>Perception</h2>") {
		t.Errorf("%d perception values checked; perception section in the page: %v", checked, strings.Contains(htmlEN, "<h2>Perception</h2>"))
	}
	get("/api/v1/performance/brief?month=2018-13", 400)
	get("/api/v1/performance/brief?month=2018&format=pdf", 400)
	get("/api/v1/performance/brief?month=2018-06&lang=de", 400)
	get("/api/v1/performance/brief?month=2018-06&mission=NOPE", 404)
}

// EnglishReasonFragments are the English words of the reasons' catalog
// that the French text does not share (each piece of an English text
// between its placeholders, 12 characters or more).
func EnglishReasonFragments() []string {
	var out []string
	ph := regexp.MustCompile(`\{\w+\}`)
	for _, code := range performance.ReasonCodes() {
		l := performance.Reasons[code]
		for _, piece := range ph.Split(l[0], -1) {
			if piece = strings.TrimSpace(piece); len(piece) >= 12 && !strings.Contains(l[1], piece) {
				out = append(out, piece)
			}
		}
	}
	return out
}

// TestPerformanceOptions: two saved coverage scenarios (a plan opening a
// TOB, a cut) attached to one gap come back side by side with their effect
// on covered weight as the planner computed it, and the brief lists them.
func TestPerformanceOptions(t *testing.T) {
	e := perfEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	call := perfCaller(t, e)
	var plan, cut struct{ ID int64 }
	json.Unmarshal(call(ana, "POST", "/api/v1/coverage/scenarios", `{"name":"TOB Bambari","kind":"plan","month":"2018-06","body":{"chosen":[{"id":"tob-1","lat":5.76,"lon":20.67,"cost":2}],"covered_weight_before":12,"covered_weight_after":20,"total_weight":40,"cells_gained":[1]}}`, 201), &plan)
	json.Unmarshal(call(ana, "POST", "/api/v1/coverage/scenarios", `{"name":"Cut 25%","kind":"cut","month":"2018-06","body":{"targeted":{"strategy":"targeted","withdrawn":["Bria"],"removed":300,"covered_before":12,"covered_after":10,"total_weight":40},"thinning":{"strategy":"thinning","withdrawn":[],"removed":300,"covered_before":12,"covered_after":7,"total_weight":40}}}`, 201), &cut)
	var try struct{ ID int64 } // a TOB tried on the map: the site "proposed", no cost
	json.Unmarshal(call(ana, "POST", "/api/v1/coverage/scenarios", `{"name":"TOB Ippy","kind":"try","month":"2018-06","body":{"candidate":{"id":"proposed","lat":6.25,"lon":21.22,"cost":0,"mobility":"vehicle"},"weight_gained":3,"cells_gained":[1],"covered_weight_before":12,"total_weight":40}}`, 201), &try)
	const op = "/api/v1/performance/frameworks/MINUSCA/options"
	call(vic, "POST", op, fmt.Sprintf(`{"gap":"Ouaka","scenario_id":%d}`, plan.ID), 403)
	for _, c := range []struct{ body, field string }{
		{fmt.Sprintf(`{"gap":"","scenario_id":%d}`, plan.ID), "gap"},
		{`{"gap":"Ouaka","scenario_id":999}`, "scenario_id"},
		{fmt.Sprintf(`{"gap":"Ouaka","area":"Atlantis","scenario_id":%d}`, plan.ID), "area"},
	} {
		if _, field := jsonErr(t, call(ana, "POST", op, c.body, 400)); field != c.field {
			t.Errorf("%s: field %q, want %q", c.body, field, c.field)
		}
	}
	var added performance.Option
	json.Unmarshal(call(ana, "POST", op, fmt.Sprintf(`{"gap":"Ouaka: violence out of reach","area":"République centrafricaine","scenario_id":%d,"note":"option A"}`, plan.ID), 201), &added)
	call(ana, "POST", op, fmt.Sprintf(`{"gap":"Ouaka: violence out of reach","scenario_id":%d}`, cut.ID), 201)
	call(ana, "POST", op, fmt.Sprintf(`{"gap":"Ouaka: violence out of reach","scenario_id":%d}`, try.ID), 201)
	var gs []performance.GapOptions
	json.Unmarshal(call(vic, "GET", op, "", 200), &gs)
	// The answer to the POST is the option as stored: when and by whom too.
	if len(gs) == 1 && (added.CreatedAt.IsZero() || !added.CreatedAt.Equal(gs[0].Options[0].CreatedAt) || added.CreatedBy != "ana") {
		t.Errorf("added option %+v, stored %+v", added, gs[0].Options[0])
	}
	if len(gs) != 1 || len(gs[0].Options) != 3 || gs[0].Area != "CAF" {
		t.Fatalf("options %+v", gs)
	}
	a, b, c := gs[0].Options[0], gs[0].Options[1], gs[0].Options[2]
	if len(a.Effects) != 1 || a.Effects[0].Change != 8 || *a.Effects[0].ShareAfter != 0.5 || *a.Effects[0].Cost != 2 || a.Effects[0].Sites[0] != "tob-1" {
		t.Errorf("plan effect %+v", a.Effects)
	}
	if len(b.Effects) != 2 || b.Effects[0].Change != -2 || b.Effects[1].Change != -5 || b.Effects[0].Sites[0] != "Bria" {
		t.Errorf("cut effects %+v", b.Effects)
	}
	// The sites opened are named by their places, not by the planner's ids
	// ("tob-1", "proposed"); the tried TOB has no cost to show; a closed
	// site keeps its deployment's name.
	for _, n := range []struct {
		e      performance.Effect
		en, fr string
	}{
		{a.Effects[0], "Bambari, Ouaka (Central African Republic)", "Bambari, Ouaka (République centrafricaine)"},
		{c.Effects[0], "Ippy, Ouaka (Central African Republic)", "Ippy, Ouaka (République centrafricaine)"},
		{b.Effects[0], "Bria", "Bria"},
	} {
		if en, fr := strings.Join(n.e.SiteNames("en"), "; "), strings.Join(n.e.SiteNames("fr"), "; "); en != n.en || fr != n.fr {
			t.Errorf("%s effect's sites %v: named %q and %q, want %q and %q", n.e.Strategy, n.e.Sites, en, fr, n.en, n.fr)
		}
	}
	if len(c.Effects) != 1 || c.Effects[0].Cost != nil || c.Effects[0].Change != 3 {
		t.Errorf("tried TOB effect %+v, want a change of 3 and no cost", c.Effects)
	}
	// The brief (with a framework for the mission) lists the decision.
	imp, _ := json.Marshal(map[string]string{"format": "csv", "data": perfCSV})
	call(ana, "POST", "/api/v1/performance/frameworks/MINUSCA/import", string(imp), 200)
	html := string(call(vic, "GET", "/api/v1/performance/brief?month=2018-06&mission=MINUSCA", "", 200))
	if !strings.Contains(html, "Ouaka: violence out of reach") || !strings.Contains(html, "plan: 12 → 20 (30% → 50%), 2 [Bambari, Ouaka (Central African Republic)]") ||
		!strings.Contains(html, "(30% → 37.5%) [Ippy, Ouaka (Central African Republic)]") || strings.Contains(html, "proposed") || !strings.Contains(html, "cut: thinning: 12 → 7") {
		t.Errorf("the brief does not list the options: %s", regexp.MustCompile(`<li>[^<]*TOB[^<]*</li>`).FindAllString(html, -1))
	}
	call(ana, "DELETE", op+fmt.Sprintf("/%d", gs[0].Options[1].ID), "", 204)
	call(ana, "DELETE", op+fmt.Sprintf("/%d", gs[0].Options[2].ID), "", 204)
	call(ana, "DELETE", op+fmt.Sprintf("/%d", gs[0].Options[1].ID), "", 404)
	call(ana, "DELETE", op+"/x", "", 400)
}

// TestPerformanceAlertAck: an analyst acknowledges a leadership alert with
// a note (kept with who and when, audited); it stays on the list, marked;
// acknowledging again is a 409 naming who did; bad input names its field;
// a viewer may not.
func TestPerformanceAlertAck(t *testing.T) {
	e := perfEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	call := perfCaller(t, e)
	bria := performance.Withdrawal{Cell: 130329, Area: "CAF", Mission: "MINUSCA", Location: "Bria", Month: "2018-03", Status: performance.WEvaluated, After: 19, Expected: 3.5, Fired: true}
	if _, err := e.db.RecordTriggers(t.Context(), "withdrawal watch", []performance.Withdrawal{bria}, func(performance.Withdrawal) bool { return true }); err != nil {
		t.Fatal(err)
	}
	const ack = "/api/v1/performance/alerts/130329/2018-03/ack"
	call(vic, "POST", ack, `{"note":"seen"}`, 403)
	for _, c := range []struct {
		path, body, field string
		status            int
	}{
		{"/api/v1/performance/alerts/130329/2018-3/ack", `{"note":"x"}`, "month", 400},
		{"/api/v1/performance/alerts/x/2018-03/ack", `{"note":"x"}`, "cell", 400},
		{ack, `{"note":"` + strings.Repeat("x", performance.MaxAckNote+1) + `"}`, "note", 400},
		{ack, `{"note":"a\u0007b"}`, "note", 400},
		{"/api/v1/performance/alerts/130330/2018-03/ack", `{"note":"x"}`, "", 404},
	} {
		var ans struct{ Field string }
		json.Unmarshal(call(ana, "POST", c.path, c.body, c.status), &ans)
		if ans.Field != c.field {
			t.Errorf("%s %s: field %q, want %q", c.path, c.body, ans.Field, c.field)
		}
	}
	var tr performance.Trigger
	if err := json.Unmarshal(call(ana, "POST", ack, `{"note":"Patrol sent back to Bria; JMAC to report in two weeks"}`, 200), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.AckedBy != "ana" || tr.AckedAt == nil || tr.AckNote != "Patrol sent back to Bria; JMAC to report in two weeks" || tr.Location != "Bria" {
		t.Errorf("acknowledged: %+v", tr)
	}
	b := call(ana, "POST", ack, `{"note":"again"}`, 409)
	if !strings.Contains(string(b), "already acknowledged by ana") {
		t.Errorf("second acknowledgement: %s", b)
	}
	var list []performance.Trigger
	if err := json.Unmarshal(call(vic, "GET", "/api/v1/performance/alerts", "", 200), &list); err != nil || len(list) != 1 || list[0].AckedBy != "ana" || list[0].AckNote == "" {
		t.Errorf("alerts list: %+v %v", list, err)
	}
	recs, err := e.db.AuditLog(t.Context(), audit.Filter{Action: "performance.watch.acknowledge"})
	if err != nil || len(recs) != 1 || recs[0].Actor != "ana" {
		t.Errorf("audit: %+v %v", recs, err)
	}
}

// TestPerformanceRefusalKeys: the performance API answers its refusals with
// the message's catalog key and args beside the English error (a body that
// is not JSON, a stale revision, a bad period or country, a status that is
// not one, a framework or option that is not there): the key's English is
// the error, its French is the catalog's.
func TestPerformanceRefusalKeys(t *testing.T) {
	e := perfEnv(t)
	ana := e.tokens["ana"]
	call := perfCaller(t, e)
	const fw = "/api/v1/performance/frameworks/MINUSCA"
	imp, _ := json.Marshal(map[string]string{"format": "csv", "name": "car.csv", "data": perfCSV})
	call(ana, "POST", fw+"/import", string(imp), 200)
	compact := `{"title":"Compact","parties":[{"id":"gov","name":"Government","kind":"host-government"}],"commitments":[{"id":"c-1","party":"gov","text":"Police in Bria","deadline":"2017-12-31"}]}`
	call(ana, "PUT", fw+"/compacts/cmp", compact, 200) // revision 2
	upload := func(format, name, data string) string {
		b, _ := json.Marshal(map[string]string{"format": format, "name": name, "data": data})
		return string(b)
	}
	bria := performance.Withdrawal{Cell: 130329, Area: "CAF", Mission: "MINUSCA", Location: "Bria", Month: "2018-03", Status: performance.WEvaluated, After: 19, Expected: 3.5, Fired: true}
	if _, err := e.db.RecordTriggers(t.Context(), "withdrawal watch", []performance.Withdrawal{bria}, func(performance.Withdrawal) bool { return true }); err != nil {
		t.Fatal(err)
	}
	const ack = "/api/v1/performance/alerts/130329/2018-03/ack"
	var acked performance.Trigger
	json.Unmarshal(call(ana, "POST", ack, `{"note":"seen"}`, 200), &acked)
	for _, c := range []struct {
		method, path, body string
		status             int
		key, fr            string
	}{
		{"PUT", fw, `{"objectives": x}`, 400, "err.invalid-json", "JSON invalide\u00a0: caractère 'x' invalide là où une valeur devait commencer"},
		{"PUT", fw + "?revision=1", `{"objectives": []}`, 409, "err.changed",
			"le cadre MINUSCA est à la révision 2, pas 1\u00a0: quelqu’un d’autre l’a modifié depuis sa lecture\u00a0: rechargez-le"},
		{"GET", fw + "/status?period=2017-Q5", "", 400, "err.field",
			"period\u00a0: période «\u202f2017-Q5\u202f»\u00a0: le trimestre «\u202fQ5\u202f» n’est pas Q1 à Q4 (attendu 2019, 2019-Q3, 2019-07 ou 2019-01..2019-06)"},
		{"GET", "/api/v1/performance/value?indicator=deaths&period=2017&area=Atlantis", "", 400, "err.field",
			"area\u00a0: pays «\u202fAtlantis\u202f»\u00a0: inconnu (attendu un code ISO 3166 alpha-3 comme COD, ou un nom de pays en anglais ou en français)"},
		{"POST", fw + "/commitments/c-1/status", `{"status":"finished"}`, 400, "err.field",
			"status\u00a0: «\u202ffinished\u202f»\u00a0: attendu l’un de not-started, in-progress, met, partly-met, not-met, dropped"},
		{"GET", "/api/v1/performance/frameworks/MONUSCO", "", 404, "err.no-framework", "MONUSCO\u00a0: aucun cadre de résultats n’est enregistré pour cette mission"},
		{"DELETE", fw + "/options/99", "", 404, "err.no-option", "option 99 de MINUSCA\u00a0: cette option n’existe pas"},
		// A framework file the reader cannot read (as the page's import sends it).
		{"POST", fw + "/import", upload("csv", "empty.csv", ""), 400, "fw.at-row",
			"empty.csv, ligne 1\u00a0: colonne (en-tête)\u00a0: impossible de lire l’en-tête\u00a0: le fichier est vide"},
		{"POST", fw + "/import", upload("csv", "quote.csv", "objective_id,result_id,indicator_id,indicator\npoc,poc\"1,cd,events\n"), 400, "fw.at-row",
			"quote.csv, ligne 2\u00a0: colonne (ligne)\u00a0: erreur de lecture à la ligne 2, colonne 8\u00a0: guillemet \" dans un champ sans guillemets"},
		{"POST", fw + "/import", upload("json", "empty.json", ""), 400, "fw.at", "empty.json\u00a0: (json)\u00a0: le fichier est vide"},
		// A leadership alert that is not there, or acknowledged before.
		{"POST", "/api/v1/performance/alerts/130330/2018-03/ack", `{"note":"x"}`, 404, "err.no-alert", "aucune alerte à la direction pour ce retrait (cellule et mois)"},
		{"POST", ack, `{"note":"again"}`, 409, "err.field", "alert\u00a0: l’alerte a déjà été prise en compte par ana le " + acked.AckedAt.UTC().Format(time.RFC3339)},
	} {
		var got struct {
			Error, Key string
			Args       map[string]string
		}
		if err := json.Unmarshal(call(ana, c.method, c.path, c.body, c.status), &got); err != nil {
			t.Fatal(err)
		}
		m := performance.Msg{Code: got.Key, Args: got.Args}
		if got.Key != c.key || m.Text("en") != got.Error || m.Text("fr") != c.fr {
			t.Errorf("%s %s: key %q, error %q, English %q, French %q (want %s, %q)", c.method, c.path, got.Key, got.Error, m.Text("en"), m.Text("fr"), c.key, c.fr)
		}
	}
}
