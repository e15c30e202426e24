package web

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/storage"
)

// countingNamer counts the store's AuditNames reads.
type countingNamer struct {
	*storage.DB
	calls int
}

func (c *countingNamer) AuditNames(ctx context.Context, objects []string) (map[string]audit.Name, error) {
	c.calls++
	return c.DB.AuditNames(ctx, objects)
}

// TestAuditSubjectNames: GET /api/v1/audit names each record's object
// where the store knows it — an incident by its place and first day, a
// narrative, form, lexicon term, scenario (in both languages) by name, an
// integrity item by its source and day (never its text), a classifier
// model by its day alone, a forecast by what it is of and its month — in
// one read of the store for the whole page, however many records; a
// contact is never named (its name is sealed personal data) and the
// object stays as stored.
func TestAuditSubjectNames(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	namer := &countingNamer{DB: e.db}
	e.s.DB = namer
	for _, s := range []string{
		`INSERT INTO alert_incidents (id, status, title, loc_status, loc_place, first_at, last_at, updated_at)
			VALUES (3, 'new', 'Marché brûlé', 'matched', 'Bunia', '2010-10-05T08:00:00Z', '2010-10-05T08:00:00Z', '2010-10-05T08:00:00Z')`,
		`INSERT INTO integrity_narratives (id, name, created) VALUES (7, 'Vaccins et stérilité', '2026-01-01')`,
		`INSERT INTO integrity_terms (id, term, language) VALUES (2, 'inyenzi', 'rw')`,
		`INSERT INTO coverage_scenarios (id, name, name_fr, kind, month, created_by, created_at, body) VALUES (2, 'Dry season plan', 'Plan de saison sèche', 'plan', 201010, 'ana', '2026-01-01', '{}')`,
		`INSERT INTO survey_forms (form_id, title, xml, hash, created, updated) VALUES ('market_watch', 'Suivi des marchés', x'00', 'h', '2026-01-01', '2026-01-01')`,
		`INSERT INTO contacts (id, phone_sealed, phone_mac, name_sealed, language, consent_at, consent_how, consent_by, created)
			VALUES (9, x'00', 'mac9', x'00', 'fr', '2026-01-01', 'oral', 'ana', '2026-01-01')`,
		`INSERT INTO integrity_items (id, source, source_id, kind, via, text, lang, posted, day, score, label, narrative_id, created)
			VALUES (21, 'Radio Okapi', 'r1', 'radio', 'import', 'Jean au 0812345678 dit que…', 'fr', '2010-10-05T08:00:00Z', '2010-10-05', 0.9, 'harmful', 7, '2010-10-05T08:00:00Z')`,
		`INSERT INTO integrity_models (id, created, actor, examples, labels, held_out, macro_f1, base_f1, base, model)
			VALUES (4, '2026-02-03T10:00:00Z', 'ana', 10, 5, 2, 0.8, 0.7, 'built-in', x'00')`,
		`INSERT INTO forecast_runs (id, created, target, grid, cell_size, origin, model) VALUES (2, '2026-01-02T00:00:00Z', 'os', 'priogrid', 0.5, '2010-10', 'gbt')`,
	} {
		if _, err := e.db.Exec(ctx, e.db.SQL, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	objects := []string{"integrity-narrative:7", "integrity-term:2", "scenario:2", "form:market_watch", "contact:9", "deployments",
		"integrity-item:21", "integrity-model:4", "integrity-model:built-in", "forecast:2"}
	for i := 0; i < 100; i++ {
		objects = append(objects, "incident:3", fmt.Sprintf("incident:%d", 1000+i))
	}
	for _, o := range objects {
		if err := e.db.Record(ctx, audit.Entry{Actor: "test", Action: "names.check", Object: o}); err != nil {
			t.Fatal(err)
		}
	}
	resp, b := e.do(nil, "GET", "/api/v1/audit?limit=1000&action=names.check", reqOpt{token: e.tokens["ada"]})
	if resp.StatusCode != 200 {
		t.Fatalf("audit: %d %s", resp.StatusCode, b)
	}
	var out struct {
		Records []struct {
			Object  string
			Subject *auditSubject
		}
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Records) != len(objects) {
		t.Fatalf("%d records, want %d", len(out.Records), len(objects))
	}
	if namer.calls != 1 {
		t.Errorf("%d reads of the store's names for one page, want 1", namer.calls)
	}
	want := map[string]audit.Name{
		"incident:3":            {Name: "Bunia", Date: "2010-10-05"},
		"integrity-narrative:7": {Name: "Vaccins et stérilité"},
		"integrity-term:2":      {Name: "inyenzi"},
		"scenario:2":            {Name: "Dry season plan", NameFR: "Plan de saison sèche"},
		"form:market_watch":     {Name: "Suivi des marchés"},
		"integrity-item:21":     {Name: "Radio Okapi", Date: "2010-10-05"},
		"integrity-model:4":     {Date: "2026-02-03"},
		"forecast:2":            {Name: "os", Month: "2010-10"},
	}
	for _, r := range out.Records {
		w, named := want[r.Object]
		switch {
		case !named && r.Subject != nil:
			t.Errorf("%s: subject %+v, want none", r.Object, *r.Subject)
		case named && (r.Subject == nil || r.Subject.Name != w):
			t.Errorf("%s: subject %+v, want %+v", r.Object, r.Subject, w)
		}
	}
}
