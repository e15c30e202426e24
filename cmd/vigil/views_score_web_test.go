package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
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
// views score --json prints for the same files, and its benchmarks exactly
// what vigil views forecast --method zero|poisson-last then vigil views
// score print: the 2019 window (features to October 2018, cutoff 466)
// against its actuals, the uploaded forecast being the challenge's "last
// historical value, Poisson" benchmark itself. On the whole window, the
// page's benchmarks are those of docs/benchmarks/views.md.
func TestViewsScoreWebEqualsCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("forecasts and scores 348,000 draws twice")
	}
	// The countries with country_id ≤ 30 (29 of 191): the equality needs no
	// more, and the whole window (2.3 million draws) took 154 s of CI's time.
	dir := t.TempDir()
	feats := firstCountries(t, shareddata.Path(t, "views/cm_features_to_oct2018.csv"), filepath.Join(dir, "features.csv"), 30)
	acts := firstCountries(t, shareddata.Path(t, "views/cm_actuals_2019.csv"), filepath.Join(dir, "actuals.csv"), 30)
	cli := map[string]viewschallenge.Scores{}
	for _, method := range []string{"zero", "poisson-last"} {
		fc := filepath.Join(dir, method+".csv")
		var so, se bytes.Buffer
		if code := run([]string{"views", "forecast", "--features", feats, "--cutoff", "466", "--method", method, "--out", fc}, nil, &so, &se); code != 0 {
			t.Fatalf("views forecast: exit %d: %s", code, se.String())
		}
		so.Reset()
		if code := run([]string{"views", "score", "--forecast", fc, "--actuals", acts, "--json"}, nil, &so, &se); code != 0 {
			t.Fatalf("views score: exit %d: %s", code, se.String())
		}
		var sc viewschallenge.Scores
		if err := json.Unmarshal(so.Bytes(), &sc); err != nil || sc.N != 29*12 {
			t.Fatalf("CLI scores %s: %v", so.String(), err)
		}
		cli[method] = sc
	}

	score := scoringServer(t)
	api := score(t, map[string]string{"forecast": filepath.Join(dir, "poisson-last.csv"), "actuals": acts, "features": feats})
	if api.Scores != cli["poisson-last"] || api.Cutoff != 466 || len(api.Benchmarks) != 2 {
		t.Fatalf("API scores %+v cutoff %d, CLI %+v cutoff 466", api.Scores, api.Cutoff, cli["poisson-last"])
	}
	for _, b := range api.Benchmarks {
		if b.Scores != cli[b.Method] || *b.Relative.CRPS != api.CRPS/cli[b.Method].CRPS-1 {
			t.Errorf("API benchmark %s %+v (relative CRPS %v), CLI %+v", b.Method, b.Scores, *b.Relative.CRPS, cli[b.Method])
		}
	}
	if *api.Benchmarks[1].Relative.CRPS != 0 {
		t.Errorf("poisson-last against itself: relative CRPS %v, want 0", *api.Benchmarks[1].Relative.CRPS)
	}
	t.Logf("poisson-last, 2019 window: CRPS %.3f over %d country-months, %d draws", api.CRPS, api.N, api.Draws)

	// The whole window, a forecast of one zero draw per country-month: the
	// benchmarks are the table's (vigil views forecast + score, seed 1).
	whole := filepath.Join(dir, "zero-one-draw.csv")
	writeZeroForecast(t, shareddata.Path(t, "views/cm_actuals_2019.csv"), whole)
	api = score(t, map[string]string{"forecast": whole, "actuals": shareddata.Path(t, "views/cm_actuals_2019.csv"),
		"features": shareddata.Path(t, "views/cm_features_to_oct2018.csv")})
	for i, want := range []struct {
		method                      string
		crps, ignorance, interval90 string
	}{{"zero", "22.638", "1.549", "452.8"}, {"poisson-last", "9.638", "1.038", "175.9"}} {
		b := api.Benchmarks[i]
		got := [...]string{b.Method, fmt.Sprintf("%.3f", b.CRPS), fmt.Sprintf("%.3f", b.Ignorance), fmt.Sprintf("%.1f", b.Interval)}
		if got != [...]string{want.method, want.crps, want.ignorance, want.interval90} || b.N != 2292 || b.Draws != 1000 {
			t.Errorf("whole window: benchmark %v over %d country-months, want %+v (docs/benchmarks/views.md)", got, b.N, want)
		}
	}
	if api.CRPS != api.Benchmarks[0].CRPS {
		t.Errorf("one zero draw: CRPS %v, the zero benchmark %v", api.CRPS, api.Benchmarks[0].CRPS)
	}
}

// scoringServer is a server with an analyst, and a function posting the
// files given (part → path) to its scoring as that analyst.
func scoringServer(t *testing.T) func(t *testing.T, parts map[string]string) viewschallenge.Comparison {
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
	return func(t *testing.T, parts map[string]string) viewschallenge.Comparison {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, name := range slices.Sorted(maps.Keys(parts)) {
			b, err := os.ReadFile(parts[name])
			if err != nil {
				t.Fatal(err)
			}
			w, _ := mw.CreateFormFile(name, filepath.Base(parts[name]))
			w.Write(b)
		}
		mw.Close()
		req := httptest.NewRequest("POST", "http://vigil.test/api/v1/forecast/views/score", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var api viewschallenge.Comparison
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &api) != nil {
			t.Fatalf("API: %d %.300s", w.Code, w.Body.String())
		}
		return api
	}
}

// writeZeroForecast writes to dst a forecast of one draw, 0, for every
// country-month of the actuals file src.
func writeZeroForecast(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	act, err := viewschallenge.ReadActuals(src, f)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("month_id,country_id,draw,outcome\n")
	for k := range act {
		fmt.Fprintf(&b, "%d,%d,0,0\n", k.Month, k.Country)
	}
	if err := os.WriteFile(dst, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
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
