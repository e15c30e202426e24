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
	"slices"
	"strconv"
	"strings"
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
		t.Skip("forecasts and scores 348,000 draws twice")
	}
	// The countries with country_id ≤ 30 (29 of 191): the equality needs no
	// more, and the whole window (2.3 million draws) took 154 s of CI's time.
	dir := t.TempDir()
	feats := firstCountries(t, shareddata.Path(t, "views/cm_features_to_oct2018.csv"), filepath.Join(dir, "features.csv"), 30)
	acts := firstCountries(t, shareddata.Path(t, "views/cm_actuals_2019.csv"), filepath.Join(dir, "actuals.csv"), 30)
	fc := filepath.Join(dir, "poisson-last.csv")
	var so, se bytes.Buffer
	if code := run([]string{"views", "forecast", "--features", feats, "--cutoff", "466", "--method", "poisson-last", "--out", fc}, nil, &so, &se); code != 0 {
		t.Fatalf("views forecast: exit %d: %s", code, se.String())
	}
	so.Reset()
	if code := run([]string{"views", "score", "--forecast", fc, "--actuals", acts, "--json"}, nil, &so, &se); code != 0 {
		t.Fatalf("views score: exit %d: %s", code, se.String())
	}
	var cli viewschallenge.Scores
	if err := json.Unmarshal(so.Bytes(), &cli); err != nil || cli.N != 29*12 {
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

// firstCountries copies the VIEWS CSV src to dst with only the rows whose
// country_id is at most max, and answers dst.
func firstCountries(t *testing.T, src, dst string, max int) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	col := slices.Index(strings.Split(strings.TrimRight(lines[0], "\r"), ","), "country_id")
	if col < 0 {
		t.Fatalf("%s: no country_id column", src)
	}
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		if id, err := strconv.Atoi(strings.Split(strings.TrimRight(l, "\r"), ",")[col]); err == nil && id <= max {
			out = append(out, l)
		}
	}
	if err := os.WriteFile(dst, []byte(strings.Join(out, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}
