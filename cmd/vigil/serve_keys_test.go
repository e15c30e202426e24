package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// A server started with keys other than those that sealed the database's
// data refuses to start and says why, instead of running and failing on
// every intake.
func TestServeRefusesForeignKeys(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(crypt.EnvVar, "k1:"+crypt.GenerateKey())
	// The first server sealed a channel secret with k1.
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alerts.NewService(db, keys).NewChannel(context.Background(), "admin", alerts.SMSSync, "phone", "s3cret-gw", ""); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Another machine, without the shared keys: a k1 of its own.
	t.Setenv(crypt.EnvVar, "k1:"+crypt.GenerateKey())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = runServe(ctx, []string{"--data", dir, "--addr", "127.0.0.1:0"}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "Every server on one database needs the same keys") {
		t.Fatalf("serve with foreign keys: %v", err)
	}
}
