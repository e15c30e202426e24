package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestIntegrityLearnAPI: analysts label items (bad labels 400 naming the
// field, unknown items 404, viewers 403); the learning state counts the
// labels; retraining without the training data answers 503 and saying
// why; activation checks the model; a term added through the API is
// matched in an item stored before it, with the progress readable.
func TestIntegrityLearnAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: integrityExport, ctype: "text/csv"}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	_, b := e.do(nil, "GET", "/api/v1/integrity/items?q=bridge", reqOpt{token: vic})
	var list struct {
		Items []struct {
			ID      int64 `json:"id"`
			Matches []struct {
				Term    string `json:"term"`
				Explain string `json:"explain"`
			} `json:"matches"`
		} `json:"items"`
	}
	if json.Unmarshal(b, &list); len(list.Items) == 0 {
		t.Fatalf("items: %s", b)
	}
	id := list.Items[0].ID
	idJSON := func(s string) string { return strings.ReplaceAll(s, "ID", jsonInt(id)) }

	for _, tc := range []struct {
		token, body string
		status      int
		field       string
	}{
		{vic, `{"item": ID, "label": "harmful"}`, 403, ""},
		{ana, `{"item": ID, "label": "toxic"}`, 400, "label"},
		{ana, `{"item": ID, "label": "normal", "class": "hate"}`, 400, "class"},
		{ana, `{"item": 999999, "label": "harmful"}`, 404, ""},
		{ana, `{"item": ID, "label": "harmful", "class": "incitement"}`, 200, ""},
	} {
		resp, b := e.do(nil, "POST", "/api/v1/integrity/labels", reqOpt{token: tc.token, body: idJSON(tc.body), ctype: "application/json"})
		var apiErr struct{ Field string }
		json.Unmarshal(b, &apiErr)
		if resp.StatusCode != tc.status || apiErr.Field != tc.field {
			t.Errorf("%s: %d %s, want %d %s", tc.body, resp.StatusCode, b, tc.status, tc.field)
		}
		if tc.status == 200 && !strings.Contains(string(b), `"labelled":"harmful","label_class":"incitement"`) {
			t.Errorf("labelled item: %s", b)
		}
	}
	resp, b := e.do(nil, "GET", "/api/v1/integrity/models", reqOpt{token: vic})
	var l struct {
		Harmful  int   `json:"harmful"`
		CanTrain bool  `json:"can_train"`
		Models   []any `json:"models"`
	}
	if json.Unmarshal(b, &l); resp.StatusCode != 200 || l.Harmful != 1 || l.CanTrain || l.Models == nil {
		t.Errorf("learning: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/models/train", reqOpt{token: ana}); resp.StatusCode != 503 || !strings.Contains(string(b), "--mdmh-data") {
		t.Errorf("train without the training data: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "POST", "/api/v1/integrity/models/train", reqOpt{token: vic}); resp.StatusCode != 403 {
		t.Errorf("viewer trains: %d", resp.StatusCode)
	}
	for _, tc := range []struct {
		body   string
		status int
	}{{`{"model": 7}`, 404}, {`{"model": -1}`, 400}, {`{"model": "x"}`, 400}, {`{"model": 0}`, 200}} {
		if resp, b := e.do(nil, "POST", "/api/v1/integrity/models/activate", reqOpt{token: ana, body: tc.body, ctype: "application/json"}); resp.StatusCode != tc.status {
			t.Errorf("activate %s: %d %s", tc.body, resp.StatusCode, b)
		}
	}

	// A new term is matched in the item stored before it.
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/terms", reqOpt{token: ana, body: `{"term": "bridge", "meaning": "a target named in rumours", "severity": 2}`, ctype: "application/json"}); resp.StatusCode/100 != 2 {
		t.Fatalf("add term: %d %s", resp.StatusCode, b)
	}
	_, b = e.do(nil, "GET", "/api/v1/integrity/items/"+jsonInt(id), reqOpt{token: vic})
	if !strings.Contains(string(b), `matched 'bridge' — meaning a target named in rumours`) {
		t.Errorf("item after the term was added: %s", b)
	}
	for _, path := range []string{"/api/v1/integrity/terms/rematch", "/api/v1/integrity/models/rescore"} {
		if resp, b := e.do(nil, "GET", path, reqOpt{token: vic}); resp.StatusCode != 200 || !strings.Contains(string(b), `"running":false`) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// FuzzIntegrityLearn sends arbitrary bodies to the label and activate
// endpoints: every answer is 2xx or 4xx with a JSON message, never 5xx.
func FuzzIntegrityLearn(f *testing.F) {
	e := newIntegrityEnv(f)
	tok := e.tokens["ana"]
	req := httptest.NewRequest("POST", "/api/v1/integrity/import?name=x.csv", strings.NewReader(integrityExport))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "text/csv")
	e.h.ServeHTTP(httptest.NewRecorder(), req)
	f.Add(false, `{"item":1,"label":"harmful","class":"hate"}`)
	f.Add(false, `{"item":2,"label":"normal"}`)
	f.Add(false, `{"item":1,"label":""}`)
	f.Add(false, `{"item":-1,"label":"harmful","class":"\u0000"}`)
	f.Add(true, `{"model":0}`)
	f.Add(true, `{"model":9223372036854775807}`)
	f.Fuzz(func(t *testing.T, activate bool, body string) {
		path := "/api/v1/integrity/labels"
		if activate {
			path = "/api/v1/integrity/models/activate"
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %q: %d %s", path, body, w.Code, w.Body.String())
		}
		if w.Code >= 400 && !strings.Contains(w.Body.String(), `"error"`) {
			t.Fatalf("%d without a JSON error: %s", w.Code, w.Body.String())
		}
	})
}
