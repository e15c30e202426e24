package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/performance"
)

// auditNameQuery reads the names of one kind of audited object: its SQL
// selects the object's id (as text), a name, a French name and a date
// (each text, ” when none) for the ids given in place of "(@)".
type auditNameQuery struct {
	numeric bool // ids are integers (else text, as a form's id)
	sql     string
	shown   func(string) string // the name as the audit page may show it (nil: as read)
	// dayAlone: an object with no name is named by its day alone (a
	// classifier model, an interlocutor entry: they have no name).
	dayAlone bool
	// month: the date read is a month (YYYY-MM), not a day.
	month bool
	// read: the name from the three columns read after the id, for a kind
	// whose columns are not a name, its French and a date (nil: those).
	read func(a, b, c string) audit.Name
	// pair: the id is two parts, "A/B" (cut at the first "/"), its SQL
	// holding "(@)" for the A and "(@@)" for the B of the batch: the rows
	// of all pairs, others among them left out (a submission: its form's
	// id and its instance id, read by their unique index).
	pair bool
}

// auditNameQueries are the kinds of audit objects the store names, never
// by personal data or a secret. A contact (its name is sealed) and an
// alert's reporter are never named; an interlocutor entry only by the day
// of the meeting (its place, group and role, which can single a person
// out, are sealed); an integrity item never by its text (people's words: a
// tipline message may name a neighbour or hold a number) nor its author
// (sealed). An encryption key is not in the database: the page words it
// from its id, which is the time it was made (crypt), never its material.
var auditNameQueries = map[string]auditNameQuery{
	// An incident by its place (a gazetteer name, never the reporter's
	// words, which are sealed) or else its title, and the day it began.
	"incident": {numeric: true, sql: `SELECT CAST(id AS TEXT), CASE WHEN loc_place <> '' THEN loc_place ELSE title END, '', substr(first_at, 1, 10)
		FROM alert_incidents WHERE id IN (@)`},
	// An alert by the channel it came in on and the day.
	"alert": {numeric: true, sql: `SELECT CAST(a.id AS TEXT), c.name, '', substr(a.received_at, 1, 10)
		FROM alerts a JOIN alert_channels c ON c.id = a.channel_id WHERE a.id IN (@)`},
	// A broadcast by its channel and the day it is scheduled for.
	"broadcast": {numeric: true, sql: `SELECT CAST(b.id AS TEXT), c.name, '', substr(b.scheduled_at, 1, 10)
		FROM broadcasts b JOIN alert_channels c ON c.id = b.channel_id WHERE b.id IN (@)`},
	"form":                {sql: `SELECT form_id, title, '', '' FROM survey_forms WHERE form_id IN (@)`},
	"integrity-narrative": {numeric: true, sql: `SELECT CAST(id AS TEXT), name, '', '' FROM integrity_narratives WHERE id IN (@)`},
	"integrity-term":      {numeric: true, sql: `SELECT CAST(id AS TEXT), term, '', '' FROM integrity_terms WHERE id IN (@)`},
	// A feed by its source's name, else its address without its query,
	// credentials and fragment (a feed's URL may carry an API key).
	"integrity-feed": {numeric: true, sql: `SELECT CAST(id AS TEXT), CASE WHEN source <> '' THEN source ELSE url END, '', ''
		FROM integrity_feeds WHERE id IN (@)`, shown: feedShown},
	// An item by its source (a platform, an outlet, "tipline: " and the
	// channel's name) and its day: never its text nor its author.
	"integrity-item": {numeric: true, sql: `SELECT CAST(id AS TEXT), source, '', substr(day, 1, 10) FROM integrity_items WHERE id IN (@)`},
	// A classifier model by the day it was trained (the built-in one,
	// "integrity-model:built-in", the page words itself).
	"integrity-model": {numeric: true, sql: `SELECT CAST(id AS TEXT), '', '', substr(created, 1, 10) FROM integrity_models WHERE id IN (@)`, dayAlone: true},
	// An interlocutor entry by the day of the meeting, the only part of it
	// in clear (the record's detail says it too).
	"interlocutor": {numeric: true, sql: `SELECT CAST(id AS TEXT), '', '', met_on FROM survey_interlocutors WHERE id IN (@)`, dayAlone: true},
	// A forecast by what it is of (a code: sb, ns, os, which the page
	// words) and its last month of data.
	"forecast": {numeric: true, sql: `SELECT CAST(id AS TEXT), target, '', origin FROM forecast_runs WHERE id IN (@)`, month: true},
	// An escalation notice by the incident it is about (named as an
	// incident is) and the day it was written; one about no incident (a
	// withdrawal-watch trigger) by its day. Sent notices are deleted after
	// a week (alerts.NoticeKeep): those are left out.
	"notice": {numeric: true, sql: `SELECT CAST(n.id AS TEXT), COALESCE(CASE WHEN i.loc_place <> '' THEN i.loc_place ELSE i.title END, ''), '', substr(n.created, 1, 10)
		FROM alert_notices n LEFT JOIN alert_incidents i ON i.id = n.incident_id WHERE n.id IN (@)`, dayAlone: true},
	// A leadership option by the coverage scenario it puts forward, never
	// its free-text note.
	"option": {numeric: true, sql: `SELECT CAST(o.id AS TEXT), s.name, s.name_fr, ''
		FROM perf_options o JOIN coverage_scenarios s ON s.id = o.scenario_id WHERE o.id IN (@)`},
	"scenario": {numeric: true, sql: `SELECT CAST(id AS TEXT), name, name_fr, '' FROM coverage_scenarios WHERE id IN (@)`},
	// A manual indicator value by its indicator, its period (the page
	// words it) and its area by name in English and French (a country,
	// "All areas"), never a code: its value, source and evidence are said
	// on the performance page, not here.
	"manual": {numeric: true, sql: `SELECT CAST(id AS TEXT), indicator, period, area FROM perf_manual_values WHERE id IN (@)`, read: manualName},
	// A survey answer by its survey's title and the day it came: never its
	// answers (sealed, AES-GCM: a respondent's words, their place and
	// quasi-identifiers), nor who gave it, nor its enumerator.
	"submission": {pair: true, sql: `SELECT f.form_id || '/' || s.instance_id, f.title, '', substr(s.received, 1, 10)
		FROM survey_forms f JOIN survey_submissions s ON s.form_id = f.id WHERE f.form_id IN (@) AND s.instance_id IN (@@)`},
	"token":     {numeric: true, sql: `SELECT CAST(id AS TEXT), name, '', '' FROM api_tokens WHERE id IN (@)`},
	"gazetteer": {numeric: true, sql: `SELECT CAST(id AS TEXT), name, '', '' FROM gazetteer_imports WHERE id IN (@)`},
}

// auditNamesMax is the most ids of one kind read in one query (an audit
// page is 100 records by default; larger pages are read in batches).
const auditNamesMax = 500

// AuditNames names the objects ("kind:id") of audit records that it knows
// (auditNameQueries): one query per kind and batch of ids, however many
// records name them. Objects gone or of other kinds are left out, and a
// name that is empty is too (unless the kind is named by its day alone).
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
		if q.pair {
			if a, b, ok := strings.Cut(id, "/"); !ok || a == "" || b == "" {
				continue
			}
			ids[kind] = append(ids[kind], id)
		} else if q.numeric {
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
			q := auditNameQueries[kind]
			query, args := strings.Replace(q.sql, "(@)", marks(len(batch)), 1), batch
			if q.pair {
				as, bs := pairParts(batch)
				query, args = strings.Replace(strings.Replace(q.sql, "(@)", marks(len(as)), 1), "(@@)", marks(len(bs)), 1), append(as, bs...)
			}
			got := out
			if q.pair {
				got = map[string]audit.Name{} // the rows of pairs not asked for are left out
			}
			if err := db.auditNames(ctx, kind, query, q, args, got); err != nil {
				return nil, fmt.Errorf("audit names of %s: %w", kind, err)
			}
			if q.pair {
				for o, n := range got {
					if seen[o] {
						out[o] = n
					}
				}
			}
		}
	}
	return out, nil
}

func (db *DB) auditNames(ctx context.Context, kind, query string, q auditNameQuery, args []any, out map[string]audit.Name) error {
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
		if q.read != nil {
			n = q.read(name.String, nameFR.String, date.String)
		}
		if q.month {
			n.Date, n.Month = "", n.Date
		}
		if q.shown != nil {
			n.Name, n.NameFR = q.shown(n.Name), q.shown(n.NameFR)
		}
		if n.Name == "" && !(q.dayAlone && n.Date != "") {
			continue
		}
		if n.NameFR == n.Name {
			n.NameFR = ""
		}
		out[kind+":"+id] = n
	}
	return rows.Err()
}

// marks is "(?, ?, …)" with n marks.
func marks(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// pairParts are the distinct first parts and second parts of ids "A/B"
// (cut at the first "/"), each in the order first seen.
func pairParts(ids []any) (as, bs []any) {
	seen := map[string]bool{}
	for _, id := range ids {
		a, b, _ := strings.Cut(id.(string), "/")
		if !seen["a"+a] {
			seen["a"+a], as = true, append(as, a)
		}
		if !seen["b"+b] {
			seen["b"+b], bs = true, append(bs, b)
		}
	}
	return as, bs
}

// manualName names a manual value by its indicator, period and area, the
// area by its name in English and French (performance.ParseArea: a
// country, "All areas"), as stored when it names none.
func manualName(indicator, period, area string) audit.Name {
	n := audit.Name{Name: strings.TrimSpace(indicator), Period: strings.TrimSpace(period), Area: strings.TrimSpace(area)}
	if a, err := performance.ParseArea(area); err == nil {
		n.Area, n.AreaFR = a.Name, a.NameFR
	}
	return n
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
