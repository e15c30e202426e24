package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/audit"
)

// auditNameQuery reads the names of one kind of audited object: its SQL
// selects the object's id (as text), a name, a French name and a date
// (each text, ” when none) for the ids given in place of "(@)".
type auditNameQuery struct {
	numeric bool // ids are integers (else text, as a form's id)
	sql     string
	shown   func(string) string // the name as the audit page may show it (nil: as read)
}

// auditNameQueries are the kinds of audit objects the store names. A
// contact (its name is sealed), an alert's reporter, an interlocutor and an
// integrity item (people's words) are never named here.
var auditNameQueries = map[string]auditNameQuery{
	// An incident by its place (a gazetteer name, never the reporter's
	// words, which are sealed) or else its title, and the day it began.
	"incident": {true, `SELECT CAST(id AS TEXT), CASE WHEN loc_place <> '' THEN loc_place ELSE title END, '', substr(first_at, 1, 10)
		FROM alert_incidents WHERE id IN (@)`, nil},
	// An alert by the channel it came in on and the day.
	"alert": {true, `SELECT CAST(a.id AS TEXT), c.name, '', substr(a.received_at, 1, 10)
		FROM alerts a JOIN alert_channels c ON c.id = a.channel_id WHERE a.id IN (@)`, nil},
	// A broadcast by its channel and the day it is scheduled for.
	"broadcast": {true, `SELECT CAST(b.id AS TEXT), c.name, '', substr(b.scheduled_at, 1, 10)
		FROM broadcasts b JOIN alert_channels c ON c.id = b.channel_id WHERE b.id IN (@)`, nil},
	"form":                {false, `SELECT form_id, title, '', '' FROM survey_forms WHERE form_id IN (@)`, nil},
	"integrity-narrative": {true, `SELECT CAST(id AS TEXT), name, '', '' FROM integrity_narratives WHERE id IN (@)`, nil},
	"integrity-term":      {true, `SELECT CAST(id AS TEXT), term, '', '' FROM integrity_terms WHERE id IN (@)`, nil},
	// A feed by its source's name, else its address without its query,
	// credentials and fragment (a feed's URL may carry an API key).
	"integrity-feed": {true, `SELECT CAST(id AS TEXT), CASE WHEN source <> '' THEN source ELSE url END, '', ''
		FROM integrity_feeds WHERE id IN (@)`, feedShown},
	"scenario":  {true, `SELECT CAST(id AS TEXT), name, name_fr, '' FROM coverage_scenarios WHERE id IN (@)`, nil},
	"token":     {true, `SELECT CAST(id AS TEXT), name, '', '' FROM api_tokens WHERE id IN (@)`, nil},
	"gazetteer": {true, `SELECT CAST(id AS TEXT), name, '', '' FROM gazetteer_imports WHERE id IN (@)`, nil},
}

// auditNamesMax is the most ids of one kind read in one query (an audit
// page is 100 records by default; larger pages are read in batches).
const auditNamesMax = 500

// AuditNames names the objects ("kind:id") of audit records that it knows
// (auditNameQueries): one query per kind and batch of ids, however many
// records name them. Objects gone or of other kinds are left out, and a
// name that is empty is too.
func (db *DB) AuditNames(ctx context.Context, objects []string) (map[string]audit.Name, error) {
	ids := map[string][]any{}
	seen := map[string]bool{}
	for _, o := range objects {
		kind, id, ok := strings.Cut(o, ":")
		q, known := auditNameQueries[kind]
		if !ok || !known || id == "" || seen[o] {
			continue
		}
		seen[o] = true
		if q.numeric {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || strconv.FormatInt(n, 10) != id {
				continue
			}
			ids[kind] = append(ids[kind], n)
		} else {
			ids[kind] = append(ids[kind], id)
		}
	}
	out := map[string]audit.Name{}
	for kind, all := range ids {
		for len(all) > 0 {
			batch := all[:min(len(all), auditNamesMax)]
			all = all[len(batch):]
			ph := strings.TrimSuffix(strings.Repeat("?, ", len(batch)), ", ")
			if err := db.auditNames(ctx, kind, strings.Replace(auditNameQueries[kind].sql, "@", ph, 1), auditNameQueries[kind].shown, batch, out); err != nil {
				return nil, fmt.Errorf("audit names of %s: %w", kind, err)
			}
		}
	}
	return out, nil
}

func (db *DB) auditNames(ctx context.Context, kind, query string, shown func(string) string, args []any, out map[string]audit.Name) error {
	rows, err := db.Query(ctx, db.SQL, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var name, nameFR, date sql.NullString
		if err := rows.Scan(&id, &name, &nameFR, &date); err != nil {
			return err
		}
		n := audit.Name{Name: strings.TrimSpace(name.String), NameFR: strings.TrimSpace(nameFR.String), Date: date.String}
		if shown != nil {
			n.Name, n.NameFR = shown(n.Name), shown(n.NameFR)
		}
		if n.Name == "" {
			continue
		}
		if n.NameFR == n.Name {
			n.NameFR = ""
		}
		out[kind+":"+id] = n
	}
	return rows.Err()
}

// feedShown is a name that may be a feed's URL without what may be secret
// in it: the query (?key=…), credentials and fragment. A name that is not
// such a URL (a source's name) is kept as it is.
func feedShown(name string) string {
	u, err := url.Parse(name)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return name
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}
