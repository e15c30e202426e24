package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/storage"
)

// testAuditClip: an entry quoting a long or malformed request value is
// stored cut to audit.MaxField with a marker, not refused.
func testAuditClip(t *testing.T, ctx context.Context, db *storage.DB) {
	long := "round=\"" + strings.Repeat("R", 6000) + "\xff\""
	if err := db.Audit(ctx, db.SQL, audit.Entry{Actor: "ana", Action: "survey.export", Object: "form:" + long, Detail: long}); err != nil {
		t.Fatal(err)
	}
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "survey.export"})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%v %v", recs, err)
	}
	for _, v := range []string{recs[0].Object, recs[0].Detail} {
		if len(v) > audit.MaxField || !strings.HasSuffix(v, "bytes cut]") {
			t.Errorf("stored %d bytes ending %q", len(v), v[len(v)-30:])
		}
	}
}
