package web

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/forecast/viewschallenge"
)

// maxViewsScore is the most POST /api/v1/forecast/views/score takes, both
// files together: a year's forecast of the VIEWS challenge with 1,000 draws
// per country-month is about 50 MB as CSV.
const maxViewsScore = 256 << 20

// viewsScore scores a VIEWS-challenge forecast file against an actuals
// file, both parts of a multipart/form-data body ("forecast":
// month_id,country_id,draw,outcome; "actuals": month_id,country_id,ged_sb),
// exactly as `vigil views score --json` does, beside the challenge's
// benchmarks scored on the same actuals (viewschallenge.CompareFiles):
// the zero forecast always, and the "last value, Poisson" forecast when the
// optional "features" part (month_id,country_id,ged_sb[,ged_sb_tlag_k])
// is given, from the month in the optional "cutoff" field (else the
// features' last month), as `vigil views forecast --method poisson-last`
// writes it. A bad file answers 400 naming the file, its line and column;
// nothing is stored, and a scoring is audited (forecast.score).
func (s *Server) viewsScore(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return sayFieldError(http.StatusBadRequest, "forecast", "refusal.http.not-multipart", "forecast", "Content-Type "+r.Header.Get("Content-Type"))
	}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	open := func(field, fallback string) (io.Reader, string, error) {
		f, name, err := uploadedFile(w, r, field, maxViewsScore)
		if err != nil {
			return nil, "", err
		}
		closers = append(closers, f)
		if name == "" {
			name = fallback
		}
		return bufio.NewReaderSize(f, 1<<16), name, nil
	}
	in := viewschallenge.CompareInput{}
	var err error
	if in.Forecast, in.ForecastName, err = open("forecast", "forecast.csv"); err != nil {
		return err
	}
	if in.Actuals, in.ActualsName, err = open("actuals", "actuals.csv"); err != nil {
		return err
	}
	form := r.MultipartForm // parsed by uploadedFile
	if _, given := form.File["features"]; given {
		if in.Features, in.FeaturesName, err = open("features", "features.csv"); err != nil {
			return err
		}
	}
	if in.Cutoff, err = viewsCutoff(form.Value["cutoff"], in.Features != nil); err != nil {
		return err
	}
	sc, err := viewschallenge.CompareFiles(r.Context(), in)
	if refused, err := fileRefused(w, err, "refusal.http.file-too-large", maxViewsScore); refused || err != nil {
		return err
	}
	err = s.Audit.Record(r.Context(), audit.Entry{Actor: actorName(r), Action: "forecast.score", Object: "views:" + in.ForecastName})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}

// viewsCutoff is the "cutoff" field of a scoring: 0 when not given or
// empty (the features' last month), else a month_id 1…2000, given once
// and only with the features.
func viewsCutoff(v []string, features bool) (int, error) {
	if len(v) == 0 || len(v) == 1 && strings.TrimSpace(v[0]) == "" {
		return 0, nil
	}
	if len(v) > 1 {
		return 0, sayFieldError(http.StatusBadRequest, "cutoff", "refusal.views.cutoff-twice", len(v))
	}
	if !features {
		return 0, sayFieldError(http.StatusBadRequest, "cutoff", "refusal.views.cutoff-alone")
	}
	m, err := strconv.Atoi(strings.TrimSpace(v[0]))
	if err != nil || m < 1 || m > 2000 {
		return 0, sayFieldError(http.StatusBadRequest, "cutoff", "refusal.views.cutoff", v[0])
	}
	return m, nil
}
