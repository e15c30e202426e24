package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/storage"
)

// testAuditNames: the store names each kind of audited object it knows in
// one read per kind (an incident by its place or title and first day, an
// alert and a broadcast by their channel and day, a form by its title, a
// narrative, lexicon term, feed, scenario, token, gazetteer import by
// name, an integrity item by its source and day, never its text or
// author, a classifier model and an interlocutor entry by their day alone,
// a forecast by what it is of and its last month of data, an escalation
// notice by its incident and day, an option by its scenario, a manual
// value by its indicator, period and area's name, a survey answer by its
// survey's title and day, never its answers nor who gave them), and never
// a contact: its name is sealed personal data.
func testAuditNames(t *testing.T, ctx context.Context, db *storage.DB) {
	for _, s := range []string{
		`INSERT INTO alert_channels (id, chan_key, kind, name, legal_basis, created) VALUES (4, 'k4', 'smssync', 'DEMO-SMS-1', 'consent', '2026-01-01T00:00:00Z')`,
		`INSERT INTO alert_incidents (id, status, title, loc_status, loc_place, first_at, last_at, updated_at)
			VALUES (3, 'new', 'Marché brûlé', 'matched', 'Bunia', '2010-10-05T08:00:00Z', '2010-10-05T08:00:00Z', '2010-10-05T08:00:00Z')`,
		`INSERT INTO alert_incidents (id, status, title, loc_status, first_at, last_at, updated_at)
			VALUES (5, 'new', 'Route coupée', 'unknown', '2010-11-02T08:00:00Z', '2010-11-02T08:00:00Z', '2010-11-02T08:00:00Z')`,
		`INSERT INTO alert_incidents (id, status, loc_status, first_at, last_at, updated_at)
			VALUES (6, 'new', 'unknown', '2010-11-02T08:00:00Z', '2010-11-02T08:00:00Z', '2010-11-02T08:00:00Z')`,
		`INSERT INTO alerts (id, channel_id, incident_id, message, received_at, loc_status) VALUES (12, 4, 3, '', '2010-10-05T08:00:00Z', 'matched')`,
		`INSERT INTO broadcasts (id, channel_id, actor, messages, fallback, scheduled_at, created) VALUES (8, 4, 'ana', '{}', 'fr', '2026-03-01T09:00:00Z', '2026-02-28T09:00:00Z')`,
		`INSERT INTO contacts (id, phone_sealed, phone_mac, name_sealed, language, consent_at, consent_how, consent_by, created)
			VALUES (9, ?, 'mac9', ?, 'fr', '2026-01-01', 'oral', 'ana', '2026-01-01')`,
		`INSERT INTO survey_forms (form_id, title, xml, hash, created, updated) VALUES ('market_watch', 'Suivi des marchés', ?, 'h', '2026-01-01', '2026-01-01')`,
		`INSERT INTO integrity_narratives (id, name, created) VALUES (7, 'Vaccins et stérilité', '2026-01-01')`,
		`INSERT INTO integrity_terms (id, term, language) VALUES (2, 'inyenzi', 'rw')`,
		`INSERT INTO integrity_feeds (id, url, source, every_minutes, created, created_by) VALUES (1, 'https://radio.example/rss', 'Radio Okapi', 60, '2026-01-01', 'ana')`,
		`INSERT INTO coverage_scenarios (id, name, name_fr, kind, month, created_by, created_at, body) VALUES (2, 'Dry season plan', 'Plan de saison sèche', 'plan', 201010, 'ana', '2026-01-01', '{}')`,
		`INSERT INTO users (id, name, role, password_hash, created, updated) VALUES (40, 'amina', 'analyst', 'x', '2026-01-01', '2026-01-01')`,
		`INSERT INTO api_tokens (id, user_id, name, hash, created) VALUES (9, 40, 'KoBo sync', ?, 0)`,
		`INSERT INTO gazetteer_imports (id, name, places, csv, imported_by, imported_at) VALUES (1, 'Ituri villages', 3, ?, 'ana', '2026-01-01')`,
		`INSERT INTO integrity_items (id, source, source_id, kind, via, text, lang, author_sealed, posted, day, score, label, narrative_id, created)
			VALUES (21, 'tipline: DEMO-SMS-1', 'alert:12', 'message', 'tipline', 'Mon voisin Jean au 0812345678 dit que…', 'fr', ?, '2010-10-05T08:00:00Z', '2010-10-05', 0.9, 'harmful', 7, '2010-10-05T08:00:00Z')`,
		`INSERT INTO integrity_models (id, created, actor, examples, labels, held_out, macro_f1, base_f1, base, model)
			VALUES (4, '2026-02-03T10:00:00Z', 'ana', 10, 5, 2, 0.8, 0.7, 'built-in', ?)`,
		`INSERT INTO survey_interlocutors (id, met_on, sealed, created) VALUES (6, '2026-12-05', ?, '2026-12-06T09:00:00Z')`,
		`INSERT INTO forecast_runs (id, created, target, grid, cell_size, origin, model) VALUES (2, '2026-01-02T00:00:00Z', 'os', 'priogrid', 0.5, '2010-10', 'gbt')`,
		`INSERT INTO alert_notices (id, notice_key, body, created, next_at, incident_id) VALUES (5, 'vigil-a', '{}', '2010-10-06T08:00:00Z', '2010-10-06T08:00:00Z', 3)`,
		`INSERT INTO alert_notices (id, notice_key, body, created, next_at) VALUES (6, 'vigil-b', '{}', '2010-10-07T08:00:00Z', '2010-10-07T08:00:00Z')`,
		`INSERT INTO perf_options (id, mission, gap, scenario_id, note, created_by, created_at) VALUES (3, 'MONUSCO', 'Djugu', 2, 'call 0812345678', 'ana', '2026-01-01')`,
		`INSERT INTO perf_manual_values (id, indicator, period, area, value, source, evidence, entered_by, entered_at)
			VALUES (4, 'local-agreements', '2019-Q3', 'CAF', 12, 'Civil Affairs', '', 'ana', '2026-01-01T00:00:00Z')`,
		`INSERT INTO perf_manual_values (id, indicator, period, area, value, source, evidence, entered_by, entered_at)
			VALUES (5, 'local-agreements', '2019', 'ALL', 30, 'Civil Affairs', '', 'ana', '2026-01-01T00:00:00Z')`,
		`INSERT INTO survey_submissions (form_id, instance_id, form_version, xml_mac, xml_sealed, answers_sealed, enumerator, received)
			SELECT id, 'uuid:a1/b', '1', ?, ?, ?, 'enumerator-jean', '2026-03-04T10:00:00Z' FROM survey_forms WHERE form_id = 'market_watch'`,
		`INSERT INTO survey_submissions (form_id, instance_id, form_version, xml_mac, xml_sealed, answers_sealed, enumerator, received)
			SELECT id, 'uuid:a2', '1', ?, ?, ?, 'enumerator-jean', '2026-03-05T10:00:00Z' FROM survey_forms WHERE form_id = 'market_watch'`,
	} {
		args := make([]any, strings.Count(s, "?"))
		for i := range args {
			args[i] = []byte{byte(i + 1)}
		}
		if _, err := db.Exec(ctx, db.SQL, s, args...); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	// A feed with no source name, its URL holding a key (the '?' is the
	// URL's, so it goes as an argument).
	if _, err := db.Exec(ctx, db.SQL, `INSERT INTO integrity_feeds (id, url, source, every_minutes, created, created_by) VALUES (3, ?, '', 60, '2026-01-01', 'ana')`,
		"https://u:pw@news.example/rss?key=secret#top"); err != nil {
		t.Fatal(err)
	}
	objects := []string{"incident:3", "incident:5", "incident:6", "incident:99", "incident:x", "alert:12", "broadcast:8", "contact:9",
		"form:market_watch", "integrity-narrative:7", "integrity-term:2", "integrity-feed:1", "integrity-feed:3", "scenario:2", "gazetteer:1", "token:9",
		"user:alice", "deployments", "incident:3",
		"integrity-item:21", "integrity-model:4", "integrity-model:built-in", "interlocutor:6", "forecast:2", "notice:5", "notice:6", "option:3", "key:k20261207T151108",
		"manual:4", "manual:5", "manual:99", "manual:x",
		// Submissions by form and instance: an instance id may hold "/";
		// a form's instance named under another form is none of its.
		"submission:market_watch/uuid:a1/b", "submission:market_watch/uuid:a2", "submission:market_watch/uuid:zz", "submission:other/uuid:a2", "submission:market_watch"}
	got, err := db.AuditNames(ctx, objects)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]audit.Name{
		"incident:3":            {Name: "Bunia", Date: "2010-10-05"},
		"incident:5":            {Name: "Route coupée", Date: "2010-11-02"},
		"alert:12":              {Name: "DEMO-SMS-1", Date: "2010-10-05"},
		"broadcast:8":           {Name: "DEMO-SMS-1", Date: "2026-03-01"},
		"form:market_watch":     {Name: "Suivi des marchés"},
		"integrity-narrative:7": {Name: "Vaccins et stérilité"},
		"integrity-term:2":      {Name: "inyenzi"},
		"integrity-feed:1":      {Name: "Radio Okapi"},
		// A feed with no source name by its address, without what may be a
		// secret: its query (an API key), credentials and fragment.
		"integrity-feed:3": {Name: "https://news.example/rss"},
		"scenario:2":       {Name: "Dry season plan", NameFR: "Plan de saison sèche"},
		"gazetteer:1":      {Name: "Ituri villages"},
		"token:9":          {Name: "KoBo sync"},
		// An item by its source and day: its text is people's words (a
		// tipline message may name a neighbour or hold a number) and its
		// author is sealed.
		"integrity-item:21": {Name: "tipline: DEMO-SMS-1", Date: "2010-10-05"},
		// A classifier model and an interlocutor entry have no name: their
		// day alone (an interlocutor's place, group and role are sealed).
		"integrity-model:4": {Date: "2026-02-03"},
		"interlocutor:6":    {Date: "2026-12-05"},
		// A forecast by what it is of (a code the page words) and its last
		// month of data.
		"forecast:2": {Name: "os", Month: "2010-10"},
		// A notice by the incident it is about and the day it was written;
		// one about no incident by its day.
		"notice:5": {Name: "Bunia", Date: "2010-10-06"},
		"notice:6": {Date: "2010-10-07"},
		// An option by its scenario's name, never its free-text note.
		"option:3": {Name: "Dry season plan", NameFR: "Plan de saison sèche"},
		// A manual value by its indicator, period and place: a country's
		// name, in English and French, or all areas.
		"manual:4": {Name: "local-agreements", Period: "2019-Q3", Area: "Central African Republic", AreaFR: "République centrafricaine"},
		"manual:5": {Name: "local-agreements", Period: "2019", Area: "All areas", AreaFR: "Toutes les zones"},
		// A survey answer by its survey's title and the day it came: never
		// its answers (sealed), its respondent nor its enumerator.
		"submission:market_watch/uuid:a1/b": {Name: "Suivi des marchés", Date: "2026-03-04"},
		"submission:market_watch/uuid:a2":   {Name: "Suivi des marchés", Date: "2026-03-05"},
	}
	for o, w := range want {
		if got[o] != w {
			t.Errorf("%s named %+v, want %+v", o, got[o], w)
		}
	}
	for o := range got {
		if _, ok := want[o]; !ok {
			t.Errorf("%s named %+v, want it left out", o, got[o])
		}
	}
	if n, err := db.AuditNames(ctx, nil); err != nil || len(n) != 0 {
		t.Errorf("no objects: %v %v", n, err)
	}
}
