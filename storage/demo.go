package storage

import (
	"context"
	"fmt"
	"time"
)

// SetDemoState records the state of one kind of demo material (package
// demo): "done", "computing", or "failed: …".
func (db *DB) SetDemoState(ctx context.Context, name, state string) error {
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := db.Exec(ctx, db.SQL, `INSERT INTO demo_state (name, state, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`, name, state, now)
	if err != nil {
		return fmt.Errorf("demo state %s: %w", name, err)
	}
	return nil
}

// DemoState returns every recorded kind of demo material and its state
// (empty: not a demo store).
func (db *DB) DemoState(ctx context.Context) (map[string]string, error) {
	out, err := queryMap[string, string](ctx, db, db.SQL, `SELECT name, state FROM demo_state`)
	if err != nil {
		return nil, fmt.Errorf("demo state: %w", err)
	}
	return out, nil
}
