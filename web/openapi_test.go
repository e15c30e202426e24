package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vigil-project/vigil/internal/testutil/wanterr"
)

type openAPIDocument struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

func loadOpenAPI(t *testing.T) openAPIDocument {
	t.Helper()
	if openAPIErr != nil {
		t.Fatalf("OpenAPI document: %v", openAPIErr)
	}
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("web/openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("web/openapi.json: openapi %q, want 3.1.x", doc.OpenAPI)
	}
	return doc
}

// TestOpenAPICoversRoutes walks every row of the route table (routes.go)
// and fails for each /api/v1 route (and the login, logout and health
// routes) missing from web/openapi.json. If you added a route: describe it
// there.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	if len(routes) == 0 {
		t.Fatal("the route table is empty")
	}
	checked := 0
	for _, rt := range routes {
		p := rt.pattern
		method, path, ok := strings.Cut(p, " ")
		if !ok {
			method, path = "", p
		}
		if !strings.HasPrefix(path, "/api/v1/") && path != "/login" && path != "/logout" && path != "/healthz" {
			continue
		}
		checked++
		ops, found := doc.Paths[path]
		if !found {
			t.Errorf("route %q: path %s is missing from the OpenAPI document: describe it in web/openapi.d/<capability>.json (see its README)", p, path)
			continue
		}
		if method == "" {
			t.Errorf("route %q has no method: register one route per method so it can be documented", p)
			continue
		}
		if _, found := ops[strings.ToLower(method)]; !found {
			t.Errorf("route %q: operation %s %s is missing from the OpenAPI document: describe it in web/openapi.d/<capability>.json", p, strings.ToLower(method), path)
		}
	}
	if checked < 10 {
		t.Errorf("only %d documented routes checked; route registration changed?", checked)
	}
}

// TestOpenAPINoStaleRoutes fails when the document describes an /api/v1
// operation the route table does not have.
func TestOpenAPINoStaleRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	have := map[string]bool{}
	for _, rt := range routes {
		have[rt.pattern] = true
	}
	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for m := range doc.Paths[p] {
			switch m {
			case "get", "post", "put", "patch", "delete":
			default:
				continue
			}
			if !have[strings.ToUpper(m)+" "+p] {
				t.Errorf("the OpenAPI document describes %s %s, which the route table (routes.go) does not have", strings.ToUpper(m), p)
			}
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if w.Code != 200 || !json.Valid(w.Body.Bytes()) || !strings.Contains(w.Body.String(), `"/api/v1/events"`) {
		t.Fatalf("GET /api/v1/openapi.json: %d %.200s", w.Code, w.Body.String())
	}
}

func TestOpenAPIFragments(t *testing.T) {
	main := `{"openapi":"3.1.0","paths":{"/a":{"get":{"summary":"a"}}},"components":{"schemas":{"Error":{}}}}`
	cases := []struct {
		name    string
		frags   map[string]string
		wantErr string
		check   func(t *testing.T, doc map[string]any)
	}{
		{"merge", map[string]string{
			"openapi.d/x.json": `{"paths":{"/a":{"post":{"summary":"p"}},"/b":{"get":{}}},"components":{"schemas":{"X":{"type":"object"}}}}`,
		}, "", func(t *testing.T, doc map[string]any) {
			p := doc["paths"].(map[string]any)
			if len(p["/a"].(map[string]any)) != 2 || p["/b"] == nil {
				t.Errorf("paths %v", p)
			}
			if doc["components"].(map[string]any)["schemas"].(map[string]any)["X"] == nil {
				t.Error("schema X not merged")
			}
		}},
		{"duplicate operation", map[string]string{"openapi.d/x.json": `{"paths":{"/a":{"get":{}}}}`}, "GET /a is already described", nil},
		{"duplicate schema", map[string]string{"openapi.d/x.json": `{"components":{"schemas":{"Error":{}}}}`}, "schema Error", nil},
		{"unknown key", map[string]string{"openapi.d/x.json": `{"info":{}}`}, "openapi.d/x.json", nil},
		{"bad json", map[string]string{"openapi.d/x.json": `{"paths":`}, "openapi.d/x.json", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{"openapi.json": {Data: []byte(main)}}
			for n, d := range c.frags {
				fsys[n] = &fstest.MapFile{Data: []byte(d)}
			}
			out, err := buildOpenAPI(fsys)
			if wanterr.Check(t, err, c.wantErr) {
				return
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			c.check(t, doc)
		})
	}
}
