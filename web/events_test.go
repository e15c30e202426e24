package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// gedRow is what the tests check answers against, read from the CSV
// independently of the importer.
type gedRow struct {
	id       string
	lat, lon float64
	typ      int
	start    time.Time
	best     int
	gid      int
	country  string
}

const carFile = "ucdp/ged231_car_1989_2018.csv"

// loadCAR imports the real UCDP GED rows for the Central African Republic
// through the importer and returns them as read directly from the CSV.
func loadCAR(t testing.TB, e *testEnv) []gedRow {
	t.Helper()
	path := shareddata.Path(t, carFile)
	if _, err := ingest.ImportFile(context.Background(), e.db, path, ingest.Options{RepairEstimates: true}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var rows []gedRow
	for _, r := range recs[1:] {
		g := gedRow{id: r[col["id"]], country: r[col["country"]]}
		g.lat, _ = strconv.ParseFloat(r[col["latitude"]], 64)
		g.lon, _ = strconv.ParseFloat(r[col["longitude"]], 64)
		g.typ, _ = strconv.Atoi(r[col["type_of_violence"]])
		g.best, _ = strconv.Atoi(r[col["best"]])
		g.gid, _ = strconv.Atoi(r[col["priogrid_gid"]])
		g.start, err = time.Parse("2006-01-02", r[col["date_start"]][:10])
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, g)
	}
	return rows
}

type fc struct {
	Type     string
	Features []struct {
		Type     string
		ID       int64
		Geometry struct {
			Type        string
			Coordinates json.RawMessage
		}
		Properties map[string]any
	}
	Next string
}

func (e *testEnv) getFC(t *testing.T, path string) fc {
	t.Helper()
	resp, b := e.do(nil, "GET", path, reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/geo+json") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var out fc
	if err := json.Unmarshal(b, &out); err != nil || out.Type != "FeatureCollection" {
		t.Fatalf("GET %s: not a FeatureCollection (%v): %.200s", path, err, b)
	}
	return out
}

// allEvents pages through /api/v1/events with query q and returns the
// source ids seen.
func (e *testEnv) allEvents(t *testing.T, q string, limit int) []string {
	t.Helper()
	var ids []string
	cursor := ""
	lastID := int64(0)
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("pagination does not end")
		}
		p := fmt.Sprintf("/api/v1/events?limit=%d&%s", limit, q)
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		page := e.getFC(t, p)
		if len(page.Features) > limit {
			t.Fatalf("page of %d > limit %d", len(page.Features), limit)
		}
		for _, f := range page.Features {
			if f.ID <= lastID {
				t.Fatalf("ids not increasing across pages: %d after %d", f.ID, lastID)
			}
			lastID = f.ID
			ids = append(ids, f.Properties["source_id"].(string))
		}
		if page.Next == "" {
			return ids
		}
		if len(page.Features) != limit {
			t.Fatalf("short page (%d) with a next cursor", len(page.Features))
		}
		cursor = page.Next
	}
}

func TestEventsAPI(t *testing.T) {
	e := newEnv(t)
	rows := loadCAR(t, e)
	if len(rows) < 1000 {
		t.Fatalf("only %d rows", len(rows))
	}
	bangui := func(r gedRow) bool { return r.lon >= 18.3 && r.lon <= 18.8 && r.lat >= 4.2 && r.lat <= 4.6 }
	cases := []struct {
		name  string
		query string
		keep  func(gedRow) bool
	}{
		{"all", "", func(gedRow) bool { return true }},
		{"bbox Bangui", "bbox=18.3,4.2,18.8,4.6", bangui},
		{"one-sided", "type=one-sided", func(r gedRow) bool { return r.typ == 3 }},
		{"state-based,non-state by code", "type=1,2", func(r gedRow) bool { return r.typ == 1 || r.typ == 2 }},
		{"2014 by month", "from=2014-01&to=2014-12", func(r gedRow) bool { return r.start.Year() == 2014 }},
		{"days", "from=2013-03-24&to=2013-03-31", func(r gedRow) bool {
			return !r.start.Before(time.Date(2013, 3, 24, 0, 0, 0, 0, time.UTC)) && !r.start.After(time.Date(2013, 3, 31, 0, 0, 0, 0, time.UTC))
		}},
		{"country", "country=central+african+republic", func(r gedRow) bool { return true }},
		{"other country", "country=Mali", func(gedRow) bool { return false }},
		{"source", "source=ucdp-ged", func(gedRow) bool { return true }},
		{"combined", "bbox=18.3,4.2,18.8,4.6&type=one-sided&from=2013-01&to=2014-06", func(r gedRow) bool {
			return bangui(r) && r.typ == 3 && !r.start.Before(time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)) && r.start.Before(time.Date(2014, 7, 1, 0, 0, 0, 0, time.UTC))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := map[string]bool{}
			for _, r := range rows {
				if c.keep(r) {
					want[r.id] = true
				}
			}
			got := e.allEvents(t, c.query, 5000)
			if len(got) != len(want) {
				t.Fatalf("%d events, want %d", len(got), len(want))
			}
			for _, id := range got {
				if !want[id] {
					t.Fatalf("event %s should not match", id)
				}
			}
		})
	}
	// Small pages give the same events as one big page.
	if a, b := e.allEvents(t, "type=3", 7), e.allEvents(t, "type=3", 5000); strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("paging with limit 7 gives %d events, limit 5000 gives %d", len(a), len(b))
	}

	// One event, by id: UCDP GED id 22782 (Bangui, 1991-08-08, one-sided).
	page := e.getFC(t, "/api/v1/events?bbox=18.58,4.36,18.59,4.37&from=1991-08-08&to=1991-08-08")
	var id int64
	for _, f := range page.Features {
		if f.Properties["source_id"] == "22782" {
			id = f.ID
		}
	}
	if id == 0 {
		t.Fatal("event 22782 not found")
	}
	resp, b := e.do(nil, "GET", fmt.Sprintf("/api/v1/events/%d", id), reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != 200 {
		t.Fatalf("event %d: %d %s", id, resp.StatusCode, b)
	}
	var one struct {
		Type     string
		Geometry struct {
			Type        string
			Coordinates [2]float64
		}
		Properties map[string]any
	}
	if err := json.Unmarshal(b, &one); err != nil {
		t.Fatal(err)
	}
	p := one.Properties
	if one.Type != "Feature" || one.Geometry.Type != "Point" || one.Geometry.Coordinates != [2]float64{18.583333, 4.366667} ||
		p["type"] != "one-sided" || p["date_start"] != "1991-08-08" || p["cell"] != 135758.0 || p["side_b"] != "Civilians" ||
		p["country"] != "Central African Republic" {
		t.Errorf("event 22782 = %s", b)
	}
	for path, want := range map[string]int{
		"/api/v1/events/999999999": 404,
		"/api/v1/events/abc":       400,
		"/api/v1/events/0":         400,
		"/api/v1/events/-3":        400,
		"/api/v1/events/1?x=1":     400,
	} {
		resp, b := e.do(nil, "GET", path, reqOpt{token: e.tokens["vic"]})
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d: %s", path, resp.StatusCode, want, b)
		}
		jsonErr(t, b)
	}
}

func TestClustersAPI(t *testing.T) {
	e := newEnv(t)
	rows := loadCAR(t, e)
	total, deaths := 0, 0
	for _, r := range rows {
		if r.typ == 3 {
			total++
			deaths += r.best
		}
	}
	prev := 0
	for _, zoom := range []int{0, 3, 6, 9, 14} {
		out := e.getFC(t, fmt.Sprintf("/api/v1/clusters?zoom=%d&type=one-sided", zoom))
		n, d := 0, 0
		for _, f := range out.Features {
			c := int(f.Properties["count"].(float64))
			n += c
			d += int(f.Properties["deaths"].(float64))
			if _, ok := f.Properties["event_id"]; ok != (c == 1) {
				t.Errorf("zoom %d: cluster of %d with event_id %v", zoom, c, f.Properties["event_id"])
			}
			if f.Geometry.Type != "Point" {
				t.Errorf("cluster geometry %s", f.Geometry.Type)
			}
		}
		if n != total || d != deaths {
			t.Errorf("zoom %d: clusters hold %d events and %d deaths, want %d and %d", zoom, n, d, total, deaths)
		}
		if len(out.Features) < prev {
			t.Errorf("zoom %d: %d clusters, fewer than %d at the lower zoom", zoom, len(out.Features), prev)
		}
		prev = len(out.Features)
	}
	// A whole-country view at zoom 6 merges events: fewer clusters than events.
	if out := e.getFC(t, "/api/v1/clusters?zoom=6&bbox=14.4,2.2,27.5,11.1"); len(out.Features) == 0 || len(out.Features) >= len(rows) {
		t.Errorf("zoom 6 country view: %d clusters for %d events", len(out.Features), len(rows))
	}
}

func TestGridAPI(t *testing.T) {
	e := newEnv(t)
	rows := loadCAR(t, e)
	type key struct {
		gid   int
		month string
	}
	want := map[key][2]int{} // count, deaths
	for _, r := range rows {
		if r.start.Year() == 2014 {
			k := key{r.gid, r.start.Format("2006-01")}
			v := want[k]
			want[k] = [2]int{v[0] + 1, v[1] + r.best}
		}
	}
	out := e.getFC(t, "/api/v1/grid?from=2014-01&to=2014-12&grid=priogrid")
	if len(out.Features) != len(want) {
		t.Fatalf("%d cell-months, want %d", len(out.Features), len(want))
	}
	for _, f := range out.Features {
		p := f.Properties
		k := key{int(p["cell"].(float64)), p["month"].(string)}
		w, ok := want[k]
		if !ok {
			t.Fatalf("unexpected cell-month %v", k)
		}
		if int(p["events"].(float64)) != w[0] || int(p["deaths"].(float64)) != w[1] {
			t.Errorf("%v: %v events %v deaths, want %v", k, p["events"], p["deaths"], w)
		}
		if f.Geometry.Type != "Polygon" {
			t.Fatalf("geometry %s", f.Geometry.Type)
		}
		var ring [][][2]float64
		json.Unmarshal(f.Geometry.Coordinates, &ring)
		if len(ring) != 1 || len(ring[0]) != 5 || ring[0][2][0]-ring[0][0][0] != 0.5 {
			t.Fatalf("cell polygon %s", f.Geometry.Coordinates)
		}
		byType := p["counts"].(map[string]any)
		sum := 0
		for _, v := range byType {
			sum += int(v.(float64))
		}
		if sum != w[0] {
			t.Errorf("%v: counts by type %v sum to %d, want %d", k, byType, sum, w[0])
		}
	}
	// The 0.1° operations grid has the same totals in more cells.
	fine := e.getFC(t, "/api/v1/grid?from=2014-01&to=2014-12&grid=0.1")
	n := 0
	for _, f := range fine.Features {
		n += int(f.Properties["events"].(float64))
	}
	wantN := 0
	for _, v := range want {
		wantN += v[0]
	}
	if n != wantN || len(fine.Features) < len(out.Features) {
		t.Errorf("0.1 grid: %d events in %d cells; priogrid %d in %d", n, len(fine.Features), wantN, len(out.Features))
	}
}

// badQueries are parameter errors each endpoint must answer with 400 naming
// the field.
var badQueries = []struct {
	path, field string
}{
	{"/api/v1/events?bbox=1,2,3", "bbox"},
	{"/api/v1/events?bbox=a,b,c,d", "bbox"},
	{"/api/v1/events?bbox=0,0,10,95", "bbox"},
	{"/api/v1/events?bbox=10,0,0,10", "bbox"},
	{"/api/v1/events?bbox=0,10,10,0", "bbox"},
	{"/api/v1/events?bbox=NaN,0,1,1", "bbox"},
	{"/api/v1/events?bbox=-Inf,0,1,1", "bbox"},
	{"/api/v1/events?bbox=-181,0,1,1", "bbox"},
	{"/api/v1/events?from=2014-13", "from"},
	{"/api/v1/events?from=yesterday", "from"},
	{"/api/v1/events?from=2014-02-30", "from"},
	{"/api/v1/events?to=14-01", "to"},
	{"/api/v1/events?from=0001-01", "from"},
	{"/api/v1/events?from=2015-01&to=2014-12", "to"},
	{"/api/v1/events?type=riot", "type"},
	{"/api/v1/events?type=1,,2", "type"},
	{"/api/v1/events?country=,", "country"},
	{"/api/v1/events?limit=0", "limit"},
	{"/api/v1/events?limit=5001", "limit"},
	{"/api/v1/events?limit=ten", "limit"},
	{"/api/v1/events?cursor=abc", "cursor"},
	{"/api/v1/events?cursor=-1", "cursor"},
	{"/api/v1/events?bboxx=1,2,3,4", "bboxx"},
	{"/api/v1/events?type=1&type=2", "type"},
	{"/api/v1/clusters", "zoom"},
	{"/api/v1/clusters?zoom=23", "zoom"},
	{"/api/v1/clusters?zoom=-1", "zoom"},
	{"/api/v1/clusters?zoom=1.5", "zoom"},
	{"/api/v1/clusters?zoom=3&bbox=1,2", "bbox"},
	{"/api/v1/clusters?zoom=3&cursor=5", "cursor"},
	{"/api/v1/grid?from=2014-01-05", "from"},
	{"/api/v1/grid?to=2014", "to"},
	{"/api/v1/grid?grid=0.7", "grid"},
	{"/api/v1/grid?grid=0", "grid"},
	{"/api/v1/grid?grid=-0.5", "grid"},
	{"/api/v1/grid?grid=0.01", "grid"},
	{"/api/v1/grid?grid=hexagons", "grid"},
	{"/api/v1/grid?grid=NaN", "grid"},
	{"/api/v1/grid?bbox=0,0,1", "bbox"},
	{"/api/v1/grid?type=5x", "type"},
	{"/api/v1/grid?limit=4", "limit"},
}

func TestBadEventQueries(t *testing.T) {
	e := newEnv(t)
	for _, c := range badQueries {
		resp, b := e.do(nil, "GET", c.path, reqOpt{token: e.tokens["vic"]})
		if resp.StatusCode != 400 {
			t.Errorf("GET %s: %d, want 400: %s", c.path, resp.StatusCode, b)
			continue
		}
		msg, field := jsonErr(t, b)
		if field != c.field || !strings.Contains(msg, c.field) {
			t.Errorf("GET %s: field %q message %q, want field %q named in the message", c.path, field, msg, c.field)
		}
	}
}
