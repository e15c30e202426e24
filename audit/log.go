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

// Name is what an audit record's object names, for people to read (the
// Administration page): never personal data nor a secret, so a contact or
// a reporter is not named, an integrity item is named by its source and
// day (never its text or author), and an object with no name of its own
// (a classifier model, an interlocutor entry) by its day alone.
type Name struct {
	Name   string `json:"name,omitempty"`    // a name or title as stored: an incident's place, a narrative's name
	NameFR string `json:"name_fr,omitempty"` // its French where stored apart (a coverage scenario)
	Date   string `json:"date,omitempty"`    // YYYY-MM-DD: the day it began or is planned for, when it has one
	Month  string `json:"month,omitempty"`   // YYYY-MM: the month it speaks of, when it has one (a forecast's last month of data)
	Period string `json:"period,omitempty"`  // a performance period as stored (2019, 2019-Q3, 2019-07, 2019-01..2019-06): a manual value's
	Area   string `json:"area,omitempty"`    // the area it is of by name, never a code or cell (a manual value's country, "All areas")
	AreaFR string `json:"area_fr,omitempty"` // Area in French
}

// Namer names the objects of audit records ("kind:id") it knows, reading
// each kind at most once whatever the number of objects (implemented by
// *storage.DB); objects it does not know are left out of the answer.
type Namer interface {
	AuditNames(ctx context.Context, objects []string) (map[string]Name, error)
}
