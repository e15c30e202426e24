package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
)

// TestIntegrityFeedsAPI: analysts add a feed (bad settings answered 400
// with the field, the same feed twice 409), poll it now against a local
// server (its entries become items; a malformed feed's error names its
// line and writes nothing), list and remove it; viewers cannot. A feed's
// title is its own <title> as the newest poll that worked read it (empty before).
func TestIntegrityFeedsAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	body := `<rss><channel><title>Radio test</title><item><title>Le pont de Rutshuru est fermé</title><guid>a1</guid><pubDate>Fri, 01 Mar 2024 14:05:00 GMT</pubDate></item></channel></rss>`
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	defer feed.Close()

	for _, tc := range []struct {
		in    string
		field string
	}{
		{`{"url": "file:///etc/passwd"}`, "url"},
		{`{"url": "http://[fe80::1]/rss"}`, "url"},
		{fmt.Sprintf(`{"url": %q, "every_minutes": 1}`, feed.URL), "every_minutes"},
	} {
		resp, b := e.do(nil, "POST", "/api/v1/integrity/feeds", reqOpt{token: ana, body: tc.in, ctype: "application/json"})
		var apiErr struct{ Error, Field string }
		json.Unmarshal(b, &apiErr)
		if resp.StatusCode != 400 || apiErr.Field != tc.field {
			t.Errorf("%s: %d %s, want 400 on %s", tc.in, resp.StatusCode, b, tc.field)
		}
	}
	add := fmt.Sprintf(`{"url": %q, "every_minutes": 30}`, feed.URL)
	if resp, _ := e.do(nil, "POST", "/api/v1/integrity/feeds", reqOpt{token: vic, body: add, ctype: "application/json"}); resp.StatusCode != 403 {
		t.Errorf("viewer adds a feed: %d", resp.StatusCode)
	}
	resp, b := e.do(nil, "POST", "/api/v1/integrity/feeds", reqOpt{token: ana, body: add, ctype: "application/json"})
	var f struct {
		ID           int64  `json:"id"`
		EveryMinutes int    `json:"every_minutes"`
		LastAdded    int    `json:"last_added"`
		LastError    string `json:"last_error"`
		Title        string `json:"title"`
	}
	if json.Unmarshal(b, &f); resp.StatusCode != 201 || f.ID == 0 || f.EveryMinutes != 30 || !strings.Contains(string(b), `"title":""`) {
		t.Fatalf("add: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/feeds", reqOpt{token: ana, body: add, ctype: "application/json"}); resp.StatusCode != 409 || !strings.Contains(string(b), `"field":"url"`) {
		t.Errorf("the same feed twice: %d %s", resp.StatusCode, b)
	}
	poll := fmt.Sprintf("/api/v1/integrity/feeds/%d/poll", f.ID)
	resp, b = e.do(nil, "POST", poll, reqOpt{token: ana})
	if json.Unmarshal(b, &f); resp.StatusCode != 200 || f.LastAdded != 1 || f.LastError != "" || f.Title != "Radio test" {
		t.Fatalf("poll: %d %s", resp.StatusCode, b)
	}
	body = "<rss>\n<channel>\n<item><title>x</title>\n</channel></rss>"
	resp, b = e.do(nil, "POST", poll, reqOpt{token: ana})
	if json.Unmarshal(b, &f); resp.StatusCode != 200 || !strings.Contains(f.LastError, ":4: not an RSS or Atom feed") || f.Title != "Radio test" {
		t.Fatalf("malformed feed: %d %s", resp.StatusCode, b)
	}
	if _, b := e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: vic}); strings.Count(string(b), `"via":"feed"`) != 1 {
		t.Errorf("items after the polls: %s", b)
	}
	if resp, b := e.do(nil, "GET", "/api/v1/integrity/feeds", reqOpt{token: ana}); resp.StatusCode != 200 || !strings.Contains(string(b), `"last_error":"feed: http://127.0.0.1`) || !strings.Contains(string(b), `"title":"Radio test"`) {
		t.Errorf("list: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "GET", "/api/v1/integrity/feeds", reqOpt{token: vic}); resp.StatusCode != 403 {
		t.Errorf("viewer lists feeds: %d", resp.StatusCode)
	}
	for _, want := range []int{204, 404} {
		if resp, _ := e.do(nil, "DELETE", fmt.Sprintf("/api/v1/integrity/feeds/%d", f.ID), reqOpt{token: ana}); resp.StatusCode != want {
			t.Errorf("delete: %d, want %d", resp.StatusCode, want)
		}
	}
	if resp, _ := e.do(nil, "POST", "/api/v1/integrity/feeds/x/poll", reqOpt{token: ana}); resp.StatusCode != 400 {
		t.Errorf("bad id: %d", resp.StatusCode)
	}
}

// TestIntegrityWhereAPI: the map's join answers per cell for viewers, with
// the map's filters; bad filters are 400 naming the field.
func TestIntegrityWhereAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	item := `{"text": "Ces cafards de Bunia doivent partir", "place": "Bunia", "lat": 1.5667, "lon": 30.25, "time": "2024-03-18 10:00"}`
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/items", reqOpt{token: ana, body: item, ctype: "application/json"}); resp.StatusCode != 201 {
		t.Fatalf("item: %d %s", resp.StatusCode, b)
	}
	var rep struct {
		From, To string
		Cells    []struct {
			Cell    int
			Items   int
			Places  []struct{ Value string }
			Covered *bool
		}
	}
	resp, b := e.do(nil, "GET", "/api/v1/integrity/where", reqOpt{token: vic})
	if json.Unmarshal(b, &rep); resp.StatusCode != 200 || rep.To != "2024-03-18" || rep.From != "2024-02-18" || len(rep.Cells) != 1 || rep.Cells[0].Cell != 132181 ||
		rep.Cells[0].Items != 1 || rep.Cells[0].Places[0].Value != "Bunia" || rep.Cells[0].Covered == nil || *rep.Cells[0].Covered {
		t.Fatalf("where: %d %s", resp.StatusCode, b)
	}
	for _, q := range []string{"from=2024-03-19&to=2024-03-30", "country=uganda"} {
		if _, b := e.do(nil, "GET", "/api/v1/integrity/where?"+q, reqOpt{token: vic}); !strings.Contains(string(b), `"cells":[]`) {
			t.Errorf("%s: %s", q, b)
		}
	}
	if _, b := e.do(nil, "GET", "/api/v1/integrity/where?country=COD&month=2024-02", reqOpt{token: vic}); !strings.Contains(string(b), `"country":"DR Congo (Zaire)"`) || !strings.Contains(string(b), `"month":"2024-02"`) {
		t.Errorf("country and month: %s", b)
	}
	for _, tc := range []struct{ q, field string }{
		{"from=yesterday", "from"}, {"to=2024-13-01", "to"}, {"month=2024", "month"}, {"from=2024-03-10&to=2024-03-01", "from"},
		{"country=" + strings.Repeat("x", 201), "country"}, {"country=,", "country"}, {"colour=red", "colour"},
	} {
		resp, b := e.do(nil, "GET", "/api/v1/integrity/where?"+tc.q, reqOpt{token: vic})
		var apiErr struct{ Field string }
		if json.Unmarshal(b, &apiErr); resp.StatusCode != 400 || apiErr.Field != tc.field {
			t.Errorf("%s: %d %s, want 400 on %s", tc.q, resp.StatusCode, b, tc.field)
		}
	}
}

// TestIntegrityBriefAPI: the weekly brief for viewers; a bad end is 400 on
// field end.
func TestIntegrityBriefAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	item := `{"text": "Ces cafards de Bunia doivent partir", "place": "Bunia", "time": "2024-03-18 10:00", "shares": 5, "lang": "fr"}`
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/items", reqOpt{token: ana, body: item, ctype: "application/json"}); resp.StatusCode != 201 {
		t.Fatalf("item: %d %s", resp.StatusCode, b)
	}
	var b struct {
		From, To   string
		Items      int
		Reach      int64
		ByArea     []struct{ Value string } `json:"by_area"`
		Narratives []struct{ Items int }
	}
	resp, body := e.do(nil, "GET", "/api/v1/integrity/brief", reqOpt{token: vic})
	if json.Unmarshal(body, &b); resp.StatusCode != 200 || b.From != "2024-03-12" || b.To != "2024-03-18" || b.Items != 1 || b.Reach != 5 || b.ByArea[0].Value != "Bunia" || len(b.Narratives) != 1 {
		t.Fatalf("brief: %d %s", resp.StatusCode, body)
	}
	if _, body := e.do(nil, "GET", "/api/v1/integrity/brief?end=2024-03-11", reqOpt{token: vic}); !strings.Contains(string(body), `"items":0`) {
		t.Errorf("an earlier week: %s", body)
	}
	for _, q := range []string{"end=last-week", "end=2099-01-01", "week=1"} {
		resp, body := e.do(nil, "GET", "/api/v1/integrity/brief?"+q, reqOpt{token: vic})
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", q, resp.StatusCode, body)
		}
	}
}

// FuzzIntegrityMapRequests: the feed form's body and the where and brief
// queries never make the server fail (5xx) and every refusal is a JSON
// error. (Polling is left out: it would fetch whatever host a body names.)
func FuzzIntegrityMapRequests(f *testing.F) {
	e := newIntegrityEnv(f)
	tok := e.tokens["ana"]
	f.Add(0, `{"url": "https://radio.example.org/rss", "source": "Radio", "every_minutes": 30}`)
	f.Add(0, `{"url": "http://[fe80::1%25eth0]/rss", "every_minutes": -1}`)
	f.Add(1, "from=2024-03-01&to=2024-03-30&country=COD,Uganda&month=2024-03")
	f.Add(1, "from=0001-01-01&to=9999-12-31")
	f.Add(2, "end=2024-02-29")
	f.Add(2, "end=%00")
	f.Fuzz(func(t *testing.T, which int, s string) {
		var req *http.Request
		switch ((which % 3) + 3) % 3 {
		case 0:
			req = httptest.NewRequest("POST", "/api/v1/integrity/feeds", strings.NewReader(s))
			req.Header.Set("Content-Type", "application/json")
		case 1:
			req = httptest.NewRequest("GET", "/api/v1/integrity/where", nil)
			req.URL.RawQuery = s
		case 2:
			req = httptest.NewRequest("GET", "/api/v1/integrity/brief", nil)
			req.URL.RawQuery = s
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", req.Method, req.URL.Path, s, w.Code, w.Body.String())
		}
		if w.Code >= 400 && !strings.Contains(w.Body.String(), `"error"`) {
			t.Fatalf("%d without a JSON error: %s", w.Code, w.Body.String())
		}
	})
}

// TestIntegrityWhereNear: a cell is named by the gazetteer's place nearest
// its centre (the `near` field, as the risk layer names its cells), so that
// a cell whose items carry no place name is not shown by its number.
func TestIntegrityWhereNear(t *testing.T) {
	e := newIntegrityEnv(t)
	vic := e.tokens["vic"]
	// An item with coordinates but no place name (as stored before the
	// API asked for one): added by the service, not the API.
	lat, lon := 1.5667, 30.25
	if _, err := e.s.Integrity.Add(t.Context(), "ana", "integrity.items.import", "", []*integrity.Item{{Source: "s", SourceID: "n1", Via: integrity.ViaImport,
		Text: "Ils doivent partir avant dimanche", Lat: &lat, Lon: &lon, Time: time.Date(2024, 3, 18, 10, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Cells []struct {
			Cell   int
			Places []struct{ Value string }
			Near   *struct {
				Name    string
				Label   string
				LabelFR string `json:"label_fr"`
			}
		}
	}
	resp, b := e.do(nil, "GET", "/api/v1/integrity/where", reqOpt{token: vic})
	if json.Unmarshal(b, &rep); resp.StatusCode != 200 || len(rep.Cells) != 1 {
		t.Fatalf("where: %d %s", resp.StatusCode, b)
	}
	c := rep.Cells[0]
	if len(c.Places) != 0 || c.Near == nil || c.Near.Name == "" || !strings.HasPrefix(c.Near.Label, "near ") || !strings.HasSuffix(c.Near.Label, "(DR Congo)") ||
		!strings.HasPrefix(c.Near.LabelFR, "près d") || !strings.HasSuffix(c.Near.LabelFR, "(RD Congo)") {
		t.Fatalf("cell %d not named by its nearest place: %s", c.Cell, b)
	}
}
