package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/ingest"
)

func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, d := storeFlags("import", stderr)
	format := fs.String("format", "", "input format: ged, acled, hxl or geojson (default: detected from the content)")
	source := fs.String("source", "", `source name stored with the events (default "ucdp-ged", "acled", "hxl:FILE", "geojson:FILE")`)
	check := fs.Bool("check", false, "validate and report what would change, without writing")
	strict := fs.Bool("strict", false, "refuse a file with a row whose estimates break low <= best <= high (by default such rows, which real UCDP GED releases have, are kept as published and counted)")
	repair := fs.Bool("repair-estimates", false, "widen low..high around best in rows that break low <= best <= high, instead of keeping them as published (cannot be combined with --strict)")
	asJSON := fs.Bool("json", false, `print {"inserted":N,"updated":N,"unchanged":N,"inconsistent_estimates":N} (totals over all files)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vigil import [--data DIR | --db URL] [--format ged|acled|hxl|geojson] [--source NAME] [--check] [--strict | --repair-estimates] [--json] FILE...")
		fmt.Fprintln(stderr, "Each file is imported in one transaction: a file with any bad row imports nothing.")
		fmt.Fprintln(stderr, "Rows whose fatality estimates break low <= best <= high are stored as published and counted;")
		fmt.Fprintln(stderr, "every aggregate uses best. --strict refuses them instead, --repair-estimates widens low..high.")
		fs.PrintDefaults()
	}
	// Flags may come before or after the file names.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) == 0 {
		return usageError{"no FILE given (vigil import [flags] FILE...)"}
	}
	if *strict && *repair {
		return usageError{"--strict and --repair-estimates cannot be combined"}
	}
	f, err := ingest.ParseFormat(*format)
	if err != nil {
		return usageError{"--format: " + err.Error()}
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()

	// An import allocates many short-lived values per row and keeps little
	// (the ids seen so far): collecting garbage less often saves CPU that a
	// bulk load on a small machine needs (docs/benchmarks/events.md). GOGC
	// in the environment still wins.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	var total events.Counts
	for _, path := range files {
		opt := ingest.Options{Format: f, Source: *source, Check: *check, Strict: *strict, RepairEstimates: *repair}
		opt.AuditAs(operatorActor(), filepath.Base(path)) // as the browser's import is
		bar := newProgressBar(stderr, path)
		if bar != nil {
			opt.Progress = bar.update
		}
		c, err := ingest.ImportFile(ctx, db, path, opt)
		if bar != nil {
			bar.done()
		}
		if err != nil {
			return err
		}
		total.Inserted += c.Inserted
		total.Updated += c.Updated
		total.Unchanged += c.Unchanged
		total.Repaired += c.Repaired
		total.InconsistentEstimates += c.InconsistentEstimates
		if !*asJSON {
			verb := ""
			if *check {
				verb = " (check only: nothing written)"
			}
			rep := ""
			if c.Repaired > 0 {
				rep = fmt.Sprintf(", %d with repaired estimates", c.Repaired)
			}
			fmt.Fprintf(stdout, "%s: %d inserted, %d updated, %d unchanged%s%s\n", path, c.Inserted, c.Updated, c.Unchanged, rep, verb)
			if n := c.InconsistentEstimates; n > 0 {
				rows := "rows"
				if n == 1 {
					rows = "row"
				}
				fmt.Fprintf(stdout, "%s: %d %s with inconsistent low/best/high estimates kept as published (aggregates use best; --strict refuses them)\n", path, n, rows)
			}
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(total)
	}
	return nil
}

// progressBar draws "file [=====>    ] 42%" on a terminal's stderr.
type progressBar struct {
	w     io.Writer
	name  string
	size  int64
	last  time.Time
	drawn bool
}

// newProgressBar returns nil unless w is a terminal and the file is big
// enough for a bar to be worth drawing.
func newProgressBar(w io.Writer, path string) *progressBar {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	fst, err := os.Stat(path)
	if err != nil || fst.Size() < 1<<20 {
		return nil
	}
	return &progressBar{w: w, name: path, size: fst.Size()}
}

func (p *progressBar) update(n int64) {
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond || n >= p.size {
		p.last = now
		frac := min(float64(n)/float64(p.size), 1)
		const width = 30
		full := int(frac * width)
		bar := strings.Repeat("=", full) + strings.Repeat(" ", width-full)
		fmt.Fprintf(p.w, "\r%s [%s] %3.0f%%", p.name, bar, frac*100)
		p.drawn = true
	}
}

func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
