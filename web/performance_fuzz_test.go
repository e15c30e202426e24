package web

import (
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/performance"
)

// FuzzPerformanceRequests sends arbitrary bodies to the performance write
// endpoints (framework import and PUT, compacts, commitment status, manual
// values, record, acknowledging a leadership alert) and arbitrary queries to its reads; every answer must be
// below 500: bad input is a 4xx naming the field, never a crash.
func FuzzPerformanceRequests(f *testing.F) {
	seeds := []routeSeed{
		{0, `{"format":"csv","name":"f.csv","data":"objective_id,result_id,indicator_id,indicator,area,target_period,target\no,r,i,deaths,CAF,2017,3\n"}`},
		{0, `{"format":"json","data":"{\"objectives\":[]}"}`},
		{0, `{"format":"csv","data":"objective_id,result_id,indicator_id,indicator\no,r,i,risk-covered\n"}`},
		{1, `{"objectives":[{"id":"o","title":"O","results":[{"id":"r","title":"R","indicators":[{"id":"i","indicator":"events","area":"CAF","targets":[{"period":"2017-Q3","value":4}]}]}]}]}`},
		{1, `{"mission":"other","objectives":[]}`},
		{2, `{"title":"C","parties":[{"id":"g","name":"G","kind":"host-government"}],"commitments":[{"id":"k","party":"g","text":"t","deadline":"2017-12-31"}]}`},
		{3, `{"status":"met","note":"n"}`},
		{3, `{"status":"met","date":"2017-02-30"}`},
		{4, `{"indicator":"x","period":"2017","area":"CAF","value":1,"source":"s","evidence":"https://e"}`},
		{4, `{"indicator":"x","period":"2017","area":"CAF","value":1,"low":2,"source":"s"}`},
		{5, `period=2017`},
		{6, `indicator=civilian-deaths&period=2017-Q3&area=CAF&type=3`},
		{6, `indicator=alert-sla-share&period=2017&by=priority`},
		{7, `period=2017-01..2017-06`},
		{8, `month=2017-07&lang=fr&format=json&mission=MINUSCA`},
		{9, `format=csv`},
		{10, `{"note":"Patrol sent back to Bria"}`},
		{10, `{"note":"\u0000"}`},
		{6, `indicator=harmful-speech-share&period=2017&by=lang&min_score=0.7`},
		{6, `indicator=integrity-response-hours&period=2017&to=responded&q=0.9`},
	}
	e := newEnv(f)
	cells, err := demo.ReferenceCells()
	if err != nil {
		f.Fatal(err)
	}
	e.s.Performance = &performance.Service{Store: e.db, Events: e.db, Deployments: e.db, Forecasts: e.db, Alerts: e.db, Settings: e.db, Integrity: e.db, Cells: cells}
	if _, err := e.db.RecordTriggers(f.Context(), "watch", []performance.Withdrawal{{Cell: 130329, Month: "2018-03", Fired: true}}, func(performance.Withdrawal) bool { return true }); err != nil {
		f.Fatal(err)
	}
	const fw = "/api/v1/performance/frameworks/MINUSCA"
	resp, b := e.do(nil, "POST", fw+"/import", reqOpt{token: e.tokens["ana"], body: `{"format":"csv","data":"objective_id,result_id,indicator_id,indicator,area,target_period,target\no,r,i,deaths,CAF,2017,3\n"}`})
	if resp.StatusCode != 200 {
		f.Fatalf("seeding a framework: %d %s", resp.StatusCode, b)
	}
	e.do(nil, "PUT", fw+"/compacts/c", reqOpt{token: e.tokens["ana"], body: `{"parties":[{"id":"g","name":"G","kind":"host-government"}],"commitments":[{"id":"k","party":"g","text":"t","deadline":"2017-12-31"}]}`})
	routes := []fuzzRoute{
		{"POST", fw + "/import"}, {"PUT", fw}, {"PUT", fw + "/compacts/c"}, {"POST", fw + "/commitments/k/status"}, {"POST", "/api/v1/performance/manual"},
		{"POST", fw + "/record?"}, {"GET", "/api/v1/performance/value?"}, {"GET", fw + "/status?"}, {"GET", "/api/v1/performance/brief?"}, {"GET", fw + "?"},
		{"POST", "/api/v1/performance/alerts/130329/2018-03/ack"},
	}
	fuzzRoutes(f, e, e.tokens["ana"], routes, seeds)
}
