package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/storage"
)

// legacyNames are the file names migrations had when they were numbered in
// per-capability ranges (before 2026-12); a database migrated then records
// them in schema_migrations.
var legacyNames = map[string]string{
	"events.sql": "0001_events.sql", "audit.sql": "0003_audit.sql", "auth.sql": "0002_auth.sql",
	"surveys.sql": "0020_surveys.sql", "coverage.sql": "0030_coverage.sql", "forecast.sql": "0040_forecast.sql",
	"alerts.sql": "0010_alerts.sql", "survey_margins.sql": "0025_survey_margins.sql",
	"survey_interlocutors.sql": "0026_survey_interlocutors.sql", "survey_analysis.sql": "0027_survey_analysis.sql",
	"coverage_layers.sql": "0031_coverage_layers.sql", "digest.sql": "0005_digest.sql",
	"alerts_sealed_text.sql": "0011_alerts_sealed_text.sql", "forecast_units.sql": "0041_forecast_units.sql",
	"key_canary.sql": "0050_key_canary.sql", "login_failures.sql": "0053_login_failures.sql",
}

// interimNames are the numbers four migrations kept after the first
// renumbering until they joined the one sequence (issue 12): a database
// migrated then records 0001–0016 under the new numbers and these under
// their old ones.
var interimNames = map[string]string{
	"channel_throttled.sql": "0054_channel_throttled.sql", "gazetteer_imports.sql": "0057_gazetteer_imports.sql",
	"demo_state.sql": "0058_demo_state.sql", "incident_triage.sql": "0059_incident_triage.sql",
}

// testMigrateUpgrade: a database upgraded step by step from the empty
// schema — one server version at a time, and also one recorded under the
// old per-capability numbering or the interim one — ends identical to a fresh one: same
// tables, columns, indexes, constraints, triggers and schema_migrations.
func testMigrateUpgrade(t *testing.T, open Opener) {
	ctx := context.Background()
	fresh := open(t)
	want := schemaOf(t, fresh)
	names, err := fresh.MigrationNames()
	if err != nil {
		t.Fatal(err)
	}
	oldest := map[string]string{}
	for slug, old := range legacyNames {
		oldest[slug] = old
	}
	for slug, old := range interimNames {
		oldest[slug] = old
	}
	for _, old := range oldest {
		_, slug, _ := strings.Cut(old, "_")
		if i := indexOfSlug(names, slug); i < 0 || version(t, names[i]) != i+1 {
			t.Fatalf("migration %s: missing or out of the one sequence (%v)", old, names)
		}
	}

	db := open(t)
	wipe(t, db)
	for _, n := range names { // one server version at a time
		if err := db.MigrateTo(ctx, version(t, n)); err != nil {
			t.Fatalf("upgrading to %s: %v", n, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := schemaOf(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("upgraded step by step differs from fresh:\n%s", diff(got, want))
	}

	// A database left at each earlier version under an old numbering: the
	// per-capability ranges, and the interim one.
	for _, numbering := range []struct {
		name string
		old  map[string]string
	}{{"old numbering", oldest}, {"interim numbering", interimNames}} {
		upgradeFromNumbering(t, db, names, numbering.name, numbering.old, want)
	}
}

// upgradeFromNumbering leaves db at each earlier version with the
// migrations of legacy recorded under their old names, migrates it and
// compares it with want.
func upgradeFromNumbering(t *testing.T, db *storage.DB, names []string, numbering string, legacy map[string]string, want []string) {
	ctx := context.Background()
	// Such a database holds at most the migrations written before that
	// numbering ended: up to the last one it renumbers.
	last := 0
	for i, n := range names {
		if _, slug, _ := strings.Cut(n, "_"); legacy[slug] != "" {
			last = i + 1
		}
	}
	for k := 1; k <= last && k < len(names); k++ {
		wipe(t, db)
		if err := db.MigrateTo(ctx, version(t, names[k-1])); err != nil {
			t.Fatal(err)
		}
		for _, n := range names[:k] {
			_, slug, _ := strings.Cut(n, "_")
			old, ok := legacy[slug]
			if !ok {
				continue // numbered the same then and now
			}
			if _, err := db.Exec(ctx, db.SQL, `UPDATE schema_migrations SET version = ?, name = ? WHERE name = ?`, version(t, old)+1000, old, n); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec(ctx, db.SQL, `UPDATE schema_migrations SET version = version - 1000 WHERE version > 1000`); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("upgrading a database at %s (%s): %v", names[k-1], numbering, err)
		}
		if got := schemaOf(t, db); !reflect.DeepEqual(got, want) {
			t.Errorf("database at %s (%s) upgraded differs from fresh:\n%s", names[k-1], numbering, diff(got, want))
		}
	}
}

func indexOfSlug(names []string, slug string) int {
	for i, n := range names {
		if _, s, _ := strings.Cut(n, "_"); s == slug {
			return i
		}
	}
	return -1
}

func version(t *testing.T, name string) int {
	num, _, _ := strings.Cut(name, "_")
	v, err := strconv.Atoi(num)
	if err != nil {
		t.Fatalf("migration name %q", name)
	}
	return v
}

// wipe empties the database: every table, view, trigger and function of
// its schema, migrations included.
func wipe(t *testing.T, db *storage.DB) {
	ctx := context.Background()
	if db.Dialect == storage.Postgres {
		var schema string
		if err := db.SQL.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, fmt.Sprintf(`DROP SCHEMA %q CASCADE; CREATE SCHEMA %[1]q`, schema)); err != nil {
			t.Fatal(err)
		}
		return
	}
	// One connection with foreign keys off, so tables drop in any order.
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`)
	for _, kind := range []string{"trigger", "view", "table"} {
		rows, err := conn.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'`, kind)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		rows.Close()
		for _, n := range names {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf(`DROP %s IF EXISTS %q`, strings.ToUpper(kind), n)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// schemaOf describes a database's schema as sorted lines, with the schema
// name taken out so two PostgreSQL schemas compare.
func schemaOf(t *testing.T, db *storage.DB) []string {
	ctx := context.Background()
	var qs []string
	schema := ""
	if db.Dialect == storage.Postgres {
		if err := db.SQL.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		qs = []string{
			`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') || ' ' || is_identity FROM information_schema.columns WHERE table_schema = current_schema()`,
			`SELECT 'index ' || tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()`,
			`SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace`,
			`SELECT 'trigger ' || event_object_table || ' ' || trigger_name || ' ' || event_manipulation || ' ' || action_statement FROM information_schema.triggers WHERE trigger_schema = current_schema()`,
			`SELECT 'function ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace`,
			`SELECT 'migration ' || version || ' ' || name FROM schema_migrations`,
		}
	} else {
		qs = []string{
			`SELECT type || ' ' || name || ' ' || tbl_name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`,
			`SELECT 'migration ' || version || ' ' || name FROM schema_migrations`,
		}
	}
	var out []string
	for _, q := range qs {
		rows, err := db.SQL.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			if schema != "" {
				s = strings.ReplaceAll(strings.ReplaceAll(s, `"`+schema+`".`, ""), schema+".", "")
			}
			out = append(out, s)
		}
		rows.Close()
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

func diff(got, want []string) string {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	g, w := in(got), in(want)
	var b strings.Builder
	for _, x := range got {
		if !w[x] {
			b.WriteString("+ " + x + "\n")
		}
	}
	for _, x := range want {
		if !g[x] {
			b.WriteString("- " + x + "\n")
		}
	}
	return b.String()
}
