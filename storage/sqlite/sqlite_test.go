package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *storage.DB { return testutil.Store(t) })
}

// BenchmarkPerformanceVersion: the version the performance service reads
// on every request, on a store holding 100,000 survey submissions and 1,000
// forecast runs.
func BenchmarkPerformanceVersion(b *testing.B) {
	ctx := context.Background()
	db := testutil.Store(b)
	for _, q := range []string{
		`INSERT INTO survey_forms (form_id, xml, hash, created, updated) VALUES ('f', x'00', '', '', '')`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
		 INSERT INTO survey_submissions (form_id, instance_id, xml_mac, xml_sealed, answers_sealed, received) SELECT 1, 'uuid:' || i, x'', randomblob(64), randomblob(64), '' FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
		 INSERT INTO forecast_runs (created, target, grid, cell_size, origin, model, backtest, units) SELECT '', 'os', 'priogrid', 0.5, 0, 'gbt', '[]', '' FROM n`,
	} {
		if _, err := db.Exec(ctx, db.SQL, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := db.PerformanceVersion(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIncidentNotices: an incident page's undelivered escalation
// notices (IncidentNotices) on an outbox holding its one notice and
// 10,000 unsent notices about other incidents (a webhook down for hours).
func BenchmarkIncidentNotices(b *testing.B) {
	ctx := context.Background()
	db := testutil.Store(b)
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	queue := func(key string, incident int64, at time.Time) {
		body := fmt.Sprintf(`{"incident_id":%d,"notice_id":%q,"type":"vigil.incident.overdue"}`, incident, key)
		if err := db.QueueNotice(ctx, &alerts.Notice{Key: key, Body: []byte(body)}, at); err != nil {
			b.Fatal(err)
		}
	}
	queue("vigil-mine", 7, now.Add(-3*time.Hour))
	for i := range 10000 {
		queue(fmt.Sprint("vigil-other-", i), 1000+int64(i), now.Add(-time.Hour+time.Duration(i)*time.Millisecond))
	}
	b.ResetTimer()
	for range b.N {
		if ns, err := db.IncidentNotices(ctx, 7, now, 50); err != nil || len(ns) != 1 {
			b.Fatalf("%d notices, %v", len(ns), err)
		}
	}
}
