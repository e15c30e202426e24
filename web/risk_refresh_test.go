package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/storage"
)

// seedRefreshEvents stores one-sided violence in 36 cells of eastern DR
// Congo over four years (2015–2018), enough for a small forecast.
func seedRefreshEvents(t testing.TB, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	x := uint32(3)
	err := db.Import(ctx, func(u events.Upserter) error {
		for m := range 48 {
			for i := range 36 {
				x = x*1664525 + 1013904223
				if !(i%5 == 0 && x%3 == 0 || x%23 == 0) {
					continue
				}
				d := time.Date(2015, time.Month(1+m), 1+int(x%27), 0, 0, 0, 0, time.UTC)
				e := events.Event{Source: "test", SourceID: fmt.Sprintf("r%d-%d", m, i), DateStart: d, DateEnd: d, DatePrecision: 1,
					Lat: 0.25 + float64(i/6)*0.5, Lon: 27.25 + float64(i%6)*0.5, WherePrecision: 1, Country: "DR Congo (Zaire)", CountryCode: "490",
					Violence: events.OneSided, SideA: "armed group", SideB: "Civilians", Best: int(x % 7), Low: 0, High: 10, Civilian: -1}
				if _, err := u.Upsert(ctx, &e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// smallRefresh is a refresher of one cell forecast (horizons 1–2, a
// two-month backtest) over db.
func smallRefresh(db *storage.DB) *forecast.Refresher {
	return &forecast.Refresher{Store: db, Jobs: []forecast.Job{{Load: forecast.LoadOptions{Grid: "priogrid"}, Target: forecast.OS, Horizons: []int{1, 2}, BacktestMonths: 2}}}
}

// The refresh routes: anyone signed in reads the status, an analyst
// starts a refresh (a viewer is refused), its runs are saved as the
// analyst's and the risk layer then answers with the run's date.
func TestRiskRefreshAPI(t *testing.T) {
	e := newEnv(t)
	vic, ana := reqOpt{token: e.tokens["vic"]}, reqOpt{token: e.tokens["ana"]}
	// without a refresher: not available, and starting one is 503
	resp, body := e.do(nil, "GET", "/api/v1/risk/refresh", vic)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"available":false`) {
		t.Fatalf("status without refresher: %d %s", resp.StatusCode, body)
	}
	if resp, body = e.do(nil, "POST", "/api/v1/risk/refresh", ana); resp.StatusCode != 503 {
		t.Fatalf("start without refresher: %d %s", resp.StatusCode, body)
	}
	seedRefreshEvents(t, e.db)
	fr := smallRefresh(e.db)
	e.s.Forecasts = fr
	for _, c := range []struct {
		method, path string
		who          reqOpt
		want         int
	}{
		{"POST", "/api/v1/risk/refresh", vic, 403},
		{"POST", "/api/v1/risk/refresh", reqOpt{token: e.tokens["rex"]}, 403},
		{"GET", "/api/v1/risk/refresh?x=1", vic, 400},
		{"POST", "/api/v1/risk/refresh", ana, 202},
	} {
		resp, body := e.do(nil, c.method, c.path, c.who)
		if resp.StatusCode != c.want {
			t.Fatalf("%s %s: %d %s, want %d", c.method, c.path, resp.StatusCode, body, c.want)
		}
	}
	if err := fr.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, body = e.do(nil, "GET", "/api/v1/risk/refresh", vic)
	var st struct {
		Available bool
		Status    forecast.RefreshStatus
	}
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Available || st.Status.Running || st.Status.Error != "" || st.Status.LastOK.IsZero() || st.Status.By != "ana" || st.Status.Stored == 0 {
		t.Fatalf("status after the refresh: %s", body)
	}
	resp, body = e.do(nil, "GET", "/api/v1/risk?horizon=1", vic)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"computed":"`) || !strings.Contains(string(body), `"origin":"2018-12"`) {
		t.Fatalf("risk after the refresh: %d %.300s", resp.StatusCode, body)
	}
	// the run is in the audit log as the analyst's
	resp, body = e.do(nil, "GET", "/api/v1/audit?actor=ana", reqOpt{token: e.tokens["ada"]})
	if resp.StatusCode != 200 || !strings.Contains(string(body), "forecast") {
		t.Errorf("audit of the refresh: %d %.400s", resp.StatusCode, body)
	}
}

// For the browser tests (package web_test).
var (
	SeedRefreshEvents = seedRefreshEvents
	SmallRefresh      = smallRefresh
)
