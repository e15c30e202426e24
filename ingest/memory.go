package ingest

import (
	"context"
	"io"
	"os"

	"github.com/vigil-project/vigil/events"
)

// collector is an events.Store that only collects imported events in
// memory (Import calls the store's Import and the upserter's Upsert only).
type collector struct {
	events.Store
	es []events.Event
}

func (c *collector) Import(ctx context.Context, fn func(events.Upserter) error) error {
	c.es = c.es[:0]
	return fn(c)
}

func (c *collector) Upsert(ctx context.Context, e *events.Event) (events.UpsertResult, error) {
	c.es = append(c.es, *e)
	return events.Inserted, nil
}

// ReadAll parses an event file (UCDP GED, ACLED, HXL, GeoJSON) into memory,
// without a database, with the same checks and errors as Import.
func ReadAll(ctx context.Context, name string, r io.Reader, opt Options) ([]events.Event, error) {
	c := &collector{}
	if _, err := Import(ctx, c, name, r, opt); err != nil {
		return nil, err
	}
	return c.es, nil
}

// ReadAllFile is ReadAll on a file.
func ReadAllFile(ctx context.Context, path string, opt Options) ([]events.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(ctx, path, f, opt)
}
