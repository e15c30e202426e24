package storage

import (
	"database/sql"
	"time"
)

// Conversions between Go values and the columns they are stored in, shared
// by every store file. A null* helper gives SQL NULL for Go's "absent"
// (nil pointer, zero time, empty string or bytes) and the value otherwise.

// timeLayout is how instants are stored as TEXT: RFC 3339 in UTC with
// microseconds, fixed width so the text sorts as the time does.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// formatTime is t as stored (timeLayout, UTC).
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime is formatTime(*t), or NULL for a nil or zero t.
func nullTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return formatTime(*t)
}

// parseTime reads a stored instant (any RFC 3339 text).
func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// timeFields parses a row's stored times into their fields in one list,
// keeping the first error (the parses after it are skipped):
//
//	var tf timeFields
//	tf.at(&b.Created, created)
//	tf.maybe(&b.QueuedAt, queuedAt)
//	return b, tf.err
type timeFields struct{ err error }

// at parses a stored time (RFC 3339) into dst.
func (t *timeFields) at(dst *time.Time, s string) {
	if t.err == nil {
		*dst, t.err = parseTime(s)
	}
}

// maybe parses a nullable stored time into dst (nil for NULL or "").
func (t *timeFields) maybe(dst **time.Time, s sql.NullString) {
	if t.err == nil {
		*dst, t.err = parseNullTime(s)
	}
}

// parseNullPoint reads a nullable stored position: lat and lon, or nil and
// nil when either is NULL.
func parseNullPoint(lat, lon sql.NullFloat64) (*float64, *float64) {
	if !lat.Valid || !lon.Valid {
		return nil, nil
	}
	return &lat.Float64, &lon.Float64
}

// parseNullTime reads a nullable stored instant: nil for NULL or "".
func parseNullTime(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid || ns.String == "" {
		return nil, nil
	}
	t, err := parseTime(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// nullFloat is *p, or NULL for nil.
func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// nullString is s, or NULL for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullBytes is b, or NULL for empty.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// boolToInt is 1 for true, 0 for false (booleans are INTEGER columns).
func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
