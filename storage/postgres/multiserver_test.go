package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/web"
)

// freshSchema creates an empty schema and returns the URL that opens it
// (nothing migrated yet); the schema is dropped after the test.
func freshSchema(t *testing.T) string {
	t.Helper()
	return testutil.PostgresSchema(t, postgresURL(t), "vm")
}

// openN opens n handles on one database at the same moment, as n servers
// starting together would, and fails the test on any error.
func openN(t *testing.T, dsn string, n int) []*storage.DB {
	t.Helper()
	dbs := make([]*storage.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			dbs[i], errs[i] = postgres.Open(context.Background(), dsn)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d of %d could not open the fresh database: %v", i+1, n, err)
			continue
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	if t.Failed() {
		t.FailNow()
	}
	return dbs
}

// Any number of servers can start together on a fresh database: the
// migrations run once, under an advisory lock, and every start succeeds.
func TestServersStartTogether(t *testing.T) {
	for round := range 1 {
		dbs := openN(t, freshSchema(t), 8)
		var n int
		if err := dbs[0].SQL.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("round %d: %d migrations recorded, %v", round, n, err)
		}
	}
}

// twoServers runs two Vigil servers (two database handles, two alert
// services, two HTTP servers) on one fresh PostgreSQL schema with the same
// keyring, and an SMSSync channel both take messages on.
type twoServers struct {
	urls [2]string
	svcs [2]*alerts.Service
	db   *storage.DB
	ch   alerts.Channel
}

func newTwoServers(t *testing.T) *twoServers {
	dbs := openN(t, freshSchema(t), 2)
	key := make([]byte, 32)
	rand.Read(key)
	keys, err := crypt.New(map[string][]byte{"k1": key}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	ts := &twoServers{db: dbs[0]}
	for i, db := range dbs {
		svc := alerts.NewService(db, keys)
		s := &web.Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Alerts: svc}
		srv := httptest.NewServer(s.Handler())
		t.Cleanup(srv.Close)
		ts.urls[i], ts.svcs[i] = srv.URL, svc
	}
	if ts.ch, err = ts.svcs[0].NewChannel(context.Background(), "test", alerts.SMSSync, "phone", "s3cret-gw", ""); err != nil {
		t.Fatal(err)
	}
	return ts
}

// post sends one SMSSync message to server i and returns the status and body.
func (ts *twoServers) post(i int, id, msg string) (int, string, error) {
	form := url.Values{"from": {"+243812345678"}, "message": {msg}, "message_id": {id}, "secret": {"s3cret-gw"}}
	resp, err := http.Post(ts.urls[i]+alerts.IntakePath(ts.ch), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// pairs sends n pairs of messages, the two of each pair to the two servers
// at the same moment, and fails on any answer but SMSSync's success.
func (ts *twoServers) pairs(t *testing.T, n int, msg func(i int) (id0, id1, text string)) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	var mu sync.Mutex
	var bad []string
	for i := range n {
		id0, id1, text := msg(i)
		for srv, id := range []string{id0, id1} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				status, body, err := ts.post(srv, id, text)
				if err != nil || status != 200 || !strings.Contains(body, `"success":true`) {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("message %s to server %d: %d %s %v", id, srv+1, status, strings.TrimSpace(body), err))
					mu.Unlock()
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	if len(bad) > 0 {
		t.Fatalf("%d of %d posts not acknowledged, e.g. %s", len(bad), 2*n, bad[0])
	}
}

func (ts *twoServers) count(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := ts.db.SQL.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A gateway retry that reaches both servers at the same moment is
// acknowledged by both and stored once.
func TestTwoServersDuplicateRace(t *testing.T) {
	ts := newTwoServers(t)
	const n = 100
	ts.pairs(t, n, func(i int) (string, string, string) {
		id := fmt.Sprintf("retry-%d", i)
		return id, id, fmt.Sprintf("message %d", i)
	})
	if got := ts.count(t, `SELECT COUNT(*) FROM alerts`); got != n {
		t.Fatalf("%d alerts stored for %d messages", got, n)
	}
	if got := ts.count(t, `SELECT COUNT(DISTINCT gateway_id) FROM alerts`); got != n {
		t.Fatalf("%d distinct message ids stored, want %d", got, n)
	}
}

// Two alerts from one place that reach the two servers at the same moment
// join one incident.
func TestTwoServersOneIncidentPerSite(t *testing.T) {
	ts := newTwoServers(t)
	const sites = 50
	ts.pairs(t, sites, func(i int) (string, string, string) {
		// Sites 0.2° (about 22 km) apart: beyond the 5 km grouping radius.
		lat, lon := 1.0+0.2*float64(i/10), 29.0+0.2*float64(i%10)
		return fmt.Sprintf("a-%d", i), fmt.Sprintf("b-%d", i), fmt.Sprintf("Armed men at %.4f, %.4f", lat, lon)
	})
	if got := ts.count(t, `SELECT COUNT(*) FROM alerts`); got != 2*sites {
		t.Fatalf("%d alerts stored, want %d", got, 2*sites)
	}
	if got := ts.count(t, `SELECT COUNT(*) FROM alert_incidents`); got != sites {
		t.Fatalf("%d incidents for %d sites (two alerts each, one to each server)", got, sites)
	}
	if got := ts.count(t, `SELECT COUNT(*) FROM alert_incidents WHERE alert_count <> 2`); got != 0 {
		t.Fatalf("%d incidents do not hold exactly their site's two alerts", got)
	}
}
