package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
)

// TestPlacesAPI: the map's place search and point labels from the shipped
// gazetteer; a mission's gazetteer import (analyst) with line-numbered
// errors and nothing stored on error; roles.
func TestPlacesAPI(t *testing.T) {
	e := newEnv(t)
	vic := reqOpt{token: e.tokens["vic"]}
	get := func(path string, o reqOpt, want int) map[string]any {
		t.Helper()
		resp, body := e.do(nil, "GET", path, o)
		if resp.StatusCode != want {
			t.Fatalf("%s: %d %s, want %d", path, resp.StatusCode, body, want)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return m
	}
	search := []struct {
		q, first, label string
	}{
		{"Djugu", "Djugu", "Djugu, Ituri (DR Congo)"},
		{"BANGUÍ", "Bangui", "Bangui (Central African Republic)"},
		{"kisang", "Kisangani", "Kisangani, Tshopo (DR Congo)"},    // a prefix
		{"Kisanagni", "Kisangani", "Kisangani, Tshopo (DR Congo)"}, // misspelt
		{"Tombouctou", "Timbuktu", "Timbuktu, Tombouctou (Mali)"},
	}
	for _, c := range search {
		m := get("/api/v1/places/search?q="+url.QueryEscape(c.q), vic, 200)
		ps, _ := m["places"].([]any)
		if len(ps) == 0 {
			t.Errorf("%q: no places", c.q)
			continue
		}
		p := ps[0].(map[string]any)
		if p["name"] != c.first || p["label"] != c.label || p["confidence"] == nil {
			t.Errorf("%q: first %v, want %s / %s", c.q, p, c.first, c.label)
		}
	}
	m := get("/api/v1/places/search?q=Bangui&lang=fr", vic, 200)
	if p := m["places"].([]any)[0].(map[string]any); p["country_name"] != "République centrafricaine" {
		t.Errorf("fr: %v", p)
	}
	for _, bad := range []struct{ path, field string }{
		{"/api/v1/places/search", "q"},
		{"/api/v1/places/search?q=a&limit=0", "limit"},
		{"/api/v1/places/search?q=" + strings.Repeat("a", 201), "q"},
		{"/api/v1/places/search?q=a&x=1", "x"},
		{"/api/v1/places/label?lat=95&lon=1", "lat"},
		{"/api/v1/places/label?lat=1", "lon"},
	} {
		m := get(bad.path, vic, 400)
		if m["field"] != bad.field {
			t.Errorf("%s: %v, want field %s", bad.path, m, bad.field)
		}
	}
	m = get("/api/v1/places/label?lat=1.75&lon=30.75", vic, 200)
	if p, _ := m["place"].(map[string]any); p == nil || p["label"] != "near Djugu, Ituri (DR Congo)" || p["label_fr"] != "près de Djugu, Ituri (RD Congo)" {
		t.Errorf("label: %v", m)
	}

	// Import: viewers may not; a bad row names the line and stores nothing.
	body := func(csv string) string {
		b, _ := json.Marshal(map[string]string{"name": "cod_places.csv", "data": csv})
		return string(b)
	}
	good := "name,name_fr,lat,lon,admin1Name_fr,admin1Pcode,country\nMakofi Market,Marché de Makofi,1.8,30.6,Ituri,CD54,CD\n"
	if resp, _ := e.do(nil, "POST", "/api/v1/places/gazetteer", reqOpt{token: e.tokens["vic"], body: body(good)}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer import: %d", resp.StatusCode)
	}
	resp, b := e.do(nil, "POST", "/api/v1/places/gazetteer", reqOpt{token: e.tokens["ana"], body: body(good + "Bad,,1.9,300,Ituri,CD54,CD\n")})
	if resp.StatusCode != 400 || !strings.Contains(string(b), "cod_places.csv:3: column lon") || !strings.Contains(string(b), `"field":"data"`) {
		t.Errorf("bad import: %d %s", resp.StatusCode, b)
	}
	// Said in the page's language: the row's place and the coordinate's
	// reason (the label query's too).
	checkKeyed(t, e, []keyedCase{
		{name: "gazetteer row", method: "POST", path: "/api/v1/places/gazetteer", body: body(good + "Bad,,1.9,300,Ituri,CD54,CD\n"), opt: reqOpt{token: e.tokens["ana"]},
			status: 400, key: "geotext.refusal.gaz-at", fr: "fichier cod_places.csv, ligne 3, colonne lon\u00a0: «\u202f300\u202f»\u00a0: longitude 300 hors de l’intervalle [-180, 180]"},
		{name: "gazetteer country", method: "POST", path: "/api/v1/places/gazetteer", body: body(good + "Bad,,1.9,30,Ituri,CD54,Narnia\n"), opt: reqOpt{token: e.tokens["ana"]},
			status: 400, key: "geotext.refusal.gaz-at", fr: "fichier cod_places.csv, ligne 3, colonne country\u00a0: «\u202fNarnia\u202f» n’est ni un code ni un nom de pays connu"},
		{name: "label latitude", method: "GET", path: "/api/v1/places/label?lat=95&lon=1", opt: reqOpt{token: e.tokens["vic"]},
			status: 400, fr: "lat\u00a0: «\u202f95\u202f»\u00a0: latitude 95 hors de l’intervalle [-90, 90]"},
	})
	if _, ok, err := e.db.LatestGazetteerImport(context.Background()); err != nil || ok {
		t.Errorf("a failed import stored something: %v %v", ok, err)
	}
	if m := get("/api/v1/places/search?q=makofi", vic, 200); len(m["places"].([]any)) != 0 {
		t.Errorf("a failed import is searchable: %v", m)
	}
	resp, b = e.do(nil, "POST", "/api/v1/places/gazetteer", reqOpt{token: e.tokens["ana"], body: body(good)})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"places":1`) {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	m = get("/api/v1/places/search?q=marche+de+makofi", vic, 200)
	if ps := m["places"].([]any); len(ps) != 1 || ps[0].(map[string]any)["label"] != "Makofi Market, Ituri (DR Congo)" {
		t.Errorf("imported place: %v", m)
	}
	m = get("/api/v1/places/gazetteer", vic, 200)
	if imp, _ := m["imported"].(map[string]any); imp == nil || imp["imported_by"] != "ana" || m["shipped"].(float64) < 5000 {
		t.Errorf("gazetteer: %v", m)
	}
	log, err := e.db.AuditLog(context.Background(), audit.Filter{Action: "gazetteer.import"})
	if err != nil || len(log) != 1 {
		t.Errorf("audit: %v %v", log, err)
	}
}

// FuzzPlacesImport posts arbitrary gazetteer CSVs and search queries: never
// a 5xx, a 400 names the data field, and a rejected import stores nothing.
func FuzzPlacesImport(f *testing.F) {
	e := newEnv(f)
	f.Add("name,lat,lon\nDjugu,1.92,30.5\n", "Djugu")
	f.Add("ADM1_FR,admin1Pcode,name_en,name_fr,y,x\nIturi,CD54,A,B,1,2\n", "b")
	f.Add("name,lat,lon,population\nX,1,2,-5\n", "x")
	f.Add("name,lat,lon,country\nX,1,2,Narnia\n", "%")
	f.Add("\"", "")
	do := func(t *testing.T, method, path, token, body string) (int, string) {
		resp, b := e.with(t).do(http.DefaultClient, method, path, reqOpt{token: token, body: body})
		return resp.StatusCode, string(b)
	}
	f.Fuzz(func(t *testing.T, csv, q string) {
		n0 := 0
		if imp, ok, _ := e.db.LatestGazetteerImport(context.Background()); ok {
			n0 = int(imp.ID)
		}
		b, _ := json.Marshal(map[string]string{"name": "f.csv", "data": csv})
		status, body := do(t, "POST", "/api/v1/places/gazetteer", e.tokens["ana"], string(b))
		if status >= 500 {
			t.Fatalf("import: %d %s", status, body)
		}
		if status == 400 {
			if !strings.Contains(body, `"field":"data"`) {
				t.Fatalf("400 without field: %s", body)
			}
			if imp, ok, _ := e.db.LatestGazetteerImport(context.Background()); ok && int(imp.ID) != n0 {
				t.Fatalf("rejected import stored %d", imp.ID)
			}
		}
		if _, err := url.Parse("/?q=" + url.QueryEscape(q)); err != nil {
			return
		}
		status, body = do(t, "GET", "/api/v1/places/search?q="+url.QueryEscape(q), e.tokens["vic"], "")
		if status >= 500 {
			t.Fatalf("search %q: %d %s", q, status, body)
		}
	})
}
