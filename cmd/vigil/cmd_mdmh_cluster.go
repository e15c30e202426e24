package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/vigil-project/vigil/integrity/narrative"
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
	rd, f, err := openTextCSV(*in, *idCol, *textCol)
	if err != nil {
		return err
	}
	defer f.Close()
	af, err := createAtomic(*out)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(af.w)
	cw.Write([]string{"id", "narrative"})
	g := narrative.New(narrative.Options{})
	lines := map[string]int{}
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			af.Abort()
			return ctx.Err()
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			af.Abort()
			return err
		}
		id := row.Fields[0]
		if prev, dup := lines[id]; dup {
			af.Abort()
			return fmt.Errorf("%s:%d: column %q: id %q already on line %d", *in, row.Line, *idCol, id, prev)
		}
		lines[id] = row.Line
		cw.Write([]string{id, strconv.Itoa(g.Add(id, row.Fields[1]))})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		af.Abort()
		return err
	}
	return af.Commit()
}
