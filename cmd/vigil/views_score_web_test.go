package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/forecast/viewschallenge"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/web"
)

// TestViewsScoreWebEqualsCLI: the browser's scoring (POST
// /api/v1/forecast/views/score, as an analyst) answers exactly what vigil
// views score --json prints for the same files: the challenge's
// "last historical value, Poisson" benchmark forecast of the 2019 window
// (features to October 2018) against its actuals.
func TestViewsScoreWebEqualsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("forecasts and scores 2.3 million draws twice")
	}
	feats := shareddata.Path(t, "views/cm_features_to_oct2018.csv")
	acts := shareddata.Path(t, "views/cm_actuals_2019.csv")
	fc := filepath.Join(t.TempDir(), "poisson-last.csv")
	var so, se bytes.Buffer
	if code := run([]string{"views", "forecast", "--features", feats, "--cutoff", "466", "--method", "poisson-last", "--out", fc}, nil, &so, &se); code != 0 {
		t.Fatalf("views forecast: exit %d: %s", code, se.String())
	}
	so.Reset()
	if code := run([]string{"views", "score", "--forecast", fc, "--actuals", acts, "--json"}, nil, &so, &se); code != 0 {
		t.Fatalf("views score: exit %d: %s", code, se.String())
	}
	var cli viewschallenge.Scores
	if err := json.Unmarshal(so.Bytes(), &cli); err != nil || cli.N != 2292 {
		t.Fatalf("CLI scores %s: %v", so.String(), err)
	}

	ctx := context.Background()
	db := testutil.Store(t)
	s := &web.Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := s.Handler()
	if _, err := s.Auth.CreateUser(ctx, "test", "ana", auth.Analyst, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	token, _, err := s.Auth.CreateToken(ctx, "test", "ana", "scoring", 0)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range [][2]string{{"forecast", fc}, {"actuals", acts}} {
		b, err := os.ReadFile(p[1])
		if err != nil {
			t.Fatal(err)
		}
		w, _ := mw.CreateFormFile(p[0], filepath.Base(p[1]))
		w.Write(b)
	}
	mw.Close()
	req := httptest.NewRequest("POST", "http://vigil.test/api/v1/forecast/views/score", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var api viewschallenge.Scores
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &api) != nil {
		t.Fatalf("API: %d %.300s", w.Code, w.Body.String())
	}
	if api != cli {
		t.Errorf("API scores %+v, CLI %+v", api, cli)
	}
	t.Logf("poisson-last, 2019 window: CRPS %.3f over %d country-months, %d draws", api.CRPS, api.N, api.Draws)
}
