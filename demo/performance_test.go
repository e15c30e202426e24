package demo

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestLoadFramework: the demo framework is valid, stored once, and its
// indicators are library indicators the demo data can compute.
func TestLoadFramework(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, want := range []bool{true, false} {
		ok, err := LoadFramework(ctx, db, "demo")
		if err != nil || ok != want {
			t.Fatalf("load %d: %v %v, want %v", i, ok, err, want)
		}
	}
	f, rev, err := db.Framework(ctx, FrameworkMission)
	if err != nil || rev != 1 || len(f.Objectives) != 3 || len(f.Compacts) != 1 {
		t.Fatalf("framework rev %d: %+v %v", rev, f, err)
	}
}
