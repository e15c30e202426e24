package storage

// Unavailable reports whether err means the database cannot take a write
// now but may later (IsBusy or IsReadOnly). With it *DB is an
// alerts.UnavailableStore: intake answers 503 with Retry-After instead of
// a 500, so a gateway sends the message again.
func (db *DB) Unavailable(err error) bool { return IsBusy(err) || IsReadOnly(err) }
