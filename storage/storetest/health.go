package storetest

import (
	"context"
	"testing"
)

// testHealth: a fresh store is healthy (it answers and takes a write); one
// that cannot be reached in time does not answer.
func testHealth(t *testing.T, open Opener) {
	db := open(t)
	if r := db.Unhealthy(context.Background()); r != "" {
		t.Errorf("fresh store: %q, want healthy", r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := db.Unhealthy(ctx); r != "the database does not answer" {
		t.Errorf("no time to answer: %q", r)
	}
}
