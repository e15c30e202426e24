package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/surveys/starter"
)

// FuzzFormsAPI sends arbitrary bodies to the survey form management routes
// (XForm and XLSForm upload, open/close, enumerator grants) and arbitrary
// form ids in their paths; every answer must be below 500, and a 4xx a JSON
// message.
func FuzzFormsAPI(f *testing.F) {
	_, h, tok := surveysFuzzServer(f, "ada", auth.Admin, nil)
	f.Add(uint8(0), "", string(starter.FormXML))
	f.Add(uint8(0), "", `<h:html xmlns:h="http://www.w3.org/1999/xhtml" xmlns="http://www.w3.org/2002/xforms"><h:head><h:title>t</h:title><model><instance><d id="d"><q/></d></instance></model></h:head><h:body/></h:html>`)
	f.Add(uint8(0), "", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`)
	f.Add(uint8(1), "x", "PK\x03\x04")
	f.Add(uint8(1), "", "")
	f.Add(uint8(2), starter.FormID, `{"state":"closed"}`)
	f.Add(uint8(2), starter.FormID, `{"state":"open"}`)
	f.Add(uint8(2), "nope", `{"state":"open"}`)
	f.Add(uint8(2), starter.FormID, `{"state":1}`)
	f.Add(uint8(3), starter.FormID, `{"user":"ada"}`)
	f.Add(uint8(3), starter.FormID, `{"user":"nobody"}`)
	f.Add(uint8(3), "\x00", `{"user":""}`)
	f.Fuzz(func(t *testing.T, which uint8, param, body string) {
		var method, target, ctype string
		switch which % 4 {
		case 0:
			method, target, ctype = "POST", "/api/v1/surveys/forms", "application/xml"
		case 1:
			method, target, ctype = "POST", "/api/v1/surveys/forms?id="+url.QueryEscape(param), xlsxType
		case 2:
			method, target, ctype = "PUT", "/api/v1/surveys/forms/"+url.PathEscape(param)+"/state", "application/json"
		case 3:
			method, target, ctype = "POST", "/api/v1/surveys/forms/"+url.PathEscape(param)+"/enumerators", "application/json"
		}
		req, err := http.NewRequest(method, "http://vigil.test"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", ctype)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		checkAPIAnswer(t, req, w)
	})
}
