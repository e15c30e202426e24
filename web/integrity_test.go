package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// newIntegrityEnv starts a server with the integrity service and users
// ana (analyst) and vic (viewer), each with a token.
func newIntegrityEnv(t testing.TB) *testEnv {
	t.Helper()
	ctx := context.Background()
	db := testutil.Store(t)
	k := testutil.Keys(t, "k")
	svc := integrity.NewService(db, k)
	svc.Now = func() time.Time { return time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC) }
	e := serveEnv(t, db, &Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Integrity: svc}, &testutil.SyncBuffer{})
	for name, role := range map[string]auth.Role{"ana": auth.Analyst, "vic": auth.Viewer} {
		e.addUser(ctx, name, role)
	}
	return e
}

const integrityExport = `id,source,text,time,shares,author
1,facebook,"The bridge at Rutshuru was blown up last night, do not travel",2024-03-01 10:00,10,@page_a
2,facebook,"RT @page_a: The bridge at Rutshuru was blown up last night, do not travel https://t.co/x",2024-03-01 11:00,3,@page_b
3,facebook,"<script>alert(1)</script> Distribution de vivres demain au marché central",2024-03-02 09:00,1,
`

func TestIntegrityAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]

	// Viewers read, analysts write.
	if resp, _ := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: vic, body: integrityExport, ctype: "text/csv"}); resp.StatusCode != 403 {
		t.Fatalf("viewer import: %d", resp.StatusCode)
	}
	// A bad line: 400 naming it, nothing written.
	bad := integrityExport + "4,facebook,fine,2024-03-02 09:00,lots,\n"
	resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: bad, ctype: "text/csv"})
	var apiErr struct{ Error, Field string }
	json.Unmarshal(b, &apiErr)
	if resp.StatusCode != 400 || apiErr.Field != "line 5" || !strings.Contains(apiErr.Error, "x.csv:5: shares:") {
		t.Fatalf("bad import: %d %s", resp.StatusCode, b)
	}
	_, b = e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: vic})
	if strings.TrimSpace(string(b)) != `{"items":[],"total":0}` {
		t.Fatalf("a rejected import wrote: %s", b)
	}
	resp, b = e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: integrityExport, ctype: "text/csv"})
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"added":3,"updated":0,"new_narratives":2}` {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: strings.Replace(integrityExport, ",10,@page_a", ",99,@page_a", 1), ctype: "text/csv"})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"added":0,"updated":3`) {
		t.Fatalf("re-import: %d %s", resp.StatusCode, b)
	}

	// Items: text as received (HTML is data), no author handle.
	_, b = e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: vic})
	if !strings.Contains(string(b), `<script>alert(1)</script>`) || strings.Contains(string(b), "page_a\"") || strings.Contains(string(b), "@page_b") {
		t.Fatalf("items: %s", b)
	}
	var items integrity.ItemPage
	json.Unmarshal(b, &items)
	if len(items.Items) != 3 || items.Total != 3 {
		t.Fatalf("%d items, total %d", len(items.Items), items.Total)
	}
	// A page of them (the Items tab's « Show the next 100 »): the total is
	// all of them, on every page.
	for _, c := range []struct {
		query        string
		items, total int
	}{{"limit=2", 2, 3}, {"limit=2&offset=2", 1, 3}, {"limit=2&offset=4", 0, 3}, {"limit=1&q=%3Cscript%3E", 1, 1}} {
		var page integrity.ItemPage
		_, b := e.do(nil, "GET", "/api/v1/integrity/items?"+c.query, reqOpt{token: vic})
		if err := json.Unmarshal(b, &page); err != nil || len(page.Items) != c.items || page.Total != c.total {
			t.Errorf("items?%s: %d items, total %d (%v), want %d of %d", c.query, len(page.Items), page.Total, err, c.items, c.total)
		}
	}
	var first integrity.Item
	for _, it := range items.Items {
		if it.SourceID == "1" {
			first = it
		}
	}
	if first.Shares != 99 || !first.HasAuthor {
		t.Errorf("first item %+v", first)
	}
	id := strconv.FormatInt(first.ID, 10)
	if resp, _ := e.do(nil, "POST", "/api/v1/integrity/items/"+id+"/author", reqOpt{token: vic}); resp.StatusCode != 403 {
		t.Errorf("viewer reveal: %d", resp.StatusCode)
	}
	resp, b = e.do(nil, "POST", "/api/v1/integrity/items/"+id+"/author", reqOpt{token: ana})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"author":"@page_a"`) {
		t.Errorf("reveal: %d %s", resp.StatusCode, b)
	}
	if recs, _ := e.db.AuditLog(context.Background(), audit.Filter{Action: "integrity.author.reveal"}); len(recs) != 1 || recs[0].Actor != "ana" {
		t.Errorf("reveal audit %+v", recs)
	}

	// Narratives: the retweet joined its original.
	_, b = e.do(nil, "GET", "/api/v1/integrity/narratives", reqOpt{token: vic})
	var ns struct{ Narratives []integrity.NarrativeStats }
	json.Unmarshal(b, &ns)
	if len(ns.Narratives) != 2 || ns.Narratives[0].Items != 2 || ns.Narratives[0].Reach != 102 {
		t.Fatalf("narratives %s", b)
	}
	big, small := ns.Narratives[0].ID, ns.Narratives[1].ID
	nid := strconv.FormatInt(big, 10)
	if resp, b := e.do(nil, "PATCH", "/api/v1/integrity/narratives/"+nid, reqOpt{token: ana, body: `{"name":"Rutshuru bridge"}`}); resp.StatusCode != 200 {
		t.Errorf("rename %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/"+nid+"/split", reqOpt{token: ana, body: `{"items":[` + id + `]}`}); resp.StatusCode != 201 {
		t.Errorf("split %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/"+nid+"/merge", reqOpt{token: ana, body: `{"from":` + strconv.FormatInt(small, 10) + `}`}); resp.StatusCode != 200 {
		t.Errorf("merge %d %s", resp.StatusCode, b)
	}
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/api/v1/integrity/narratives/" + nid + "/merge", `{"from":` + nid + `}`},
		{"POST", "/api/v1/integrity/narratives/" + nid + "/split", `{"items":[]}`},
		{"PATCH", "/api/v1/integrity/narratives/" + nid, `{"name":"a\nb"}`},
		{"POST", "/api/v1/integrity/items", `{"text":""}`},
		{"POST", "/api/v1/integrity/items", `{"text":"x","time":"tomorrow"}`},
		{"POST", "/api/v1/integrity/items", `{"text":"x","url":"javascript:alert(1)"}`},
		{"POST", "/api/v1/integrity/items", `{"text":"x","kind":"tweet"}`},
		{"POST", "/api/v1/integrity/items", `{"text":"x","unknown":1}`},
		{"POST", "/api/v1/integrity/terms", `{"term":"x","severity":9}`},
		{"POST", "/api/v1/integrity/terms/import?name=l.csv", "term,severity\nok,1\nbad,9\n"},
		{"GET", "/api/v1/integrity/items?limit=-1", ""},
		{"GET", "/api/v1/integrity/items?harmful=maybe", ""},
		{"GET", "/api/v1/integrity/items/abc", ""},
		{"POST", "/api/v1/integrity/import?format=xml", "a"},
	} {
		ct := "application/json"
		if strings.Contains(c.path, "import") {
			ct = "text/csv"
		}
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: ana, body: c.body, ctype: ct})
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"error"`) {
			t.Errorf("%s %s %s: %d %s, want 400", c.method, c.path, c.body, resp.StatusCode, b)
		}
	}
	for _, p := range []string{"/api/v1/integrity/items/9999", "/api/v1/integrity/narratives/9999/merge"} {
		method := "GET"
		body := ""
		if strings.HasSuffix(p, "merge") {
			method, body = "POST", `{"from":1}`
		}
		if resp, b := e.do(nil, method, p, reqOpt{token: ana, body: body}); resp.StatusCode != 404 {
			t.Errorf("%s: %d %s", p, resp.StatusCode, b)
		}
	}

	// Manual entry and the lexicon.
	resp, b = e.do(nil, "POST", "/api/v1/integrity/terms", reqOpt{token: ana, body: `{"term":"pont","variants":["ponts"],"language":"fr","meaning":"bridge: checkpoint talk","severity":2}`})
	if resp.StatusCode != 201 {
		t.Fatalf("term %d %s", resp.StatusCode, b)
	}
	var term integrity.Term
	json.Unmarshal(b, &term)
	resp, b = e.do(nil, "POST", "/api/v1/integrity/items", reqOpt{token: ana, body: `{"text":"On dit que le PONT de Rutshuru sera détruit ce soir","place":"Rutshuru","time":"2024-03-03 18:00"}`})
	var it integrity.Item
	json.Unmarshal(b, &it)
	if resp.StatusCode != 201 || it.Via != "manual" || it.Kind != "rumour" || it.Lang != "fr" || len(it.Matches) != 1 || !strings.Contains(it.Matches[0].Explain, "bridge: checkpoint talk") {
		t.Fatalf("manual item %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "PUT", "/api/v1/integrity/terms/"+strconv.FormatInt(term.ID, 10), reqOpt{token: ana, body: `{"term":"pont","language":"fr","meaning":"bridge","severity":1}`}); resp.StatusCode != 200 {
		t.Errorf("edit term %d", resp.StatusCode)
	}
	resp, b = e.do(nil, "POST", "/api/v1/integrity/terms/import?name=l.csv", reqOpt{token: ana, body: "term,variants,language,meaning,group,severity,source\nbarrage,barrages,fr,roadblock,,low,mission\n", ctype: "text/csv"})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"terms":1`) {
		t.Errorf("lexicon import %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "DELETE", "/api/v1/integrity/terms/"+strconv.FormatInt(term.ID, 10), reqOpt{token: ana}); resp.StatusCode != 204 {
		t.Errorf("delete term %d", resp.StatusCode)
	}
	_, b = e.do(nil, "GET", "/api/v1/integrity/terms", reqOpt{token: vic})
	if !strings.Contains(string(b), "barrage") || strings.Contains(string(b), `"pont"`) {
		t.Errorf("terms %s", b)
	}
	if resp, b := e.do(nil, "GET", "/api/v1/integrity/spikes", reqOpt{token: vic}); resp.StatusCode != 200 || !strings.Contains(string(b), `"spikes":`) {
		t.Errorf("spikes %d %s", resp.StatusCode, b)
	}
	// No service: 503, not a crash.
	e.s.Integrity = nil
	if resp, _ := e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: vic}); resp.StatusCode != 503 {
		t.Errorf("without the service: %d", resp.StatusCode)
	}
}

// TestIntegrityRelocateAPI: items entered before the gazetteer knew their
// place are placed again on an analyst's request (viewers may not), the
// answer counts them, and the change is audited in the analyst's name; a
// second request finds nothing more to place and audits nothing.
func TestIntegrityRelocateAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	for _, body := range []string{
		`{"text":"Rumeur au marché","place":"Bunia","time":"2024-03-03 18:00"}`,
		`{"text":"Des tirs signalés près de Goma ce matin","time":"2024-03-03 19:00"}`,
		`{"text":"Réunion au village","place":"Nulle-part","time":"2024-03-03 20:00"}`,
	} {
		if resp, b := e.do(nil, "POST", "/api/v1/integrity/items", reqOpt{token: ana, body: body}); resp.StatusCode != 201 {
			t.Fatalf("item %d %s", resp.StatusCode, b)
		}
	}
	g, err := geotext.LoadGazetteer(strings.NewReader("name,lat,lon,country,admin1name,kind\nBunia,1.5667,30.25,COD,Ituri,town\nGoma,-1.6792,29.2228,COD,Nord-Kivu,town\n"), "g.csv")
	if err != nil {
		t.Fatal(err)
	}
	e.s.Integrity.SetGazetteer(g)
	for _, c := range []struct {
		tok, want    string
		code, audits int
	}{
		{vic, `"error"`, 403, 0},
		{ana, `{"checked":3,"relocated":2}`, 200, 1},
		{ana, `{"checked":1,"relocated":0}`, 200, 1},
	} {
		resp, b := e.do(nil, "POST", "/api/v1/integrity/items/relocate", reqOpt{token: c.tok})
		if resp.StatusCode != c.code || !strings.Contains(string(b), c.want) {
			t.Errorf("relocate: %d %s, want %d %s", resp.StatusCode, b, c.code, c.want)
		}
		recs, _ := e.db.AuditLog(context.Background(), audit.Filter{Action: "integrity.items.relocate"})
		if len(recs) != c.audits || (len(recs) > 0 && (recs[0].Actor != "ana" || !strings.Contains(recs[0].Detail, "2 items"))) {
			t.Errorf("after %d: audit %+v, want %d rows by ana", c.code, recs, c.audits)
		}
	}
	_, b := e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: vic})
	for _, want := range []string{`"admin1":"Ituri"`, `"admin1":"Nord-Kivu"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("items after re-location lack %s: %s", want, b)
		}
	}
}

// FuzzIntegrityAPI sends arbitrary bodies and queries to the integrity
// endpoints that take outside input (import, item create, term create and
// import, split): every answer is 2xx or 4xx with a JSON message, never 5xx.
func FuzzIntegrityAPI(f *testing.F) {
	e := newIntegrityEnv(f)
	tok := e.tokens["ana"]
	f.Add(0, integrityExport, "x.csv")
	f.Add(0, `{"id":"1","text":"a","public_metrics":{"like_count":3}}`, "t.jsonl")
	f.Add(1, `{"text":"Rumour at the market","place":"Goma","lat":-1.68,"lon":29.22,"time":"2024-03-01"}`, "")
	f.Add(1, `{"text":"x","media":["https://a/b","ftp://c"]}`, "")
	f.Add(2, `{"term":"x y","variants":["x|y"],"severity":2}`, "")
	f.Add(3, "term,variants\nx,\"a|b\"\n", "l.csv")
	f.Add(4, `{"items":[1,2],"name":"n"}`, "1")
	f.Fuzz(func(t *testing.T, which int, body, param string) {
		var method, path, ctype string
		switch ((which % 5) + 5) % 5 {
		case 0:
			method, path, ctype = "POST", "/api/v1/integrity/import?name="+urlEscape(param), "text/csv"
		case 1:
			method, path, ctype = "POST", "/api/v1/integrity/items", "application/json"
		case 2:
			method, path, ctype = "POST", "/api/v1/integrity/terms", "application/json"
		case 3:
			method, path, ctype = "POST", "/api/v1/integrity/terms/import?name="+urlEscape(param), "text/csv"
		case 4:
			method, path, ctype = "POST", "/api/v1/integrity/narratives/"+urlEscape(param)+"/split", "application/json"
		}
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, w.Code, w.Body.String())
		}
		if w.Code >= 400 && !strings.Contains(w.Body.String(), `"error"`) {
			t.Fatalf("%d without a JSON error: %s", w.Code, w.Body.String())
		}
	})
}

// TestTiplineItems: a channel created as a tipline hands each new message
// to the integrity service as a content item (via tipline, id alert:N); a
// gateway retry adds nothing, and other channels' messages stay alerts only.
func TestTiplineItems(t *testing.T) {
	e := newAlertsEnv(t, "ada", "ana")
	k := testutil.Keys(t, "k")
	integ := integrity.NewService(e.db, k)
	e.server.Integrity = integ
	e.svc.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTipline(ctx, c.Name, a.ID, a.Message, a.ReceivedAt)
		return err
	}
	resp, b := e.do(nil, "POST", "/api/v1/alerts/channels", reqOpt{token: e.tokens["ada"], body: `{"kind":"webhook","name":"WhatsApp tipline","secret":"tip-secret","tipline":true}`})
	if resp.StatusCode != 201 || !strings.Contains(string(b), `"tipline":true`) {
		t.Fatalf("tipline channel: %d %s", resp.StatusCode, b)
	}
	var ch alerts.Channel
	json.Unmarshal(b, &ch)
	ch.Kind = alerts.Webhook
	hdr := map[string]string{"Authorization": "Token tip-secret"}
	msg := `{"id":"w-1","from":"+243800000001","text":"Ils disent que le pont de Rutshuru sera détruit ce soir, est-ce vrai ?"}`
	for i := 0; i < 2; i++ { // the second is a gateway retry
		if resp, b := e.do(nil, "POST", alerts.IntakePath(ch), reqOpt{hdr: hdr, body: msg}); resp.StatusCode != 200 {
			t.Fatalf("intake %d %s", resp.StatusCode, b)
		}
	}
	e.do(nil, "POST", alerts.IntakePath(e.hook), reqOpt{hdr: map[string]string{"Authorization": "Token hooktok-1"}, body: `{"id":"h-1","text":"attack in Bunia"}`})
	_, b = e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: e.tokens["ana"]})
	var items struct{ Items []integrity.Item }
	json.Unmarshal(b, &items)
	if len(items.Items) != 1 {
		t.Fatalf("%d items, want the tipline message only: %s", len(items.Items), b)
	}
	it := items.Items[0]
	if it.Via != integrity.ViaTipline || it.Kind != "message" || !strings.HasPrefix(it.SourceID, "alert:") || it.Source != "tipline: WhatsApp tipline" || it.Lang != "fr" || it.HasAuthor || strings.Contains(string(b), "243800000001") {
		t.Errorf("tipline item %+v", it)
	}
	if n := e.count(t); n != 2 {
		t.Errorf("%d alerts, want 2 (the tipline message stays an alert too)", n)
	}
}

// TestChannelTiplinePatch: an admin marks an existing channel as a tipline
// (PATCH /api/v1/alerts/channels/{id}); its next message becomes an
// integrity item, and after unmarking the next one stays an alert only. An
// unknown channel is 404, a body without a boolean tipline 400 naming it,
// a role below admin 403; each change is audited.
func TestChannelTiplinePatch(t *testing.T) {
	e := newAlertsEnv(t, "ada", "ana")
	integ := integrity.NewService(e.db, testutil.Keys(t, "k"))
	e.server.Integrity = integ
	e.svc.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTipline(ctx, c.Name, a.ID, a.Message, a.ReceivedAt)
		return err
	}
	path := "/api/v1/alerts/channels/" + i64s(e.hook.ID)
	for _, c := range []struct {
		name, user, path, body string
		status                 int
		want                   string // in the answer
	}{
		{"analyst", "ana", path, `{"tipline":true}`, 403, `"error"`},
		{"unknown channel", "ada", "/api/v1/alerts/channels/99999", `{"tipline":true}`, 404, `"error"`},
		{"bad id", "ada", "/api/v1/alerts/channels/x", `{"tipline":true}`, 400, `"id`},
		{"nothing to change", "ada", path, `{}`, 400, `"key":"alerts.refusal.patch-empty"`},
		{"not a boolean", "ada", path, `{"tipline":"yes"}`, 400, `tipline`},
		{"unknown field", "ada", path, `{"tipline":true,"name":"x"}`, 400, `name`},
		{"mark", "ada", path, `{"tipline":true}`, 200, `"tipline":true`},
	} {
		resp, b := e.do(nil, "PATCH", c.path, reqOpt{token: e.tokens[c.user], body: c.body})
		if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
			t.Errorf("%s: %d %s, want %d with %s", c.name, resp.StatusCode, b, c.status, c.want)
		}
	}
	hdr := map[string]string{"Authorization": "Token hooktok-1"}
	send := func(id, text string) {
		t.Helper()
		if resp, b := e.do(nil, "POST", alerts.IntakePath(e.hook), reqOpt{hdr: hdr, body: `{"id":"` + id + `","from":"+243800000002","text":"` + text + `"}`}); resp.StatusCode != 200 {
			t.Fatalf("intake %s: %d %s", id, resp.StatusCode, b)
		}
	}
	send("t-1", "On dit que les vaccins rendent stérile, est-ce vrai ?")
	if resp, b := e.do(nil, "PATCH", path, reqOpt{token: e.tokens["ada"], body: `{"tipline":false}`}); resp.StatusCode != 200 || !strings.Contains(string(b), `"tipline":false`) {
		t.Fatalf("unmark: %d %s", resp.StatusCode, b)
	}
	send("t-2", "attack in Bunia")
	_, b := e.do(nil, "GET", "/api/v1/integrity/items", reqOpt{token: e.tokens["ana"]})
	var items struct{ Items []integrity.Item }
	json.Unmarshal(b, &items)
	if len(items.Items) != 1 || items.Items[0].Via != integrity.ViaTipline || items.Items[0].Source != "tipline: webhook channel" || !strings.Contains(items.Items[0].Text, "vaccins") {
		t.Errorf("items: want the message sent while a tipline only: %s", b)
	}
	_, b = e.do(nil, "GET", "/api/v1/audit?action=alerts.channel.tipline", reqOpt{token: e.tokens["ada"]})
	if strings.Count(string(b), `"action":"alerts.channel.tipline"`) != 2 || !strings.Contains(string(b), "tipline on") || !strings.Contains(string(b), "tipline off") {
		t.Errorf("audit: %s", b)
	}
}

// TestIntegrityAdmin1French: a first-level area the gazetteer names in
// English has its French name beside it (admin1_fr, « zone d’Abyei ») in
// the items, "where it matters" and the weekly brief (Darfour-Nord, from
// geotext's table of every shipped unit); an area whose name is the same
// in French has none. The Abyei Area's country is both Sudan and South
// Sudan, in either language, never Sudan alone.
func TestIntegrityAdmin1French(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	g, err := geotext.LoadGazetteer(strings.NewReader("name,lat,lon,country,admin1name,kind\nAbyei,9.5956,28.4364,SDN,Abyei Area,town\nBunia,1.5667,30.25,COD,Ituri,town\nKutum,14.2,24.67,SDN,North Darfur,town\n"), "g.csv")
	if err != nil {
		t.Fatal(err)
	}
	e.s.Integrity.SetGazetteer(g)
	for _, body := range []string{
		`{"text":"Rumeur au marché d'Abyei","place":"Abyei","time":"2024-03-18 10:00"}`,
		`{"text":"Rumeur au marché de Bunia","place":"Bunia","time":"2024-03-18 11:00"}`,
		`{"text":"Rumeur au marché de Kutum","place":"Kutum","time":"2024-03-18 12:00"}`,
	} {
		if resp, b := e.do(nil, "POST", "/api/v1/integrity/items", reqOpt{token: ana, body: body}); resp.StatusCode != 201 {
			t.Fatalf("item %d %s", resp.StatusCode, b)
		}
	}
	type area struct {
		Admin1    string `json:"admin1"`
		Admin1FR  string `json:"admin1_fr"`
		CountryEN string `json:"country_name"`
		CountryFR string `json:"country_name_fr"`
	}
	fr := func(as []area) map[string]string {
		m := map[string]string{}
		for _, a := range as {
			m[a.Admin1] = a.Admin1FR
		}
		return m
	}
	want := map[string]string{"Abyei Area": "zone d’Abyei", "Ituri": "", "North Darfur": "Darfour-Nord"}
	var items struct{ Items []area }
	var where struct{ Admin1 []area }
	var brief struct {
		ByAdmin1 []area `json:"by_admin1"`
	}
	for _, c := range []struct {
		path string
		into any
		got  func() []area
	}{
		{"/api/v1/integrity/items", &items, func() []area { return items.Items }},
		{"/api/v1/integrity/where", &where, func() []area { return where.Admin1 }},
		{"/api/v1/integrity/brief", &brief, func() []area { return brief.ByAdmin1 }},
	} {
		resp, b := e.do(nil, "GET", c.path, reqOpt{token: vic})
		if err := json.Unmarshal(b, c.into); resp.StatusCode != 200 || err != nil {
			t.Fatalf("%s: %d %v %s", c.path, resp.StatusCode, err, b)
		}
		if got := fr(c.got()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: French names %v, want %v: %s", c.path, got, want, b)
		}
		for _, a := range c.got() {
			if a.Admin1 == "Abyei Area" && c.path != "/api/v1/integrity/items" && (a.CountryEN != "Sudan / South Sudan" || a.CountryFR != "Soudan / Soudan du Sud") {
				t.Errorf("%s: the Abyei Area in %q / %q", c.path, a.CountryEN, a.CountryFR)
			}
		}
		if strings.Count(string(b), `"admin1_fr"`) != 2 {
			t.Errorf("%s: admin1_fr not once (only where it differs): %s", c.path, b)
		}
	}
}
