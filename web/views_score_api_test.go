package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/forecast/viewschallenge"
	"github.com/vigil-project/vigil/internal/apperr"
)

// viewsForm is a multipart body with the parts given (name, file name,
// content; a field's value when the file name is ""), and its
// Content-Type.
func viewsForm(parts ...[3]string) (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		if p[1] == "" {
			mw.WriteField(p[0], p[2])
			continue
		}
		w, _ := mw.CreateFormFile(p[0], p[1])
		w.Write([]byte(p[2]))
	}
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

const (
	viewsFC  = "month_id,country_id,draw,outcome\n469,1,0,0\n469,1,1,2\n469,2,0,5\n469,2,1,7\n"
	viewsAct = "month_id,country_id,ged_sb\n469,1,1\n469,2,6\n"
	// viewsFeat: the features the benchmark forecasts month 469 from
	// (their last month, 466, is the cutoff)
	viewsFeat = "month_id,country_id,ged_sb,ged_sb_tlag_1\n465,1,0,2\n466,1,3,0\n465,2,4,NA\n466,2,5,4\n"
)

// scoreAudits counts the audit log's scorings.
func scoreAudits(t testing.TB, e *testEnv) int {
	t.Helper()
	recs, err := e.db.AuditLog(context.Background(), audit.Filter{Action: "forecast.score"})
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// TestViewsScoreAPI: an analyst scores a forecast file against actuals
// and reads the scores vigil views score prints (ScoreFiles on the same
// files), audited as theirs; a viewer is refused; a bad request or file is
// 400 naming the part, or the file, line and column (in English and, by
// its key, French), and writes nothing, not even an audit entry.
func TestViewsScoreAPI(t *testing.T) {
	e := newEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	body, ct := viewsForm([3]string{"forecast", "fc.csv", viewsFC}, [3]string{"actuals", "act.csv", viewsAct})
	if resp, b := e.do(nil, "POST", "/api/v1/forecast/views/score", reqOpt{token: vic, body: body, ctype: ct}); resp.StatusCode != 403 {
		t.Errorf("viewer: %d %s, want 403", resp.StatusCode, b)
	}
	for _, c := range []struct {
		name, path, body, ctype string
		line                    int
		field, error, fr        string
	}{
		{name: "not multipart", body: viewsFC, ctype: "text/csv", field: "forecast"},
		{name: "a query parameter", path: "?x=1", body: body, ctype: ct, field: "x"},
		{name: "no actuals part", ctype: "form", body: "forecast", field: "actuals"},
		{name: "a bad outcome", ctype: "form", body: "forecast:fc.csv:" + strings.Replace(viewsFC, "469,2,1,7", "469,2,1,x", 1), line: 5, field: "outcome",
			error: `fc.csv:5: outcome: "x" is not a number`, fr: "fichier fc.csv, ligne 5, colonne outcome\u00a0: «\u202fx\u202f» n’est pas un nombre"},
		{name: "an actual without forecast", ctype: "form", body: "actuals:act.csv:" + viewsAct + "470,1,0\n",
			error: "fc.csv: no forecast for country 1 month 470 in the actuals", fr: "fichier fc.csv\u00a0: aucune prévision pour le pays 1, mois 470, qui est dans les valeurs observées"},
		{name: "a bad features file", ctype: "form", body: "features:feat.csv:" + strings.Replace(viewsFeat, "466,2,5,4", "466,2,5,-4", 1), line: 5, field: "ged_sb_tlag_1",
			error: "feat.csv:5: ged_sb_tlag_1: -4 is negative", fr: "fichier feat.csv, ligne 5, colonne ged_sb_tlag_1\u00a0: -4 est négatif"},
		{name: "features without an actual's country", ctype: "form", body: "features:feat.csv:month_id,country_id,ged_sb\n466,1,3\n",
			error: "feat.csv: no poisson-last forecast for country 2 month 469 of the actuals: no history of the country here, or the month is not 3 to 14 months after the cutoff 466",
			fr:    "fichier feat.csv\u00a0: aucune prévision poisson-last pour le pays 2, mois 469 des valeurs observées\u00a0: pas d’historique du pays ici, ou le mois n’est pas 3 à 14 mois après le mois de coupure 466"},
		{name: "a cutoff too late", ctype: "form", body: "features:feat.csv:" + viewsFeat + "|cutoff::467", error: "feat.csv: no poisson-last forecast for country 1 month 469 of the actuals: " +
			"no history of the country here, or the month is not 3 to 14 months after the cutoff 467"},
		{name: "a cutoff not a month", ctype: "form", body: "features:feat.csv:" + viewsFeat + "|cutoff::oct", field: "cutoff",
			error: `cutoff: "oct" is not a month_id from 1 to 2000`, fr: "cutoff\u00a0: «\u202foct\u202f» n’est pas un month_id de 1 à 2000"},
		{name: "a cutoff twice", ctype: "form", body: "features:feat.csv:" + viewsFeat + "|cutoff::466|cutoff::466", field: "cutoff",
			error: "cutoff: given 2 times, want once", fr: "cutoff\u00a0: donné 2 fois, il faut une seule fois"},
		{name: "a cutoff without features", ctype: "form", body: "cutoff::466", field: "cutoff",
			error: "cutoff: given without a features file to forecast the benchmark from", fr: "cutoff\u00a0: donné sans fichier de variables d’où prévoir la référence"},
		{name: "a negative actual", ctype: "form", body: "actuals:act.csv:" + strings.Replace(viewsAct, "469,2,6", "469,2,-6", 1), line: 3, field: "ged_sb",
			error: "act.csv:3: ged_sb: -6 is negative", fr: "fichier act.csv, ligne 3, colonne ged_sb\u00a0: -6 est négatif"},
	} {
		b, typ := c.body, c.ctype
		if typ == "form" { // the good files, one part left out, replaced or added (part:name:content|…; name "": a field)
			ps := [][3]string{{"forecast", "fc.csv", viewsFC}, {"actuals", "act.csv", viewsAct}}
			if c.body == "forecast" {
				ps = ps[:1]
			}
			for _, p := range strings.Split(c.body, "|") {
				name, rest, ok := strings.Cut(p, ":")
				if !ok {
					continue
				}
				file, content, _ := strings.Cut(rest, ":")
				i := slices.IndexFunc(ps, func(q [3]string) bool { return q[0] == name && q[1] != "" })
				if i < 0 || file == "" {
					ps = append(ps, [3]string{name, file, content})
				} else {
					ps[i] = [3]string{name, file, content}
				}
			}
			b, typ = viewsForm(ps...)
		}
		resp, out := e.do(nil, "POST", "/api/v1/forecast/views/score"+c.path, reqOpt{token: ana, body: b, ctype: typ})
		var got struct {
			Error, Key, Field string
			Line              int
			Args              map[string]string
		}
		if err := json.Unmarshal(out, &got); err != nil || resp.StatusCode != 400 || got.Field != c.field || got.Line != c.line || (c.error != "" && got.Error != c.error) {
			t.Errorf("%s: %d %s, want 400 at line %d, field %q, %q", c.name, resp.StatusCode, out, c.line, c.field, c.error)
			continue
		}
		if c.fr != "" {
			if fr := (apperr.Message{Key: got.Key, Args: got.Args}).Text("fr"); fr != c.fr {
				t.Errorf("%s: French %q, want %q", c.name, fr, c.fr)
			}
		}
	}
	if n := scoreAudits(t, e); n != 0 {
		t.Fatalf("%d scorings audited after refusals, want none", n)
	}
	resp, out := e.do(nil, "POST", "/api/v1/forecast/views/score", reqOpt{token: ana, body: body, ctype: ct})
	want, err := viewschallenge.ScoreFiles("fc.csv", strings.NewReader(viewsFC), "act.csv", strings.NewReader(viewsAct))
	if err != nil {
		t.Fatal(err)
	}
	var got viewschallenge.Scores
	if resp.StatusCode != 200 || json.Unmarshal(out, &got) != nil || got != want || got.N != 2 || got.Draws != 2 {
		t.Fatalf("scores: %d %s, want %+v", resp.StatusCode, out, want)
	}
	// With the features: the benchmarks CompareFiles scores on the same
	// files (zero and poisson-last from the features' last month, 466).
	body, ct = viewsForm([3]string{"forecast", "fc.csv", viewsFC}, [3]string{"actuals", "act.csv", viewsAct}, [3]string{"features", "feat.csv", viewsFeat})
	resp, out = e.do(nil, "POST", "/api/v1/forecast/views/score", reqOpt{token: ana, body: body, ctype: ct})
	wantC, err := viewschallenge.CompareFiles(context.Background(), viewschallenge.CompareInput{ForecastName: "fc.csv", Forecast: strings.NewReader(viewsFC),
		ActualsName: "act.csv", Actuals: strings.NewReader(viewsAct), FeaturesName: "feat.csv", Features: strings.NewReader(viewsFeat)})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(wantC)
	if resp.StatusCode != 200 || strings.TrimSpace(string(out)) != string(wantJSON) || wantC.Scores != want || wantC.Cutoff != 466 || len(wantC.Benchmarks) != 2 {
		t.Fatalf("with features: %d %s, want %+v", resp.StatusCode, out, wantC)
	}
	recs, err := e.db.AuditLog(context.Background(), audit.Filter{Action: "forecast.score"})
	if err != nil || len(recs) != 2 || recs[0].Actor != "ana" || recs[0].Object != "views:fc.csv" || recs[1].Object != "views:fc.csv" {
		t.Errorf("audit: %+v, %v; want two scorings of fc.csv by ana", recs, err)
	}
}

// FuzzViewsScoreUpload posts arbitrary forecast and actuals files: the
// answer is 200 or a 4xx with a message, never a 500 or a panic, and only
// a scoring (200) is audited.
func FuzzViewsScoreUpload(f *testing.F) {
	f.Add(viewsFC, viewsAct)
	f.Add(viewsFC, "month_id,country_id,ged_sb\n469,1,1\n")
	f.Add("month_id,country_id,draw,outcome\n469,1,0,1e400\n", viewsAct)
	f.Add("month_id,country_id,draw,outcome\n\"469,1,0,1\n", "")
	f.Add("month_id,country_id,draw,outcome\n469,1,-1,NaN\n469,1,-1,0\n", "ged_sb\n")
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, fc, act string) {
		body, ct := viewsForm([3]string{"forecast", "fc.csv", fc}, [3]string{"actuals", "act.csv", act})
		fuzzScore(t, e, body, ct)
	})
}

// fuzzScore posts a scoring as the analyst: the answer is 200 or a 4xx
// with a message, never a 500, and only a scoring (200) is audited.
func fuzzScore(t *testing.T, e *testEnv, body, ct string) {
	t.Helper()
	before := scoreAudits(t, e)
	req := httptest.NewRequest("POST", "http://vigil.test/api/v1/forecast/views/score", strings.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+e.tokens["ana"])
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	after := scoreAudits(t, e)
	switch {
	case w.Code >= 500 || w.Code == 200 && after != before+1 || w.Code != 200 && after != before:
		t.Fatalf("%d %s (scorings audited %d → %d)", w.Code, w.Body.String(), before, after)
	case w.Code != 200 && !strings.Contains(w.Body.String(), `"error"`):
		t.Fatalf("%d without a message: %s", w.Code, w.Body.String())
	case w.Code != 200 && w.Code != http.StatusBadRequest && w.Code != http.StatusRequestEntityTooLarge:
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
}

// FuzzViewsBenchmarkUpload posts the good forecast and actuals with an
// arbitrary features file and cutoff field (the poisson-last benchmark's
// input): the answer is 200 or a 4xx with a message, never a 500 or a
// panic, and only a scoring (200) is audited.
func FuzzViewsBenchmarkUpload(f *testing.F) {
	f.Add(viewsFeat, "")
	f.Add(viewsFeat, "466")
	f.Add(viewsFeat, "465")
	f.Add("month_id,country_id,ged_sb\n466,1,1e308\n466,2,0\n", "")
	f.Add("month_id,country_id,ged_sb,ged_sb_tlag_1\n466,1,3,x\n", "")
	f.Add("month_id,country_id,ged_sb\n470,1,3\n470,2,3\n", "466")
	f.Add("country_id,month_id,ged_sb\n1,466,NA\n", "0")
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, feat, cutoff string) {
		body, ct := viewsForm([3]string{"forecast", "fc.csv", viewsFC}, [3]string{"actuals", "act.csv", viewsAct},
			[3]string{"features", "feat.csv", feat}, [3]string{"cutoff", "", cutoff})
		fuzzScore(t, e, body, ct)
	})
}
