package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys/starter"
)

// surveysFuzzServer is the server the HTTP fuzz targets share: a throwaway
// SQLite store with the surveys service and the starter form, a user of the
// given role and an API token for them. configure may add capabilities
// before the handler is built.
func surveysFuzzServer(f *testing.F, user string, role auth.Role, configure func(s *Server, db *storage.DB)) (s *Server, h http.Handler, token string) {
	f.Helper()
	ctx := context.Background()
	s, svc, db := NewSurveysTestServer(f)
	var err error
	if configure != nil {
		configure(s, db)
	}
	h = s.Handler()
	if _, err := s.Auth.CreateUser(ctx, "test", user, role, testPassword); err != nil {
		f.Fatal(err)
	}
	token, _, err = s.Auth.CreateToken(ctx, "test", user, "test", 0)
	if err != nil {
		f.Fatal(err)
	}
	if _, _, err := svc.AddForm(ctx, "test", starter.FormXML, nil); err != nil {
		f.Fatal(err)
	}
	return s, h, token
}
