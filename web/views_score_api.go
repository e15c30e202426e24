package web

import (
	"bufio"
	"io"
	"net/http"
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
// exactly as `vigil views score --json` does, and answers the scores it
// prints: mean CRPS, ignorance and 90% interval score over the
// country-months. A bad file answers 400 naming the file, its line and
// column; nothing is stored, and a scoring is audited (forecast.score).
func (s *Server) viewsScore(w http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query()); err != nil {
		return err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return sayFieldError(http.StatusBadRequest, "forecast", "refusal.http.not-multipart", "forecast", "Content-Type "+r.Header.Get("Content-Type"))
	}
	open := func(field, fallback string) (io.ReadCloser, string, error) {
		f, name, err := uploadedFile(w, r, field, maxViewsScore)
		if name == "" {
			name = fallback
		}
		return f, name, err
	}
	fc, fcName, err := open("forecast", "forecast.csv")
	if err != nil {
		return err
	}
	defer fc.Close()
	act, actName, err := open("actuals", "actuals.csv")
	if err != nil {
		return err
	}
	defer act.Close()
	sc, err := viewschallenge.ScoreFiles(fcName, bufio.NewReaderSize(fc, 1<<16), actName, act)
	if refused, err := fileRefused(w, err, "refusal.http.file-too-large", maxViewsScore); refused || err != nil {
		return err
	}
	err = s.Audit.Record(r.Context(), audit.Entry{Actor: actorName(r), Action: "forecast.score", Object: "views:" + fcName})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}
