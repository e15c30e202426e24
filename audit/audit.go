// Package audit is Vigil's append-only audit log: who did what to which
// object, and when. Every change (users, tokens, imports, alerts, surveys …)
// and every sensitive read (revealing a reporter's contact details) writes one
// Entry, inside the same database transaction as the change it records, with
// storage.DB.Audit. The database itself refuses UPDATE and DELETE on the log
// (triggers on SQLite and PostgreSQL), so an entry once written stays.
//
// Entries must not hold secrets (passwords, tokens) or the personal data they
// protect: name the object (e.g. "alert:42"), not its content.
package audit

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/textscan"
)

// Entry is one audited action.
type Entry struct {
	Actor  string `json:"actor"`  // who: a user name, "system", or "cli:<os user>"
	Action string `json:"action"` // what: a dotted verb such as "user.create", "login.fail"
	Object string `json:"object"` // on what: "user:alice", "token:7", "alert:42"
	Detail string `json:"detail"` // free text without secrets or personal data
}

// Record is a stored entry with its id and time.
type Record struct {
	ID   int64     `json:"id"`
	Time time.Time `json:"time"`
	Entry
}

// MaxField is the longest value (in bytes) each Entry field may hold.
const MaxField = 4096

// Clip returns the entry with Object and Detail cut to MaxField bytes (at a
// character boundary, ending with a marker saying how much was cut) and
// invalid UTF-8 replaced, so that a long or malformed request value that an
// entry quotes is recorded rather than failing the request. Actor and
// Action are the caller's own and are not changed.
func (e Entry) Clip() Entry {
	e.Object, e.Detail = clip(e.Object), clip(e.Detail)
	return e
}

func clip(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= MaxField {
		return s
	}
	marker := fmt.Sprintf("… [%d bytes cut]", len(s))
	kept := textscan.Clip(s, MaxField-len(marker))
	return kept + fmt.Sprintf("… [%d bytes cut]", len(s)-len(kept))
}

// Validate checks an entry before it is stored. Actor and Action are required.
func (e Entry) Validate() error {
	if strings.TrimSpace(e.Actor) == "" {
		return errors.New("audit: actor is empty")
	}
	if strings.TrimSpace(e.Action) == "" {
		return errors.New("audit: action is empty")
	}
	for _, f := range []struct{ name, v string }{{"actor", e.Actor}, {"action", e.Action}, {"object", e.Object}, {"detail", e.Detail}} {
		if len(f.v) > MaxField {
			return fmt.Errorf("audit: %s is longer than %d bytes", f.name, MaxField)
		}
		if !utf8.ValidString(f.v) {
			return fmt.Errorf("audit: %s is not valid UTF-8", f.name)
		}
	}
	return nil
}

// Filter selects records. Zero values mean "no constraint".
type Filter struct {
	Actor  string    // exact actor
	Action string    // exact action, or a prefix ending in "." ("user." matches "user.create")
	Object string    // exact object
	Since  time.Time // records at or after
	Until  time.Time // records before
	Before int64     // cursor: only records with ID < Before (newest first)
	Limit  int       // page size; 0 means 100, at most 1000
}

// MaxLimit is the largest page a query returns.
const MaxLimit = 1000
