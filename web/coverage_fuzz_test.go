package web

import "testing"

// FuzzCoverageRequests sends arbitrary JSON bodies to the coverage POST
// endpoints and arbitrary queries to its GET endpoints; every answer must be
// below 500 (bad input is a 4xx with a message, never a crash).
func FuzzCoverageRequests(f *testing.F) {
	seeds := []routeSeed{
		{0, `{"format":"csv","name":"a.csv","data":"id,mission,lat,lon,start,end\na,M,4.39,18.55,2017-01,2017-12\n"}`},
		{0, `{"format":"geojson","data":"{\"type\":\"FeatureCollection\",\"features\":[]}"}`},
		{0, `{"format":"geopko","data":"mission,year,month,latitude,longitude,no.troops\nM,2017,1,4.39,18.55,150\n"}`},
		{1, `{"month":"2017-07","p":2,"mobility":"vehicle"}`},
		{1, `{"month":"2017-07","budget":3,"candidates":[{"id":"x","lat":4,"lon":18,"cost":1}]}`},
		{1, `{"month":"2017-07","p":1,"candidates":[{"id":"x","lat":400,"lon":18}]}`},
		{2, `{"month":"2017-07","lat":4.4,"lon":18.6,"mobility":"foot"}`},
		{3, `{"month":"2017-07","share":0.26,"basis":"cost"}`},
		{4, `{"name":"n","kind":"cut","month":"2017-07","body":{"x":1}}`},
		{5, `month=2017-07&bbox=14,2,28,11`},
		{6, `month=latest&limit=3`},
		{7, `from=2017-01&to=2017-12`},
		{8, `month=2017-07&mission=MINUSCA`},
		{9, `{"name":"p.csv","data":"gid,population,friction\n137203,1000,2\n"}`},
		{9, `{"data":"cell,year,population\n137203,2015,10\n137203,2015,1\n"}`},
		{10, `{"rainy_months":{"Central African Republic":[5,6,7]}}`},
		{10, `{"rainy_months":{"Mali":null,"Atlantis":[13]}}`},
		{11, ``},
	}
	e := newEnv(f)
	resp, b := e.do(nil, "POST", "/api/v1/coverage/deployments", reqOpt{token: e.tokens["ana"],
		body: `{"format":"csv","name":"s.csv","data":"id,mission,lat,lon,start,end,military\nbangui,MINUSCA,4.3947,18.5582,2014-09,2018-12,1200\n"}`})
	if resp.StatusCode != 200 {
		f.Fatalf("seeding a deployment: %d %s", resp.StatusCode, b)
	}
	const c = "/api/v1/coverage"
	routes := []fuzzRoute{
		{"POST", c + "/deployments"}, {"POST", c + "/plan"}, {"POST", c + "/try"}, {"POST", c + "/cut"}, {"POST", c + "/scenarios"},
		{"GET", c + "?"}, {"GET", c + "/gaps?"}, {"GET", c + "/responsiveness?"}, {"GET", c + "/deployments?"},
		{"POST", c + "/population"}, {"PUT", c + "/seasons"}, {"GET", c + "/population?"},
	}
	fuzzRoutes(f, e, e.tokens["ana"], routes, seeds)
}
