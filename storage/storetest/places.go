package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/storage"
)

// testGazetteerImports: an imported gazetteer is stored whole (any bytes),
// the newest is returned, and each import is audited.
func testGazetteerImports(t *testing.T, ctx context.Context, db *storage.DB) {
	if _, ok, err := db.LatestGazetteerImport(ctx); err != nil || ok {
		t.Fatalf("empty store: %v %v", ok, err)
	}
	if _, err := db.SaveGazetteerImport(ctx, "ana", "", 1, []byte("x")); err == nil {
		t.Error("an import without a name was stored")
	}
	first := []byte("name,lat,lon\nBunia,1.56,30.25\n")
	second := []byte("name,lat,lon\nDjugu,1.92,30.5\nMakofi,1.8,30.6\n\xff\x00")
	if _, err := db.SaveGazetteerImport(ctx, "ana", "a.csv", 1, first); err != nil {
		t.Fatal(err)
	}
	id, err := db.SaveGazetteerImport(ctx, "ada", "b.csv", 2, second)
	if err != nil {
		t.Fatal(err)
	}
	g, ok, err := db.LatestGazetteerImport(ctx)
	if err != nil || !ok || g.ID != id || g.Name != "b.csv" || g.Places != 2 || g.ImportedBy != "ada" || !bytes.Equal(g.CSV, second) || g.ImportedAt.IsZero() {
		t.Fatalf("latest: %+v %v %v", g, ok, err)
	}
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "gazetteer.import"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("audit: %v %v", recs, err)
	}
}

// testDemoState: states are recorded and overwritten per name.
func testDemoState(t *testing.T, ctx context.Context, db *storage.DB) {
	if st, err := db.DemoState(ctx); err != nil || len(st) != 0 {
		t.Fatalf("empty store: %v %v", st, err)
	}
	for _, kv := range [][2]string{{"alerts", "done"}, {"forecast:osv:priogrid", "computing"}, {"forecast:osv:priogrid", "done"}} {
		if err := db.SetDemoState(ctx, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	st, err := db.DemoState(ctx)
	if err != nil || len(st) != 2 || st["alerts"] != "done" || st["forecast:osv:priogrid"] != "done" {
		t.Fatalf("%v %v", st, err)
	}
}
