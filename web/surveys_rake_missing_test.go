package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
)

// TestSurveyRakeMissing: a respondent who answered the questions but not
// a calibration field refuses the raked analysis by default (422, keyed,
// naming the respondent); with the setting rake_missing "leave_out" saved
// through the API, the analysis leaves them out, counts them
// (no_calibration_answer) and says so in a warning the page translates;
// any other value of rake_missing is a 400 naming it.
func TestSurveyRakeMissing(t *testing.T) {
	keys, err := crypt.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := newSAEnvOn(t, sharedDBs(t)[0].a, keys)
	// A form whose region is not required: 12 answers, one without it.
	form := `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>R</h:title><model>
<instance><rk id="rk" version="1"><region/><safe/><meta><instanceID/></meta></rk></instance>
<bind nodeset="/rk/region" type="string"/><bind nodeset="/rk/safe" type="string"/><bind nodeset="/rk/meta/instanceID" type="string"/>
</model></h:head><h:body><select1 ref="/rk/region"><item><value>north</value></item><item><value>south</value></item></select1>
<select1 ref="/rk/safe"><item><value>yes</value></item><item><value>no</value></item></select1></h:body></h:html>`
	if _, _, err := e.svc.AddForm(t.Context(), "test", []byte(form), nil); err != nil {
		t.Fatal(err)
	}
	const n = 12
	for i := range n {
		region := []string{"north", "south", "north"}[i%3]
		if i == 5 {
			region = ""
		}
		x := fmt.Sprintf(`<rk id="rk" version="1"><region>%s</region><safe>%s</safe><meta><instanceID>uuid:rk-%d</instanceID></meta></rk>`, region, []string{"yes", "no"}[i%2], i)
		if _, err := e.svc.Submit(t.Context(), &auth.User{Name: "loader", Role: auth.Admin}, []byte(x), nil); err != nil {
			t.Fatal(err)
		}
	}
	base := "/api/v1/surveys/forms/rk"
	if code, body, _ := e.do("PUT", "/api/v1/surveys/margins/regions", "ana", "text/csv", "region,population\nnorth,600\nsouth,400\n"); code != 200 {
		t.Fatalf("margins: %d %s", code, body)
	}
	settings := func(missing string) string {
		return `{"indicators":[{"id":"safe","field":"safe","values":["yes"]}],"margins":"regions","rake_on":["region"],"rake_missing":"` + missing + `","area_field":"region","disclosure":{"k":2,"quasi_identifiers":["region"]}}`
	}
	var a struct {
		Analysis struct {
			Respondents         int
			Warnings            []string
			NoCalibrationAnswer map[string]int `json:"no_calibration_answer"`
		}
		Key, Field string
	}
	for _, c := range []struct {
		missing string
		save    int
		field   string
		analyse int
		key     string
	}{
		{"", 200, "", 422, "surveys.refusal.rake-no-answer"},
		{"refuse", 200, "", 422, "surveys.refusal.rake-no-answer"},
		{"drop", 400, "rake_missing", 422, "surveys.refusal.rake-no-answer"}, // the settings before are kept
		{"leave_out", 200, "", 200, ""},
	} {
		code, body, _ := e.do("PUT", base+"/analysis/settings", "ana", "application/json", settings(c.missing))
		a.Key, a.Field = "", ""
		_ = json.Unmarshal(body, &a)
		if code != c.save || a.Field != c.field {
			t.Errorf("%q: saved %d %s, want %d naming %q", c.missing, code, body, c.save, c.field)
		}
		code, body, _ = e.do("GET", base+"/analysis", "ana", "", "")
		a.Key = ""
		_ = json.Unmarshal(body, &a)
		if code != c.analyse || a.Key != c.key {
			t.Errorf("%q: analysis %d %.300s, want %d %s", c.missing, code, body, c.analyse, c.key)
		}
	}
	if a.Analysis.Respondents != n-1 || a.Analysis.NoCalibrationAnswer["region"] != 1 || !slices.Contains(a.Analysis.Warnings, "1 respondent left out: no region") {
		t.Errorf("left out: %d respondents, counted %v, warnings %q; want %d, region 1, said", a.Analysis.Respondents, a.Analysis.NoCalibrationAnswer, a.Analysis.Warnings, n-1)
	}
}
