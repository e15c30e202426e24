package alerts_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/capxml"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// BenchmarkSealStoredText measures the upgrade step that seals alert text an
// older version stored in clear: 20,000 alerts (each with its incident)
// whose messages and location texts are the real CAP examples' texts, on
// SQLite in a temp dir, converted in one transaction and then VACUUMed.
//
//	go test -run XXX -bench BenchmarkSealStoredText -benchtime 3x ./alerts
func BenchmarkSealStoredText(b *testing.B) {
	dir := shareddata.Path(b, "cap/valid")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var texts []alerts.Inbound
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			b.Fatal(err)
		}
		a, err := capxml.Decode(fh)
		fh.Close()
		if err != nil {
			continue // the valid set has an ISO 8859-1 file Decode refuses
		}
		texts = append(texts, alerts.FromCAP(a)...)
	}
	if len(texts) == 0 {
		b.Skip("no CAP texts")
	}
	const n = 20000
	k := testutil.Keys(b, "k")
	ctx := context.Background()
	var converted int
	for b.Loop() {
		b.StopTimer()
		db, err := sqlite.Open(ctx, b.TempDir(), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		svc := alerts.NewService(db, k)
		ch, err := svc.NewChannel(ctx, "bench", alerts.Webhook, "old", "x-secret", "")
		if err != nil {
			b.Fatal(err)
		}
		const at = "2026-10-01T08:00:00.000000Z"
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			for i := range n {
				in := texts[i%len(texts)]
				inc, err := db.InsertID(ctx, tx, `INSERT INTO alert_incidents (status, loc_status, loc_text, loc_note, first_at, last_at, alert_count, updated_at)
					VALUES ('received', 'unresolved', ?, 'no coordinates and no known place name in the message', ?, ?, 1, ?)`, in.Location, at, at, at)
				if err != nil {
					return err
				}
				if _, err := db.Exec(ctx, tx, `INSERT INTO alerts (channel_id, incident_id, gateway_id, message, received_at, loc_status, loc_text, loc_note)
					VALUES (?, ?, ?, ?, ?, 'unresolved', ?, 'no coordinates and no known place name in the message')`,
					ch.ID, inc, fmt.Sprint(i), in.Message, at, in.Location); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		converted, err = svc.SealStoredText(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if converted != 2*n {
			b.Fatalf("converted %d rows, want %d", converted, 2*n)
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(converted)/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
}
