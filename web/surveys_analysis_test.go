package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/surveys/estimate"
	"github.com/vigil-project/vigil/surveys/starter"
)

// saEnv is a server with the starter form and its answers, users ana
// (analyst) and vic (viewer), and the form's survey service.
type saEnv struct {
	*testEnv
	svc *surveys.Service
}

// starterAnswers turns the real apiclus1 schools into answers to the
// starter form, deterministically (region from school type, sex from
// awards, safety from the schoolwide target, trust from comp.imp, ...), so
// that the analysis runs on real, unevenly distributed data; rows 1-91 are
// round R1, the others R2.
func starterAnswers(t *testing.T) []string {
	f := shareddata.Open(t, "survey/apiclus1.csv")
	tab, err := estimate.ReadCSV(f, "apiclus1.csv")
	if err != nil {
		t.Fatal(err)
	}
	col := func(c string) []string { v, _ := tab.Strings(c); return v }
	stype, awards, sw, ci, both, ell, meals, yr := col("stype"), col("awards"), col("sch.wide"), col("comp.imp"), col("both"), col("ell"), col("meals"), col("yr.rnd")
	region := map[string]string{"E": "north", "M": "centre", "H": "south"}
	yn := func(v, yes, no string) string {
		if v == "Yes" {
			return yes
		}
		return no
	}
	var out []string
	for i := 0; i < tab.Len(); i++ {
		m, _ := strconv.Atoi(meals[i])
		e, _ := strconv.Atoi(ell[i])
		age := []string{"18_24", "25_34", "35_49", "50_64", "65_plus"}[min(m/20, 4)]
		round := "R1"
		if i >= 91 {
			round = "R2"
		}
		loc := ""
		if i%3 == 0 {
			loc = fmt.Sprintf("<location>%.4f %.4f 0 10</location>", 4.0+float64(i%7)*0.5, 15.0+float64(i%5)*0.5)
		}
		out = append(out, fmt.Sprintf(`<perception id="vigil_perception" version="2026112501"><start>2026-11-02T10:00:00Z</start><end>2026-11-02T10:10:00Z</end><round>%s</round><consent>yes</consent><region>%s</region><admin2>AD%02d</admin2><sex>%s</sex><age_group>%s</age_group><displacement>%s</displacement><q_safety>%s</q_safety><q_trust>%s</q_trust><q_report>%s</q_report><q_violence>%s</q_violence><q_sources>%s</q_sources>%s<meta><instanceID>uuid:api-%d</instanceID></meta></perception>`,
			round, region[stype[i]], i%4, yn(awards[i], "female", "male"), age, yn(yr[i], "idp", "resident"),
			yn(sw[i], "safe", "unsafe"), yn(ci[i], "a_lot", "not_at_all"), yn(both[i], "yes", "no"), map[bool]string{true: "yes", false: "no"}[e > 20],
			yn(sw[i], "radio_un tv", "word_of_mouth"), loc, i))
	}
	return out
}

func newSAEnv(t *testing.T) *saEnv {
	t.Helper()
	db, keys := OpenTestStore(t)
	e := newSAEnvOn(t, db, keys)
	e.addUser(context.Background(), "vic", auth.Viewer)
	return e
}

// newSAEnvOn is newSAEnv over db sealing with keys, without vic.
func newSAEnvOn(t *testing.T, db *storage.DB, keys *crypt.Keyring) *saEnv {
	t.Helper()
	ctx := context.Background()
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	e := &saEnv{testEnv: serveEnv(t, db, &Server{DB: db, Surveys: svc, Log: QuietLog()}, nil), svc: svc}
	e.addUser(ctx, "ana", auth.Analyst)
	if _, _, err := svc.AddForm(ctx, "test", starter.FormXML, nil); err != nil {
		t.Fatalf("starter form refused: %v", err)
	}
	admin := &auth.User{ID: 0, Name: "loader", Role: auth.Admin}
	for i, x := range starterAnswers(t) {
		if _, err := svc.Submit(ctx, admin, []byte(x), nil); err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	return e
}

// do sends a request as user ("" for none) with the default client (which
// follows redirects) and returns the status, body and headers.
func (e *saEnv) do(method, path, user, ctype, body string) (int, []byte, http.Header) {
	e.t.Helper()
	resp, b := e.testEnv.do(http.DefaultClient, method, path, reqOpt{token: e.tokens[user], body: body, ctype: ctype})
	return resp.StatusCode, b, resp.Header
}

func TestSurveyAnalysisAPI(t *testing.T) {
	e := newSAEnv(t)
	base := "/api/v1/surveys/forms/" + starter.FormID

	// Roles: viewers may not read estimates or microdata.
	if code, _, _ := e.do("GET", base+"/analysis", "vic", "", ""); code != http.StatusForbidden {
		t.Errorf("viewer: %d", code)
	}
	if code, _, _ := e.do("GET", base+"/analysis", "", "", ""); code != http.StatusUnauthorized && code != http.StatusSeeOther && code != http.StatusFound {
		t.Errorf("anonymous: %d", code)
	}

	// Estimates for round R2 with the trend from R1.
	code, body, _ := e.do("GET", base+"/analysis?round=R2&compare=R1", "ana", "", "")
	if code != http.StatusOK {
		t.Fatalf("analysis: %d %s", code, body)
	}
	var resp struct {
		Rounds   []string `json:"rounds"`
		Analysis struct {
			Respondents int `json:"respondents"`
			Results     []struct {
				Indicator struct{ ID string }         `json:"indicator"`
				Overall   map[string]any              `json:"overall"`
				By        map[string][]map[string]any `json:"by"`
			} `json:"results"`
		} `json:"analysis"`
		Trend []struct {
			Indicator string         `json:"indicator"`
			Overall   map[string]any `json:"overall"`
		} `json:"trend"`
		Cells []struct{ GID int } `json:"cells"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	if strings.Join(resp.Rounds, ",") != "R1,R2" || resp.Analysis.Respondents != 92 {
		t.Errorf("rounds %v respondents %d", resp.Rounds, resp.Analysis.Respondents)
	}
	// feels_safe overall in R2 must equal the unweighted share computed
	// here (simple random sample: no design fields in the starter).
	answers := starterAnswers(t)[91:]
	safe := 0
	for _, a := range answers {
		if strings.Contains(a, "<q_safety>safe<") {
			safe++
		}
	}
	var trust map[string]any
	for _, r := range resp.Analysis.Results {
		if r.Indicator.ID == "feels_safe" {
			got := r.Overall["estimate"].(float64)
			if want := float64(safe) / float64(len(answers)); got < want-1e-12 || got > want+1e-12 {
				t.Errorf("feels_safe %v, want %v", got, want)
			}
		}
		if r.Indicator.ID == "trusts_mission" {
			trust = r.Overall
			regions := r.By["region"]
			if len(regions) == 0 {
				t.Error("no trust by region")
			}
			for _, g := range regions {
				if g["suppressed"] == false && (g["ci_low"] == nil || g["ci_high"] == nil) {
					t.Errorf("region %v shown without an interval", g["group"])
				}
				if g["suppressed"] == true && g["estimate"] != nil {
					t.Errorf("region %v suppressed but shows %v", g["group"], g["estimate"])
				}
			}
		}
	}
	if trust == nil || trust["ci_low"] == nil {
		t.Errorf("trust overall %v", trust)
	}
	if len(resp.Trend) != len(starter.Indicators()) || resp.Trend[0].Overall["change"] == nil {
		t.Errorf("trend %+v", resp.Trend)
	}
	if len(resp.Cells) == 0 {
		t.Error("no grid cells for the map layer")
	}
	recs, _ := e.db.AuditLog(context.Background(), audit.Filter{Action: "survey.read"})
	if len(recs) == 0 {
		t.Error("reading answers was not audited")
	}

	// Bad input: unknown round, unknown parameter, unknown form.
	for _, c := range []struct {
		path string
		code int
		want string
	}{
		{base + "/analysis?round=R9", 400, "no responses in round"},
		{base + "/analysis?bogus=1", 400, "bogus"},
		{"/api/v1/surveys/forms/nope/analysis", 404, "nope"},
		{base + "/unheard", 400, "no population margins"},
		{base + "/unheard?margins=census", 409, "not loaded"},
		{base + "/export?format=xlsx", 400, "format"},
		{"/api/v1/surveys/interlocutors?from=yesterday", 400, "not a date"},
	} {
		code, body, _ := e.do("GET", c.path, "ana", "", "")
		if code != c.code || !strings.Contains(string(body), c.want) {
			t.Errorf("GET %s: %d %s, want %d %q", c.path, code, body, c.code, c.want)
		}
	}

	// Margins upload: bad CSV names the line; good CSV is stored.
	code, body, _ = e.do("PUT", "/api/v1/surveys/margins/census", "ana", "text/csv", "region,sex,population\nnorth,female,x\n")
	if code != 400 || !strings.Contains(string(body), "line 2") {
		t.Errorf("bad margins: %d %s", code, body)
	}
	margins := "region,sex,population\nnorth,female,52000\nnorth,male,50000\ncentre,female,21000\ncentre,male,20000\nsouth,female,30000\nsouth,male,29000\neast,female,15000\neast,male,14000\n"
	if code, body, _ = e.do("PUT", "/api/v1/surveys/margins/census", "ana", "text/csv", margins); code != 200 {
		t.Fatalf("margins: %d %s", code, body)
	}
	if code, body, _ = e.do("PUT", "/api/v1/surveys/margins/bad%20name", "ana", "text/csv", margins); code != 400 {
		t.Errorf("bad name: %d %s", code, body)
	}

	// Interlocutor log.
	for _, it := range []string{
		`{"date":"2026-11-02","place":"north","group":"resident","sex":"male","role":"chief"}`,
		`{"date":"2026-11-03","place":"north","group":"resident","sex":"male","role":"elder"}`,
	} {
		if code, body, _ = e.do("POST", "/api/v1/surveys/interlocutors", "ana", "application/json", it); code != 201 {
			t.Fatalf("interlocutor: %d %s", code, body)
		}
	}
	if code, body, _ = e.do("POST", "/api/v1/surveys/interlocutors", "ana", "application/json", `{"date":"2 Nov","place":"north"}`); code != 400 || !strings.Contains(string(body), `"field":"date"`) {
		t.Errorf("bad interlocutor: %d %s", code, body)
	}

	// Who is unheard: east has population but no respondents.
	code, body, _ = e.do("GET", base+"/unheard?margins=census", "ana", "", "")
	if code != 200 {
		t.Fatalf("unheard: %d %s", code, body)
	}
	var un struct {
		Respondents, Interlocutors surveys.UnheardReport
	}
	if err := json.Unmarshal(body, &un); err != nil {
		t.Fatal(err)
	}
	flagged := map[string]string{}
	for _, f := range un.Respondents.Flagged {
		flagged[f.Place+"|"+f.Dim+"="+f.Group] = f.Flag
	}
	if flagged["|region=east"] != "unheard" {
		t.Errorf("east not flagged: %v", flagged)
	}
	if len(un.Interlocutors.Groups) == 0 {
		t.Error("no interlocutor comparison")
	}

	// Protected export: k = 5 on region, admin2, sex, age group,
	// displacement; HXL hashtags; no GPS, no instance ids.
	code, body, hdr := e.do("GET", base+"/export?format=hxl&round=R1", "ana", "", "")
	if code != 200 {
		t.Fatalf("export: %d %s", code, body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2+91 || rows[1][0] != "#adm1 +name" {
		t.Fatalf("export has %d lines, hashtags %v", len(rows), rows[1])
	}
	for _, c := range rows[0] {
		if c == "location" || c == "_instance_id" || c == "_enumerator" {
			t.Errorf("exported column %s", c)
		}
	}
	qis := starter.QuasiIdentifiers
	idx := map[string]int{}
	for j, c := range rows[0] {
		idx[c] = j
	}
	for i := 2; i < len(rows); i++ {
		n := 0
		for k := 2; k < len(rows); k++ {
			ok := true
			for _, q := range qis {
				a, b := rows[i][idx[q]], rows[k][idx[q]]
				if a != b && a != "*" && b != "*" {
					ok = false
				}
			}
			if ok {
				n++
			}
		}
		if n < 5 {
			t.Fatalf("export line %d compatible with %d records", i+1, n)
		}
	}
	if !strings.Contains(hdr.Get("X-Vigil-Disclosure"), "k=5") {
		t.Errorf("header %q", hdr.Get("X-Vigil-Disclosure"))
	}
	recs, _ = e.db.AuditLog(context.Background(), audit.Filter{Action: "survey.export"})
	if len(recs) != 1 {
		t.Errorf("%d export audit records", len(recs))
	}

	// Settings: the starter default, then a custom set that must validate.
	if code, body, _ = e.do("GET", base+"/analysis/settings", "ana", "", ""); code != 200 || !strings.Contains(string(body), "trusts_mission") {
		t.Errorf("settings: %d %s", code, body)
	}
	if code, body, _ = e.do("PUT", base+"/analysis/settings", "ana", "application/json", `{"indicators":[],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`); code != 400 || !strings.Contains(string(body), `"field":"indicators"`) {
		t.Errorf("empty indicators: %d %s", code, body)
	}
	// A refused setting is named by its JSON path, as the page's settings
	// form marks the input: a value of the wrong type (the decoder's
	// refusal), the disclosure rule's own fields, a field the form lacks.
	for _, c := range []struct{ body, field string }{
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"area_field":"region","disclosure":{"k":"five","quasi_identifiers":["region"]}}`, "disclosure.k"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"area_field":"region","disclosure":{"k":5,"max_risk":2,"quasi_identifiers":["region"]}}`, "disclosure.max_risk"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"area_field":"region","weights":"pw","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "weights"},
		// What the analysis reports: each indicator's member (multiple
		// against its question's type), a breakdown, the finite population
		// correction.
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]},{"id":"","field":"q_trust","values":["a_lot"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[1].id"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]},{"id":"safe","field":"q_trust","values":["a_lot"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[1].id"},
		{`{"indicators":[{"id":"safe","field":"","values":["safe"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[0].field"},
		{`{"indicators":[{"id":"safe","field":"q_safe","values":["safe"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[0].field"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":[]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[0].values"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"],"missing":["safe"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[0].missing"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"],"multiple":true}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[0].multiple"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]},{"id":"radio","field":"q_sources","values":["radio_un"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "indicators[1].multiple"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"breakdowns":["sex","agegroup"],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "breakdowns[1]"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"fpc":["region"],"clusters":["admin2","sex"],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "fpc"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"fpc":["popsize"],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "fpc"},
		// The fields that place the answers: area, round, GPS point.
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"area_field":"province","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "area_field"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"area_field":"region","round_field":"wave","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "round_field"},
		{`{"indicators":[{"id":"safe","field":"q_safety","values":["safe"]}],"area_field":"region","geo_field":"gps","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "geo_field"},
	} {
		if code, body, _ = e.do("PUT", base+"/analysis/settings", "ana", "application/json", c.body); code != 400 || !strings.Contains(string(body), `"field":"`+c.field+`"`) {
			t.Errorf("settings refused: %d %s, want 400 naming %s", code, body, c.field)
		}
	}
	good := `{"indicators":[{"id":"safe","field":"q_safety","values":["very_safe","safe"]}],"breakdowns":["region","sex"],"margins":"census","rake_on":["region","sex"],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region","sex"]}}`
	if code, body, _ = e.do("PUT", base+"/analysis/settings", "ana", "application/json", good); code != 200 {
		t.Fatalf("settings: %d %s", code, body)
	}
	// Raking to the census needs respondents in every cell: east has none,
	// so it is left out with a warning.
	if code, body, _ = e.do("GET", base+"/analysis?round=R2", "ana", "", ""); code != 200 || !strings.Contains(string(body), "raked on region, sex") || !strings.Contains(string(body), "region=east") {
		t.Errorf("raked analysis: %d %.400s", code, body)
	}
}
