package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/performance"
)

// seedMapLayers gives a full server (startFullServer: events and survey
// responses in the Central African Republic) something in two countries
// on every map layer: the demo deployments, a cell and a country forecast
// over DR Congo and the Central African Republic, an incident in each, and
// survey responses in DR Congo too. It returns the reference cells'
// country of a PRIO-GRID cell.
func seedMapLayers(t *testing.T, srv *fullServer) func(gid int) string {
	t.Helper()
	ctx := context.Background()
	saveDemoDeployments(t, srv.DB)
	ref, err := demo.ReferenceCells()
	if err != nil {
		t.Fatal(err)
	}
	origin := grid.MonthOf(2018, 12)
	var cells []forecast.CellRisk
	units := map[string]*forecast.Unit{"DR Congo (Zaire)": {Code: 490, Name: "DR Congo (Zaire)"}, "Central African Republic": {Code: 482, Name: "Central African Republic"}}
	for _, c := range ref.All() {
		u, ok := units[c.Country]
		if !ok {
			continue
		}
		u.Cells = append(u.Cells, c.GID)
		if c.GID%5 == 0 {
			cells = append(cells, forecast.CellRisk{Month: origin + 1, Horizon: 1, Cell: c.GID, Prob: 0.1, Expected: 1, Hi: 3,
				Drivers: []forecast.Driver{}, History: []forecast.HistoryPoint{}})
		}
	}
	if _, err := srv.DB.SaveForecast(ctx, "test", forecast.Run{Target: "os", Grid: "priogrid", CellSize: 0.5, Origin: origin, Model: "gbt"}, cells); err != nil {
		t.Fatal(err)
	}
	var cs []forecast.CellRisk
	var us []forecast.Unit
	for _, u := range units {
		us = append(us, *u)
		cs = append(cs, forecast.CellRisk{Month: origin + 1, Horizon: 1, Cell: u.Code, Prob: 0.5, Expected: 9, Hi: 30,
			Drivers: []forecast.Driver{}, History: []forecast.HistoryPoint{}})
	}
	if _, err := srv.DB.SaveForecast(ctx, "test", forecast.Run{Target: "os", Grid: "country", Origin: origin, Model: "gbt", Units: us}, cs); err != nil {
		t.Fatal(err)
	}
	// an incident near Bunia (DR Congo) and one near Bambari (CAR)
	ch, err := srv.Server.Alerts.NewChannel(ctx, "test", alerts.Web, "Map layers", "", "")
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range [][2]float64{{1.56, 30.25}, {5.76, 20.67}} {
		if _, err := srv.Server.Alerts.Receive(ctx, ch, alerts.Inbound{GatewayID: fmt.Sprintf("map-%d", i), Message: "armed men seen near the market",
			SentAt: time.Now().Add(-time.Hour), Lat: &p[0], Lon: &p[1]}); err != nil {
			t.Fatal(err)
		}
	}
	// survey responses near Bunia (startFullServer's are in the CAR)
	loader := &auth.User{Name: "loader", Role: auth.Admin}
	for i := 0; i < 30; i++ {
		x := fmt.Sprintf(`<perception id="vigil_perception" version="2026112501"><round>R1</round><consent>yes</consent><region>north</region><sex>%s</sex><age_group>25_34</age_group><displacement>resident</displacement><q_safety>safe</q_safety><q_trust>a_lot</q_trust><q_report>yes</q_report><q_violence>no</q_violence><q_sources>radio_un</q_sources><location>1.75 30.25 0 5</location><meta><instanceID>uuid:map-%d</instanceID></meta></perception>`,
			[]string{"female", "male"}[i%2], i)
		if _, err := srv.Server.Surveys.Submit(ctx, loader, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	return func(gid int) string {
		c, _ := ref.Get(gid)
		return c.Country
	}
}

// geoFeatures are the features of a GeoJSON answer (a Point's, a
// Polygon's or a MultiPolygon's first position stands for it).
type geoFeatures struct {
	Features []struct {
		ID       any `json:"id"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
}

// TestLayersCountryFilter: with ?country= every map layer's API answers
// only that country's features — risk cells and countries, coverage cells
// and sites, incidents and survey cells — whatever spelling or code names
// it, and all countries without it; an empty filter is a 400 naming the
// field.
func TestLayersCountryFilter(t *testing.T) {
	srv := startFullServer(t)
	countryOf := seedMapLayers(t, srv)
	secret, _, err := srv.Server.Auth.CreateToken(context.Background(), "test", srv.User, "layers", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, q url.Values, out any) int {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path+"?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if out != nil && res.StatusCode == 200 {
			if err := json.NewDecoder(res.Body).Decode(out); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		return res.StatusCode
	}
	// a country's ISO3 code, whatever spelling names it
	iso := func(name string) string {
		a, err := performance.ParseArea(name)
		if err != nil || name == "" {
			return name
		}
		return a.Code
	}
	cellAt := func(lat, lon float64) string {
		gid, err := grid.PrioGID(lat, lon)
		if err != nil {
			return ""
		}
		return iso(countryOf(gid))
	}
	// pointOf is the first position of a geometry, nudged inside a cell's square.
	pointOf := func(typ string, raw json.RawMessage) (lat, lon float64) {
		var pt [2]float64
		var poly [][][2]float64
		var multi [][][][2]float64
		switch typ {
		case "Point":
			_ = json.Unmarshal(raw, &pt)
			return pt[1], pt[0]
		case "Polygon":
			_ = json.Unmarshal(raw, &poly)
			return poly[0][0][1] + 0.01, poly[0][0][0] + 0.01
		case "MultiPolygon":
			_ = json.Unmarshal(raw, &multi)
			return multi[0][0][0][1] + 0.01, multi[0][0][0][0] + 0.01
		}
		return 0, 0
	}
	const drc, car = "COD", "CAF"
	geo := func(path string, extra url.Values) func(country string) map[string]int {
		return func(country string) map[string]int {
			q := url.Values{}
			for k, v := range extra {
				q[k] = v
			}
			if country != "" {
				q.Set("country", country)
			}
			var fc geoFeatures
			if st := get(path, q, &fc); st != 200 {
				t.Fatalf("%s?%s: status %d", path, q.Encode(), st)
			}
			by := map[string]int{}
			for _, f := range fc.Features {
				// the feature's own country (coverage cells and sites, the
				// country run's countries), else its cell's
				c := cellAt(pointOf(f.Geometry.Type, f.Geometry.Coordinates))
				for _, k := range []string{"country", "name"} {
					if name, ok := f.Properties[k].(string); ok && name != "" {
						c = iso(name)
						break
					}
				}
				by[c]++
			}
			return by
		}
	}
	incidents := func(country string) map[string]int {
		q := url.Values{"open": {"1"}}
		if country != "" {
			q.Set("country", country)
		}
		var rows []alerts.Incident
		if st := get("/api/v1/alerts/incidents", q, &rows); st != 200 {
			t.Fatalf("incidents: status %d", st)
		}
		by := map[string]int{}
		for _, in := range rows {
			if in.Location.Lat != nil && in.Location.Lon != nil {
				by[cellAt(*in.Location.Lat, *in.Location.Lon)]++
			}
		}
		return by
	}
	surveyCells := func(country string) map[string]int {
		q := url.Values{}
		if country != "" {
			q.Set("country", country)
		}
		var res struct {
			Cells []struct {
				GID int `json:"gid"`
			} `json:"cells"`
		}
		if st := get("/api/v1/surveys/forms/vigil_perception/analysis", q, &res); st != 200 {
			t.Fatalf("survey analysis: status %d", st)
		}
		by := map[string]int{}
		for _, c := range res.Cells {
			by[iso(countryOf(c.GID))]++
		}
		return by
	}
	layers := []struct {
		name string
		get  func(country string) map[string]int
	}{
		{"risk cells", geo("/api/v1/risk", nil)},
		{"risk countries", geo("/api/v1/risk", url.Values{"grid": {"country"}})},
		{"coverage cells", geo("/api/v1/coverage", url.Values{"month": {"2017-07"}})},
		{"coverage sites", geo("/api/v1/coverage/deployments", url.Values{"month": {"2017-07"}})},
		{"incidents", incidents},
		{"survey cells", surveyCells},
	}
	for _, l := range layers {
		all := l.get("")
		if all[drc] == 0 || all[car] == 0 {
			t.Errorf("%s without a filter: %v, want features in both countries", l.name, all)
			continue
		}
		for _, spelling := range []string{"DR Congo (Zaire)", "dr congo (zaire)", "COD", "490", "DR Congo"} {
			got := l.get(spelling)
			if got[drc] != all[drc] || len(got) != 1 {
				t.Errorf("%s, country=%q: %v, want only the %d features of %s", l.name, spelling, got, all[drc], drc)
			}
		}
		if got := l.get("Central African Republic,DR Congo (Zaire)"); got[drc] != all[drc] || got[car] != all[car] {
			t.Errorf("%s, both countries: %v, want %v", l.name, got, all)
		}
	}
	for _, path := range []string{"/api/v1/risk", "/api/v1/alerts/incidents", "/api/v1/surveys/forms/vigil_perception/analysis", "/api/v1/coverage/deployments"} {
		var e struct{ Field string }
		req, _ := http.NewRequest("GET", srv.URL+path+"?country=,", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != 400 || e.Field != "country" {
			t.Errorf("%s?country=,: %d %q, want 400 naming country", path, res.StatusCode, e.Field)
		}
	}
}

// TestSurveyLayerDates: the survey map layer follows the map's date
// filter (issue 11, item 7): with ?from= and ?to= the analysis reads the
// answers received on those days only, so its cells are those of the
// answers received then; a range without answers is an empty layer (200,
// no cells), not an error; a date that is not YYYY-MM-DD is a 400 naming
// the field. startFullServer's answers (in the Central African Republic)
// are received now; these, near Bunia (DR Congo), in March 2019.
func TestSurveyLayerDates(t *testing.T) {
	srv := startFullServer(t)
	ctx := context.Background()
	loader := &auth.User{Name: "loader", Role: auth.Admin}
	srv.Server.Surveys.Now = func() time.Time { return time.Date(2019, 3, 10, 9, 0, 0, 0, time.UTC) }
	for i := 0; i < 30; i++ {
		x := fmt.Sprintf(`<perception id="vigil_perception" version="2026112501"><round>R1</round><consent>yes</consent><region>north</region><sex>%s</sex><age_group>25_34</age_group><displacement>resident</displacement><q_safety>safe</q_safety><q_trust>a_lot</q_trust><q_report>yes</q_report><q_violence>no</q_violence><q_sources>radio_un</q_sources><location>1.75 30.25 0 5</location><meta><instanceID>uuid:dated-%d</instanceID></meta></perception>`,
			[]string{"female", "male"}[i%2], i)
		if _, err := srv.Server.Surveys.Submit(ctx, loader, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	srv.Server.Surveys.Now = nil
	secret, _, err := srv.Server.Auth.CreateToken(ctx, "test", srv.User, "dates", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := demo.ReferenceCells()
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, c := range []struct {
		name      string
		q         url.Values
		status    int
		field     string
		n         int             // respondents
		countries map[string]bool // the ISO3 codes of the cells
	}{
		{"no dates", url.Values{}, 200, "", 90, map[string]bool{"COD": true, "CAF": true}},
		{"March 2019", url.Values{"from": {"2019-03-01"}, "to": {"2019-03-31"}}, 200, "", 30, map[string]bool{"COD": true}},
		{"the day itself", url.Values{"from": {"2019-03-10"}, "to": {"2019-03-10"}}, 200, "", 30, map[string]bool{"COD": true}},
		{"from April 2019", url.Values{"from": {"2019-04-01"}}, 200, "", 60, map[string]bool{"CAF": true}},
		{"until today", url.Values{"to": {today}}, 200, "", 90, map[string]bool{"COD": true, "CAF": true}},
		{"2018", url.Values{"from": {"2018-01-01"}, "to": {"2018-12-31"}}, 200, "", 0, map[string]bool{}},
		{"2018 in DR Congo", url.Values{"from": {"2018-01-01"}, "to": {"2018-12-31"}, "country": {"COD"}}, 200, "", 0, map[string]bool{}},
		{"March 2019 in the CAR", url.Values{"from": {"2019-03-01"}, "to": {"2019-03-31"}, "country": {"CAF"}}, 200, "", 30, map[string]bool{}},
		{"from not a date", url.Values{"from": {"10/03/2019"}}, 400, "from", 0, nil},
		{"to not a date", url.Values{"to": {"2019-13-01"}}, 400, "to", 0, nil},
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/surveys/forms/vigil_perception/analysis?"+c.q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Field    string `json:"field"`
			Analysis struct {
				Respondents int `json:"respondents"`
			} `json:"analysis"`
			Cells []struct {
				GID int `json:"gid"`
			} `json:"cells"`
		}
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != c.status || body.Field != c.field {
			t.Errorf("%s: status %d field %q, want %d %q", c.name, res.StatusCode, body.Field, c.status, c.field)
			continue
		}
		if c.status != 200 {
			continue
		}
		if body.Analysis.Respondents != c.n {
			t.Errorf("%s: %d respondents, want %d", c.name, body.Analysis.Respondents, c.n)
		}
		got := map[string]bool{}
		for _, cell := range body.Cells {
			rc, _ := ref.Get(cell.GID)
			a, err := performance.ParseArea(rc.Country)
			if err != nil {
				t.Fatalf("%s: cell %d: country %q: %v", c.name, cell.GID, rc.Country, err)
			}
			got[a.Code] = true
		}
		if fmt.Sprint(got) != fmt.Sprint(c.countries) {
			t.Errorf("%s: cells in %v, want %v", c.name, got, c.countries)
		}
	}
}
