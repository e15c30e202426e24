package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzCoverageRequests sends arbitrary JSON bodies to the coverage POST
// endpoints and arbitrary queries to its GET endpoints; every answer must be
// below 500 (bad input is a 4xx with a message, never a crash).
func FuzzCoverageRequests(f *testing.F) {
	seeds := []struct {
		route uint8
		s     string
	}{
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
	for _, s := range seeds {
		f.Add(s.route, s.s)
	}
	e := newEnv(f)
	resp, b := e.do(nil, "POST", "/api/v1/coverage/deployments", reqOpt{token: e.tokens["ana"],
		body: `{"format":"csv","name":"s.csv","data":"id,mission,lat,lon,start,end,military\nbangui,MINUSCA,4.3947,18.5582,2014-09,2018-12,1200\n"}`})
	if resp.StatusCode != 200 {
		f.Fatalf("seeding a deployment: %d %s", resp.StatusCode, b)
	}
	posts := []string{"deployments", "plan", "try", "cut", "scenarios"}
	gets := []string{"", "/gaps", "/responsiveness", "/deployments"}
	f.Fuzz(func(t *testing.T, route uint8, s string) {
		var req *http.Request
		var err error
		k := int(route) % (len(posts) + len(gets) + 3)
		switch k - len(posts) - len(gets) {
		case 0:
			req, err = http.NewRequest("POST", "http://vigil.test/api/v1/coverage/population", strings.NewReader(s))
		case 1:
			req, err = http.NewRequest("PUT", "http://vigil.test/api/v1/coverage/seasons", strings.NewReader(s))
		case 2:
			req, err = http.NewRequest("GET", "http://vigil.test/api/v1/coverage/population?"+s, nil)
		}
		if err != nil {
			return
		}
		switch {
		case req != nil:
			req.Header.Set("Content-Type", "application/json")
		case k < len(posts):
			req, err = http.NewRequest("POST", "http://vigil.test/api/v1/coverage/"+posts[k], strings.NewReader(s))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/json")
		default:
			req, err = http.NewRequest("GET", "http://vigil.test/api/v1/coverage"+gets[k-len(posts)]+"?"+s, nil)
			if err != nil {
				return
			}
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens["ana"])
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", req.Method, req.URL.Path, s, w.Code, w.Body.String())
		}
	})
}
