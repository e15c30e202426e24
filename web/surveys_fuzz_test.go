package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys/starter"
)

// FuzzSurveyAnalysisInput sends arbitrary bodies and query values to the
// survey analysis endpoints that take outside input: every answer must be
// a 2xx or a 4xx with a JSON message, never a 5xx.
func FuzzSurveyAnalysisInput(f *testing.F) {
	ctx := context.Background()
	s, h, tok := surveysFuzzServer(f, "ana", auth.Analyst, nil)
	svc := s.Surveys
	admin := &auth.User{Name: "loader", Role: auth.Admin}
	for _, x := range []string{"north", "north", "south"} {
		sub := `<perception id="vigil_perception" version="2026112501"><round>R1</round><consent>yes</consent><region>` + x + `</region><sex>female</sex><age_group>18_24</age_group><displacement>idp</displacement><q_safety>safe</q_safety><q_trust>a_lot</q_trust><q_report>yes</q_report><q_violence>no</q_violence><q_sources>tv</q_sources><location>4.5 15.5 0 5</location><meta><instanceID>uuid:` + x + strings.Repeat("x", len(x)%3) + `</instanceID></meta></perception>`
		_, _ = svc.Submit(ctx, admin, []byte(sub), nil)
	}
	f.Add(0, "region,sex,population\nnorth,female,10\n", "R1")
	f.Add(1, `{"date":"2026-11-02","place":"north","group":"idp","sex":"female","role":"chief"}`, "")
	f.Add(1, `{"date":"2026-02-30","place":"no\u202erth","group":"i\u200bdp","sex":"female","role":"chief\u0000"}`, "")
	f.Add(3, "", strings.Repeat("R", 5000))
	f.Add(2, `{"indicators":[{"id":"a","field":"q_safety","values":["safe"]}],"area_field":"region","disclosure":{"k":5,"quasi_identifiers":["region"]}}`, "")
	f.Add(3, "", "R1")
	f.Add(4, "", "csv")
	f.Add(4, "round,meta/instanceID", "csv")
	f.Add(5, "", "census")
	f.Fuzz(func(t *testing.T, which int, body, param string) {
		base := "/api/v1/surveys/forms/" + starter.FormID
		var method, path, ctype string
		switch ((which % 6) + 6) % 6 {
		case 0:
			method, path, ctype = "PUT", "/api/v1/surveys/margins/census", "text/csv"
		case 1:
			method, path, ctype = "POST", "/api/v1/surveys/interlocutors", "application/json"
		case 2:
			method, path, ctype = "PUT", base+"/analysis/settings", "application/json"
		case 3:
			method, path = "GET", base+"/analysis?round="+urlEscape(param)+"&compare="+urlEscape(body)
		case 4:
			method, path = "GET", base+"/export?format="+urlEscape(param)+"&text="+urlEscape(body)
		case 5:
			method, path = "GET", base+"/unheard?margins="+urlEscape(param)+"&from="+urlEscape(body)
		}
		var rd io.Reader
		if method != "GET" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, rd)
		req.Header.Set("Authorization", "Bearer "+tok)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
		}
		if w.Code >= 400 && !strings.Contains(w.Header().Get("Content-Type"), "json") {
			t.Fatalf("%s %s: %d without a JSON message", method, path, w.Code)
		}
		_ = http.StatusOK
	})
}

func urlEscape(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "#", "%23", "+", "%2B", " ", "%20", "?", "%3F", "\n", "%0A", "\r", "%0D", "\t", "%09")
	var b strings.Builder
	for _, c := range []byte(r.Replace(s)) {
		if c < 0x20 || c >= 0x7f {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
