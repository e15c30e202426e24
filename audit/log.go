package audit

import "context"

// Log appends entries outside any other change and reads records back
// (implemented by *storage.DB).
type Log interface {
	// Record appends e.
	Record(ctx context.Context, e Entry) error
	// AuditLog returns the records f selects, newest first.
	AuditLog(ctx context.Context, f Filter) ([]Record, error)
}
