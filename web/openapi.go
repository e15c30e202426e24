package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
)

// The OpenAPI 3.1 description of every /api/v1 route: web/openapi.json plus
// one fragment per capability in web/openapi.d/*.json (see its README),
// merged at start-up. TestOpenAPICoversRoutes fails when a registered route
// is missing from the result.
//
//go:embed openapi.json openapi.d
var openAPIFS embed.FS

var openAPIDoc, openAPIErr = buildOpenAPI(openAPIFS)

// buildOpenAPI merges the fragments' paths and component schemas into the
// main document. A path+method or schema defined twice is an error.
func buildOpenAPI(fsys fs.FS) ([]byte, error) {
	b, err := fs.ReadFile(fsys, "openapi.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("web/openapi.json: %w", err)
	}
	paths, _ := doc["paths"].(map[string]any)
	if paths == nil {
		paths = map[string]any{}
		doc["paths"] = paths
	}
	comps, _ := doc["components"].(map[string]any)
	if comps == nil {
		comps = map[string]any{}
		doc["components"] = comps
	}
	schemas, _ := comps["schemas"].(map[string]any)
	if schemas == nil {
		schemas = map[string]any{}
		comps["schemas"] = schemas
	}
	names, err := fs.Glob(fsys, "openapi.d/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		fb, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var frag struct {
			Paths      map[string]map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		dec := json.NewDecoder(strings.NewReader(string(fb)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&frag); err != nil {
			return nil, fmt.Errorf("web/%s: %w (a fragment holds only \"paths\" and \"components\": {\"schemas\"})", name, err)
		}
		for p, ops := range frag.Paths {
			have, _ := paths[p].(map[string]any)
			if have == nil {
				have = map[string]any{}
				paths[p] = have
			}
			for m, op := range ops {
				if _, dup := have[m]; dup {
					return nil, fmt.Errorf("web/%s: %s %s is already described elsewhere", name, strings.ToUpper(m), p)
				}
				have[m] = op
			}
		}
		for s, v := range frag.Components.Schemas {
			if _, dup := schemas[s]; dup {
				return nil, fmt.Errorf("web/%s: schema %s is already defined elsewhere", name, s)
			}
			schemas[s] = v
		}
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// serveOpenAPI serves GET /api/v1/openapi.json.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	if openAPIErr != nil {
		return openAPIErr
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, err := w.Write(openAPIDoc)
	return err
}
