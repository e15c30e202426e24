package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
)

var _ integrity.SpikeNotices = (*DB)(nil)

// MarkSpikeNotified records a spike flag as sent to the analysts on duty,
// audited; false when it already was.
func (db *DB) MarkSpikeNotified(ctx context.Context, f integrity.SpikeFlag) (bool, error) {
	added := false
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `INSERT INTO integrity_spike_notices (series, skey, day, n, notified) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (series, skey, day) DO NOTHING`, f.By, f.Key, f.Day, f.Count, time.Now().UTC().Format(integrityTime))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		return db.Audit(ctx, tx, audit.Entry{Actor: "system", Action: "integrity.spike.notify", Object: "integrity-spike:" + f.By,
			Detail: fmt.Sprintf("%s %q on %s: %d items (expected %.1f)", f.By, f.Key, f.Day, f.Count, f.Expected)})
	})
	return added, err
}
