package web

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.1 description of every /api/v1 route.
// TestOpenAPICoversRoutes fails when a registered route is missing from it.
//
//go:embed openapi.json
var openAPIDoc []byte

func init() {
	addRoutes(func(s *Server) {
		s.public("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			_, err := w.Write(openAPIDoc)
			return err
		})
	})
}
