// Package storetest is the one store test suite that every storage dialect
// (SQLite, PostgreSQL) must pass. Each capability writes its cases in its own
// file and lists them in suites below; storage/sqlite and storage/postgres run
// them all through Run.
package storetest

import (
	"context"
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

// withDB is the suite entry of a test that needs one fresh database (most
// do; a test that opens several, or one per subtest, takes the Opener): it
// opens the database and passes it with a background context.
func withDB(test func(t *testing.T, ctx context.Context, db *storage.DB)) func(*testing.T, Opener) {
	return func(t *testing.T, open Opener) { test(t, context.Background(), open(t)) }
}

// suites is every store test, grouped by the file that holds it; Run runs
// them sorted by name. Add a capability's tests as rows of its own block.
var suites = []suite{
	// alerts.go
	{"Alerts", testAlerts},

	// audit.go
	{"audit", withDB(testAudit)},

	// audit_clip.go
	{"auditClip", withDB(testAuditClip)},

	// audit_names.go
	{"auditNames", withDB(testAuditNames)},

	// auth.go
	{"auth", withDB(testAuth)},

	// contacts.go
	{"contacts", withDB(testContacts)},
	{"contacts/edit", withDB(testContactsEdit)},
	{"contacts/kept-opt-out", withDB(testContactsKeptOptOut)},
	{"contacts/kept-opt-out-upgrade", withDB(testContactsKeptOptOutUpgrade)},
	{"contacts/kept-opt-out-audit", withDB(testContactsKeptOptOutAudit)},
	{"contacts/by-id", withDB(testContactByID)},

	// contacts_send.go
	{"contacts/push", withDB(testContactsPush)},

	// contacts_smssync_results.go
	{"contacts/smssync-results", withDB(testSMSSyncResults)},
	// alerts_reply_delivery.go
	{"alerts/reply-delivery", withDB(testReplyDelivery)},
	{"alerts/reply-delivery-upgrade", withDB(testReplyDeliveryUpgrade)},
	// alerts_reply_withheld.go
	{"alerts/reply-withheld-opt-in", testReplyWithheldOptIn},
	{"alerts/reply-withheld-opt-in-race", withDB(testReplyWithheldOptInRace)},
	{"alerts/reply-withheld-opt-out-race", withDB(testReplyWithheldOptOutRace)},
	{"alerts/reply-withheld-upgrade", withDB(testReplyWithheldUpgrade)},
	{"alerts/reply-delivery-live", withDB(testReplyDeliveryLive)},
	// alerts_channel_cache.go
	{"alerts/channel-cache-follows-other-writers", withDB(testChannelCacheOtherWriters)},

	// contacts_failures.go
	{"contacts/failures", withDB(testContactsFailures)},
	{"contacts/invalid-utf8", withDB(testContactsInvalidUTF8)},

	// contacts_audience.go
	{"contacts/audiences", withDB(testContactsAudiences)},
	{"contacts/scheduled-no-one", withDB(testContactsScheduledNoOne)},

	// coverage.go
	{"coverage", withDB(testCoverage)},
	{"coverage_layers", withDB(testCoverageLayers)},

	// digest.go
	{"digest", withDB(testDigest)},

	// errors.go
	{"errors/unique-violation", withDB(testUniqueViolation)},

	// events.go
	{"events/import", withDB(testEventsImport)},
	{"events/import-failure-writes-nothing", withDB(testEventsImportFailure)},
	{"events/import-count-out-of-range", withDB(testEventsImportRange)},
	{"events/query", withDB(testEventsQuery)},
	{"events/cellmonths", withDB(testEventsCellMonths)},
	{"events/clusters", withDB(testEventsClusters)},
	{"events/index-follows-other-writers", withDB(testEventsIndexRefresh)},
	{"events/batch-upsert", withDB(testEventsBatch)},
	{"events/concurrent-reads-and-imports", withDB(testEventsConcurrent)},
	{"events/batch-upsert-mixed", withDB(testEventsBatchMixed)},

	// events_batches.go
	{"events/batch-upsert-sequence", withDB(testEventsBatchSequence)},
	{"events/concurrent-imports-same-events", testEventsConcurrentSameEvents},
	{"events/batch-upsert-invalid-late", withDB(testEventsBatchInvalidLate)},
	{"events/estimates-as-published", withDB(testEventsEstimatesAsPublished)},
	{"events/batch-upsert-new-source-repeats", withDB(testEventsBatchNewSourceRepeats)},

	// deployments_sudan.go
	{"deployments_sudan_upgrade", testDeploymentsSudanUpgrade},

	// forecast.go
	{"forecast", withDB(testForecast)},

	// intakethrottle.go
	{"intakethrottle", withDB(testIntakeThrottle)},

	// integrity.go
	{"integrity", testIntegrity},
	{"integrity_search", withDB(testIntegritySearch)},
	{"integrity_items_page", withDB(testIntegrityItemsPage)}, // integrity_items_page.go
	{"integrity_intake", withDB(testIntegrityIntake)},

	// integrity_checks.go
	{"integrity_checks", withDB(testIntegrityChecks)},
	{"integrity_check_queue", withDB(testIntegrityCheckQueue)},

	// integrity_check_merge.go
	{"integrity_check_queue_senders", withDB(testIntegrityCheckQueueSenders)},
	{"integrity_check_senders_agree", withDB(testIntegrityCheckSendersAgree)},
	{"integrity_check_merge", withDB(testIntegrityCheckMerge)},
	{"integrity_check_merge_upgrade", testIntegrityCheckMergeUpgrade},

	// integrity_answers.go
	{"integrity_answers_one_tx", withDB(testIntegrityAnswersOneTx)},
	{"integrity_answers_respond_one_tx", withDB(testIntegrityAnswersRespondOneTx)},
	{"integrity_answers_delivery", withDB(testIntegrityAnswersDelivery)},
	{"integrity_check_to_answer_keys", withDB(testIntegrityCheckToAnswerKeys)},
	{"integrity_check_broadcast", withDB(testIntegrityCheckBroadcast)},

	// integrity_learn.go
	{"integrity_learn", withDB(testIntegrityLearn)},

	// integrity_harmful.go
	{"integrity_harmful_labels", withDB(testIntegrityHarmfulLabels)},

	// integrity_meanings.go
	{"integrity_meaning_codes", testIntegrityMeaningCodes},

	// integrity_places.go
	{"integrity_places", withDB(testIntegrityPlaces)},
	{"integrity_relocate", withDB(testIntegrityRelocate)},

	// integrity_rematch.go
	{"integrity_rematch", testIntegrityRematch},

	// keycheck.go
	{"keycheck", testKeyCheck},

	// loginlimit.go
	{"loginlimit", withDB(testLoginLimit)},

	// migrate.go
	{"migrate", withDB(testMigrate)},

	// migrate_upgrade.go
	{"migrate-upgrade", testMigrateUpgrade},

	// performance.go
	{"performance", withDB(testPerformance)},

	// performance_integrity.go
	{"performance/integrity-reads", withDB(testPerformanceIntegrity)},

	// performance_version.go
	{"performance/version", withDB(testPerformanceVersion)},

	// places.go
	{"gazetteerImports", withDB(testGazetteerImports)},
	{"demoState", withDB(testDemoState)},

	// health.go
	{"health", testHealth},

	// surveyanalysis.go
	{"surveyanalysis", withDB(testSurveyAnalysis)},

	// surveys.go
	{"surveys", withDB(testSurveys)},

	// surveys_stream.go
	{"surveys/answer-stream", withDB(testSurveyAnswerStream)},
}

// Run runs every suite as a subtest, sorted by name. A name listed twice
// fails the run.
func Run(t *testing.T, open Opener) {
	RunOnly(t, open)
}

// RunOnly runs the named store tests (all of them when none is named), as
// Run does; a name no test has fails t. A dialect runs a few again on a
// database set up otherwise (PostgreSQL's plain C locale).
func RunOnly(t *testing.T, open Opener, names ...string) {
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
	for _, n := range names {
		if !slices.ContainsFunc(sorted, func(s suite) bool { return s.name == n }) {
			t.Fatalf("storetest: no suite %q", n)
		}
	}
	for _, s := range sorted {
		if len(names) > 0 && !slices.Contains(names, s.name) {
			continue
		}
		t.Run(s.name, func(t *testing.T) { s.run(t, open) })
	}
}

// walkPages reads pages through a cursor, from 0 until a page is empty or
// maxPages were read (0: no limit), as a poller does, and returns the items
// in the order read. Each page must go on after the cursor in id order; the
// cursor is the last item's id.
func walkPages[T any](t *testing.T, maxPages int, page func(after int64) ([]T, error), id func(T) int64) []T {
	t.Helper()
	var all []T
	var after int64
	for n := 0; maxPages == 0 || n < maxPages; n++ {
		items, err := page(after)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			if id(it) <= after {
				t.Fatalf("page after %d answered %d (not in id order)", after, id(it))
			}
			after = id(it)
		}
		all = append(all, items...)
	}
	return all
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
