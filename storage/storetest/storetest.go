// Package storetest is the one store test suite that every storage dialect
// (SQLite, PostgreSQL) must pass. Each capability writes its cases in its own
// file and lists them in suites below; storage/sqlite and storage/postgres run
// them all through Run.
package storetest

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/storage"
)

// Opener returns a fresh, migrated, empty database for one test. It is
// closed by the opener's own t.Cleanup.
type Opener func(t *testing.T) *storage.DB

// A suite is one named store test.
type suite struct {
	name string
	run  func(t *testing.T, open Opener)
}

// suites is every store test, grouped by the file that holds it; Run runs
// them sorted by name. Add a capability's tests as rows of its own block.
var suites = []suite{
	// alerts.go
	{"Alerts", testAlerts},

	// audit.go
	{"audit", testAudit},

	// audit_clip.go
	{"auditClip", testAuditClip},

	// auth.go
	{"auth", testAuth},

	// contacts.go
	{"contacts", testContacts},

	// contacts_send.go
	{"contacts/push", testContactsPush},

	// contacts_audience.go
	{"contacts/audiences", testContactsAudiences},

	// coverage.go
	{"coverage", testCoverage},
	{"coverage_layers", testCoverageLayers},

	// digest.go
	{"digest", testDigest},

	// errors.go
	{"errors/unique-violation", testUniqueViolation},

	// events.go
	{"events/import", testEventsImport},
	{"events/import-failure-writes-nothing", testEventsImportFailure},
	{"events/query", testEventsQuery},
	{"events/cellmonths", testEventsCellMonths},
	{"events/clusters", testEventsClusters},
	{"events/index-follows-other-writers", testEventsIndexRefresh},
	{"events/batch-upsert", testEventsBatch},
	{"events/concurrent-reads-and-imports", testEventsConcurrent},
	{"events/batch-upsert-mixed", testEventsBatchMixed},

	// events_batches.go
	{"events/batch-upsert-sequence", testEventsBatchSequence},
	{"events/concurrent-imports-same-events", testEventsConcurrentSameEvents},
	{"events/batch-upsert-invalid-late", testEventsBatchInvalidLate},
	{"events/estimates-as-published", testEventsEstimatesAsPublished},
	{"events/batch-upsert-new-source-repeats", testEventsBatchNewSourceRepeats},

	// forecast.go
	{"forecast", testForecast},

	// intakethrottle.go
	{"intakethrottle", testIntakeThrottle},

	// integrity.go
	{"integrity", testIntegrity},

	// integrity_checks.go
	{"integrity_checks", testIntegrityChecks},

	// integrity_learn.go
	{"integrity_learn", testIntegrityLearn},

	// integrity_places.go
	{"integrity_places", testIntegrityPlaces},
	{"integrity_relocate", testIntegrityRelocate},

	// integrity_rematch.go
	{"integrity_rematch", testIntegrityRematch},

	// keycheck.go
	{"keycheck", testKeyCheck},

	// loginlimit.go
	{"loginlimit", testLoginLimit},

	// migrate.go
	{"migrate", testMigrate},

	// migrate_upgrade.go
	{"migrate-upgrade", testMigrateUpgrade},

	// performance.go
	{"performance", testPerformance},

	// performance_integrity.go
	{"performance/integrity-reads", testPerformanceIntegrity},

	// places.go
	{"gazetteerImports", testGazetteerImports},
	{"demoState", testDemoState},

	// health.go
	{"health", testHealth},

	// surveyanalysis.go
	{"surveyanalysis", testSurveyAnalysis},

	// surveys.go
	{"surveys", testSurveys},
}

// Run runs every suite as a subtest, sorted by name. A name listed twice
// fails the run.
func Run(t *testing.T, open Opener) {
	if len(suites) == 0 {
		t.Fatal("storetest: no suites listed")
	}
	sorted := slices.Clone(suites)
	slices.SortFunc(sorted, func(a, b suite) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(sorted); i++ {
		if sorted[i].name == sorted[i-1].name {
			t.Fatalf("storetest: suite %q listed twice", sorted[i].name)
		}
	}
	for _, s := range sorted {
		t.Run(s.name, func(t *testing.T) { s.run(t, open) })
	}
}

// inParallel calls fn(0) … fn(n-1), each in its own goroutine (as several
// servers or requests at once would), waits for all and fails t with every
// error they returned.
func inParallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}
