package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/vigil-project/vigil/integrity/narrative"
	"github.com/vigil-project/vigil/integrity/textcsv"
)

func runMDMHCluster(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("mdmh cluster", stderr)
	in := fs.String("in", "", "CSV with a header row, in arrival order")
	textCol := fs.String("text-column", "text", "column holding the text")
	idCol := fs.String("id-column", "id", "column identifying each row (copied to the output)")
	out := fs.String("out", "", "CSV to write: id,narrative (narratives numbered from 1 in order of first appearance)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return usageError{"need --in FILE.csv and --out CLUSTERS.csv"}
	}
	g := narrative.New(narrative.Options{})
	lines := map[string]int{}
	return mapTextCSV(ctx, *in, *out, *idCol, *textCol, []string{"id", "narrative"}, func(row textcsv.Row) ([]string, error) {
		id := row.Fields[0]
		if prev, dup := lines[id]; dup {
			return nil, fmt.Errorf("%s:%d: column %q: id %q already on line %d", *in, row.Line, *idCol, id, prev)
		}
		lines[id] = row.Line
		return []string{id, strconv.Itoa(g.Add(id, row.Fields[1]))}, nil
	})
}
